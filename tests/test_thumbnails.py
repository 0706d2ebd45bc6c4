"""The dataset buttons show a picture of their dataset in the class colours."""
import numpy as np
import pygame
import pytest

from nnsim.app import theme as th
from nnsim.app.thumbnails import thumbnail
from nnsim.core.config import DATASET_TABLE


def colour_count(surface, rect, colour):
    pixels = pygame.surfarray.array3d(surface.subsurface(rect))
    return int(np.all(pixels == colour, axis=-1).sum())


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_each_dataset_button_shows_its_classes_colours(make_app, size):
    app = make_app(size, dataset="xor")     # so Spiral's button is not drawn pressed-in
    buttons = {w.label: w for w in app.painter.panel.widgets if getattr(w, "icon", None)}
    assert set(buttons) == {d.label for d in DATASET_TABLE}
    offset = app.painter.panel.rect.topleft
    for d in DATASET_TABLE:
        rect = buttons[d.label].rect.move(offset)
        for colour in th.CLASS_COLOURS[:d.n_classes]:
            assert colour_count(app.screen, rect, colour) >= 4, (d.name, colour)
        if d.n_classes == 2:
            assert colour_count(app.screen, rect, th.CLASS_COLOURS[2]) == 0


def test_thumbnails_are_cached_per_dataset_and_size():
    pygame.display.init()
    assert thumbnail("spiral", 24) is thumbnail("spiral", 24)
    assert thumbnail("spiral", 24) is not thumbnail("moons", 24)
    assert thumbnail("spiral", 30).get_size() == (30, 30)
    pygame.quit()
