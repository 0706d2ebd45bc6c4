"""The kernels the app uses, in groups that compile (or load from numba's cache) one after
another: what the first screen and training need first, the rest after.

Call them inside ``numba_cache.lock()`` on the numba engine: the compile process
(``compile``) fills the cache with them, the app then loads them from it (``fast_engine``),
stage by stage: the app switches to the kernels once FIRST is loaded. A network with deep
layers (batch normalization, dropout, residual links) runs kernels of its own (see
``core.kernels``), which take longer to compile than the first stage: they come last, in
DEEP, and only once the app shows such a network."""
from functools import partial

import numpy as np

from ...core import Network
from ...core.network import PARALLEL_POINTS
from ..draw import theme as th
from ..draw.heatmap import colour_cells, colours, paint_grid


def _sample(n=3, deep=False):
    X = np.random.default_rng(0).uniform(-6, 6, (n, 2))
    net = Network([2, 3, 3, 2], activation="tanh", seed=0, batch_norm=deep,
                  dropout=0.1 * deep, residual=deep)
    return X, (X[:, 0] > 0).astype(np.int64), net


def training(deep=False):
    """Epochs of mini-batch steps with the loss history (the evaluation kernels inside)."""
    X, y, net = _sample(deep=deep)
    net.train_epochs(X, y, 0.1, 2, 1, X, y, np.empty((1, 4)))


def readouts(deep=False):
    """Loss and accuracy of the snapshot the screen shows."""
    X, y, net = _sample(deep=deep)
    net.evaluate(X, y)


def heatmap(deep=False):
    """Class probabilities on one core, coloured."""
    X, _, net = _sample(deep=deep)
    colour_cells(net.predict_proba(X), *colours(), th.palette.strength, False,
                 np.empty((1, 3, 3), np.uint8))


def diagram(deep=False):
    """All layers' activations (thumbnails, dead layers) and the thumbnails' colours."""
    X, _, net = _sample(deep=deep)
    net.dead_layers(X)
    paint_grid(np.zeros(4), 0, 2, np.empty((2, 2, 3), np.uint8))


FIRST = (training, readouts, heatmap, diagram)   # what the first screen and Play call


def all_cores(deep=False):
    """The heatmap's kernels for all cores and in float32, as the grid is drawn once they
    are loaded (until then: on one core, in float64), and float64 on all cores (the metrics
    card's, for many points)."""
    X, _, net = _sample(PARALLEL_POINTS, deep)
    net.predict_proba(X, single=True)
    net.predict_proba(X)
    colour_cells(net.predict_proba(X[:3], single=True), *colours(), th.palette.strength, False,
                 np.empty((1, 3, 3), np.uint8))


#: all of the above for a network with deep layers
DEEP = tuple(partial(group, deep=True) for group in (*FIRST, all_cores))

#: every kernel the app calls, in the stages that compile and load one after the other
STAGES = {"first": FIRST, "rest": (all_cores,), "deep": DEEP}
