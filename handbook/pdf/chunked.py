"""Print every PDF of a build: the handbook one chunk at a time, each chunk laid out once, in a pool of
processes (one per core: pool.py, each doing as worker.py says), reusing what an earlier build
printed. This module runs in the build's own process and plans; it never loads WeasyPrint.

WeasyPrint lays a document out in one thread, and its page-number cross-references
(target-counter) make it lay out again every page that points forward. So the handbook is printed
in chunks (book.chunks_of: the cover and contents, each part's title page, each chapter), each
laid out on its own:

1. A process lays a chunk out once, with provisional page numbers as wide as the book's last page
   number, and reports how many pages it has and on which of them every id falls. Chunks start on
   a new page, so a chunk's pagination does not depend on the chunks before it. The process
   keeps the laid-out chunk and takes the next.
2. With every chunk's pages known, each process writes the real numbers into the chunks it holds
   ("see page 12", the contents, "Page 12 of 87": page_numbers.py) and draws their PDFs. Nothing
   is laid out twice. A chapter's PDF, with a notice that it is an extract and links to other
   chapters pointed online, is the chapter's own PDF (extract.py).
3. The chunks are merged with pikepdf (merge.py): pages, tags, named destinations, links between
   chunks, each font once, and the bookmarks for parts, chapters and sections.

The cache (cache.py) keeps each chunk's layout facts (pages, ids, the files it read) under a hash
of its print HTML and the engine, and its PDFs under that and the numbers it was drawn with. A
rebuild lays out only the chunks whose HTML changed, plus any whose numbers changed (the pages
after a chapter that grew, the contents); if nothing did, the merged handbook itself comes from
the cache.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from handbook.pdf import fast_path
from handbook.pdf.book import Book, chunks_of
from handbook.pdf.cache import PdfCache, key
from handbook.pdf.documents import CROSS_CHUNK, Document, Printed, provisional
from handbook.pdf.pool import DocumentError, Pool, WarmUp, Worker
from handbook.pdf.results import PdfError

log = logging.getLogger("mkdocs.plugins.handbook.pdf")

_TARGET = re.compile(r'data-hb-target="([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_HREF = re.compile(r'href="#([^"]+)"')
_CROSS_HREF = re.compile(r'href="' + re.escape(CROSS_CHUNK) + r'([^"]+)"')
_H2 = re.compile(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
# A first guess at how many digits the last page number has: about 2,500 characters of print HTML
# a page, measured on this handbook. A wrong guess costs a second layout, never a wrong number
# (and the cache remembers the first, so the next build makes the same guess at no cost).
_HTML_PER_PAGE = 2500
MAX_ROUNDS = 4  # layouts of the public path with real numbers before it gives up (_plan_again)


def with_provisional_numbers(html: str, digits: int) -> str:
    """Give every numbered link a provisional number, and point links that leave the chunk at a
    stand-in URI (merge() turns those back into links inside the book)."""
    local_ids = set(_ID.findall(html))
    number = provisional(digits)

    def href(match: re.Match) -> str:
        anchor = match.group(1)
        return match.group(0) if anchor in local_ids else f'href="{CROSS_CHUNK}{anchor}"'

    numbered = _TARGET.sub(lambda m: f'{m.group(0)} data-page="{number}"', html)
    return _LOCAL_HREF.sub(href, numbered)


@dataclass
class _Job:
    document: Document
    layout_key: str
    facts: dict | None = None  # pages, anchors, deps: from the cache or a layout
    holder: Worker | None = None  # the process holding this build's layout of it
    spec: dict | None = None
    draw_key: str = ""
    extract_key: str = ""
    printed: Printed | None = None
    faces: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    looked_up: bool = False  # in the cache, for the PDFs its spec names


def _first_pages(counts: list[int]) -> list[int]:
    firsts, page = [], 1
    for count in counts:
        firsts.append(page)
        page += count
    return firsts


class HandbookPrint:
    """Every PDF of a build, printed through the cache and a pool of `workers` processes.

    prepare() (in the build's main thread) makes the print HTML, finds what the cache already
    has and forks the pool if anything is left to do; run() (in any thread: the MkDocs plugin runs
    it beside the site's own build) prints the rest and merges the handbook.
    """

    def __init__(self, book: Book, bodies: dict[str, Markup], make_html, site_dir: Path, cache: PdfCache,
                 workers: int, chapters: bool, online: dict[str, str | None], label: str,
                 singles: list[Document], engine: str, warm: WarmUp | None = None,
                 footers: dict[str, str] | None = None):
        self.book, self.bodies, self.make_html = book, bodies, make_html
        self.site_dir, self.cache, self.chapters, self.online, self.label = site_dir, cache, chapters, online, label
        self.pool = Pool(site_dir, workers)
        self.warm = warm  # a process already started for this build, if any
        self.single_documents = singles
        self.engine = engine
        self.footers = footers or {}  # each chapter's running footer, by slug (assemble.footer_text)
        self.chunks = chunks_of(book)
        self._file_hashes: dict[str, str | None] = {}
        self.laid_out = 0  # layouts made by this build
        self.finished = 0  # chapters' own PDFs made from chunks printed by an earlier build
        self.merged: bytes | None = None
        self.book_from_cache = False
        self.pages = 0
        self.jobs: list[_Job] = []
        self.singles: dict[str, _Job] = {}
        self.waiting: dict[str, _Job] = {}  # chunks being drawn
        # The process merging the handbook as its parts are printed, and how many it has been sent.
        self.merging: Worker | None = None
        self.merge_sent = 0
        self.moved = False  # a chunk drawn by the public path fell on other pages than planned

    # -- the cache's view of the site files a layout read
    def file_hash(self, relative: str) -> str | None:
        if relative not in self._file_hashes:
            try:
                self._file_hashes[relative] = hashlib.sha256((self.site_dir / relative).read_bytes()).hexdigest()
            except OSError:
                self._file_hashes[relative] = None
        return self._file_hashes[relative]

    def _deps(self, read: list[str]) -> dict[str, str | None]:
        return {relative: self.file_hash(relative) for relative in read}

    def _cached_facts(self, kind: str, layout_key: str) -> dict | None:
        entry = self.cache.get(kind, layout_key)
        if entry is not None and all(self.file_hash(relative) == sha for relative, sha in entry["deps"].items()):
            return entry
        return None

    # -- in the main thread
    def prepare(self) -> None:
        for document in self.single_documents:
            job = _Job(document, key("single", self.engine, document.html))
            entry = self._cached_facts("single", job.layout_key)
            data = self.cache.get_blob(entry["pdf"]) if entry is not None else None
            if data is not None and (document.max_pages is None or entry["pages"] <= document.max_pages):
                job.printed, job.from_cache = Printed(entry["pages"], data), True
            self.singles[document.name] = job
        self.digits = len(str(sum(len(body) for body in self.bodies.values()) // _HTML_PER_PAGE + 1))
        while True:
            self.jobs = self._jobs(self.digits)
            for job in self.jobs:
                job.facts = self._cached_facts("layout", job.layout_key)
            if any(job.facts is None for job in self.jobs):
                break
            specs = self._plan()
            if not isinstance(specs, int):
                self._look_up_prints(specs)
                break
            self.digits = specs
        tasks = sum(job.printed is None for job in self.singles.values())
        tasks += sum(job.spec is None or self._unfinished(job) for job in self.jobs)
        if tasks:
            # One process more than there are documents to print, if there is a core for it: the
            # handbook is merged there as its parts are printed (_send_merge_parts).
            self.pool.start(tasks + 1, self.warm)
            self._say_path(self.pool.workers[0].facts)
        elif self.warm is not None:
            self.warm.stop()

    def _say_path(self, facts: dict) -> None:
        """One line when the printing processes take WeasyPrint's public API only (fast_path.py)."""
        if facts["fast"]:
            return
        if fast_path.setting() == "fast":
            raise PdfError(f"{fast_path.SETTING}=fast, but {facts['why']}. Unset {fast_path.SETTING} to print "
                           "through WeasyPrint's public API instead.")
        log.info("PDFs: printed through WeasyPrint's public API only (%s): each chunk is laid out again with "
                 "its page numbers, which is slower; the pages are the same.", facts["why"])

    def _jobs(self, digits: int) -> list[_Job]:
        jobs = []
        for number, chunk in enumerate(self.chunks):
            text = self.make_html(chunk, digits)
            # Errors name the chunk as its part of the handbook (and run() adds the page it prints).
            place = f"part {number}" if number else "cover and contents"
            document = Document(chunk.name, f"{self.label} ({place})", text, chunk)
            jobs.append(_Job(document, key("layout", self.engine, text)))
        return jobs

    def _plan(self) -> list[dict] | int:
        """Each chunk's drawing spec, in order, from every chunk's facts; or the number of digits
        the page numbers need, if more than were laid out."""
        counts = [job.facts["pages"] for job in self.jobs]
        total = sum(counts)
        if len(str(total)) > self.digits:
            return len(str(total))
        firsts = _first_pages(counts)
        pages_of = {anchor: first + index for first, job in zip(firsts, self.jobs, strict=True)
                    for anchor, index in job.facts["anchors"].items()}
        notice = self.singles.get("notice")
        specs = []
        for first, job in zip(firsts, self.jobs, strict=True):
            text = job.document.html
            # Only the numbers this chunk prints: a change elsewhere that leaves them alone leaves
            # this chunk's PDF in the cache.
            spec = {"first": first, "total": total, "digits": self.digits,
                    "pages": {anchor: pages_of[anchor] for anchor in sorted(set(_TARGET.findall(text)))
                              if anchor in pages_of},
                    "extract": None}
            if self.chapters and job.document.chunk.page is not None:
                spec["extract"] = {
                    "online": {anchor: self.online.get(anchor) for anchor in sorted(set(_CROSS_HREF.findall(text)))},
                    "notice": notice.layout_key,
                    "footer": self.footers[job.document.chunk.page.slug],
                }
            specs.append(spec)
        return specs

    def _look_up_prints(self, specs: list[dict]) -> None:
        self._name_prints(specs)
        for job in self.jobs:
            self._look_up_print(job)

    def _name_prints(self, specs: list[dict]) -> None:
        """Each chunk's keys for its PDF and its chapter's own, from its drawing spec."""
        for job, spec in zip(self.jobs, specs, strict=True):
            job.spec = spec
            numbers = {name: value for name, value in spec.items() if name != "extract"}
            job.draw_key = key("draw", job.layout_key, job.facts["deps"], numbers)
            if spec["extract"] is not None:
                # Apart from the chunk's PDF: a build without the chapters' PDFs
                # (HANDBOOK_CHAPTER_PDFS=0) leaves the chunks for the next build to finish.
                job.extract_key = key("extract", job.draw_key, spec["extract"])

    def _look_up_print(self, job: _Job) -> None:
        """The chunk's PDFs from the cache, if they are there."""
        entry = self.cache.get("chunk", job.draw_key)
        pdf = self.cache.get_blob(entry["pdf"]) if entry is not None else None
        if pdf is not None:
            job.printed, job.faces = Printed(job.facts["pages"], pdf), entry["faces"]
        if job.spec["extract"] is not None:
            entry = self.cache.get("extract", job.extract_key)
            extract = self.cache.get_blob(entry["pdf"]) if entry is not None else None
            if extract is not None and job.printed is not None:
                job.printed.extract = extract
        job.from_cache = not self._unfinished(job)
        job.looked_up = True

    def _unfinished(self, job: _Job) -> bool:
        return job.printed is None or (job.spec["extract"] is not None and job.printed.extract is None)

    # -- in any thread
    def run(self) -> None:
        try:
            self._run()
        except DocumentError as err:
            chunk = next((job.document.chunk for job in self.jobs if job.document.name == err.name), None)
            if chunk is None or chunk.page is None:
                raise PdfError(str(err)) from None
            raise PdfError(f"{err}\n  (It is in the PDF of docs/{chunk.page.src_uri}.)") from None

    def _run(self) -> None:
        started = time.perf_counter()
        for job in self.singles.values():
            if job.printed is None:
                self.pool.send(("single", job.document.name, job.document))
        for _ in range(MAX_ROUNDS):
            while any(job.spec is None for job in self.jobs):
                self._lay_out()
                specs = self._plan()
                if isinstance(specs, int):  # the numbers need more digits than guessed: lay out again
                    self._more_digits(specs)
                    continue
                # Looked up in _draw(), after the chunks laid out now are sent to be drawn: those wait
                # on nothing, and reading the rest from the cache can go on meanwhile.
                self._name_prints(specs)
            self._draw()
            if not self._plan_again():
                break
        else:
            raise PdfError(f"{self.label}: its page numbers did not settle: each of {MAX_ROUNDS} layouts with the "
                           "numbers of the one before moved text to other pages.")
        while any(job.printed is None for job in self.singles.values()):
            self._take(self.pool.receive()[1])
        printed_at = time.perf_counter()
        self._merge()
        log.info("%s: %d chunks, %d printed now and %d from the cache; printing %.1f s, merge %.1f s", self.label,
                 len(self.jobs), sum(not job.from_cache for job in self.jobs),
                 sum(job.from_cache for job in self.jobs), printed_at - started, time.perf_counter() - printed_at)

    def _more_digits(self, digits: int) -> None:
        for job in self.jobs:
            if job.holder is not None:
                self.pool.send(("drop", job.document.name), job.holder)
        self.digits = digits
        self.jobs = self._jobs(digits)
        for job in self.jobs:
            job.facts = self._cached_facts("layout", job.layout_key)

    def _plan_again(self) -> bool:
        """On the public path, a chunk laid out again with its real numbers can fall on other pages
        than with the provisional ones (a shorter number lets a word move up a line): the chunks
        whose numbers that changes are drawn again, until none moves. True if any is to be."""
        if not self.moved:
            return False
        self.moved = False
        if self.merging is not None and self.merge_sent:
            self.pool.send(("drop", "book"), self.merging)
        self.merge_sent = 0
        specs = self._plan()
        if isinstance(specs, int):
            self._more_digits(specs)
            return True
        drawn = {job.document.name: job.draw_key for job in self.jobs}
        self._name_prints(specs)
        for job in self.jobs:
            if job.draw_key != drawn[job.document.name]:
                job.printed, job.holder, job.looked_up, job.from_cache = None, None, False, False
        return True

    def _lay_out(self) -> None:
        waiting = {}
        # Longest first, so that the processes finish at about the same time.
        for job in sorted(self.jobs, key=lambda job: -len(job.document.html)):
            if job.facts is None:
                waiting[job.document.name] = job
                self.pool.send(("layout", job.document.name, job.document))
        while waiting:
            worker, reply = self.pool.receive()
            if reply[0] != "laid out":
                self._take(reply)
                continue
            _, name, pages, anchors, read = reply
            job = waiting.pop(name)
            job.facts = {"pages": pages, "anchors": anchors, "deps": self._deps(read)}
            job.holder = worker
            self.laid_out += 1
            self.cache.put("layout", job.layout_key, job.facts)

    def _draw(self) -> None:
        notice = self.singles.get("notice")
        deferred: list[tuple] = []
        notice_sent = False

        def send_notice() -> None:
            nonlocal notice_sent
            if not notice_sent and notice is not None and notice.printed is not None:
                self.pool.broadcast(("notice", "notice", notice.printed.pdf))
                notice_sent = True
                for message, worker in deferred:
                    self.pool.send(message, worker)
                deferred.clear()

        send_notice()
        self.waiting = {}
        self.merging = self.pool.workers[-1] if self.pool.workers else None
        # The chunks laid out by this build first: whether any of them needs drawing decides nothing
        # for the others, which are only read from the cache.
        for job in sorted(self.jobs, key=lambda job: job.holder is None):
            if not job.looked_up:
                self._look_up_print(job)
            if job.printed is not None and job.holder is not None:
                self.pool.send(("drop", job.document.name), job.holder)
            if not self._unfinished(job):
                continue
            self.waiting[job.document.name] = job
            if job.printed is not None:  # the chunk's PDF is cached, its chapter's own is not
                message = ("extract", job.document.name, job.printed.pdf, job.spec["extract"],
                           self._font_files([job]))
            elif job.holder is not None:
                message = ("draw", job.document.name, job.spec)
            else:  # laid out by an earlier build, drawn with numbers that have changed since
                message = ("layout and draw", job.document.name, job.document, job.spec,
                           [job.facts["pages"], job.facts["anchors"], sorted(job.facts["deps"])])
            worker = job.holder if message[0] == "draw" else None
            if job.spec["extract"] is not None and not notice_sent:
                deferred.append((message, worker))
            else:
                self.pool.send(message, worker)
            self._send_merge_parts()
        while self.waiting or deferred:
            self._take(self.pool.receive()[1])
            send_notice()

    def _send_merge_parts(self) -> None:
        """Each chunk's PDF to the merging process, in order, as soon as it and those before it are
        printed: the merge goes on while the rest are drawn."""
        while (self.merging is not None and self.merge_sent < len(self.jobs)
               and self.jobs[self.merge_sent].printed is not None):
            self.pool.send(("merge part", "book", self.jobs[self.merge_sent].printed.pdf), self.merging)
            self.merge_sent += 1

    def _take(self, reply: tuple) -> None:
        if reply[0] == "single":
            _, name, pages, pdf, read = reply
            job = self.singles[name]
            job.printed = Printed(pages, pdf)
            self.laid_out += 1
            self.cache.put("single", job.layout_key, {"deps": self._deps(read), "pages": pages,
                                                       "pdf": self.cache.put_blob(pdf)})
        elif reply[0] == "drawn":
            _, name, pages, pdf, extract, faces, facts = reply
            job = self.waiting.pop(name)
            if job.holder is None:
                self.laid_out += 1
            if facts is not None:  # the public path: laid out again with its numbers (_plan_again)
                drawn = {"pages": facts[0], "anchors": facts[1], "deps": self._deps(facts[2])}
                if drawn != job.facts:
                    job.facts, self.moved = drawn, True
                    self.cache.put("layout", job.layout_key, drawn)
            job.printed, job.faces = Printed(pages, pdf, extract), faces
            self.cache.put("chunk", job.draw_key, {"pdf": self.cache.put_blob(pdf), "faces": faces})
            if extract is not None:
                self.cache.put("extract", job.extract_key, {"pdf": self.cache.put_blob(extract)})
            self._send_merge_parts()
        elif reply[0] == "extracted":
            _, name, extract = reply
            job = self.waiting.pop(name)
            job.printed.extract = extract
            self.finished += 1
            self.cache.put("extract", job.extract_key, {"pdf": self.cache.put_blob(extract)})
        else:
            raise PdfError(f"unexpected answer from a PDF printing process: {reply[0]}")

    def _merge(self) -> None:
        counts = [job.printed.pages for job in self.jobs]
        self.pages = sum(counts)
        pages_of = {anchor: first + index for first, job in zip(_first_pages(counts), self.jobs, strict=True)
                    for anchor, index in job.facts["anchors"].items()}
        outline = _outline(self.book, self.bodies, pages_of)
        book_key = key("book", self.engine, [hashlib.sha256(job.printed.pdf).hexdigest() for job in self.jobs],
                       outline)
        entry = self.cache.get("book", book_key)
        self.merged = self.cache.get_blob(entry["pdf"]) if entry is not None else None
        if self.merged is not None:
            self.book_from_cache = True
            if self.merging is not None:
                self.pool.send(("drop", "book"), self.merging)
            return
        if self.merging is not None:
            # In a process of the pool, which has the parts already (_send_merge_parts), so that the
            # merge (Python over pikepdf) does not hold this process's interpreter either.
            self._send_merge_parts()
            self.pool.send(("merge finish", "book", outline, self._font_files(self.jobs)), self.merging)
            while self.merged is None:
                reply = self.pool.receive()[1]
                if reply[0] != "merged":
                    raise PdfError(f"unexpected answer from a PDF printing process: {reply[0]}")
                self.merged = reply[2]
        else:  # every chunk came from the cache, and no process was started
            from handbook.pdf.merge import merge  # here only: otherwise the merge is the pool's work

            fonts = {name: (self.site_dir / relative).read_bytes()
                     for name, relative in self._font_files(self.jobs).items()}
            self.merged = merge([job.printed.pdf for job in self.jobs], outline, fonts)
        self.cache.put("book", book_key, {"pdf": self.cache.put_blob(self.merged)})

    def _font_files(self, jobs: list[_Job]) -> dict[str, str]:
        """Each font the `jobs` embed, with its whole file (a path in the site), found among the
        files the layouts read by the hash the drawing process reported."""
        by_hash = {}
        for job in self.jobs:
            for relative, sha in job.facts["deps"].items():
                by_hash.setdefault(sha, relative)
        return {name: by_hash[sha] for job in jobs for name, sha in job.faces.items() if sha in by_hash}

    def stop(self) -> None:
        if self.warm is not None:
            self.warm.stop()
        self.pool.stop()

    def cache_summary(self) -> str:
        documents = self.jobs + list(self.singles.values())
        finished = f", {self.finished} chapter PDFs made from their cached pages" if self.finished else ""
        return (f"{sum(job.from_cache for job in documents)} of {len(documents)} documents reused, "
                f"{self.laid_out} laid out now{finished}, the handbook "
                f"{'reused' if self.book_from_cache else 'merged now'}")


def _outline(book: Book, bodies: dict[str, Markup], pages_of: dict[str, int]) -> list:
    """Parts, chapters and their sections (three levels at most), as (title, page, children); not
    the cover or contents."""
    def sections(page) -> list:
        # A regular expression, not a parser: the bodies were written by assemble.py, and parsing
        # them all again took 1.5 s of a 2.5 s merge on the 10x benchmark handbook.
        return [[" ".join(html.unescape(_TAG.sub("", inner)).split()).rstrip("¶").strip(), pages_of[anchor], []]
                for anchor, inner in _H2.findall(str(bodies[page.slug]))]

    items = []
    for index, part in enumerate(book.parts, start=1):
        chapters = [[page.title, pages_of[page.slug], sections(page)] for page in part.pages]
        if part.title:
            items.append([part.title, pages_of[f"part-{index}"], chapters])
        else:
            items.extend(chapters)
    return items


