/**
 * A spf13/pflag-compatible command-line parser (the version vendored in docker/cli v20.10),
 * with its error texts:
 * `unknown flag: --foo`, `unknown shorthand flag: 'x' in -x`, `flag needs an argument: --name`,
 * `flag needs an argument: 'p' in -p`, `invalid argument "x" for "-c, --cpu-shares" flag: …`,
 * `bad flag syntax: ---x`. Cobra/docker wrap them (`See 'docker run --help'.`, exit 125);
 * that wrapping and the argument-count checks of docker/cli cli/required.go are here too.
 *
 * Non-interspersed parsing (`docker run IMAGE -x` passes `-x` to the container) is
 * `interspersed: false`, as run/create/exec set with flags.SetInterspersed(false).
 */

export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'duration' | 'list';

export interface FlagDef {
  name: string;
  short?: string;
  kind: FlagKind;
  usage: string;
  /** The type word pflag prints in usage: `list`, `string`, `int`, `bytes`, `duration`… */
  typeName?: string;
  /** Default value as pflag prints it in `(default …)`; omitted when zero. */
  defValue?: string;
  hidden?: boolean;
  /** A Value.Set validator: returns an error text for an invalid argument, or null. */
  validate?: (v: string) => string | null;
}

export interface ArgsRule {
  min?: number;
  max?: number;
  exact?: number;
  none?: boolean;
}

export interface CommandDef {
  /** `docker network connect`. */
  path: string;
  /** The cobra Use line after the command name: `[OPTIONS] NETWORK CONTAINER`. */
  use: string;
  short: string;
  aliases?: string[];
  flags: FlagDef[];
  interspersed?: boolean;
  args?: ArgsRule;
  /** For `--help` of a command with subcommands. */
  subcommands?: { name: string; short: string }[];
  examples?: string;
}

export class FlagError extends Error {}

export type FlagValue = boolean | string | number | string[];

export class ParsedFlags {
  readonly values = new Map<string, FlagValue>();
  readonly changed = new Set<string>();
  readonly args: string[] = [];
  help = false;
  /** `-h` was used for help: docker marks that shorthand deprecated (cli/cobra.go). */
  helpShorthand = false;

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }
  str(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : '';
  }
  num(name: string, def = 0): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : def;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
  has(name: string): boolean {
    return this.changed.has(name);
  }
}

/** strconv.ParseBool. */
function parseBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
}

/** time.ParseDuration for the forms people type (`10s`, `1m30s`, `500ms`). */
export function parseGoDuration(s: string): number | null {
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let sign = 1;
  let i = 0;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) return null;
  let total = 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  re.lastIndex = i;
  while (re.lastIndex < s.length) {
    const m = re.exec(s);
    if (!m) return null;
    total += Number(m[1]) * unit[m[2]];
  }
  return sign * total;
}

function flagDisplayName(f: FlagDef): string {
  return f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
}

function setValue(out: ParsedFlags, f: FlagDef, value: string): void {
  const bad = (why: string): never => {
    throw new FlagError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(flagDisplayName(f))} flag: ${why}`);
  };
  switch (f.kind) {
    case 'bool': {
      const b = parseBool(value);
      if (b === null) bad(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
      out.values.set(f.name, b!);
      break;
    }
    case 'string':
      if (f.validate) {
        const e = f.validate(value);
        if (e) bad(e);
      }
      out.values.set(f.name, value);
      break;
    case 'int':
    case 'uint': {
      const ok = f.kind === 'int' ? /^[+-]?\d+$/.test(value) : /^\d+$/.test(value);
      if (!ok) bad(`strconv.Parse${f.kind === 'int' ? 'Int' : 'Uint'}: parsing ${JSON.stringify(value)}: invalid syntax`);
      out.values.set(f.name, Number(value));
      break;
    }
    case 'duration': {
      const d = parseGoDuration(value);
      if (d === null) bad(`time: invalid duration ${JSON.stringify(value)}`);
      out.values.set(f.name, d!);
      break;
    }
    case 'list': {
      if (f.validate) {
        const e = f.validate(value);
        if (e) bad(e);
      }
      const cur = out.values.get(f.name);
      out.values.set(f.name, [...(Array.isArray(cur) ? cur : []), value]);
      break;
    }
  }
  out.changed.add(f.name);
}

/**
 * pflag FlagSet.Parse. `--help` (and `-h` where the command does not define `-h`) sets
 * `help`. Flags that share a target in docker (`--net`/`--network`) are merged by the caller.
 */
export function parseFlags(def: CommandDef, argv: string[]): ParsedFlags {
  const out = new ParsedFlags();
  const byName = new Map(def.flags.map((f) => [f.name, f]));
  const byShort = new Map(def.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const interspersed = def.interspersed ?? true;
  let i = 0;
  while (i < argv.length) {
    const s = argv[i++];
    if (s.length === 0 || s[0] !== '-' || s.length === 1) {
      if (!interspersed) {
        out.args.push(s, ...argv.slice(i));
        return out;
      }
      out.args.push(s);
      continue;
    }
    if (s[1] === '-') {
      if (s.length === 2) {
        // "--" terminates the flags
        out.args.push(...argv.slice(i));
        return out;
      }
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') throw new FlagError(`bad flag syntax: ${s}`);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const f = byName.get(name);
      if (!f) {
        if (name === 'help') {
          out.help = true;
          continue;
        }
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq >= 0) setValue(out, f, body.slice(eq + 1));
      else if (f.kind === 'bool') setValue(out, f, 'true');
      else if (i < argv.length) setValue(out, f, argv[i++]);
      else throw new FlagError(`flag needs an argument: ${s}`);
      continue;
    }
    // shorthands: -abc, -p8080:80, -p 8080:80, -d=true
    let shorthands = s.slice(1);
    while (shorthands.length > 0) {
      const c = shorthands[0];
      const f = byShort.get(c);
      if (!f) {
        if (c === 'h') {
          out.help = true;
          out.helpShorthand = true;
          shorthands = shorthands.slice(1);
          continue;
        }
        throw new FlagError(`unknown shorthand flag: '${c}' in -${shorthands}`);
      }
      if (shorthands.length > 2 && shorthands[1] === '=') {
        setValue(out, f, shorthands.slice(2));
        shorthands = '';
      } else if (f.kind === 'bool') {
        setValue(out, f, 'true');
        shorthands = shorthands.slice(1);
      } else if (shorthands.length > 1) {
        setValue(out, f, shorthands.slice(1));
        shorthands = '';
      } else if (i < argv.length) {
        setValue(out, f, argv[i++]);
        shorthands = '';
      } else {
        throw new FlagError(`flag needs an argument: '${c}' in -${shorthands}`);
      }
    }
  }
  return out;
}

/** The cobra UseLine: `docker run [OPTIONS] IMAGE [COMMAND] [ARG...]`. */
export function useLine(def: CommandDef): string {
  return `${def.path} ${def.use}`.trimEnd();
}

/**
 * docker/cli cli/required.go checks. Returns the error text (docker prints it and exits 1),
 * or null.
 */
export function checkArgs(def: CommandDef, args: string[]): string | null {
  const r = def.args;
  if (!r) return null;
  const tail = `See '${def.path} --help'.\n\nUsage:  ${useLine(def)}\n\n${def.short}`;
  const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');
  if (r.none && args.length > 0) {
    if (def.subcommands) return '\n' + usageString(def).replace(/\n+$/, '');
    return `"${def.path}" accepts no arguments.\n${tail}`;
  }
  if (r.exact !== undefined && args.length !== r.exact) {
    return `"${def.path}" requires exactly ${r.exact} ${plural(r.exact)}.\n${tail}`;
  }
  if (r.min !== undefined && r.max !== undefined && r.min !== r.max && (args.length < r.min || args.length > r.max)) {
    return `"${def.path}" requires at least ${r.min} and at most ${r.max} ${plural(r.max)}.\n${tail}`;
  }
  if (r.min !== undefined && r.max === undefined && args.length < r.min) {
    return `"${def.path}" requires at least ${r.min} ${plural(r.min)}.\n${tail}`;
  }
  if (r.max !== undefined && r.min === undefined && args.length > r.max) {
    return `"${def.path}" requires at most ${r.max} ${plural(r.max)}.\n${tail}`;
  }
  return null;
}

/** FlagErrorFunc of cli/cobra.go: the text docker prints (exit 125). */
export function flagErrorText(def: CommandDef, err: FlagError): string {
  const usage = def.subcommands ? '\n\n' + usageString(def) : '';
  return `${err.message}\nSee '${def.path} --help'.${usage}`;
}

/** pflag wrapN: splits at the last blank before i (+slop tolerance). */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag wrap(i, w, s): the usage column wrapped to width w, continuation lines indented by i. */
function wrap(i: number, w: number, s: string): string {
  if (w === 0) return s.replace(/\n/g, '\n' + ' '.repeat(i));
  let width = w - i;
  if (width < 24) {
    i = 16;
    width = w - i;
  }
  if (width < 24) return s.replace(/\n/g, '\n' + ' '.repeat(i));
  const slop = 5;
  width -= slop;
  const first = wrapN(width, slop, s);
  let rest = first[1];
  let r = first[0].replace(/\n/g, '\n' + ' '.repeat(i));
  while (rest !== '') {
    let t: string;
    [t, rest] = wrapN(width, slop, rest);
    r += '\n' + ' '.repeat(i) + t.replace(/\n/g, '\n' + ' '.repeat(i));
  }
  return r;
}

/** pflag FlagUsagesWrapped(cols): `  -d, --detach     Run container in background…` (docker passes 79). */
export function flagUsages(flags: FlagDef[], cols = 79): string {
  const visible = flags.filter((f) => !f.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: string[] = [];
  let maxlen = 0;
  for (const f of visible) {
    let line = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const varname = f.kind === 'bool' ? '' : (f.typeName ?? f.kind);
    if (varname) line += ' ' + varname;
    line += '\x00';
    if (line.length > maxlen) maxlen = line.length;
    line += f.usage;
    if (f.defValue !== undefined && f.defValue !== '' && f.defValue !== 'false' && f.defValue !== '0' && f.defValue !== '[]') {
      line += f.kind === 'string' ? ` (default ${JSON.stringify(f.defValue)})` : ` (default ${f.defValue})`;
    }
    lines.push(line);
  }
  let out = '';
  for (const line of lines) {
    const sidx = line.indexOf('\x00');
    out += line.slice(0, sidx) + ' ' + ' '.repeat(maxlen - sidx) + ' ' + wrap(maxlen + 2, cols, line.slice(sidx + 1)) + '\n';
  }
  return out;
}

/**
 * docker/cli's usage template (cli/cobra.go usageTemplate) as cmd.UsageString() renders it.
 * `--help` prints a newline and then this.
 */
export function usageString(def: CommandDef): string {
  const flags = def.flags.filter((f) => !f.hidden);
  let s = def.subcommands ? `Usage:  ${def.path}${flags.length ? ' [OPTIONS]' : ''} COMMAND\n` : `Usage:  ${useLine(def)}\n`;
  s += `\n${def.short.trim()}`;
  if (def.aliases?.length) s += `\n\nAliases:\n  ${[def.path.split(' ').pop(), ...def.aliases].join(', ')}`;
  if (def.examples) s += `\n\nExamples:\n${def.examples}`;
  if (flags.length) s += `\n\nOptions:\n${flagUsages(def.flags).trimEnd()}`;
  if (def.subcommands) {
    const pad = Math.max(11, ...def.subcommands.map((c) => c.name.length));
    s += '\n\nCommands:';
    for (const c of def.subcommands) s += `\n  ${c.name.padEnd(pad)} ${c.short}`;
    s += `\n\nRun '${def.path} COMMAND --help' for more information on a command.`;
  }
  return s + '\n';
}
