// The contacts directory's locality filter (handbook/rendering/templates/_contacts_directory.html).
// Without JavaScript the form stays hidden and the whole directory shows, so nothing is lost.
// Choosing a locality hides the other localities' people and teams; contacts that serve every
// locality always stay. The status line says what is shown, for screen reader users too.
(function () {
  "use strict";
  var form = document.querySelector("[data-hb-filter]");
  if (!form) {
    return;
  }
  var select = form.querySelector("select");
  var status = form.querySelector("[role=status]");
  var directory = form.closest(".hb-directory");

  function apply() {
    var chosen = select.value;
    directory.querySelectorAll("[data-locality]").forEach(function (item) {
      item.hidden = Boolean(chosen) && item.getAttribute("data-locality") !== chosen;
    });
    // A topic whose every contact is hidden is hidden too, heading and all.
    directory.querySelectorAll(".hb-topic").forEach(function (topic) {
      topic.hidden = topic.querySelector(".hb-contact:not([hidden])") === null;
    });
    var name = select.options[select.selectedIndex].text;
    status.textContent = chosen
      ? "Showing " + name + ", and the contacts that serve every locality."
      : "Showing every locality.";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  select.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
