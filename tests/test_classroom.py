"""Defects a class would hit, each pinned by a test that failed before its fix."""
import numpy as np
import pygame
import pytest
from helpers import boundary, key

from nnsim.app.draw.theme import CLASS_COLOURS, TEST_LINE, TRAIN_LINE
from nnsim.app.views.network_view import NO_HIDDEN_SPACE
from nnsim.core.datasets import make_dataset
from nnsim.lessons import text


def press(k, mod=0):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0))


@pytest.mark.parametrize("poison", [np.nan, np.inf, -np.inf, 1e300])
def test_every_view_draws_a_diverged_network(make_app, poison):
    app = make_app(hidden=(32, 32, 32), activation="gelu")
    session = app.session
    theta = session.net.theta
    theta[::3] = poison
    theta[1::7] = -poison
    session.net.diverged = True
    session.weights_changed()
    app.frame()
    for k in range(3):                          # diagram, hidden space, a node shown large
        if k == 1:
            app.actions.set_hidden_space(True)
        if k == 2:
            app.actions.set_hidden_space(False)
            app.actions.select_node((2, 3))
        app.frame()
        box = app.painter.network_view.rect
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=box.center, rel=(1, 1),
                                             buttons=(0, 0, 0)))
        app.frame()                             # hover tooltips read the poisoned values too
    assert not app.ui.playing


def test_the_real_divergence_from_the_issue_runs_to_its_end(make_app):
    """gelu, η = 10, batch 1, 3 × 32, SGD at Max on XOR: the loss blows up; every frame draws."""
    app = make_app(dataset="xor", activation="gelu", eta=10.0, batch=1, hidden=(32, 32, 32),
                   optimizer="sgd", playing=True, speed="max")
    for _ in range(120):
        app.frame()
    app.finish()
    assert app.session.net.diverged and not app.ui.playing


def drawn_point_colours(app):
    """The colours at the centres of the training points' markers."""
    session = app.session
    keep = ~session.test
    xy = boundary(app).mapping.to_screen(session.X[keep])
    return {tuple(app.screen.get_at((int(x), int(y))))[:3] for x, y in xy}


def test_switching_presets_within_one_frame_draws_the_new_points(make_app):
    app = make_app()
    for _ in range(3):                          # several presses inside one frame, many times
        for k in (pygame.K_1, pygame.K_6, pygame.K_2, pygame.K_6):
            press(k)
        app.frame()
        session = app.session
        assert session.settings.dataset == "blobs3"
        X, y = make_dataset("blobs3", session.settings.points, session.settings.noise,
                            session.settings.seed)
        np.testing.assert_array_equal(session.X, X)
        # the markers sit where blobs3's points are, in the three class colours
        assert {CLASS_COLOURS[c] for c in range(3)} <= drawn_point_colours(app)
        app.frame()


def test_presets_and_experiments_pressed_in_one_frame_keep_the_chart_consistent(make_app):
    app = make_app(points=50)
    for _ in range(20):
        for k, mod in ((pygame.K_SPACE, 0), (pygame.K_2, pygame.KMOD_SHIFT), (pygame.K_RIGHT, 0),
                       (pygame.K_3, 0), (pygame.K_r, 0), (pygame.K_RIGHT, 0), (pygame.K_4, 0)):
            press(k, mod)
        app.frame()
        app.frame()
    app.finish()
    assert all(shot.snapshot.shown_epoch <= s.epoch for shot, s in zip(app.trainer.sides, app.actions.sessions))


def test_a_dead_network_pause_stops_training_at_max(make_app):
    app = make_app(dataset="spiral", activation="relu", optimizer="adam", eta=1.0,
                   hidden=(8,) * 6)
    app.actions.set_speed("max")
    key(app, pygame.K_SPACE)
    for _ in range(60):
        app.frame()
        if app.trainer.sides[0].snapshot.dead:
            break
    assert app.trainer.sides[0].snapshot.dead, "this recipe kills every ReLU of a layer"
    app.frame()
    app.finish()
    stopped = app.session.epoch
    for _ in range(30):
        app.frame()
    app.finish()
    assert app.session.epoch == stopped and not app.ui.playing and not app.trainer.worker.busy
    key(app, pygame.K_r)                        # R: fresh weights, no banner, and says Space
    assert not app.trainer.sides[0].snapshot.dead and not app.ui.playing and app.session.epoch == 0
    assert "press Space" in app.ui.message


def test_esc_closes_the_topmost_thing_and_never_quits(make_app):
    app = make_app()
    key(app, pygame.K_t)
    key(app, pygame.K_h)
    key(app, pygame.K_3, pygame.KMOD_SHIFT)     # an experiment's caption
    app.actions.select_node((1, 0))
    order = []
    for _ in range(6):
        ui = app.ui
        order.append((ui.help_visible, bool(ui.experiment), ui.theory_visible, bool(ui.selected_node)))
        key(app, pygame.K_ESCAPE)
        assert app.running
    assert order[:4] == [(True, True, True, True), (False, True, True, True),
                         (False, False, True, True), (False, False, False, True)]
    assert not app.ui.selected_node


def test_ctrl_q_asks_once_when_there_are_unsaved_changes(make_app, tmp_path):
    app = make_app()
    key(app, pygame.K_q, pygame.KMOD_CTRL)      # nothing changed yet: quits at once
    assert not app.running
    app.running = True
    key(app, pygame.K_RIGHT)                    # trained: unsaved
    key(app, pygame.K_q, pygame.KMOD_CTRL)
    assert app.running and "Unsaved" in app.ui.message
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.frame()
    assert not app.running


def test_saving_makes_quitting_quiet(make_app, tmp_path):
    app = make_app()
    key(app, pygame.K_RIGHT)
    app.actions.save_to(tmp_path / "lesson.json")
    assert str(tmp_path / "lesson.json") in app.ui.message
    key(app, pygame.K_q, pygame.KMOD_CTRL)
    assert not app.running


def test_messages_stay_long_enough_to_read(make_app):
    app = make_app()
    now = app.clock()
    app.actions.notify("Scenario saved: /home/teacher/lessons/week-3/overfitting-demo.json")
    assert app.ui.message_until - now >= 4.0


def test_c_clears_points_and_starts_a_fresh_network(make_app):
    app = make_app()
    app.trainer.train_now(50)
    start = app.session.net.copy()              # the weights a fresh network starts from
    start.reset(app.session.settings.seed)
    key(app, pygame.K_c)
    assert len(app.session.y) == 0 and app.session.epoch == 0 and len(app.session.history) == 0
    np.testing.assert_array_equal(app.session.net.theta, start.theta)


def test_no_test_points_means_no_test_curve(make_app):
    app = make_app(test_ratio=0.0)
    app.trainer.train_now(30)
    app.frame()
    p = app.painter.chart.plot
    pixels = pygame.surfarray.array3d(app.screen)[p.x:p.right, p.y:p.bottom].reshape(-1, 3)

    def drawn(colour):
        return (np.abs(pixels.astype(int) - np.array(colour)).sum(axis=1) < 30).any()
    assert drawn(TRAIN_LINE) and not drawn(TEST_LINE)      # the training loss only


def test_the_hidden_space_axes_start_on_two_neurons_and_say_when_there_is_none(make_app):
    app = make_app(hidden=(1,))
    app.actions.set_hidden_space(True)
    app.frame()
    key(app, pygame.K_l)                        # a second layer of 1, then widen the first
    app.actions.set_width(0, 6)
    app.actions.set_hidden_layer(1)
    assert app.ui.hidden_axes[0] != app.ui.hidden_axes[1]
    app.actions.set_layer_count(0)
    app.frame()
    assert app.painter.network_view.notice == NO_HIDDEN_SPACE


def test_a_link_tooltip_does_not_outlive_a_file_prompt(make_app):
    app = make_app()
    view = app.painter.network_view
    a, b = view.link_ends[0, :2], view.link_ends[0, 2:]
    on_link = tuple(int(v) for v in (a + b) / 2)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=on_link, rel=(1, 1), buttons=(0, 0, 0)))
    app.frame()
    assert view.mouse is not None
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    key(app, pygame.K_ESCAPE)
    assert app.ui.prompt is None and view.mouse is None


def test_log_scale_labels_stay_inside_the_chart_card(make_app):
    from nnsim.app.draw import theme as th
    from nnsim.core.history import History
    app = make_app()
    chart = app.painter.chart
    chart.log_scale = True
    rows = np.c_[np.geomspace(0.000123, 0.000987, 40), np.ones(40), np.full(40, np.nan), np.ones(40)]
    app.screen.fill(th.BACKGROUND)
    chart.draw_history(app.screen, History().extended(rows), version=-1, has_test=False)
    r = chart.rect
    outside = pygame.surfarray.array3d(app.screen)[r.x - 6:r.x, r.y:r.bottom].reshape(-1, 3)
    assert (outside == th.BACKGROUND).all()     # "0.000123" is wider than the label room


def test_a_diverged_chart_says_press_r_like_the_banner(make_app):
    app = make_app(activation="leaky_relu", optimizer="momentum", eta=1.0)
    key(app, pygame.K_SPACE)
    for _ in range(30):
        app.frame()
    app.finish()
    assert app.session.net.diverged
    drawn = []
    chart = app.painter.chart
    original = chart.draw_history
    chart.draw_history = lambda *args, **kw: (drawn.append(kw.get("empty")), original(*args, **kw))[1]
    app.frame()
    assert [text._(key) for key in drawn] == ["diverged — press R"]
