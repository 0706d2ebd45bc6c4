"""numba's on-disk cache of the kernels, shared by every nnsim process of this user: a lock,
so that one process at a time compiles into it, and a stamp saying it is warm for this
nnsim, numba and Python.

Two processes compiling at once race on the cache's index files (the kernels share
callees, each with its own index), which once crashed a cold start. So every compile of
the kernels (and every load that may compile) happens inside ``lock()``: an advisory lock
on a file, which the operating system releases when its process ends, so no lock outlives
a crash. A process that only loads kernels while another compiles into the cache needs no
lock (``fast_engine.reading``).

Lock and stamps live in the temporary directory, keyed by where numba keeps the cache
(``NUMBA_CACHE_DIR``, or beside nnsim's sources), which may not be writable by us.

This module imports only the standard library (it finds numba without importing it), so
the command line can ask whether the cache is warm, and start the compile helper, before
it imports numba and the app.
"""
import functools
import getpass
import hashlib
import importlib.util
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:        # Windows
    fcntl = None
    import msvcrt

PACKAGE = Path(__file__).resolve().parents[2]


def _home():
    """This cache's own directory of lock and stamps."""
    where = os.environ.get("NUMBA_CACHE_DIR") or str(PACKAGE)
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


def _installed(path):
    """A file as numba tells its versions apart: path, size and modification time."""
    stat = Path(path).stat()
    return str(path), stat.st_size, stat.st_mtime_ns


@functools.cache
def _version():
    """These sources, this numba (its installed files: an upgrade writes them anew) and this
    Python, as a digest; read once a process (~5 ms: every source file's size and time)."""
    sources = sorted((str(p.relative_to(PACKAGE)), *_installed(p)[1:])
                     for p in PACKAGE.rglob("*.py"))
    numba = _installed(importlib.util.find_spec("numba").origin)
    key = repr((sources, numba, sys.version, sys.executable))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _stamp(stage):
    """The stamp of a cache warm with ``stage`` (a name) for this version (``_version``)."""
    return _home() / f"warm-{stage}-{_version()}"


def warm(stage):
    """Whether the kernels of ``stage`` were compiled into the cache for this nnsim, numba
    and Python (``mark_warm``). A warm cache that was since deleted only costs time:
    whoever loads the kernels then compiles them."""
    return _stamp(stage).exists()


def mark_warm(stage):
    """Say the cache holds the kernels of ``stage`` (call inside ``lock()``)."""
    _stamp(stage).touch()
