"""Input feature maps: from points (x1, x2) to the network's input columns: the fixed
features of FEATURE_TABLE (by name), then any extra features the teacher typed as formulas."""
import numpy as np

from .config import FEATURE_TABLE, MAX_EXTRA_FEATURES, choose
from .formula import parse


def check_features(names, at_least_one=True):
    """The names as a tuple in canonical order; ValueError for unknown or (unless not
    ``at_least_one``) empty."""
    chosen = {choose(name, FEATURE_TABLE, "feature").name for name in names}
    if not chosen and at_least_one:
        raise ValueError("at least one input feature is needed")
    return tuple(f.name for f in FEATURE_TABLE if f.name in chosen)


def check_extra_features(texts):
    """Extra feature formulas as a tuple of their canonical texts, in the order given;
    FormulaError (a ValueError) for one that is no value formula, ValueError for too many
    or one given twice."""
    if isinstance(texts, str):
        raise ValueError("extra features must be a list of formulas")
    if len(texts) > MAX_EXTRA_FEATURES:
        raise ValueError(f"at most {MAX_EXTRA_FEATURES} extra features, not {len(texts)}")
    canonical = tuple(parse(text, "value").text for text in texts)
    twice = [text for k, text in enumerate(canonical) if text in canonical[:k]]
    if twice:
        raise ValueError(f"extra feature {twice[0]} is given twice")
    return canonical


def feature_matrix_t(X, names, extra=()):
    """Features of points X (n, 2) as a C-contiguous (features, n) float64 array: the
    transposed input layout the kernels read. Rows: the fixed features ``names`` in
    canonical order, then the ``extra`` formulas in their order."""
    X = np.asarray(X, dtype=np.float64)
    names = check_features(names, at_least_one=not extra)
    formulas = [parse(text, "value") for text in extra]
    out = np.empty((len(names) + len(formulas), X.shape[0]))
    for row, name in zip(out, names):
        row[:] = choose(name, FEATURE_TABLE, "feature").map(X[:, 0], X[:, 1])
    for row, formula in zip(out[len(names):], formulas):
        row[:] = formula(X[:, 0], X[:, 1])
    return out


def input_labels(names, extra=()):
    """What the network diagram writes beside each input: the fixed features' labels, then
    the extra features' formulas."""
    return (*(choose(name, FEATURE_TABLE, "feature").label for name in check_features(names, not extra)),
            *extra)
