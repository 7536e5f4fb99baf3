/**
 * Errors as the Docker daemon reports them. The message is the daemon's own text; the CLI
 * prints it as `Error response from daemon: <message>` (or `docker: <message>.` for run).
 * `kind` is the errdefs class (daemon/errors.go, api/errdefs) the CLI uses for exit codes.
 */
export type DockerErrorKind = 'notfound' | 'conflict' | 'invalid' | 'forbidden' | 'system' | 'unavailable';

export class DockerError extends Error {
  constructor(
    readonly kind: DockerErrorKind,
    message: string,
    /** Where the error arose: `create` errors get `See 'docker run --help'.` from the CLI, `start` ones do not. */
    readonly phase: 'create' | 'start' | 'other' = 'other',
  ) {
    super(message);
  }
}

export const notFound = (msg: string): DockerError => new DockerError('notfound', msg);
export const conflict = (msg: string): DockerError => new DockerError('conflict', msg);
export const invalid = (msg: string): DockerError => new DockerError('invalid', msg);
export const forbidden = (msg: string): DockerError => new DockerError('forbidden', msg);
export const system = (msg: string): DockerError => new DockerError('system', msg);
