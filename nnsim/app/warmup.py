"""Compiling (or loading from numba's cache) the kernels before any frame needs them: what
the first screen and training need first, the rest after the app is ready."""
import numpy as np

from ..core import Network
from ..core.network import PARALLEL_POINTS
from .heatmap import PALETTE, UNDECIDED, colour_cells
from .network_view import paint_grid


def _sample():
    X = np.random.default_rng(0).uniform(-6, 6, (PARALLEL_POINTS, 2))
    return X, (X[:, 0] > 0).astype(np.int64), Network([2, 3, 2], activation="tanh", seed=0)


def warm_up_first():
    """Training, readouts, a heatmap grid computed on one core, and the network diagram's
    thumbnails: everything the first screen and the Play key call."""
    X, y, net = _sample()
    net.train_epochs(X[:3], y[:3], 0.1, 2, 1, X[:3], y[:3], np.empty((1, 4)))
    net.evaluate(X[:3], y[:3])
    colour_cells(net.predict_proba(X[:3]), PALETTE, UNDECIDED, False, np.empty((1, 3, 3), np.uint8))
    net.dead_layers(X[:3])                            # the all-layers kernel, as the diagram's
    paint_grid(np.zeros(4), 0, 2, np.empty((2, 2, 3), np.uint8))


def warm_up_rest():
    """The heatmap's kernel for all cores (the grid uses the one-core kernel until then)."""
    X, _, net = _sample()
    net.predict_proba(X)
