"""Recovery files: autosave of unsaved work (wall clock injected), the restore prompt,
pruning, bad files, headless runs, and what an unhandled error leaves behind."""
import json
import os
import time

import numpy as np
import pygame
import pytest
from helpers import FakeClock, key

from nnsim.app.draw.theme import clear_caches
from nnsim.app.options import LaunchOptions
from nnsim.app.shell import crash, folders, recovery
from nnsim.app.shell.main import run
from nnsim.cli import main
from nnsim.core import Session, Settings


@pytest.fixture
def state(tmp_path):
    return folders.state_dir()


def trained(epochs=3, **settings):
    session = Session(Settings(points=40, **settings))
    session.train(epochs)
    return session


def write_file(folder, sessions, selected=0, saved_at=None, name="recovery-a.json"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(recovery.recovery_text(sessions, selected, saved_at or time.time()))
    return path


def same(a, b):
    assert a.settings == b.settings and a.epoch == b.epoch
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.net.theta, b.net.theta)


def with_autosave(app, folder, wall):
    app.autosave = recovery.Autosave(folder, wall=wall)
    return app.autosave


def test_both_sides_of_a_comparison_and_the_lesson_come_back(state):
    a, b = trained(), trained(4, activation="relu")
    path = write_file(state, [a, b], selected=1, saved_at=1_700_000_000)
    found = recovery.read(path)
    assert found.selected == 1 and found.saved_at == 1_700_000_000
    same(found.sessions[0], a), same(found.sessions[1], b)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format="nnsim-scenario"), "not an nnsim recovery file"),
    (lambda d: d.update(version=9), "recovery format version 9"),
    (lambda d: d.update(selected=2), "field 'selected'"),
    (lambda d: d["sides"][0]["settings"].update(hidden=[8.5]), "side A: field 'settings.hidden'"),
])
def test_a_bad_recovery_file_is_one_line(state, change, message):
    path = write_file(state, [trained()])
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(recovery.FileError) as info:
        recovery.read(path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_autosave_writes_at_most_every_30_s_of_wall_time_and_goes_with_ctrl_s(make_app, state,
                                                                              tmp_path):
    wall = FakeClock()
    app = make_app(points=40, clock=FakeClock())
    autosave = with_autosave(app, state, wall)
    app.frame()
    assert not recovery.files(state)                    # nothing unsaved: nothing written
    key(app, pygame.K_s)                                # one epoch: unsaved
    autosave.flush()
    (path,) = recovery.files(state)
    assert recovery.read(path).sessions[0].epoch == 1
    for seconds in (10, 19.9):                          # more work, but too soon
        wall.now = seconds
        key(app, pygame.K_s)
        autosave.flush()
        assert recovery.read(path).sessions[0].epoch == 1
    wall.now = 30
    app.frame()
    autosave.flush()
    assert recovery.read(path).sessions[0].epoch == 3
    app.actions.save_to(tmp_path / "lesson.json")       # what Ctrl+S's prompt calls
    app.frame()
    autosave.flush()
    assert not recovery.files(state)


def test_autosave_takes_the_worker_s_chunk_first(make_app, state):
    wall = FakeClock()
    app = make_app(points=40, playing=True, speed="max")
    autosave = with_autosave(app, state, wall)
    for _ in range(600):                                 # the worker trains chunk after chunk
        app.frame()
        autosave.flush()
        if recovery.files(state):
            break
    found = recovery.read(recovery.newest(state)).sessions[0]
    assert found.epoch >= 1 and np.isfinite(found.net.theta).all()


def test_enter_restores_and_the_file_is_then_this_run_s(make_app, state, tmp_path):
    saved = trained(5)
    path = write_file(state, [saved])
    app = make_app(points=10)
    with_autosave(app, state, FakeClock())
    recovery.offer(app, state)
    assert "Restore the lesson from" in app.ui.prompt.question
    assert "Enter restores, Esc starts fresh" in app.ui.prompt.question
    key(app, pygame.K_s)                                # the prompt takes every key
    assert app.session.epoch == 0 and app.ui.prompt
    key(app, pygame.K_RETURN)
    assert app.ui.prompt is None and "restored" in app.ui.message
    same(app.session, saved)
    assert app.actions.unsaved
    app.autosave.flush()
    assert recovery.files(state) == [path]              # adopted: written again, not twice
    same(recovery.read(path).sessions[0], saved)
    app.actions.save_to(tmp_path / "lesson.json")
    app.frame()
    app.autosave.flush()
    assert not recovery.files(state)


def test_esc_starts_fresh_and_removes_the_file(make_app, state):
    write_file(state, [trained()])
    app = make_app(points=10)
    before = app.session
    recovery.offer(app, state)
    key(app, pygame.K_ESCAPE)
    assert app.ui.prompt is None and app.session is before and not recovery.files(state)


def test_a_bad_file_offered_is_one_line_changes_nothing_and_is_set_aside(make_app, state):
    path = write_file(state, [trained()])
    path.write_text('{"format": "nnsim-recovery", "ver')
    app = make_app(points=10)
    before = app.session
    recovery.offer(app, state)
    assert app.ui.prompt is None and app.session is before
    assert app.ui.message.startswith("The recovery file cannot be used: recovery-a.json: ")
    assert "\n" not in app.ui.message and not recovery.files(state)
    assert (state / "recovery-a.json.bad").exists()


def test_files_older_than_7_days_are_removed(state):
    now = time.time()
    old, young = write_file(state, [trained()], name="recovery-old.json"), \
        write_file(state, [trained()], name="recovery-young.json")
    bad = state / "recovery-bad.json.bad"
    bad.write_text("x")
    os.utime(old, (now - 7.1 * 86400,) * 2)
    os.utime(bad, (now - 8 * 86400,) * 2)
    os.utime(young, (now - 6.9 * 86400,) * 2)
    assert sorted(recovery.prune(state, now)) == sorted([old, bad])
    assert recovery.files(state) == [young]


def test_headless_runs_neither_write_nor_offer_unless_asked(state):
    path = write_file(state, [trained()])
    os.utime(path, (1, 1))                          # very old: still not pruned
    assert run(LaunchOptions(Settings(points=40), size=(640, 400), headless=True, frames=30,
                             playing=True, speed="max")) == 0
    assert recovery.files(state) == [path]


def test_restore_headless_then_run_as_asked(state, tmp_path):
    saved = trained(6)
    path = write_file(state, [saved, trained(2, activation="relu")], selected=0)
    out = tmp_path / "after.json"
    assert main(["--restore", "--headless", "--frames", "1", "--save", str(out)]) == 0
    from nnsim.core import scenario
    same(scenario.load(out), saved)
    assert not path.exists()                        # restored and saved: gone


def test_restore_with_nothing_to_restore_is_one_line(capsys):
    assert main(["--restore", "--headless", "--frames", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nnsim: No lesson to restore") and err.count("\n") == 1


def test_save_works_for_a_window_run_with_frames(tmp_path):
    out = tmp_path / "after.json"
    assert main(["--frames", "3", "--points", "30", "--no-intro", "--save", str(out)]) == 0
    from nnsim.core import scenario
    assert scenario.load(out).settings.points == 30


def crash_after_training(monkeypatch):
    from nnsim.app.views.painter import Painter
    draw = Painter.draw

    def failing(self, *args):
        if self.actions.session.epoch:
            raise ZeroDivisionError("boom")
        return draw(self, *args)
    monkeypatch.setattr(Painter, "draw", failing)


def test_an_error_headless_is_one_line_on_stderr_the_traceback_in_the_log(monkeypatch, state,
                                                                         capsys):
    crash_after_training(monkeypatch)
    assert run(LaunchOptions(Settings(points=40), size=(640, 400), headless=True, frames=600,
                             playing=True, speed="max", autosave=True)) == 1
    err = capsys.readouterr().err
    log = crash.log_path()
    assert err == (f"nnsim stopped because of an error (ZeroDivisionError: boom); "
                   f"details in {log}; the lesson was kept and is offered at the next start\n")
    assert "Traceback" in log.read_text() and 'raise ZeroDivisionError("boom")' in log.read_text()
    assert recovery.read(recovery.newest(state)).sessions[0].epoch >= 1


def test_an_error_in_a_window_shows_a_last_frame_naming_the_log(monkeypatch, state):
    crash_after_training(monkeypatch)
    shown = []
    monkeypatch.setattr(crash, "last_frame", lambda screen, line, **kw: shown.append(line))
    assert run(LaunchOptions(Settings(points=40), size=(640, 400), frames=600, playing=True,
                             speed="max", intro=False)) == 1
    assert len(shown) == 1 and str(crash.log_path()) in shown[0]
    assert recovery.files(state)


def test_the_last_frame_shows_the_line_until_a_key():
    pygame.display.init()
    pygame.font.init()
    clear_caches()                                  # fonts of earlier tests died with them
    screen = pygame.display.set_mode((640, 400))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a",
                                         scancode=0))
    start = time.monotonic()
    crash.last_frame(screen, "nnsim stopped because of an error", wait_s=60)
    assert time.monotonic() - start < 30
    pixels = pygame.surfarray.array3d(screen)
    lit = np.any(pixels != pixels[0, 0], axis=-1)   # the text on the dark frame
    assert 300 < lit.sum() and lit[:, :150].sum() == 0      # a line across the middle
    pygame.quit()
