"""The processes that print: one per core, each taking messages from its own queue (the chunks it
holds), else from a shared one, one at a time (chunked.py decides what to send; worker.py does it).

Each is forked from a small process of its own, the printer (printer.py: a fresh interpreter that
has loaded WeasyPrint and worker.py once), not from the build. start_printer() starts it as early
as a build knows it will print, so that loading WeasyPrint, about 0.4 s, happens on another core
while MkDocs reads the pages, and the build's own process never loads it. Forked from the
printer, a printing process also carries none of the build's memory (every page of the site) and
none of its threads.

Why not multiprocessing's "forkserver", which does the same: each process it starts runs the
program's main script again to set itself up (`mkdocs`, `pytest`, or a partnership's own script
calling MkDocs), which a script not written for that runs in full.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from multiprocessing import reduction
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path

from handbook.pdf.cache import pango_number, pango_version
from handbook.pdf.results import PdfError, TooManyPages

STOP_WAIT = 5  # seconds a process that is asked to stop may take to finish what it is doing
STOPPED = "the process printing part of the handbook stopped unexpectedly."  # whether it is read or written to


class _Printer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.control, theirs = Pipe()
        # sys.path as this process has it: the printer must import the same engine.
        command = (f"import sys; sys.path[:] = {sys.path!r}; "
                   f"from handbook.pdf.printer import main; main({theirs.fileno()})")
        self.process = subprocess.Popen([sys.executable, "-c", command], pass_fds=[theirs.fileno()],
                                        stdin=subprocess.DEVNULL)
        theirs.close()

    def close(self) -> None:
        """Closing its end of the control pipe tells the printer to exit."""
        self.control.close()
        try:
            self.process.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, site_dir: Path) -> tuple[Connection, int]:
        with self.lock:  # a build's own thread and the warm-up's may both ask
            return self._fork(site_dir)

    def _fork(self, site_dir: Path) -> tuple[Connection, int]:
        ours, theirs = Pipe()
        try:
            self.control.send((site_dir, dict(os.environ)))
            reduction.send_handle(self.control, theirs.fileno(), self.process.pid)
            pid = self.control.recv()
        except (EOFError, OSError) as err:
            raise PdfError(f"the process that starts the PDF printing processes stopped (exit code "
                           f"{self.process.poll()}): {err}") from None
        finally:
            theirs.close()
        return ours, pid


_printer: _Printer | None = None
_printer_lock = threading.Lock()


def start_printer() -> _Printer:
    """Start the printer, if it is not running: it loads WeasyPrint in its own process, so call this
    as early as a build knows it will print. Later calls cost nothing."""
    global _printer
    with _printer_lock:
        if _printer is None or not _printer.alive():
            if _printer is None:
                atexit.register(_stop_printer)
            _printer = _Printer()
        return _printer


def _stop_printer() -> None:
    if _printer is not None:
        _printer.close()


class DocumentError(PdfError):
    """A process could not print document `name`."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class Worker:
    def __init__(self, site_dir: Path):
        self.conn, self.pid = start_printer().fork(site_dir)
        self.queue: deque = deque()  # messages for this process alone (the chunks it holds)
        self.busy = False
        try:
            _, _, self.facts = self.conn.recv()
        except (EOFError, OSError):
            raise PdfError("a PDF printing process stopped as it started.") from None
        # What this process assumes of the printing process, checked rather than trusted: the PDF
        # cache's key names the Pango it read itself (cache.pango_version), and fonts are written
        # with the build's SOURCE_DATE_EPOCH.
        if self.facts["pango"] != pango_number(pango_version()):
            self.stop()
            raise PdfError(f"WeasyPrint lays text out with Pango {self.facts['pango']}, but the PDF cache "
                           f"was keyed by Pango {pango_version()}, the first one this process found.")
        if self.facts["environ"] != dict(os.environ):
            self.stop()
            raise PdfError("a PDF printing process started with another environment than the build's.")

    def stop(self) -> None:
        try:
            self.conn.send(None)
            if not self.conn.poll(STOP_WAIT):  # still at work on something no longer wanted
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass  # it has already gone
        self.conn.close()


class WarmUp:
    """A printing process started early, while the build is still reading its pages, that parses
    the print stylesheet and loads its fonts in the background (worker.py), so that the first
    chunk it lays out need not: a rebuild after an edit prints one chunk, on the path the whole
    build waits for. The fonts must already be in the site (plugin/pdf.py copies them early)."""

    def __init__(self, site_dir: Path, stylesheet: str):
        self.site_dir = site_dir
        self.worker: Worker | None = None
        self.thread = threading.Thread(target=self._start, args=(stylesheet,), name="handbook-pdf-warm-up",
                                       daemon=True)
        self.thread.start()

    def _start(self, stylesheet: str) -> None:
        try:
            worker = Worker(self.site_dir)
            worker.conn.send(("warm up", "", stylesheet))
            worker.conn.recv()
        except (PdfError, EOFError, OSError):
            return  # the processes the build starts for itself report whatever is wrong
        self.worker = worker

    def take(self) -> Worker | None:
        """The process, warmed up, once it is (None if it could not start)."""
        self.thread.join()
        worker, self.worker = self.worker, None
        return worker

    def stop(self) -> None:
        worker = self.take()
        if worker is not None:
            worker.stop()


class Pool:
    """Processes that take messages from their own queue, else from a shared one, one at a time.

    Started by start(), once the build knows how much is left to print: a build that the cache
    answers entirely starts none.
    """

    def __init__(self, site_dir: Path, size: int):
        self.site_dir, self.size = site_dir, size
        self.workers: list[Worker] = []
        self.shared: deque = deque()

    def start(self, tasks: int, warm: WarmUp | None = None) -> None:
        """Fork as many processes as there are cores, or `tasks` if fewer, the `warm` one first."""
        if not self.workers:
            ready = warm.take() if warm is not None else None
            self.workers = [ready] if ready is not None else []
            self.workers += [Worker(self.site_dir) for _ in range(max(1, min(self.size, tasks)) - len(self.workers))]

    def send(self, message: tuple, worker: Worker | None = None) -> None:
        if not self.workers:
            raise PdfError("the PDF printing processes were not started")
        (worker.queue if worker is not None else self.shared).append(message)
        self._feed()

    def broadcast(self, message: tuple) -> None:
        for worker in self.workers:
            worker.queue.append(message)
        self._feed()

    def _feed(self) -> None:
        for worker in self.workers:
            while not worker.busy and (worker.queue or self.shared):
                message = worker.queue.popleft() if worker.queue else self.shared.popleft()
                try:
                    worker.conn.send(message)
                except OSError:  # a process that died may have closed its end already: a broken pipe
                    raise PdfError(STOPPED) from None
                worker.busy = message[0] not in ("notice", "drop", "merge part")  # those are not answered

    def receive(self) -> tuple[Worker, tuple]:
        busy = {worker.conn: worker for worker in self.workers if worker.busy}
        if not busy:
            raise PdfError("the PDF printing processes have nothing left to answer")
        conn = wait(list(busy))[0]
        worker = busy[conn]
        try:
            reply = conn.recv()
        except (EOFError, OSError):  # a socket closed by a process that died may also be "reset"
            raise PdfError(STOPPED) from None
        worker.busy = False
        if reply[0] == "error":
            raise DocumentError(reply[1], reply[2])
        if reply[0] == "too many":
            raise TooManyPages(*reply[2])
        self._feed()
        return worker, reply

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []


