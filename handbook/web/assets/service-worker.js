// The handbook's service worker: keeps this copy of the handbook on the reader's device, so that
// after one visit it opens, searches and shows its PDFs with no network.
//
// handbook/web/service_worker.py writes this file into the built site as sw.js, with the list of the
// site's files and a hash of each one's content in place of the empty list below. Its scope is
// the folder it is in: a published edition (2026.2/), the latest alias (latest/), or wherever a
// build is served from. As a reader opens a page online, the browser checks sw.js for changes;
// Workbox then downloads only the files whose hash changed, and removes what is no longer listed.
//
// Workbox is loaded from this site (assets/vendor/workbox/, copied from the npm packages that
// package.json pins), never from Google's servers: nothing is fetched from another host.
importScripts("assets/vendor/workbox/workbox-sw.js");
workbox.setConfig({modulePathPrefix: "assets/vendor/workbox/", debug: false});

var PRECACHE = /* handbook:precache */[];

// Saved as "handbook-edition-" and this folder's address: the site root's worker finds the saved
// editions by that name (handbook/web/assets/site-root-worker.js).
workbox.core.setCacheNameDetails({prefix: "handbook", precache: "edition"});
// A newer copy (a newer build at the same address, or the latest alias moved to a new edition)
// takes over as soon as it is saved, rather than after every tab is closed: a practitioner should
// not keep reading replaced procedures. The page says so and offers to reload it.
self.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// "?h=word" is Material's search highlight and "?q=words" the search from the 404 page: the page
// is the same one.
workbox.precaching.precacheAndRoute(PRECACHE, {
  ignoreURLParametersMatching: [/^h$/, /^q$/, /^utm_/, /^fbclid$/],
});
