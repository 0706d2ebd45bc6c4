"""The kernels' NumPy twins with the kernels' own signatures: each function here takes the
records and buffers its namesake in ``kernels`` takes, changes the same state in place and
returns the same values, computing with ``reference``'s math. ``Network`` calls these
instead of the kernels while the engine is NumPy (see ``engine``).

Work buffers (z, a, Work) are accepted and left alone, except where the kernel's caller
reads them (``activations``' a) or fills them (``loss_and_grads``' given dropout scales). NumPy's warnings are off: a diverging run is reported by
the return values, as by the kernels.
"""
import functools

import numpy as np

from . import reference
from .config import ACTIVATIONS, DIVERGED_WEIGHT, LOSSES, OPTIMIZERS
from .kernels import DROP, KEEP, NORM, RES, extras_of


def _quiet(function):
    @functools.wraps(function)
    def quietly(*args):
        with np.errstate(all="ignore"):
            return function(*args)
    return quietly


def _normalization(layout, flat, l):
    """Views of layer l's gamma, beta, running mean and running variance in ``flat``, or []
    where it does not normalize."""
    g, n = int(extras_of(layout)[NORM, l]), layout.sizes[l]
    return [flat[g + k * n:g + (k + 1) * n] for k in range(4)] if g >= 0 else []


def _params(layout, flat):
    """Per layer (W, b), or (W, b, gamma, beta) where it normalizes: views into ``flat``
    laid out as ``layout`` says (``reference``'s parameters)."""
    sizes = layout.sizes
    return [(flat[w:w + o * i].reshape(o, i), flat[b:b + o], *_normalization(layout, flat, l)[:2])
            for l, (w, b, o, i) in enumerate(zip(layout.w_off, layout.b_off, sizes[1:],
                                                 sizes[:-1]), start=1)]


def _running(layout, theta):
    """Per layer [running mean, running variance] (views into theta), or None."""
    return [_normalization(layout, theta, l)[2:] or None for l in range(len(layout.sizes))]


def _arch(layout):
    """The layout's hidden layers as a ``reference.Arch``."""
    hidden = extras_of(layout)[:, 1:-1]
    return reference.Arch(tuple(ACTIVATIONS[code] for code in layout.act[1:-1]),
                          tuple(bool(g >= 0) for g in hidden[NORM]),
                          tuple(float(p) for p in hidden[DROP]), tuple(bool(r) for r in hidden[RES]))


def _keep(layout, work, n):
    """The dropout scales that ``work`` holds for n points, per layer (None without
    dropout)."""
    u_off = layout.u_off
    return [work.extras[KEEP, u_off[l] * n:u_off[l + 1] * n].reshape(-1, n)
            if extras_of(layout)[DROP, l] > 0 else None for l in range(len(layout.sizes))]


def _draw_keep(state, layout, n):
    """Dropout scales for n points from the network's generator (advancing it)."""
    keep, rng = reference.dropout_keep(_arch(layout), layout.sizes, n, int(state.rng[0]))
    state.rng[0] = np.uint64(rng)
    return keep


def _summed_loss(layout, logits, y_hat, y):
    """The kernels' summed loss from the output layer's ``logits`` and ``y_hat`` (C, n):
    1/2 (y_hat - t)^2 for one output, the layout's squared error, or cross-entropy as
    log-sum-exp minus the label's logit (never log 0, so finite exactly when the logits
    are)."""
    if logits.shape[0] == 1:
        return 0.5 * ((logits[0] - y) ** 2).sum()
    if LOSSES[layout.loss] == "squared":
        return 0.5 * ((y_hat - reference.onehot(y, len(y_hat))) ** 2).sum()
    top = logits.max(axis=0)
    log_sum = top + np.log(np.exp(logits - top).sum(axis=0))
    return (log_sum - logits[y.astype(int), np.arange(len(y))]).sum()


@_quiet
def regularization(theta, layout, l1, l2):
    return float(reference.regularization(_params(layout, theta), l1, l2))


def _gradients(state, layout, l1, l2, X, y, keep):
    """One training batch with the dropout scales ``keep``: the summed loss (no
    regularization); the gradient into ``state.grad`` and its mean |dW| per layer added to
    ``state.grad_norms``; the running statistics moved."""
    params, arch = _params(layout, state.theta), _arch(layout)
    trace = reference.forward(params, arch, X, _running(layout, state.theta), keep, train=True)
    y_hat = trace.y_hat
    target = y[None, :] if y_hat.shape[0] == 1 else reference.onehot(y, y_hat.shape[0])
    delta_out = reference.output_delta(y_hat, target, LOSSES[layout.loss]) / len(y)
    deltas, norm_grads = reference.backward(params, arch, trace, delta_out, keep)
    for l, ((W, *_), (gW, gb, *g_norm), delta, a_in, norm) in enumerate(zip(
            params, _params(layout, state.grad), deltas[1:], trace.a, norm_grads[1:])):
        gW[:] = delta @ a_in.T + l2 * W + l1 * np.sign(W)
        gb[:] = 0.0 if norm else delta.sum(axis=1)       # a normalizing layer's b: exactly 0
        for g, value in zip(g_norm, norm):
            g[:] = value
        state.grad_norms[l] += np.abs(gW).mean()
    return _summed_loss(layout, trace.z[-1], y_hat, y)


@_quiet
def loss_and_grads(state, layout, extras, l1, l2, data, work, draw):
    n = len(data.y)
    keep = _draw_keep(state, layout, n) if draw else _keep(layout, work, n)
    return _gradients(state, layout, l1, l2, data.Xt.T, data.y, keep) / n


@_quiet
def activations(theta, layout, Xt, last, z, a):
    n, u_off = Xt.shape[1], layout.u_off
    for l, values in enumerate(reference.activations(_params(layout, theta), _arch(layout),
                                                     Xt.T, last, _running(layout, theta))):
        a[u_off[l] * n:u_off[l + 1] * n] = values.ravel()


@_quiet
def predict(theta, layout, data, proba, z, a, chunk, lo, hi):
    n = data.Xt.shape[1]
    trace = reference.forward(_params(layout, theta), _arch(layout), data.Xt[:, lo:hi].T,
                              _running(layout, theta))
    z_all, y_hat = trace.z, trace.y_hat
    if proba.shape[0] == n:
        proba[lo:hi] = y_hat.T
    if data.y.shape[0] != n:
        return 0.0, 0.0
    y = data.y[lo:hi]
    score = np.abs(y_hat[0] - y).sum() if y_hat.shape[0] == 1 else \
        (y_hat.argmax(axis=0) == y).sum()
    return float(_summed_loss(layout, z_all[-1], y_hat, y)), float(score)


def predict_parallel(theta, layout, data, proba, z, a, chunk):
    predict(theta, layout, data, proba, z[0], a[0], chunk, 0, data.Xt.shape[1])


def evaluate(theta, layout, l1, l2, data, work):
    n = data.Xt.shape[1]
    if n == 0:
        return np.nan, np.nan
    loss, score = predict(theta, layout, data, np.empty((0, layout.sizes[-1])), None, None,
                          n, 0, n)
    return loss / n + regularization(theta, layout, l1, l2), score / n


def _train_batches(state, layout, hyper, X, y, order):
    moments = {"m": [p for wb in _params(layout, state.m) for p in wb],
               "v": [p for wb in _params(layout, state.v) for p in wb]}
    for start in range(0, len(order), hyper.batch):
        idx = order[start:start + hyper.batch]
        keep = _draw_keep(state, layout, len(idx))
        if not np.isfinite(_gradients(state, layout, hyper.l1, hyper.l2, X[idx], y[idx], keep)):
            return False
        state.step_counts[0] += 1
        moments["adam_t"] = int(state.step_counts[1])     # reference.step counts it up
        reference.step(_params(layout, state.theta), _params(layout, state.grad), moments,
                       OPTIMIZERS[hyper.optimizer], hyper.eta)
        state.step_counts[1] = moments["adam_t"]
    return True


@_quiet
def train_epochs(state, layout, extras, hyper, train, test, epochs, work, eval_work, history,
                 order):
    X, y = train.Xt.T, train.y
    record = history.shape[0] >= epochs
    for e in range(epochs):
        order, rng = reference.shuffle(len(y), int(state.rng[0]))
        state.rng[0] = np.uint64(rng)
        if not _train_batches(state, layout, hyper, X, y, order) or \
                not (np.abs(state.theta) <= DIVERGED_WEIGHT).all():
            return e
        if record:
            history[e, :2] = evaluate(state.theta, layout, hyper.l1, hyper.l2, train, eval_work)
            history[e, 2:] = evaluate(state.theta, layout, hyper.l1, hyper.l2, test, eval_work)
    return epochs
