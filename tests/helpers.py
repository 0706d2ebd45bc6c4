"""Small builders shared by the tests."""
import os

import numpy as np
import pygame
import pytest

from nnsim.app.widgets import base as widgets
from nnsim.core import ACTIVATIONS, Network, kernels


def random_case(seed, activation=None, regression=False, hidden=None, classes=None):
    """A random network (``hidden`` hidden layers, by default 0-4; ``classes`` classes, by
    default 2 or 3; regularization on or off) and a small random batch of inputs and labels
    for it; with ``regression`` (or ``classes=1``) one linear output and targets in [-1, 1]
    instead."""
    rng = np.random.default_rng(seed)
    hidden = list(rng.integers(1, 7, size=seed % 5 if hidden is None else hidden))
    classes = classes or (1 if regression else 2 + seed % 2)
    sizes = [int(rng.integers(1, 4))] + hidden + [classes]
    net = Network(sizes, activation or ACTIVATIONS[seed % len(ACTIVATIONS)], seed=seed,
                  optimizer=("sgd", "momentum", "adam")[seed % 3],
                  l1=0.01 * (seed % 3 == 1), l2=0.05 * (seed % 2))
    for _, b in net.params:   # nonzero biases, so every term of the math is exercised
        b[:] = rng.normal(0, 0.3, b.shape)
    X = rng.normal(0, 2, (int(rng.integers(3, 12)), sizes[0]))
    y = rng.uniform(-1, 1, len(X)) if classes == 1 else rng.integers(0, classes, len(X))
    return net, X, y


def kernel_records(net, batch, eta=0.01):
    """The kernels' records of ``net`` (see nnsim.core.kernels): its Layout, a State on its
    theta, grad and grad_norms with copies of the rest of its training state, the Hyper of
    its optimizer and penalties with ``eta`` and ``batch``, and Work for ``batch`` points."""
    layout = kernels.make_layout(net.sizes, net.arch, net.loss)
    saved = net.state()
    state = kernels.State(net.theta, net.grad, saved["m"], saved["v"],
                          np.array([saved["steps"], saved["optimizer_steps"]]),
                          np.array([saved["rng"]], dtype=np.uint64), net.grad_norms)
    hyper = kernels.Hyper(kernels.OPTIMIZER_CODE[net.optimizer], eta, net.l1, net.l2, batch)
    return layout, state, hyper, kernels.make_work(layout, batch)


#: name -> (layer sizes, Network keyword arguments)
DEEP = {
    "mixed": ([2, 5, 4, 3], dict(activation=("relu", "tanh"))),
    "batch-norm": ([3, 6, 6, 2], dict(activation="tanh", batch_norm=True)),
    "dropout": ([2, 6, 6, 3], dict(activation="relu", dropout=(0.3, 0.5))),
    "residual": ([2, 5, 5, 5, 2], dict(activation="sigmoid", residual=True)),
    "all": ([2, 6, 6, 6, 3], dict(activation=("gelu", "tanh", "leaky_relu"),
                                  batch_norm=(True, False, True), dropout=(0.2, 0.0, 0.4),
                                  residual=True)),
    "all-regression": ([2, 5, 5, 1], dict(activation="tanh", batch_norm=True, dropout=0.3,
                                          residual=True)),
}

def deep_case(name, seed=0, optimizer="adam"):
    """The network ``name`` of DEEP with random biases, gamma, beta and running statistics
    (so that every term of the math counts), and random points and labels (targets)."""
    sizes, kwargs = DEEP[name]
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=seed, optimizer=optimizer, l1=0.01, l2=0.05, **kwargs)
    for W, b, *norm in net.layers_of(net.theta):
        b[:] = rng.normal(0, 0.3, b.shape)
        for p in norm:
            p[:] = rng.normal(1, 0.3, p.shape)
    for stats in filter(None, net.running):
        stats[0][:] = rng.normal(0, 0.5, stats[0].shape)
        stats[1][:] = rng.uniform(0.5, 2.0, stats[1].shape)
    X = rng.normal(0, 2, (9, sizes[0]))
    y = rng.uniform(-1, 1, len(X)) if sizes[-1] == 1 else rng.integers(0, sizes[-1], len(X))
    return net, X, y


def fixed_keep(net, n, seed=1):
    """A dropout mask per layer ((units, n) true/false, None without dropout) and its scales."""
    rng = np.random.default_rng(seed)
    keep = [None] * len(net.sizes)
    scales = [None] * len(net.sizes)
    for l, p in enumerate(net.arch.drop, start=1):
        if p > 0:
            keep[l] = rng.uniform(size=(net.sizes[l], n)) >= p
            scales[l] = np.where(keep[l], 1 / (1 - p), 0.0)
    return keep, scales


def torch_or_skip():
    """torch, or a skipped test where it is not installed; with NNSIM_REQUIRE_TORCH=1 (as in
    CI, which installs it) a missing torch is an error instead, so its tests cannot quietly vanish."""
    if os.environ.get("NNSIM_REQUIRE_TORCH") == "1":
        import torch
        return torch
    return pytest.importorskip("torch")


def key(app, k, mod=0, unicode=None):
    """Press key ``k`` (with modifier ``mod``) and run one frame. ``unicode``: the text the
    key types (default: a US keyboard's, for an unmodified key that types one character),
    also sent as SDL does, in a TEXTINPUT event after the KEYDOWN."""
    if unicode is None:
        unicode = chr(k) if not mod and 32 <= k < 127 else ""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode,
                                         scancode=0))
    if unicode:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=unicode))
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


def boundary(app, side=None):
    """The boundary view of side ``side`` (default: the selected one)."""
    return app.actions.sides[app.actions.selected if side is None else side].view.boundary


def regions(layout):
    """The layout's regions that show (for overlap checks)."""
    return [r for r in (layout.panel, layout.boundary, layout.chart, layout.readouts,
                        layout.network, layout.legend) if r.w and r.h]


def cut_labels(monkeypatch):
    """The sizes of the labels that widgets draw cut from now on (``blit_within`` is
    watched): a list that grows as frames are drawn."""
    cut = []
    blit_within = widgets.blit_within

    def watched(surface, label, at, room):
        if not room.contains(at):
            cut.append(label.get_size())
        blit_within(surface, label, at, room)
    monkeypatch.setattr(widgets, "blit_within", watched)
    return cut
