"""Small builders shared by the tests."""
import os

import numpy as np
import pygame
import pytest

from nnsim.core import ACTIVATIONS, Network


def random_case(seed, activation=None, regression=False):
    """A random network (0-4 hidden layers, 2 or 3 classes, regularization on or off) and a
    small random batch of inputs and labels for it; with ``regression`` one linear output
    and targets in [-1, 1] instead."""
    rng = np.random.default_rng(seed)
    hidden = list(rng.integers(1, 7, size=seed % 5))
    classes = 1 if regression else 2 + seed % 2
    sizes = [int(rng.integers(1, 4))] + hidden + [classes]
    net = Network(sizes, activation or ACTIVATIONS[seed % len(ACTIVATIONS)], seed=seed,
                  optimizer=("sgd", "momentum", "adam")[seed % 3],
                  l1=0.01 * (seed % 3 == 1), l2=0.05 * (seed % 2))
    for _, b in net.params:   # nonzero biases, so every term of the math is exercised
        b[:] = rng.normal(0, 0.3, b.shape)
    X = rng.normal(0, 2, (int(rng.integers(3, 12)), sizes[0]))
    y = rng.uniform(-1, 1, len(X)) if regression else rng.integers(0, classes, len(X))
    return net, X, y


def torch_or_skip():
    """torch, or a skipped test where it is not installed; with NNSIM_REQUIRE_TORCH=1 (as in
    CI, which installs it) a missing torch is an error instead, so its tests cannot quietly vanish."""
    if os.environ.get("NNSIM_REQUIRE_TORCH") == "1":
        import torch
        return torch
    return pytest.importorskip("torch")


def key(app, k, mod=0, unicode=""):
    """Press key ``k`` (with modifier ``mod``) and run one frame."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode,
                                         scancode=0))
    app.frame()


def click(app, pos, button=1):
    """Click at ``pos`` and run one frame."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    app.frame()


class FakeClock:
    """Time that passes only when the app sleeps (at least a tick per sleep), or when a test
    moves ``now`` on: every frame lasts 1/60 s, however slow the machine."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 1e-4)
