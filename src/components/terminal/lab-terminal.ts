/**
 * One terminal tab: an xterm.js terminal attached to a simulator session on one host. Typed keys
 * go through the line editor (readline-like); a submitted line runs in the simulator; a
 * long-running command is paced in real time (one step per virtual wait, at most a second) until
 * it ends or Ctrl-C stops it. Tab completes from the simulator (bash shows the candidates on the
 * second Tab). A replayed log is written as if it had been typed.
 *
 * The terminal opens before the simulator has loaded (it is fetched on the first interaction,
 * see lab-panel.ts): until a session is attached, the prompt is the one the simulator printed at
 * build time, line editing works, and the first submitted line (or Tab) asks for the simulator
 * and runs once it is attached; keys typed meanwhile wait, as typeahead does on a busy tty.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { Session, StepResult } from '../../sim/index.ts';
import { LineEditor } from './line-editor.ts';
import { t } from '../../lib/i18n.ts';

/** Programs write LF; a terminal needs CR LF. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A paste (or a Run button's text) holding line breaks, not a single key or escape sequence. */
function isMultiLine(data: string): boolean {
  return data.length > 1 && /[\r\n]/.test(data) && !data.startsWith('\x1b');
}

export interface HostTerminalHooks {
  /** A command finished (or was interrupted after `ms` virtual ms of running). */
  onCommandDone(host: string, interruptedAfterMs: number | undefined): void;
  /** Before a command runs (so the panel can note the state for the trace view). */
  onCommandStart?(host: string, line: string): void;
  /** A line was submitted (or Tab pressed) before a session was attached: load the simulator. */
  needSession?(): void;
}

/** What lab-panel passes when the simulator is ready. */
export interface Attachment {
  session: Session;
  /** Virtual ms after which a replayed long-running command is stopped as if by Ctrl-C. */
  replayLongRunningMs: number;
}

export class HostTerminal {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly editor = new LineEditor();
  private timer: number | null = null;
  private queue: string[] = [];
  private elapsed = 0;
  private lastTab = false;
  private resizeObserver: ResizeObserver;
  closed = false;
  private session!: Session;
  private replayLongRunningMs = 10_000;
  /** Before a session is attached: the submitted line waiting for it, keys typed after it, a Tab. */
  private early: { line: string | null; keys: string[]; complete: boolean } = { line: null, keys: [], complete: false };

  constructor(
    readonly host: string,
    attachment: Attachment | null,
    readonly el: HTMLElement,
    private readonly hooks: HostTerminalHooks,
    /** The prompt shown until a session is attached (the simulator's own, rendered at build time). */
    private readonly initialPrompt = '',
  ) {
    if (attachment) this.attach(attachment);
    this.term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      // The page's --mono stack (global.css), so the terminal and the lesson's code share fonts.
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: 14,
      lineHeight: 1.15,
      scrollback: 5000,
      theme: {
        background: '#101217',
        foreground: '#e6e6ea',
        cursor: '#8ab4ff',
        selectionBackground: '#3b5b8f',
        // Readable dim text (AA contrast on the background): `\x1b[90m` and faint output.
        brightBlack: '#9a9ca8',
      },
      screenReaderMode: false,
    });
    this.term.loadAddon(this.fit);
    this.term.open(el);
    this.safeFit();
    this.resizeObserver = new ResizeObserver(() => this.safeFit());
    this.resizeObserver.observe(el);
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));
    this.term.onData((data) => this.onData(data));
    const ta = el.querySelector('textarea');
    ta?.setAttribute('aria-label', el.getAttribute('aria-label') ?? 'Terminal');
  }

  /** Refits to the host element; skipped while hidden (a zero-size fit breaks the layout). */
  safeFit(): void {
    if (this.el.offsetWidth > 0 && this.el.offsetHeight > 0) this.fit.fit();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.resizeObserver.disconnect();
    this.term.dispose();
  }

  get attached(): boolean {
    return this.session !== undefined;
  }

  /** Connects the simulator's session; runs what was typed while it loaded. */
  attach(a: Attachment): void {
    this.session = a.session;
    this.replayLongRunningMs = a.replayLongRunningMs;
    const { line, keys, complete } = this.early;
    this.early = { line: null, keys: [], complete: false };
    if (line !== null) this.run(line);
    else if (complete) this.complete();
    for (const k of keys) this.onData(k);
  }

  get busy(): boolean {
    return this.attached ? this.session.busy : this.early.line !== null;
  }

  showPrompt(): void {
    this.term.write(this.attached ? this.session.prompt() : this.initialPrompt);
  }

  focus(): void {
    this.term.focus();
  }

  /** Copy with Ctrl-Shift-C (or Ctrl-C when text is selected); paste goes through onData. */
  private onKey(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown') return true;
    const sel = this.term.hasSelection() ? this.term.getSelection() : '';
    if (e.ctrlKey && (e.key === 'C' || e.key === 'c') && (e.shiftKey || sel) && sel) {
      void navigator.clipboard?.writeText(sel).catch(() => {});
      this.term.clearSelection();
      return false;
    }
    if (e.ctrlKey && e.shiftKey && (e.key === 'V' || e.key === 'v')) {
      // Let the browser fire its paste event, which xterm turns into onData.
      return false;
    }
    return true;
  }

  /** Types a command (a snippet's Run button): runs now, or after the running command ends. */
  typeAndRun(text: string): void {
    this.onData(text.replace(/\n+$/, '') + '\r');
  }

  private onData(data: string): void {
    if (this.closed) return;
    if (!this.attached) {
      this.onDataDetached(data);
      return;
    }
    const session = this.session;
    if (session.busy) {
      if (data === '\x03') {
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        this.queue = [];
        this.settle(session.interrupt(), true);
      } else if (/[\r\n]/.test(data)) {
        // Typed ahead while a command runs: runs when it ends, like a real tty.
        this.queue.push(...data.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l));
      }
      return;
    }
    // Pasted text may hold several lines: run them one after another.
    if (isMultiLine(data)) {
      const parts = data.split(/\r\n|\r|\n/);
      const last = parts.pop() ?? '';
      for (const p of parts) this.queue.push(p);
      if (last) this.queue.push(`\u0000${last}`);
      this.drainQueue();
      return;
    }
    const r = this.editor.feed(data);
    if (r.signal === 'complete') {
      this.complete();
      return;
    }
    this.lastTab = false;
    this.term.write(r.echo);
    if (r.signal === 'interrupt') {
      session.interrupt();
      this.showPrompt();
    } else if (r.signal === 'eof') {
      // Ctrl-D on an empty line: end of input for the program reading the terminal (a nested
      // shell exits, `cat` ends), or logout at the top-level prompt.
      this.term.write('\r\n');
      this.settle(session.eof(), false);
      return;
    } else if (r.signal === 'clear') this.clearScreen();
    if (r.submit !== undefined) this.run(r.submit);
  }

  /** Ctrl-L: clear the screen, then redraw the prompt and the line being edited. */
  private clearScreen(): void {
    this.term.clear();
    this.term.write('\x1b[2K\r');
    this.redrawLine();
  }

  /** The prompt and the line being edited, with the cursor where it was. */
  private redrawLine(): void {
    const { line, cursor } = this.editor;
    this.showPrompt();
    this.term.write(line + (line.length > cursor ? `\x1b[${line.length - cursor}D` : ''));
  }

  /** Input before the simulator is attached: edit the line; Enter or Tab asks for the simulator. */
  private onDataDetached(data: string): void {
    // A paste or a Run button's lines go through the attached path, line by line.
    if (this.early.line !== null || this.early.keys.length || isMultiLine(data)) {
      this.early.keys.push(data);
      this.hooks.needSession?.();
      return;
    }
    const r = this.editor.feed(data);
    if (r.signal === 'complete') {
      this.early.complete = true;
      this.hooks.needSession?.();
      return;
    }
    if (r.signal === 'eof') {
      // Ctrl-D on an empty line: the shell's to answer (at the top level it exits), once attached.
      this.early.keys.push(data);
      this.hooks.needSession?.();
      return;
    }
    this.term.write(r.echo);
    if (r.signal === 'interrupt') this.showPrompt();
    else if (r.signal === 'clear') this.clearScreen();
    if (r.submit !== undefined) {
      this.early.line = r.submit;
      this.hooks.needSession?.();
    }
  }

  private complete(): void {
    const { line, cursor } = this.editor;
    const r = this.session.complete(line, cursor);
    if (r.line !== line) {
      this.term.write(this.editor.replace(r.line, r.cursor));
      this.lastTab = false;
      return;
    }
    if (r.candidates.length > 1 && this.lastTab) {
      // bash lists the candidates on the second Tab, then redraws the prompt and the line.
      const width = Math.max(...r.candidates.map((c) => c.length)) + 2;
      const perRow = Math.max(1, Math.floor(this.term.cols / width));
      const rows: string[] = [];
      for (let i = 0; i < r.candidates.length; i += perRow)
        rows.push(
          r.candidates
            .slice(i, i + perRow)
            .map((c) => c.padEnd(width))
            .join('')
            .trimEnd(),
        );
      this.term.write('\r\n' + rows.join('\r\n') + '\r\n');
      this.redrawLine();
      this.lastTab = false;
      return;
    }
    if (!r.candidates.length) this.term.write('\x07');
    this.lastTab = true;
  }

  private drainQueue(): void {
    while (this.queue.length && !this.session.busy && !this.closed) {
      const next = this.queue.shift()!;
      if (next.startsWith('\u0000')) {
        this.term.write(this.editor.insert(next.slice(1)));
        continue;
      }
      this.term.write(this.editor.insert(next) + '\r\n');
      this.editor.remember(next);
      this.editor.reset();
      this.run(next);
    }
  }

  private run(line: string): void {
    this.elapsed = 0;
    this.hooks.onCommandStart?.(this.host, line);
    this.settle(this.session.submit(line), false);
  }

  private settle(r: StepResult, interrupted: boolean): void {
    const session = this.session;
    const out = session.drain();
    // The tty echoes ^C on an interrupt; some simulated programs (ping, tcpdump) print it themselves.
    this.term.write((interrupted && !out.startsWith('^C') ? '^C\r\n' : '') + crlf(out));
    if (r.state === 'sleeping') {
      this.elapsed += r.ms;
      this.timer = window.setTimeout(
        () => {
          this.timer = null;
          this.settle(session.resume(), false);
        },
        Math.min(r.ms, 1000),
      );
      return;
    }
    if (r.state === 'closed') {
      this.closed = true;
      this.term.writeln(`\r\n${t.sessionClosed}`);
      this.hooks.onCommandDone(this.host, undefined);
      return;
    }
    if (r.state !== 'continue') this.hooks.onCommandDone(this.host, interrupted ? this.elapsed : undefined);
    this.showPrompt();
    this.drainQueue();
  }

  /**
   * Replays a saved command as if typed: the same steps as live (the same virtual waits, Ctrl-C
   * after the same virtual time), without real-time pacing. Returns nothing; output goes to the screen.
   */
  replay(line: string, interruptAfterMs: number | undefined): void {
    this.term.write(this.editor.insert(line.replace(/\n/g, ' ')) + '\r\n');
    this.editor.remember(line);
    this.editor.reset();
    let r = this.session.submit(line);
    let elapsed = 0;
    const limit = interruptAfterMs ?? this.replayLongRunningMs;
    // A program that ignores Ctrl-C must not hang the page: give up after many steps.
    for (let steps = 0; r.state === 'sleeping' && steps < 100_000; steps++) {
      elapsed += r.ms;
      if (elapsed >= limit) {
        this.term.write(crlf(this.session.drain()));
        r = this.session.interrupt();
        const out = this.session.drain();
        this.term.write((out.startsWith('^C') ? '' : '^C\r\n') + crlf(out));
      } else r = this.session.resume();
    }
    this.term.write(crlf(this.session.drain()));
    if (r.state === 'closed') {
      this.closed = true;
      return;
    }
    this.showPrompt();
  }
}
