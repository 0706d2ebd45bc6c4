"""Input feature maps: from points (x1, x2) to the network's input columns."""
import numpy as np

from .config import FEATURE_TABLE, choose


def check_features(names):
    """The names as a tuple in canonical order; ValueError for unknown or empty."""
    chosen = {choose(name, FEATURE_TABLE, "feature").name for name in names}
    if not chosen:
        raise ValueError("at least one input feature is needed")
    return tuple(f.name for f in FEATURE_TABLE if f.name in chosen)


def feature_matrix_t(X, names):
    """Features of points X (n, 2) as a C-contiguous (features, n) float64 array: the
    transposed input layout the kernels read."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty((len(names), X.shape[0]))
    for row, name in zip(out, check_features(names)):
        row[:] = choose(name, FEATURE_TABLE, "feature").map(X[:, 0], X[:, 1])
    return out
