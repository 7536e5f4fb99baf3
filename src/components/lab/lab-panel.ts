/**
 * <lab-panel>: a chapter's live lab. It builds the simulator (seed + the chapter's setup), one
 * terminal tab per host, the topology and packet-trace views, the editor; saves the learner's
 * command log per chapter (restored by replay on reload), resets, shares a lab as a link, and
 * runs snippets sent by the lesson's Run buttons (`dnlab:run` events).
 *
 * The simulator is not part of the page's initial JavaScript: the page arrives with the lab's
 * starting prompts printed at build time and its starting topology as data (Lab.astro; drawn in
 * the frame after the terminals open), the terminals open at once,
 * and `./live.ts` (simulator + views) is fetched on the first interaction with the lab — pointer
 * over it, focus in it, a Run button, an exercise panel — or at once when a saved or shared lab
 * must be replayed. A line typed before it arrives runs as soon as it has.
 */
import type { Lab, UiRequest } from '../../sim/index.ts';
import { HostTerminal, type Attachment } from '../terminal/lab-terminal.ts';
import { wordWrap } from '../terminal/word-wrap.ts';
import { EditorDialog, type EditTarget } from './editor.ts';
import { t } from '../../lib/i18n.ts';
import { clearLab, decodeShare, encodeShare, loadLab, saveLab, type LogEntry, type SavedLab } from '../../lib/lab-store.ts';
import type { LabSpec, StartingView } from './live.ts';
import { renderTopology } from './topology.ts';

type Live = typeof import('./live.ts');

// The lab's initial script has been fetched, parsed and evaluated (bench:site reports it).
performance.mark('lab-script-evaluated');

/** Files worth offering in the file list (shown when they exist; daemon.json always). */
const FILES = [
  '/etc/docker/daemon.json',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/hostname',
  '/etc/sysctl.conf',
  '/root/Dockerfile',
  '/root/app.py',
];

/** A terminal's connection to `lab`: a session on `host`. */
function attachment(live: Live, lab: Lab, host: string): Attachment {
  return { session: lab.openSession(host), replayLongRunningMs: live.REPLAY_LONG_RUNNING_MS };
}

/** How long a status line that is not a warning stays over the terminal. */
const STATUS_SHOWN_MS = 8000;

/** Events on the lab that mean the learner is about to use it: fetch the simulator then. */
const INTENT_EVENTS = ['pointerenter', 'pointerdown', 'focusin', 'touchstart', 'keydown'] as const;

export class LabPanelElement extends HTMLElement {
  /** The simulator, once loaded (exercise panels read it). */
  lab?: Lab;
  private live?: Live;
  private loading?: Promise<Live | null>;
  /** A saved or shared lab being rebuilt (it makes the lab live itself). */
  private restoring?: Promise<void>;
  /** ensureLive() in flight. */
  private going?: Promise<void>;
  private chapter = '';
  private seed = 1;
  private start: StartingView | null = null;
  private tabs: HostTerminal[] = [];
  private active = 0;
  private log: LogEntry[] = [];
  private labLogSeen = 0;
  private replaying = false;
  private viewQueued = false;
  private editor!: EditorDialog;
  private unsubscribe: (() => void)[] = [];
  private statusTimer = 0;
  /** Containers and networks an exercise's failing checks are about, outlined on the topology. */
  private attention = new Set<string>();

  connectedCallback(): void {
    if (this.tabs.length || this.restoring) return;
    this.chapter = this.dataset.chapter ?? 'sandbox';
    this.seed = Number(this.dataset.seed ?? 1) || 1;
    try {
      const s = JSON.parse(this.dataset.start ?? '') as StartingView;
      if (Array.isArray(s.hosts) && s.hosts.length && Array.isArray(s.prompts) && s.topology) this.start = s;
    } catch {
      /* no build-time view: one host, without a prompt until the simulator loads */
    }
    this.editor = new EditorDialog(
      this.querySelector('dialog')!,
      (target, text) => this.saveFile(target, text),
      () => this.current()?.focus(),
    );
    this.wireToolbar();
    window.addEventListener('dnlab:run', (e) => this.runSnippet((e as CustomEvent<string>).detail));
    window.addEventListener('resize', () => this.queueViews());
    document.addEventListener('dnlab:exercise-highlight', (e) => {
      const d = (e as CustomEvent<{ containers?: string[]; networks?: string[] }>).detail ?? {};
      this.attention = new Set([...(d.containers ?? []), ...(d.networks ?? [])].filter((x) => typeof x === 'string'));
      this.queueViews();
    });
    const hash = location.hash;
    if (hash.startsWith('#lab=')) {
      history.replaceState(null, '', location.pathname + location.search);
      this.restoring = decodeShare(hash.slice(5)).then(async (shared) => {
        if (shared && shared.chapter === this.chapter) {
          this.seed = shared.seed;
          if (await this.build(shared.log)) {
            this.status(t.shareLoaded(shared.log.length));
            this.persist();
            return;
          }
          // A log that does not replay (made by another version of the simulator): start fresh.
          this.log = [];
          await this.build([]);
          this.status(t.shareInvalid, true);
        } else {
          this.openTerminals();
          this.status(t.shareInvalid, true);
        }
      });
      return;
    }
    const saved = loadLab(this.chapter);
    if (saved.state === 'corrupt') {
      clearLab(this.chapter);
      this.openTerminals();
      this.status(t.corrupt, true);
    } else if (saved.state === 'ok' && saved.lab.log.length) {
      this.restoring = this.build(saved.lab.log).then(async (ok) => {
        if (ok) this.status(t.restored(saved.lab.log.length));
        else {
          // A log that no longer replays (e.g. saved by an older simulator) must not break the page.
          clearLab(this.chapter);
          this.log = [];
          await this.build([]);
          this.status(t.corrupt, true);
        }
      });
    } else this.openTerminals();
  }

  /** The lab's spec, from the attributes Lab.astro wrote. */
  private spec(): LabSpec {
    const json = (s: string | undefined): string[] => {
      try {
        const v = JSON.parse(s ?? '[]') as unknown;
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      } catch {
        return [];
      }
    };
    return {
      seed: this.seed,
      profile: this.dataset.profile === 'golden' ? 'golden' : 'course',
      hosts: Number(this.dataset.hosts ?? 1) || 1,
      daemons: json(this.dataset.daemons),
      setup: json(this.dataset.setup),
    };
  }

  /** Fetches the simulator and the views (once). Null when it cannot be loaded (offline, first visit). */
  private loadLive(): Promise<Live | null> {
    if (!this.loading) performance.mark('lab-sim-requested');
    this.loading ??= import('./live.ts').then(
      (m) => {
        performance.mark('lab-sim-loaded');
        return (this.live = m);
      },
      (e: unknown) => {
        this.loading = undefined;
        this.status(t.labLoadFailed(e instanceof Error ? e.message : String(e)), true);
        return null;
      },
    );
    return this.loading;
  }

  /** Makes the lab live: loads the simulator and attaches it to the open terminals. */
  ensureLive(): Promise<void> {
    if (this.lab) return Promise.resolve();
    this.going ??= (async () => {
      try {
        await this.restoring; // a restore in flight builds the lab itself
        const live = this.lab ? null : await this.loadLive();
        if (!live || this.lab) return; // live already, or the fetch failed (status shown): a later call retries
        const lab = live.buildLab(this.spec());
        this.adopt(lab);
        this.tabs.forEach((tab) => tab.attach(attachment(live, lab, tab.host)));
        this.renderViews();
        performance.mark('lab-live');
        this.dataset.live = 'true';
      } finally {
        this.going = undefined;
      }
    })();
    return this.going;
  }

  private adopt(lab: Lab): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [lab.onUiRequest((r) => this.onUiRequest(r)), lab.onChange(() => this.queueViews())];
    this.lab = lab;
    this.labLogSeen = lab.log.length;
    (window as unknown as { __lab: Lab }).__lab = lab;
  }

  /** Opens one terminal per host, attached to `lab`'s sessions or (without it) waiting for the simulator. */
  private openTerminals(lab?: Lab): void {
    for (const tab of this.tabs) tab.dispose();
    this.tabs = [];
    const hosts = lab ? lab.hosts : (this.start?.hosts ?? ['host']);
    const termBox = this.querySelector<HTMLElement>('[data-terms]')!;
    const tabList = this.querySelector<HTMLElement>('[data-host-tabs]')!;
    for (const old of termBox.querySelectorAll('.term')) old.remove();
    tabList.replaceChildren();
    hosts.forEach((host, i) => {
      const tabBtn = document.createElement('button');
      tabBtn.type = 'button';
      tabBtn.setAttribute('role', 'tab');
      tabBtn.id = `tab-${host}`;
      tabBtn.textContent = host;
      tabBtn.addEventListener('click', () => this.select(i));
      tabList.append(tabBtn);
      const el = document.createElement('div');
      el.className = 'term';
      el.id = `term-${host}`;
      el.setAttribute('role', 'tabpanel');
      el.setAttribute('aria-labelledby', tabBtn.id);
      el.setAttribute('aria-label', t.terminalLabel(host));
      termBox.append(el);
      const tab = new HostTerminal(
        host,
        lab && this.live ? attachment(this.live, lab, host) : null,
        el,
        { onCommandDone: (h, ms) => this.commandDone(h, ms), needSession: () => void this.ensureLive() },
        this.start?.prompts[i] ?? '',
      );
      this.tabs.push(tab);
    });
    this.select(0, false);
    const first = this.tabs[0]?.term;
    first?.writeln(`\x1b[90m${wordWrap(t.welcome, first.cols).join('\r\n')}\x1b[0m`);
    for (const tab of this.tabs) tab.showPrompt();
    if (!lab) {
      this.queueViews();
      const intent = (): void => {
        for (const ev of INTENT_EVENTS) this.removeEventListener(ev, intent);
        void this.ensureLive();
      };
      for (const ev of INTENT_EVENTS) this.addEventListener(ev, intent, { passive: true });
    }
    performance.mark('terminal-ready');
    this.dataset.ready = 'true';
  }

  /** Builds a fresh lab and replays `log` into new terminals. False when the log does not replay. */
  private async build(log: LogEntry[]): Promise<boolean> {
    const live = await this.loadLive();
    if (!live) {
      if (!this.tabs.length) this.openTerminals();
      return true;
    }
    let lab: Lab;
    try {
      lab = live.buildLab(this.spec());
    } catch {
      return false;
    }
    this.adopt(lab);
    this.openTerminals(lab);
    // Replay the saved log as if typed (without pacing), then show the prompts.
    this.replaying = true;
    try {
      for (const e of log) {
        const tab = this.tabs.find((x) => x.host === e.h) ?? this.tabs[0];
        if ('c' in e) tab.replay(e.c, e.ms);
        else lab.writeFile(e.w, e.text, { host: e.h, container: e.ctr ?? null });
      }
    } catch {
      return false;
    } finally {
      this.replaying = false;
    }
    this.log = log.slice();
    this.labLogSeen = lab.log.length;
    this.renderViews();
    this.dataset.live = 'true';
    return true;
  }

  private current(): HostTerminal | undefined {
    return this.tabs[this.active];
  }

  private select(i: number, focus = true): void {
    this.active = i;
    this.tabs.forEach((tab, j) => {
      tab.el.hidden = j !== i;
      const btn = this.querySelector<HTMLElement>(`#tab-${CSS.escape(tab.host)}`);
      btn?.setAttribute('aria-selected', String(j === i));
      btn?.setAttribute('tabindex', j === i ? '0' : '-1');
    });
    const tab = this.tabs[i];
    if (!tab) return;
    (window as unknown as { __term: unknown }).__term = tab.term;
    requestAnimationFrame(() => tab.safeFit());
    if (focus) tab.focus();
  }

  /** A command ended: append the lines the lab logged (joined continuation lines included) and save. */
  private commandDone(host: string, interruptedAfterMs: number | undefined): void {
    if (!this.lab) return;
    const fresh = this.lab.log.slice(this.labLogSeen);
    this.labLogSeen = this.lab.log.length;
    fresh.forEach((entry, i) => {
      const e: LogEntry = { h: entry.host || host, c: entry.command };
      if (interruptedAfterMs !== undefined && i === fresh.length - 1) e.ms = interruptedAfterMs;
      this.log.push(e);
    });
    this.persist();
    this.queueViews();
  }

  private persist(): void {
    saveLab(this.snapshot());
  }

  private snapshot(): SavedLab {
    return { v: 1, chapter: this.chapter, seed: this.seed, log: this.log };
  }

  private onUiRequest(r: UiRequest): void {
    if (this.replaying || r.kind !== 'edit' || !this.lab) return;
    const text = this.lab.readFile(r.path, { host: r.host, container: r.container }) ?? '';
    void this.editor.edit({ host: r.host, container: r.container, path: r.path, language: r.language, text });
  }

  private saveFile(target: EditTarget, text: string): string | null {
    if (!this.lab) return t.labNotLoaded;
    const err = this.lab.writeFile(target.path, text, { host: target.host, container: target.container });
    if (!err) {
      this.log.push({ h: target.host, w: target.path, text, ctr: target.container });
      this.persist();
    }
    return err;
  }

  /** A snippet's Run button: types the command into the current terminal. */
  private runSnippet(code: string): void {
    const tab = this.current();
    if (!tab) return;
    this.closest('[data-split]')?.dispatchEvent(new CustomEvent('dnlab:show-lab'));
    tab.typeAndRun(code);
    tab.focus();
  }

  status(text: string, warn = false): void {
    const el = this.querySelector<HTMLElement>('[data-status]')!;
    el.textContent = text;
    el.classList.toggle('warn', warn);
    el.hidden = !text;
    // It covers the terminal's corner: news goes away by itself, a warning stays until replaced.
    window.clearTimeout(this.statusTimer);
    if (text && !warn) this.statusTimer = window.setTimeout(() => (el.hidden = true), STATUS_SHOWN_MS);
  }

  private wireToolbar(): void {
    const on = (sel: string, fn: (b: HTMLButtonElement) => unknown): void => {
      const b = this.querySelector<HTMLButtonElement>(sel);
      b?.addEventListener('click', () => void fn(b));
    };
    on('[data-action=reset]', async () => {
      if (this.log.length && !confirm(t.resetConfirm)) return;
      clearLab(this.chapter);
      this.log = [];
      this.status('');
      if (this.lab) await this.build([]);
      else this.openTerminals();
      this.current()?.focus();
    });
    on('[data-action=share]', async () => {
      const packed = await encodeShare(this.snapshot());
      if (!packed) {
        this.status(t.shareTooBig, true);
        return;
      }
      const url = `${location.origin}${location.pathname}#lab=${packed}`;
      this.dataset.shareUrl = url;
      try {
        await navigator.clipboard.writeText(url);
      } catch {
        /* clipboard may be refused: the link is still shown */
      }
      this.status(t.shareCopied);
      const link = this.querySelector<HTMLAnchorElement>('[data-share-link]');
      if (link) {
        link.href = url;
        link.hidden = false;
      }
    });
    on('[data-action=max]', (b) => {
      const max = !this.classList.contains('maximised');
      this.classList.toggle('maximised', max);
      document.body.classList.toggle('lab-maximised', max);
      b.setAttribute('aria-pressed', String(max));
      b.title = max ? t.restore : t.maximise;
      b.setAttribute('aria-label', b.title);
      requestAnimationFrame(() => {
        this.current()?.safeFit();
        this.renderViews();
      });
    });
    on('[data-action=sr]', (b) => {
      const onNow = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', String(onNow));
      for (const tab of this.tabs) tab.term.options.screenReaderMode = onNow;
    });
    on('[data-action=files]', async (b) => {
      const menu = this.querySelector<HTMLElement>('[data-files]')!;
      if (!menu.hidden) {
        menu.hidden = true;
        b.setAttribute('aria-expanded', 'false');
        return;
      }
      await this.ensureLive();
      const lab = this.lab;
      if (!lab) return;
      const host = this.current()?.host ?? lab.hosts[0];
      menu.replaceChildren();
      for (const path of FILES) {
        const text = lab.readFile(path, { host });
        if (text === null && path !== '/etc/docker/daemon.json') continue;
        const item = document.createElement('button');
        item.type = 'button';
        item.setAttribute('role', 'menuitem');
        item.textContent = path;
        item.addEventListener('click', () => {
          menu.hidden = true;
          b.setAttribute('aria-expanded', 'false');
          const lang = /\.json$/.test(path) ? 'json' : /Dockerfile/.test(path) ? 'dockerfile' : /\.py$/.test(path) ? 'python' : 'plaintext';
          void this.editor.edit({ host, container: null, path, language: lang, text: lab.readFile(path, { host }) ?? '' });
        });
        menu.append(item);
      }
      menu.hidden = false;
      b.setAttribute('aria-expanded', 'true');
      menu.querySelector('button')?.focus();
    });
    // Views: topology / packet trace tabs.
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-view-tab]')) {
      b.addEventListener('click', () => this.showView(b.dataset.viewTab!));
    }
    this.querySelector('[data-topology]')!.addEventListener('click', (e) => void this.onTopoClick(e));
    this.querySelector('[data-topology]')!.addEventListener('keydown', (e) => {
      const k = (e as KeyboardEvent).key;
      if (k === 'Enter' || k === ' ') {
        e.preventDefault();
        void this.onTopoClick(e);
      }
    });
    this.querySelector('[data-details-close]')?.addEventListener('click', () => {
      this.querySelector<HTMLElement>('[data-details]')!.hidden = true;
    });
  }

  private showView(name: string): void {
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-view-tab]')) {
      const sel = b.dataset.viewTab === name;
      b.setAttribute('aria-selected', String(sel));
      b.tabIndex = sel ? 0 : -1;
    }
    for (const v of this.querySelectorAll<HTMLElement>('[data-view]')) v.hidden = v.dataset.view !== name;
    this.renderViews();
  }

  private async onTopoClick(e: Event): Promise<void> {
    const g = (e.target as Element).closest?.('[data-kind]');
    if (!g) return;
    await this.ensureLive();
    if (!this.lab || !this.live) return;
    const kind = g.getAttribute('data-kind')!;
    const name = g.getAttribute('data-name')!;
    const host = g.getAttribute('data-host')!;
    const box = this.querySelector<HTMLElement>('[data-details]')!;
    box.querySelector('[data-details-body]')!.innerHTML = this.live.renderDetails(this.lab, host, kind, name);
    box.hidden = false;
  }

  private queueViews(): void {
    if (this.viewQueued) return;
    this.viewQueued = true;
    requestAnimationFrame(() => {
      this.viewQueued = false;
      this.renderViews();
    });
  }

  /** Redraws the topology and the trace from the lab (after every command and save). */
  renderViews(): void {
    if (!this.lab || !this.live) {
      // Before the simulator loads: the starting topology, at the box's real width.
      const topoBox = this.querySelector<HTMLElement>('[data-topology]')!;
      if (this.start && topoBox.clientWidth) topoBox.innerHTML = renderTopology(this.start.topology, topoBox.clientWidth - 4).svg;
      return;
    }
    const { renderTrace, pathKeys } = this.live;
    const trace = this.lab.lastTrace();
    const topoBox = this.querySelector<HTMLElement>('[data-topology]')!;
    const width = topoBox.clientWidth || 640;
    const { svg } = renderTopology(this.lab.topology(), width - 4, pathKeys(trace), this.attention);
    topoBox.innerHTML = svg;
    this.querySelector<HTMLElement>('[data-trace]')!.innerHTML = renderTrace(trace, t.noTrace);
    const badge = this.querySelector<HTMLElement>('[data-trace-badge]');
    if (badge) badge.hidden = !trace;
  }
}
