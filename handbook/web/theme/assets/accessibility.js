// Keyboard and screen reader access to Material's header, menu and search, which its own markup
// lacks. Every page works without this script, as Material made it. Tested in
// tests/web/test_browser.py (the tab-stop walk at four sizes, the menu and search by keyboard on a
// phone, the shortcuts, the search's status message).
//
// 1. On narrow screens Material opens the menu drawer, and on phones the search, with <label>s
//    for hidden tick boxes: fine for a mouse or a finger, but a label is not a tab stop, and a
//    screen reader hears no button and no state. Each label gives way here to a real button that
//    ticks the same box, so Material's own behaviour is kept, and the button says whether what it
//    opens is open. The labels stay in the page, hidden, because Material looks them up.
// 2. Opening the menu puts the focus in it. Escape closes it, and so does moving the focus out of
//    it; closing the phone search puts the focus back on its button instead of losing it.
// 3. In the drawer, a section, and the page's own contents, slide in as levels of their own.
//    Material lets the keyboard open a section but not the page's contents, nor go back up a
//    level: those labels become tab stops too, with names that say what they do, and the focus
//    follows into the level that opens, or back to the label that opened it.
// 4. Material's one-key shortcuts (s, f and / for search; n, p, comma and full stop for the next
//    and previous page) are turned off. WCAG 2.1.4 (level A) rules out single-character
//    shortcuts that cannot be turned off, because speech input and slips of the keyboard set
//    them off. The search button and box, and the links at the foot of each page, do the same.
// 5. Material writes how many results a search found ("3 matching documents") where a screen
//    reader does not hear it change (WCAG 4.1.3, status messages). A status line of our own
//    repeats it while a search is typed, and stays quiet otherwise: Material also writes there
//    as each page loads.
// 6. Material's tooltips (an abbreviation's meaning, shown on hover or focus) cover the text
//    below them, and only moving the pointer or the focus away hid them: Escape hides them too
//    (WCAG 1.4.13). They come back the next time the abbreviation is pointed to or focused.
(function () {
  "use strict";
  var header = document.querySelector(".md-header");
  var drawerBox = document.getElementById("__drawer");
  var searchBox = document.getElementById("__search");
  if (!header || !drawerBox || !searchBox) {
    return;
  }

  function visible(element) {
    return element.checkVisibility
      ? element.checkVisibility({ visibilityProperty: true })
      : element.getClientRects().length > 0;
  }

  function hiddenText(text) {
    var span = document.createElement("span");
    span.className = "hb-visually-hidden";
    span.textContent = text;
    return span;
  }

  // 1. Buttons for the header's labels. Material ticks and unticks its boxes by clicking them,
  // which fires "change": so do we, and we listen for it.
  function headerButton(box, name, press) {
    var label = header.querySelector('label[for="' + box.id + '"]');
    if (!label) {
      return null;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("data-hb-for", box.id);
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-expanded", String(box.checked));
    var icon = label.querySelector("svg");
    if (icon) {
      button.appendChild(icon.cloneNode(true));
    }
    button.addEventListener("click", press);
    box.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(box.checked));
    });
    label.hidden = true;
    label.after(button);
    return button;
  }

  var drawer = document.querySelector(".md-sidebar--primary");
  var menuButton = drawer && headerButton(drawerBox, "Menu", function () {
    drawerBox.click();
    if (drawerBox.checked) {
      var first = Array.prototype.find.call(drawer.querySelectorAll("a[href], label[tabindex], button"), visible);
      if (first) {
        first.focus();
      }
    }
  });
  var search = header.querySelector(".md-search");
  var searchInput = header.querySelector(".md-search__input");
  var searchButton = search && searchInput && headerButton(searchBox, "Search", function () {
    if (!searchBox.checked) {
      searchBox.click();
    }
    searchInput.focus();
  });

  // 2. Closing the drawer and the search.
  if (menuButton) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawerBox.checked) {
        drawerBox.click();
        menuButton.focus();
      }
    });
    drawer.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (drawerBox.checked && next && !drawer.contains(next) && next !== menuButton) {
        drawerBox.click();
      }
    });
  }
  if (searchButton) {
    searchBox.addEventListener("change", function () {
      var focus = document.activeElement;
      if (!searchBox.checked && visible(searchButton) && (focus === document.body || search.contains(focus))) {
        searchButton.focus();
      }
    });
  }

  // 3. The drawer's levels. Material clicks a focused label when Enter is pressed; Space does the
  // same here, as on a button.
  var nav = document.querySelector(".md-nav--primary");
  if (nav) {
    nav.querySelectorAll(".md-nav > .md-nav__title[for]:not([for='__drawer'])").forEach(function (back) {
      back.tabIndex = 0;
      (back.querySelector(".md-nav__icon") || back.firstChild).after(hiddenText("Back from "));
    });
    nav.querySelectorAll(".md-nav__link[for='__toc'] .md-ellipsis").forEach(function (title) {
      title.closest("label").tabIndex = 0;
      title.textContent = title.textContent.trim();
      title.appendChild(hiddenText(": contents of this page"));
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === " " && event.target.matches("label[tabindex]")) {
        event.preventDefault();
        event.target.click();
      }
    });
    nav.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches(".md-nav__toggle")) {
        return;
      }
      var opener = nav.querySelector('.md-nav__link[for="' + box.id + '"]');
      var level = box.parentElement.querySelector(":scope > .md-nav");
      var back = level && level.querySelector(":scope > .md-nav__title");
      var focus = document.activeElement;
      if (box.checked && back && focus === opener && visible(back)) {
        back.focus();
      } else if (!box.checked && opener && level && (focus === document.body || level.contains(focus)) && visible(opener)) {
        opener.focus();
      }
    });
  }

  // 4. Material listens for its shortcuts on window as the key press bubbles up; this listener, on
  // window as it travels down, runs first. Typing in a box, and keys while the search is open,
  // are left alone, as Material leaves them.
  var SHORTCUTS = ["f", "s", "/", "n", "p", ",", "."];
  window.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || SHORTCUTS.indexOf(event.key) < 0 || searchBox.checked) {
      return;
    }
    var target = document.activeElement;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) {
      return;
    }
    event.stopPropagation();
  }, true);

  // 5. The search's status line.
  var meta = search && search.querySelector(".md-search-result__meta");
  if (meta) {
    var status = document.createElement("p");
    status.className = "hb-visually-hidden";
    status.setAttribute("role", "status");
    meta.after(status);
    new MutationObserver(function () {
      status.textContent = searchBox.checked && searchInput.value.trim() ? meta.textContent.trim() : "";
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  // 6. Escape hides tooltips. Material shows a tooltip by adding this class while its host is
  // pointed to or focused, and takes it away when that ends, so the next time works as usual.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(".md-tooltip2--active").forEach(function (tooltip) {
        tooltip.classList.remove("md-tooltip2--active");
      });
    }
  });
})();
