"""The frame budget (measured costs, one heavy job a frame while training). No wall time:
costs are injected."""
from dataclasses import replace

import numpy as np
import pytest
from helpers import FakeClock

from nnsim.app.draw.heatmap import (RESOLUTION, TRAINING_GRID_S, TRAINING_RESOLUTIONS,
                                    Heatmap)
from nnsim.app.views.budget import DUTY, SMOOTHING, FrameBudget
from nnsim.app.views.network_view import MAX_LINKS, MIN_LINKS
from nnsim.core import Network

LARGEST = dict(hidden=(32,) * 8, activation="relu", points=1000)


def test_costs_are_moving_averages_of_measurements():
    budget = FrameBudget(frame_s=0.016, clock=lambda: 0.0)
    budget.note("job", 0.010)
    assert budget.cost["job"] == 0.010          # the first measurement as it is
    budget.note("job", 0.020)
    assert budget.cost["job"] == pytest.approx(0.010 + SMOOTHING * 0.010)
    assert budget.spare() == pytest.approx(DUTY * 0.016)    # "job" is no light work


def test_spare_is_the_drawing_share_of_the_frame_less_the_light_work():
    budget = FrameBudget(frame_s=0.016, clock=lambda: 0.0)
    assert budget.spare() == pytest.approx(DUTY * 0.016)
    budget.note("base", 0.004)
    assert budget.spare() == pytest.approx(DUTY * 0.016 - 0.004)
    budget.note("base", 1.0)                    # a machine far too slow for the light work
    assert budget.spare() == 0.0


def test_links_drawn_fit_the_budget_given(make_app):
    app = make_app((1920, 1080), **LARGEST)
    view, session, shown = app.painter.network_view, app.session, app.trainer.sides[0].snapshot
    pairs = len(session.net.sizes) - 1

    def redraw(budget_s):
        view.update(session, shown.view_net, shown.grad_meter, force=True,
                    budget_s=budget_s)
        return len(view.link_weights)

    assert redraw(None) == MAX_LINKS * pairs - (MAX_LINKS - 2 * 32) * 2   # 2x32, 32x2 have 64
    view.costs.cost.update(link=1e-4, rest=0.004)
    assert redraw(0.004 + 1e-4 * 40 * pairs) == 40 * pairs
    assert redraw(0.0) == MIN_LINKS * pairs     # never fewer, however tight
    assert redraw(1.0) == MAX_LINKS * pairs - (MAX_LINKS - 2 * 32) * 2


def test_one_heavy_job_a_frame_while_training(make_app):
    app = make_app((1920, 1080), clock=FakeClock(), **LARGEST)
    painter, side = app.painter, app.actions.sides[0]
    heat = side.view.heatmap
    assert "base" in painter.budget.cost        # the light work of the frame drawn, measured
    app.ui.playing = True
    heat.begin(side.snapshot.view_net, side.session.settings.inputs)
    app.ui.hidden_layer = 2                     # the card shows something new...
    app.clock.now += 1.0                        # ...and may redraw while training
    # as while the worker trains, with no time to spare: the smallest share
    frame = replace(painter.frame(), busy=True, spare_s=0.0)
    assert not painter.refresh(frame)
    assert frame.heavy and heat.filled == 0                            # the card only
    frame = replace(painter.frame(), busy=True, spare_s=0.0)
    assert not painter.refresh(frame)
    assert not frame.heavy and 0 < heat.filled < heat.n * heat.n      # then a share only


DEEP = {"hidden": (64,) * 16, "activation": "relu", "batch_norm": True, "residual": True,
        "points": 1000}


def test_a_training_grid_is_as_fine_as_its_time_allows():
    small, deep = Network([2, 8, 8, 2]), Network([2] + [64] * 16 + [2], "relu", batch_norm=True)
    heat = Heatmap()
    heat._s_per_op = 5e-11                      # twenty multiply-adds a nanosecond
    assert heat.resolution(small) == RESOLUTION
    n = heat.resolution(deep)
    ops = sum(a * b for a, b in zip(deep.sizes[:-1], deep.sizes[1:])) + sum(deep.sizes)
    assert n < RESOLUTION and n * n * ops * 5e-11 <= TRAINING_GRID_S
    bigger = TRAINING_RESOLUTIONS[TRAINING_RESOLUTIONS.index(n) - 1]
    assert bigger * bigger * ops * 5e-11 > TRAINING_GRID_S    # the finest that fits
    heat._s_per_op = 1.0                        # a machine far too slow: still a grid
    assert heat.resolution(small) == TRAINING_RESOLUTIONS[-1]


def test_a_deep_network_draws_a_coarser_boundary_while_training_and_a_full_one_paused(make_app):
    app = make_app((1920, 1080), clock=FakeClock(), **DEEP)
    painter, side = app.painter, app.actions.sides[0]
    heat = side.view.heatmap
    assert heat.n == RESOLUTION and not heat.in_progress
    heat._s_per_op = 1e-10
    app.ui.playing = True
    side.snapshot.view_version += 1             # a new snapshot while training
    frame = replace(painter.frame(), busy=True, heavy=True)    # the card took the frame
    painter.sides.refresh(frame)
    assert heat.n == heat.resolution(side.snapshot.view_net) < RESOLUTION
    done = heat.completed
    for _ in range(8):                          # in shares of at least its time
        painter.sides.refresh(replace(painter.frame(), busy=True, spare_s=0.0))
    assert heat.completed > done and heat.rgb.shape == (heat.n, heat.n, 3)
    done = heat.completed
    app.ui.playing = False
    painter.sides.refresh(painter.frame())
    assert heat.n == RESOLUTION and heat.completed == done + 1


def test_wrong_markers_come_from_the_network_of_the_heatmap_shown(make_app):
    app = make_app((1024, 768), clock=FakeClock())
    side, s = app.actions.sides[0], app.session
    view = side.view
    shown = view.heatmap.net.predict_proba(s.F_train).argmax(axis=1)
    side.snapshot.view_net.theta[:] = 0.0       # a newer snapshot, its grid not drawn yet:
    side.snapshot.view_version += 1             # every point the same class
    wrong = view.misclassified(side.snapshot, s)
    assert np.array_equal(wrong, s.X[~s.test][shown != s.y_train])
    app.frame()                                 # the new grid drawn
    wrong = view.misclassified(side.snapshot, s)
    guess = side.snapshot.view_net.predict_proba(s.F_train).argmax(axis=1)
    assert np.array_equal(wrong, s.X[~s.test][guess != s.y_train])



def test_a_snapshot_follows_a_change_of_layers_and_measures_the_new_pace():
    from nnsim.app.state.training import Snapshot
    from nnsim.app.state.worker import Chunk
    from nnsim.core import Session, Settings
    snapshot, session = Snapshot(FakeClock()), Session(Settings())
    snapshot.sync(session)
    session.train(1)
    snapshot.take(Chunk.at_end(session, 1, 0.002))
    assert snapshot.epoch_s == 0.002
    deep = Session(Settings(batch_norm=True))      # the same sizes, more parameters
    snapshot.sync(deep)
    assert np.array_equal(snapshot.view_net.theta, deep.net.theta) and snapshot.epoch_s is None


def test_the_first_chunk_of_an_unmeasured_network_is_one_epoch(make_app):
    from nnsim.app.state.training import FRAME_S, TRAIN_MARGIN_S
    app = make_app((1024, 768), clock=FakeClock(), playing=True, speed="max", **DEEP)
    trainer = app.trainer
    trainer.collect(join=True)
    for side in trainer.sides:
        side.snapshot.epoch_s = None
    assert trainer._epochs_this_frame(None, FRAME_S) == 1
    for side in trainer.sides:
        side.snapshot.epoch_s = 1e-3
    assert trainer._epochs_this_frame(None, FRAME_S) == int((FRAME_S - TRAIN_MARGIN_S) / 1e-3)


def test_the_grid_is_float32_once_its_kernels_are_loaded(make_app):
    app = make_app((1024, 768), clock=FakeClock())
    painter, side = app.painter, app.actions.sides[0]
    heat = side.view.heatmap
    for parallel, dtype in ((False, np.float64), (True, np.float32)):
        side.snapshot.view_version += 1                 # a new snapshot to draw
        painter.sides.refresh(replace(painter.frame(), parallel=parallel))
        assert not heat.in_progress and heat.proba.dtype == dtype
        np.testing.assert_allclose(heat.proba[:heat.n * heat.n],
                                   heat.net.predict_proba(heat.inputs(heat.columns)), atol=2e-6)


def test_points_changed_while_a_grid_is_computed_get_their_rings_from_the_snapshot(make_app):
    app = make_app((1024, 768), clock=FakeClock(), **LARGEST)
    painter, side, s = app.painter, app.actions.sides[0], app.session
    app.ui.playing = True
    side.snapshot.view_version += 1
    painter.sides.refresh(replace(painter.frame(), busy=True, spare_s=0.0))
    assert side.view.heatmap.in_progress                # a grid of the training points...
    with app.trainer.paused():
        app.actions.remove_point(tuple(s.X[~s.test][0]))    # ...that have changed since
    for _ in range(40):
        painter.sides.refresh(replace(painter.frame(), busy=True, spare_s=0.0))
    wrong = side.view.misclassified(side.snapshot, s)
    guess = side.snapshot.view_net.predict_proba(s.F_train).argmax(axis=1)
    assert np.array_equal(wrong, s.X[~s.test][guess != s.y_train])
