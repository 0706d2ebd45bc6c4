"""The frame budget (measured costs, one heavy job a frame while training). No wall time:
costs are injected."""
from dataclasses import replace

import pytest
from helpers import FakeClock

from nnsim.app.views.budget import DUTY, SMOOTHING, FrameBudget
from nnsim.app.views.network_view import MAX_LINKS, MIN_LINKS

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
