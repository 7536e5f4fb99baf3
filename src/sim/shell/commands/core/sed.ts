/**
 * sed: the stream editor subset tutorials use. Options -n, -e, -E/-r, -i[SUFFIX], -s; commands
 * s///[gpNI], p, d, q, =, a/i/c text, y///, { } blocks, with line, `$`, /regex/ and range
 * addresses and `!`. Error texts from GNU sed (sed/compile.c) or busybox (editors/sed.c).
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import { register } from '../registry.ts';
import { breToJs, busyboxUsage, err, isBusybox, resolvePath, splitLines } from './common.ts';
import { interruptible, readInputs } from './input.ts';

type Addr = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };

interface Cmd {
  a1: Addr | null;
  a2: Addr | null;
  negate: boolean;
  name: string;
  /** s: regex, replacement, flags; y: from/to; a/i/c: text; {: nested commands. */
  re?: RegExp;
  repl?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  text?: string;
  from?: string;
  to?: string;
  block?: Cmd[];
  /** Range state: inside the range. */
  active?: boolean;
}

class SedError extends Error {
  /** GNU sed exits 4 (EXIT_PANIC) for errors found after parsing, 1 for bad scripts. */
  status = 1;
}

/** `b`/`t`/`T` jumping to a label (empty: the end of the script). */
class Branch extends Error {
  constructor(readonly label: string) {
    super('branch');
  }
}

/** Commands run per input line before sed counts as looping forever (`:a;s/x/xx/;ta`). */
const MAX_SED_STEPS = 10_000;

function compile(script: string, extended: boolean, bb: boolean, exprNo: number): Cmd[] {
  let i = 0;
  const fail = (gnu: string, busy: string): never => {
    throw new SedError(bb ? busy : `-e expression #${exprNo}, char ${i}: ${gnu}`);
  };
  const mkRe = (src: string, flags: string): RegExp => {
    try {
      return new RegExp(breToJs(src, extended), flags);
    } catch {
      return fail('Invalid preceding regular expression', `bad regex '${src}'`);
    }
  };
  let lastRe: RegExp | null = null;
  const readDelimited = (delim: string): string => {
    let out = '';
    while (i < script.length && script[i] !== delim) {
      if (script[i] === '\\' && i + 1 < script.length) {
        if (script[i + 1] === delim) {
          out += delim === '/' ? '\\/' : delim;
          i += 2;
          continue;
        }
        if (script[i + 1] === 'n') {
          out += '\n';
          i += 2;
          continue;
        }
        out += script[i] + script[i + 1];
        i += 2;
        continue;
      }
      out += script[i++];
    }
    if (i >= script.length) return fail("unterminated `s' command", `unmatched '${delim}'`);
    i++;
    return out;
  };
  const parseAddr = (): Addr | null => {
    const c = script[i];
    if (c === undefined) return null;
    if (/[0-9]/.test(c)) {
      let n = '';
      while (/[0-9]/.test(script[i] ?? '')) n += script[i++];
      return { kind: 'line', n: Number(n) };
    }
    if (c === '$') {
      i++;
      return { kind: 'last' };
    }
    if (c === '/' || c === '\\') {
      const delim = c === '\\' ? script[++i] : '/';
      i++;
      let src = '';
      while (i < script.length && script[i] !== delim) {
        if (script[i] === '\\' && i + 1 < script.length) {
          src += script[i + 1] === delim ? delim : script[i] + script[i + 1];
          i += 2;
          continue;
        }
        src += script[i++];
      }
      if (i >= script.length) fail('unterminated address regex', `unmatched '${delim}'`);
      i++;
      let flags = '';
      if (script[i] === 'I') {
        flags = 'i';
        i++;
      }
      const re = src === '' && lastRe ? lastRe : mkRe(src, flags);
      lastRe = re;
      return { kind: 're', re };
    }
    return null;
  };
  const parseList = (inBlock: boolean): Cmd[] => {
    const cmds: Cmd[] = [];
    for (;;) {
      while (i < script.length && /[\s;]/.test(script[i])) i++;
      if (i >= script.length) {
        if (inBlock) fail("unmatched `{'", 'unterminated {');
        return cmds;
      }
      if (script[i] === '}') {
        if (!inBlock) fail("unexpected `}'", 'unexpected }');
        i++;
        return cmds;
      }
      if (script[i] === '#') {
        while (i < script.length && script[i] !== '\n') i++;
        continue;
      }
      const a1 = parseAddr();
      let a2: Addr | null = null;
      if (a1 && script[i] === ',') {
        i++;
        a2 = parseAddr();
        if (!a2) fail("unexpected `,'", 'unexpected ,');
      }
      while (script[i] === ' ') i++;
      let negate = false;
      while (script[i] === '!') {
        negate = true;
        i++;
      }
      while (script[i] === ' ') i++;
      const name = script[i++];
      if (name === undefined) return fail('missing command', 'missing command');
      const cmd: Cmd = { a1, a2, negate, name };
      switch (name) {
        case '{':
          cmd.block = parseList(true);
          break;
        case 's': {
          const delim = script[i++];
          if (!delim || delim === '\n' || delim === '\\') fail("unterminated `s' command", `unmatched '${delim ?? ''}'`);
          const src = readDelimited(delim);
          const repl = readDelimited(delim);
          let flags = '';
          while (i < script.length && /[gpiIm0-9e]/.test(script[i])) {
            const f = script[i++];
            if (f === 'g') cmd.global = true;
            else if (f === 'p') cmd.print = true;
            else if (f === 'i' || f === 'I') flags += 'i';
            else if (/[0-9]/.test(f)) cmd.nth = (cmd.nth ?? 0) * 10 + Number(f);
          }
          const re = src === '' && lastRe ? lastRe : mkRe(src, flags + 'g');
          if (src !== '') lastRe = re;
          cmd.re = re;
          cmd.repl = repl;
          if (i < script.length && !/[\s;}]/.test(script[i])) fail("unknown option to `s'", `unsupported command ${script[i]}`);
          break;
        }
        case 'y': {
          const delim = script[i++];
          const from = readDelimited(delim).replace(/\\\\/g, '\\');
          const to = readDelimited(delim).replace(/\\\\/g, '\\');
          if ([...from].length !== [...to].length)
            fail("strings for `y' command are different lengths", 'strings for y must be the same length');
          cmd.from = from;
          cmd.to = to;
          break;
        }
        case 'a':
        case 'i':
        case 'c': {
          if (script[i] === '\\') i++;
          if (script[i] === '\n') i++;
          while (script[i] === ' ' || script[i] === '\t') i++;
          let text = '';
          while (i < script.length && script[i] !== '\n') {
            if (script[i] === '\\' && i + 1 < script.length) {
              text += script[i + 1] === 'n' ? '\n' : script[i + 1];
              i += 2;
              continue;
            }
            text += script[i++];
          }
          if (!text && !bb) fail(`expected \\ after \`a', \`c' or \`i'`, 'missing text');
          cmd.text = text;
          break;
        }
        case ':':
        case 'b':
        case 't':
        case 'T': {
          // Labels end at a newline or `;` (GNU); a branch without a label goes to the end.
          while (script[i] === ' ' || script[i] === '\t') i++;
          let label = '';
          while (i < script.length && script[i] !== '\n' && script[i] !== ';' && !(name !== ':' && !bb && script[i] === '}'))
            label += script[i++];
          label = label.trim();
          if (name === ':' && !label) fail('":" lacks a label', "':' lacks a label");
          if (name === ':' && a1) fail(": doesn't want any addresses", 'command : does not take an address');
          cmd.text = label;
          break;
        }
        case 'p':
        case 'P':
        case 'd':
        case 'D':
        case 'q':
        case 'Q':
        case '=':
        case 'n':
        case 'N':
        case 'h':
        case 'H':
        case 'g':
        case 'G':
        case 'x':
          break;
        default:
          i--;
          i++;
          fail(`unknown command: \`${name}'`, `unsupported command ${name}`);
      }
      cmds.push(cmd);
    }
  };
  return parseList(false);
}

/** The replacement text for one match: `&`, `\1`..`\9`, `\n`, and escaped characters. */
function expandRepl(repl: string, m: RegExpExecArray | string[]): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c === '&') out += m[0];
    else if (c === '\\' && i + 1 < repl.length) {
      const n = repl[++i];
      if (/[0-9]/.test(n)) out += m[Number(n)] ?? '';
      else if (n === 'n') out += '\n';
      else if (n === 't') out += '\t';
      else out += n;
    } else out += c;
  }
  return out;
}

interface RunState {
  out: string[];
  quit: boolean;
  quitPrint: boolean;
  hold: string;
}

function* sed(ctx: CommandContext): Generator<Effect, number, Resume | undefined> {
  const bb = isBusybox(ctx);
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let extended = false;
  let inPlace: string | null = null;
  for (let j = 0; j < args.length; j++) {
    const a = args[j];
    if (a === '--') {
      files.push(...args.slice(j + 1));
      break;
    }
    if (a === '-n' || a === '--quiet' || a === '--silent') quiet = true;
    else if (a === '-E' || a === '-r' || a === '--regexp-extended') extended = true;
    else if (a === '-e' || a === '--expression') {
      if (args[j + 1] === undefined) {
        err(ctx, `option requires an argument -- 'e'`);
        if (bb) busyboxUsage(ctx);
        else ctx.stderr.write(`Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`);
        return 1;
      }
      scripts.push(args[++j]);
    } else if (a.startsWith('-e') && a.length > 2) scripts.push(a.slice(2));
    else if (a.startsWith('--expression=')) scripts.push(a.slice(13));
    else if (a === '-i' || a === '--in-place') inPlace = '';
    else if (a.startsWith('-i')) inPlace = a.slice(2);
    else if (a.startsWith('--in-place=')) inPlace = a.slice(11);
    else if (a === '-s' || a === '-u') continue;
    else if (/^-[nrEsu]+$/.test(a)) {
      if (a.includes('n')) quiet = true;
      if (a.includes('r') || a.includes('E')) extended = true;
    } else if (a.startsWith('-') && a !== '-') {
      err(ctx, a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`);
      if (bb) busyboxUsage(ctx);
      else ctx.stderr.write(`Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`);
      return 1;
    } else files.push(a);
  }
  if (!scripts.length) {
    if (!files.length) {
      if (bb) busyboxUsage(ctx);
      else ctx.stderr.write(`Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`);
      return 1;
    }
    scripts.push(files.shift()!);
  }
  let program: Cmd[] = [];
  try {
    // Every -e is one more line of the same script (so `-e 'i\' -e text` works).
    program = compile(scripts.join('\n'), extended, bb, 1);
    const labels = new Set(program.filter((c) => c.name === ':').map((c) => c.text));
    const walk = (cmds: Cmd[]): void => {
      for (const c of cmds) {
        if ('btT'.includes(c.name) && c.text && !labels.has(c.text)) {
          const e = new SedError(bb ? `can't find label for jump to '${c.text}'` : `can't find label for jump to \`${c.text}'`);
          if (!bb) e.status = 4;
          throw e;
        }
        if (c.block) walk(c.block);
      }
    };
    walk(program);
  } catch (e) {
    if (e instanceof SedError) {
      err(ctx, e.message);
      return e.status;
    }
    throw e;
  }
  if (inPlace !== null && !files.length) {
    err(ctx, bb ? 'no input files' : 'no input files');
    return bb ? 1 : 4;
  }
  const inputs = yield* readInputs(ctx, files);
  let status = 0;
  /** Output made before a runtime error stops the script. */
  const partial: string[] = [];
  const run = (lines: string[], st: RunState, lineBase: { n: number }, lastOfAll: boolean): void => {
    for (let li = 0; li < lines.length && !st.quit; li++) {
      lineBase.n++;
      const lineNo = lineBase.n;
      const isLast = lastOfAll && li === lines.length - 1;
      let space = lines[li];
      const appended: string[] = [];
      let deleted = false;
      const matches = (a: Addr): boolean =>
        a.kind === 'line' ? a.n === lineNo : a.kind === 'last' ? isLast : ((a.re.lastIndex = 0), a.re.test(space));
      const selected = (c: Cmd): boolean => {
        if (!c.a1) return true;
        if (!c.a2) return matches(c.a1);
        if (c.active) {
          if (c.a2.kind === 'line' ? lineNo >= c.a2.n : matches(c.a2)) c.active = false;
          return true;
        }
        if (matches(c.a1)) {
          c.active = !(c.a2.kind === 'line' && c.a2.n <= lineNo);
          return true;
        }
        return false;
      };
      const exec = (cmds: Cmd[]): boolean => {
        for (const c of cmds) {
          if (selected(c) === c.negate) continue;
          if (++steps > MAX_SED_STEPS)
            throw new SedError(
              bb
                ? 'the lab stopped this script (endless loop?)'
                : 'the lab stopped this script after 10000 commands on one line (endless loop?)',
            );
          switch (c.name) {
            case ':':
              break;
            case 'b':
              throw new Branch(c.text!);
            case 't':
              if (subMade) {
                subMade = false;
                throw new Branch(c.text!);
              }
              break;
            case 'T':
              if (!subMade) throw new Branch(c.text!);
              subMade = false;
              break;
            case '{':
              if (!exec(c.block!)) return false;
              break;
            case 's': {
              const re = c.re!;
              re.lastIndex = 0;
              let count = 0;
              let changed = false;
              space = space.replace(re, (...m) => {
                count++;
                const groups = m.slice(0, -2).filter((x) => typeof x === 'string' || x === undefined) as string[];
                if (c.nth ? count === c.nth || (c.global && count > c.nth) : c.global || count === 1) {
                  changed = true;
                  return expandRepl(c.repl!, groups);
                }
                return m[0] as string;
              });
              if (changed) subMade = true;
              if (changed && c.print) st.out.push(space + '\n');
              break;
            }
            case 'y':
              space = [...space]
                .map((ch) => {
                  const k = [...c.from!].indexOf(ch);
                  return k >= 0 ? [...c.to!][k] : ch;
                })
                .join('');
              break;
            case 'p':
              st.out.push(space + '\n');
              break;
            case 'P':
              st.out.push(space.split('\n')[0] + '\n');
              break;
            case 'd':
            case 'D':
              deleted = true;
              return false;
            case '=':
              st.out.push(`${lineNo}\n`);
              break;
            case 'a':
              appended.push(c.text! + '\n');
              break;
            case 'i':
              st.out.push(c.text! + '\n');
              break;
            case 'c':
              if (!c.a2 || !c.active) st.out.push(c.text! + '\n');
              deleted = true;
              return false;
            case 'q':
              st.quit = true;
              st.quitPrint = true;
              return false;
            case 'Q':
              st.quit = true;
              deleted = true;
              return false;
            case 'n':
              if (!quiet) st.out.push(space + '\n');
              if (li + 1 < lines.length) {
                space = lines[++li];
                lineBase.n++;
              } else {
                st.quit = true;
                deleted = true;
                return false;
              }
              break;
            case 'N':
              if (li + 1 < lines.length) {
                space += '\n' + lines[++li];
                lineBase.n++;
              } else {
                st.quit = true;
                return false;
              }
              break;
            case 'h':
              st.hold = space;
              break;
            case 'H':
              st.hold += '\n' + space;
              break;
            case 'g':
              space = st.hold;
              break;
            case 'G':
              space += '\n' + st.hold;
              break;
            case 'x':
              [space, st.hold] = [st.hold, space];
              break;
          }
        }
        return true;
      };
      let steps = 0;
      let subMade = false;
      // Run the script; a branch restarts it at its label (top-level labels).
      let from = 0;
      for (;;) {
        try {
          exec(program.slice(from));
          break;
        } catch (e) {
          if (!(e instanceof Branch)) throw e;
          if (!e.label) break;
          // Every branch's label was checked against the top-level labels before running.
          from = program.findIndex((c) => c.name === ':' && c.text === e.label) + 1;
        }
      }
      if (!deleted && (!quiet || false)) st.out.push(space + '\n');
      st.out.push(...appended);
    }
  };
  try {
    return runAll();
  } catch (e) {
    if (e instanceof SedError) {
      ctx.stdout.write(partial.join(''));
      err(ctx, e.message);
      return 4;
    }
    throw e;
  }

  function runAll(): number {
    if (inPlace !== null) {
      for (const inp of inputs) {
        if (inp.text === null) {
          err(ctx, bb ? `${inp.name}: ${inp.error}` : `can't read ${inp.name}: ${inp.error}`);
          status = bb ? 1 : 2;
          continue;
        }
        for (const c of program) c.active = false;
        const st: RunState = { out: [], quit: false, quitPrint: false, hold: '' };
        run(splitLines(inp.text), st, { n: 0 }, true);
        const path = resolvePath(ctx, inp.name);
        if (inPlace) ctx.target.fs.write(path + inPlace, inp.text);
        ctx.target.fs.write(path, st.out.join(''));
      }
      return status;
    }
    const st: RunState = { out: partial, quit: false, quitPrint: false, hold: '' };
    const readable = inputs.filter((x) => x.text !== null);
    const counter = { n: 0 };
    for (const inp of inputs) {
      if (inp.text === null) {
        err(ctx, bb ? `${inp.name}: ${inp.error}` : `can't read ${inp.name}: ${inp.error}`);
        status = bb ? 1 : 2;
        continue;
      }
      if (st.quit) break;
      run(splitLines(inp.text), st, counter, inp === readable[readable.length - 1]);
    }
    ctx.stdout.write(st.out.join(''));
    return status;
  }
}

register({ name: 'sed', run: interruptible(sed), paths: { gnu: '/usr/bin/sed', busybox: '/bin/sed' } });
