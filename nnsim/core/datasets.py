"""Toy 2-D classification and regression datasets on the plane [-6, 6]^2.

Generators follow TensorFlow Playground's (see spec section 4), written anew; noise always
moves points, so a noisier dataset is visibly messier. Every dataset is seeded. Besides its
name a dataset may take a ``Shape``: the checkerboard's square size, a formula dataset's
formula (``core.formula``).
"""
import math
from dataclasses import dataclass

import numpy as np

from .config import (CHECKER_RANGE, CHECKER_SIZE, DATASET_TABLE, DATASETS, NOISE_RANGE, PLANE,
                     MAX_POINTS, choose)
from .formula import parse, plane_grid

N_CLASSES = {d.name: d.n_classes for d in DATASET_TABLE}


@dataclass(frozen=True)
class Shape:
    """What shapes a dataset beyond its name: the side of the checkerboard's squares, and
    the parsed formula of a formula dataset (None for the others)."""
    checker_size: float = CHECKER_SIZE
    formula: object = None


def _uniform_in_classes(rng, n, n_classes, label_of):
    """n points, class k % n_classes for the k-th, each uniform over its class's part of the
    plane as ``label_of(x1, x2)`` labels it (rejection sampling)."""
    y = np.arange(n) % n_classes
    X = np.empty((n, 2))
    filled = np.zeros(n_classes, dtype=int)
    while filled.sum() < n:
        candidates = rng.uniform(-PLANE, PLANE, (n, 2))
        labels = label_of(candidates[:, 0], candidates[:, 1])
        for c in range(n_classes):
            slots = np.flatnonzero(y == c)[filled[c]:]
            found = candidates[labels == c][:len(slots)]
            X[slots[:len(found)]] = found
            filled[c] += len(found)
    return X, y


def _spiral(rng, n, noise, arms):
    counts = np.bincount(np.arange(n) % arms, minlength=arms)
    X, y = [], []
    for arm, m in enumerate(counts):
        s = np.arange(m) / max(m, 1)
        r = 5.0 * s
        t = 1.75 * s * 2.0 * math.pi + arm * 2.0 * math.pi / arms
        X.append(np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, (m, 2)) * 2.0 * noise)
        y.append(np.full(m, arm))
    return np.concatenate(X), np.concatenate(y)


def _xor(rng, n, noise):
    y = np.arange(n) % 2
    X = rng.uniform(0.3, 5.3, (n, 2)) * rng.choice([-1.0, 1.0], (n, 1))  # off the axes
    X[:, 1] *= np.where(y == 0, 1.0, -1.0)      # class 0: x1 x2 > 0, class 1: x1 x2 < 0
    return X + rng.uniform(-1, 1, (n, 2)) * 5.0 * noise, y


def _circle(rng, n, noise):
    y = np.arange(n) % 2
    r = np.where(y == 0, rng.uniform(0, 2.5, n), rng.uniform(3.5, 5.0, n))
    t = rng.uniform(0, 2 * math.pi, n)
    X = np.c_[r * np.sin(t), r * np.cos(t)]
    return X + rng.uniform(-1, 1, (n, 2)) * 5.0 * noise, y


def _moons(rng, n, noise):
    y = np.arange(n) % 2
    t = rng.uniform(0, math.pi, n)
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)],
                 np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = (X - [0.5, 0.25]) * 3.6
    return X + rng.normal(0, 1, (n, 2)) * 3.6 * 0.5 * noise, y


def _gaussian(rng, n, noise):
    y = np.arange(n) % 2
    centres = np.array([[2.0, 2.0], [-2.0, -2.0]])[y]
    return centres + rng.normal(0, math.sqrt(0.5 + 7.0 * noise), (n, 2)), y


def _blobs3(rng, n, noise):
    y = np.arange(n) % 3
    angle = math.pi / 2 + y * 2 * math.pi / 3
    centres = 3.5 * np.c_[np.cos(angle), np.sin(angle)]
    return centres + rng.normal(0, 0.6 + 3.0 * noise, (n, 2)), y


def _plane(rng, n, noise):
    X = rng.uniform(-PLANE, PLANE, (n, 2))
    moved = X + rng.uniform(-1, 1, (n, 2)) * PLANE * noise   # noise: the value of a nearby spot
    return X, np.clip((moved[:, 0] + moved[:, 1]) / (2 * PLANE), -1.0, 1.0)


#: (x1, x2, sign) of the bumps of "multi-gaussian": alternating signs on a 3 x 2 grid
BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0),
         (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))
BUMP_WIDTH = 1.2


def _multi_gaussian(rng, n, noise):
    X = rng.uniform(-PLANE, PLANE, (n, 2))
    moved = X + rng.uniform(-1, 1, (n, 2)) * PLANE * noise
    t = sum(sign * np.exp(-((moved[:, 0] - x1) ** 2 + (moved[:, 1] - x2) ** 2)
                          / (2 * BUMP_WIDTH ** 2)) for x1, x2, sign in BUMPS)
    return X, np.clip(t, -1.0, 1.0)


def _checkerboard(rng, n, noise, size):
    """Squares of side ``size`` from the origin, coloured alternately: class 0 where
    floor(x1 / size) + floor(x2 / size) is even. Noise moves points up to size * noise."""
    X, y = _uniform_in_classes(
        rng, n, 2, lambda x1, x2: (np.floor(x1 / size) + np.floor(x2 / size)).astype(int) % 2)
    return X + rng.uniform(-1, 1, (n, 2)) * size * noise, y


#: radii (from, to) of the rings of "rings3", innermost (class 0) first
RINGS = ((0.0, 1.5), (2.5, 3.5), (4.5, 5.5))


def _rings3(rng, n, noise):
    y = np.arange(n) % 3
    bounds = np.array(RINGS)[y]
    r = rng.uniform(bounds[:, 0], bounds[:, 1])
    t = rng.uniform(0, 2 * math.pi, n)
    X = np.c_[r * np.sin(t), r * np.cos(t)]
    return X + rng.uniform(-1, 1, (n, 2)) * 3.0 * noise, y


HEART_SCALE, HEART_SHIFT = 4.0, -0.45    # the unit heart, scaled and moved to fill the plane


def inside_heart(x1, x2):
    """Whether (x1, x2) lies inside the heart (u^2 + v^2 - 1)^3 - u^2 v^3 <= 0 with
    u = x1 / 4, v = (x2 + 0.45) / 4: about 9 wide and 9 high, centred on the origin."""
    u, v = x1 / HEART_SCALE, (x2 - HEART_SHIFT) / HEART_SCALE
    return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0


def _heart(rng, n, noise):
    """Class 1 inside the heart, class 0 outside."""
    X, y = _uniform_in_classes(rng, n, 2, lambda x1, x2: inside_heart(x1, x2).astype(int))
    return X + rng.uniform(-1, 1, (n, 2)) * 3.0 * noise, y


def _rule(rng, n, noise, rule):
    """Uniform points, class 1 where ``rule`` holds (0 elsewhere), then moved by noise."""
    X = rng.uniform(-PLANE, PLANE, (n, 2))
    y = rule(X[:, 0], X[:, 1]).astype(np.int64)
    return X + rng.uniform(-1, 1, (n, 2)) * 3.0 * noise, y


def _value(rng, n, noise, value):
    """Uniform points, each with the ``value`` of a spot nearby (as noisy as ``noise``),
    divided by the largest |value| on the plane if that is above 1, so targets are in
    [-1, 1]."""
    X = rng.uniform(-PLANE, PLANE, (n, 2))
    moved = X + rng.uniform(-1, 1, (n, 2)) * PLANE * noise
    scale = max(1.0, float(np.abs(value(*plane_grid())).max()))
    return X, np.clip(value(moved[:, 0], moved[:, 1]) / scale, -1.0, 1.0)


def _plain(generator):
    """A generator of (rng, n, noise) that takes no Shape."""
    return lambda rng, n, noise, shape: generator(rng, n, noise)


#: The generator of each dataset of DATASET_TABLE: (rng, n, noise, shape) -> (X, y).
GENERATORS = {
    "spiral": _plain(lambda rng, n, noise: _spiral(rng, n, noise, arms=2)),
    "xor": _plain(_xor), "circle": _plain(_circle), "moons": _plain(_moons),
    "gaussian": _plain(_gaussian), "blobs3": _plain(_blobs3),
    "plane": _plain(_plane), "multi-gaussian": _plain(_multi_gaussian),
    "checkerboard": lambda rng, n, noise, shape: _checkerboard(rng, n, noise, shape.checker_size),
    "rings3": _plain(_rings3), "heart": _plain(_heart),
    "formula": lambda rng, n, noise, shape: _rule(rng, n, noise, shape.formula),
    "value-formula": lambda rng, n, noise, shape: _value(rng, n, noise, shape.formula),
}
assert tuple(GENERATORS) == DATASETS


def dataset_formula(name, formula=""):
    """The parsed formula dataset ``name`` draws by: ``formula`` or, if that is empty, the
    dataset's own; None for a dataset drawn by no formula. FormulaError for a formula that
    does not parse or is of the wrong kind (a classification dataset takes a rule)."""
    record = choose(name, DATASET_TABLE, "dataset")
    if not record.formula:
        return None
    return parse(formula or record.formula, "rule" if record.kind == "classification" else "value")


def check_checker_size(size):
    if not CHECKER_RANGE[0] <= size <= CHECKER_RANGE[1]:
        raise ValueError(f"checkerboard square size must be {CHECKER_RANGE[0]:g} to "
                         f"{CHECKER_RANGE[1]:g}, not {size}")
    return float(size)


def make_dataset(name, n=500, noise=0.1, seed=0, checker_size=CHECKER_SIZE, formula=""):
    """Points X (n, 2) float64 in [-6, 6]^2 and labels y (n,) int64 of dataset ``name``
    (for a regression dataset targets y (n,) float64 in [-1, 1]).

    Classes are balanced, except a formula's (its points are uniform over the plane);
    noise (0 to 0.5) jitters point positions (for regression: the spot whose value a point
    takes). ``checker_size`` is the checkerboard's square side; ``formula`` the text of the
    formula a formula dataset draws by instead of its own (other datasets ignore it).
    """
    kind = choose(name, DATASET_TABLE, "dataset").kind
    if not 1 <= n <= MAX_POINTS:
        raise ValueError(f"number of points must be 1 to {MAX_POINTS}, not {n}")
    if not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ValueError(f"noise must be {NOISE_RANGE[0]} to {NOISE_RANGE[1]}, not {noise}")
    shape = Shape(check_checker_size(checker_size), dataset_formula(name, formula))
    rng = np.random.default_rng(seed)
    X, y = GENERATORS[name](rng, n, noise, shape)
    order = rng.permutation(n)
    return (np.clip(X[order], -PLANE, PLANE).astype(np.float64),
            y[order].astype(np.float64 if kind == "regression" else np.int64))


def test_mask(n, test_ratio=0.5, seed=0):
    """A random boolean mask marking round(test_ratio * n) of n points as test points."""
    if not 0.0 <= test_ratio < 1.0:
        raise ValueError(f"test ratio must be at least 0 and below 1, not {test_ratio}")
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(seed).permutation(n)[:int(round(test_ratio * n))]] = True
    return mask
