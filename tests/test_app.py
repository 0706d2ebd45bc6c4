"""The playground driven headless by real pygame events (SDL dummy driver, see conftest)."""
import os
import subprocess
import sys
import threading

import numpy as np
import pygame
import pytest
from helpers import FakeClock, click, key, regions

from nnsim.app.draw.theme import CLASS_COLOURS, Theme, clear_caches
from nnsim.app.state import controls
from nnsim.app.views.layout import compute_layout
from nnsim.cli import main
from nnsim.core.config import EPOCHS_PER_SECOND


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_clicks_add_points_of_the_right_class_under_the_cursor(make_app, size):
    app = make_app(size)
    key(app, pygame.K_6)                       # 3-class preset, so class C is allowed
    key(app, pygame.K_c)
    assert len(app.session.y) == 0
    rect = app.painter.layout.boundary
    targets = [((0.0, 0.0), 1, 0), ((3.0, -4.5), 3, 1), ((-5.0, 5.0), 2, 2)]
    for (x1, x2), button, label in targets:
        pos = (rect.x + (x1 + 6) / 12 * rect.w, rect.y + (6 - x2) / 12 * rect.h)
        click(app, (round(pos[0]), round(pos[1])), button)
    assert list(app.session.y) == [0, 1, 2]
    pixel = 12 / rect.w                        # one screen pixel, in plane units
    np.testing.assert_allclose(app.session.X, [t[0] for t in targets], atol=pixel)
    assert not app.session.test.any()          # clicked points are training points


def test_modifier_clicks_and_ctrl_click_removes(make_app):
    app = make_app()
    key(app, pygame.K_c)
    centre = app.painter.layout.boundary.center
    pygame.key.set_mods(pygame.KMOD_SHIFT)
    click(app, centre)
    pygame.key.set_mods(pygame.KMOD_ALT)       # class C on a 2-class preset: refused
    click(app, (centre[0] + 40, centre[1]))
    assert list(app.session.y) == [1] and "3-class" in app.ui.message
    pygame.key.set_mods(pygame.KMOD_CTRL)
    click(app, (centre[0] + 5, centre[1] + 5))
    pygame.key.set_mods(0)
    assert len(app.session.y) == 0


def test_drag_paints_a_line_of_points(make_app):
    app = make_app()
    key(app, pygame.K_c)
    r = app.painter.layout.boundary
    y = r.centery
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(r.x + 20, y), button=1))
    for x in range(r.x + 20, r.right - 20, 5):
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(5, 0), buttons=(1, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(r.right - 20, y), button=1))
    app.frame()
    span = app.session.X[-1, 0] - app.session.X[0, 0]
    assert len(app.session.y) > 20 and (r.w - 40) / r.w * 12 - span < controls.BRUSH_SPACING
    np.testing.assert_allclose(np.diff(app.session.X[:, 0]), controls.BRUSH_SPACING)
    np.testing.assert_allclose(app.session.X[:, 1], app.session.X[0, 1])


@pytest.mark.parametrize("k, name", list(zip(range(pygame.K_1, pygame.K_7), controls.PRESETS)))
def test_preset_hotkeys_load_their_dataset(make_app, k, name):
    app = make_app(noise=0.2, points=300)
    key(app, k)
    s = app.session.settings
    assert s.dataset == name and s.noise == 0.2 and s.points == 300
    assert len(app.session.y) == 300 and app.session.net.n_classes == s.n_classes


def test_space_plays_and_step_trains_one_epoch(make_app):
    app = make_app()
    assert not app.ui.playing and app.session.epoch == 0
    key(app, pygame.K_SPACE)
    for _ in range(20):
        app.frame()
    assert app.ui.playing and app.session.epoch > 0 and len(app.session.history) == app.session.epoch
    key(app, pygame.K_SPACE)
    paused_at = app.session.epoch
    for _ in range(5):
        app.frame()
    assert app.session.epoch == paused_at
    key(app, pygame.K_RIGHT)
    assert app.session.epoch == paused_at + 1
    key(app, pygame.K_s)
    assert app.session.epoch == paused_at + 2


def test_settings_hotkeys(make_app):
    app = make_app()
    s = lambda: app.session.settings  # noqa: E731
    key(app, pygame.K_RIGHTBRACKET)
    assert s().eta == 0.02
    key(app, pygame.K_LEFTBRACKET)
    key(app, pygame.K_LEFTBRACKET)
    assert s().eta == 0.005
    key(app, pygame.K_PERIOD)
    assert s().batch == 64
    key(app, pygame.K_COMMA)
    key(app, pygame.K_COMMA)
    assert s().batch == 16
    key(app, pygame.K_a)
    assert s().activation == "sigmoid"
    key(app, pygame.K_l)
    assert s().hidden == (8, 8, 8) and app.session.net.sizes == (2, 8, 8, 8, 2)
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    assert s().hidden == (8,)
    key(app, pygame.K_d)
    key(app, pygame.K_v)
    assert app.ui.discretize and app.ui.show_test
    seed = s().seed
    key(app, pygame.K_n)
    assert s().seed == seed + 1
    key(app, pygame.K_TAB)
    assert not app.ui.panel_visible and app.painter.layout.panel.w == 0
    key(app, pygame.K_h)
    assert app.ui.help_visible
    key(app, pygame.K_ESCAPE)
    assert not app.ui.help_visible and app.running
    key(app, pygame.K_ESCAPE)
    assert app.running                             # Esc never quits


def test_changing_eta_keeps_weights_but_architecture_resets_them(make_app):
    app = make_app()
    key(app, pygame.K_RIGHT)
    theta = app.session.net.theta.copy()
    key(app, pygame.K_RIGHTBRACKET)
    np.testing.assert_array_equal(app.session.net.theta, theta)
    assert app.session.epoch == 1
    key(app, pygame.K_a)
    assert app.session.epoch == 0


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (1920, 1080)])
@pytest.mark.parametrize("panel", [True, False])
def test_layout_regions_fit_and_never_overlap(size, panel):
    pygame.font.init()
    clear_caches()            # fonts of an app closed before died with its font module
    t = Theme(size)
    layout = compute_layout(size, t, panel)
    window = pygame.Rect((0, 0), size)
    shown = regions(layout)
    for i, r in enumerate(shown):
        assert window.contains(r) and r.w > 60 and r.h > 60, r
        assert not any(r.colliderect(o) for o in shown[i + 1:])
    assert layout.boundary.w == layout.boundary.h
    assert layout.boundary.w * layout.boundary.h == max(r.w * r.h for r in shown if r is not layout.panel)


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (1920, 1080)])
def test_panel_widgets_fit_inside_the_panel(make_app, size):
    app = make_app(size, dataset="checkerboard", schedule="step", early_stop=10)
    panel = app.painter.panel
    assert panel.content_h <= panel.rect.h
    for more in ((), ("dataset",), ("training",)):      # each section's pages
        panel.more = set(more)
        rects = [w.rect for w in panel.widgets if panel.shown(w)]
        for i, r in enumerate(rects):
            assert panel.rect.contains(r)
            assert not any(r.colliderect(o) for o in rects[i + 1:]), r


def colour_at(app, x1, x2):
    rect = app.painter.layout.boundary
    return app.screen.get_at((int(rect.x + (x1 + 6) / 12 * rect.w),
                              int(rect.y + (6 - x2) / 12 * rect.h)))[:3]


def nearest_class(rgb):
    return int(np.argmin([np.abs(np.subtract(rgb, c)).sum() for c in CLASS_COLOURS[:2]]))


def test_trained_xor_shows_both_colours_in_the_right_quadrants(make_app):
    app = make_app(dataset="xor", hidden=(8,), activation="tanh", optimizer="adam", eta=0.03,
                   noise=0.0)
    before = pygame.surfarray.array3d(app.screen)[app.painter.layout.boundary.x:app.painter.layout.boundary.right]
    app.trainer.train_now(150)
    app.ui.show_test = False
    app.session.clear_points()                 # no points over the heatmap pixels we read
    app.frame()
    after = pygame.surfarray.array3d(app.screen)[app.painter.layout.boundary.x:app.painter.layout.boundary.right]
    assert np.abs(after.astype(int) - before).mean() > 5
    # class 0 (orange) where x1 x2 > 0, class 1 (blue) where x1 x2 < 0
    assert [nearest_class(colour_at(app, *p)) for p in [(3, 3), (-3, -3), (-3, 3), (3, -3)]] == [0, 0, 1, 1]


def test_diverged_run_shows_banner_and_stays_responsive(make_app):
    app = make_app(activation="leaky_relu", optimizer="momentum", eta=1.0)
    key(app, pygame.K_SPACE)
    for _ in range(30):
        app.frame()
    assert app.session.net.diverged and not app.ui.playing
    key(app, pygame.K_r)
    assert not app.session.net.diverged and app.session.epoch == 0


def test_adam_at_eta_one_kills_a_deep_relu_net_and_says_so(make_app):
    app = make_app(hidden=(8, 8, 8, 8), activation="relu", optimizer="adam", eta=1.0)
    key(app, pygame.K_SPACE)
    for _ in range(90):
        app.frame()
    app.finish()
    assert app.trainer.sides[0].snapshot.dead and not app.ui.playing
    key(app, pygame.K_r)
    assert app.trainer.sides[0].snapshot.dead == [] and app.session.epoch == 0


def test_resize_relayouts(make_app):
    app = make_app()
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1920, 1080), w=1920, h=1080))
    app.frame()
    assert app.screen.get_size() == (1920, 1080) and app.painter.layout.boundary.right < 1920
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(10, 10), w=10, h=10))
    app.frame()
    assert app.screen.get_size() == (640, 400)


def test_screenshot_hotkey_writes_png(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    key(app, pygame.K_p)
    [png] = tmp_path.glob("nnsim-*.png")
    assert pygame.image.load(png).get_size() == (1280, 800)
    assert "Screenshot saved" in app.ui.message


def test_headless_cli_writes_png(tmp_path):
    out = tmp_path / "shot.png"
    assert main(["--headless", "--frames", "60", "--play", "--preset", "xor",
                 "--size", "1024x640", "--screenshot", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pygame.display.init()
    assert pygame.image.load(out).get_size() == (1024, 640)
    pygame.quit()


def test_without_a_display_plain_nnsim_says_how_to_run_headless():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    result = subprocess.run([sys.executable, "-m", "nnsim"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "--headless" in result.stderr and "xvfb-run" in result.stderr


def widget(app, kind, test=lambda w: True):
    return next(w for w in app.painter.panel.widgets if type(w).__name__ == kind and test(w))


def test_panel_controls_change_the_settings(make_app):
    app = make_app()
    s = lambda: app.session.settings  # noqa: E731
    xor = widget(app, "_DatasetButton", lambda w: w.label() == "XOR")
    click(app, xor.rect.center)
    assert s().dataset == "xor"
    eta = widget(app, "Slider", lambda w: w.caption.startswith("Learning rate"))
    track = eta.track()
    click(app, (track.right - 1, track.centery))             # the far end: the largest eta
    assert s().eta == controls.ETA_STEPS[-1]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(track.right - 1, track.centery), button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(track.x, track.centery), rel=(-9, 0), buttons=(1, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(track.x, track.centery), button=1))
    app.frame()                                               # dragged to the smallest
    assert s().eta == controls.ETA_STEPS[0]
    adam = widget(app, "Segmented", lambda w: w.labels[-1] == "Adam")
    click(app, adam.cells[2].center)
    assert s().optimizer == "adam"
    dropdown = app.painter.panel.dropdowns[0]
    click(app, dropdown.rect.center)                          # opens the activation list
    assert dropdown.open
    click(app, dropdown.options[0].center)                    # ReLU
    assert s().activation == "relu" and not dropdown.open
    layers = widget(app, "Stepper", lambda w: not hasattr(w, "layer"))
    click(app, layers.plus.center)
    assert s().hidden == (8, 8, 8)
    first = widget(app, "_LayerStepper", lambda w: w.layer == 0)
    click(app, first.minus.center)
    assert s().hidden == (7, 8, 8)
    x1sq = widget(app, "Button", lambda w: w.label == "x₁²")
    click(app, x1sq.rect.center)
    assert s().features == ("x1", "x2", "x1^2") and app.session.net.sizes[0] == 3
    show = widget(app, "Toggle", lambda w: w.label == "Test")
    click(app, show.rect.center)
    assert app.ui.show_test
    l2 = widget(app, "Segmented", lambda w: w.labels == ["Off", "L1", "L2"])
    click(app, l2.cells[2].center)
    assert s().l2 == app.ui.reg_rate and s().l1 == 0
    play = widget(app, "Button", lambda w: w.on_click == app.actions.toggle_play)
    click(app, play.rect.center)
    assert app.ui.playing


@pytest.mark.parametrize("speed", ["slow", "normal", "fast"])
def test_paced_speeds_train_their_epochs_per_second(make_app, speed):
    clock = FakeClock()
    app = make_app(speed=speed, clock=clock)
    key(app, pygame.K_SPACE)
    start = clock.now
    while clock.now - start < 2.0:                            # two seconds of frames
        app.frame()
        app.finish()                                          # each frame's epochs, done
    rate = EPOCHS_PER_SECOND[speed]
    assert abs(app.session.epoch - 2 * rate) <= max(2, 0.05 * rate)


def test_loss_chart_log_toggle_and_hover(make_app):
    app = make_app()
    app.trainer.train_now(40)
    app.frame()
    chart = app.painter.chart
    click(app, chart.log_button.center)
    assert chart.log_scale
    p = chart.plot
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(p.right - 1, p.centery), rel=(1, 0), buttons=(0, 0, 0)))
    app.frame()
    assert chart.hover is not None


def test_fullscreen_toggles_and_esc_leaves_it(make_app):
    app = make_app()
    key(app, pygame.K_F11)
    assert app.fullscreen and app.painter.layout.boundary.right <= app.screen.get_width()
    key(app, pygame.K_f)
    desktop = pygame.display.get_desktop_sizes()[0]          # the dummy driver's: 1024x768
    w, h = app.screen.get_size()
    assert not app.fullscreen and w <= min(1280, desktop[0]) and h <= min(800, desktop[1])
    key(app, pygame.K_f)
    key(app, pygame.K_ESCAPE)
    assert not app.fullscreen and app.running
    key(app, pygame.K_ESCAPE)
    assert app.running                             # Esc never quits


def test_fullscreen_start_on_a_preset(monkeypatch, make_app):
    started = {}
    monkeypatch.setattr("nnsim.app.shell.main.run", lambda options: started.update(
        dataset=options.settings.dataset, fullscreen=options.fullscreen) or 0)
    assert main(["--fullscreen", "--preset", "xor"]) == 0            # what the CLI asks for
    assert started == {"dataset": "xor", "fullscreen": True}
    app = make_app(dataset="xor", fullscreen=True)                   # what run() makes
    assert app.fullscreen and app.session.settings.dataset == "xor" and not app.ui.playing


@pytest.fixture
def odd_switch_interval():
    """A GIL switch interval no app sets, for the test; the one before is restored after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    yield 0.004
    sys.setswitchinterval(before)


# odd_switch_interval first: its teardown then runs after make_app's (which closes the apps again)
def test_closing_an_app_stops_its_worker_and_restores_the_process(odd_switch_interval, make_app):
    from nnsim.app.shell.loop import GIL_SWITCH_S
    threads = threading.active_count()
    for _ in range(3):
        app = make_app(playing=True, speed="max")
        for _ in range(5):
            app.frame()
        assert sys.getswitchinterval() == GIL_SWITCH_S
        app.close()
        assert sys.getswitchinterval() == odd_switch_interval
        assert threading.active_count() == threads     # its training thread has ended
