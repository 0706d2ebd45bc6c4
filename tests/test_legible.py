"""Legible from the back of the room: text sizes, room for the boundary, nothing on top of
anything else, and the legend that says what the colours mean."""
import pygame
import pytest
from helpers import regions

from nnsim.app.draw import theme
from nnsim.app.draw.theme import Theme
from nnsim.app.views.layout import compute_layout
from nnsim.app.views.network_view import column_captions


@pytest.fixture(autouse=True)
def fonts():
    theme.clear_caches()
    pygame.font.init()
    yield
    theme.clear_caches()
    pygame.font.quit()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)])
def test_no_text_is_smaller_than_14_px_from_the_projector_size_up(size):
    t = Theme(size)
    assert min(t.small, t.body, t.heading, t.big) >= 14


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)])
def test_the_boundary_view_takes_at_least_60_percent_of_the_height(size):
    layout = compute_layout(size, Theme(size), True)
    assert layout.boundary.h >= 0.6 * size[1]


@pytest.mark.parametrize("size", [(640, 400), (1024, 768), (1280, 800), (1920, 1080)])
def test_regions_and_legend_fit_without_overlap(size):
    layout = compute_layout(size, Theme(size), True)
    shown = regions(layout)
    assert layout.legend in shown
    for i, r in enumerate(shown):
        assert pygame.Rect((0, 0), size).contains(r)
        assert not any(r.colliderect(o) for o in shown[i + 1:]), r


def test_hiding_the_panel_hides_the_legend():
    layout = compute_layout((1024, 768), Theme((1024, 768)), False)
    assert layout.legend.h == 0 and layout.legend not in regions(layout)


@pytest.mark.parametrize("hidden", [(8, 8), (8,) * 8])
def test_legend_drawn_and_diagram_captions_apart(make_app, hidden):
    app = make_app((1024, 768), hidden=hidden)
    view = app.painter.network_view
    L = len(view.columns) - 1
    t = app.painter.theme
    boxes = [theme.text(c, t.small).get_rect(midtop=(view.columns[l][0].centerx, 0))
             for l, c in enumerate(column_captions(L, view.column_gap(), t)) if c]
    assert len(boxes) >= L - 1
    assert not any(a.colliderect(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    legend = app.painter.layout.legend
    colours = {app.screen.get_at((x, y))[:3] for x in range(legend.x, legend.right, 3)
               for y in range(legend.y, legend.bottom, 3)}
    assert set(theme.CLASS_COLOURS[:2]) <= colours


def test_misclassified_training_points_are_the_ones_ringed(make_app):
    import numpy as np
    app = make_app((1024, 768))
    s = app.session
    guess = s.net.predict_proba(s.F_train).argmax(axis=1)
    side = app.actions.sides[0]
    wrong = side.view.misclassified(side.snapshot, s)
    assert len(wrong) and np.array_equal(wrong, s.X[~s.test][guess != s.y_train])


def test_labels_stay_inside_their_buttons_in_the_smallest_window(make_app):
    from nnsim.app.widgets.base import Button, Segmented
    app = make_app((640, 400))
    app.ui.playing = True                     # the longer label: "❚❚ Pause"
    for w in app.painter.panel.widgets:
        if isinstance(w, (Button, Segmented)):
            canvas = pygame.Surface(app.painter.panel.surface.get_size())
            canvas.fill((1, 2, 3))
            w.draw(canvas, app.painter.theme, None)
            ink = pygame.mask.from_threshold(canvas, (1, 2, 3, 255), (1, 1, 1, 255))
            ink.invert()
            drawn = ink.get_bounding_rects()
            assert w.rect.contains(drawn[0].unionall(drawn[1:])), w.rect


def test_the_help_overlay_is_an_opaque_card_over_a_busy_screen(make_app):
    app = make_app((1024, 768))
    app.actions.toggle_help()
    app.frame()
    rgb = pygame.surfarray.pixels3d(app.screen)
    card = (rgb == theme.OVERLAY[:3]).all(axis=2)
    assert card.mean() > 0.3              # most of the window: the card, not the busy screen
    del rgb


def test_wrapped_text_keeps_an_equation_on_one_line(make_app):
    """Where a window cuts "... (η = 3)" the whole "(η = 3)" moves to the next line."""
    make_app()
    tail = "(η = 3)"
    string = "every step overshoots " + tail
    full = theme.text(string, 20).get_width()
    wrapped = theme.text(string, 20, width=full - 2)
    lines = wrapped.get_height() // theme.text("η", 20).get_height()
    assert lines == 2
    last = wrapped.subsurface((0, wrapped.get_height() // 2, wrapped.get_width(),
                               wrapped.get_height() // 2))
    assert last.get_bounding_rect().width >= theme.text(tail, 20).get_width() - 2
