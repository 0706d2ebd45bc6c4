"""Instant start: a windowed app trains and draws with NumPy from its first frame, switches
to the numba kernels between two chunks once they are loaded (a network with deep layers
once its own are), and says so; only one process at a time compiles into numba's cache."""
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pygame
import pytest

from helpers import FakeClock
from nnsim.app.draw import heatmap
from nnsim.app.options import LaunchOptions
from nnsim.app.shell import compile, fast_engine, numba_cache
from nnsim.app.shell.loop import App
from nnsim.app.views import readouts
from nnsim.app.views.readouts import text
from nnsim.core import Settings, engine, kernels, twins
from nnsim.lessons.text import _

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def held_back(monkeypatch):
    """No compile helper starts, and the fast engine's preparation waits, stage by stage,
    until the test sets that stage's Event of the returned dict, then only marks its
    kernels loaded (this process has them already)."""
    release = {stage: threading.Event() for stage in fast_engine.STAGES}

    def prepare(self):
        for stage, loaded in self.loaded.items():
            release[stage].wait()
            loaded.set()
    monkeypatch.setattr(fast_engine.FastEngine, "start", lambda self: None)
    monkeypatch.setattr(fast_engine.FastEngine, "_prepare", prepare)
    yield release
    for event in release.values():
        event.set()


@pytest.fixture
def shown(monkeypatch):
    """The lines the readouts card draws."""
    lines = []
    monkeypatch.setattr(readouts, "text", lambda line, *args, **kw: (
        lines.append(line), text(line, *args, **kw))[1])
    return lines


def test_a_window_trains_on_numpy_then_switches_between_chunks(held_back, shown):
    clock = FakeClock()
    app = App(LaunchOptions(Settings(), playing=True, speed="normal"), clock, clock.sleep)
    try:
        app.frame()
        assert engine.current() == "numpy" and not app.fast.in_use
        assert _("readouts.warming", done=0, total=len(fast_engine.STAGES["first"])) in shown
        while app.session.epoch < 3:
            app.frame()                                       # trained with NumPy
        for event in held_back.values():
            event.set()
        app.fast.loaded["deep"].wait()
        chunks = []
        app.trainer.worker.start = lambda *args, **kw: chunks.append(engine.current())
        app.frame()                                           # the switch...
        assert engine.current() == "numba" and app.fast.in_use and app.fast.all_cores()
        assert app.ui.message == _("toast.fast_engine_ready")
        while not chunks:
            app.frame()
        assert chunks == ["numba"]                            # ...then the next chunk
    finally:
        app.close()
        pygame.quit()
    assert engine.current() == "numba"                        # the process-wide default again


def test_a_deep_network_trains_on_numpy_until_its_own_kernels_are_loaded(held_back, shown,
                                                                         monkeypatch):
    """The plain kernels in use change nothing for a network with batch normalization: its
    chunks still run on NumPy, the card still says how far the warm-up is, until the deep
    stage is loaded; then the next chunk runs on numba."""
    chunks = []
    for module, name in ((kernels, "numba"), (twins, "numpy")):
        monkeypatch.setattr(module, "train_epochs", lambda *args, run=module.train_epochs,
                            name=name: (chunks.append(name), run(*args))[1])
    clock = FakeClock()
    settings = Settings(hidden=(4, 4), batch_norm=True, dropout=0.1, residual=True)
    app = App(LaunchOptions(settings, playing=True, speed="normal"), clock, clock.sleep)
    try:
        assert not app.session.net.plain
        held_back["first"].set()
        held_back["rest"].set()
        app.fast.loaded["rest"].wait()
        while app.session.epoch < 3:
            app.frame()
        assert app.fast.in_use and engine.current() == "numba"      # plain networks would
        assert set(chunks) == {"numpy"} and app.ui.message != _("toast.fast_engine_ready")
        shown.clear()
        app.frame()
        groups = len(fast_engine.STAGES["first"]) + len(fast_engine.STAGES["deep"])
        assert _("readouts.warming", done=0, total=groups) in shown   # the first stage's too
        held_back["deep"].set()
        app.fast.loaded["deep"].wait()
        app.frame()                                   # the switch, once the chunk is done
        epoch = app.session.epoch
        chunks.clear()
        while app.session.epoch < epoch + 2:
            app.frame()
        assert chunks and set(chunks) == {"numba"} and app.fast.deep_in_use
        assert app.ui.message == _("toast.fast_engine_ready")
    finally:
        app.close()
        pygame.quit()


def test_the_first_helper_starts_before_the_window_and_the_thread_follows_it(monkeypatch):
    """On a cold cache the first stage's helper starts before the window opens; the
    thread follows that one (its progress) and starts one for each later stage, the deep
    layers' only once such a network is on screen."""
    started = []

    class Helper:
        def __init__(self, stage):
            total = len(fast_engine.STAGES[stage])
            self.stdout = iter(f"{done} {total}\n" for done in range(1, total + 1))

        def wait(self):
            return 0

    def launch(stage):
        started.append((stage, pygame.display.get_init() and pygame.display.get_surface() is not None))
        return Helper(stage)
    monkeypatch.setattr(fast_engine, "STAGES", {stage: tuple(lambda: None for _ in groups)
                                                for stage, groups in fast_engine.STAGES.items()})
    monkeypatch.setattr(numba_cache, "warm", lambda stage: False)
    monkeypatch.setattr(compile, "launch", launch)
    monkeypatch.setattr(fast_engine.FastEngine, "_load", lambda self, stage: self.loaded[stage].set())
    clock = FakeClock()
    app = App(LaunchOptions(Settings()), clock, clock.sleep)
    try:
        assert app.fast.loaded["rest"].wait(60)
        for _ in range(3):
            app.frame()
        assert started == [("first", False), ("rest", True)]
        assert not app.fast.loaded["deep"].is_set()
        app.actions.change(batch_norm=True)
        app.frame()
        assert app.fast.loaded["deep"].wait(60)
        assert started == [("first", False), ("rest", True), ("deep", True)]
        assert app.fast.progress == {stage: (len(groups), len(groups))
                                     for stage, groups in fast_engine.STAGES.items()}
    finally:
        app.close()
        pygame.quit()


EARLY = textwrap.dedent("""
    import sys
    from nnsim.app.shell import compile, numba_cache

    class Helper:
        def kill(self):
            print("ended")

        def wait(self):
            return -9

    def launch(stage):
        print(stage, [name for name in ("numpy", "numba", "pygame") if name in sys.modules])
        return Helper()
    numba_cache.warm = lambda stage: False
    compile.launch = launch
    from nnsim.cli import main
    for argv in (["--frames", "x"], ["--headless", "--frames", "x"], ["bench", "--bogus"]):
        try:
            main(argv)
        except SystemExit as stop:
            print("exit", stop.code)
""")


def test_the_command_starts_the_helper_before_its_imports_and_ends_it_without_a_window():
    """``nnsim`` for a window starts the first stage's helper on a cold cache before it
    imports numpy, numba or pygame; when no app takes the helper over (here: a usage
    error), it ends it. Headless runs and subcommands start none."""
    out = subprocess.run([sys.executable, "-c", EARLY], capture_output=True, text=True,
                         timeout=120, check=True, env=dict(os.environ, PYTHONPATH=ROOT)).stdout
    assert out.splitlines() == ["first []", "ended", "exit 2", "exit 2", "exit 2"]


def test_the_app_takes_over_the_helper_started_early(monkeypatch):
    launched = []
    monkeypatch.setattr(numba_cache, "warm", lambda stage: False)
    monkeypatch.setattr(compile, "launch", lambda stage: launched.append(stage) or object())
    compile.launch_early()
    early = compile._early
    assert compile.first_helper() is early and launched == ["first"]
    compile.drop_early()                      # taken: nothing left to end
    assert compile.first_helper() is not early and launched == ["first", "first"]


NUMPY_ONLY = textwrap.dedent("""
    import gc
    from numba.core.dispatcher import Dispatcher
    from nnsim.app.options import LaunchOptions
    from nnsim.app.shell import fast_engine
    from nnsim.app.shell.loop import App
    from nnsim.core import Settings
    fast_engine.FastEngine.start = lambda self: None         # no helper compiles them
    fast_engine.FastEngine._prepare = lambda self: None      # the kernels never get ready
    app = App(LaunchOptions(Settings(), playing=True))
    while app.session.epoch < 3:
        app.frame()
    print([d.py_func.__name__ for d in gc.get_objects() if isinstance(d, Dispatcher) and d.overloads])
""")


def test_a_window_on_numpy_compiles_and_loads_no_kernel(tmp_path):
    """Import, first frames and training on NumPy touch no numba kernel (a fresh process)."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-c", NUMPY_ONLY], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.split() == ["[]"]
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]   # (numba makes the dirs)


def test_numpy_colours_match_the_kernels():
    rng = np.random.default_rng(0)
    palette, undecided = heatmap.colours()
    out = {}
    for C, discretize in [(1, False), (1, True), (3, False), (3, True)]:
        proba = rng.uniform(-2, 2, (36, 1)) if C == 1 else rng.dirichlet(np.ones(C), 36)
        for name in engine.ENGINES:
            out[name] = np.zeros((6, 6, 3), np.uint8)
            with engine.on_this_thread(name):
                heatmap.colour_cells(proba, palette, undecided, 0.7, discretize, out[name])
        assert np.abs(out["numba"].astype(int) - out["numpy"]).max() <= 1
    values = rng.normal(0, 1, (3, 16))
    kind, scale = np.array([0, 1, 2]), np.abs(values).max(axis=1)
    for name in engine.ENGINES:
        out[name] = np.zeros((3 * 8, 8, 3), np.uint8)
        with engine.on_this_thread(name):
            heatmap.paint_nodes(values, scale, kind, 8, 2, palette, undecided, out[name])
    assert np.abs(out["numba"].astype(int) - out["numpy"]).max() <= 1


COMPILER = textwrap.dedent("""
    import os, pathlib, sys, time
    sys.path.insert(0, sys.argv[1])
    import tiny
    from nnsim.app.shell.compile import compile_into_cache
    log, me = pathlib.Path(sys.argv[2]), str(os.getpid())
    (log.parent / me).touch()                        # both started: now both ask at once
    while len(list(log.parent.glob("[0-9]*"))) < 2:
        time.sleep(0.01)

    def group():
        with open(log, "a") as f:
            f.write("start " + me + "\\n")
        tiny.twice(1.0)
        with open(log, "a") as f:
            f.write("end " + me + " misses " + str(sum(tiny.twice.stats.cache_misses.values())) + "\\n")
    compile_into_cache("tiny", [group])
""")
LOADER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import tiny
    assert tiny.twice(2.0) == 4.0
    print(sum(tiny.twice.stats.cache_hits.values()), sum(tiny.twice.stats.cache_misses.values()))
""")


def test_two_processes_asking_to_compile_at_once_take_turns(tmp_path):
    """One compiles (printing its progress), the other waits for the lock, finds the cache
    warm and compiles nothing; the cache index stays readable: a third process loads the
    kernel from it."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tiny.py").write_text(
        "from numba import njit\n\n\n@njit(cache=True)\ndef twice(x):\n    return 2 * x\n")
    (tmp_path / "log").mkdir()
    log = tmp_path / "log" / "events"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=ROOT)
    runs = [subprocess.Popen([sys.executable, "-c", COMPILER, str(tmp_path / "src"), str(log)],
                             env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = sorted(run.communicate(timeout=120)[0] for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs == ["", "1 1\n"]                     # one compiled, the other did not
    events = log.read_text().split()
    assert events[0] == "start" and events[2] == "end" and events[1] == events[3]
    assert len(events) == 6 and events[5] == "1"        # one start, one end: no overlap
    loaded = subprocess.run([sys.executable, "-c", LOADER, str(tmp_path / "src")], env=env,
                            capture_output=True, text=True, timeout=120, check=True).stdout
    assert loaded.split() == ["1", "0"]                 # a cache hit, nothing compiled


class ScriptedHelper:
    """A compile helper whose progress lines come as the test's ``events`` say: it reports
    ``reports`` groups of ``total`` done, noting each line in ``events`` when it is read."""

    def __init__(self, reports, total, events):
        self.events = events
        self.stdout = self._lines(reports, total)

    def _lines(self, reports, total):
        for done in range(1, reports + 1):
            self.events.append(f"helper {done}")
            yield f"{done} {total}\n"

    def wait(self):
        self.events.append("helper ended")
        return 0


def _groups(events, missing=None):
    """Four groups noting their loads in ``events``; the one named ``missing`` finds a
    kernel missing from the cache, as inside ``fast_engine.reading``."""
    def group(name):
        def load():
            if name == missing:
                raise fast_engine.NotCached("kernel")
            events.append(f"load {name} on {engine.current()}")
        return load
    return tuple(group(name) for name in "abcd")


def test_each_group_loads_as_soon_as_the_helper_has_compiled_it(monkeypatch):
    """The first stage is loaded, on the numba engine, group by group as the helper reports
    them, and ready before the helper has ended."""
    events = []
    monkeypatch.setattr(fast_engine, "STAGES", {"first": _groups(events)})
    fast = fast_engine.FastEngine()
    helper = ScriptedHelper(4, 4, events)
    helper.wait = lambda: events.append(("ended", fast.loaded["first"].is_set()))
    assert fast._load_beside("first", helper)
    assert events == ["helper 1", "load a on numba", "helper 2", "load b on numba",
                      "helper 3", "load c on numba", "helper 4", "load d on numba",
                      ("ended", True)]
    assert fast.progress["first"] == (4, 4)


@pytest.mark.parametrize("reports, missing", [(2, None), (0, None), (4, "b")])
def test_loads_beside_the_helper_that_do_not_finish_are_left_to_the_locked_load(
        monkeypatch, reports, missing):
    """A helper that ends early (it failed, or found the cache warm) or a kernel missing
    from the cache (which stops the loads beside it, no compiling) leaves the stage to
    ``_load`` under the cache's lock, once the helper has ended; its progress is followed
    to the end all the same."""
    events = []
    monkeypatch.setattr(fast_engine, "STAGES", {"first": _groups(events, missing)})
    monkeypatch.setattr(numba_cache, "warm", lambda stage: False)
    fast = fast_engine.FastEngine()
    fast._helper = ScriptedHelper(reports, 4, events)
    monkeypatch.setattr(fast_engine.FastEngine, "_load",
                        lambda self, stage: events.append(f"locked load {stage}"))
    fast._prepare()
    loaded = ["load a on numba"] + ["load b on numba"] * (missing is None)
    assert [event for event in events if event.startswith("load")] == loaded[:reports]
    assert events[-2:] == ["helper ended", "locked load first"]
    assert fast.progress["first"] == (reports, 4)
    assert not fast.loaded["first"].is_set()


READER = textwrap.dedent("""
    import pathlib, sys, threading
    sys.path.insert(0, sys.argv[1])
    import tiny
    from nnsim.app.shell.fast_engine import NotCached, reading

    def cached():
        return sum(path.is_file() for path in pathlib.Path(sys.argv[2]).rglob("*"))
    with reading():
        try:
            print(tiny.twice(1.0))
        except NotCached as missing:
            print("missing", missing, cached())
            other = threading.Thread(target=tiny.twice, args=(1.0,))   # others compile
            other.start()
            other.join()
            print(tiny.twice(2.0), cached() > 0)
    print(sum(tiny.twice.stats.cache_hits.values()), sum(tiny.twice.stats.cache_misses.values()))
""")


def test_loads_that_read_the_cache_never_compile_into_it(tmp_path):
    """Inside ``reading`` a kernel missing from the cache raises instead of compiling, so
    nothing is written into the cache, while other threads compile as usual; a kernel in
    the cache loads."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tiny.py").write_text(
        "from numba import njit\n\n\n@njit(cache=True)\ndef twice(x):\n    return 2 * x\n")
    cache = tmp_path / "cache"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), PYTHONPATH=ROOT)
    runs = [subprocess.run([sys.executable, "-c", READER, str(tmp_path / "src"), str(cache)],
                           env=env, capture_output=True, text=True, timeout=120,
                           check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["missing", "twice", "0", "4.0", "True", "0", "2"]   # refused, compiled
    assert runs[1] == ["2.0", "1", "0"]                  # then a hit, nothing compiled


HOLDER = textwrap.dedent("""
    import pathlib, sys, time
    sys.path.insert(0, sys.argv[1])
    import tiny
    from nnsim.app.shell.compile import compile_into_cache

    def second():                    # holds the lock until the test says go
        while not pathlib.Path(sys.argv[2]).exists():
            time.sleep(0.01)
        tiny.thrice(1.0)
    compile_into_cache("tiny", [lambda: tiny.twice(1.0), second])
""")
BESIDE = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import tiny
    from nnsim.app.shell.fast_engine import NotCached, reading
    with reading():
        print(tiny.twice(2.0))
        try:
            print(tiny.thrice(1.0))
        except NotCached as missing:
            print("missing", missing)
    print(sum(tiny.twice.stats.cache_hits.values()), sum(tiny.thrice.stats.cache_hits.values()))
""")


def test_a_group_the_helper_reported_loads_while_it_still_holds_the_lock(tmp_path):
    """What the helper reported compiled loads from the cache in another process while the
    helper compiles the next group under the lock; what it has not compiled yet is missing
    there (and is not compiled by it); once the helper is done, that loads too."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tiny.py").write_text(
        "from numba import njit\n\n\n@njit(cache=True)\ndef twice(x):\n    return 2 * x\n"
        "\n\n@njit(cache=True)\ndef thrice(x):\n    return 3 * x\n")
    go = tmp_path / "go"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=ROOT)

    def beside():
        return subprocess.run([sys.executable, "-c", BESIDE, str(tmp_path / "src")], env=env,
                              capture_output=True, text=True, timeout=120,
                              check=True).stdout.split()
    helper = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "src"), str(go)],
                              env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert helper.stdout.readline() == "1 2\n"
        assert beside() == ["4.0", "missing", "thrice", "1", "0"]
        go.touch()
        assert helper.stdout.readline() == "2 2\n"
        assert helper.wait(timeout=120) == 0
    finally:
        go.touch()
        helper.wait(timeout=120)
    assert beside() == ["4.0", "3.0", "1", "1"]
