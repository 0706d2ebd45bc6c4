"""Theory panel and 'Try this' experiments inside the app (headless, real events)."""
import numpy as np
import pygame
import pytest
from helpers import click, key

from nnsim.app.draw.theme import ASSETS
from nnsim.app.input.keys import DIGIT_ROW
from nnsim.app.views.sides import SideTagsView
from nnsim.app.views.theory_view import live_lines
from nnsim.core.config import choose
from nnsim.lessons import text
from nnsim.lessons.experiments import ALL_EXPERIMENTS, DEEP_EXPERIMENTS, EXPERIMENTS
from nnsim.lessons.theory import FORMULAS


@pytest.fixture
def app(make_app):
    return make_app()


def test_every_formula_has_its_rendered_image():
    for name in FORMULAS:
        image = pygame.image.load(ASSETS / "formulas" / f"{name}.png")
        assert image.get_height() > 30 and image.get_width() > image.get_height()


@pytest.mark.parametrize("index", range(len(ALL_EXPERIMENTS)))
def test_shift_digit_and_f_key_load_an_experiment(app, index):
    e = ALL_EXPERIMENTS[index]
    key(app, DIGIT_ROW[index], pygame.KMOD_SHIFT)       # Shift+1 ... Shift+9, Shift+0
    assert app.ui.experiment is e and app.ui.playing
    assert [s.settings for s in app.actions.sessions] == [e.settings_for(p) for p in range(1, e.parts + 1)]
    key(app, pygame.K_ESCAPE)                  # hides the caption, nothing else
    assert app.ui.experiment is None and app.running
    key(app, pygame.K_F1 + index)
    assert app.ui.experiment is e


def test_a_comparison_opens_both_sides_from_the_same_start(app):
    key(app, pygame.K_F2)                      # vanishing gradients: A sigmoid, B ReLU
    e = choose("vanishing-gradients", EXPERIMENTS, "experiment")
    a, b = app.actions.sessions
    assert app.actions.comparing and (a.settings.activation, b.settings.activation) == ("sigmoid", "relu")
    assert len(app.actions.sides) == 2
    assert app.actions.differences() == ("activation",)
    for _ in range(20):
        app.frame()
    app.finish()
    assert a.epoch == b.epoch > 0              # the same pace: the same epoch
    assert app.trainer.sides[0].snapshot.shown_epoch == a.epoch and app.trainer.sides[1].snapshot.shown_epoch == b.epoch
    key(app, pygame.K_SPACE)                   # pause, step, reset: both sides together
    key(app, pygame.K_s)
    assert a.epoch == b.epoch
    key(app, pygame.K_r)
    assert a.epoch == b.epoch == 0
    np.testing.assert_array_equal(a.net.theta, b.net.theta)
    assert app.ui.pace == e.epochs_per_second
    key(app, pygame.K_k)                       # compare off: the edited side stays
    assert not app.actions.comparing and app.session is a and len(app.actions.sides) == 1


def test_compare_mode_edits_the_selected_side(app):
    key(app, pygame.K_k)
    a, b = app.actions.sessions
    assert app.session is b and b.settings == a.settings
    key(app, pygame.K_RIGHTBRACKET)            # η up: side B only
    assert b.settings.eta > a.settings.eta and app.actions.differences() == ("eta",)
    key(app, pygame.K_a)                       # a new activation: both restart together
    assert app.actions.differences() == ("activation", "eta")
    np.testing.assert_array_equal(a.net.theta, b.net.theta)
    key(app, pygame.K_3)                       # a dataset: both sides, the same points
    assert a.settings.dataset == b.settings.dataset == "circle"
    np.testing.assert_array_equal(a.X, b.X)
    key(app, pygame.K_k, pygame.KMOD_SHIFT)    # edit side A
    assert app.session is a
    for _ in range(3):
        app.frame()
    headings = [w.state() for w in app.painter.panel.widgets if getattr(w, "suffix", None)]
    assert headings == ["Network · side A", "Training · side A"]


@pytest.mark.parametrize("index", [3, 4])         # capacity: one view; batch size: two
def test_an_experiments_loss_chart_reads_from_the_back_of_the_room(make_app, index):
    app = make_app((1920, 1080))
    assert app.painter.chart.plot.h < 200
    key(app, pygame.K_F1 + index)
    assert app.painter.chart.plot.h >= 200
    assert len(app.actions.sides) == EXPERIMENTS[index].parts


def test_capacity_trains_on_eight_placed_points(app):
    key(app, pygame.K_4, pygame.KMOD_SHIFT)
    assert len(app.session.y_train) == 8
    assert len(app.session.y_test) == choose("capacity", EXPERIMENTS, "experiment").settings["points"]


def test_theory_toggles_without_stopping_training_and_scrolls(app):
    key(app, pygame.K_SPACE)
    key(app, pygame.K_t)
    assert app.ui.theory_visible and app.ui.playing
    epoch = app.session.epoch
    for _ in range(10):
        app.frame()
    app.finish()
    assert app.session.epoch > epoch
    view = app.painter.theory_view
    assert view.max_scroll > 0                 # more text than fits: it scrolls
    centre = view.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=centre, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False, precise_x=0.0,
                                         precise_y=-3.0))
    app.frame()
    assert view.scroll > 0
    key(app, pygame.K_t)
    assert not app.ui.theory_visible


def test_clicking_an_experiment_in_the_theory_loads_it(app):
    key(app, pygame.K_t)
    view = app.painter.theory_view
    rect, _index = view.links[5]               # "Spirals need depth"
    view.scroll = min(rect.y, view.max_scroll)
    pos = (view.rect.x + rect.centerx, view.rect.y + rect.centery - view.scroll)
    assert view.rect.collidepoint(pos)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.frame()
    assert app.ui.experiment is EXPERIMENTS[5]


def test_live_dimensions_follow_the_network(app):
    key(app, pygame.K_t)
    app.actions.set_width(0, 5)
    app.frame()
    assert "layer 1: z (5) = W (5×2) · a (2) + b (5)" in live_lines("forward", app.session)


def test_the_dropout_experiments_chart_draws_each_sides_test_loss(make_app):
    """Its claim is about unseen points: opening it lights the compare chart's "test" button
    and the chart draws the test loss of A and B, also once Esc has hidden the caption; the
    button switches back to the train loss, and another experiment opens on it."""
    from nnsim.app.draw import theme as th
    from nnsim.core.history import History
    app = make_app()
    chart, flags = app.painter.chart, []
    original = chart.draw_pair
    chart.draw_pair = lambda *args, **kw: (flags.append(kw.get("test")), original(*args, **kw))[1]
    key(app, pygame.K_F10)
    assert app.ui.experiment is choose("dropout", ALL_EXPERIMENTS, "experiment")
    app.frame()
    key(app, pygame.K_ESCAPE)                  # the caption closes: the test loss stays
    app.frame()
    assert flags[-2:] == [True, True]
    click(app, chart.test_button.center)
    app.frame()
    assert flags[-1] is False
    click(app, chart.test_button.center)
    key(app, pygame.K_F9)                      # too many layers: its claim is on the train loss
    app.frame()
    assert flags[-1] is False
    rows = np.c_[np.zeros(40), np.ones(40), np.ones(40), np.ones(40)]     # train 0, test 1
    sides = [(name, History().extended(rows), -1 - i) for i, name in enumerate("AB")]
    p = chart.plot
    for test, drawn_row in ((True, p.y), (False, p.bottom - 1)):
        app.screen.fill(th.BACKGROUND)
        original(app.screen, sides, test=test)
        band = pygame.surfarray.array3d(app.screen)[p.x + 4:p.centerx, drawn_row - 2:drawn_row + 3]
        near = np.abs(band.reshape(-1, 3).astype(int) - np.array(th.TRAIN_LINE)).sum(axis=1) < 30
        assert near.any(), test                # A's line: at the top for the test loss of 1


@pytest.mark.parametrize("code", text.languages())
def test_the_side_tags_of_every_comparison_fit_their_views_at_the_projector_size(code, make_app):
    """"Side A · what it is" stays inside A's boundary view at 1024×768 in every language,
    smaller or as "Side A" alone where it would run over B's tag or into the network card;
    the deep networks' experiments say what each side is."""
    app = make_app((1024, 768), language=code)
    tags = next(v for v in app.painter.views if isinstance(v, SideTagsView))
    for index, e in enumerate(ALL_EXPERIMENTS):
        if e.parts == 2:
            app.actions.load_experiment(index)
            app.frame()
            views = [side.view.boundary.rect for side in app.actions.sides]
            assert [view.contains(tag) for tag, view in zip(tags.tags, views)] == [True, True], e.name
            if e in DEEP_EXPERIMENTS:
                assert [label.endswith(text._(what)) for label, what in zip(tags.labels, e.sides)] \
                    == [True, True], e.name


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)])
@pytest.mark.parametrize("code", text.languages())
def test_an_experiments_caption_has_a_strip_of_its_own_under_both_views(code, size, make_app):
    """In compare mode the caption sits between the two boundary views and the chart: it
    covers neither view (their top rows keep the picture's colours), its box fits its strip
    in every language, the chart keeps its classroom height, and Esc gives the chart the
    strip back."""
    app = make_app(size, language=code)
    for index, e in enumerate(ALL_EXPERIMENTS):
        if e.parts != 2:
            continue
        app.actions.load_experiment(index)
        app.frame()
        layout, caption = app.painter.layout, app.painter.caption
        views = [side.view.boundary.rect for side in app.actions.sides]
        strip = layout.caption
        assert not any(strip.colliderect(view) for view in views), e.name
        assert strip.top > max(view.bottom for view in views) and layout.chart.top > strip.bottom
        assert caption.height(strip.w, app.painter.theme) <= strip.h, e.name
        assert layout.chart.bottom <= size[1] and layout.chart.h >= app.painter.theme.px(230)
        shade = pygame.surfarray.array3d(app.screen)[strip.centerx, strip.y + 2]
        above = pygame.surfarray.array3d(app.screen)[views[0].centerx, views[0].y + 2]
        assert (abs(shade.astype(int) - above.astype(int)).sum() > 60), e.name   # the box, not the view
    chart_h = layout.chart.h
    key(app, pygame.K_ESCAPE)
    app.frame()
    assert app.painter.layout.caption is None and app.painter.layout.chart.h > chart_h
