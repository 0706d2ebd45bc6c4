"""20,000 random real events through the headless loop: no exception, still responsive,
memory does not keep growing."""
import gc
import sys
from pathlib import Path

import pygame

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from soak import rss_mb, soak  # noqa: E402


def test_twenty_thousand_random_events(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # screenshots and exports land here
    app = make_app()
    frames, quits, rss = soak(app, 20_000, seed=1, folder=tmp_path)
    assert frames == 400
    # afterwards the app still answers Space and R
    app.finish()                                # (the app changes its session only when idle)
    app.ui.prompt = None
    app.ui.help_visible = False
    app.resize((1280, 800))
    if app.fullscreen:
        app.toggle_fullscreen()
    app.actions.load_preset("xor")
    app.ui.playing = False
    app.actions.set_speed("normal")             # random keys may have left another speed or pace
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=0))
    app.frame()
    assert app.ui.playing
    for _ in range(5):
        app.frame()
    app.finish()
    assert app.session.epoch > 0
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_r, mod=0, unicode="r", scancode=0))
    app.frame()
    app.finish()
    assert app.session.epoch <= 1 and not app.session.net.diverged
    # memory: back at a normal window size, the process is no bigger than it was during the
    # first half of the run (huge windows take memory while they last, then give it back)
    gc.collect()
    app.frame()
    assert rss_mb() < max(rss[:len(rss) // 2]) + 100, (rss, rss_mb())
