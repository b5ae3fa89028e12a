// On every page: keep the handbook on the reader's device, and say when they are reading it offline.
//
// - Registers the service worker (sw.js, written by handbook/web/service_worker.py) once the page has
//   loaded, so that saving the rest of the handbook never slows the page itself. Not from disk
//   (file://), where browsers have no service workers: the offline pack works without one.
// - While the device has no network, the status line at the top of the page says so, naming the
//   edition and its date.
// - When a newer copy takes over while the page is open (a newer build at the same address, or a
//   new edition at the latest address), it says so and offers to reload the page.
// - In a published edition, also registers the site root's worker (sw.js beside versions.json,
//   handbook/web/assets/site-root-worker.js), so that the site's own address opens offline too.
//
// The status line is a live region (role="status"), empty while there is nothing to say, so a
// screen reader announces each message as it appears.
(function () {
  "use strict";
  var status = document.querySelector(".hb-offline");
  if (!status) return;
  var message = null;

  function say(kind) {
    if (message && message.getAttribute("data-kind") === "updated") return;  // until the reader reloads
    status.textContent = "";
    message = null;
    if (!kind) return;
    message = document.createElement("p");
    message.setAttribute("data-kind", kind);
    message.textContent = status.getAttribute("data-hb-" + kind) + " ";
    if (kind === "updated") {
      var reload = document.createElement("button");
      reload.type = "button";
      reload.className = "hb-offline__reload";
      reload.textContent = "Reload the page";
      reload.addEventListener("click", function () { window.location.reload(); });
      message.appendChild(reload);
    }
    status.appendChild(message);
  }

  window.addEventListener("offline", function () { say("offline"); });
  window.addEventListener("online", function () { say(null); });
  if (navigator.onLine === false) say("offline");

  if (!("serviceWorker" in navigator) || window.location.protocol === "file:" ||
      !status.hasAttribute("data-hb-service-worker")) {
    return;
  }
  var root = new URL(status.getAttribute("data-hb-root"), window.location.href);
  // The first worker takes control of the page it was saved from; only a later one is news.
  var controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (controlled) say("updated");
    controlled = true;
  });

  function register() {
    var scopes = [root];
    if (status.hasAttribute("data-hb-site-root")) {
      scopes.push(new URL(status.getAttribute("data-hb-site-root"), window.location.href));
    }
    scopes.forEach(function (scope) {
      navigator.serviceWorker.register(new URL("sw.js", scope).href, {scope: scope.href})
        .catch(function (error) { console.warn("The handbook cannot be saved for reading offline:", error); });
    });
  }
  if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register);
  }
})();
