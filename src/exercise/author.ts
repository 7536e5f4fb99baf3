/**
 * Authoring from a sandbox: "capture as expected". Given the state a reference solution built,
 * propose checks that describe it — networks, containers, published ports, link entries —
 * written with templates so they hold whatever the seed, and export an exercise file for the
 * author to prune, order and give hints to.
 */
import { stringify } from 'yaml';
import { isEphemeral, type Check, type HostSnapshot, type Snapshot } from '../sim/index.ts';

/** Docker's default local address pools (172.17–31/16, 192.168/20): subnets IPAM picks by itself. */
function defaultPoolSubnet(cidr: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+\/(\d+)$/.exec(cidr);
  if (!m) return false;
  const [a, b, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (a === 172 && b >= 17 && b <= 31 && p === 16) || (a === 192 && b === 168 && p === 20);
}

/** Checks describing a host's state beyond a fresh host's (default networks are left out). */
export function captureChecks(h: HostSnapshot, opts: { host?: string } = {}): Check[] {
  const checks: Check[] = [];
  const base = (id: string): { id: string; points: number; hint: string; host?: string } => ({
    id,
    points: 1,
    hint: 'TODO: a hint for this check',
    ...(opts.host ? { host: opts.host } : {}),
  });
  for (const n of h.networks) {
    if (['bridge', 'host', 'none'].includes(n.name)) continue;
    const network: Extract<Check, { kind: 'network' }>['network'] = { name: n.name, exists: true, driver: n.driver };
    if (n.subnet && !defaultPoolSubnet(n.subnet)) {
      network.subnet = n.subnet;
      if (n.gateway) network.gateway = n.gateway;
    }
    if (n.internal) network.internal = true;
    checks.push({ ...base(`network-${n.name}`), kind: 'network', network });
  }
  for (const c of h.containers) {
    const container: Extract<Check, { kind: 'container' }>['container'] = { name: c.name, exists: true, state: c.state, image: c.image };
    if (!['default', 'bridge'].includes(c.networkMode)) container.networkMode = c.networkMode;
    const nets = c.networks.map((e) => e.network).filter((n) => n !== 'none');
    if (nets.length && !c.networkMode.startsWith('container:') && c.networkMode !== 'host') container.networks = nets;
    if (c.links.length) container.links = c.links;
    checks.push({ ...base(`container-${c.name}`), kind: 'container', container });
    // Docker lists a `::` binding beside each 0.0.0.0 one (docker-proxy's IPv6 listener): one check covers both.
    const ports = c.ports.filter(
      (p) => !(p.hostIp === '::' && c.ports.some((q) => q !== p && q.containerPort === p.containerPort && q.hostPort === p.hostPort)),
    );
    for (const p of ports) {
      const published: Extract<Check, { kind: 'published' }>['published'] = { container: c.name, port: p.containerPort, present: true };
      if (!isEphemeral(p.hostPort)) published.hostPort = p.hostPort;
      if (p.hostIp && p.hostIp !== '0.0.0.0') published.hostIp = p.hostIp;
      checks.push({ ...base(`published-${c.name}-${p.containerPort.replace('/', '-')}`), kind: 'published', published });
    }
    const lines = c.links.map((l) => {
      const [target, alias] = l.split(':');
      return alias === target
        ? `{{ip ${target}}}\t${alias} {{shortId ${target}}}`
        : `{{ip ${target}}}\t${alias} {{shortId ${target}}} ${target}`;
    });
    if (lines.length)
      checks.push({ ...base(`hosts-${c.name}`), kind: 'file', file: { container: c.name, path: '/etc/hosts', hasLines: lines } });
  }
  // Ids must be unique: number repeats.
  const seen = new Map<string, number>();
  return checks.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return n === 1 ? c : { ...c, id: `${c.id}-${n}` };
  });
}

/** The YAML form of a check (the kind as its key, defaults left out). */
function checkYaml(c: Check): Record<string, unknown> {
  const { kind, id, points, hint, host, message, tolerance } = c;
  const body = (c as unknown as Record<string, unknown>)[kind] as Record<string, unknown>;
  const clean = Object.fromEntries(Object.entries(body).filter(([k, v]) => !((k === 'exists' || k === 'present') && v === true)));
  return {
    id,
    ...(host ? { host } : {}),
    [kind]: clean,
    ...(points !== 1 ? { points } : {}),
    ...(message ? { message } : {}),
    ...(tolerance ? { tolerance } : {}),
    hint,
  };
}

/** An exercise file for what a reference solution built, to edit before use. */
export function captureExercise(opts: {
  id: string;
  chapter: string;
  title: string;
  setup: string[];
  solution: string[];
  snapshot: Snapshot;
  /** Checks on the setup's own state are left out when given. */
  before?: Snapshot;
}): string {
  const checks: Check[] = [];
  opts.snapshot.hosts.forEach((h, i) => {
    const known = new Set((opts.before?.hosts[i] ? captureChecks(opts.before.hosts[i]) : []).map((c) => JSON.stringify(c)));
    for (const c of captureChecks(h, i ? { host: h.name } : {})) {
      const plain = { ...c };
      delete plain.host;
      if (!known.has(JSON.stringify(plain))) checks.push(c);
    }
  });
  const doc = {
    id: opts.id,
    chapter: opts.chapter,
    title: opts.title,
    difficulty: 'medium',
    task: 'TODO: the task, in Markdown.\n',
    setup: opts.setup,
    checks: checks.map(checkYaml),
    hints: ['TODO: a general hint'],
    solution: opts.solution,
    wrong: [{ why: 'TODO', commands: ['TODO'], fails: checks[0]?.id ?? 'TODO' }],
  };
  return stringify(doc, { lineWidth: 0 });
}
