"""The app's colouring kernels against plain NumPy versions of their formulas."""
import numpy as np
import pytest

from nnsim.app.draw import theme
from nnsim.app.draw.heatmap import colour_cells, colours, grid_points, paint_grid

PALETTE, UNDECIDED = colours()
STRENGTH = theme.palette.strength


@pytest.mark.parametrize("C", [2, 3])
@pytest.mark.parametrize("discretize", [False, True])
def test_colour_cells_matches_numpy(C, discretize):
    n = 7
    proba = np.random.default_rng(C).dirichlet(np.ones(C), n * n)
    out = np.empty((n, n, 3), np.uint8)
    colour_cells(proba, PALETTE, UNDECIDED, STRENGTH, discretize, out)
    if discretize:
        target = PALETTE[proba.argmax(axis=1)]
        expected = UNDECIDED + STRENGTH * (target - UNDECIDED)
    else:
        w = np.maximum(0, (proba - 1 / C) / (1 - 1 / C))
        expected = UNDECIDED + STRENGTH * (w @ (PALETTE[:C] - UNDECIDED))
    np.testing.assert_allclose(out.reshape(n * n, 3), expected, atol=1.0)   # uint8 truncation


def test_heatmap_grid_is_x_major_from_the_top():
    pts = grid_points(4)
    assert pts[0].tolist() == [-4.5, 4.5] and pts[1].tolist() == [-4.5, 1.5]   # down a column
    assert pts[4].tolist() == [-1.5, 4.5]                                      # next column


def test_paint_grid_ramps_signed_activations():
    values = np.array([-2.0, -1.0, 0.0, 2.0])            # a 2 x 2 grid, scale = max |v| = 2
    out = paint_grid(values, 0, 2, np.empty((2, 2, 3), np.uint8))
    t = np.clip(values / 2, -1, 1)
    target = np.where(t[:, None] > 0, PALETTE[1], PALETTE[0])
    expected = UNDECIDED + np.abs(t)[:, None] * (target - UNDECIDED)
    np.testing.assert_allclose(out.reshape(4, 3), expected, atol=1.0)
