/**
 * Port specs and their displays:
 * - `parsePortSpec`/`parsePortSpecs`: go-connections nat/nat.go ParsePortSpec(s) (vendored in
 *   docker/cli v20.10.24), the `-p` forms: `80`, `8080:80`, `8080:80/udp`, `ip::80`,
 *   `ip:8080:80`, ranges `9000-9002:9000-9002`, `[::1]:80:80`, with its error texts
 *   (the CLI prints them as `docker: Invalid hostPort: 99999.`).
 * - `displayablePorts`: the PORTS column of `docker ps`, cli/command/formatter/container.go
 *   DisplayablePorts (sort, group equal host/container ports into ranges, other mappings last).
 * - `portLines`: `docker port` (cli/command/container/port.go runPort).
 */

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface PortMapping {
  /** nat.Port: `80/tcp`, `53/udp`. */
  port: string;
  binding: PortBinding;
}

export class PortSpecError extends Error {}

/** nat.SplitProtoPort. */
export function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  if (raw.length === 0 || parts[0].length === 0) return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1].length === 0) return ['tcp', parts[0]];
  return [parts[1], parts[0]];
}

/** strconv.ParseUint(s, 10, 16): digits only, at most 65535. */
function parseUint16(s: string): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n > 65535 ? null : n;
}

/** nat.ParsePortRange. Returns null on any error (callers print their own text). */
export function parsePortRange(ports: string): [number, number] | null {
  if (ports === '') return null;
  if (!ports.includes('-')) {
    const n = parseUint16(ports);
    return n === null ? null : [n, n];
  }
  const parts = ports.split('-');
  const start = parseUint16(parts[0]);
  if (start === null) return null;
  const end = parseUint16(parts[1]);
  if (end === null) return null;
  if (end < start) return null;
  return [start, end];
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const containerPort = parts[n - 1];
  switch (n) {
    case 1:
      return ['', '', containerPort];
    case 2:
      return ['', parts[0], containerPort];
    case 3:
      return [parts[0], parts[1], containerPort];
    default:
      return [parts.slice(0, n - 2).join(':'), parts[n - 2], containerPort];
  }
}

/** net.ParseIP accepts dotted IPv4 and IPv6 text. */
export function isIP(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) {
    return s.split('.').every((p) => Number(p) <= 255 && !(p.length > 1 && p.startsWith('0')));
  }
  if (!s.includes(':')) return false;
  let t = s;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    if (!isIP(v4[1])) return false;
    t = t.slice(0, v4.index + 1) + '0:0';
  }
  const dbl = t.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const left = groups(dbl[0]);
  const right = dbl.length === 2 ? groups(dbl[1]) : [];
  if (![...left, ...right].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const total = left.length + right.length;
  return dbl.length === 2 ? total < 8 : total === 8;
}

/** net.SplitHostPort(rawIP + ":") as ParsePortSpec uses it: strips IPv6 brackets. */
function hostOf(rawIP: string): string {
  const hp = rawIP + ':';
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end < 0) throw new PortSpecError(`Invalid ip address ${rawIP}: address ${hp}: missing ']' in address`);
    if (hp.slice(end + 1) !== ':') throw new PortSpecError(`Invalid ip address ${rawIP}: address ${hp}: too many colons in address`);
    return hp.slice(1, end);
  }
  const host = hp.slice(0, hp.length - 1);
  if (host.includes(':')) throw new PortSpecError(`Invalid ip address ${rawIP}: address ${hp}: too many colons in address`);
  return host;
}

/** nat.ParsePortSpec. Throws PortSpecError with go-connections' text. */
export function parsePortSpec(rawPort: string): PortMapping[] {
  const [rawIP, hostPort0, containerPort0] = splitParts(rawPort);
  const [proto, containerPort] = splitProtoPort(containerPort0);
  let hostPort = hostPort0;
  const ip = hostOf(rawIP);
  if (ip !== '' && !isIP(ip)) throw new PortSpecError(`Invalid ip address: ${ip}`);
  if (containerPort === '') throw new PortSpecError(`No port specified: ${rawPort}<empty>`);
  const cr = parsePortRange(containerPort);
  if (!cr) throw new PortSpecError(`Invalid containerPort: ${containerPort}`);
  const [startPort, endPort] = cr;
  let startHostPort = 0;
  let endHostPort = 0;
  if (hostPort.length > 0) {
    const hr = parsePortRange(hostPort);
    if (!hr) throw new PortSpecError(`Invalid hostPort: ${hostPort}`);
    [startHostPort, endHostPort] = hr;
  }
  if (hostPort !== '' && endPort - startPort !== endHostPort - startHostPort) {
    if (endPort !== startPort)
      throw new PortSpecError(`Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const p = proto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(p)) throw new PortSpecError(`Invalid proto: ${proto}`);
  const out: PortMapping[] = [];
  for (let i = 0; i <= endPort - startPort; i++) {
    const cp = String(startPort + i);
    if (hostPort.length > 0) hostPort = String(startHostPort + i);
    if (startPort === endPort && startHostPort !== endHostPort) hostPort = `${hostPort}-${endHostPort}`;
    out.push({ port: `${cp}/${p}`, binding: { HostIp: ip, HostPort: hostPort } });
  }
  return out;
}

/**
 * nat.ParsePortSpecs: exposed ports and bindings, each keyed by `port/proto` in the order first
 * seen (Go returns maps; the daemon's JSON sorts them, see `sortPortKeys`).
 */
export function parsePortSpecs(specs: string[]): { exposed: string[]; bindings: Map<string, PortBinding[]> } {
  const exposed: string[] = [];
  const bindings = new Map<string, PortBinding[]>();
  for (const raw of specs) {
    for (const m of parsePortSpec(raw)) {
      if (!exposed.includes(m.port)) exposed.push(m.port);
      const list = bindings.get(m.port) ?? [];
      list.push(m.binding);
      bindings.set(m.port, list);
    }
  }
  return { exposed, bindings };
}

/** `--expose` values (opts.go parse): a port or range with optional /proto, each port of a range exposed. */
export function parseExpose(e: string): string[] {
  if (e.includes(':')) throw new PortSpecError(`invalid port format for --expose: ${e}`);
  const [proto, port] = splitProtoPort(e);
  const r = parsePortRange(port);
  if (!r) throw new PortSpecError(`invalid range format for --expose: ${e}, error: ${exposeRangeError(port)}`);
  const out: string[] = [];
  for (let i = r[0]; i <= r[1]; i++) out.push(`${i}/${proto}`);
  return out;
}

function exposeRangeError(port: string): string {
  if (port === '') return 'Empty string specified for ports.';
  const parts = port.split('-');
  for (const p of parts.slice(0, 2)) {
    if (parseUint16(p) === null) {
      if (/^\d+$/.test(p)) return `strconv.ParseUint: parsing ${JSON.stringify(p)}: value out of range`;
      return `strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`;
    }
  }
  return `Invalid range specified for the Port: ${port}`;
}

/** JSON key order for a map of nat.Port: Go's encoding/json sorts map keys as strings. */
export function sortPortKeys(keys: string[]): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** types.Port as the daemon lists it for `docker ps` (api/types/port.go). */
export interface ApiPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

function comparePorts(i: ApiPort, j: ApiPort): number {
  if (i.PrivatePort !== j.PrivatePort) return i.PrivatePort - j.PrivatePort;
  const ii = i.IP ?? '';
  const ji = j.IP ?? '';
  if (ii !== ji) return ii < ji ? -1 : 1;
  const ip = i.PublicPort ?? 0;
  const jp = j.PublicPort ?? 0;
  if (ip !== jp) return ip - jp;
  return i.Type < j.Type ? -1 : i.Type > j.Type ? 1 : 0;
}

function formGroup(key: string, start: number, last: number): string {
  const parts = key.split('/');
  let groupType = parts[0];
  let ip = '';
  if (parts.length > 1) {
    ip = parts[0];
    groupType = parts[1];
  }
  let group = String(start);
  if (start !== last) group = `${group}-${last}`;
  if (ip !== '') group = `${ip}:${group}->${group}`;
  return `${group}/${groupType}`;
}

/** DisplayablePorts of cli/command/formatter/container.go (CLI 20.10: IPv6 shown as `:::8899`). */
export function displayablePorts(ports: ApiPort[]): string {
  const groupMap = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  const groupKeys: string[] = [];
  const sorted = [...ports].sort(comparePorts);
  for (const port of sorted) {
    const current = port.PrivatePort;
    let portKey = port.Type;
    if (port.IP) {
      if ((port.PublicPort ?? 0) !== current) {
        hostMappings.push(`${port.IP}:${port.PublicPort ?? 0}->${port.PrivatePort}/${port.Type}`);
        continue;
      }
      portKey = `${port.IP}/${port.Type}`;
    }
    const group = groupMap.get(portKey);
    if (!group) {
      groupMap.set(portKey, { first: current, last: current });
      groupKeys.push(portKey);
      continue;
    }
    if (current === group.last + 1) {
      group.last = current;
      continue;
    }
    result.push(formGroup(portKey, group.first, group.last));
    groupMap.set(portKey, { first: current, last: current });
  }
  for (const k of groupKeys) {
    const g = groupMap.get(k)!;
    result.push(formGroup(k, g.first, g.last));
  }
  result.push(...hostMappings);
  return result.join(', ');
}

/**
 * The daemon's list of types.Port for a container (daemon/list.go / container/view.go): one per
 * binding, or one without IP for an exposed port that has no binding.
 */
export function apiPorts(ports: Record<string, PortBinding[] | null> | Map<string, PortBinding[] | null>): ApiPort[] {
  const out: ApiPort[] = [];
  const entries = ports instanceof Map ? [...ports] : Object.entries(ports);
  for (const [key, bindings] of entries) {
    const [proto, portStr] = splitProtoPort(key);
    const r = parsePortRange(portStr);
    if (!r) continue;
    if (!bindings || bindings.length === 0) {
      out.push({ PrivatePort: r[0], Type: proto });
      continue;
    }
    for (const b of bindings) {
      const hp = parsePortRange(b.HostPort);
      out.push({ IP: b.HostIp, PrivatePort: r[0], PublicPort: hp ? hp[0] : 0, Type: proto });
    }
  }
  return out;
}

/** `docker port CONTAINER [PRIVATE_PORT[/PROTO]]` output lines; throws with the CLI's text when none. */
export function portLines(container: string, ports: Record<string, PortBinding[] | null>, query?: string): string[] {
  if (query !== undefined && query !== '') {
    let port = query;
    let proto = 'tcp';
    const i = query.indexOf('/');
    if (i >= 0 && query.length > i + 1) {
      port = query.slice(0, i);
      proto = query.slice(i + 1);
    }
    const natPort = `${port}/${proto}`;
    const r = parsePortRange(port);
    if (!r && port !== '') throw new PortSpecError(invalidPortError(port));
    const key = r && r[0] !== r[1] ? `${r[0]}-${r[1]}/${proto}` : r ? `${r[0]}/${proto}` : `0/${proto}`;
    const frontends = Object.prototype.hasOwnProperty.call(ports, key) ? ports[key] : undefined;
    if (frontends) return frontends.map((f) => `${f.HostIp}:${f.HostPort}`);
    throw new PortSpecError(`Error: No public port '${natPort}' published for ${container}`);
  }
  const out: string[] = [];
  for (const [from, frontends] of Object.entries(ports)) {
    for (const f of frontends ?? []) out.push(`${from} -> ${f.HostIp}:${f.HostPort}`);
  }
  return out;
}

function invalidPortError(port: string): string {
  const parts = port.split('-');
  for (const p of parts.slice(0, 2)) {
    if (parseUint16(p) === null) {
      const why = /^\d+$/.test(p) ? 'value out of range' : 'invalid syntax';
      return `strconv.ParseUint: parsing ${JSON.stringify(p)}: ${why}`;
    }
  }
  return `Invalid range specified for the Port: ${port}`;
}
