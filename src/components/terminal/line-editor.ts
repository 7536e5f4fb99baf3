/**
 * The line discipline of the lab terminal: what bash's readline gives a user at a prompt —
 * cursor movement, Home/End, Ctrl-A/E/U/K/W, history with Up/Down. It is plain logic over a
 * string and a cursor so it can be unit-tested without a DOM; the xterm island renders it.
 */
export interface EditResult {
  /** Escape sequences to write to the terminal to show the new state. */
  echo: string;
  /** Set when Enter was pressed: the submitted line. */
  submit?: string;
  /** Set on Ctrl-C at the prompt, Ctrl-L, Ctrl-D on an empty line, Tab. */
  signal?: 'interrupt' | 'clear' | 'eof' | 'complete';
}

export class LineEditor {
  line = '';
  cursor = 0;
  private history: string[] = [];
  private histIndex = 0;
  private draft = '';

  reset(): void {
    this.line = '';
    this.cursor = 0;
    this.histIndex = this.history.length;
    this.draft = '';
  }

  /** Replaces the whole line (history recall, completion) and returns the redraw sequence. */
  replace(text: string, cursor: number = text.length): string {
    const back = this.cursor > 0 ? `\x1b[${this.cursor}D` : '';
    this.line = text;
    this.cursor = Math.max(0, Math.min(cursor, text.length));
    const tail = text.length - this.cursor;
    return `${back}\x1b[K${text}` + (tail > 0 ? `\x1b[${tail}D` : '');
  }

  /** Adds a line run by other means (a replayed log) to the history. */
  remember(line: string): void {
    if (line.trim()) this.history.push(line);
    this.histIndex = this.history.length;
  }

  insert(text: string): string {
    const clean = text.replace(/[\x00-\x1f\x7f]/g, '');
    if (!clean) return '';
    const tail = this.line.slice(this.cursor);
    this.line = this.line.slice(0, this.cursor) + clean + tail;
    this.cursor += clean.length;
    return clean + tail + (tail.length ? `\x1b[${tail.length}D` : '');
  }

  /** Handles one chunk of terminal input (a key press or a paste). */
  feed(data: string): EditResult {
    // A paste with newlines submits line by line: the caller feeds the rest after each submit.
    switch (data) {
      case '\r':
      case '\n': {
        const submit = this.line;
        if (submit.trim()) this.history.push(submit);
        if (this.history.length > 1000) this.history.shift();
        this.reset();
        return { echo: '\r\n', submit };
      }
      case '\x7f':
      case '\b':
        if (this.cursor === 0) return { echo: '' };
        return { echo: this.deleteBack(1) };
      case '\x1b[3~':
        if (this.cursor >= this.line.length) return { echo: '' };
        this.cursor++;
        return { echo: `\x1b[C` + this.deleteBack(1) };
      case '\x1b[D':
      case '\x02':
        if (this.cursor === 0) return { echo: '' };
        this.cursor--;
        return { echo: '\x1b[D' };
      case '\x1b[C':
      case '\x06':
        if (this.cursor >= this.line.length) return { echo: '' };
        this.cursor++;
        return { echo: '\x1b[C' };
      case '\x1b[H':
      case '\x1bOH':
      case '\x01':
        return { echo: this.moveTo(0) };
      case '\x1b[F':
      case '\x1bOF':
      case '\x05':
        return { echo: this.moveTo(this.line.length) };
      case '\x15': // Ctrl-U: kill to start
        return { echo: this.deleteBack(this.cursor) };
      case '\x0b': {
        // Ctrl-K: kill to end
        this.line = this.line.slice(0, this.cursor);
        return { echo: '\x1b[K' };
      }
      case '\x17': {
        // Ctrl-W: kill the previous word
        let i = this.cursor;
        while (i > 0 && this.line[i - 1] === ' ') i--;
        while (i > 0 && this.line[i - 1] !== ' ') i--;
        return { echo: this.deleteBack(this.cursor - i) };
      }
      case '\x1b[A':
        return { echo: this.recall(-1) };
      case '\x1b[B':
        return { echo: this.recall(1) };
      case '\x03':
        this.reset();
        return { echo: '^C\r\n', signal: 'interrupt' };
      case '\x0c':
        return { echo: '', signal: 'clear' };
      case '\x04':
        if (this.line === '') return { echo: '', signal: 'eof' };
        return { echo: '' };
      case '\t':
        return { echo: '', signal: 'complete' };
    }
    if (data.startsWith('\x1b')) return { echo: '' };
    return { echo: this.insert(data) };
  }

  private moveTo(pos: number): string {
    const d = pos - this.cursor;
    this.cursor = pos;
    if (d === 0) return '';
    return d < 0 ? `\x1b[${-d}D` : `\x1b[${d}C`;
  }

  private deleteBack(n: number): string {
    if (n <= 0) return '';
    const tail = this.line.slice(this.cursor);
    this.line = this.line.slice(0, this.cursor - n) + tail;
    this.cursor -= n;
    return `\x1b[${n}D\x1b[K${tail}` + (tail.length ? `\x1b[${tail.length}D` : '');
  }

  private recall(dir: number): string {
    if (!this.history.length) return '';
    if (this.histIndex === this.history.length) this.draft = this.line;
    const next = Math.min(this.history.length, Math.max(0, this.histIndex + dir));
    if (next === this.histIndex) return '';
    this.histIndex = next;
    return this.replace(next === this.history.length ? this.draft : this.history[next]);
  }
}
