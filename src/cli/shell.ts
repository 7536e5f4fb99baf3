/**
 * `dnlab shell`: an interactive prompt on the simulated host, with readline editing, history
 * and Tab completion. Long-running commands are paced in real time and stop on Ctrl-C; nested
 * shells (`sh`, `docker exec -it web sh`) read the lines typed here; Ctrl-D ends a nested shell
 * or the session; `vi FILE` opens $EDITOR (or $VISUAL, else vi) on a temporary copy of the
 * simulated file and writes it back when the editor exits.
 */
import { createInterface, type Interface } from 'node:readline';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { createLab, type Lab, type StepResult, type UiRequest } from '../sim/index.ts';
import type { CliOptions } from './main.ts';

/** Opens the user's editor on a copy of a simulated file; returns a message for the terminal. */
export function editWithExternalEditor(lab: Lab, req: { path: string; host: string; container?: string | null }, editor: string): string {
  const where = { host: req.host, container: req.container ?? null };
  const before = lab.readFile(req.path, where);
  const dir = mkdtempSync(join(tmpdir(), 'dnlab-edit-'));
  const file = join(dir, basename(req.path) || 'file');
  try {
    writeFileSync(file, before ?? '');
    // The editor gets the real terminal; `sh -c` lets EDITOR carry arguments (`code --wait`).
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    if (r.error || r.status !== 0)
      return `dnlab: ${editor} failed${r.status !== null ? ` (exit ${r.status})` : ''}; ${req.path} unchanged\n`;
    const after = readFileSync(file, 'utf8');
    if (before !== null && after === before) return '';
    const err = lab.writeFile(req.path, after, where);
    return err ? `dnlab: cannot save ${req.path}: ${err}\n` : '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runShell(opts: CliOptions): Promise<number> {
  const lab = createLab({ seed: opts.seed, profile: opts.profile === 'golden' ? 'golden' : 'course' });
  const session = lab.openSession();
  const tty = !!process.stdin.isTTY;
  const write = (s: string): void => {
    process.stdout.write(s);
  };
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  let editorNote = '';
  let rl: Interface | null = null;
  const onEdit = (req: { path: string; host: string; container?: string | null }): void => {
    if (!tty) return;
    // Hand the terminal to the editor, then take it back.
    write(session.drain());
    process.stdin.setRawMode(false);
    rl?.pause();
    editorNote = editWithExternalEditor(lab, req, editor);
    process.stdin.setRawMode(true);
    rl?.resume();
  };
  // `vi FILE` asks the UI to open an editor: here that is $EDITOR on a temporary copy.
  lab.onUiRequest((r: UiRequest) => onEdit(r));
  for (const m of lab.machines) m.target.ui ??= onEdit;

  let sleepTimer: NodeJS.Timeout | null = null;
  let finish: ((code: number) => void) | null = null;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const end = (exit: number): void => {
    const f = finish;
    finish = null;
    f?.(exit);
    rl?.close();
  };
  // Like bash reading a script, print prompts only when a person is typing.
  const showPrompt = (): void => {
    if (!rl) return;
    rl.setPrompt(tty ? session.prompt() : '');
    if (tty) rl.prompt();
  };
  // Lines typed while a command runs wait, as a tty's type-ahead does.
  const queue: string[] = [];
  const drainQueue = (): void => {
    while (queue.length && !session.busy && !sleepTimer && finish) settle(session.submit(queue.shift()!));
  };

  const settle = (r: StepResult): void => {
    write(session.drain());
    if (editorNote) {
      write(editorNote);
      editorNote = '';
    }
    if (r.state === 'sleeping') {
      // Pace long-running commands in real time (ping prints once a second), at most 1 s a step.
      sleepTimer = setTimeout(
        () => {
          sleepTimer = null;
          settle(session.resume());
        },
        Math.min(r.ms, 1000),
      );
      return;
    }
    if (r.state === 'closed') {
      end(r.exit);
      return;
    }
    showPrompt();
    drainQueue();
  };

  /** Piped input: run what is queued (long-running commands bounded), then end the input. */
  const finishPiped = (): void => {
    while (queue.length && finish) {
      let r = session.submit(queue.shift()!);
      let waited = 0;
      while (r.state === 'sleeping' && waited < 10_000) {
        waited += r.ms;
        r = session.resume();
      }
      if (r.state === 'sleeping') r = session.interrupt();
      write(session.drain());
      if (r.state === 'closed') return end(r.exit);
    }
    // End of input: every nested shell and then the session itself see EOF.
    for (let i = 0; i < 100 && finish; i++) {
      const r = session.eof();
      const out = session.drain();
      // A shell reading a script says nothing at its end (no interactive "exit").
      if (r.state === 'closed') return end(r.exit);
      write(out);
    }
    end(0);
  };

  const open = (): void => {
    const iface = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: tty,
      historySize: 1000,
      completer: (line: string): [string[], string] => {
        const r = session.complete(line, line.length);
        if (r.line !== line) return [[r.line], line];
        return [r.candidates, ''];
      },
    });
    if (rl) (iface as unknown as { history: string[] }).history = (rl as unknown as { history: string[] }).history;
    rl = iface;
    iface.on('line', (line) => {
      queue.push(line);
      if (tty) drainQueue();
    });
    iface.on('SIGINT', () => {
      queue.length = 0;
      if (sleepTimer) {
        clearTimeout(sleepTimer);
        sleepTimer = null;
      }
      write('^C\n');
      const r = session.interrupt();
      if (r.state === 'sleeping') settle(r);
      else {
        write(session.drain());
        showPrompt();
      }
    });
    iface.on('close', () => {
      if (rl !== iface || !finish) return;
      if (!tty) return finishPiped();
      if (sleepTimer) {
        clearTimeout(sleepTimer);
        sleepTimer = null;
      }
      // Ctrl-D: a nested shell (or `cat`) reading the terminal gets EOF and the session goes
      // on with a new readline; at the host's own prompt the session ends like bash's `exit`.
      const r = session.eof();
      write(session.drain());
      if (r.state === 'closed') return end(r.exit);
      // Readline closes on Ctrl-D; a new one takes the terminal over once this one is done.
      setImmediate(() => {
        open();
        process.stdin.setRawMode(true);
        process.stdin.resume();
        settle(r);
      });
    });
  };
  open();
  showPrompt();
  return done;
}
