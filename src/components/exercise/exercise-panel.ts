/**
 * <exercise-panel>: an exercise under the lesson, attached to the page's <lab-panel> through
 * the Lab API only (lab.snapshot(), lab.log, lab.onChange). It shows the task, a live checklist
 * re-evaluated after every command (it completes by itself when all checks pass), Check (the
 * grader on a replay of the learner's log, with expected vs actual per check), hints one at a
 * time, the solution after an attempt, and Reset exercise (the lab's own reset). The grading
 * logic is src/exercise/session.ts; this file only draws it.
 */
import type { Exercise, Lab, LogEntry } from '../../sim/index.ts';
import { ExerciseSession, highlightFor, type LiveItem } from '../../exercise/session.ts';
import { loadProgress, saveProgress, type ProgressStorage } from '../../exercise/progress.ts';
import { exportAttempt } from '../../exercise/bundles.ts';
import { t } from '../../lib/i18n.ts';

interface LabHolder extends HTMLElement {
  lab?: Lab;
  /** Loads the lab's simulator (it is fetched lazily): an exercise needs it from the start. */
  ensureLive?(): Promise<void>;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** `code` spans of a message as <code>, the rest as text (messages never carry HTML). */
function inline(parent: HTMLElement, text: string): void {
  text.split(/(`[^`]*`)/).forEach((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) parent.append(el('code', {}, part.slice(1, -1)));
    else if (part) parent.append(document.createTextNode(part));
  });
}

function storage(): ProgressStorage {
  try {
    if (globalThis.localStorage) return globalThis.localStorage;
  } catch {
    /* private mode: fall through */
  }
  const mem: Record<string, string> = {};
  return { getItem: (k) => mem[k] ?? null, setItem: (k, v) => void (mem[k] = v) };
}

const MARK: Record<LiveItem['state'], string> = { passed: '✓', failed: '✗', pending: '…' };

export class ExercisePanelElement extends HTMLElement {
  private session!: ExerciseSession;
  private exercise!: Exercise;
  private lab: Lab | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer = 0;
  private failingFirst: string | null = null;

  connectedCallback(): void {
    if (this.session) return;
    try {
      this.exercise = JSON.parse(this.dataset.exercise ?? '') as Exercise;
    } catch {
      this.textContent = t.exercise.loadFailed;
      return;
    }
    this.session = new ExerciseSession(this.exercise);
    this.wire();
    this.attach();
    // The lab panel rebuilds its Lab on reset or restore: follow the current instance.
    this.timer = window.setInterval(() => this.attach(), 500);
  }

  disconnectedCallback(): void {
    window.clearInterval(this.timer);
    this.unsubscribe?.();
  }

  private holder(): LabHolder | null {
    const sel = this.dataset.lab;
    return (sel ? document.querySelector<LabHolder>(sel) : document.querySelector<LabHolder>('lab-panel')) ?? null;
  }

  private attach(): void {
    const holder = this.holder();
    // The lab fetches its simulator lazily; an exercise needs it from the start.
    if (holder && !holder.lab) void holder.ensureLive?.();
    const lab = holder?.lab ?? null;
    if (!lab || lab === this.lab) return;
    this.unsubscribe?.();
    this.lab = lab;
    this.session.reset();
    this.unsubscribe = lab.onChange(() => this.refresh());
    this.refresh();
  }

  /** The learner's commands: the lab's log after the exercise's setup. */
  private learnerLog(): LogEntry[] {
    const log = this.lab?.log ?? [];
    const setup = this.exercise.setup.commands.length;
    const startsWithSetup = this.exercise.setup.commands.every(
      (c, i) => log[i]?.command === c.replace(/^[A-Za-z0-9][A-Za-z0-9_.-]*\$ /, ''),
    );
    return (startsWithSetup ? log.slice(setup) : log).map((e) =>
      e.input ? { host: e.host, command: e.command, input: true } : { host: e.host, command: e.command },
    );
  }

  private seed(): number {
    return Number(this.holder()?.dataset.seed ?? 1) || 1;
  }

  private evalTimer = 0;

  /** Re-evaluates reach checks on a replay shortly after the lab changes (probing the live lab would change it). */
  private scheduleEvaluate(): void {
    if (!this.exercise.checks.some((c) => c.kind === 'reach')) return;
    window.clearTimeout(this.evalTimer);
    this.evalTimer = window.setTimeout(() => {
      try {
        this.session.evaluate(this.seed(), this.learnerLog());
        this.refresh(false);
      } catch (e) {
        this.status(t.exercise.reachFailed((e as Error).message));
      }
    }, 400);
  }

  private refresh(evaluate = true): void {
    if (!this.lab) return;
    if (evaluate) this.scheduleEvaluate();
    let items: LiveItem[];
    try {
      items = this.session.live(this.lab.snapshot(), this.learnerLog());
    } catch (e) {
      this.status(t.exercise.checklistFailed((e as Error).message));
      return;
    }
    const list = this.querySelector<HTMLOListElement>('[data-checklist]')!;
    list.replaceChildren(
      ...items.map((i) => {
        const li = el('li', { 'data-state': i.state, 'data-check': i.id });
        li.append(el('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[i.state]), el('span', { class: 'sr-only' }, i.state + ': '));
        const label = el('span', { class: 'check-id' }, i.id);
        li.append(label);
        if (i.state !== 'passed' && i.message) {
          const m = el('span', { class: 'check-msg' });
          inline(m, i.message);
          li.append(' — ', m);
        }
        return li;
      }),
    );
    this.failingFirst = items.find((i) => i.state === 'failed')?.id ?? null;
    // For the topology view: what the failing checks are about (`dnlab:exercise-highlight`).
    const failing = items.filter((i) => i.state === 'failed').map((i) => i.id);
    this.dispatchEvent(new CustomEvent('dnlab:exercise-highlight', { bubbles: true, detail: highlightFor(this.exercise, failing) }));
    const done = ExerciseSession.complete(items);
    this.toggleAttribute('data-complete', done);
    this.querySelector('[data-done]')?.toggleAttribute('hidden', !done);
  }

  private wire(): void {
    const on = (sel: string, fn: () => void): void => this.querySelector<HTMLButtonElement>(sel)?.addEventListener('click', fn);
    on('[data-ex-action=check]', () => void this.check());
    on('[data-ex-action=hint]', () => this.hint());
    on('[data-ex-action=solution]', () => this.showSolution());
    on('[data-ex-action=download]', () => this.download());
    on('[data-ex-action=reset]', () => {
      this.holder()?.querySelector<HTMLButtonElement>('[data-action=reset]')?.click();
      this.session.reset();
      this.querySelector('[data-hints]')?.replaceChildren();
      this.querySelector('[data-result]')?.replaceChildren();
      this.querySelector('[data-solution]')?.setAttribute('hidden', '');
    });
  }

  private async check(): Promise<void> {
    // The lab may not be followed yet (attach() polls every 500 ms, and the simulator is fetched
    // lazily): a click on Check must not be lost in that window.
    this.attach();
    if (!this.lab) {
      await this.holder()?.ensureLive?.();
      this.attach();
    }
    if (!this.lab) return;
    const s = storage();
    const { progress } = loadProgress(s);
    let out;
    try {
      out = this.session.check(this.seed(), this.learnerLog(), progress);
    } catch (e) {
      this.status(t.exercise.checkFailed((e as Error).message));
      return;
    }
    const err = saveProgress(s, out.progress);
    if (err) this.status(err);
    const box = this.querySelector<HTMLElement>('[data-result]')!;
    const table = el('table');
    const head = el('tr');
    for (const h of t.exercise.columns) head.append(el('th', { scope: 'col' }, h));
    table.append(head);
    for (const c of out.result.checks) {
      const tr = el('tr', { 'data-state': c.passed ? 'passed' : 'failed' });
      tr.append(el('td', {}, c.passed ? '✓' : '✗'));
      const name = el('td');
      name.append(el('strong', {}, c.id));
      if (!c.passed) {
        name.append(el('br'));
        inline(name, c.message);
      }
      tr.append(name, el('td', {}, c.passed ? '' : c.expected), el('td', {}, c.passed ? '' : c.actual));
      table.append(tr);
    }
    const summary = el('p', { role: 'status' }, t.exercise.result(out.result.status === 'passed', out.result.score, out.result.maxScore));
    box.replaceChildren(summary, table);
    this.querySelector<HTMLButtonElement>('[data-ex-action=solution]')?.removeAttribute('disabled');
    this.dispatchEvent(
      new CustomEvent('dnlab:exercise-checked', { bubbles: true, detail: { id: this.exercise.id, status: out.result.status } }),
    );
    this.refresh();
  }

  private hint(): void {
    const hints = this.session.nextHint(this.failingFirst);
    const ol = this.querySelector<HTMLOListElement>('[data-hints]')!;
    ol.replaceChildren(
      ...hints.map((h) => {
        const li = el('li');
        inline(li, h);
        return li;
      }),
    );
  }

  private showSolution(): void {
    if (!this.session.canShowSolution()) return;
    const pre = this.querySelector<HTMLElement>('[data-solution]')!;
    pre.textContent = this.session.solution().join('\n');
    pre.removeAttribute('hidden');
  }

  /** Saves the attempt (exercise id, seed, command log) as a file: what `dnlab exercise check --log` and instructors read. */
  private download(): void {
    const text = exportAttempt({ exerciseId: this.exercise.id, seed: this.seed(), log: this.learnerLog() });
    const a = el('a', {
      href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
      download: `${this.exercise.id}-attempt.json`,
    });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  private status(text: string): void {
    const s = this.querySelector<HTMLElement>('[data-ex-status]');
    if (s) s.textContent = text;
  }
}
