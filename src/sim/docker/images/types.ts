/** An image as the engine keeps it: the parts of its config that matter to containers and to the CLI. */
export type Userland = 'gnu' | 'busybox';

export interface ImageData {
  repo: string;
  tag: string;
  /** The image id without `sha256:` (64 hex). */
  id: string;
  /** RFC 3339 creation time. */
  created: string;
  /** Bytes (`docker images` SIZE). */
  size: number;
  /** `80/tcp`, … (Config.ExposedPorts). */
  exposed: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  env: string[] | null;
  workdir: string;
  /** Which tool family prints inside (busybox applets or GNU/iproute2/iputils). */
  userland: Userland;
  /** Program names installed in the image (what `which` finds; anything else is `command not found`). */
  tools: string[];
  /**
   * The one directory every program is installed in, when the image does not use the userland's
   * usual paths: the busybox image links all applets into /bin (`busybox --install /bin`).
   */
  programDir?: string;
  /** The interactive shell's prompt, with `\h` for the hostname and `\w` for the directory. */
  prompt: string;
  /** The shell `docker exec -it X sh|bash` finds, and the one for `docker run -it IMAGE` with no command. */
  shells: string[];
  /** Files of the root file system beyond the common skeleton (path → content). */
  files?: Record<string, string>;
  /** `docker history` comment, e.g. `Imported from -`. */
  comment?: string;
  /** Image ids this one was built from (`docker build`): for `docker images` and history. */
  parent?: string;
  /** Labels (Config.Labels), null when none. */
  labels?: Record<string, string> | null;
}
