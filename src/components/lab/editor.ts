/**
 * The lab's file editor: a <dialog> with Monaco inside, opened by `vi FILE` / `nano FILE` (a
 * UiRequest from the simulator) or from the file list. Monaco is imported on first open only.
 * Save writes through Lab.writeFile; Close (or Escape) returns to the terminal.
 */
import type { LabEditor } from '../../lib/monaco.ts';
import { t } from '../../lib/i18n.ts';

export interface EditTarget {
  host: string;
  container: string | null;
  path: string;
  language: string;
  text: string;
}

export class EditorDialog {
  private editor: LabEditor | null = null;
  private target: EditTarget | null = null;

  constructor(
    private readonly dialog: HTMLDialogElement,
    /** Writes the file; returns an error text or null. */
    private readonly save: (target: EditTarget, text: string) => string | null,
    private readonly onClose: () => void,
  ) {
    dialog.querySelector('[data-editor-save]')!.addEventListener('click', () => this.doSave());
    dialog.querySelector('[data-editor-close]')!.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      this.editor?.dispose();
      this.editor = null;
      this.onClose();
    });
    window.addEventListener('dnlab:theme', () => this.editor?.setTheme(document.documentElement.dataset.theme === 'dark'));
  }

  get open(): boolean {
    return this.dialog.open;
  }

  async edit(target: EditTarget): Promise<void> {
    this.target = target;
    const title = this.dialog.querySelector<HTMLElement>('[data-editor-title]')!;
    const status = this.dialog.querySelector<HTMLElement>('[data-editor-status]')!;
    const host = this.dialog.querySelector<HTMLElement>('[data-editor-host]')!;
    title.textContent = t.editorTitle(target.path, target.container ? t.editorInContainer(target.container, target.host) : target.host);
    status.textContent = t.editorLoading;
    this.editor?.dispose();
    this.editor = null;
    host.replaceChildren();
    if (!this.dialog.open) this.dialog.showModal();
    performance.mark('editor-open');
    const { createEditor } = await import('../../lib/monaco.ts');
    if (this.target !== target || !this.dialog.open) return;
    this.editor = createEditor(host, target.text, target.language, target.path, document.documentElement.dataset.theme === 'dark');
    this.editor.onSave(() => this.doSave());
    status.textContent = '';
    this.editor.focus();
    performance.mark('editor-ready');
  }

  private doSave(): void {
    if (!this.editor || !this.target) return;
    const status = this.dialog.querySelector<HTMLElement>('[data-editor-status]')!;
    const err = this.save(this.target, this.editor.getValue());
    status.textContent = err ?? t.saved(this.target.path);
    status.classList.toggle('error', !!err);
  }
}
