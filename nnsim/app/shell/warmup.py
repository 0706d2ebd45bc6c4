"""The kernels the app uses, in groups that compile (or load from numba's cache) one after
another: what the first screen and training need first, the rest after.

Call them inside ``numba_cache.lock()`` on the numba engine: the compile process
(``compile``) fills the cache with them, the app then loads them from it (``fast_engine``),
stage by stage: the app switches to the kernels once FIRST is loaded."""
import numpy as np

from ...core import Network
from ...core.network import PARALLEL_POINTS
from ..draw import theme as th
from ..draw.heatmap import colour_cells, colours, paint_grid


def _sample(n=3):
    X = np.random.default_rng(0).uniform(-6, 6, (n, 2))
    return X, (X[:, 0] > 0).astype(np.int64), Network([2, 3, 2], activation="tanh", seed=0)


def training():
    """Epochs of mini-batch steps with the loss history (the evaluation kernels inside)."""
    X, y, net = _sample()
    net.train_epochs(X, y, 0.1, 2, 1, X, y, np.empty((1, 4)))


def readouts():
    """Loss and accuracy of the snapshot the screen shows."""
    X, y, net = _sample()
    net.evaluate(X, y)


def heatmap():
    """Class probabilities on one core, coloured."""
    X, _, net = _sample()
    colour_cells(net.predict_proba(X), *colours(), th.palette.strength, False,
                 np.empty((1, 3, 3), np.uint8))


def diagram():
    """All layers' activations (thumbnails, dead layers) and the thumbnails' colours."""
    X, _, net = _sample()
    net.dead_layers(X)
    paint_grid(np.zeros(4), 0, 2, np.empty((2, 2, 3), np.uint8))


FIRST = (training, readouts, heatmap, diagram)   # what the first screen and Play call


def all_cores():
    """The heatmap's kernels for all cores and in float32, as the grid is drawn once they
    are loaded (until then: on one core, in float64), and float64 on all cores (the metrics
    card's, for many points)."""
    X, _, net = _sample(PARALLEL_POINTS)
    net.predict_proba(X, single=True)
    net.predict_proba(X)
    colour_cells(net.predict_proba(X[:3], single=True), *colours(), th.palette.strength, False,
                 np.empty((1, 3, 3), np.uint8))


#: every kernel the app calls, in the stages that compile and load one after the other
STAGES = {"first": FIRST, "rest": (all_cores,)}
