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
and the loads beside it cannot compile (``reading``); every other load takes
the lock. A headless app loads (or compiles) them before its first frame instead, and
never uses NumPy.

The helper for the first stage starts before anything else of the app (``start``; the
command line starts it even before its imports), so its own start (a Python process
importing numba) overlaps the app's.

A load beside the helper must not write into the cache: inside ``reading()`` a kernel
missing from the cache raises ``NotCached`` instead of compiling; numba writes each file
whole under a new name, then renames it, so a reader sees a kernel whole or not at all.

Quitting meanwhile leaves the helper to finish (it only fills the cache, for the next
start).
"""
import threading
from contextlib import contextmanager

from numba.core import event

from ...core import engine
from . import compile, numba_cache
from .warmup import STAGES


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
        self._helper = compile.first_helper()

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
                helper = compile.launch(stage)
            if helper is None or not self._load_beside(stage, helper):
                self._load(stage)

    def _load_beside(self, stage, helper):
        """Follow the helper's progress and load each group of ``stage`` as soon as it
        says the group is compiled, so only the last group's load is left when it is done.
        Without the lock, which the helper holds: ``reading``, so a kernel
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
                with reading(), engine.on_this_thread("numba"):
                    for group in groups[loaded:done]:
                        group()
                        loaded += 1
            except NotCached:
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
