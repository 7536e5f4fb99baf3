/** `dnlab shell`: an interactive prompt on the simulated host, with readline editing and history. */
import { createInterface } from 'node:readline';
import { createLab, type StepResult } from '../sim/index.ts';
import type { CliOptions } from './main.ts';

export async function runShell(opts: CliOptions): Promise<number> {
  const lab = createLab({ seed: opts.seed });
  const session = lab.openSession();
  const tty = !!process.stdin.isTTY;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, historySize: 1000 });
  const write = (s: string): void => {
    process.stdout.write(s);
  };
  let sleepTimer: NodeJS.Timeout | null = null;
  let finish: ((code: number) => void) | null = null;
  const done = new Promise<number>((resolve) => (finish = resolve));
  // Like bash reading a script, print prompts only when a person is typing.
  const showPrompt = (): void => {
    rl.setPrompt(tty ? session.prompt() : '');
    if (tty) rl.prompt();
  };

  const settle = (r: StepResult): void => {
    write(session.drain());
    if (r.state === 'sleeping') {
      rl.pause();
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
      finish?.(r.exit);
      finish = null;
      rl.close();
      return;
    }
    rl.resume();
    showPrompt();
  };

  rl.on('line', (line) => {
    if (session.busy) return;
    settle(session.submit(line));
  });
  rl.on('SIGINT', () => {
    if (sleepTimer) {
      clearTimeout(sleepTimer);
      sleepTimer = null;
      write('^C\n');
      settle(session.interrupt());
      return;
    }
    write('^C\n');
    session.interrupt();
    showPrompt();
  });
  rl.on('close', () => {
    if (sleepTimer) clearTimeout(sleepTimer);
    if (tty && finish) write('exit\n');
    finish?.(0);
  });
  showPrompt();
  return done;
}
