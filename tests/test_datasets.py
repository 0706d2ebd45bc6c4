"""Datasets: shapes, ranges, balance, seeding, noise, the test mask; features."""
import numpy as np
import pytest

from nnsim.core import N_CLASSES, datasets, feature_matrix_t, make_dataset
from nnsim.core.config import ALL_DATASETS_OF, DATASET_TABLE, choose
from nnsim.core.datasets import HEART_SCALE, RINGS, inside_heart
from nnsim.core.formula import FormulaError


@pytest.mark.parametrize("name", ALL_DATASETS_OF["classification"])
def test_dataset_shapes_ranges_and_balance(name):
    X, y = make_dataset(name, n=300, noise=0.5, seed=1)
    assert X.shape == (300, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.abs(X).max() <= 6.0
    counts = np.bincount(y, minlength=N_CLASSES[name])
    assert len(counts) == N_CLASSES[name]
    if not choose(name, DATASET_TABLE, "dataset").formula:    # a formula's points are uniform
        assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", ALL_DATASETS_OF["classification"])
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


@pytest.mark.parametrize("name", ALL_DATASETS_OF["regression"])
def test_regression_targets_are_floats_in_range_and_noise_blurs_them(name):
    X, t = make_dataset(name, n=400, noise=0.0, seed=2)
    assert X.shape == (400, 2) and t.dtype == np.float64 and t.shape == (400,)
    assert np.abs(X).max() <= 6.0 and np.abs(t).max() <= 1.0
    assert t.min() < -0.5 and t.max() > 0.5          # both signs, well spread
    X2, t2 = make_dataset(name, n=400, noise=0.5, seed=2)
    np.testing.assert_array_equal(X, X2)             # same spots, noisier values
    assert np.abs(t2 - t).mean() > 0.05


def test_plane_target_is_the_scaled_sum_of_coordinates():
    X, t = make_dataset("plane", n=300, noise=0.0, seed=0)
    np.testing.assert_allclose(t, (X[:, 0] + X[:, 1]) / 12.0)


def test_multi_gaussian_has_signed_bumps():
    X, t = make_dataset("multi-gaussian", n=2000, noise=0.0, seed=0)
    near = lambda x1, x2: t[np.hypot(X[:, 0] - x1, X[:, 1] - x2) < 0.5].mean()
    assert near(-4, 2.5) > 0.7 and near(0, 2.5) < -0.7 and abs(near(-2, 0)) < 0.3


def test_xor_labels_follow_quadrants():
    X, y = make_dataset("xor", n=400, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


@pytest.mark.parametrize("size", [1.0, 3.0, 6.0])
def test_checkerboard_squares_alternate(size):
    X, y = make_dataset("checkerboard", n=600, noise=0.0, seed=0, checker_size=size)
    np.testing.assert_array_equal(y, (np.floor(X[:, 0] / size) + np.floor(X[:, 1] / size)) % 2)


def test_rings3_classes_are_rings_from_the_inside_out():
    X, y = make_dataset("rings3", n=600, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    for c, (inner, outer) in enumerate(RINGS):
        assert inner <= r[y == c].min() and r[y == c].max() <= outer


def test_heart_is_class_1_inside_a_heart_shape():
    X, y = make_dataset("heart", n=600, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, inside_heart(X[:, 0], X[:, 1]))
    # the heart's dip at the top and its point at the bottom, and its lobes either side
    assert not inside_heart(0.0, 4.0) and inside_heart(-2.0, 3.0) and inside_heart(2.0, 3.0)
    assert inside_heart(0.0, -HEART_SCALE + 0.1) and not inside_heart(-3.0, -3.0)
    assert inside_heart(0.0, 0.0)


def test_a_formula_dataset_labels_points_by_its_rule():
    X, y = make_dataset("formula", n=500, noise=0.0, seed=0, formula="x1^2 + x2^2 < 9")
    np.testing.assert_array_equal(y, X[:, 0] ** 2 + X[:, 1] ** 2 < 9)
    X, y = make_dataset("formula", n=500, noise=0.0, seed=0)          # its own: x1*x2 > 0
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] > 0)
    X2, _ = make_dataset("formula", n=500, noise=0.3, seed=0)
    assert 0.1 < np.abs(X2 - X).mean() < 1.5                           # noise moves points


def test_a_value_formula_is_scaled_into_the_targets_range():
    X, t = make_dataset("value-formula", n=500, noise=0.0, seed=0, formula="sin(x1)*cos(x2)")
    np.testing.assert_allclose(t, np.sin(X[:, 0]) * np.cos(X[:, 1]))    # already in [-1, 1]
    X, t = make_dataset("value-formula", n=500, noise=0.0, seed=0, formula="x1*x2")
    np.testing.assert_allclose(t, X[:, 0] * X[:, 1] / 36.0)             # largest |x1 x2| is 36


@pytest.mark.parametrize("name, formula, message", [
    ("formula", "sin(x1)", "is a value; a class rule compares"),
    ("value-formula", "x1 > 0", "compares; a value formula"),
    ("formula", "x1 >", "unexpected end of the formula at position 5"),
])
def test_a_formula_of_the_wrong_kind_is_an_error(name, formula, message):
    with pytest.raises(FormulaError, match=message):
        make_dataset(name, formula=formula)


def test_test_mask_marks_the_ratio_of_points_by_seed():
    mask = datasets.test_mask(101, test_ratio=0.3, seed=2)
    assert mask.dtype == bool and mask.shape == (101,) and mask.sum() == 30
    assert (datasets.test_mask(101, 0.3, 2) == mask).all()
    assert not (datasets.test_mask(101, 0.3, 3) == mask).all()


@pytest.mark.parametrize("args, message", [
    (("nope",), "unknown dataset"), (("xor", 0), "number of points"),
    (("xor", 10, 0.9), "noise"), (("checkerboard", 10, 0.1, 0, 0.5), "square size must be 1 to 6"),
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
