"""Real-browser helpers for the tests: a built site served on localhost, Debian's Chromium driven by
Playwright (never a browser Playwright downloads: that cannot work on these machines), every
request to another host recorded and refused, and axe-core injected into pages."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
# Headless as root (no sandbox), on a machine whose network is closed: with background networking
# on, Chromium keeps trying to reach Google's hosts (see the machine notes).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = ROOT / "test-artifacts"

# axe-core from npm (package.json pins it; make test installs it), injected into each page.
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Rules switched off, each with the reason. Empty: every WCAG 2.2 A and AA rule runs.
AXE_RULES_OFF: dict[str, str] = {}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host: files from the site, and its 404.html (with status 404) for anything else."""

    def log_message(self, *args) -> None:
        pass

    def log_request(self, code="-", size="-") -> None:
        if self.server.requested is not None:
            self.server.requested.append(self.path)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path, requested: list[str] | None = None) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1; yields the origin, e.g. http://127.0.0.1:40123. Each path
    asked for is added to `requested`, when given."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    server.requested = requested
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright  # not importorskip: a missing browser must fail the tests

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class GuardedContext:
    """A browser context that lets through requests to `origin` only, and notes every other one."""

    def __init__(self, browser, origin: str, **options):
        self.origin = origin
        self.foreign: list[str] = []
        self.context = browser.new_context(**options)
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def guarded_context(browser, origin: str, **options):
    """A GuardedContext for the length of a test, which fails if the page asked another host."""
    guarded = GuardedContext(browser, origin, **options)
    yield guarded
    guarded.close()
    assert guarded.foreign == [], f"requests to other hosts: {guarded.foreign}"


def open_page(page, url: str):
    """Go to `url` and wait until it is ready to judge: its scripts have run (the load event) and
    its fonts are in. Waiting instead for the network to go quiet costs half a second a page, and
    the search, the one thing still loading then, is always waited for by its own results."""
    response = page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


def problems_on_each_page(page, origin: str, paths: list[str], check) -> dict[str, object]:
    """Open each of `paths` in `page` and run `check(page)` there; what it finds, where it finds
    anything, by path."""
    problems = {}
    for path in paths:
        open_page(page, origin + path)
        found = check(page)
        if found:
            problems[path] = found
    return problems


def axe_violations(page, context: str | dict = "document") -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS},
               "rules": {rule: {"enabled": False} for rule in AXE_RULES_OFF}}
    return page.evaluate("([context, options]) => axe.run(context === 'document' ? document : context, options)"
                         ".then(result => result.violations)", [context, options])


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Fail, listing each rule and element, if axe-core finds any WCAG 2.2 A or AA violation."""
    violations = axe_violations(page)
    assert not violations, f"{where or page.url}\n{describe(violations)}"


# Where the keyboard focus is, and whether a reader can see it. An element counts as seen when some
# point of it, inside the window, is the topmost thing there: off the screen (the closed menu
# drawer), of no size, invisible, or under something else (the sticky header) all fail, as WCAG 2.2
# asks (2.4.7 Focus Visible, 2.4.11 Focus Not Obscured). Its focus ring (an outline, or a box
# shadow, the two ways this site and Material draw focus) is measured against what it is drawn on:
# the element's own background for a ring inside it, its parent's for one outside (WCAG 1.4.11
# asks 3:1 of what shows a component's state).
_FOCUS_STOP = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    let seen = false;
    for (const r of el.getClientRects()) {
        for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
            const x = r.left + r.width * fx, y = r.top + r.height * fy;
            if (r.width < 1 || r.height < 1 || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
            const hit = document.elementFromPoint(x, y);
            if (hit && (hit === el || el.contains(hit))) seen = true;
        }
    }
    const rgb = colour => (colour.match(/[\\d.]+/g) || []).map(Number);
    const background = node => {
        for (let n = node; n; n = n.parentElement) {
            const c = rgb(getComputedStyle(n).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c;
        }
        return [255, 255, 255];
    };
    // WCAG's relative luminance and contrast ratio, as handbook/data/colours.py computes them.
    const luminance = c => c.slice(0, 3).map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const contrast = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((p, q) => q - p);
        return (light + 0.05) / (dark + 0.05);
    };
    let ring = null;
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
        const behind = parseFloat(style.outlineOffset) < 0 ? background(el) : background(el.parentElement);
        ring = contrast(rgb(style.outlineColor), behind);
    } else if (style.boxShadow !== 'none') {
        ring = contrast(rgb(style.boxShadow), background(el.parentElement));
    }
    const box = el.getBoundingClientRect();
    return {element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                     (el.getAttribute('href') ? '[href=' + el.getAttribute('href') + ']' : ''),
            text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
            at: [Math.round(box.left), Math.round(box.top), Math.round(box.width), Math.round(box.height)],
            seen, ring: ring === null ? 'none' : Math.round(ring * 10) / 10};
}"""

# Material animates its drawer, search and links: with every transition and animation made
# instant, each stop is judged as it ends up, without waiting for it.
_INSTANT = ("*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important;"
            " animation-duration: 0s !important; animation-delay: 0s !important; }")


def without_motion(page) -> None:
    page.add_style_tag(content=_INSTANT)


def focus_stop(page) -> dict | None:
    """Where the focus is (None: nowhere on the page), whether it can be seen and has a ring."""
    return page.evaluate(_FOCUS_STOP)


def tab_stops(page, key: str = "Tab", limit: int = 400) -> list[dict]:
    """Press `key` until the focus leaves the page, describing each stop on the way."""
    without_motion(page)
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        # Two frames: what the page does on focus (Material opens its search) has then happened.
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        stop = focus_stop(page)
        if stop is None:
            return stops
        stops.append(stop)
    raise AssertionError(f"{key} never left the page in {limit} presses: a keyboard trap?")


# WCAG 1.4.12 Text Spacing: the spacing a reader may set for themselves, at the sizes the
# criterion names. No text may be cut off when it is applied (text cut short before it is applied
# is not its doing).
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
                " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")
# Elements that show text and cut off what does not fit in them (overflow hidden or clip).
_CLIPPED_TEXT = """() => {
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
        const style = getComputedStyle(el);
        if (!el.getClientRects().length || style.visibility === 'hidden' || !el.textContent.trim()) continue;
        if (el.closest('[data-hb-may-truncate]')) continue;
        const clipsX = ['hidden', 'clip'].includes(style.overflowX);
        const clipsY = ['hidden', 'clip'].includes(style.overflowY);
        if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
            const classes = String(el.className).trim().split(/\\s+/).filter(Boolean);
            found.push([el.tagName.toLowerCase(), ...classes].join('.') + ': ' +
                       el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40));
        }
    }
    return found;
}"""


# Text that may be cut short, each with the reason. The header's title (Material's ".md-header__topic")
# shortens the site's name, or the page's title once the page scrolls, to fit beside the menu and
# search buttons: both are in full on the page itself (the page's main heading, the menu's title).
TRUNCATION_ALLOWED = (".md-header__topic",)


def clipped_by_text_spacing(page) -> list[str]:
    """What text spacing newly cuts off on the page as it is now (it is then left applied)."""
    page.evaluate("selectors => selectors.forEach(s => document.querySelectorAll(s).forEach("
                  "el => el.setAttribute('data-hb-may-truncate', '')))", list(TRUNCATION_ALLOWED))
    before = set(page.evaluate(_CLIPPED_TEXT))
    page.add_style_tag(content=TEXT_SPACING)
    return [found for found in page.evaluate(_CLIPPED_TEXT) if found not in before]


def says_offline(page) -> bool:
    """Whether the page just opened says it is offline, where the browser tells it so. Debian's
    Chromium 150 opens a page in a context Playwright has set offline with navigator.onLine true
    (seen with 4282b2a too), so such a page cannot know: then only the open page's "offline" event,
    tested before the pages are opened, shows the message; a phone with no network says false."""
    if page.evaluate("navigator.onLine"):
        return False
    page.locator(".hb-offline").get_by_text("You are offline.").wait_for(timeout=5_000)
    return True


# Each of `patterns` (name: a regular expression's source) as a reader sees it on the first screen:
# matched in the page's text, counted where the matched text itself is painted inside the window
# (a range's boxes, so a long paragraph that starts on the screen and names the number below it does
# not count) and in an element that is rendered (not display: none, visibility: hidden or opacity 0:
# the closed menu drawer and Material's search results are off the screen or hidden). Each match is
# described by the block it is in (its tag, classes and first words), to say which block repeats it.
_ON_FIRST_SCREEN = """(patterns) => {
    const found = {};
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || el.closest('script, style') ||
            !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
        for (const [name, source] of Object.entries(patterns)) {
            for (const match of node.textContent.matchAll(new RegExp(source, 'gi'))) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const painted = [...range.getClientRects()].some(box => box.width > 0 && box.height > 0 &&
                    box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth);
                if (!painted) continue;
                let block = el;
                while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) {
                    block = block.parentElement;
                }
                (found[name] = found[name] || []).push([block.tagName.toLowerCase(),
                    ...String(block.className).trim().split(/\\s+/).filter(Boolean)].join('.') + ': ' +
                    block.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30));
            }
        }
    }
    return found;
}"""


def on_first_screen(page, patterns: dict[str, str]) -> dict[str, list[str]]:
    """Where each of `patterns` shows on the screen as the page opens: name -> the blocks showing it."""
    return page.evaluate(_ON_FIRST_SCREEN, patterns)
