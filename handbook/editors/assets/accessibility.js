/* Names for the editors' form's icon-only controls, and text dark enough to read.
 *
 * Decap CMS draws each record of a list with three controls on its bar: open or close, move
 * (drag, or Space then the arrow keys) and remove, as bare icons that a screen reader announces as
 * "button" with no name. axe-core finds them (tests/editors/test_cms_browser.py); an editor who cannot see
 * the icons could not retire a coordinator. Decap gives no option to name them, so this names each
 * one after its record, as Decap draws and redraws them. */
(function () {
  "use strict";

  function recordName(item) {
    const label = item.querySelector(":scope > [class*='NestedObjectLabel']");
    const text = label ? label.textContent.trim() : "";
    return text || "this record";
  }

  function nameControls(root) {
    for (const item of root.querySelectorAll("[class*='SortableListItem']")) {
      const bar = item.querySelector(":scope > [class*='TopBar']");
      if (!bar) continue;
      const name = recordName(item);
      const buttons = bar.querySelectorAll(":scope > button");
      const handle = bar.querySelector(":scope > [role='button']");
      const labels = [];
      if (buttons.length >= 1) labels.push([buttons[0], `Show or hide ${name}`]);
      if (buttons.length >= 2) labels.push([buttons[buttons.length - 1], `Remove ${name}`]);
      if (handle) labels.push([handle, `Move ${name}`]);
      for (const [element, label] of labels) {
        if (element.getAttribute("aria-label") !== label) element.setAttribute("aria-label", label);
      }
    }
  }

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      nameControls(document.body);
    });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
})();
