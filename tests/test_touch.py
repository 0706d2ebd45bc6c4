"""A touch screen or interactive whiteboard: real FINGER events (and the mouse events SDL
makes up for the first finger) through the app's loop."""
import pygame
from helpers import FakeClock, boundary

from nnsim.app.input.intents import ERASE
from nnsim.app.input.touch import HOLD_S
from nnsim.app.widgets.base import Label, Slider


def finger(app, kind, pos, finger_id=1, touch=True):
    """Post a FINGER event of ``kind`` ("down", "motion", "up") at window pixel ``pos``,
    followed (for finger 1, as SDL does) by the synthetic mouse event with ``touch`` set."""
    w, h = app.screen.get_size()
    etype = {"down": pygame.FINGERDOWN, "motion": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
    pygame.event.post(pygame.event.Event(etype, touch_id=1, finger_id=finger_id, x=pos[0] / w,
                                         y=pos[1] / h, dx=0.0, dy=0.0, pressure=1.0))
    if finger_id == 1 and touch:
        mouse = {"down": pygame.MOUSEBUTTONDOWN, "up": pygame.MOUSEBUTTONUP}.get(kind)
        if mouse:
            pygame.event.post(pygame.event.Event(mouse, pos=pos, button=1, touch=True))
        else:
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                                 buttons=(1, 0, 0), touch=True))


def tap(app, pos, finger_id=1):
    finger(app, "down", pos, finger_id)
    finger(app, "up", pos, finger_id)
    app.frame()


def centre(app):
    return boundary(app).rect.center


def picker_button(app, choice):
    view = next(v for v in app.painter.views if type(v).__name__ == "PickerView")
    return next(rect.center for rect, c in view.buttons if c == choice)


def test_a_tap_adds_one_point_of_class_a_and_shows_the_picker(make_app):
    app = make_app(dataset="xor")
    n = len(app.session.y)
    assert not app.ui.picker
    tap(app, centre(app))
    assert len(app.session.y) == n + 1 and app.session.y[-1] == 0     # once, not twice
    assert app.ui.picker


def test_the_picker_chooses_the_class_and_the_eraser(make_app):
    app = make_app(dataset="xor", touch=True)
    n = len(app.session.y)
    tap(app, picker_button(app, 1))
    assert len(app.session.y) == n             # a tap on the picker adds no point
    tap(app, centre(app))
    assert app.session.y[-1] == 1
    tap(app, picker_button(app, ERASE))
    tap(app, centre(app))
    assert len(app.session.y) == n


def test_a_plain_click_adds_the_picked_class_and_right_click_stays_b(make_app):
    app = make_app(dataset="xor", touch=True)
    tap(app, picker_button(app, 1))
    for button, label in ((1, 1), (3, 1)):
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=centre(app), button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=centre(app), button=button))
        app.frame()
        assert app.session.y[-1] == label


def test_a_drag_paints_a_line_of_points(make_app):
    app = make_app(dataset="xor")
    n = len(app.session.y)
    x, y = centre(app)
    finger(app, "down", (x, y))
    for dx in range(0, 200, 20):
        finger(app, "motion", (x + dx, y))
        app.frame()
    finger(app, "up", (x + 200, y))
    app.frame()
    assert len(app.session.y) - n >= 5
    assert boundary(app).paint is None


def test_a_two_finger_tap_takes_back_the_last_point_only(make_app):
    app = make_app(dataset="xor")
    n = len(app.session.y)
    tap(app, centre(app))
    tap(app, (centre(app)[0] + 40, centre(app)[1]))
    first = app.session.X[n].copy()
    finger(app, "down", (300, 300), 1)
    finger(app, "down", (360, 300), 2)
    finger(app, "up", (300, 300), 1)
    finger(app, "up", (360, 300), 2)
    app.frame()
    assert len(app.session.y) == n + 1 and (app.session.X[n] == first).all()


def test_the_pickers_undo_button_takes_back_the_last_point(make_app):
    app = make_app(dataset="xor", touch=True)
    n = len(app.session.y)
    tap(app, centre(app))
    tap(app, picker_button(app, None))
    assert len(app.session.y) == n


def test_a_long_press_shows_the_help_of_what_is_under_it(make_app):
    clock = FakeClock()
    app = make_app(clock=clock, dataset="xor")
    n = len(app.session.y)
    play = app.painter.panel.widgets[1].rect.center     # the Play button (panel at the origin)
    finger(app, "down", play)
    app.frame()
    clock.now += HOLD_S
    app.frame()
    assert app.painter.tooltip.tip == app.painter.panel.widgets[1].tooltip
    finger(app, "up", play)
    app.frame()
    assert not app.ui.playing and len(app.session.y) == n     # a long press presses nothing
    assert app.painter.tooltip.tip is None                    # and its help goes with the finger


def test_a_finger_moves_a_panel_slider(make_app):
    app = make_app(touch=True)
    slider = next(w for w in app.painter.panel.widgets if getattr(w, "caption", "") and
                  hasattr(w, "values") and w.get() == app.session.settings.eta)
    track = slider.track()
    finger(app, "down", (track.x + 2, track.centery))
    finger(app, "motion", (track.right - 2, track.centery))
    finger(app, "up", (track.right - 2, track.centery))
    app.frame()
    assert app.session.settings.eta == slider.values[-1]


def targets(widget):
    """The rects of ``widget`` a press acts on."""
    if isinstance(widget, Label):
        return []
    if isinstance(widget, Slider):
        return [widget.track()]
    return getattr(widget, "cells", None) or getattr(widget, "options", None) or \
        [r for r in (getattr(widget, "plus", None), getattr(widget, "minus", None)) if r] or \
        [widget.rect]


def test_panel_targets_are_44_pixels_at_1920x1080_with_touch(make_app):
    app = make_app(size=(1920, 1080), touch=True)
    rects = [(type(w).__name__, r) for w in app.painter.panel.widgets for r in targets(w)]
    assert len(rects) > 40
    for name, rect in rects:
        assert min(rect.size) >= 44, (name, rect)
    view = next(v for v in app.painter.views if type(v).__name__ == "PickerView")
    assert all(min(rect.size) >= 44 for rect, _ in view.buttons)


def test_a_finger_dragged_between_the_controls_scrolls_the_panel(make_app):
    app = make_app(size=(1024, 768), touch=True)
    panel = app.painter.panel
    assert panel.content_h > panel.rect.h          # finger-sized controls need more room
    x = panel.rect.x + panel.pad // 2              # the margin left of the controls
    finger(app, "down", (x, 600))
    finger(app, "motion", (x, 300))
    finger(app, "up", (x, 300))
    app.frame()
    assert panel.scroll == min(300, panel.content_h - panel.rect.h)
