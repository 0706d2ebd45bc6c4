"""numba's on-disk cache of the kernels, shared by every nnsim process of this user: a lock,
so that one process at a time compiles into it, and a stamp saying it is warm for this
nnsim, numba and Python.

Two processes compiling at once race on the cache's index files (the kernels share
callees, each with its own index), which once crashed a cold start. So every compile of
the kernels (and every load that may compile) happens inside ``lock()``: an advisory lock
on a file, which the operating system releases when its process ends, so no lock outlives
a crash.

A process that only loads kernels while another compiles into the cache needs no lock:
inside ``reading()`` a kernel missing from the cache raises ``NotCached`` instead of
compiling, so nothing is written; numba writes each file whole under a new name, then
renames it, and a kernel's data before the index that points to it, so a reader sees a
kernel whole or not at all.

Lock and stamps live in the temporary directory, keyed by where numba keeps the cache
(``NUMBA_CACHE_DIR``, or beside nnsim's sources), which may not be writable by us.
"""
import getpass
import hashlib
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import numba
from numba.core import event

try:
    import fcntl
except ImportError:        # Windows
    fcntl = None
    import msvcrt

PACKAGE = Path(__file__).resolve().parents[1]


def _home():
    """This cache's own directory of lock and stamps."""
    where = numba.config.CACHE_DIR or str(PACKAGE)
    digest = hashlib.sha1(where.encode()).hexdigest()[:12]
    home = Path(tempfile.gettempdir()) / f"nnsim-{getpass.getuser()}-{digest}"
    home.mkdir(parents=True, exist_ok=True)
    return home


@contextmanager
def lock():
    """Held by one process (and thread) at a time; the others wait here."""
    with open(_home() / "lock", "a+b") as file:
        if fcntl:
            fcntl.flock(file, fcntl.LOCK_EX)
        else:
            while True:
                try:                 # LK_LOCK gives up after 10 s: then wait again
                    msvcrt.locking(file.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    pass
        try:
            yield
        finally:
            if fcntl:
                fcntl.flock(file, fcntl.LOCK_UN)
            else:
                msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)


class NotCached(Exception):
    """A kernel called inside ``reading()`` is not in the cache (yet)."""


class _Refusal(event.Listener):
    """Stops a compile on one thread before it starts (numba announces a compile after
    looking in the cache, before compiling)."""

    def __init__(self, thread):
        self.thread = thread

    def on_start(self, compile_event):
        if threading.get_ident() == self.thread:
            raise NotCached(compile_event.data["dispatcher"].py_func.__name__)

    def on_end(self, compile_event):
        pass


@contextmanager
def reading():
    """Inside the block, the kernels this thread calls load from the cache or raise
    ``NotCached``: they never compile, so nothing is written into the cache (other threads
    compile as usual)."""
    with event.install_listener("numba:compile", _Refusal(threading.get_ident())):
        yield


def _stamp(stage):
    """The stamp of a cache warm with ``stage`` (a name) for these sources (as numba, by size
    and modification time), this numba and this Python."""
    sources = sorted((str(p.relative_to(PACKAGE)), p.stat().st_size, p.stat().st_mtime_ns)
                     for p in PACKAGE.rglob("*.py"))
    key = repr((sources, numba.__version__, sys.version, sys.executable))
    return _home() / f"warm-{stage}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def warm(stage):
    """Whether the kernels of ``stage`` were compiled into the cache for this nnsim, numba
    and Python (``mark_warm``). A warm cache that was since deleted only costs time:
    whoever loads the kernels then compiles them."""
    return _stamp(stage).exists()


def mark_warm(stage):
    """Say the cache holds the kernels of ``stage`` (call inside ``lock()``)."""
    _stamp(stage).touch()
