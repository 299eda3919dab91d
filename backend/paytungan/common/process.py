"""This process's id, without a system call each time it is asked.

Per-process background threads (the log writer, the usage flush, the change listener) check on
every request whether they belong to this process, since gunicorn forks its workers after
import. os.getpid() is a system call each time (glibc stopped caching it), and those checks
came to several percent of a loaded worker's samples. The id kept here is updated in the child
by os.register_at_fork, which every fork made through Python (os.fork, gunicorn, multiprocessing)
runs.
"""

from __future__ import annotations

import os

_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def current_pid() -> int:
    return _pid
