"""Turn captured page HTML into one print document for WeasyPrint.

Each page's content is rewritten for paper: ids get a per-page prefix so they stay unique in the
merged document; links to other pages become links inside the PDF (with "see page N" added by the
print stylesheet); external addresses are printed where the link text does not show them; Material
constructs that rely on JavaScript or icon fonts (tabs, details, admonition icons, tick boxes)
become plain labelled HTML. Markup for the cover and contents lives in templates/print/.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from urllib.parse import quote, unquote, urljoin, urlsplit

import jinja2
from bs4 import BeautifulSoup, NavigableString, Tag
from markupsafe import Markup

from handbook.editions.edition import Edition
from handbook.findings import Finding
from handbook.parallel import start_in_processes
from handbook.pdf.book import Book, Chunk, PrintPage
from handbook.pdf.cache import PdfCache, key
from handbook.rendering.render import TEMPLATES as SITE_TEMPLATES

# The print documents' own partials (templates/print/) first, then the site's partials they share
# (the urgent block, the page information): one set of markup for both.
TEMPLATES = SITE_TEMPLATES.overlay(loader=jinja2.ChoiceLoader([
    jinja2.PackageLoader("handbook.pdf", "templates"), SITE_TEMPLATES.loader,
]))

ADMONITION_LABELS = {
    "note": "Note", "abstract": "Summary", "info": "Information", "tip": "Tip", "success": "Success",
    "question": "Question", "warning": "Warning", "failure": "Failure", "danger": "Danger",
    "bug": "Bug", "example": "Example", "quote": "Quote",
}


@dataclass(frozen=True)
class BookInfo:
    title: str
    subtitle: str
    organisation: str
    live_url: str  # where the current handbook is published
    edition: Edition
    urgent_html: Markup
    urgent_footer: str  # the urgent numbers in one line of text, for the footer of every page
    quick_reference_html: Markup  # the one-page quick reference's content: the site's, with the urgent lines
    cover_contacts_html: Markup
    next_update: str  # e.g. 23 November 2027: when the handbook is next due to be updated; "" if no record
    draft: bool = False  # a preview of unmerged changes: "DRAFT – not for practice use" on every page


# The watermark on every page of a draft's PDFs. A page background, so that tagged PDF readers treat
# it as decoration (an artifact) while anyone holding a printout sees it across the text.
DRAFT_WATERMARK = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842" viewBox="0 0 595 842">'
    '<text x="297" y="421" text-anchor="middle" transform="rotate(-45 297 421)" font-family="Inter" '
    'font-size="44" font-weight="700" fill="#b10e1e" fill-opacity="0.18">DRAFT – not for practice use</text></svg>')


# The last line of every page's running footer, before the address of the live handbook (print.css,
# through the body's data-printed-copies).
PRINTED_COPIES = "Printed copies may be out of date. Check the live handbook:"


def footer_text(info: BookInfo, live_url: str) -> str:
    """The running footer's words on a chapter's pages, as print.css composes them: a chapter's own
    PDF finds them on its first page by these words and tags them there (extract.py)."""
    return "\n".join((info.urgent_footer, info.edition.stamp, f"{PRINTED_COPIES} {live_url}"))


class PrintError(Exception):
    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


def _visible_address(href: str) -> str:
    scheme, _, rest = href.partition(":")
    return rest if scheme in ("mailto", "tel") else href


def _shows_address(text: str, href: str) -> bool:
    def squash(value: str) -> str:
        return "".join(ch for ch in value.lower() if ch.isalnum())

    address = _visible_address(href)
    if href.startswith("tel:"):
        digits = "".join(ch for ch in address if ch.isdigit())
        shown = "".join(ch for ch in text if ch.isdigit())
        return bool(shown) and (digits.endswith(shown.lstrip("0")) or shown == digits)
    if href.startswith("https://"):
        address = address.removeprefix("https://").removeprefix("www.").rstrip("/")
    return squash(address) in squash(text)


class _Chapter:
    """Rewrites one page's content for the merged print document."""

    def __init__(self, page: PrintPage, url_to_page: dict[str, PrintPage], in_document: set[str]):
        self.page = page
        self.url_to_page = url_to_page
        self.in_document = in_document  # slugs of pages printed in this document
        self.findings: list[Finding] = []
        self.ids: list[str] = []  # every id in the rewritten page, to check they are unique

    def fail(self, message: str, needle: str = "") -> None:
        lines = self.page.source.splitlines()
        line = next((i for i, text in enumerate(lines, start=1) if needle and needle in text), 1)
        self.findings.append(Finding(f"docs/{self.page.src_uri}", line, message))

    # find_all() throughout, not select(): compiling soupsieve's expressions took 0.08 s, most of
    # the time to prepare the one chapter a rebuild after an edit prepares.
    def run(self, soup: BeautifulSoup) -> None:
        slug = self.page.slug
        for anchor in soup.find_all("a", class_="headerlink"):
            anchor.decompose()
        for tag in soup.find_all(id=True):
            tag["id"] = f"{slug}--{tag['id']}"
            self.ids.append(tag["id"])
        for img in soup.find_all("img"):
            if not (img.get("alt") or "").strip():
                self.fail(f'an image ("{img.get("src", "")}") has no alt text. Add a short description: '
                          "![What the picture shows](file.png).", needle=img.get("src", "") or "<img")
            src = (img.get("src") or "").strip()
            parts = urlsplit(src)
            if src and not parts.scheme and not src.startswith(("/", "#")):
                # The page addresses its pictures from its own URL (../../assets/images/x.png from
                # handbook/x/); the merged document's base is the site's root. One that climbs out
                # of the site is left as it is, for the fetcher to refuse by name.
                folder = self.page.url if self.page.url.endswith("/") else posixpath.dirname(self.page.url)
                rebased = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
                if rebased != ".." and not rebased.startswith("../"):
                    img["src"] = quote(rebased) + (f"?{parts.query}" if parts.query else "")
        for svg in soup.find_all("svg"):
            if svg.get("role") == "img" and not svg.find("title"):
                self.fail("an SVG picture has no <title>. Give it one so screen readers can describe it.")
        for link in soup.find_all("a", href=True):
            self._link(link, inside_svg=link.find_parent("svg") is not None)
        self._admonitions(soup)
        self._details(soup)
        self._tabs(soup)
        for control in soup.find_all("label", class_="task-list-control"):
            # A box to tick on paper in place of the page's tick box. The label holds the item's
            # text too (render.label_task_list_items): keep it, or the printed form loses its options.
            for part in control.find_all(_tick_box):
                part.decompose()
            control.insert(0, soup.new_tag("span", attrs={"class": "hb-checkbox"}))
            control.unwrap()
        for item in soup.find_all("li"):
            # The marker is in the flow of the item's first line (print.css): a first paragraph
            # in a <p> of its own would leave the marker alone on the line above it.
            first = next((child for child in item.children
                          if not (isinstance(child, NavigableString) and not child.strip())), None)
            if isinstance(first, Tag) and first.name == "p":
                first.unwrap()

    def _link(self, link: Tag, inside_svg: bool) -> None:
        href = link["href"].strip()
        parts = urlsplit(href)
        if parts.scheme in ("https", "mailto", "tel"):
            link["class"] = [*link.get("class", []), "hb-external"]
            if not inside_svg and not _shows_address(link.get_text(" "), href):
                shown = link.find_parent(["pre", "code"]) is None
                if shown:
                    span = BeautifulSoup("", "html.parser").new_tag("span", attrs={"class": "hb-print-url"})
                    span.string = f" ({_visible_address(href)})"
                    # Inside the link, so that the printed address is part of it: a PDF reader
                    # follows it, and checkers find no address printed without a link over it.
                    link.append(span)
            return
        if parts.scheme:  # the site checks allow nothing else; never print a link we did not vet
            self.fail(f'the link "{href}" uses a scheme the PDF does not allow.')
            return
        if not parts.path:
            target = self.page
        else:
            resolved = urljoin("/" + self.page.url, parts.path)
            key = posixpath.normpath(unquote(resolved)).lstrip("/")
            key = "" if key == "." else key
            target = self.url_to_page.get(key + "/" if key and not key.endswith((".html", "/")) else key)
            if target is None:
                target = self.url_to_page.get(key)
        if target is None or target.slug not in self.in_document:
            self._unlink_or_point_online(link, target)
            return
        anchor = f"{target.slug}--{parts.fragment}" if parts.fragment else target.slug
        link["href"] = f"#{anchor}"
        if not inside_svg:
            link["class"] = [*link.get("class", []), "hb-xref"]
            link["data-hb-target"] = anchor  # gets data-page="N" once pages are known

    def _unlink_or_point_online(self, link: Tag, target: PrintPage | None) -> None:
        if target is not None and target.live_url.startswith("https://"):
            link["href"] = target.live_url
            link["class"] = [*link.get("class", []), "hb-external"]
            return
        link.unwrap()  # keep the words; a link to nowhere helps no reader of a printout

    def _admonitions(self, soup: BeautifulSoup) -> None:
        for box in soup.find_all("div", class_="admonition"):
            kind = next((c for c in box.get("class", []) if c in ADMONITION_LABELS), "note")
            title = box.find(class_="admonition-title")
            label = ADMONITION_LABELS[kind]
            if title is None:
                title = soup.new_tag("p", attrs={"class": "admonition-title"})
                title.string = label
                box.insert(0, title)
            elif label.lower() not in title.get_text().lower():
                prefix = soup.new_tag("span", attrs={"class": "hb-admonition-type"})
                prefix.string = f"{label}: "
                title.insert(0, prefix)
            box["class"] = ["hb-box", f"hb-box--{kind}"]

    def _details(self, soup: BeautifulSoup) -> None:
        for details in soup.find_all("details"):
            summary = details.find("summary")
            details.name = "div"
            classes = details.get("class", [])
            kind = next((c for c in classes if c in ADMONITION_LABELS), None)
            details["class"] = ["hb-box", f"hb-box--{kind}"] if kind else ["hb-details"]
            details.attrs.pop("open", None)
            if summary is not None:
                summary.name = "p"
                summary["class"] = ["admonition-title"]

    def _tabs(self, soup: BeautifulSoup) -> None:
        for tabset in soup.find_all("div", class_="tabbed-set"):
            labels = [label.get_text(" ", strip=True) for label in _children(tabset, "tabbed-labels", "label")]
            blocks = _children(tabset, "tabbed-content", class_="tabbed-block")
            if not labels:  # the older markup: input, label, content in sequence
                labels = [label.get_text(" ", strip=True) for label in tabset.find_all("label", recursive=False)]
                blocks = tabset.find_all("div", class_="tabbed-content", recursive=False)
            wrapper = soup.new_tag("div", attrs={"class": "hb-tabs"})
            for label, block in zip(labels, blocks, strict=False):
                section = soup.new_tag("div", attrs={"class": "hb-tab"})
                heading = soup.new_tag("p", attrs={"class": "hb-tab-title"})
                heading.string = label
                section.append(heading)
                for child in list(block.children):
                    section.append(child.extract())
                wrapper.append(section)
            tabset.replace_with(wrapper)


def _tick_box(tag: Tag) -> bool:
    """What CSS calls `input, .task-list-indicator`."""
    return tag.name == "input" or "task-list-indicator" in tag.get("class", [])


def _children(root: Tag, parent_class: str, name: str | None = None, class_: str | None = None) -> list[Tag]:
    """What CSS calls `.parent_class > name.class_` under `root`, in document order."""
    return [child for parent in root.find_all(class_=parent_class)
            for child in parent.find_all(name, class_=class_, recursive=False)]


def prepare_pages(book: Book, pages: list[PrintPage], cache: PdfCache | None = None,
                  engine: str = "") -> tuple[dict[str, Markup], list[Finding]]:
    """The print HTML of each of `pages`, keyed by slug, with links resolved within `pages`.

    With a `cache` (and the `engine` fingerprint), a page whose HTML and whose book (every page's
    address, which its links resolve against) are unchanged is taken from an earlier build:
    parsing every page again was a quarter of a rebuild's work on the PDFs after a one-chapter
    edit. A page with findings is never kept."""
    # Without their text: each process preparing a page is sent these, to resolve its links.
    url_to_page = {page.url: replace(page, html="", source="") for page in book.pages}
    in_document = {page.slug for page in pages}
    context = key([(page.url, page.slug, page.live_url) for page in book.pages], sorted(in_document)) if cache else ""
    names = {page.slug: key("body", engine, context, page.src_uri, page.url, page.live_url, page.html) if cache else ""
             for page in pages}
    kept = {page.slug: cache.get("body", names[page.slug]) if cache is not None else None for page in pages}
    missing = [page for page in pages if kept[page.slug] is None]
    # A cold build of a big handbook has hundreds to parse: shared out among processes.
    prepared = dict(zip([page.slug for page in missing],
                        start_in_processes(_prepare, [(page, url_to_page, in_document) for page in missing])(),
                        strict=True))
    out: dict[str, Markup] = {}
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for page in pages:
        if kept[page.slug] is not None:
            out[page.slug], ids = Markup(kept[page.slug]["body"]), kept[page.slug]["ids"]
        else:
            body, ids, problems = prepared[page.slug]
            findings.extend(problems)
            out[page.slug] = Markup(body)
            if cache is not None and not problems:
                cache.put("body", names[page.slug], {"body": body, "ids": ids})
        for anchor in ids:
            if anchor in seen:
                findings.append(Finding(f"docs/{page.src_uri}", 1, f'the id "{anchor}" is used twice in the PDF.'))
            seen[anchor] = page.slug
    return out, findings


def _prepare(page: PrintPage, url_to_page: dict[str, PrintPage], in_document: set[str]) -> tuple:
    """One page's print HTML, its ids and its findings."""
    soup = BeautifulSoup(page.html, "html.parser")
    chapter = _Chapter(page, url_to_page, in_document)
    chapter.run(soup)
    return str(soup), chapter.ids, chapter.findings


def book_bodies(book: Book, cache: PdfCache | None = None, engine: str = "") -> dict[str, Markup]:
    """Every chapter's print HTML for the whole handbook, keyed by slug."""
    bodies, findings = prepare_pages(book, book.pages, cache, engine)
    if findings:
        raise PrintError(findings)
    return bodies


def book_document(book: Book, info: BookInfo, css: str, form_pages: set[str], bodies: dict[str, Markup],
                  chunk: Chunk, provisional_footer: str) -> str:
    """The print HTML document of one chunk of the handbook: its cover and contents, a part's title
    page, or a chapter.

    Cross-reference and contents links carry data-hb-target; chunked.py lays the chunks out with
    provisional numbers, page_numbers.py fills in the real ones and chunked.py stitches the chunks
    into one PDF.
    """
    return TEMPLATES.get_template("print/_book.html").render(
        book=book, info=info, css=Markup(css), bodies=bodies, forms=form_pages, chunk=chunk,
        provisional_footer=provisional_footer, watermark=DRAFT_WATERMARK, printed_copies=PRINTED_COPIES,
    )


def extract_notice(info: BookInfo) -> tuple[str, str]:
    """What every page of a chapter's own PDF says about where it comes from, in two lines."""
    edition = f"edition {info.edition.id}" if info.edition.id else "draft"
    return (f"Extract from the {info.title}, {edition} of {info.edition.date}.",
            "Its page numbers are the handbook's.")


def extract_notice_document(info: BookInfo, css: str) -> str:
    """The notice drawn over every page of a chapter's own PDF (extract.py), as a print document."""
    return TEMPLATES.get_template("print/_extract_notice.html").render(
        info=info, css=Markup(css), notice=extract_notice(info),
    )


def quick_reference_document(info: BookInfo, css: str) -> str:
    """The one-page quick reference as a print document: the site's Quick reference page content."""
    return TEMPLATES.get_template("print/_quick_reference.html").render(
        info=info, css=Markup(css), body=info.quick_reference_html, watermark=DRAFT_WATERMARK,
    )
