"""Recording the window as an animated GIF: G in the app, --record on the command line."""
import errno
import io
import os

import numpy as np
import pygame
import pytest
from helpers import FakeClock, key
from PIL import Image

from nnsim.app.draw import theme as th
from nnsim.app.shell import recorder
from nnsim.cli import main


@pytest.fixture
def app(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_app(points=100, clock=FakeClock())


def red_pixels(app):
    corner = pygame.surfarray.array3d(app.screen)[-200:, :60]
    return int(np.all(corner == th.DANGER, axis=-1).sum())


def frames_of(path):
    with Image.open(path) as gif:
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
        return gif.size, durations


def test_g_records_the_window_until_pressed_again(app, tmp_path):
    key(app, pygame.K_g)
    assert app.recorder.active
    assert red_pixels(app) > 20                     # the REC badge's red dot
    for _ in range(60):                             # one second at 60 Hz
        app.frame()
    key(app, pygame.K_g)
    assert not app.recorder.active and red_pixels(app) == 0
    (gif,) = tmp_path.glob("nnsim-*.gif")
    assert app.ui.message == f"Recording saved: {gif}"
    size, durations = frames_of(gif)
    assert size == (800, 500)
    assert 10 <= len(durations) <= 11 and all(d == 100 for d in durations[:-1])


def test_a_recording_stops_at_its_limit_and_is_saved(app, tmp_path):
    key(app, pygame.K_g)
    app.frame()
    app.clock.now += recorder.MAX_S
    app.frame()
    assert not app.recorder.active and "limit of 60 s" in app.ui.message
    assert len(list(tmp_path.glob("nnsim-*.gif"))) == 1


def test_each_frame_keeps_its_own_colours():
    pygame.display.init()
    first, second = pygame.Surface((40, 20)), pygame.Surface((40, 20))
    first.fill((255, 0, 0)), first.fill((0, 255, 0), (20, 0, 20, 20))
    second.fill((0, 0, 255)), second.fill((255, 255, 0), (20, 0, 20, 20))
    frames = [recorder.encode_frame(s, (40, 20)) for s in (first, second)]
    data = recorder.join_frames((40, 20), frames, [10, 10])
    pygame.quit()
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 2
        seen = []
        for i in range(2):
            gif.seek(i)
            rgb = gif.convert("RGB")
            seen.append((rgb.getpixel((5, 5)), rgb.getpixel((35, 15))))
    assert seen == [((255, 0, 0), (0, 255, 0)), ((0, 0, 255), (255, 255, 0))]


def test_headless_record_writes_an_animated_gif(tmp_path):
    out = tmp_path / "run.gif"
    assert main(["--headless", "--frames", "40", "--play", "--record", str(out)]) == 0
    size, durations = frames_of(out)
    assert size == (800, 500) and len(durations) > 1


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch, capsys):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "run.gif"
    assert main(["--headless", "--frames", "10", "--record", str(out)]) == 1
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert err == f"nnsim: cannot write {out}: No space left on device\n"


@pytest.mark.parametrize("name, message", [("run.png", "a recording is a .gif file"),
                                           ("missing/run.gif", "does not exist")])
def test_the_output_path_is_checked_before_the_run(tmp_path, capsys, name, message):
    with pytest.raises(SystemExit) as exit_:
        main(["--headless", "--frames", "10", "--record", str(tmp_path / name)])
    assert exit_.value.code == 2 and message in capsys.readouterr().err
