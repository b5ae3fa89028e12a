// The service worker at the root of the published site, beside mike's versions.json and its page
// that sends readers on to the latest edition (latest/). `handbook publish` puts it there.
//
// Each edition keeps itself on the reader's device with its own worker, scoped to its folder
// (handbook/web/assets/service-worker.js). This one only makes the site's own address work offline
// too: with no network, it sends the reader to the edition saved on their device, the latest
// alias if they have it, else the newest edition they have. Written without Workbox: there is
// nothing to precache, only one address to answer, and the editions' saved copies to find by the
// cache names their workers give them ("handbook-edition-" and the edition's address).
var ROOT = new URL("./", self.location.href).href;
var EDITION_CACHE = "handbook-edition-" + ROOT;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// 2026.10 is newer than 2026.9; the latest alias first of all.
function rank(folder) {
  if (folder === "latest") return Infinity;
  var match = /^(\d{4})\.(\d+)$/.exec(folder);
  return match ? Number(match[1]) * 100000 + Number(match[2]) : -1;
}

function savedEdition() {
  return caches.keys().then(function (names) {
    var folders = names
      .filter(function (name) { return name.indexOf(EDITION_CACHE) === 0; })
      .map(function (name) { return name.slice(EDITION_CACHE.length).replace(/\/$/, ""); })
      .filter(function (folder) { return folder && folder.indexOf("/") === -1 && rank(folder) >= 0; })
      .sort(function (a, b) { return rank(b) - rank(a); });
    return folders.length ? new URL(folders[0] + "/", ROOT).href : null;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.mode !== "navigate" || request.url.split(/[?#]/)[0] !== ROOT) return;
  event.respondWith(fetch(request).catch(function (error) {
    return savedEdition().then(function (edition) {
      if (!edition) throw error;
      return Response.redirect(edition, 302);
    });
  }));
});
