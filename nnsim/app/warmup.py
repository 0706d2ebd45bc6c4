"""Compiling (or loading from numba's cache) the kernels before any frame needs them: what
the first screen and training need first, the rest after the app is ready."""
import numpy as np

from ..core import warm
from .heatmap import PALETTE, UNDECIDED, colour_cells
from .network_view import paint_grid


def drawing():
    """The heatmap's colours, the diagram's activations and thumbnails."""
    X, _, net = warm._sample()
    colour_cells(net.predict_proba(X), PALETTE, UNDECIDED, False, np.empty((1, 3, 3), np.uint8))
    net.dead_layers(X)                                # the all-layers kernel, as the diagram's
    paint_grid(np.zeros(4), 0, 2, np.empty((2, 2, 3), np.uint8))


FIRST = ("gradients", "drawing", "evaluation", "training")   # what the first screen needs


def warm_up_first(progress=lambda done, total: None):
    """Training, readouts, a heatmap grid computed on one core, and the network diagram's
    thumbnails: everything the first screen and the Play key call. ``progress(done,
    total)`` hears of each group finished. On a cold start a helper process compiles the
    evaluation kernels meanwhile (on the other core), and this process loads them."""
    helper = None if warm.cached() else warm.in_helper("evaluation")
    for done, group in enumerate(FIRST, start=1):
        if group == "evaluation" and helper:
            helper.wait()              # whatever it left undone, the next line compiles
        drawing() if group == "drawing" else warm.GROUPS[group]()
        progress(done, len(FIRST))


def warm_up_rest():
    """The heatmap's kernel for all cores (the grid uses the one-core kernel until then)."""
    warm.all_cores()
