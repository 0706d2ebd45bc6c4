"""The numba kernels, made ready while the app already trains and draws with NumPy.

On a cold cache a helper process (``compile``) compiles them into numba's cache, so this
process keeps both cores' worth of drawing and training; then a thread here loads them from
the cache (about a second) and the app switches between two chunks. On a warm cache the
thread loads them at once. Both take the cache's lock (``numba_cache``), so no two
processes ever compile into the cache at the same time. A headless app loads (or
compiles) them before its first frame instead, and never uses NumPy.
"""
import os
import subprocess
import sys
import threading

from ...core import engine, numba_cache
from .warmup import GROUPS

PACKAGE_PARENT = str(numba_cache.PACKAGE.parent)   # where the helper imports this nnsim from


class FastEngine:
    """The numba kernels' state in this app: ``progress`` (groups compiled, all of them),
    ``loaded`` (all of them loaded here, an Event) and ``in_use``."""

    def __init__(self):
        self.progress = (0, len(GROUPS))
        self.loaded = threading.Event()
        self.in_use = False

    def prepare_now(self):
        """Load (or compile) the kernels on this thread and use them: a headless app."""
        self._load()
        self.switch()

    def prepare_beside(self):
        """Use NumPy at once, and make the kernels ready on a thread (``switch`` then puts
        them in use)."""
        engine.use("numpy")
        threading.Thread(target=self._prepare, daemon=True, name="nnsim-fast-engine").start()

    def _prepare(self):
        if not numba_cache.warm():
            self._compile_in_helper()
        self._load()

    def _compile_in_helper(self):
        """Run ``compile`` in a child process, following its progress. Should it fail, the
        load compiles what is missing."""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, (PACKAGE_PARENT, os.environ.get("PYTHONPATH")))))
        helper = subprocess.Popen([sys.executable, "-m", "nnsim.app.shell.compile"], env=env,
                                  stdout=subprocess.PIPE, text=True)
        for line in helper.stdout:
            done, total = map(int, line.split())
            self.progress = (done, total)
        helper.wait()

    def _load(self):
        with numba_cache.lock(), engine.on_this_thread("numba"):
            for group in GROUPS:
                group()
            numba_cache.mark_warm()
        self.progress = (len(GROUPS), len(GROUPS))
        self.loaded.set()

    def switchable(self):
        """Loaded, not yet in use."""
        return self.loaded.is_set() and not self.in_use

    def switch(self):
        """Put the kernels in use. Only while no training or drawing runs (inside the
        trainer's ``paused()``)."""
        engine.use("numba")
        self.in_use = True

    def close(self):
        """Back to the numba engine, the process-wide default."""
        engine.use("numba")
