"""Plain-NumPy reference of the engine's math: slow, obviously correct, used by the tests.

Every kernel of ``kernels`` has its twin here (the tests compare them to 1e-12):
``forward`` (kernels.forward, or with ``train`` kernels.train_forward; its y_hat is what
predict, predict_parallel and ``Network.predict_proba`` return), ``activations``,
``evaluate``, ``regularization``, ``loss_and_grads`` (with ``backward``), ``step``
(kernels.update), ``shuffle``, ``dropout_keep`` (kernels.draw_keep) and ``train_epochs``
(with ``train_batches``, its mini-batch loop); ``PHI`` holds phi and phi' of every
activation.

Same conventions as the kernels: ``params`` is a list of (W, b) per layer with W of shape
(out, in), or (W, b, gamma, beta) for a layer with batch normalization; activations are
stored (units, points); a network with one output regresses. ``arch`` is an activation name
(every hidden layer, nothing else) or an ``Arch``; ``running`` lists [mean, var] per layer
(None where there is no batch normalization), ``keep`` the dropout scales per layer.
"""
from math import erf, pi, sqrt
from typing import NamedTuple

import numpy as np

from .config import (ADAM_BETA1, ADAM_BETA2, ADAM_EPS, BN_EPS, BN_MOMENTUM, DIVERGED_WEIGHT,
                     LEAKY_SLOPE, MOMENTUM)

_erf = np.vectorize(erf)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _gaussian_cdf(z):
    return 0.5 * (1.0 + _erf(z / sqrt(2.0)))


#: (phi, phi') of each activation of config.ACTIVATIONS: a = phi(z) and its derivative.
PHI = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "gelu": (lambda z: z * _gaussian_cdf(z),
             lambda z: _gaussian_cdf(z) + z * np.exp(-0.5 * z * z) / sqrt(2.0 * pi)),
    "linear": (lambda z: z.copy(), np.ones_like),
}


def phi(name, z):
    """Hidden activation a = phi(z) (twin of kernels.activate)."""
    return PHI[name][0](z)


def phi_prime(name, z):
    """Derivative phi'(z) (twin of kernels.scale_by_activation_grad's factor)."""
    return PHI[name][1](z)


class Arch(NamedTuple):
    """Per hidden layer 1..L-1: its activation's name, batch normalization (true/false),
    dropout rate and residual link (true/false)."""
    act: tuple
    bn: tuple
    drop: tuple
    res: tuple


def arch_of(arch, hidden):
    """``arch`` as an ``Arch`` of ``hidden`` layers (an activation name: that activation
    in every layer and nothing else)."""
    if isinstance(arch, str):
        return Arch((arch,) * hidden, (False,) * hidden, (0.0,) * hidden, (False,) * hidden)
    return arch


class Trace(NamedTuple):
    """A forward pass, per layer (index 0 the inputs): z (y^l, phi's argument, where the
    layer normalizes), a, and of a training pass h = phi(y) and batch normalization's zhat
    and 1/sqrt(var + eps) (None where unused); y_hat = softmax(z^L), or z^L for one output."""
    z: list
    a: list
    y_hat: np.ndarray
    h: list
    zhat: list
    inv_std: list


def forward(params, arch, X, running=None, keep=None, train=False):
    """The ``Trace`` of points X: z^l = W^l a^(l-1) + b^l; in a hidden layer with batch
    normalization y^l = gamma zhat + beta, zhat = (z - mean) / sqrt(var + eps) with the
    running statistics, or if ``train`` the batch's (biased variance), which move the running
    ones (in place) by BN_MOMENTUM towards the mean and the unbiased variance; h^l =
    phi(y^l), a^l = h^l, times ``keep[l]`` if ``train`` with dropout, plus a^(l-1) with a
    residual link."""
    L = len(params)
    arch = arch_of(arch, L - 1)
    a, z, h, zhat, inv_std = [X.T], [None], [None], [None], [None]
    for l, (W, b, *norm) in enumerate(params, start=1):
        z.append(W @ a[-1] + b[:, None])
        h.append(None), zhat.append(None), inv_std.append(None)
        if l == L:
            a.append(z[-1])
            break
        if arch.bn[l - 1]:
            gamma, beta = norm
            mean, var = running[l]
            if train:
                B = z[-1].shape[1]
                mu, var_b = z[-1].mean(axis=1), z[-1].var(axis=1)
                mean += BN_MOMENTUM * (mu - mean)
                var += BN_MOMENTUM * (var_b * (B / (B - 1) if B > 1 else 1.0) - var)
                inv_std[-1] = 1.0 / np.sqrt(var_b + BN_EPS)
                zhat[-1] = (z[-1] - mu[:, None]) * inv_std[-1][:, None]
            else:
                zhat[-1] = (z[-1] - mean[:, None]) / np.sqrt(var + BN_EPS)[:, None]
            z[-1] = gamma[:, None] * zhat[-1] + beta[:, None]
        h[-1] = phi(arch.act[l - 1], z[-1])
        a.append(h[-1] * keep[l] if train and arch.drop[l - 1] > 0 else h[-1])
        if arch.res[l - 1]:
            a[-1] = a[-1] + a[-2]
    if z[-1].shape[0] == 1:
        return Trace(z, a, z[-1].copy(), h, zhat, inv_std)
    logits = z[-1] - z[-1].max(axis=0)
    y_hat = np.exp(logits) / np.exp(logits).sum(axis=0)
    return Trace(z, a, y_hat, h, zhat, inv_std)


def activations(params, arch, X, last, running=None):
    """[a^0, ..., a^last] of the points X, a^L being y_hat (twin of kernels.activations)."""
    trace = forward(params, arch, X, running)
    return (trace.a[:-1] + [trace.y_hat])[:last + 1]


_MASK64 = 2 ** 64 - 1


def next_random(rng):
    """(splitmix64's next 64-bit number, the new state) from the state ``rng`` (an int)."""
    rng = (rng + 0x9E3779B97F4A7C15) & _MASK64
    x = ((rng ^ (rng >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31), rng


def dropout_keep(arch, sizes, B, rng):
    """(the dropout scales of a batch of B points per layer, the generator's new state):
    for each layer with a rate p > 0, unit by unit and point by point, 0 if u < p else
    1 / (1 - p), u the top 53 bits of ``next_random`` as a fraction (twin of
    kernels.draw_keep)."""
    keep = [None] * len(sizes)
    for l, p in enumerate(arch.drop, start=1):
        if p > 0:
            u = np.empty(sizes[l] * B)
            for k in range(len(u)):
                x, rng = next_random(rng)
                u[k] = (x >> 11) * 2.0 ** -53
            keep[l] = np.where(u < p, 0.0, 1.0 / (1.0 - p)).reshape(sizes[l], B)
    return keep, rng


def onehot(y, classes):
    """(classes, n): column j is 1 in row y_j."""
    return np.eye(classes)[:, y.astype(int)]


def mean_loss(y_hat, y, loss="cross-entropy"):
    """Mean cross-entropy -log y_hat[y] of the labels y (``loss`` "squared": mean
    1/2 sum_c (y_hat_c - onehot(y)_c)^2), or with one output the mean 1/2 (y_hat - t)^2 of
    the targets t = y."""
    if y_hat.shape[0] == 1:
        return 0.5 * ((y_hat[0] - y) ** 2).mean()
    if loss == "squared":
        return 0.5 * ((y_hat - onehot(y, y_hat.shape[0])) ** 2).sum(axis=0).mean()
    return -np.log(y_hat[y.astype(int), np.arange(len(y))]).mean()


def evaluate(params, arch, X, y, l1=0.0, l2=0.0, loss="cross-entropy", running=None):
    """(mean loss + regularization, accuracy), for regression (mean 1/2 squared error +
    regularization, mean |y_hat - t|); NaN for no points (twin of kernels.evaluate)."""
    if len(y) == 0:
        return np.nan, np.nan
    y_hat = forward(params, arch, X, running).y_hat
    score = np.abs(y_hat[0] - y).mean() if y_hat.shape[0] == 1 else \
        (y_hat.argmax(axis=0) == y).mean()
    return mean_loss(y_hat, y, loss) + regularization(params, l1, l2), score


def regularization(params, l1, l2):
    """l1 sum|W| + l2/2 sum W^2 over all weight matrices (biases are not regularized)."""
    return sum(l1 * np.abs(W).sum() + 0.5 * l2 * (W * W).sum() for W, *_ in params)


def output_delta(y_hat, target, loss="cross-entropy"):
    """dL_j/dz^L_j of each point j (columns) for its loss L_j: y_hat - target (cross-entropy
    after a softmax, or 1/2 (y_hat - t)^2 of one linear output); for ``loss`` "squared" on
    the softmax, its Jacobian dy_hat/dz^L = diag(y_hat) - y_hat y_hat^T times y_hat - target."""
    error = y_hat - target
    if y_hat.shape[0] == 1 or loss != "squared":
        return error
    jacobians = np.einsum("cj,ck->jck", y_hat, np.eye(len(y_hat))) \
        - np.einsum("cj,kj->jck", y_hat, y_hat)                  # per point j: (C, C)
    return np.einsum("jck,kj->cj", jacobians, error)


def loss_and_grads(params, arch, X, y, l1=0.0, l2=0.0, loss="cross-entropy", running=None,
                   keep=None):
    """Mean cross-entropy (or, one output, mean 1/2 (y_hat - t)^2 with targets y) plus
    regularization of a training pass (``forward`` with ``train``), and its gradients
    [(dW, db), ...] ((dW, db, dgamma, dbeta) with batch normalization): delta^L =
    (y_hat - onehot(y)) / n (or (y_hat - t) / n), dW^l = delta^l a^(l-1)^T + l2 W^l +
    l1 sign(W^l), db^l = sum of delta^l over the points (exactly 0 where the layer normalizes:
    the batch mean cancels b^l); ``backward`` for the rest.

    ``loss`` "squared": L = mean 1/2 ||y_hat - onehot(y)||^2 on the softmax y_hat, whose
    Jacobian dy_hat/dz^L = diag(y_hat) - y_hat y_hat^T gives delta^L = (diag(y_hat) -
    y_hat y_hat^T)(y_hat - onehot(y)) / n."""
    trace = forward(params, arch, X, running, keep, train=True)
    y_hat = trace.y_hat
    n = X.shape[0]
    target = y[None, :] if y_hat.shape[0] == 1 else onehot(y, y_hat.shape[0])
    deltas, norm_grads = backward(params, arch, trace, output_delta(y_hat, target, loss) / n,
                                  keep)
    grads = [(delta @ a_in.T + l2 * W + l1 * np.sign(W),
              np.zeros(len(delta)) if norm else delta.sum(axis=1), *norm)
             for (W, *_), delta, a_in, norm in zip(params, deltas[1:], trace.a, norm_grads[1:])]
    return mean_loss(y_hat, y, loss) + regularization(params, l1, l2), grads


def backward(params, arch, trace, delta_out, keep=None, running=None):
    """(the deltas dL/dz of every layer, [None] for the inputs then layers 1..L; the
    gradients (dgamma, dbeta) of each layer, () where it does not normalize) of a training
    pass ``trace``, from the output layer's ``delta_out``: dL/da^(l-1) = W^l^T delta^l
    (+ dL/da^l through layer l's residual link), dL/dy^(l-1) = dL/da^(l-1) (* keep^(l-1))
    * phi'(y^(l-1)), and through batch normalization dgamma = sum_j dL/dy zhat, dbeta =
    sum_j dL/dy, delta^(l-1) = gamma inv_std (dL/dy - dbeta / B - zhat dgamma / B).

    With ``running`` (per layer its running (mean, var), as ``forward`` takes them) the
    pass is an evaluation-mode one: no dropout, and batch normalization is the per-unit
    affine map of the running statistics, delta^(l-1) = dL/dy gamma / sqrt(var + eps)."""
    L = len(params)
    arch = arch_of(arch, L - 1)
    deltas, norm_grads = [None] * (L + 1), [()] * (L + 1)
    deltas[L] = delta_out
    da_above = None                      # dL/da^l of layer l when it has a residual link
    for l in range(L, 1, -1):
        k = l - 1
        da = params[l - 1][0].T @ deltas[l]
        if l < L and arch.res[l - 1]:
            da = da + da_above
        da_above = da
        dropped = running is None and arch.drop[k - 1] > 0
        dy = (da * keep[k] if dropped else da) * phi_prime(arch.act[k - 1], trace.z[k])
        if arch.bn[k - 1]:
            gamma, B = params[k - 1][2], dy.shape[1]
            zhat = trace.zhat[k]
            d_gamma, d_beta = (dy * zhat).sum(axis=1), dy.sum(axis=1)
            norm_grads[k] = (d_gamma, d_beta)
            if running is None:
                dy = (gamma * trace.inv_std[k])[:, None] * (dy - d_beta[:, None] / B
                                                             - zhat * d_gamma[:, None] / B)
            else:
                dy = dy * (gamma / np.sqrt(running[k][1] + BN_EPS))[:, None]
        deltas[k] = dy
    return deltas, norm_grads


def optimizer_state(params):
    """Zeroed first/second moments and Adam's step count adam_t."""
    return {"m": [np.zeros_like(p) for wb in params for p in wb],
            "v": [np.zeros_like(p) for wb in params for p in wb], "adam_t": 0}


def step(params, grads, state, optimizer, eta):
    """One optimizer step in place (sgd, momentum or adam; twin of kernels.update)."""
    state["adam_t"] += 1
    adam_t = state["adam_t"]
    flat = [(p, g) for wb, gb in zip(params, grads) for p, g in zip(wb, gb)]
    for (p, g), m, v in zip(flat, state["m"], state["v"]):
        if optimizer == "sgd":
            p -= eta * g
        elif optimizer == "momentum":
            v *= MOMENTUM
            v += g
            p -= eta * v
        else:
            m[:] = ADAM_BETA1 * m + (1 - ADAM_BETA1) * g
            v[:] = ADAM_BETA2 * v + (1 - ADAM_BETA2) * g * g
            m_hat = m / (1 - ADAM_BETA1 ** adam_t)
            v_hat = v / (1 - ADAM_BETA2 ** adam_t)
            p -= eta * m_hat / (np.sqrt(v_hat) + ADAM_EPS)


def shuffle(n, rng):
    """(a random permutation of 0..n-1, the generator's new state) from the splitmix64
    state ``rng`` (an int): the same Fisher-Yates shuffle as kernels.shuffle."""
    order = np.arange(n)
    for i in range(n - 1, 0, -1):
        x, rng = next_random(rng)
        k = x % (i + 1)
        order[i], order[k] = order[k], order[i]
    return order, rng


def train_batches(params, state, arch, optimizer, eta, l1, l2, X, y, order, batch,
                  loss="cross-entropy", running=None, rng=0):
    """(whether every step finished, the generator's new state): mini-batch steps over the
    points in ``order`` (last short batch included), each with dropout scales from
    ``dropout_keep``; stops at a batch whose loss is not finite (the mini-batch loop of
    kernels.train_epochs)."""
    arch = arch_of(arch, len(params) - 1)
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, *_ in params]
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        keep, rng = dropout_keep(arch, sizes, len(idx), rng)
        value, grads = loss_and_grads(params, arch, X[idx], y[idx], l1, l2, loss, running, keep)
        if not np.isfinite(value):
            return False, rng
        step(params, grads, state, optimizer, eta)
    return True, rng


def train_epochs(params, state, arch, optimizer, eta, l1, l2, X, y, batch, epochs, rng,
                 X_test, y_test, loss="cross-entropy", running=None):
    """(epochs completed, their history rows, the generator's new state): each epoch a
    ``shuffle`` then ``train_batches``, stopping early when the run diverges, and a row
    (train loss, train accuracy, test loss, test accuracy) of ``evaluate`` after it (twin of
    kernels.train_epochs)."""
    history = []
    for e in range(epochs):
        order, rng = shuffle(len(y), rng)
        finished, rng = train_batches(params, state, arch, optimizer, eta, l1, l2, X, y, order,
                                      batch, loss, running, rng)
        if not finished or any(not (np.abs(p) <= DIVERGED_WEIGHT).all()
                               for wb in params for p in wb):
            return e, np.array(history).reshape(-1, 4), rng
        history.append(evaluate(params, arch, X, y, l1, l2, loss, running)
                       + evaluate(params, arch, X_test, y_test, l1, l2, loss, running))
    return epochs, np.array(history).reshape(-1, 4), rng
