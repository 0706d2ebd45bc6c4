"""Input feature maps: from points (x1, x2) to the network's input columns."""
import numpy as np

from .config import FEATURES

_MAPS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}
assert tuple(_MAPS) == FEATURES


def check_features(names):
    """The names as a tuple in canonical order; ValueError for unknown or empty."""
    names = tuple(names)
    unknown = [f for f in names if f not in _MAPS]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r} (choose from {', '.join(FEATURES)})")
    if not names:
        raise ValueError("at least one input feature is needed")
    return tuple(f for f in FEATURES if f in names)


def feature_matrix_t(X, names):
    """Features of points X (n, 2) as a C-contiguous (features, n) float64 array: the
    transposed input layout the kernels read."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty((len(names), X.shape[0]))
    for row, name in zip(out, check_features(names)):
        row[:] = _MAPS[name](X[:, 0], X[:, 1])
    return out
