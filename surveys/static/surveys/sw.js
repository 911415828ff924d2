// Service worker of the survey pages (see surveys/offline.py). It answers from its
// cache only when the network fails, and caches nothing by itself: the survey page
// puts its blank questionnaire ("shell") and its own styles and scripts in the cache.
"use strict";
var CACHE = "survey-pages-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (n) { return n.indexOf("survey-pages-") === 0 && n !== CACHE; })
          .map(function (n) { return caches.delete(n); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).catch(function (error) {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          if (hit) return hit;
          throw error;
        });
      });
    })
  );
});
