"""Signals on a real app in a child process (SDL's dummy driver; the window path unless
--headless): SIGTERM, SIGHUP and SIGINT end it with 143, 129 and 130 and keep unsaved work in
a recovery file; after a SIGKILL the last autosave brings the lesson back. The tests wait
for the child's own lines (tests/app_child.py), never a fixed time."""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from nnsim.app.shell import folders, recovery
from nnsim.cli import main
from nnsim.core import scenario

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120          # generous: a cold numba cache compiles in the child


class Child:
    """``tests/app_child.py ARGS`` running; ``wait_for(key)`` returns its next stdout line
    holding ``key``."""

    def __init__(self, *args, cwd, **variables):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(variables, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
                   PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]))
        self.process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "app_child.py"),
                                         "--no-intro", "--points", "40", *args],
                                        cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, key, until=lambda line: True):
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT_S)
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"the child never said {key!r}: {self.process.stderr.read()}")
            if key in line and until(line):
                return line

    def signal(self, signum):
        self.process.send_signal(signum)
        try:
            return self.process.wait(TIMEOUT_S)
        finally:
            self.process.kill()


@pytest.fixture
def child(tmp_path):
    children = []

    def start(*args, **variables):
        children.append(Child(*args, cwd=tmp_path, **variables))
        return children[-1]
    yield start
    for c in children:
        c.process.kill()
        c.process.wait()
        c.process.stdout.close(), c.process.stderr.close()


def test_sigterm_ends_a_window_with_unsaved_training_and_keeps_it(child):
    app = child("--play", "--speed", "fast")
    autosaved = app.wait_for("autosaved")
    assert app.signal(signal.SIGTERM) == 143
    (path,) = recovery.files(folders.state_dir())
    assert str(path) == autosaved["autosaved"]
    assert recovery.read(path).sessions[0].epoch >= autosaved["epoch"] >= 1
    assert "SIGTERM received" in (folders.log_dir() / "nnsim.log").read_text()


@pytest.mark.parametrize("name, code", [("SIGHUP", 129), ("SIGINT", 130), ("SIGTERM", 143)])
def test_an_idle_window_ends_at_once_and_leaves_nothing_when_all_is_saved(child, name, code):
    app = child()
    app.wait_for("idle")                       # asleep in SDL's event queue
    assert app.signal(getattr(signal, name)) == code
    assert recovery.files(folders.state_dir()) == []


@pytest.mark.parametrize("autosave", [False, True])
def test_a_headless_run_is_ended_too_and_autosaves_only_if_asked(child, autosave):
    app = child("--headless", "--frames", "100000000", "--play", "--speed", "fast",
                *(["--autosave"] if autosave else []))
    if autosave:
        app.wait_for("autosaved")
    else:
        app.wait_for("running")
    assert app.signal(signal.SIGTERM) == 143
    assert len(recovery.files(folders.state_dir())) == autosave


def test_after_a_sigkill_the_last_autosave_brings_the_lesson_back(child, tmp_path):
    # autosaves every 0.1 s instead of 30 s: the test waits for one after some training
    app = child("--play", "--speed", "fast", "--compare", "activation=relu", AUTOSAVE_S="0.1")
    app.wait_for("autosaved", until=lambda line: line["epoch"] >= 3)
    assert app.signal(signal.SIGKILL) == -signal.SIGKILL
    (path,) = recovery.files(folders.state_dir())
    kept = recovery.read(path)
    a, b = kept.sessions
    assert a.epoch >= 3 and b.epoch >= 3 and b.settings.activation == "relu"
    out = tmp_path / "restored.json"
    assert main(["--restore", "--headless", "--frames", "1", "--save", str(out)]) == 0
    restored = scenario.load(out)                       # the side the panel edited: B
    assert kept.selected == 1 and restored.epoch == b.epoch
    np.testing.assert_array_equal(restored.X, b.X)
    np.testing.assert_array_equal(restored.y, b.y)
    np.testing.assert_array_equal(restored.net.theta, b.net.theta)
