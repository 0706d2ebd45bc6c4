"""The dataset buttons show a picture of their dataset in the class colours."""
import numpy as np
import pygame
import pytest
from helpers import click

from nnsim.app.draw import theme as th
from nnsim.app.draw.thumbnails import thumbnail
from nnsim.app.views.panel import FIRST_PAGE
from nnsim.core.config import DATASET_TABLE
from nnsim.lessons.text import shown_name


def colour_count(surface, rect, colour):
    pixels = pygame.surfarray.array3d(surface.subsurface(rect))
    return int(np.all(pixels == colour, axis=-1).sum())


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_each_dataset_button_shows_its_classes_colours(make_app, size):
    app = make_app(size, dataset="xor")     # so Spiral's button is not drawn pressed-in
    panel = app.painter.panel
    classification = [d for d in DATASET_TABLE if d.kind == "classification" and d.panel]
    seen = set()
    for page in (FIRST_PAGE, len(classification)):        # the section's first page, then ⋯
        buttons = {w.label(): w for w in panel.widgets if type(w).__name__ == "_DatasetButton"
                   and panel.shown(w)}
        shown = classification[page - len(buttons):page]
        assert set(buttons) == {shown_name("dataset", d.name) for d in shown}
        offset = panel.rect.topleft
        for d in shown:
            rect = buttons[shown_name("dataset", d.name)].rect.move(offset)
            for colour in th.CLASS_COLOURS[:d.n_classes]:
                assert colour_count(app.screen, rect, colour) >= 4, (d.name, colour)
            if d.n_classes == 2:
                assert colour_count(app.screen, rect, th.CLASS_COLOURS[2]) == 0
        seen |= set(buttons)
        more = next(w for w in panel.widgets if getattr(w, "label", None) == "⋯")
        click(app, more.rect.move(offset).center)
    assert seen == {shown_name("dataset", d.name) for d in classification}


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_in_regression_the_buttons_show_the_regression_datasets_values(make_app, size):
    app = make_app(size)
    click(app, switch_cell(app, 1))
    assert app.session.settings.dataset == "plane"
    app.frame()
    buttons = [w for w in app.painter.panel.widgets if type(w).__name__ == "_DatasetButton"]
    assert [w.label() for w in buttons] == ["Plane", "Bumps"] + [""] * (len(buttons) - 2)
    buttons = buttons[:FIRST_PAGE]                              # those of the page shown
    offset = app.painter.panel.rect.topleft
    for w in buttons[:2]:          # dots towards both ends of the scale: orange and blue
        pixels = pygame.surfarray.array3d(app.screen.subsurface(w.rect.move(offset))).astype(int)
        redness = pixels[..., 0] - pixels[..., 2]
        assert (redness > 100).sum() >= 4 and (redness < -100).sum() >= 4, w.label()
    for w in buttons[2:]:                                       # blank slots draw nothing
        assert colour_count(app.screen, w.rect.move(offset), th.PANEL) == w.rect.w * w.rect.h
    click(app, switch_cell(app, 0))
    assert app.session.settings.dataset == "spiral"


def switch_cell(app, i):
    """The screen centre of cell ``i`` of the panel's problem switch."""
    switch = next(w for w in app.painter.panel.widgets if getattr(w, "labels", None) == ["Classify", "Regress"])
    return switch.cells[i].move(app.painter.panel.rect.topleft).center


def test_thumbnails_are_cached_per_dataset_and_size():
    pygame.display.init()
    assert thumbnail("spiral", 24) is thumbnail("spiral", 24)
    assert thumbnail("spiral", 24) is not thumbnail("moons", 24)
    assert thumbnail("spiral", 30).get_size() == (30, 30)
    pygame.quit()
