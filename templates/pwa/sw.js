/* Yixian Safety service worker (issue 18), served by yixian_safety.pwa at /sw.js, scope "/".
 *
 * - install: caches the app shell (vendored CSS/JS, our CSS/JS, the offline page);
 * - static files: from the cache, refreshed in the background (stale-while-revalidate);
 * - pages (navigations): from the network; without one, the copy a page asked to keep for
 *   offline use (static/js/offline.js: the hazard form), else the offline page
 *   (需要网络连接) instead of the browser's error;
 * - anything else (POSTs, the API, downloads) goes to the network untouched: the hazard
 *   form's offline queue is static/js/offline.js, in the page.
 */
"use strict";

var CONFIG = {{ config|safe }};
var SHELL_CACHE = "yx-shell-__VERSION__";
var PAGES_CACHE = "yx-pages"; // written by offline.js, emptied on logout

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(CONFIG.shell.concat([CONFIG.offline]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("yx-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromCacheThenRefresh(event) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(event.request).then(function (cached) {
      var fresh = fetch(event.request).then(function (response) {
        if (response.ok) cache.put(event.request, response.clone());
        return response;
      });
      if (cached) {
        event.waitUntil(fresh.catch(function () {}));
        return cached;
      }
      return fresh;
    });
  });
}

function page(event) {
  return fetch(event.request).catch(function () {
    return caches.open(PAGES_CACHE).then(function (pages) {
      return pages.match(event.request, { ignoreSearch: true });
    }).then(function (kept) {
      return kept || caches.match(CONFIG.offline);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(fromCacheThenRefresh(event));
  }
});
