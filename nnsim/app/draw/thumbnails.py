"""Small pictures of the datasets for the panel's dataset buttons, drawn from the generators
themselves (as TF Playground's buttons show them)."""
from functools import lru_cache

import numpy as np
import pygame

from ...core.config import PLANE
from ...core.datasets import make_dataset
from . import theme as th
from .heatmap import value_colour

THUMB_POINTS = 160
THUMB_NOISE = 0.05       # a little, so the shape reads at 20 pixels


def thumbnail(name, side):
    """Dataset ``name`` as a ``side`` x ``side`` picture: a fixed sample of its points as dots
    of the class colours (a regression dataset's: of their values' colours) (x2 upwards, as in the boundary view); one cached surface per
    dataset, size and theme."""
    return _drawn(name, side, th.palette)


@lru_cache(maxsize=64)
def _drawn(name, side, palette):
    X, y = make_dataset(name, THUMB_POINTS, THUMB_NOISE, seed=0)
    surface = pygame.Surface((side, side))
    surface.fill(th.WHITE)
    dot = max(2, side // 12)
    span = side - dot
    cols = np.round((X[:, 0] + PLANE) / (2 * PLANE) * span).astype(int)
    rows = np.round((PLANE - X[:, 1]) / (2 * PLANE) * span).astype(int)
    regression = y.dtype.kind == "f"
    for col, row, label in zip(cols, rows, y):
        colour = value_colour(label) if regression else th.CLASS_COLOURS[label]
        surface.fill(colour, (col, row, dot, dot))
    pygame.draw.rect(surface, th.BORDER, surface.get_rect(), 1)
    return surface
