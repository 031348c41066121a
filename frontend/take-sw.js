// The candidate page's service worker: once /take has loaded, it loads again without the network
// (a reload while the connection is down shows the test, not the browser's error page). The
// page's own files are fetched from the network first, so a deploy is seen at once, and taken
// from the cache only when the network fails; the figures of the candidate's sections likewise.
// Nothing else of the API is touched: answers wait in the page's own queue (take-queue.js), and
// the attempt the page last saw is kept by the page (take-state.js, sessionStorage).
//
// Served from /take-sw.js and registered with the scope /take, so it controls the candidate
// page only. tests/browser/offline-files.test.mjs checks that FILES is every file the page loads.

const PAGE_CACHE = 'meritest-take-page-v1';
const FIGURE_CACHE = 'meritest-take-figures';
/** How long the network may take before the cached copy is used instead. */
const NETWORK_WAIT_MS = 6000;

/** The page and every file it loads (its modules, their imports, the style sheet). */
const FILES = [
  '/take',
  '/css/app.css',
  '/js/api.js',
  '/js/i18n.js',
  '/js/i18n/en.js',
  '/js/i18n/id.js',
  '/js/locale.js',
  '/js/proctor-feed.js',
  '/js/shell.js',
  '/js/take-api.js',
  '/js/take-clock.js',
  '/js/take-adaptive.js',
  '/js/take-items.js',
  '/js/take-proctor.js',
  '/js/take-queue.js',
  '/js/take-screens.js',
  '/js/take-section.js',
  '/js/take-signals.js',
  '/js/take-state.js',
  '/js/take-stream.js',
  '/js/take.js',
];

const FIGURE_PATH = /^\/api\/v1\/candidate\/sections\/\d+\/assets\/[^/]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(PAGE_CACHE);
    await cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([PAGE_CACHE, FIGURE_CACHE]);
    for (const name of await caches.keys()) if (name.startsWith('meritest-take-') && !keep.has(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (FIGURE_PATH.test(url.pathname)) event.respondWith(networkFirst(req, FIGURE_CACHE, url.pathname));
    return;
  }
  // The page itself is kept under /take whatever its query string.
  const key = req.mode === 'navigate' ? url.pathname.replace(/\.html$/, '') : url.pathname;
  event.respondWith(networkFirst(req, PAGE_CACHE, key));
});

/** The network's answer (kept for next time when it is good), else the kept copy, else the failure. */
async function networkFirst(req, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const res = await withTimeout(fetch(req), NETWORK_WAIT_MS);
    if (res.ok && res.type === 'basic') await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw err;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the network did not answer in time')), ms);
    promise.then((v) => {
      clearTimeout(timer);
      resolve(v);
    }, (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
