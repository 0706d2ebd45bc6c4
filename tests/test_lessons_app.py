"""Theory panel and 'Try this' experiments inside the app (headless, real events)."""
import pygame
import pytest

from nnsim.app.theme import ASSETS
from nnsim.app.theory_view import live_lines
from helpers import key
from nnsim.lessons.experiments import BY_NAME, EXPERIMENTS
from nnsim.lessons.theory import FORMULAS


@pytest.fixture
def app(make_app):
    return make_app()


def test_every_formula_has_its_rendered_image():
    for name in FORMULAS:
        image = pygame.image.load(ASSETS / "formulas" / f"{name}.png")
        assert image.get_height() > 30 and image.get_width() > image.get_height()


@pytest.mark.parametrize("index", range(6))
def test_shift_digit_and_f_key_load_an_experiment(app, index):
    e = EXPERIMENTS[index]
    key(app, pygame.K_1 + index, pygame.KMOD_SHIFT)
    assert app.ui.experiment == (e, 1) and app.ui.playing
    s = app.session.settings
    assert s == e.settings_for(1)
    key(app, pygame.K_ESCAPE)                  # hides the caption, nothing else
    assert app.ui.experiment is None and app.running
    key(app, pygame.K_F1 + index)
    assert app.ui.experiment == (e, 1)


def test_enter_applies_part_two(app):
    key(app, pygame.K_F3)                      # eta too high
    for _ in range(5):
        app.frame()
    app.finish()
    epoch = app.session.epoch
    key(app, pygame.K_RETURN)
    e, part = app.ui.experiment
    assert (e.name, part) == ("high-lr", 2) and app.session.settings.eta == 0.2
    assert app.session.epoch >= epoch          # halving eta keeps the weights and the curve
    key(app, pygame.K_F1)                      # XOR: part 2 adds a layer: a fresh network
    key(app, pygame.K_KP_ENTER)
    assert app.session.settings.hidden == (4,)
    key(app, pygame.K_RETURN)                  # no part 3: a message, nothing changes
    assert app.ui.experiment[1] == 2 and "both parts" in app.ui.message


def test_capacity_trains_on_eight_placed_points(app):
    key(app, pygame.K_4, pygame.KMOD_SHIFT)
    assert len(app.session.y_train) == 8
    assert len(app.session.y_test) == BY_NAME["capacity"].settings["points"]


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
    rect, index = view.links[5]                # "Spirals need depth"
    view.scroll = min(rect.y, view.max_scroll)
    pos = (view.rect.x + rect.centerx, view.rect.y + rect.centery - view.scroll)
    assert view.rect.collidepoint(pos)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.frame()
    assert app.ui.experiment == (EXPERIMENTS[5], 1)


def test_live_dimensions_follow_the_network(app):
    key(app, pygame.K_t)
    app.actions.set_width(0, 5)
    app.frame()
    assert "layer 1: z (5) = W (5×2) · a (2) + b (5)" in live_lines("forward", app.session)
