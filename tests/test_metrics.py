"""Metrics against hand computations, and in `nnsim train`'s last JSON line."""
import json
import math

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.core import Session, Settings
from nnsim.core.metrics import confusion_matrix, mae, precision_recall, r_squared, rmse


def test_confusion_matrix_counts_true_class_by_row_and_prediction_by_column():
    labels = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    predicted = [0, 1, 0, 1, 1, 2, 0, 2, 1]
    # class 0: 2 right, 1 taken for 1; class 1: both right; class 2: 2 right, one 0, one 1
    assert confusion_matrix(labels, predicted, 3).tolist() == [[2, 1, 0], [0, 2, 0], [1, 1, 2]]
    assert confusion_matrix([1, 1], [1, 0], 2).tolist() == [[0, 0], [1, 1]]


def test_precision_and_recall_by_hand():
    confusion = np.array([[2, 1, 0], [0, 2, 0], [1, 1, 2]])
    precision, recall = precision_recall(confusion)
    # precision: right / predicted as the class (columns 3, 4, 2); recall: right / of the class (rows 3, 2, 4)
    np.testing.assert_allclose(precision, [2 / 3, 2 / 4, 2 / 2], rtol=1e-15)
    np.testing.assert_allclose(recall, [2 / 3, 2 / 2, 2 / 4], rtol=1e-15)


def test_zero_over_zero_is_nan():
    # class 1 is never predicted (precision 0/0) and class 2 has no points (recall 0/0)
    precision, recall = precision_recall(confusion_matrix([0, 0, 1], [0, 0, 0], 3))
    np.testing.assert_array_equal(precision, [2 / 3, np.nan, np.nan])
    np.testing.assert_array_equal(recall, [1.0, 0.0, np.nan])
    assert math.isnan(r_squared([0.5, 0.5], [0.4, 0.6]))          # no spread in the targets
    assert math.isnan(mae([], [])) and math.isnan(rmse([], []))


def test_regression_metrics_by_hand():
    t = [1.0, -1.0, 0.5, 0.0]
    y_hat = [0.5, -1.0, 1.0, 1.0]                 # errors -0.5, 0, 0.5, 1
    assert mae(t, y_hat) == pytest.approx((0.5 + 0 + 0.5 + 1) / 4, rel=1e-15)
    assert rmse(t, y_hat) == pytest.approx(math.sqrt((0.25 + 0 + 0.25 + 1) / 4), rel=1e-15)
    # mean t = 0.125; spread = 0.875^2 + 1.125^2 + 0.375^2 + 0.125^2 = 2.1875
    assert r_squared(t, y_hat) == pytest.approx(1 - 1.5 / 2.1875, rel=1e-14)
    assert r_squared(t, t) == 1.0
    assert r_squared(t, [0.125] * 4) == 0.0       # the mean predicts nothing


def test_a_sessions_metrics_agree_with_its_accuracy_and_mae():
    c = Session(Settings(dataset="blobs3", points=90))
    c.train(5)
    m = c.metrics()
    _, accuracy, _, test_accuracy = c.evaluate()
    for key, acc, n in (("confusion", accuracy, len(c.y_train)),
                        ("test_confusion", test_accuracy, len(c.y_test))):
        confusion = np.array(m[key])
        assert confusion.shape == (3, 3) and confusion.sum() == n
        assert np.trace(confusion) / n == pytest.approx(acc, rel=1e-12)
    r = Session(Settings(dataset="plane", points=80))
    r.train(5)
    _, train_mae, _, test_mae = r.evaluate()
    assert r.metrics()["mae"] == pytest.approx(train_mae, rel=1e-12)
    assert r.metrics()["test_mae"] == pytest.approx(test_mae, rel=1e-12)


def test_train_json_carries_the_metrics_on_its_last_line(capsys):
    assert main(["train", "--dataset", "xor", "--epochs", "3", "--points", "60"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "confusion" not in rows[0]
    last = rows[-1]
    assert np.array(last["confusion"]).shape == (2, 2) and np.sum(last["confusion"]) == 30
    assert np.trace(last["confusion"]) / 30 == pytest.approx(last["accuracy"])
    assert {"precision", "recall", "test_confusion", "test_precision", "test_recall"} <= set(last)
    assert main(["train", "--problem", "regression", "--epochs", "3", "--points", "60"]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert {"r2", "rmse", "mae", "test_r2", "test_rmse", "test_mae"} <= set(last)
    assert last["rmse"] >= last["mae"]            # the root mean square is never below the mean
