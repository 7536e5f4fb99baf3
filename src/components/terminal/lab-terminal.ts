/**
 * <lab-terminal>: an xterm.js terminal attached to a simulator session. Typed keys go through
 * the line editor; a submitted line runs in the simulator; a long-running command is paced in
 * real time (one step per virtual wait, at most a second) until it ends or Ctrl-C stops it.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { createLab, type Session, type StepResult } from '../../sim/index.ts';
import { LineEditor } from './line-editor.ts';

/** Programs write LF; a terminal needs CR LF. */
function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class LabTerminalElement extends HTMLElement {
  private term: Terminal | null = null;
  private session: Session | null = null;
  private editor = new LineEditor();
  private timer: number | null = null;
  private queue: string[] = [];

  connectedCallback(): void {
    if (this.term) return;
    const host = this.querySelector<HTMLElement>('[data-term]') ?? this;
    const term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: '#101014' },
      screenReaderMode: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    fit.fit();
    new ResizeObserver(() => fit.fit()).observe(host);
    this.term = term;
    this.session = createLab({ seed: 1 }).openSession();
    term.writeln('Docker Networking Lab — a simulated host. Type `help` to start.');
    this.showPrompt();
    term.onData((data) => this.onData(data));
    performance.mark('terminal-ready');
    (window as unknown as { __term: Terminal }).__term = term;
  }

  disconnectedCallback(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }

  private showPrompt(): void {
    this.term!.write(this.session!.prompt());
  }

  private onData(data: string): void {
    const session = this.session!;
    if (session.busy) {
      if (data === '\x03') {
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        this.term!.write('^C\r\n');
        this.settle(session.interrupt());
      }
      return;
    }
    // Pasted text may hold several lines: run them one after another.
    if (data.length > 1 && /[\r\n]/.test(data) && !data.startsWith('\x1b')) {
      const parts = data.split(/\r\n|\r|\n/);
      const last = parts.pop() ?? '';
      for (const p of parts) this.queue.push(p);
      this.queue.push(`\u0000${last}`);
      this.drainQueue();
      return;
    }
    const r = this.editor.feed(data);
    this.term!.write(r.echo);
    if (r.signal === 'interrupt') {
      session.interrupt();
      this.showPrompt();
    } else if (r.signal === 'clear') {
      this.term!.clear();
    }
    if (r.submit !== undefined) this.run(r.submit);
  }

  private drainQueue(): void {
    while (this.queue.length && !this.session!.busy) {
      const next = this.queue.shift()!;
      if (next.startsWith('\u0000')) {
        this.term!.write(this.editor.insert(next.slice(1)));
        continue;
      }
      this.term!.write(this.editor.insert(next) + '\r\n');
      this.editor.reset();
      this.run(next);
    }
  }

  private run(line: string): void {
    this.settle(this.session!.submit(line));
  }

  private settle(r: StepResult): void {
    const session = this.session!;
    this.term!.write(crlf(session.drain()));
    if (r.state === 'sleeping') {
      this.timer = window.setTimeout(
        () => {
          this.timer = null;
          this.settle(session.resume());
        },
        Math.min(r.ms, 1000),
      );
      return;
    }
    if (r.state === 'closed') {
      this.term!.writeln('\r\n[session closed — reload the page for a new one]');
      return;
    }
    this.showPrompt();
    this.drainQueue();
  }
}
