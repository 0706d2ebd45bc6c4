"""How good the predictions are, beyond the loss: for classification the confusion matrix and
each class's precision and recall, for regression the mean absolute error, the root mean
squared error and R².

A ratio of 0 / 0 (the precision of a class never predicted, the recall of a class with no
points, R² of targets that are all equal) has no value: it is NaN here and null in JSON.
"""
import numpy as np


def _ratio(top, bottom):
    """top / bottom elementwise, NaN where bottom is 0."""
    top, bottom = np.asarray(top, dtype=np.float64), np.asarray(bottom, dtype=np.float64)
    out = np.full(np.broadcast(top, bottom).shape, np.nan)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


def confusion_matrix(labels, predicted, n_classes):
    """(n_classes, n_classes) counts: row i, column j counts the points of class i that were
    predicted as class j (the diagonal is what was right)."""
    labels, predicted = np.asarray(labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)
    return np.bincount(labels * n_classes + predicted,
                       minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def precision_recall(confusion):
    """(precision, recall) per class of a confusion matrix: precision_c = TP_c / (points
    predicted c), the column; recall_c = TP_c / (points of class c), the row."""
    true_positives = np.diag(confusion)
    return _ratio(true_positives, confusion.sum(axis=0)), _ratio(true_positives, confusion.sum(axis=1))


def mae(targets, predictions):
    """Mean absolute error: mean |y_hat - t|; NaN for no points."""
    return _ratio(np.abs(np.subtract(predictions, targets)).sum(), len(targets)).item()


def rmse(targets, predictions):
    """Root mean squared error: sqrt(mean (y_hat - t)^2); NaN for no points."""
    return np.sqrt(_ratio(np.square(np.subtract(predictions, targets)).sum(), len(targets))).item()


def r_squared(targets, predictions):
    """R² = 1 - sum (t - y_hat)^2 / sum (t - mean t)^2: 1 for perfect predictions, 0 for
    predicting the mean, negative for worse."""
    targets = np.asarray(targets, dtype=np.float64)
    residual = np.square(targets - predictions).sum()
    spread = np.square(targets - targets.mean()).sum() if len(targets) else 0.0
    return (1.0 - _ratio(residual, spread)).item()


def report(net, inputs, y):
    """The metrics of ``net`` on the points with input columns ``inputs`` (n, features) and
    labels or targets ``y``, as a dict of plain lists and floats: "confusion", "precision"
    and "recall" for a classifier; "mae", "rmse" and "r2" for a regression network."""
    if net.regression:
        predictions = net.predict_proba(inputs)[:, 0] if len(y) else np.empty(0)
        return {"mae": mae(y, predictions), "rmse": rmse(y, predictions),
                "r2": r_squared(y, predictions)}
    predicted = net.predict_proba(inputs).argmax(axis=1) if len(y) else np.empty(0, np.int64)
    confusion = confusion_matrix(y, predicted, net.n_classes)
    precision, recall = precision_recall(confusion)
    return {"confusion": confusion.tolist(), "precision": precision.tolist(),
            "recall": recall.tolist()}
