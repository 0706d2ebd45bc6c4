"""The backprop step-through (B) and typed weights, driven by real pygame events."""
from pathlib import Path

import numpy as np
import pygame
import pytest
from helpers import boundary, click, key

from nnsim.app.draw import theme as th
from nnsim.app.input.keys import BINDINGS
from nnsim.app.state.weight_edit import UNDO_DEPTH
from nnsim.app.views.stepthrough_view import live_line, num
from nnsim.app.widgets.prompt import ValuePrompt
from nnsim.core import feature_matrix_t


def boundary_pixels(app):
    b = app.painter.layout.boundary
    return pygame.surfarray.array3d(app.screen)[b.x:b.right, b.y:b.bottom].astype(int)


def heatmap(app):
    return pygame.surfarray.array3d(boundary(app).image).astype(int)


def pick_training_point(app, k=0):
    """B, then a click on the k-th training point; returns its index in the session."""
    s = app.session
    index = np.flatnonzero(~s.test)[k]
    key(app, pygame.K_b)
    x, y = boundary(app).mapping.to_screen(s.X[index])[0]
    click(app, (int(round(x)), int(round(y))))
    return index


def hover(app, pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 0), buttons=(0, 0, 0)))
    app.frame()


def type_text(app, string):
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=string))
    app.frame()


def single_point_grads(session, index):
    """Network.loss_and_grads on the one point, without regularization."""
    net = session.net.copy()
    net.l1 = net.l2 = 0.0
    x = feature_matrix_t(session.X[index:index + 1], session.settings.features).T
    return net.loss_and_grads(x, [session.y[index]])


def test_picking_a_point_shows_the_numbers_of_loss_and_grads_on_it(make_app):
    app = make_app(hidden=(4, 3), l2=0.01, features=("x1", "x2", "x1*x2"))
    app.trainer.train_now(10)
    index = pick_training_point(app, 3)
    stepper = app.actions.stepper
    x1, x2, label = stepper.point
    assert (x1, x2, label) == (*app.session.X[index], app.session.y[index])
    loss, grads = single_point_grads(app.session, index)
    e = stepper.explained
    assert e["loss"] == pytest.approx(loss, rel=1e-12)
    for layer, (dW, db) in zip(e["layers"], grads):
        np.testing.assert_allclose(layer["dW"], dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer["db"], db, rtol=1e-10, atol=1e-14)


def test_arrows_move_between_stages_without_training(make_app):
    app = make_app(hidden=(3,))
    pick_training_point(app)
    stepper, theta = app.actions.stepper, app.session.net.theta.copy()
    names = [stepper.stage_name]
    for _ in range(4):
        key(app, pygame.K_RIGHT)
        names.append(stepper.stage_name)
    assert names == ["forward", "loss", "backward", "update", "update"]
    key(app, pygame.K_LEFT)
    assert stepper.stage_name == "backward"
    assert app.session.epoch == 0 and np.array_equal(app.session.net.theta, theta)
    key(app, pygame.K_ESCAPE)
    assert not stepper.active
    key(app, pygame.K_RIGHT)         # outside the step-through → trains an epoch again
    assert app.session.epoch == 1


def test_enter_at_the_update_takes_the_step_and_the_boundary_moves(make_app):
    app = make_app(hidden=(4,), eta=0.5)
    index = pick_training_point(app, 5)
    theta = app.session.net.theta.copy()
    _, grads = single_point_grads(app.session, index)
    for _ in range(3):
        key(app, pygame.K_RETURN)    # forward → loss → backward → update
    assert app.actions.stepper.stage_name == "update" and np.array_equal(app.session.net.theta, theta)
    before = heatmap(app)
    loss_before = app.actions.stepper.explained["loss"]
    key(app, pygame.K_RETURN)
    app.frame()
    step = np.concatenate([np.r_[dW.ravel(), db] for dW, db in grads])
    np.testing.assert_allclose(app.session.net.theta, theta - 0.5 * step, rtol=1e-12, atol=1e-15)
    assert app.actions.stepper.explained["loss"] < loss_before
    assert np.abs(heatmap(app) - before).max() > 0
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    app.frame()
    assert np.array_equal(app.session.net.theta, theta)
    assert np.array_equal(heatmap(app), before)


def test_step_through_pauses_training_and_space_leaves_it(make_app):
    app = make_app(hidden=(3,))
    key(app, pygame.K_SPACE)
    assert app.ui.playing
    n_points = len(app.session.y)
    pick_training_point(app)
    assert not app.ui.playing and app.actions.stepper.point is not None
    assert len(app.session.y) == n_points          # the click picked; it added no point
    epoch = app.session.epoch
    app.frame()
    app.frame()
    assert app.session.epoch == epoch
    key(app, pygame.K_SPACE)
    assert app.ui.playing and not app.actions.stepper.active


def test_a_click_away_from_the_points_picks_nothing(make_app):
    app = make_app(hidden=(3,))
    app.actions.clear_points()
    app.session.add_point(4.0, 4.0, 1)
    key(app, pygame.K_b)
    x, y = boundary(app).mapping.to_screen([-4.0, -4.0])[0]
    click(app, (int(x), int(y)))
    assert app.actions.stepper.picking and app.actions.stepper.point is None
    assert len(app.session.y) == 1 and "training point" in app.ui.message


def test_caption_and_numbers_are_drawn(make_app):
    app = make_app(hidden=(4,))
    plain = boundary_pixels(app)
    pick_training_point(app)
    view = app.painter.network_view
    caption = boundary_pixels(app)[20:200, 20:40]
    assert np.abs(caption - plain[20:200, 20:40]).mean() > 30      # the dark caption box
    r = view.columns[1][0]
    node = pygame.surfarray.array3d(app.screen)[r.x:r.right, r.y:r.bottom].reshape(-1, 3)
    assert (node == th.OVERLAY[:3]).all(axis=1).any()               # a number's plate


def test_big_networks_show_colours_and_numbers_on_hover_only(make_app):
    app = make_app(hidden=(16,))
    pick_training_point(app)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT)                                        # backward: δ
    view = app.painter.network_view
    r0, r1 = view.columns[1][0], view.columns[1][1]

    def plate_pixels(r):
        node = pygame.surfarray.array3d(app.screen)[r.x:r.right, r.y:r.bottom].reshape(-1, 3)
        return (node == th.OVERLAY[:3]).all(axis=1).sum()
    assert plate_pixels(r0) == 0
    hover(app, r0.center)
    assert plate_pixels(r0) > 0 and plate_pixels(r1) == 0


def test_hovering_shows_the_chain_rule_product_with_the_live_numbers(make_app):
    app = make_app(hidden=(3, 2))
    pick_training_point(app)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT)
    view, sv = app.painter.network_view, app.painter.stepper_view
    hover(app, view.columns[1][2].center)
    assert sv.hover(view) == (1, 2)
    e = app.actions.stepper.explained
    line = live_line("backward", e, (1, 2), 0.01, ["x₁", "x₂"])
    assert f"= {num(e['layers'][0]['delta'][2])}" in line and "φ'(" in line
    W2, d2 = np.array(e["layers"][1]["W"]), np.array(e["layers"][1]["delta"])
    assert num(float(W2[:, 2] @ d2)) in line
    out = live_line("backward", e, (3, 1), 0.01, ["x₁", "x₂"])
    assert out.startswith("δ = ŷB − t") and num(e["layers"][2]["delta"][1]) in out
    forward = live_line("forward", e, (2, 0), 0.01, ["x₁", "x₂"])
    assert f"= {num(e['layers'][1]['z'][0])}   a = tanh(" in forward
    assert forward.endswith(num(e["layers"][1]["a"][0]))
    loss = live_line("loss", e, None, 0.01, ["x₁", "x₂"])
    assert loss.endswith(f"= {num(e['loss'])}") and num(e["y_hat"][e["label"]]) in loss
    step = live_line("update", e, (2, 1, 0), 0.01, ["x₁", "x₂"])
    dW = e["layers"][1]["dW"][1][0]
    assert num(dW) in step and num(-0.01 * dW) in step


def test_clicking_a_link_types_a_new_weight_and_ctrl_z_undoes_it(make_app):
    app = make_app(hidden=(3,))
    app.trainer.train_now(5)
    app.frame()
    view = app.painter.network_view
    ax, ay, bx, by = view.link_ends[-1]
    pos = (int((ax + bx) / 2), int((ay + by) / 2))
    l, o, i = view.link_at(pos)
    theta, before, version = app.session.net.theta.copy(), heatmap(app), app.session.weights_version
    click(app, pos)
    assert isinstance(app.ui.prompt, ValuePrompt) and app.ui.selected_node is None
    type_text(app, "2")
    type_text(app, ".5")
    key(app, pygame.K_RETURN)
    app.frame()
    assert app.ui.prompt is None
    assert app.session.net.params[l - 1][0][o, i] == 2.5
    assert app.session.weights_version > version
    assert np.abs(heatmap(app) - before).max() > 0
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    app.frame()
    assert np.array_equal(app.session.net.theta, theta) and np.array_equal(heatmap(app), before)
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert app.ui.message == "Nothing to undo"


def test_shift_click_on_a_neuron_types_its_bias_and_plain_click_still_selects(make_app):
    app = make_app(hidden=(3,))
    node = app.painter.network_view.columns[1][1].center
    pygame.key.set_mods(pygame.KMOD_SHIFT)
    click(app, node)
    pygame.key.set_mods(0)
    assert isinstance(app.ui.prompt, ValuePrompt) and app.ui.selected_node is None
    type_text(app, "-0.75")
    key(app, pygame.K_RETURN)
    assert app.session.net.params[0][1][1] == -0.75
    click(app, node)
    assert app.ui.selected_node == (1, 1) and app.ui.prompt is None


@pytest.mark.parametrize("typed", ["abc", "nan", "1e9", "inf", ""])
def test_a_bad_value_is_refused_and_changes_nothing(make_app, typed):
    app = make_app(hidden=(3,))
    pygame.key.set_mods(pygame.KMOD_SHIFT)
    click(app, app.painter.network_view.columns[2][0].center)
    pygame.key.set_mods(0)
    theta, version = app.session.net.theta.copy(), app.session.weights_version
    key(app, pygame.K_BACKSPACE)
    if typed:
        type_text(app, typed)
    key(app, pygame.K_RETURN)
    prompt = app.ui.prompt
    assert prompt is not None and "type a number" in prompt.error
    assert np.array_equal(app.session.net.theta, theta) and app.session.weights_version == version
    key(app, pygame.K_ESCAPE)
    assert app.ui.prompt is None and np.array_equal(app.session.net.theta, theta)


def test_editing_pauses_training(make_app):
    app = make_app(hidden=(3,))
    key(app, pygame.K_SPACE)
    app.actions.edits.set((1, 0, 0), 1.0)
    assert not app.ui.playing and app.session.net.params[0][0][0, 0] == 1.0


def test_the_undo_stack_is_bounded_and_forgets_replaced_networks(make_app):
    app = make_app(hidden=(3,))
    edits = app.actions.edits
    for k in range(UNDO_DEPTH + 10):
        edits.set((1, 0, 0), k / 100)
    undone = 0
    while edits.undo_stack:
        edits.undo()
        undone += 1
    assert undone == UNDO_DEPTH and app.session.net.params[0][0][0, 0] == pytest.approx(0.09)
    edits.set((1, 0, 0), 3.0)
    key(app, pygame.K_l)             # another layer: a new network
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert app.ui.message == "Nothing to undo"


def test_readme_lists_the_step_through_keys():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for binding in BINDINGS:
        if binding.label not in ("B", "←", "Ctrl+Z", "→ or S", "Enter", "Esc"):
            continue
        assert f"| {binding.label} | {binding.what} |" in readme, binding.label


def test_the_step_uses_the_weights_as_they_are_when_enter_is_pressed(make_app):
    app = make_app(hidden=(3,), eta=0.1)
    index = pick_training_point(app, 2)
    for _ in range(3):
        key(app, pygame.K_RIGHT)
    app.actions.edits.set((1, 0, 0), 2.0)     # then Enter in the same frame
    theta = app.session.net.theta.copy()
    _, grads = single_point_grads(app.session, index)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="",
                                         scancode=0))
    app.frame()
    step = np.concatenate([np.r_[dW.ravel(), db] for dW, db in grads])
    np.testing.assert_allclose(app.session.net.theta, theta - 0.1 * step, rtol=1e-12, atol=1e-15)
