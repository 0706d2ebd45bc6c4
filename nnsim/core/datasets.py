"""Toy 2-D classification and regression datasets on the plane [-6, 6]^2.

Generators follow TensorFlow Playground's (see spec section 4), written anew; noise always
moves points, so a noisier dataset is visibly messier. Every dataset is seeded.
"""
import math

import numpy as np

from .config import DATASET_TABLE, DATASETS, NOISE_RANGE, PLANE, MAX_POINTS, choose

N_CLASSES = {d.name: d.n_classes for d in DATASET_TABLE}


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


#: The generator of each dataset of DATASET_TABLE: (rng, n, noise) -> (X, y).
GENERATORS = {
    "spiral": lambda rng, n, noise: _spiral(rng, n, noise, arms=2),
    "xor": _xor, "circle": _circle, "moons": _moons, "gaussian": _gaussian, "blobs3": _blobs3,
    "plane": _plane, "multi-gaussian": _multi_gaussian,
}
assert tuple(GENERATORS) == DATASETS


def make_dataset(name, n=500, noise=0.1, seed=0):
    """Points X (n, 2) float64 in [-6, 6]^2 and labels y (n,) int64 of dataset ``name``
    (for a regression dataset targets y (n,) float64 in [-1, 1]).

    Classes are balanced; noise (0 to 0.5) jitters point positions (for regression: the
    spot whose value a point takes).
    """
    kind = choose(name, DATASET_TABLE, "dataset").kind
    if not 1 <= n <= MAX_POINTS:
        raise ValueError(f"number of points must be 1 to {MAX_POINTS}, not {n}")
    if not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ValueError(f"noise must be {NOISE_RANGE[0]} to {NOISE_RANGE[1]}, not {noise}")
    rng = np.random.default_rng(seed)
    X, y = GENERATORS[name](rng, n, noise)
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
