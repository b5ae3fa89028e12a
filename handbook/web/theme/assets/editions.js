// Old-edition notice for a published edition of the handbook.
//
// Every published edition lives in its own folder beside versions.json, which mike rewrites at
// each publication. An edition's own files never change after it is published, so whether it is
// still current can only be known here, in the reader's browser: if versions.json says another
// edition is "latest", show the notice (rendered hidden into every page) and point its link at the
// same page in the latest edition, or at that edition's home page if the page no longer exists.
//
// The newest edition this browser has heard of is remembered on the device. A page read offline
// (from the copy the service worker keeps) cannot ask versions.json, but once a newer edition is
// known, every older edition's pages say so, online or not.
(function () {
  "use strict";
  var notice = document.querySelector(".hb-old-edition");
  if (!notice) return;
  var edition = notice.getAttribute("data-hb-edition");
  var root = new URL(notice.getAttribute("data-hb-root"), window.location.href);
  var link = notice.querySelector(".hb-old-edition__link");
  var remembered = "hb-newest-edition:" + new URL("../", root).href;

  // 2026.10 is newer than 2026.9.
  function key(id) {
    var match = /^(\d{4})\.(\d+)$/.exec(id || "");
    return match ? Number(match[1]) * 100000 + Number(match[2]) : -1;
  }

  function recall() {
    try { return window.localStorage.getItem(remembered); } catch (error) { return null; }
  }

  function remember(id) {
    try { window.localStorage.setItem(remembered, id); } catch (error) { /* private browsing: not kept */ }
  }

  function show(latest) {
    if (!latest || key(latest) <= key(edition)) {
      notice.hidden = true;
      return null;
    }
    var here = window.location.href.split("#")[0].split("?")[0];
    var path = here.indexOf(root.href) === 0 ? here.slice(root.href.length) : "";
    var latestRoot = new URL("../" + encodeURIComponent(latest) + "/", root);
    link.textContent = latest;
    link.href = latestRoot.href;
    notice.hidden = false;
    return {root: latestRoot, samePage: new URL(path, latestRoot)};
  }

  show(recall());
  if (!window.fetch) return;
  fetch(new URL("../versions.json", root).href, {cache: "no-store"})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (versions) {
      if (!versions) return;
      var latest = versions.filter(function (v) {
        return (v.aliases || []).indexOf("latest") !== -1;
      })[0];
      if (!latest) return;
      remember(latest.version);
      var shown = show(latest.version);
      if (!shown) return;
      return fetch(shown.samePage.href, {method: "HEAD"}).then(function (response) {
        if (response.ok) link.href = shown.samePage.href;
      });
    })
    .catch(function () { /* offline, or no versions.json (a working copy): what is remembered stands */ });
})();
