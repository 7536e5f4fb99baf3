/**
 * Shared pieces of the docker CLI: the error conventions of docker/cli (cmd/docker/docker.go
 * main, cli/command/container/run.go reportError, the API client's wrapResponseError), flag
 * parsing with cobra's wrapping, and table/format output through the formatter package.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { DockerError } from '../../../docker/errors.ts';
import {
  checkArgs,
  flagErrorText,
  FlagError,
  parseFlags,
  usageString,
  type CommandDef,
  type ParsedFlags,
} from '../../../docker/format/flags.ts';
import { parse as parseTemplate, headerFuncs, TemplateError, type Template } from '../../../docker/format/gotemplate.ts';
import { tabwrite } from '../../../docker/format/tabwriter.ts';
import { DockerApi } from '../../../docker/api.ts';
import type { DockerEngine } from '../../../docker/engine.ts';

/** A CLI failure: the text main() prints to stderr and the exit status (cli.StatusError). */
export class CliExit extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

/** `Error response from daemon: …` as the API client formats daemon errors. */
export function daemonMessage(e: unknown): string {
  if (e instanceof DockerError) return `Error response from daemon: ${e.message.trim()}`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * wrapResponseError of the API client: a 404 on inspect/remove paths becomes
 * `Error: No such <object>: <id as typed>`; other errors keep the daemon prefix.
 */
export function wrapNotFound(e: unknown, object: string, id: string): string {
  if (e instanceof DockerError && e.kind === 'notfound') return `Error: No such ${object}: ${id}`;
  return daemonMessage(e);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof DockerError && e.kind === 'notfound';
}

/** Runs the backend call; on failure throws CliExit(1) with the daemon message. */
export function call<T>(f: () => T, wrap?: { object: string; id: string }): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CliExit) throw e;
    if (!(e instanceof DockerError)) throw e;
    throw new CliExit(1, wrap ? wrapNotFound(e, wrap.object, wrap.id) : daemonMessage(e));
  }
}

/**
 * Parses a subcommand's flags the way cobra does for docker: flag errors print
 * `<err>\nSee 'docker x --help'.` (exit 125), `--help` prints the usage (exit 0), and the
 * argument-count check prints cli/required.go's text (exit 1).
 */
export function parseCommand(ctx: CommandContext, def: CommandDef, argv: string[]): ParsedFlags | number {
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(def, argv);
  } catch (e) {
    if (e instanceof FlagError) {
      ctx.stderr.write(flagErrorText(def, e) + '\n');
      return 125;
    }
    throw e;
  }
  if (parsed.help) {
    // pflag prints the deprecation of the persistent `-h` on the flag set's output (stderr).
    if (parsed.helpShorthand) ctx.stderr.write('Flag shorthand -h has been deprecated, please use --help\n');
    ctx.stdout.write('\n' + usageString(def));
    return 0;
  }
  const err = checkArgs(def, parsed.args);
  if (err !== null) {
    ctx.stderr.write(err + '\n');
    return 1;
  }
  return parsed;
}

const apis = new WeakMap<DockerEngine, DockerApi>();

/** The Engine API of the host this command runs on (Target.engine), or null where there is no engine. */
export function apiOf(ctx: CommandContext): DockerApi | null {
  const engine = (ctx.target as { engine?: DockerEngine | null }).engine;
  if (!engine) return null;
  let api = apis.get(engine);
  if (!api) {
    api = new DockerApi(engine);
    apis.set(engine, api);
  }
  return api;
}

/** The client's error when the daemon socket does not answer. */
export const NO_DAEMON = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

/**
 * A formatter.Context (cli/command/formatter/formatter.go): `table` prefix, `\t`/`\n` escapes,
 * header row from the header map executed with HeaderFunctions, tabwriter output.
 * Returns the text to print.
 */
export function formatRows(format: string, header: Record<string, string>, rows: object[]): string {
  const isTable = format.startsWith('table');
  let f = isTable ? format.slice('table'.length) : format;
  f = f.replace(/^ +| +$/g, '');
  f = f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  let tmpl: Template;
  try {
    tmpl = parseTemplate(f);
  } catch (e) {
    if (e instanceof TemplateError) throw new CliExit(1, `template parsing error: ${e.message}`);
    throw e;
  }
  let body = '';
  for (const r of rows) {
    try {
      body += tmpl.execute(r) + '\n';
    } catch (e) {
      if (e instanceof TemplateError) throw new CliExit(1, `template parsing error: ${e.message}`);
      throw e;
    }
  }
  if (!isTable) return body;
  let head: string;
  try {
    head = tmpl.execute(header, { funcs: headerFuncs });
  } catch {
    head = '';
  }
  return tabwrite(head + '\n' + body);
}

/** The Go `time.Time` zero value as inspect prints it. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Writes a CliExit to stderr and returns its status. */
export function report(ctx: CommandContext, e: unknown): number {
  if (e instanceof CliExit) {
    if (e.text) ctx.stderr.write(e.text.endsWith('\n') ? e.text : e.text + '\n');
    return e.status;
  }
  throw e;
}

/**
 * command.PromptForConfirmation: `<message> [y/N] ` on stdout, one line read; only `y`/`Y`
 * (exactly) confirms.
 */
export function* confirm(ctx: CommandContext, message: string): Generator<Effect, boolean, Resume | undefined> {
  ctx.stdout.write(`${message} [y/N] `);
  let line = ctx.stdin.takeLine();
  while (line === null && !ctx.stdin.eof) {
    const r = yield { kind: 'input' };
    if (r?.interrupted) return false;
    line = ctx.stdin.takeLine();
  }
  return (line ?? '').replace(/\r?\n$/, '').toLowerCase() === 'y';
}
