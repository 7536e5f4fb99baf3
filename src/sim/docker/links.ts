/**
 * Legacy link environment variables (daemon/links/links.go): for a child seen by a parent
 * under an alias, `ALIAS_PORT`, the `_START`/`_END` groups of 3+ consecutive ports, the four
 * variables per exposed port, `ALIAS_NAME` and `ALIAS_ENV_*` (the child's Env minus HOME, PATH).
 */
export interface ExposedPort {
  port: number;
  proto: string;
}

/** Sorts ports as links.go does (nat.Sort with the tcp-first tie break). */
export function sortPorts(ports: ExposedPort[]): ExposedPort[] {
  return ports.slice().sort((a, b) => a.port - b.port || (a.proto === 'tcp' ? -1 : b.proto === 'tcp' ? 1 : a.proto.localeCompare(b.proto)));
}

export function linkEnv(o: { parentName: string; alias: string; childIp: string; ports: ExposedPort[]; childEnv: string[] }): string[] {
  const aliasLast = o.alias.split('/').pop() ?? o.alias;
  const A = aliasLast.toUpperCase().replace(/-/g, '_');
  const env: string[] = [];
  const ports = sortPorts(o.ports);
  if (ports.length) {
    const p = ports[0];
    env.push(`${A}_PORT=${p.proto}://${o.childIp}:${p.port}`);
  }
  // Runs of 3 or more consecutive ports of the same protocol (links.go ToEnv).
  let i = 0;
  while (i < ports.length) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1].port === ports[j].port + 1 && ports[j + 1].proto === ports[i].proto) j++;
    if (j - i >= 2) {
      const first = ports[i];
      const last = ports[j];
      const P = first.proto.toUpperCase();
      const pre = `${A}_PORT_${first.port}_${P}`;
      env.push(`${pre}_START=${first.proto}://${o.childIp}:${first.port}`);
      env.push(`${pre}_ADDR=${o.childIp}`);
      env.push(`${pre}_PROTO=${first.proto}`);
      env.push(`${pre}_PORT_START=${first.port}`);
      env.push(`${pre}_END=${first.proto}://${o.childIp}:${last.port}`);
      env.push(`${pre}_PORT_END=${last.port}`);
    }
    i = j + 1;
  }
  for (const p of ports) {
    const pre = `${A}_PORT_${p.port}_${p.proto.toUpperCase()}`;
    env.push(`${pre}=${p.proto}://${o.childIp}:${p.port}`);
    env.push(`${pre}_ADDR=${o.childIp}`);
    env.push(`${pre}_PORT=${p.port}`);
    env.push(`${pre}_PROTO=${p.proto}`);
  }
  env.push(`${A}_NAME=/${o.parentName.replace(/^\//, '')}/${aliasLast}`);
  for (const kv of o.childEnv) {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    if (k === 'HOME' || k === 'PATH') continue;
    env.push(`${A}_ENV_${k}=${eq < 0 ? '' : kv.slice(eq + 1)}`);
  }
  return env;
}
