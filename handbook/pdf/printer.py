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
        pid = os.fork()
        if pid == 0:
            control.close()
            _printing_process(fd, site_dir, environ)
        os.close(fd)
        control.send(pid)


def _printing_process(fd: int, site_dir: Path, environ: dict[str, str]) -> None:
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # The printer's environment is the build's as it was when the printer started; this prints
        # with the build's as it is now (SOURCE_DATE_EPOCH is read when fonts are written).
        os.environ.clear()
        os.environ.update(environ)
        from handbook.pdf.worker import serve

        serve(Connection(fd), site_dir)
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
