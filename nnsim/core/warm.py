"""The engine's numba kernels compiled ahead of use, group by group.

numba compiles under one process-wide lock, so two threads never compile at once; a cold
start (an empty cache) therefore compiles a group in a helper process
(``python -m nnsim.core.warm GROUP``) while the app compiles another, and then loads the
helper's work from numba's cache. The training kernel calls the gradient and evaluation
kernels, so once those are cached it compiles little more than its own loop.
"""
import os
import subprocess
import sys

import numpy as np

from . import kernels
from .network import PARALLEL_POINTS, Network


def _sample(n=3):
    X = np.random.default_rng(0).uniform(-6, 6, (max(n, 3), 2))
    return X, (X[:, 0] > 0).astype(np.int64), Network([2, 3, 2], activation="tanh", seed=0)


def gradients():
    """Forward and backward passes (the inside of a training step)."""
    X, y, net = _sample()
    net.loss_and_grads(X, y)


def evaluation():
    """Loss and accuracy (the readouts, and the training kernel's history), and class
    probabilities on one core (the heatmap)."""
    X, y, net = _sample()
    net.evaluate(X, y)
    net.predict_proba(X)


def training():
    """Epochs of mini-batch steps with the loss history."""
    X, y, net = _sample()
    net.train_epochs(X, y, 0.1, 2, 1, X, y, np.empty((1, 4)))


def all_cores():
    """Class probabilities of a grid shared out over all cores."""
    X, _, net = _sample(PARALLEL_POINTS)
    net.predict_proba(X)


GROUPS = {"gradients": gradients, "evaluation": evaluation, "training": training,
          "all cores": all_cores}


def cached():
    """True if numba's cache already holds the training kernel (a warm start: every group
    loads in moments and no helper process is worth its start-up)."""
    # numba names no public way to ask; its index file exists once a signature is cached
    return os.path.exists(kernels.train_epochs._cache._cache_file._index_path)


def in_helper(group):
    """A process compiling ``group`` into numba's cache (the same cache: same environment)."""
    return subprocess.Popen([sys.executable, "-m", __name__, group], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    GROUPS[sys.argv[1]]()
