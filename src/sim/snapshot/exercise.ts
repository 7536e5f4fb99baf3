/**
 * An exercise, as data. Files in `exercises/` are validated against the zod schema in
 * src/exercise/schema.ts, which is checked to produce exactly these types; the grader
 * (grader.ts) reads only these.
 *
 * Strings in checks may hold templates evaluated against the learner's own snapshot
 * (template.ts): `{{ip db}}`, `{{ip web front}}`, `{{shortId db}}`, `{{id db}}`, `{{mac db}}`,
 * `{{gateway front}}`, `{{subnet front}}`, `{{bridge front}}`, `{{hostPort web 80/tcp}}`, so
 * a right answer passes whatever the seed made the ids and addresses.
 */

/** What may differ between the expected and the actual state without failing a check. */
export interface Tolerance {
  /** Container and network ids (12 or 64 hex) are compared only when `compare`. Default `ignore`. */
  ids: 'ignore' | 'compare';
  /** MAC addresses are compared only when `compare`. Default `ignore`. */
  macs: 'ignore' | 'compare';
  /** Host-side veth names (`veth` + 7 hex) are compared only when `compare`. Default `ignore`. */
  vethNames: 'ignore' | 'compare';
  /** Host ports chosen by Docker (ip_local_port_range, 32768–60999) are compared only when `compare`. Default `ignore`. */
  ephemeralPorts: 'ignore' | 'compare';
}

export const DEFAULT_TOLERANCE: Tolerance = { ids: 'ignore', macs: 'ignore', vethNames: 'ignore', ephemeralPorts: 'ignore' };

export interface ExerciseSetup {
  /** How many Docker hosts the lab has (docker-node1, docker-node2). */
  hosts: number;
  /** dockerd options each host starts with (`--icc=false`), by host order; '' for the defaults. */
  daemons: string[];
  /** Commands run before the learner starts; `node2$ CMD` runs on another host (as in transcripts). */
  commands: string[];
  /** Hidden setup is not shown to the learner (the task describes its result instead). */
  hidden: boolean;
}

interface CheckBase {
  id: string;
  points: number;
  /** The message shown when the check fails (overrides the generated one). */
  message?: string;
  /** The host the check looks at (the first host when omitted). */
  host?: string;
  tolerance?: Partial<Tolerance>;
  /** A hint aimed at this check, shown when it is the first to fail. */
  hint?: string;
}

export interface NetworkCheck extends CheckBase {
  kind: 'network';
  network: {
    name: string;
    exists: boolean;
    driver?: string;
    subnet?: string;
    /** The subnet must lie inside this CIDR (`172.16.0.0/12`). */
    subnetWithin?: string;
    gateway?: string;
    ipRange?: string;
    internal?: boolean;
    options?: Record<string, string>;
  };
}

export interface ContainerCheck extends CheckBase {
  kind: 'container';
  container: {
    name: string;
    exists: boolean;
    state?: string;
    image?: string;
    /** HostConfig.NetworkMode (`host`, `none`, `container:db`, `bridge`/`default`, a network name). */
    networkMode?: string;
    /** Networks the container must be on. */
    networks?: string[];
    /** Networks it must not be on. */
    notNetworks?: string[];
    /** When true, `networks` is the exact set. */
    onlyNetworks?: boolean;
    hostname?: string;
    /** Legacy links it must have (`db:database`). */
    links?: string[];
    /** Environment lines it must have (`DB_PORT_3306_TCP_ADDR={{ip db}}`), or keys with `KEY=*`. */
    env?: string[];
    /** Environment keys it must not have. */
    envLacks?: string[];
    dns?: string[];
  };
}

export interface AddressCheck extends CheckBase {
  kind: 'address';
  address: {
    container: string;
    /** The network of the endpoint (the only one when omitted). */
    network?: string;
    /** A specific address (`172.18.0.10`, or a template). */
    ip?: string;
    /** The address must lie in this CIDR. */
    inSubnet?: string;
    /** Aliases it must answer to on that network. */
    aliases?: string[];
    mac?: string;
  };
}

export interface FileCheck extends CheckBase {
  kind: 'file';
  file: {
    container: string;
    path: '/etc/hosts' | '/etc/resolv.conf';
    /** Lines that must be present (compared after templates and tolerance; runs of blanks in a line match any run of blanks). */
    hasLines?: string[];
    /** Lines that must be absent. */
    lacksLines?: string[];
    /** A regular expression no line may match (for lines whose exact form does not matter: `\bdb\b`). */
    noLineMatches?: string;
    /** A regular expression some line must match. */
    someLineMatches?: string;
    /** The whole file (after templates and tolerance). */
    equals?: string;
  };
}

export interface RuleCheck extends CheckBase {
  kind: 'rule';
  rule: {
    table: 'nat' | 'filter';
    /** Rules in `iptables -S` form (`-A DOCKER -i docker0 -j RETURN`). */
    rules: string[];
    present: boolean;
    /** When true, the rules must also appear in this relative order (ignored when `present` is false). */
    ordered: boolean;
  };
}

export interface ReachCheck extends CheckBase {
  kind: 'reach';
  reach: {
    from: string;
    /** `NAME:PORT/PROTO`, `NAME:PORT` (tcp), or `NAME` (icmp). */
    to: string;
    /** `yes` = open; `no` = anything else; or one precise outcome. */
    expect: 'yes' | 'no' | 'open' | 'refused' | 'timeout' | 'unreachable' | 'unresolved';
  };
}

export interface PublishedCheck extends CheckBase {
  kind: 'published';
  published: {
    container: string;
    /** `80/tcp` or `80` (tcp). */
    port: string;
    /** A host port; omitted means any port (an ephemeral one when -P or `-p 80` was used). */
    hostPort?: number;
    hostIp?: string;
    /** When false: the port must not be published. */
    present: boolean;
  };
}

export interface ForbidCheck extends CheckBase {
  kind: 'forbid';
  forbid: {
    /** A command whose words must not appear, in order, at the start of any simple command the learner ran (`docker network create`). */
    command?: string;
    /** A flag that no `docker` command the learner ran may use (`--link`, `-p`); `--flag=value` forms count. */
    flag?: string;
    /** A regular expression no logged line may match. */
    pattern?: string;
  };
}

export interface RouteCheck extends CheckBase {
  kind: 'route';
  route: {
    /** A route as `ip route` prints it, or a prefix of such a line (`10.0.1.0/24 via 192.168.100.201`). */
    line: string;
    present: boolean;
  };
}

export interface DaemonCheck extends CheckBase {
  kind: 'daemon';
  daemon: { option: string; equals: string | number | boolean };
}

export interface CleanCheck extends CheckBase {
  kind: 'clean';
  clean: {
    /** Only these containers may exist. */
    containers?: string[];
    /** Only these networks may exist besides bridge, host and none. */
    networks?: string[];
  };
}

export type Check =
  | NetworkCheck
  | ContainerCheck
  | AddressCheck
  | FileCheck
  | RuleCheck
  | ReachCheck
  | PublishedCheck
  | ForbidCheck
  | RouteCheck
  | DaemonCheck
  | CleanCheck;

/** `node2$ ip route` → {host: 'node2', command: 'ip route'}; a command with no prompt runs on the first host. */
export function splitHostPrompt(line: string): { host: string | null; command: string } {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)\$ ([\s\S]*)$/.exec(line);
  return m ? { host: m[1], command: m[2] } : { host: null, command: line };
}

export interface WrongSolution {
  /** Why this attempt is wrong (for authors and tests). */
  why?: string;
  commands: string[];
  /** The id of the first check that must fail for it. */
  fails: string;
}

export interface Exercise {
  id: string;
  chapter: string;
  title: string;
  difficulty: 'easy' | 'medium' | 'hard';
  /** The task, in Markdown. */
  task: string;
  setup: ExerciseSetup;
  tolerance: Tolerance;
  /** When true, containers and networks that no check names make the attempt fail (`clean-state` check). */
  cleanState: boolean;
  /** In the order a learner should fix them: the first failure shown is the one to fix. */
  checks: Check[];
  hints: string[];
  solution: string[];
  wrong: WrongSolution[];
}
