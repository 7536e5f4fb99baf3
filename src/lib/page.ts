/** Page-wide behaviour shared by every page: the theme toggle and the offline service worker. */

const THEME_KEY = 'dnlab:theme';

export function currentTheme(): 'light' | 'dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function setupTheme(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-theme-toggle]');
  if (!button) return;
  const sync = (): void => button.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  sync();
  button.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      /* storage may be disabled: the toggle still works for this page */
    }
    sync();
    window.dispatchEvent(new CustomEvent('dnlab:theme', { detail: next }));
  });
}

/** The service worker (public/sw.js, its precache list written at build time) makes every page work offline. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || (location.hostname === 'localhost' && import.meta.env.DEV)) return;
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(`${base}/sw.js`).catch(() => {
      /* offline support is a bonus: the page works without it */
    });
  });
}
