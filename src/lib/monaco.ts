/**
 * Monaco, loaded lazily (a dynamic import when the editor first opens): never in a page's initial
 * bundle. Uses the tree-shakeable entry points of monaco-editor >= 0.56 and only the editor worker
 * (no language services: JSON is coloured with the JavaScript tokenizer).
 */
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/dockerfile/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/yaml/register';

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** The simulator's language names (UiRequest.language) to Monaco's. */
export function monacoLanguage(language: string, path: string): string {
  const l = language.toLowerCase();
  if (l === 'json' || /\.json$/.test(path)) return 'javascript';
  if (l === 'dockerfile' || /(^|\/)Dockerfile[^/]*$/.test(path)) return 'dockerfile';
  if (l === 'shell' || l === 'sh' || l === 'bash' || /\.(sh|bash)$/.test(path)) return 'shell';
  if (l === 'python' || /\.py$/.test(path)) return 'python';
  if (l === 'yaml' || /\.ya?ml$/.test(path)) return 'yaml';
  if (l === 'ini' || /\.(ini|conf|cfg|service)$/.test(path)) return 'ini';
  return 'plaintext';
}

export interface LabEditor {
  getValue(): string;
  focus(): void;
  setTheme(dark: boolean): void;
  dispose(): void;
  onSave(fn: () => void): void;
}

export function createEditor(el: HTMLElement, value: string, language: string, path: string, dark: boolean): LabEditor {
  const editor = monaco.editor.create(el, {
    value,
    language: monacoLanguage(language, path),
    automaticLayout: true,
    minimap: { enabled: false },
    theme: dark ? 'vs-dark' : 'vs',
    fontSize: 14,
    scrollBeyondLastLine: false,
    ariaLabel: `Editor: ${path}`,
  });
  (window as unknown as { __editor: unknown }).__editor = editor;
  return {
    getValue: () => editor.getValue(),
    focus: () => editor.focus(),
    setTheme: (d) => monaco.editor.setTheme(d ? 'vs-dark' : 'vs'),
    dispose: () => editor.dispose(),
    onSave: (fn) => editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, fn),
  };
}
