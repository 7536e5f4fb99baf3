/**
 * What the `docker` CLI needs from the daemon: the Docker Engine API (v1.41) operations the
 * real CLI calls, in the CLI's own terms. The real CLI talks to dockerd over a socket; here the
 * engine (src/sim/docker) is reached through the command's target.
 *
 * NEEDED FROM THE ENGINE (for the lead / engine helper): the host Target exposes
 * `docker: DockerBackend` (or an engine that `adaptEngine` in ./adapter.ts wraps). Daemon errors
 * are thrown as DockerError (src/sim/docker/errors.ts) with the daemon's message; `phase`
 * 'start' marks errors that happen at start (no `See 'docker run --help'.`).
 * Inspect objects are plain JSON-like objects with keys in the order the daemon marshals them
 * (struct field order, map keys sorted), so `docker inspect` can print them as they are.
 */
import type { ApiPort } from '../../../docker/format/ports.ts';

/** POST /containers/create body (container.Config + HostConfig + NetworkingConfig), as the CLI fills it. */
export interface CreateRequest {
  name: string;
  image: string;
  /** Config */
  hostname: string;
  domainname: string;
  user: string;
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  workingDir: string;
  exposedPorts: string[];
  labels: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  stdinOnce: boolean;
  macAddress: string;
  /** HostConfig */
  networkMode: string;
  portBindings: Map<string, { HostIp: string; HostPort: string }[]>;
  publishAllPorts: boolean;
  links: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
  restartPolicy: { Name: string; MaximumRetryCount: number };
  autoRemove: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /** NetworkingConfig.EndpointsConfig for the network of --network (aliases, --ip, links). */
  endpoint: { aliases: string[]; ipv4: string; ipv6: string; linkLocalIPs: string[] } | null;
}

/** GET /containers/json entries (types.Container). */
export interface ContainerSummary {
  Id: string;
  /** With the leading `/`; links add `/parent/alias` names. */
  Names: string[];
  Image: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: ApiPort[];
  Labels: Record<string, string>;
  /** `running`, `exited`, `created`… */
  State: string;
  /** `Up 5 seconds`, `Exited (0) 2 seconds ago`… */
  Status: string;
  /** Network names the container is attached to. */
  Networks: string[];
  Mounts: string[];
}

/** GET /images/json entries (types.ImageSummary). */
export interface ImageSummary {
  /** `sha256:…` */
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** Unix seconds. */
  Created: number;
  Size: number;
  ParentId: string;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  text: string;
  /** ms on the lab clock */
  time: number;
}

/** One step of `docker pull` progress as the daemon streams it (jsonmessage). */
export interface PullMessage {
  id?: string;
  status: string;
  progress?: string;
}

/** An exec instance: a process started inside a running container. */
export interface ExecSpec {
  container: string;
  argv: string[];
  env: string[];
  user: string;
  workdir: string;
  tty: boolean;
  interactive: boolean;
  privileged: boolean;
  detach: boolean;
}

/** What the CLI needs to run a program inside a container (exec, the attached main process). */
export interface ContainerPlace {
  id: string;
  name: string;
  /** The container's own Target-like parts, built by the engine. */
  runtime: unknown;
}

export interface NetworkCreateRequest {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  ipam: { driver: string; config: { Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Record<string, string> }[]; options: Record<string, string> };
  internal: boolean;
  attachable: boolean;
  ingress: boolean;
  enableIPv6: boolean;
  checkDuplicate: boolean;
  scope: string;
  configOnly: boolean;
  configFrom: string;
}

export interface BuildStep {
  /** The instruction as written (`RUN echo hi`). */
  text: string;
  instruction: string;
  args: string;
}

export interface DockerBackend {
  /** The lab clock (ms), for CREATED columns. */
  now(): number;
  // -- system
  version(): Record<string, unknown>;
  info(): Record<string, unknown>;
  // -- containers
  containerCreate(req: CreateRequest): { id: string; warnings: string[] };
  containerStart(idOrName: string): void;
  containerStop(idOrName: string, timeoutSec?: number): void;
  containerRestart(idOrName: string, timeoutSec?: number): void;
  containerKill(idOrName: string, signal: string): void;
  containerRemove(idOrName: string, opts: { force: boolean; volumes: boolean; link: boolean }): void;
  containerList(opts: { all: boolean }): ContainerSummary[];
  /** The raw inspect object (types.ContainerJSON), or throws a notfound DockerError (`No such container: x`). */
  containerInspect(idOrName: string): Record<string, unknown>;
  containerLogs(idOrName: string): LogEntry[];
  /** ps-style listing of the container's processes: titles and rows (`docker top`). */
  containerTop(idOrName: string, psArgs: string): { titles: string[]; processes: string[][] };
  /** Whether the container's main process still runs, and its exit code when not. */
  containerState(idOrName: string): { running: boolean; exitCode: number; removed: boolean };
  /** Runs `spec` in the container: returns the Program the shell should run and the target to run it on. */
  // -- networks
  networkList(): Record<string, unknown>[];
  networkInspect(idOrName: string): Record<string, unknown>;
  networkCreate(req: NetworkCreateRequest): { id: string; warning: string };
  networkRemove(idOrName: string): void;
  networkConnect(net: string, container: string, cfg: { aliases: string[]; ipv4: string; ipv6: string; links: string[]; linkLocalIPs: string[]; driverOpts: Record<string, string> }): void;
  networkDisconnect(net: string, container: string, force: boolean): void;
  networksPrune(): string[];
  // -- images
  imageList(opts: { all: boolean }): ImageSummary[];
  imageInspect(ref: string): Record<string, unknown>;
  imageHistory(ref: string): { Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null }[];
  /** Pulls from the catalog; returns the progress messages in order; throws for unknown repositories. */
  imagePull(ref: string): PullMessage[];
  imageImport(source: string, ref: string, changes: string[], message: string): string;
  imageTag(source: string, target: string): void;
  imageRemove(ref: string, force: boolean): { Untagged?: string; Deleted?: string }[];
}
