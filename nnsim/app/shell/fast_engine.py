"""The numba kernels, made ready while the app already trains and draws with NumPy.

On a cold cache a helper process (``compile``) compiles them into numba's cache, so this
process keeps drawing and training; then a thread here loads them from the cache (about a
second) and the app switches between two chunks. On a warm cache the thread loads them at
once. Both go stage by stage (``warmup.STAGES``): the app switches once the first is
loaded, and the grid's all-cores kernel follows. Both take the cache's lock
(``numba_cache``), so no two processes ever compile into the cache at the same time. A
headless app loads (or compiles) them before its first frame instead, and never uses
NumPy.

Quitting meanwhile leaves the helper to finish (it only fills the cache, for the next
start).
"""
import os
import subprocess
import sys
import threading

from ...core import engine, numba_cache
from .warmup import STAGES

PACKAGE_PARENT = str(numba_cache.PACKAGE.parent)   # where the helper imports this nnsim from


class FastEngine:
    """The numba kernels' state in this app: ``progress`` (groups compiled of the first
    stage, all of them), ``loaded`` (an Event per stage of ``STAGES``: its kernels are
    loaded here) and ``in_use``."""

    def __init__(self):
        self.progress = (0, len(STAGES["first"]))
        self.loaded = {stage: threading.Event() for stage in STAGES}
        self.in_use = False

    def prepare_now(self):
        """Load (or compile) the kernels on this thread and use them: a headless app."""
        for stage in STAGES:
            self._load(stage)
        self.switch()

    def prepare_beside(self):
        """Use NumPy at once, and make the kernels ready on a thread, stage by stage
        (``switch`` puts them in use once the first stage is loaded)."""
        engine.use("numpy")
        threading.Thread(target=self._prepare, daemon=True, name="nnsim-fast-engine").start()

    def _prepare(self):
        for stage in STAGES:
            if not numba_cache.warm(stage):
                self._compile_in_helper(stage)
            self._load(stage)

    def _compile_in_helper(self, stage):
        """Run ``compile`` in a child process, following its progress. Should it fail, the
        load compiles what is missing. The helper gets a session of its own: Linux shares
        the CPU between sessions (autogroups), so on a busy machine it gets a share of its
        own instead of half of the app's (which made it twice as slow)."""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, (PACKAGE_PARENT, os.environ.get("PYTHONPATH")))))
        helper = subprocess.Popen([sys.executable, "-m", "nnsim.app.shell.compile", stage],
                                  env=env, stdout=subprocess.PIPE, text=True,
                                  start_new_session=True)
        for line in helper.stdout:
            if stage == "first":
                self.progress = tuple(map(int, line.split()))
        helper.wait()

    def _load(self, stage):
        with numba_cache.lock(), engine.on_this_thread("numba"):
            for group in STAGES[stage]:
                group()
            numba_cache.mark_warm(stage)
        self.loaded[stage].set()

    def switchable(self):
        """The first stage is loaded, the kernels not yet in use."""
        return self.loaded["first"].is_set() and not self.in_use

    def all_cores(self):
        """The all-cores grid kernel is in use (else the grid keeps to one core)."""
        return self.in_use and self.loaded["rest"].is_set()

    def switch(self):
        """Put the kernels in use. Only while no training or drawing runs (inside the
        trainer's ``paused()``)."""
        engine.use("numba")
        self.in_use = True

    def close(self):
        """Back to the numba engine, the process-wide default."""
        engine.use("numba")
