"""Datasets: shapes, ranges, balance, seeding, noise, split; features."""
import numpy as np
import pytest

from nnsim.core import DATASETS, N_CLASSES, feature_matrix_t, make_dataset, split


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_shapes_ranges_and_balance(name):
    X, y = make_dataset(name, n=300, noise=0.5, seed=1)
    assert X.shape == (300, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.abs(X).max() <= 6.0
    counts = np.bincount(y, minlength=N_CLASSES[name])
    assert len(counts) == N_CLASSES[name] and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", DATASETS)
def test_seed_repeats_and_noise_moves_points(name):
    X1, y1 = make_dataset(name, n=200, noise=0.0, seed=4)
    X2, y2 = make_dataset(name, n=200, noise=0.0, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(make_dataset(name, n=200, noise=0.0, seed=5)[0], X1)
    X3, y3 = make_dataset(name, n=200, noise=0.4, seed=4)

    def spread(X, y):   # mean distance of points from their class centre
        return np.mean([np.linalg.norm(X[y == c] - X[y == c].mean(0), axis=1).mean()
                        for c in np.unique(y)])
    assert not np.allclose(X1, X3)
    if name in ("gaussian", "blobs3"):
        assert spread(X3, y3) > 1.5 * spread(X1, y1)


def test_xor_labels_follow_quadrants():
    X, y = make_dataset("xor", n=400, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_split_partitions_the_points():
    X, y = make_dataset("moons", n=101, seed=0)
    Xtr, ytr, Xte, yte = split(X, y, test_ratio=0.3, seed=2)
    assert len(ytr) == 71 and len(yte) == 30
    assert sorted(map(tuple, np.r_[Xtr, Xte])) == sorted(map(tuple, X))


@pytest.mark.parametrize("args, message", [
    (("nope",), "unknown dataset"), (("xor", 0), "number of points"),
    (("xor", 10, 0.9), "noise"),
])
def test_bad_dataset_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(*args)


def test_feature_matrix():
    X = np.array([[1.0, 2.0], [-0.5, 3.0]])
    Ft = feature_matrix_t(X, ["x1*x2", "x1", "sin x2", "x1^2"])   # any order in, canonical out
    np.testing.assert_allclose(Ft, [[1.0, -0.5], [1.0, 0.25], [2.0, -1.5], np.sin([2.0, 3.0])])
    with pytest.raises(ValueError, match="unknown feature"):
        feature_matrix_t(X, ["x3"])
