/**
 * An interactive shell running as a command: what `sh`/`bash` typed at a prompt, `docker run
 * -it IMAGE sh` and `docker exec -it NAME bash` start. It shows its prompt, reads lines from an
 * interactive stdin (yielding `input` effects while the user types), runs them, and returns on
 * `exit` or end of input (Ctrl-D). Ctrl-C at the prompt cancels the line being typed.
 *
 * When the stdin belongs to a terminal session (`stdin.terminal`), the prompt is handed to the
 * session, which shows it like its own (and completes with this shell); otherwise it is written
 * to stdout as a real shell writes it to the tty.
 */
import { Incomplete } from './parser.ts';
import { ExitShell, type Effect, type Resume } from './runtime.ts';
import type { Io, Shell } from './interp.ts';

export type PromptFn = (sh: Shell) => string;

/** `cwd` with the home directory shown as `~` (bash's \w, busybox's \w). */
export function tildeCwd(sh: Shell): string {
  const home = sh.get('HOME') ?? '/root';
  if (home !== '/' && sh.cwd === home) return '~';
  if (home !== '/' && sh.cwd.startsWith(home + '/')) return '~' + sh.cwd.slice(home.length);
  return sh.cwd;
}

/** Debian/Ubuntu bash: `root@host:/data# ` (PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '). */
export const bashPrompt: PromptFn = (sh) => `root@${sh.target.hostname()}:${tildeCwd(sh)}# `;

/** CentOS/RHEL bash: `[root@host /]# ` (PS1='[\u@\h \W]\$ '). */
export const centosPrompt: PromptFn = (sh) => {
  const w = tildeCwd(sh);
  return `[root@${sh.target.hostname()} ${w === '/' || w === '~' ? w : w.slice(w.lastIndexOf('/') + 1)}]# `;
};

/** busybox ash: `/ # ` (PS1='\w \$ '). */
export const ashPrompt: PromptFn = (sh) => `${tildeCwd(sh)} # `;

/**
 * Expands a PS1 like bash (and busybox) do: `\u \h \H \w \W \$ \n \\`, `\[ \]` dropped,
 * `$VAR` and `${VAR:+text}` from the shell's variables.
 */
export function renderPs1(ps1: string, sh: Shell): string {
  const host = sh.target.hostname();
  const w = tildeCwd(sh);
  const vars = ps1.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*):\+([^}]*)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a, alt, b, c) => {
      if (a) return sh.get(a) ? String(alt).replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_x, n: string) => sh.get(n) ?? '') : '';
      return sh.get(b ?? c) ?? '';
    },
  );
  return vars.replace(/\\([uhHwW$n\\[\]])/g, (_m, e: string) => {
    switch (e) {
      case 'u':
        return 'root';
      case 'h':
        return host.split('.')[0];
      case 'H':
        return host;
      case 'w':
        return w;
      case 'W':
        return w === '/' || w === '~' ? w : w.slice(w.lastIndexOf('/') + 1);
      case '$':
        return '#';
      case 'n':
        return '\n';
      case '\\':
        return '\\';
      default:
        return '';
    }
  });
}

/**
 * The prompt `sh`/`bash` shows: the PS1 the user set, else the distribution's default
 * (CentOS/RHEL when /etc/redhat-release exists, Debian/Ubuntu otherwise; busybox `\w \$ `).
 */
export function defaultPrompt(sh: Shell): string {
  const ps1 = sh.get('PS1');
  if (ps1 !== undefined) return renderPs1(ps1, sh);
  if (sh.dialect === 'ash') return ashPrompt(sh);
  return sh.target.fs.exists('/etc/redhat-release') ? centosPrompt(sh) : bashPrompt(sh);
}

/** Runs `sh` interactively on `io` until it exits; returns its exit status. */
export function* runRepl(sh: Shell, io: Io, prompt: PromptFn = defaultPrompt): Generator<Effect, number, Resume | undefined> {
  const { stdin, stdout, stderr } = io;
  let pending = '';
  for (;;) {
    const text = pending ? (sh.get('PS2') ?? '> ') : prompt(sh);
    if (stdin.terminal) stdin.terminal.prompt(text, sh);
    else stdout.write(text);
    // Wait for a whole line.
    let line: string | null = stdin.takeLine();
    let cancelled = false;
    while (line === null) {
      if (stdin.eof) {
        // Ctrl-D on an empty line: bash says "exit", busybox ash just ends the line.
        stderr.write(sh.dialect === 'bash' ? 'exit\n' : '\n');
        return sh.status;
      }
      const r = yield { kind: 'input' };
      if (r?.interrupted) {
        stdin.discard();
        cancelled = true;
        break;
      }
      line = stdin.takeLine();
    }
    if (stdin.terminal) stdin.terminal.prompt(null, sh);
    if (cancelled || line === null) {
      pending = '';
      sh.status = 130;
      continue;
    }
    const typed = line.replace(/\n$/, '');
    const src = pending ? `${pending}\n${typed}` : typed;
    if (!pending && !src.trim()) continue;
    // bash records the line before running it, so `history` lists itself.
    sh.history.push(src);
    try {
      pending = '';
      yield* sh.run(src, io);
    } catch (e) {
      if (e instanceof Incomplete) {
        sh.history.pop();
        pending = src;
        continue;
      }
      if (e instanceof ExitShell) {
        if (sh.dialect === 'bash') stderr.write('exit\n');
        return e.status;
      }
      throw e;
    }
  }
}
