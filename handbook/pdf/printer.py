"""The printer: the process the printing processes are forked from (pool.py starts it). It loads
WeasyPrint and worker.py once, then forks a printing process for each request, hands it its pipe
and the build's environment, and answers with its process id.

A module of its own, importing nothing the printing does not need, because the printer's start is
on the path a rebuild waits for: it must be ready before the first chunk can be laid out.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path


def main(control_fd: int) -> None:
    """The printer: fork a printing process for each request on `control_fd`, until it closes."""
    import handbook.pdf.worker  # noqa: F401 (what every printing process runs, loaded once here)
    from handbook.pdf import fast_path

    verdict = None  # the fast path's self-test: run before the first process that may take it

    # Its children are reaped by the system (no zombies), and ^C in a terminal is for the build.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = Connection(control_fd)
    while True:
        try:
            request = control.recv()
        except EOFError:
            os._exit(0)  # the build has ended: nothing here to tidy, and the build waits for it
        site_dir, environ = request
        fd = reduction.recv_handle(control)
        try:
            value = fast_path.setting(environ)
        except fast_path.SettingError:
            value = "auto"  # the build's own process has already refused it (cache.engine_fingerprint)
        if value != "public" and verdict is None:
            verdict = fast_path.run()
        pid = os.fork()
        if pid == 0:
            control.close()
            _printing_process(fd, site_dir, environ, fast_path.choose(value, verdict))
        os.close(fd)
        control.send(pid)


def _printing_process(fd: int, site_dir: Path, environ: dict[str, str], choice) -> None:
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # The printer's environment is the build's as it was when the printer started; this prints
        # with the build's as it is now (SOURCE_DATE_EPOCH is read when fonts are written).
        os.environ.clear()
        os.environ.update(environ)
        from handbook.pdf import session, worker, writer

        # The self-test left the fast path's patches in place if it passed; a process forced onto
        # the public path takes them out.
        if not choice.fast:
            session.uninstall()
            writer.forget_page_references()
        worker.CHOICE = choice
        worker.serve(Connection(fd), site_dir)
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
