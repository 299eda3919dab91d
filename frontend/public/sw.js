// Paytungan's service worker: an offline shell, nothing more. Pages and the API always go to the
// network (money must never come from a stale cache); a page request that fails offline gets
// /offline.html instead of the browser's error page. Bump VERSION when offline.html changes.
const VERSION = "shell-v1";
const SHELL = ["/offline.html", "/icons/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode !== "navigate") return; // assets and /api: the browser as usual
  event.respondWith(fetch(request).catch(() => caches.match("/offline.html")));
});
