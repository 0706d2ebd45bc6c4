"""Hover help: one line on a control or a part of the screen once the mouse has rested."""
import pygame
import pytest
from helpers import FakeClock

from nnsim.app.input.hover import HOVER_S
from nnsim.app.views.overlays import REGION_HELP
from nnsim.app.widgets.base import Label
from nnsim.lessons.text import _


@pytest.fixture
def app(make_app):
    return make_app(clock=FakeClock())     # a frame lasts 1/60 s; a test moves time on by hand


def rest(app, pos, seconds):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.frame()
    app.clock.now += seconds
    app.frame()
    return app.painter.tooltip.tip


def test_every_panel_control_has_help(app):
    panel = app.painter.panel
    missing = [w for w in panel.widgets if not w.tooltip and not isinstance(w, Label)]   # headings
    assert not missing
    assert all(len(w.tooltip) < 120 for w in panel.widgets if w.tooltip)


def test_a_control_shows_its_help_only_after_the_mouse_rests(app):
    step = next(w for w in app.painter.panel.widgets if getattr(w, "label", None) == "Step")
    pos = step.rect.center
    assert rest(app, pos, HOVER_S / 2) is None
    assert not app.painter.settled           # keeps drawing until the help is due
    app.clock.now += HOVER_S
    app.frame()
    assert app.painter.tooltip.tip == step.tooltip


def test_moving_or_clicking_hides_the_help(app):
    boundary = app.painter.layout.boundary
    assert rest(app, boundary.center, HOVER_S) == _(REGION_HELP["boundary"])
    assert rest(app, boundary.move(5, 5).center, 0.1) is None
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1))
    app.clock.now += HOVER_S
    app.frame()
    assert app.painter.tooltip.tip is None


@pytest.mark.parametrize("region", ["readouts", "legend"])
def test_regions_explain_themselves(app, region):
    assert rest(app, getattr(app.painter.layout, region).center, HOVER_S) == _(REGION_HELP[region])


def test_the_gradient_meter_explains_itself(app):
    meter = app.painter.network_view.meter
    assert rest(app, (meter.x + 4, meter.y + 4), HOVER_S) == _(REGION_HELP["meter"])
