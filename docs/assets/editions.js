// Old-edition notice for a published edition of the handbook.
//
// Every published edition lives in its own folder beside versions.json, which mike rewrites at
// each publication. An edition's own files never change after it is published, so whether it is
// still current can only be known here, in the reader's browser: if versions.json says another
// edition is "latest", show the notice (rendered hidden into every page) and point its link at the
// same page in the latest edition, or at that edition's home page if the page no longer exists.
(function () {
  "use strict";
  var notice = document.querySelector(".hb-old-edition");
  if (!notice || !window.fetch) return;
  var edition = notice.getAttribute("data-hb-edition");
  var root = new URL(notice.getAttribute("data-hb-root"), window.location.href);
  var link = notice.querySelector(".hb-old-edition__link");

  fetch(new URL("../versions.json", root).href, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (versions) {
      var latest = versions.filter(function (v) {
        return (v.aliases || []).indexOf("latest") !== -1;
      })[0];
      if (!latest || latest.version === edition) return;
      var here = window.location.href.split("#")[0];
      var path = here.indexOf(root.href) === 0 ? here.slice(root.href.length) : "";
      var latestRoot = new URL("../" + encodeURIComponent(latest.version) + "/", root);
      var samePage = new URL(path, latestRoot);
      link.textContent = latest.version;
      link.href = latestRoot.href;
      notice.hidden = false;
      return fetch(samePage.href, { method: "HEAD" }).then(function (response) {
        if (response.ok) link.href = samePage.href;
      });
    })
    .catch(function () { /* no versions.json (a working copy or a single edition): nothing to say */ });
})();
