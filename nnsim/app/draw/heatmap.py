"""The decision-boundary heatmap (a grid over the plane, coloured by class probability) and
the neuron thumbnails' colouring."""
import math
import time
from functools import cache

import numpy as np
from numba import njit

from ...core import engine
from ...core.config import PLANE
from ...core.features import feature_matrix_t
from . import theme as th

RESOLUTION = 128    # heatmap cells per side
DRAWABLE = 1e6      # larger magnitudes (and infinities) are drawn as this
VALUE_STEPS = 10    # a regression point's colour: its value rounded to tenths


def colours():
    """The theme's class colours (C, 3) and undecided grey (3,) as the kernels take them."""
    return _arrays(th.palette)


@cache
def _arrays(palette):
    return (np.array(palette.CLASS_COLOURS, dtype=np.float64),
            np.array(palette.UNDECIDED, dtype=np.float64))


def grid_points(n):
    """Centres of an n x n grid of cells over the plane, ordered x-major (row k = ix * n + iy,
    iy counted from the top), the order ``surfarray`` wants for a (n, n, 3) array."""
    centres = (np.arange(n) + 0.5) / n * 2 * PLANE - PLANE
    ix, iy = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return np.c_[centres[ix.ravel()], centres[::-1][iy.ravel()]]


def colour_cells(proba, palette, undecided, strength, discretize, out):
    """Each cell's colour from its class probabilities (see ``_colour_cells``), by the
    engine in use."""
    engine.pick(_colour_cells, _colour_cells_numpy)(proba, palette, undecided, strength,
                                                    discretize, out)


def paint_nodes(values, scale, kind, size, n_classes, palette, undecided, out):
    """Every node's thumbnail (see ``_paint_nodes``), by the engine in use."""
    engine.pick(_paint_nodes, _paint_nodes_numpy)(values, scale, kind, size, n_classes,
                                                  palette, undecided, out)


@njit(cache=True)
def _colour_cells(proba, palette, undecided, strength, discretize, out):
    """Colour of each cell from its class probabilities p (rows of ``proba``):

    colour = undecided + strength sum_c w_c (palette_c - undecided),
    w_c = max(0, (p_c - 1/C) / (1 - 1/C))

    so a 50/50 cell is light grey and a confident one leans to its class colour (for two
    classes this is TF Playground's orange - grey - blue ramp); ``strength`` (the theme's,
    below 1) keeps it lighter than the points drawn over it. ``discretize`` paints each cell in its most probable class instead.
    A regression network's one column is its prediction y_hat, drawn on the diverging scale
    of ``value_colour``: orange (-1), grey (0), blue (+1); discretized, by its sign.
    ``out`` is (n, n, 3) uint8, x first.
    """
    n = out.shape[0]
    C = proba.shape[1]
    chance = 1.0 / C
    for k in range(proba.shape[0]):
        ix, iy = k // n, k % n
        if C == 1:
            v = proba[k, 0]
            t = (1.0 if v > 0 else -1.0) if discretize else min(max(v, -1.0), 1.0)
            c = 1 if t > 0 else 0
            for ch in range(3):
                out[ix, iy, ch] = np.uint8(undecided[ch] + strength * abs(t)
                                           * (palette[c, ch] - undecided[ch]))
            continue
        if discretize:
            best = 0
            for c in range(1, C):
                if proba[k, c] > proba[k, best]:
                    best = c
            for ch in range(3):
                out[ix, iy, ch] = np.uint8(undecided[ch] + strength * (palette[best, ch] - undecided[ch]))
            continue
        for ch in range(3):
            value = undecided[ch]
            for c in range(C):
                w = max(0.0, (proba[k, c] - chance) / (1.0 - chance))
                value += strength * w * (palette[c, ch] - undecided[ch])
            out[ix, iy, ch] = np.uint8(min(max(value, 0.0), 255.0))


def _colour_cells_numpy(proba, palette, undecided, strength, discretize, out):
    """``_colour_cells``' NumPy twin (the same colours, give or take a unit of rounding)."""
    C = proba.shape[1]
    if C == 1:
        v = proba[:, 0]
        t = np.where(v > 0, 1.0, -1.0) if discretize else np.clip(v, -1.0, 1.0)
        ends, w = palette[(t > 0).astype(int)], np.abs(t)
    elif discretize:
        ends, w = palette[proba.argmax(axis=1)], np.ones(len(proba))
    else:
        w = np.maximum(0.0, (proba - 1.0 / C) / (1.0 - 1.0 / C))
        value = undecided + strength * (w @ (palette[:C] - undecided))
        out[:] = np.clip(value, 0.0, 255.0).astype(np.uint8).reshape(out.shape)
        return
    out[:] = (undecided + strength * w[:, None] * (ends - undecided)).astype(np.uint8).reshape(
        out.shape)


@njit(cache=True)
def _paint_nodes(values, scale, kind, size, n_classes, palette, undecided, out):
    """Thumbnail of every node, side by side in the atlas ``out`` (n_nodes*size, size, 3):
    node k fills columns k*size .. (k+1)*size - 1.

    values[k] holds node k's activation over the G x G cells (x-major, top row first).
    kind 0: signed ramp, t = v / scale[k] in [-1, 1]: orange (-1), grey (0), blue (+1).
    kind c + 1: probability of class c, grey to the class colour as the heatmap does.
    """
    G = int(math.sqrt(values.shape[1]))
    C = n_classes
    for k in range(values.shape[0]):
        for px in range(size):
            gx = px * G // size
            for py in range(size):
                v = values[k, gx * G + py * G // size]
                if kind[k] == 0:
                    t = min(max(v / scale[k], -1.0), 1.0)
                    c = 1 if t > 0 else 0
                    w = abs(t)
                else:
                    c = kind[k] - 1
                    w = max(0.0, (v - 1.0 / C) / (1.0 - 1.0 / C))
                for ch in range(3):
                    out[k * size + px, py, ch] = np.uint8(
                        undecided[ch] + w * (palette[c, ch] - undecided[ch]))


def _paint_nodes_numpy(values, scale, kind, size, n_classes, palette, undecided, out):
    """``_paint_nodes``' NumPy twin (the same colours, give or take a unit of rounding)."""
    G = int(math.sqrt(values.shape[1]))
    cell = np.arange(size) * G // size
    v = values[:, cell[:, None] * G + cell[None, :]]          # (nodes, px, py)
    signed = (kind == 0)[:, None, None]
    t = np.clip(v / scale[:, None, None], -1.0, 1.0)
    C = n_classes
    c = np.where(signed, (t > 0).astype(int), (kind - 1)[:, None, None])
    w = np.where(signed, np.abs(t), np.maximum(0.0, (v - 1.0 / C) / (1.0 - 1.0 / C)))
    colour = undecided + w[..., None] * (palette[c] - undecided)
    out[:len(values) * size] = colour.astype(np.uint8).reshape(-1, size, 3)


def value_colour(v, strength=1.0):
    """The colour of a regression value v on the diverging scale: grey at 0, leaning to
    class 0's orange towards -1 and class 1's blue towards +1 (``strength`` of the way)."""
    t = min(max(float(np.nan_to_num(v)), -1.0), 1.0)
    palette, undecided = colours()
    end = palette[1 if t > 0 else 0]
    return tuple(int(round(g + strength * abs(t) * (e - g))) for g, e in zip(undecided, end))


def drawable(values):
    """``values`` with NaN as 0 and infinities and huge values capped: what a diverged
    network's activations and weights become on screen (its banner says what happened)."""
    return np.clip(np.nan_to_num(values, nan=0.0), -DRAWABLE, DRAWABLE)


def paint_grid(values, kind, n_classes, out):
    """One node's activation over a full n x n grid into ``out`` (n, n, 3), coloured as its
    thumbnail (``kind`` as in paint_nodes)."""
    values = drawable(values)
    scale = np.array([max(np.abs(values).max(), 1e-9)])
    paint_nodes(values[None, :], scale, np.array([kind]), out.shape[0], n_classes, *colours(), out)
    return out



class Heatmap:
    """The boundary heatmap of a snapshot of the weights, computed in shares over frames when
    a full grid would not fit in one (the largest network takes ~10 ms for 100 x 100)."""

    def __init__(self, n=RESOLUTION):
        self.n = n
        self.points = grid_points(n)
        self._inputs = {}
        self.rgb = np.zeros((n, n, 3), dtype=np.uint8)
        self.net = None               # private copy of the weights being drawn
        self.proba = None
        self.filled = 0               # grid cells computed so far
        self._s_per_cell = 1e-7       # measured seconds per cell (moving average)

    def inputs(self, inputs):
        """The grid's input matrix (n*n, columns) for a network of ``inputs`` (a Settings'
        ``inputs``: fixed features, extra formulas); the last few are kept."""
        if inputs not in self._inputs:
            if len(self._inputs) >= 4:
                del self._inputs[next(iter(self._inputs))]
            self._inputs[inputs] = np.ascontiguousarray(feature_matrix_t(self.points, *inputs).T)
        return self._inputs[inputs]

    @property
    def in_progress(self):
        return self.net is not None and self.filled < self.n * self.n

    def matches(self, net, inputs):
        """True if the grid in progress is of the same network shape and ``inputs``."""
        return self.net is not None and self.columns == inputs and \
            (self.net.sizes, self.net.arch) == (net.sizes, net.arch)

    def begin(self, net, inputs):
        """Start a grid for ``net``'s current weights and ``inputs`` (see ``inputs``)."""
        self.columns = inputs
        if self.net is None or (self.net.sizes, self.net.arch) != (net.sizes, net.arch):
            self.net = net.copy()
            self.proba = np.empty((self.n * self.n, net.n_classes))
        else:
            self.net.theta[:] = net.theta
        self.filled = 0

    def advance(self, budget_s=None, parallel=True):
        """Compute about ``budget_s`` seconds' worth of the grid (None: all of the rest);
        True once the grid is complete."""
        total = self.n * self.n
        left = total - self.filled
        count = left if budget_s is None else min(left, max(256, int(budget_s / self._s_per_cell)))
        lo, hi = self.filled, self.filled + count
        start = time.perf_counter()
        self.net.predict_proba(self.inputs(self.columns)[lo:hi], out=self.proba[lo:hi],
                               parallel=parallel)
        self._s_per_cell = 0.7 * self._s_per_cell + 0.3 * (time.perf_counter() - start) / count
        self.filled = hi
        return hi == total

    def colour(self, discretize):
        """The finished grid as RGB (n, n, 3)."""
        colour_cells(self.proba, *colours(), th.palette.strength, discretize, self.rgb)
        return self.rgb
