// The field app's service worker: keeps every file of one app version in a cache of its own, so
// the app opens without a network. A new version (this file changed) is installed beside the old
// one and waits; the page lets it take over at the next online start. API requests never come
// here: they go straight to the network (static routing where the browser has it).
const VERSION = '1.2.0';
const CACHE = `anjian-app-${VERSION}`;
const ASSETS = [
  './',
  'index.html',
  'app.css',
  'manifest.webmanifest',
  'icons/icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'js/main.js',
  'js/session.js',
  'js/shell.js',
  'js/drafts.js',
  'js/storage-health.js',
  'js/worker-client.js',
  'js/store/db.js',
  'js/store/device.js',
  'js/store/user-store.js',
  'js/store/photo-retention.js',
  'js/store/enterprise-chunks.js',
  'js/net/api.js',
  'js/net/revocations.js',
  'js/sync/engine.js',
  'js/logic/ids.js',
  'js/logic/labels.js',
  'js/logic/checklist.js',
  'js/logic/hazard-steps.js',
  'js/logic/search.js',
  'js/logic/safety-code.js',
  'vendor/jsQR.js',
  'vendor/jsQR.LICENSE',
  'vendor/VERSIONS.txt',
  'js/media/sha256.js',
  'js/media/photos.js',
  'js/ui/dom.js',
  'js/ui/icons.js',
  'js/ui/photo-picker.js',
  'js/ui/signature-pad.js',
  'js/transfer/export.js',
  'js/screens/base.js',
  'js/screens/login.js',
  'js/screens/tasks.js',
  'js/screens/enterprises.js',
  'js/screens/enterprise.js',
  'js/screens/scan.js',
  'js/screens/inspections.js',
  'js/screens/inspection.js',
  'js/screens/inspection-view.js',
  'js/screens/hazards.js',
  'js/screens/hazard.js',
  'js/screens/outbox.js',
  'js/screens/sync.js',
];
const SCOPE = new URL(self.registration.scope).pathname;

self.addEventListener('install', (event) => {
  if (event.addRoutes && self.URLPattern) {
    try {
      event.addRoutes({ condition: { urlPattern: new URLPattern({ pathname: '/api/*' }) }, source: 'network' });
    } catch { /* older static routing API: the fetch handler lets these pass anyway */ }
  }
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Straight from the server, never from the HTTP cache: a version is all new or not installed.
    await cache.addAll(ASSETS.map((path) => new Request(path, { cache: 'reload' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('anjian-app-') && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (request.mode === 'navigate') return (await cache.match('index.html')) || fetch(request);
    return (await cache.match(request, { ignoreSearch: true })) || fetch(request);
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
  if (event.data?.type === 'version') event.ports[0]?.postMessage({ version: VERSION });
});
