// Load the search index when the reader goes to search, not with every page.
//
// Material fetches the whole search index (search/search_index.json, over 200 KB: every section's
// text) as soon as a page opens. On a phone's first visit that is a third of what the page costs,
// and it competes with the page's own text for a slow connection. This script, loaded before
// Material's, holds that one request until the reader puts the focus in the search box (which is
// what opening the search does, by touch, click or keyboard), then lets it go; Material's search
// then starts as before. A page opened from a search result (?h=, whose words Material highlights
// with the index's settings) or with a search to run (?q=) lets it go at once. After the first
// visit the service worker serves the index from the device, so holding it costs nothing there.
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json(\?.*)?$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var released = false;

  function release() {
    if (released) return;
    released = true;
    held.forEach(function (request) { send.apply(request.xhr, request.args); });
    held = [];
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.hbSearchIndex = INDEX.test(new URL(String(url), window.location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.hbSearchIndex && !released) {
      held.push({xhr: this, args: arguments});
      return undefined;
    }
    return send.apply(this, arguments);
  };

  var asked = new URLSearchParams(window.location.search);
  if (asked.has("h") || asked.has("q")) released = true;

  document.addEventListener("focusin", function (event) {
    if (event.target instanceof Element && event.target.matches("input[data-md-component='search-query']")) {
      release();
    }
  }, true);
})();
