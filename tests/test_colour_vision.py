"""Every theme's class colours stay apart for viewers with the common colour-vision
deficiencies, on paper (the palette) and on screen (a rendered boundary).

Deuteranopia and protanopia are simulated with the matrices of Machado, Oliveira and
Fernandes (2009) at severity 1.0, applied in linear RGB; colours are compared by the CIE76
colour difference (Euclidean distance in CIELAB, D65): ΔE of about 2 is just noticeable,
above 20 two colours read as different colours at a glance.
"""
import itertools

import numpy as np
import pygame
import pytest
from helpers import boundary

from nnsim.app.draw import theme

MACHADO = {
    "normal vision": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
D65 = np.array([0.95047, 1.0, 1.08883])
#: the least difference between two classes' colours, as seen with each deficiency
MIN_DELTA_E = 30.0
#: the same for the boundary's regions on screen, which are the class colours thinned
#: towards the "undecided" grey (light: 70 % of the way)
MIN_REGION_DELTA_E = 20.0


def linear(rgb):
    c = np.asarray(rgb, dtype=np.float64) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def seen(rgb, deficiency):
    """Linear RGB of ``rgb`` as a viewer with ``deficiency`` sees it."""
    return np.clip(MACHADO[deficiency] @ linear(rgb), 0.0, 1.0)


def lab(lin):
    xyz = SRGB_TO_XYZ @ lin / D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, deficiency):
    return float(np.linalg.norm(lab(seen(a, deficiency)) - lab(seen(b, deficiency))))


def least_difference(colours, deficiency):
    return min(delta_e(a, b, deficiency) for a, b in itertools.combinations(colours, 2))


def test_the_simulation_keeps_grey_grey_and_merges_red_and_green():
    """Machado's matrices leave achromatic colours alone; a deuteranope cannot tell a
    red from a green that normal vision finds far apart."""
    assert delta_e((128, 128, 128), (128, 128, 128), "deuteranopia") == 0
    assert np.allclose(seen((200, 200, 200), "protanopia"), linear((200, 200, 200)), atol=2e-3)
    red, green = (0xE0, 0x40, 0x30), (0x70, 0x90, 0x30)
    assert delta_e(red, green, "normal vision") > 3 * delta_e(red, green, "deuteranopia")


@pytest.mark.parametrize("deficiency", MACHADO)
@pytest.mark.parametrize("name", theme.THEMES)
def test_class_colours_stay_apart(name, deficiency):
    assert least_difference(theme.PALETTES[name].CLASS_COLOURS, deficiency) >= MIN_DELTA_E


@pytest.mark.parametrize("name", theme.THEMES)
def test_the_rendered_boundary_regions_stay_apart(make_app, name):
    """Three classes, their regions drawn hard (discretize): the three commonest colours of
    the boundary view on screen are its regions; they stay apart with each deficiency."""
    app = make_app(dataset="blobs3", theme=name)
    app.actions.set_discretize(True)
    for _ in range(20):
        app.actions.step_epoch()
        app.frame()
    rect = boundary(app).rect
    pixels = pygame.surfarray.array3d(app.screen.subsurface(rect)).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    regions = colours[np.argsort(counts)[-3:]]
    assert counts.max() < 0.6 * len(pixels)           # three regions, none all of the view
    for deficiency in MACHADO:
        assert least_difference(regions, deficiency) >= MIN_REGION_DELTA_E, deficiency
