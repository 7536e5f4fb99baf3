/**
 * iptables-restore (iptables/iptables-restore.c, 1.8.9): reads `*table`, `:CHAIN POLICY
 * [p:b]`, rule lines and `COMMIT`, applying each table atomically at its COMMIT. A failing
 * line stops the program; tables committed before it stay, the current one is dropped.
 */
import type { TableName } from './api.ts';
import { doCommand, deleteChain, flushOne, type CommandIo } from './command.ts';
import { getoptLong } from './getopt.ts';
import { parseCommand } from './parse.ts';
import { IptcError, iptcStrerror, type Table } from './table.ts';
import { formatXtError, PARAMETER_PROBLEM, OTHER_PROBLEM, PROGRAM_VERSION, XtError, type NameResolver } from './xtutil.ts';

export interface RestoreHost {
  /** iptc_init: a copy of the live table (instantiating it), or null for an unknown name. */
  openTable(name: string): Table | null;
  /** Replaces the live table with the committed copy; throws IptcError when the kernel refuses it. */
  commitTable(t: Table): void;
  resolver?: NameResolver;
}

export interface ProgramResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** add_param_to_argv (xshared.c): splits a rule line, honouring double quotes and backslashes in them. */
export function splitRuleLine(line: string): string[] {
  const out: string[] = [];
  let param = '';
  let quoteOpen = false;
  let escaped = false;
  for (const ch of line) {
    if (quoteOpen) {
      if (escaped) {
        param += ch;
        escaped = false;
        continue;
      } else if (ch === '\\') {
        escaped = true;
        continue;
      } else if (ch === '"') {
        // The closing quote ends the parameter, even an empty one.
        quoteOpen = false;
        out.push(param);
        param = '';
        continue;
      }
      param += ch;
      continue;
    }
    if (ch === '"') {
      quoteOpen = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (!param.length) continue;
      out.push(param);
      param = '';
      continue;
    }
    param += ch;
  }
  if (param.length) out.push(param);
  return out;
}

const USAGE = (name: string): string =>
  `Usage: ${name} [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [file]\n` +
  '\t   [ --counters ]\n' +
  '\t   [ --verbose ]\n' +
  '\t   [ --version]\n' +
  '\t   [ --test ]\n' +
  '\t   [ --help ]\n' +
  '\t   [ --noflush ]\n' +
  '\t   [ --wait=<seconds>\n' +
  '\t   [ --table=<TABLE> ]\n' +
  '\t   [ --modprobe=<command> ]\n';

class Exit extends Error {
  constructor(readonly status: number) {
    super('exit');
  }
}

/**
 * Runs iptables-restore. `readInput(file)` returns the text of the file operand (or stdin when
 * `file` is null), or an error string such as `No such file or directory`.
 */
export function runRestore(
  host: RestoreHost,
  argv: string[],
  readInput: (file: string | null) => string | { error: string },
  prog = 'iptables-restore',
): ProgramResult {
  let stdout = '';
  let stderr = '';
  const g = getoptLong(argv, 'bcvVthnwWM:T:', [
    { name: 'counters', hasArg: 0, code: 'c' },
    { name: 'verbose', hasArg: 0, code: 'v' },
    { name: 'version', hasArg: 0, code: 'V' },
    { name: 'test', hasArg: 0, code: 't' },
    { name: 'help', hasArg: 0, code: 'h' },
    { name: 'noflush', hasArg: 0, code: 'n' },
    { name: 'modprobe', hasArg: 1, code: 'M' },
    { name: 'table', hasArg: 1, code: 'T' },
    { name: 'wait', hasArg: 2, code: 'w' },
    { name: 'wait-interval', hasArg: 2, code: 'W' },
  ]);
  let counters = false;
  let verbose = 0;
  let noflush = false;
  let testing = false;
  let tablename: string | null = null;
  for (const it of g.items) {
    switch (it.code) {
      case 'b':
        stderr += '-b/--binary option is not implemented\n';
        break;
      case 'c':
        counters = true;
        break;
      case 'v':
        verbose++;
        break;
      case 'V':
        return { status: 0, stdout: `${prog} v${PROGRAM_VERSION}\n`, stderr };
      case 't':
        testing = true;
        break;
      case 'h':
        return { status: 0, stdout: '', stderr: stderr + USAGE(prog) };
      case 'n':
        noflush = true;
        break;
      case 'T':
        tablename = it.optarg;
        break;
    }
  }
  if (g.error !== null) return { status: 1, stdout, stderr: stderr + `Try \`${prog} -h' for more information.\n` };
  if (g.operands.length > 1) return { status: 1, stdout, stderr: stderr + 'Unknown arguments found on commandline\n' };
  const input = readInput(g.operands[0] ?? null);
  if (typeof input !== 'string') return { status: 1, stdout, stderr: stderr + `Can't open ${g.operands[0]}: ${input.error}\n` };

  let line = 0;
  let handle: Table | null = null;
  let curtable = '';
  let inTable = false;
  const io: CommandIo = { out: [], err: [], resolver: host.resolver };
  const flushIo = (): void => {
    stdout += io.out.join('');
    stderr += io.err.join('');
    io.out = [];
    io.err = [];
  };
  const fail = (status: number, text: string): never => {
    flushIo();
    stderr += text;
    throw new Exit(status);
  };
  const xtFail = (e: XtError): never => fail(e.status, formatXtError(e, prog, line));

  const lines = input.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  try {
    for (const buffer of lines) {
      let ret = false;
      line++;
      if (buffer[0] === '\n') continue;
      if (buffer[0] === '#') {
        if (verbose) stdout += buffer;
        continue;
      } else if (buffer === 'COMMIT\n' && inTable) {
        if (!testing) {
          try {
            host.commitTable(handle!);
            ret = true;
          } catch (e) {
            if (!(e instanceof IptcError)) throw e;
            ret = false;
          }
        } else ret = true;
        handle = null;
        inTable = false;
      } else if (buffer[0] === '*' && !inTable) {
        const table = buffer
          .slice(1)
          .split(/[ \t\n]+/)
          .filter((x) => x)[0];
        if (!table) xtFail(new XtError(PARAMETER_PROBLEM, `${prog}: line ${line} table name invalid`));
        curtable = table!.slice(0, 32);
        if (tablename && tablename !== table) continue;
        handle = host.openTable(table!);
        if (!handle) xtFail(new XtError(PARAMETER_PROBLEM, `${prog}: unable to initialize table '${table}'`));
        if (!noflush) {
          for (const c of handle!.ordered()) flushOne(handle!, c.name, verbose > 0, io);
          for (const c of handle!.ordered()) if (!c.hook) deleteChain(handle!, c.name, verbose > 0, io);
        }
        ret = true;
        inTable = true;
      } else if (buffer[0] === ':' && inTable) {
        const parts = buffer
          .slice(1)
          .split(/[ \t\n]+/)
          .filter((x) => x);
        const chain = parts[0];
        if (!chain) xtFail(new XtError(PARAMETER_PROBLEM, `${prog}: line ${line} chain name invalid`));
        if (chain!.length >= 29) xtFail(new XtError(PARAMETER_PROBLEM, `Invalid chain name \`${chain}' (28 chars max)`));
        const h = handle!;
        if (!h.isBuiltin(chain!)) {
          if (noflush && h.isChain(chain!)) h.flush(chain!);
          else {
            try {
              h.createChain(chain!);
            } catch (e) {
              if (!(e instanceof IptcError)) throw e;
              xtFail(
                new XtError(
                  PARAMETER_PROBLEM,
                  `error creating chain '${chain}':${e.errno === 'EEXIST' ? 'File exists' : 'Invalid argument'}`,
                ),
              );
            }
          }
        }
        const policy = parts[1];
        if (!policy) xtFail(new XtError(PARAMETER_PROBLEM, `${prog}: line ${line} policy invalid`));
        if (policy !== '-') {
          let count = { pkts: 0, bytes: 0 };
          if (counters) {
            const m = /^\[(\d+):(\d+)\]/.exec(parts[2] ?? '');
            if (!m) xtFail(new XtError(PARAMETER_PROBLEM, `invalid policy counters for chain '${chain}'`));
            count = { pkts: Number(m![1]), bytes: Number(m![2]) };
          }
          try {
            h.setPolicy(chain!, policy!, count);
          } catch (e) {
            if (!(e instanceof IptcError)) throw e;
            xtFail(new XtError(OTHER_PROBLEM, `Can't set policy \`${policy}' on \`${chain}' line ${line}: ${iptcStrerror(e)}`));
          }
        }
        ret = true;
      } else if (inTable) {
        let rest = buffer;
        const args = ['-t', curtable];
        if (!noflush) for (let i = 0; i < verbose; i++) args.push('-v');
        if (rest[0] === '[') {
          const close = rest.indexOf(']');
          if (close < 0) xtFail(new XtError(PARAMETER_PROBLEM, `Bad line ${line}: need ]`));
          const inner = rest.slice(1, close);
          const colon = inner.indexOf(':');
          const pcnt = colon >= 0 ? inner.slice(0, colon) : inner;
          const bcnt = colon >= 0 ? inner.slice(colon + 1) : '';
          if (!pcnt) xtFail(new XtError(PARAMETER_PROBLEM, `Bad line ${line}: need :`));
          if (!bcnt) xtFail(new XtError(PARAMETER_PROBLEM, `Bad line ${line}: need ]`));
          if (counters) args.push('--set-counters', pcnt, bcnt);
          rest = rest.slice(close + 1);
        }
        args.push(...splitRuleLine(rest));
        try {
          const p = parseCommand(args, { restore: true, line, programName: prog, resolver: host.resolver });
          if (p.exitText !== undefined) {
            stdout += p.exitText;
            throw new Exit(0);
          }
          doCommand(p, handle!, io);
          ret = true;
        } catch (e) {
          if (e instanceof XtError) xtFail(e);
          if (!(e instanceof IptcError)) throw e;
          ret = false;
        }
        flushIo();
      }
      if (tablename && tablename !== curtable) continue;
      if (!ret) fail(1, `${prog}: line ${line} failed\n`);
    }
    if (inTable) fail(1, `${prog}: COMMIT expected at line ${line + 1}\n`);
  } catch (e) {
    if (e instanceof Exit) return { status: e.status, stdout, stderr };
    throw e;
  }
  flushIo();
  return { status: 0, stdout, stderr };
}

export type { TableName };
