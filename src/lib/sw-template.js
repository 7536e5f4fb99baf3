// The offline service worker (the build fills in the version and the precache list: see
// astro.config.mjs). Pages, scripts and styles are served cache-first; anything else fetched
// (Monaco on first use) is cached as it goes, so the whole course works offline after one visit.
/* global self, caches, fetch, Response */
const VERSION = '__VERSION__';
const PRECACHE = /* precache list */ [];
const CACHE = `dnlab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('dnlab-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const url = new URL(req.url);
      const key = req.mode === 'navigate' && !url.pathname.endsWith('/') && !/\.[a-z0-9]+$/i.test(url.pathname) ? url.pathname + '/' : req;
      const hit = (await cache.match(key, { ignoreSearch: true })) ?? (await cache.match(req, { ignoreSearch: true }));
      if (hit) return hit;
      try {
        const res = await fetch(req);
        if (res.ok && res.type === 'basic') cache.put(req, res.clone());
        return res;
      } catch (e) {
        if (req.mode === 'navigate') return (await cache.match('/404.html')) ?? Response.error();
        throw e;
      }
    }),
  );
});
