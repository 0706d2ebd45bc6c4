"""Plain-NumPy reference of the engine's math: slow, obviously correct, used by the tests.

Every kernel of ``kernels`` has its twin here (the tests compare them to 1e-12):
``forward`` (kernels.forward; its y_hat is what predict, predict_parallel and
``Network.predict_proba`` return), ``activations``, ``evaluate``, ``regularization``,
``loss_and_grads`` (with ``backward``), ``step`` (kernels.update), ``shuffle``,
``train_batches`` and ``train_epochs``; ``PHI`` holds phi and phi' of every activation.

Same conventions as the kernels: ``params`` is a list of (W, b) with W of shape (out, in);
activations are stored (units, points); a network with one output regresses.
"""
from math import erf, pi, sqrt

import numpy as np

from .config import ADAM_BETA1, ADAM_BETA2, ADAM_EPS, DIVERGED_WEIGHT, LEAKY_SLOPE, MOMENTUM

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


def forward(params, activation, X):
    """Returns the lists z and a of every layer (a[0] = X^T), z^l = W^l a^(l-1) + b^l and
    a^l = phi(z^l), and y_hat = softmax(z^L), or y_hat = z^L for a regression network (one
    output)."""
    a = [X.T]
    z = [None]
    for l, (W, b) in enumerate(params, start=1):
        z.append(W @ a[-1] + b[:, None])
        a.append(phi(activation, z[-1]) if l < len(params) else z[-1])
    if z[-1].shape[0] == 1:
        return z, a, z[-1].copy()
    logits = z[-1] - z[-1].max(axis=0)
    y_hat = np.exp(logits) / np.exp(logits).sum(axis=0)
    return z, a, y_hat


def activations(params, activation, X, last):
    """[a^0, ..., a^last] of the points X, a^L being y_hat (twin of kernels.activations)."""
    _, a, y_hat = forward(params, activation, X)
    return (a[:-1] + [y_hat])[:last + 1]


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


def evaluate(params, activation, X, y, l1=0.0, l2=0.0, loss="cross-entropy"):
    """(mean loss + regularization, accuracy), for regression (mean 1/2 squared error +
    regularization, mean |y_hat - t|); NaN for no points (twin of kernels.evaluate)."""
    if len(y) == 0:
        return np.nan, np.nan
    _, _, y_hat = forward(params, activation, X)
    score = np.abs(y_hat[0] - y).mean() if y_hat.shape[0] == 1 else \
        (y_hat.argmax(axis=0) == y).mean()
    return mean_loss(y_hat, y, loss) + regularization(params, l1, l2), score


def regularization(params, l1, l2):
    """l1 sum|W| + l2/2 sum W^2 over all weight matrices (biases are not regularized)."""
    return sum(l1 * np.abs(W).sum() + 0.5 * l2 * (W * W).sum() for W, _ in params)


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


def loss_and_grads(params, activation, X, y, l1=0.0, l2=0.0, loss="cross-entropy"):
    """Mean cross-entropy (or, one output, mean 1/2 (y_hat - t)^2 with targets y) plus
    regularization, and its gradients [(dW, db), ...]: delta^L = (y_hat - onehot(y)) / n
    (or (y_hat - t) / n), dW^l = delta^l a^(l-1)^T + l2 W^l + l1 sign(W^l), db^l = sum of
    delta^l over the points.

    ``loss`` "squared": L = mean 1/2 ||y_hat - onehot(y)||^2 on the softmax y_hat, whose
    Jacobian dy_hat/dz^L = diag(y_hat) - y_hat y_hat^T gives delta^L = (diag(y_hat) -
    y_hat y_hat^T)(y_hat - onehot(y)) / n."""
    z, a, y_hat = forward(params, activation, X)
    n = X.shape[0]
    target = y[None, :] if y_hat.shape[0] == 1 else onehot(y, y_hat.shape[0])
    deltas = backward(params, activation, z, output_delta(y_hat, target, loss) / n)
    grads = [(delta @ a_in.T + l2 * W + l1 * np.sign(W), delta.sum(axis=1))
             for (W, _), delta, a_in in zip(params, deltas[1:], a)]
    return mean_loss(y_hat, y, loss) + regularization(params, l1, l2), grads


def backward(params, activation, z, delta_out):
    """The deltas dL/dz of every layer ([None] for the inputs, then layers 1..L), from the
    output layer's ``delta_out``: delta^(l-1) = (W^l^T delta^l) * phi'(z^(l-1))."""
    deltas = [delta_out]
    for l in range(len(params), 1, -1):
        deltas.append((params[l - 1][0].T @ deltas[-1]) * phi_prime(activation, z[l - 1]))
    return [None] + deltas[::-1]


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


_MASK64 = 2 ** 64 - 1


def shuffle(n, rng):
    """(a random permutation of 0..n-1, the generator's new state) from the splitmix64
    state ``rng`` (an int): the same Fisher-Yates shuffle as kernels.shuffle."""
    order = np.arange(n)
    for i in range(n - 1, 0, -1):
        rng = (rng + 0x9E3779B97F4A7C15) & _MASK64
        x = ((rng ^ (rng >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
        k = (x ^ (x >> 31)) % (i + 1)
        order[i], order[k] = order[k], order[i]
    return order, rng


def train_batches(params, state, activation, optimizer, eta, l1, l2, X, y, order, batch,
                  loss="cross-entropy"):
    """Mini-batch steps over the points in ``order`` (last short batch included); False
    (stopping) at a batch whose loss is not finite (twin of kernels.train_batches)."""
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        value, grads = loss_and_grads(params, activation, X[idx], y[idx], l1, l2, loss)
        if not np.isfinite(value):
            return False
        step(params, grads, state, optimizer, eta)
    return True


def train_epochs(params, state, activation, optimizer, eta, l1, l2, X, y, batch, epochs, rng,
                 X_test, y_test, loss="cross-entropy"):
    """(epochs completed, their history rows, the generator's new state): each epoch a
    ``shuffle`` then ``train_batches``, stopping early when the run diverges, and a row
    (train loss, train accuracy, test loss, test accuracy) of ``evaluate`` after it (twin of
    kernels.train_epochs)."""
    history = []
    for e in range(epochs):
        order, rng = shuffle(len(y), rng)
        if not train_batches(params, state, activation, optimizer, eta, l1, l2, X, y, order,
                             batch, loss) or any(not (np.abs(p) <= DIVERGED_WEIGHT).all()
                                                 for wb in params for p in wb):
            return e, np.array(history).reshape(-1, 4), rng
        history.append(evaluate(params, activation, X, y, l1, l2, loss)
                       + evaluate(params, activation, X_test, y_test, l1, l2, loss))
    return epochs, np.array(history).reshape(-1, 4), rng
