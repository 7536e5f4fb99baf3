/**
 * Runnable snippets: code blocks marked ```sh run``` in a lesson get Run and Copy buttons (the
 * markup comes from the Shiki transformer in astro.config.mjs: data-run, data-code). Run sends
 * the command to the lab (`dnlab:run`), which types it into the current terminal.
 */
import { t } from './i18n.ts';

export function enhanceSnippets(root: ParentNode = document): void {
  for (const pre of root.querySelectorAll<HTMLElement>('pre[data-run]')) {
    if (pre.parentElement?.classList.contains('snippet')) continue;
    const code = pre.dataset.code ?? pre.textContent ?? '';
    const wrap = document.createElement('div');
    wrap.className = 'snippet';
    pre.replaceWith(wrap);
    const bar = document.createElement('div');
    bar.className = 'snippet-bar';
    const run = document.createElement('button');
    run.type = 'button';
    run.className = 'primary';
    run.textContent = `▶ ${t.run}`;
    run.title = t.runTitle;
    run.setAttribute('aria-label', `${t.run}: ${code.split('\n')[0]}`);
    run.addEventListener('click', () => window.dispatchEvent(new CustomEvent('dnlab:run', { detail: code })));
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.textContent = t.copy;
    copy.setAttribute('aria-label', `${t.copy}: ${code.split('\n')[0]}`);
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(code);
        copy.textContent = t.copied;
        setTimeout(() => (copy.textContent = t.copy), 1500);
      } catch {
        /* clipboard refused */
      }
    });
    bar.append(run, copy);
    wrap.append(pre, bar);
  }
}
