/**
 * Monaco, loaded lazily (a dynamic import from the editor button). Uses the tree-shakeable entry
 * points of monaco-editor >= 0.56 and only the editor worker (no language services).
 */
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/dockerfile/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/javascript/register';

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

export function createEditor(el: HTMLElement, value: string, language: string): monaco.editor.IStandaloneCodeEditor {
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const editor = monaco.editor.create(el, {
    value,
    language,
    automaticLayout: true,
    minimap: { enabled: false },
    theme: dark ? 'vs-dark' : 'vs',
    fontSize: 14,
  });
  (window as unknown as { __editor: unknown }).__editor = editor;
  return editor;
}
