/**
 * The grader: one pure function of (snapshot, exercise, command log, probe) used by the lab's
 * live checklist, the Check button, `dnlab exercise check` and `dnlab grade`. It never sees the
 * learner's screen or claims. Checks run in the exercise's order so the first failure shown is
 * the one to fix, and each failure says what is wrong in the learner's own terms.
 */
import { splitHostPrompt } from './exercise.ts';
import type {
  AddressCheck,
  Check,
  CleanCheck,
  ContainerCheck,
  DaemonCheck,
  Exercise,
  FileCheck,
  ForbidCheck,
  NetworkCheck,
  PublishedCheck,
  ReachCheck,
  RouteCheck,
  RuleCheck,
  Tolerance,
} from './exercise.ts';
import { fileLines, isEphemeral, mergeTolerance, normaliseLine } from './canonical.ts';
import { findCommand, findFlag, simpleCommands, type LogEntry } from './commandlog.ts';
import { effectiveEndpoints, findContainer, findNetwork, renderTemplate, TemplateError } from './template.ts';
import type { HostSnapshot, Probe, ReachOutcome, Snapshot } from './types.ts';

export interface CheckResult {
  id: string;
  kind: Check['kind'];
  passed: boolean;
  points: number;
  /** Points this check is worth. */
  maxPoints: number;
  expected: string;
  actual: string;
  /** Empty when the check passed. */
  message: string;
}

export interface GradeResult {
  exerciseId: string;
  status: 'passed' | 'failed';
  score: number;
  maxScore: number;
  checks: CheckResult[];
}

interface Outcome {
  passed: boolean;
  expected: string;
  actual: string;
  message: string;
}

const ok = (expected: string, actual: string = expected): Outcome => ({ passed: true, expected, actual, message: '' });
const fail = (expected: string, actual: string, message: string): Outcome => ({ passed: false, expected, actual, message });

const DEFAULT_NETWORKS = ['bridge', 'host', 'none'];

function code(s: string): string {
  return '`' + s + '`';
}

function ipToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return null;
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

/** Whether an address or a CIDR lies inside a CIDR. */
export function within(addrOrCidr: string, cidr: string): boolean {
  const [net, p] = cidr.split('/');
  const [a, ap] = addrOrCidr.split('/');
  const n = ipToInt(net);
  const x = ipToInt(a);
  const prefix = p === undefined ? 32 : Number(p);
  const inner = ap === undefined ? 32 : Number(ap);
  if (n === null || x === null || !(prefix >= 0 && prefix <= 32) || inner < prefix) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (n & mask) >>> 0 === (x & mask) >>> 0;
}

function hostOf(snapshot: Snapshot, check: Check): HostSnapshot | null {
  if (check.host === undefined) return snapshot.hosts[0] ?? null;
  return snapshot.hosts.find((h) => h.name === check.host) ?? null;
}

function checkNetwork(h: HostSnapshot, c: NetworkCheck, r: (s: string) => string): Outcome {
  const spec = c.network;
  const n = findNetwork(h, spec.name);
  if (!spec.exists)
    return n
      ? fail('no network ' + spec.name, `network ${spec.name} exists`, `network ${code(spec.name)} still exists`)
      : ok('no network ' + spec.name);
  if (!n) return fail(`network ${spec.name}`, 'no such network', `there is no network ${code(spec.name)}`);
  const props: [string, string | null, string | undefined][] = [
    ['driver', n.driver, spec.driver],
    ['subnet', n.subnet, spec.subnet === undefined ? undefined : r(spec.subnet)],
    ['gateway', n.gateway, spec.gateway === undefined ? undefined : r(spec.gateway)],
    ['IP range', n.ipRange, spec.ipRange === undefined ? undefined : r(spec.ipRange)],
  ];
  for (const [label, actual, expected] of props) {
    if (expected === undefined) continue;
    if (actual !== expected)
      return fail(
        `${label} ${expected}`,
        `${label} ${actual ?? 'none'}`,
        `network ${code(spec.name)} has ${label} ${actual ?? 'none'}, expected ${expected}`,
      );
  }
  if (spec.subnetWithin !== undefined) {
    const cidr = r(spec.subnetWithin);
    if (!n.subnet || !within(n.subnet, cidr))
      return fail(
        `subnet within ${cidr}`,
        `subnet ${n.subnet ?? 'none'}`,
        `network ${code(spec.name)}'s subnet ${n.subnet ?? 'none'} is not inside ${cidr}`,
      );
  }
  if (spec.internal !== undefined && n.internal !== spec.internal)
    return fail(
      spec.internal ? 'internal' : 'not internal',
      n.internal ? 'internal' : 'not internal',
      spec.internal ? `network ${code(spec.name)} is not internal` : `network ${code(spec.name)} is internal`,
    );
  for (const [k, v] of Object.entries(spec.options ?? {})) {
    const want = r(v);
    if (n.options[k] !== want)
      return fail(
        `${k}=${want}`,
        n.options[k] === undefined ? `no ${k}` : `${k}=${n.options[k]}`,
        `network ${code(spec.name)} has option ${k}=${n.options[k] ?? '(unset)'}, expected ${want}`,
      );
  }
  return ok(`network ${spec.name}`);
}

function checkContainer(h: HostSnapshot, c: ContainerCheck, r: (s: string) => string, tol: Tolerance): Outcome {
  const spec = c.container;
  const ctr = findContainer(h, spec.name);
  const name = code(spec.name);
  if (!spec.exists)
    return ctr
      ? fail(`no container ${spec.name}`, `${spec.name} exists (${ctr.state})`, `container ${name} still exists`)
      : ok(`no container ${spec.name}`);
  if (!ctr) return fail(`container ${spec.name}`, 'no such container', `there is no container ${name}`);
  if (spec.state !== undefined && ctr.state !== spec.state)
    return fail(spec.state, ctr.state, `${name} is ${ctr.state}, expected ${spec.state}`);
  if (spec.image !== undefined && ctr.image !== spec.image && ctr.image !== `${spec.image}:latest` && `${ctr.image}:latest` !== spec.image)
    return fail(`image ${spec.image}`, `image ${ctr.image}`, `${name} runs image ${ctr.image}, expected ${spec.image}`);
  if (spec.networkMode !== undefined) {
    const want =
      spec.networkMode === 'bridge' ? ['bridge', 'default'] : spec.networkMode === 'default' ? ['default', 'bridge'] : [spec.networkMode];
    if (!want.includes(ctr.networkMode))
      return fail(
        `network mode ${spec.networkMode}`,
        `network mode ${ctr.networkMode}`,
        `${name} uses network mode ${ctr.networkMode}, expected ${spec.networkMode}`,
      );
  }
  const on = ctr.networks.map((e) => e.network);
  const onText = on.length ? on.join(', ') : 'no network';
  if (spec.networks) {
    const missing = spec.networks.filter((n) => !on.includes(n));
    if (missing.length) {
      const present = spec.networks.filter((n) => on.includes(n));
      const msg = present.length
        ? `${name} is on ${present.map(code).join(', ')} but not on ${missing.map(code).join(', ')}`
        : `${name} is not on ${missing.map(code).join(', ')}`;
      return fail(`on ${spec.networks.join(', ')}`, `on ${onText}`, msg);
    }
    if (spec.onlyNetworks) {
      const extra = on.filter((n) => !spec.networks!.includes(n));
      if (extra.length)
        return fail(`only on ${spec.networks.join(', ')}`, `on ${onText}`, `${name} is also on ${extra.map(code).join(', ')}`);
    }
  }
  if (spec.notNetworks) {
    const bad = spec.notNetworks.filter((n) => on.includes(n));
    if (bad.length) return fail(`not on ${spec.notNetworks.join(', ')}`, `on ${onText}`, `${name} is still on ${bad.map(code).join(', ')}`);
  }
  if (spec.hostname !== undefined) {
    const want = r(spec.hostname);
    if (normaliseLine(ctr.hostname, tol) !== normaliseLine(want, tol))
      return fail(`hostname ${want}`, `hostname ${ctr.hostname}`, `${name}'s hostname is ${ctr.hostname}, expected ${want}`);
  }
  if (spec.links) {
    for (const l of spec.links) {
      const want = l.includes(':') ? l : `${l}:${l}`;
      if (!ctr.links.includes(want))
        return fail(`link ${want}`, ctr.links.length ? `links ${ctr.links.join(', ')}` : 'no links', `${name} has no link ${code(want)}`);
    }
  }
  if (spec.env) {
    for (const e of spec.env) {
      const want = r(e);
      const star = want.endsWith('=*');
      const found = star
        ? ctr.env.some((x) => x.startsWith(want.slice(0, -1)))
        : ctr.env.some((x) => normaliseLine(x, tol) === normaliseLine(want, tol));
      if (!found) {
        const key = want.split('=')[0];
        const have = ctr.env.find((x) => x.startsWith(key + '='));
        return fail(want, have ?? `no ${key}`, have ? `${name} has ${have}, expected ${want}` : `${name}'s environment has no ${key}`);
      }
    }
  }
  if (spec.envLacks) {
    for (const k of spec.envLacks) {
      const have = ctr.env.find((x) => (k.endsWith('*') ? x.startsWith(k.slice(0, -1)) : x.startsWith(k + '=')));
      if (have) return fail(`no ${k}`, have, `${name}'s environment still has ${have.split('=')[0]}`);
    }
  }
  if (spec.dns) {
    const want = spec.dns.map(r);
    if (want.join(',') !== ctr.dns.join(','))
      return fail(
        `dns ${want.join(', ')}`,
        ctr.dns.length ? `dns ${ctr.dns.join(', ')}` : 'no --dns',
        `${name} was started with ${ctr.dns.length ? `--dns ${ctr.dns.join(' --dns ')}` : 'no --dns'}, expected --dns ${want.join(' --dns ')}`,
      );
  }
  return ok(`container ${spec.name}`);
}

function checkAddress(h: HostSnapshot, c: AddressCheck, r: (s: string) => string): Outcome {
  const spec = c.address;
  const name = code(spec.container);
  const ctr = findContainer(h, spec.container);
  if (!ctr) return fail(`container ${spec.container}`, 'no such container', `there is no container ${name}`);
  const eps = effectiveEndpoints(h, ctr);
  let ep;
  if (spec.network !== undefined) {
    ep = eps.find((e) => e.network === spec.network);
    if (!ep)
      return fail(
        `on ${spec.network}`,
        `on ${eps.map((e) => e.network).join(', ') || 'no network'}`,
        `${name} is not on ${code(spec.network)}`,
      );
  } else {
    ep = eps.find((e) => e.ip);
    if (!ep) return fail('an IPv4 address', 'none', `${name} has no IP address`);
  }
  const where = ` on ${code(ep.network)}`;
  if (spec.ip !== undefined) {
    const want = r(spec.ip);
    if (ep.ip !== want) return fail(want, ep.ip ?? 'no address', `${name} has ${ep.ip ?? 'no address'}${where}, expected ${want}`);
  }
  if (spec.inSubnet !== undefined) {
    const cidr = r(spec.inSubnet);
    if (!ep.ip || !within(ep.ip, cidr))
      return fail(`an address in ${cidr}`, ep.ip ?? 'no address', `${name}'s address${where} (${ep.ip ?? 'none'}) is not in ${cidr}`);
  }
  for (const a of spec.aliases ?? []) {
    const want = r(a);
    if (!ep.aliases.includes(want))
      return fail(
        `alias ${want}`,
        ep.aliases.length ? `aliases ${ep.aliases.join(', ')}` : 'no aliases',
        `${name} has no alias ${code(want)}${where}`,
      );
  }
  if (spec.mac !== undefined) {
    const want = r(spec.mac).toLowerCase();
    // A MAC the check names is compared: naming it is the exercise saying so.
    if ((ep.mac ?? '').toLowerCase() !== want)
      return fail(want, ep.mac ?? 'none', `${name}'s MAC${where} is ${ep.mac ?? 'none'}, expected ${want}`);
  }
  return ok(`${spec.container}${where}: ${ep.ip ?? ''}`, `${ep.ip ?? ''}`);
}

function checkFile(h: HostSnapshot, c: FileCheck, r: (s: string) => string, tol: Tolerance): Outcome {
  const spec = c.file;
  const name = code(spec.container);
  const ctr = findContainer(h, spec.container);
  if (!ctr) return fail(`container ${spec.container}`, 'no such container', `there is no container ${name}`);
  const text = spec.path === '/etc/hosts' ? ctr.files.hosts : ctr.files.resolvConf;
  if (text === null) return fail(spec.path, 'no such file', `${name} has no ${spec.path}`);
  const lines = fileLines(text);
  const norm = lines.map((l) => normaliseLine(l, tol));
  const actual = lines.join('\n');
  const whose = `${name}'s ${spec.path}`;
  for (const l of spec.hasLines ?? []) {
    const want = r(l);
    if (!norm.includes(normaliseLine(want, tol))) return fail(want, actual, `${whose} has no line ${code(want.replace(/\t/g, ' '))}`);
  }
  for (const l of spec.lacksLines ?? []) {
    const bad = r(l);
    const i = norm.indexOf(normaliseLine(bad, tol));
    if (i >= 0) return fail(`no line ${bad}`, actual, `${whose} still has the line ${code(lines[i].replace(/\t/g, ' '))}`);
  }
  if (spec.noLineMatches !== undefined) {
    const re = new RegExp(r(spec.noLineMatches));
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return fail(`no line matching /${re.source}/`, actual, `${whose} has the line ${code(lines[i].replace(/\t/g, ' '))}`);
  }
  if (spec.someLineMatches !== undefined) {
    const re = new RegExp(r(spec.someLineMatches));
    if (!lines.some((l) => re.test(l)))
      return fail(`a line matching /${re.source}/`, actual, `${whose} has no line matching /${re.source}/`);
  }
  if (spec.equals !== undefined) {
    const want = fileLines(r(spec.equals)).map((l) => normaliseLine(l, tol));
    if (want.join('\n') !== norm.join('\n')) {
      const i = want.findIndex((l, k) => norm[k] !== l);
      const at = i < 0 ? want.length : i;
      return fail(r(spec.equals), actual, `${whose} differs from the expected file at line ${at + 1}`);
    }
  }
  return ok(spec.path, actual);
}

function checkRule(h: HostSnapshot, c: RuleCheck, r: (s: string) => string, tol: Tolerance): Outcome {
  const spec = c.rule;
  const table = h.iptables[spec.table];
  const norm = table.map((l) => normaliseLine(l, tol));
  const actual = table.join('\n');
  const wants = spec.rules.map(r);
  const idx: number[] = [];
  for (const w of wants) {
    const i = norm.indexOf(normaliseLine(w, tol));
    if (spec.present && i < 0) return fail(w, actual, `the ${spec.table} table has no rule ${code(w)}`);
    if (!spec.present && i >= 0) return fail(`no rule ${w}`, actual, `the ${spec.table} table still has the rule ${code(table[i])}`);
    idx.push(i);
  }
  if (spec.present && spec.ordered) {
    for (let k = 1; k < idx.length; k++)
      if (idx[k] < idx[k - 1])
        return fail(
          wants.join('\n'),
          actual,
          `in the ${spec.table} table, ${code(wants[k])} comes before ${code(wants[k - 1])}; it must come after it`,
        );
  }
  return ok(wants.join('\n'), actual);
}

export function parseReachTarget(to: string): { to: string; port: number | null; proto: 'tcp' | 'udp' | 'icmp' } {
  const m = /^(.*?)(?::(\d+))?(?:\/(tcp|udp|icmp))?$/.exec(to.trim());
  const name = m?.[1] ?? to;
  const port = m?.[2] ? Number(m[2]) : null;
  const proto = (m?.[3] as 'tcp' | 'udp' | 'icmp' | undefined) ?? (port === null ? 'icmp' : 'tcp');
  return { to: name, port, proto };
}

function checkReach(h: HostSnapshot, c: ReachCheck, r: (s: string) => string, probe: Probe | undefined): Outcome {
  const spec = c.reach;
  const from = r(spec.from);
  const target = parseReachTarget(r(spec.to));
  const label = `${target.to}${target.port !== null ? `:${target.port}/${target.proto}` : target.proto === 'icmp' ? ' (ping)' : `/${target.proto}`}`;
  const expected = spec.expect === 'yes' ? 'open' : spec.expect === 'no' ? 'not open' : spec.expect;
  if (!probe) return fail(expected, 'unknown', `reachability cannot be computed here: no probe into the lab`);
  let got: ReachOutcome;
  try {
    got = probe({ from, to: target.to, port: target.port, proto: target.proto, host: h.name });
  } catch (e) {
    return fail(expected, 'error', `probing ${code(from)} → ${code(label)} failed: ${(e as Error).message}`);
  }
  const passed = spec.expect === 'yes' ? got === 'open' : spec.expect === 'no' ? got !== 'open' : got === spec.expect;
  if (passed) return ok(expected, got);
  const how: Record<ReachOutcome, string> = {
    open: 'can reach',
    refused: 'reaches, but nothing listens on',
    timeout: 'gets no answer from',
    unreachable: 'cannot reach',
    unresolved: 'cannot resolve the name of',
  };
  const msg =
    spec.expect === 'no'
      ? `${code(from)} can reach ${code(label)}; it must not`
      : `${code(from)} ${how[got]} ${code(label)}${spec.expect === 'yes' ? '' : ` (expected: ${spec.expect})`}`;
  return fail(expected, got, msg);
}

function checkPublished(h: HostSnapshot, c: PublishedCheck, tol: Tolerance): Outcome {
  const spec = c.published;
  const name = code(spec.container);
  const ctr = findContainer(h, spec.container);
  if (!ctr) return fail(`container ${spec.container}`, 'no such container', `there is no container ${name}`);
  const port = spec.port.includes('/') ? spec.port : `${spec.port}/tcp`;
  const bindings = ctr.ports.filter((p) => p.containerPort === port);
  const show = (ps: typeof bindings): string =>
    ps.length ? ps.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}`).join(', ') : 'not published';
  if (!spec.present)
    return bindings.length
      ? fail(`${port} not published`, show(bindings), `${name} publishes ${port} (on ${show(bindings)}); it must not`)
      : ok(`${port} not published`);
  if (!bindings.length) {
    const others = ctr.ports.map((p) => `${p.containerPort}→${p.hostPort}`);
    return fail(
      `${port} published`,
      others.length ? `published: ${others.join(', ')}` : 'nothing published',
      `${name} does not publish ${port}`,
    );
  }
  const fits = bindings.filter(
    (b) =>
      (spec.hostPort === undefined ||
        b.hostPort === spec.hostPort ||
        (tol.ephemeralPorts === 'ignore' && isEphemeral(spec.hostPort) && isEphemeral(b.hostPort))) &&
      (spec.hostIp === undefined || (b.hostIp || '0.0.0.0') === spec.hostIp),
  );
  const want = `${spec.hostIp ?? '0.0.0.0'}:${spec.hostPort ?? '*'} → ${port}`;
  if (!fits.length)
    return fail(
      want,
      show(bindings),
      `${name} publishes ${port} on ${show(bindings)}, expected ${spec.hostIp ?? ''}${spec.hostIp ? ':' : 'host port '}${spec.hostPort ?? 'any'}`,
    );
  return ok(want, show(fits));
}

function checkForbid(c: ForbidCheck, log: LogEntry[]): Outcome {
  const spec = c.forbid;
  if (spec.command !== undefined) {
    const words = simpleCommands(spec.command)[0] ?? [];
    const hit = findCommand(log, words);
    if (hit) return fail(`no ${spec.command}`, hit, `you ran ${code(spec.command)} (in ${code(hit)}): solve it without it`);
  }
  if (spec.flag !== undefined) {
    const hit = findFlag(log, spec.flag);
    if (hit) return fail(`no ${spec.flag}`, hit, `you used ${code(spec.flag)} (in ${code(hit)}): solve it without it`);
  }
  if (spec.pattern !== undefined) {
    const re = new RegExp(spec.pattern);
    const hit = log.find((e) => re.test(e.command));
    if (hit) return fail(`no command matching /${spec.pattern}/`, hit.command, `${code(hit.command)} is not allowed in this exercise`);
  }
  return ok('not used', 'not used');
}

function checkRoute(h: HostSnapshot, c: RouteCheck, r: (s: string) => string, tol: Tolerance): Outcome {
  const want = normaliseLine(r(c.route.line), tol);
  const hit = h.routes.find((l) => {
    const n = normaliseLine(l, tol);
    return n === want || n.startsWith(want + ' ');
  });
  const actual = h.routes.join('\n');
  if (c.route.present && !hit) return fail(want, actual, `${h.name} has no route ${code(want)}`);
  if (!c.route.present && hit) return fail(`no route ${want}`, actual, `${h.name} still has the route ${code(hit)}`);
  return ok(want, actual);
}

function checkDaemon(h: HostSnapshot, c: DaemonCheck): Outcome {
  const v = h.daemon[c.daemon.option];
  const actual = v === undefined ? '(default)' : String(v);
  if (String(c.daemon.equals) !== actual)
    return fail(
      `${c.daemon.option}=${c.daemon.equals}`,
      `${c.daemon.option}=${actual}`,
      `dockerd on ${h.name} runs with ${c.daemon.option}=${actual}, expected ${c.daemon.equals}`,
    );
  return ok(`${c.daemon.option}=${actual}`);
}

function checkClean(h: HostSnapshot, c: CleanCheck): Outcome {
  if (c.clean.containers) {
    const extra = h.containers.filter((x) => !c.clean.containers!.includes(x.name));
    if (extra.length)
      return fail(
        `only ${c.clean.containers.join(', ') || 'no containers'}`,
        h.containers.map((x) => x.name).join(', '),
        `this exercise needs a clean state: remove ${extra.map((x) => code(x.name)).join(', ')}`,
      );
  }
  if (c.clean.networks) {
    const allowed = [...DEFAULT_NETWORKS, ...c.clean.networks];
    const extra = h.networks.filter((n) => !allowed.includes(n.name));
    if (extra.length)
      return fail(
        `networks ${allowed.join(', ')}`,
        h.networks.map((n) => n.name).join(', '),
        `this exercise needs a clean state: remove network ${extra.map((n) => code(n.name)).join(', ')}`,
      );
  }
  return ok('clean');
}

/** The container and network names an exercise mentions (setup and checks): what `cleanState` allows. */
export function namesOf(ex: Exercise): { containers: string[]; networks: string[] } {
  const containers = new Set<string>();
  const networks = new Set<string>();
  for (const line of ex.setup.commands)
    for (const argv of simpleCommands(splitHostPrompt(line).command)) {
      if (argv[0] !== 'docker') continue;
      const i = argv.findIndex((a) => a === '--name' || a.startsWith('--name='));
      if (i >= 0) containers.add(argv[i].includes('=') ? argv[i].slice(7) : argv[i + 1]);
      if (argv[1] === 'network' && argv[2] === 'create') networks.add(argv[argv.length - 1]);
    }
  for (const c of ex.checks) {
    if (c.kind === 'container') {
      if (c.container.exists) containers.add(c.container.name);
      c.container.networks?.forEach((n) => networks.add(n));
    } else if (c.kind === 'network' && c.network.exists) networks.add(c.network.name);
    else if (c.kind === 'address') {
      containers.add(c.address.container);
      if (c.address.network) networks.add(c.address.network);
    } else if (c.kind === 'file') containers.add(c.file.container);
    else if (c.kind === 'published' && c.published.present) containers.add(c.published.container);
  }
  return { containers: [...containers], networks: [...networks] };
}

/** The checks that run for an exercise: its own, then the clean-state check when it asks for one. */
export function effectiveChecks(ex: Exercise): Check[] {
  if (!ex.cleanState || ex.checks.some((c) => c.id === 'clean-state')) return ex.checks;
  const names = namesOf(ex);
  return [...ex.checks, { id: 'clean-state', kind: 'clean', points: 1, clean: names }];
}

export function runCheck(snapshot: Snapshot, ex: Exercise, check: Check, log: LogEntry[], probe?: Probe): CheckResult {
  const tol = mergeTolerance(ex.tolerance, check.tolerance);
  const h = hostOf(snapshot, check);
  const base = { id: check.id, kind: check.kind, maxPoints: check.points };
  let out: Outcome;
  if (!h) out = fail(`host ${check.host}`, 'no such host', `there is no host ${code(check.host ?? '')}`);
  else {
    const r = (s: string): string => renderTemplate(s, h);
    try {
      switch (check.kind) {
        case 'network':
          out = checkNetwork(h, check, r);
          break;
        case 'container':
          out = checkContainer(h, check, r, tol);
          break;
        case 'address':
          out = checkAddress(h, check, r);
          break;
        case 'file':
          out = checkFile(h, check, r, tol);
          break;
        case 'rule':
          out = checkRule(h, check, r, tol);
          break;
        case 'reach':
          out = checkReach(h, check, r, probe);
          break;
        case 'published':
          out = checkPublished(h, check, tol);
          break;
        case 'forbid':
          out = checkForbid(check, log);
          break;
        case 'route':
          out = checkRoute(h, check, r, tol);
          break;
        case 'daemon':
          out = checkDaemon(h, check);
          break;
        case 'clean':
          out = checkClean(h, check);
          break;
      }
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      out = fail('(depends on the lab state)', 'cannot be evaluated', e.message);
    }
  }
  if (!out.passed && check.message) out = { ...out, message: check.message };
  return {
    ...base,
    passed: out.passed,
    points: out.passed ? check.points : 0,
    expected: out.expected,
    actual: out.actual,
    message: out.message,
  };
}

/**
 * Grades a lab state against an exercise. `log` is what the learner ran (for `forbid` checks);
 * `probe` computes reachability in the live lab for `reach` checks.
 */
export function grade(snapshot: Snapshot, ex: Exercise, log: LogEntry[] = [], probe?: Probe): GradeResult {
  let checks = effectiveChecks(ex).map((c) => runCheck(snapshot, ex, c, log, probe));
  // "Solve it without X" constrains a solution: an attempt that solves nothing earns no points
  // for having not used X (an empty log would otherwise score them).
  const solvedRest = checks.every((c) => c.passed || c.kind === 'forbid');
  if (!solvedRest) checks = checks.map((c) => (c.kind === 'forbid' && c.passed ? { ...c, points: 0 } : c));
  const score = checks.reduce((s, c) => s + c.points, 0);
  const maxScore = checks.reduce((s, c) => s + c.maxPoints, 0);
  return { exerciseId: ex.id, status: checks.every((c) => c.passed) ? 'passed' : 'failed', score, maxScore, checks };
}
