"""The numba kernels, made ready while the app already trains and draws with NumPy.

On a cold cache a helper process (``compile``) compiles them into numba's cache, so this
process keeps drawing and training; a thread here loads each group of them from the cache
as soon as the helper has compiled it (so only the last group's load, a fraction of a
second, is left when the helper is done), and the app switches between two chunks. On a
warm cache the thread loads them at once. Both go stage by stage (``warmup.STAGES``): the
app switches once the first is loaded, the grid's all-cores kernel follows, then, once a
network with deep layers is on screen (``want_deep``), the kernels of such networks (which
train with NumPy until those are loaded: they take longer to compile than the first
stage). Only the helper compiles into the cache while it runs: it holds the cache's lock,
and the loads beside it cannot compile (``numba_cache.reading``); every other load takes
the lock. A headless app loads (or compiles) them before its first frame instead, and
never uses NumPy.

The helper for the first stage starts before anything else of the app (``start``), so its
own start (a Python process importing numba) overlaps the app's.

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
    """The numba kernels' state in this app: ``progress`` (per stage of ``STAGES``, its
    groups compiled and all of them), ``loaded`` (an Event per stage: its kernels are loaded
    here), ``in_use`` (plain networks run on them) and ``deep_in_use`` (so do networks with
    deep layers)."""

    def __init__(self):
        self.progress = {stage: (0, len(groups)) for stage, groups in STAGES.items()}
        self.loaded = {stage: threading.Event() for stage in STAGES}
        self.in_use = False
        self.deep_in_use = False
        self._helper = None        # the first stage's helper process, once ``start`` ran it
        self._deep_wanted = threading.Event()

    def start(self):
        """On a cold cache, start compiling the first stage in a helper process now (call
        first thing: the app's own start then overlaps the helper's)."""
        if not numba_cache.warm("first"):
            self._helper = self._run_helper("first")

    def prepare_now(self):
        """Load (or compile) the kernels on this thread and use them: a headless app."""
        for stage in STAGES:
            self._load(stage)
        self.switch()

    def prepare_beside(self):
        """Use NumPy at once, and make the kernels ready on a thread, stage by stage
        (``switch`` puts them in use as their stages are loaded)."""
        engine.use("numpy")
        threading.Thread(target=self._prepare, daemon=True, name="nnsim-fast-engine").start()

    def want_deep(self):
        """A network with deep layers is on screen: make its kernels ready too (after the
        others)."""
        self._deep_wanted.set()

    def _prepare(self):
        for stage in STAGES:
            if stage == "deep":
                self._deep_wanted.wait()
            helper = self._helper if stage == "first" else None
            if helper is None and not numba_cache.warm(stage):
                helper = self._run_helper(stage)
            if helper is None or not self._load_beside(stage, helper):
                self._load(stage)

    def _run_helper(self, stage):
        """``compile`` of ``stage`` in a child process. The helper gets a session of its
        own: Linux shares the CPU between sessions (autogroups), so on a busy machine it
        gets a share of its own instead of half of the app's (which made it twice as
        slow)."""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, (PACKAGE_PARENT, os.environ.get("PYTHONPATH")))))
        return subprocess.Popen([sys.executable, "-m", "nnsim.app.shell.compile", stage],
                                env=env, stdout=subprocess.PIPE, text=True,
                                start_new_session=True)

    def _load_beside(self, stage, helper):
        """Follow the helper's progress and load each group of ``stage`` as soon as it
        says the group is compiled, so only the last group's load is left when it is done.
        Without the lock, which the helper holds: ``numba_cache.reading``, so a kernel
        missing from the cache stops these loads rather than compile (no two processes
        write into the cache). True once all groups are loaded; else, once the helper
        ended (failed, or found the cache warm and compiled nothing), False: ``_load``
        then loads (or compiles) what is missing."""
        groups, loaded, missing = STAGES[stage], 0, False
        for line in helper.stdout:
            done, _ = self.progress[stage] = tuple(map(int, line.split()))
            if missing:
                continue
            try:
                with numba_cache.reading(), engine.on_this_thread("numba"):
                    for group in groups[loaded:done]:
                        group()
                        loaded += 1
            except numba_cache.NotCached:
                missing = True
            if loaded == len(groups):
                self.loaded[stage].set()
                break
        helper.wait()
        return self.loaded[stage].is_set()

    def _load(self, stage):
        with numba_cache.lock(), engine.on_this_thread("numba"):
            for group in STAGES[stage]:
                group()
            numba_cache.mark_warm(stage)
        self.loaded[stage].set()

    def switchable(self):
        """A stage of the kernels that networks run on is loaded and not yet in use."""
        return (self.loaded["first"].is_set() and not self.in_use
                or self.loaded["deep"].is_set() and not self.deep_in_use)

    def all_cores(self):
        """The all-cores grid kernel is in use (else the grid keeps to one core)."""
        return self.in_use and self.loaded["rest"].is_set()

    def warming(self, deep):
        """(groups compiled, all of them) of the stages that networks with deep layers (if
        ``deep``: the first and the deep layers') or plain ones (the first) need, while
        they still run on NumPy; else None."""
        if self.deep_in_use if deep else self.in_use:
            return None
        stages = ("first", "deep") if deep else ("first",)
        return tuple(map(sum, zip(*(self.progress[stage] for stage in stages))))

    def switch(self):
        """Put the loaded kernels in use. Only while no training or drawing runs (inside
        the trainer's ``paused()``)."""
        self.deep_in_use = self.loaded["deep"].is_set()
        engine.use("numba", deep="numba" if self.deep_in_use else "numpy")
        self.in_use = True

    def close(self):
        """Back to the numba engine, the process-wide default."""
        engine.use("numba")
