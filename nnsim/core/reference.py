"""Plain-NumPy reference of the engine's math: slow, obviously correct, used by the tests.

Same conventions as the kernels: ``params`` is a list of (W, b) with W of shape (out, in);
activations are stored (units, points).
"""
import numpy as np
from math import erf, sqrt, pi

from .config import ADAM_BETA1, ADAM_BETA2, ADAM_EPS, LEAKY_SLOPE, MOMENTUM

_erf = np.vectorize(erf)


def phi(name, z):
    """Hidden activation a = phi(z)."""
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "gelu":
        return 0.5 * z * (1.0 + _erf(z / sqrt(2.0)))
    return z.copy()


def phi_prime(name, z):
    """Derivative phi'(z)."""
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 - s)
    if name == "gelu":
        return 0.5 * (1.0 + _erf(z / sqrt(2.0))) + z * np.exp(-0.5 * z * z) / sqrt(2.0 * pi)
    return np.ones_like(z)


def forward(params, activation, X):
    """Returns the lists z and a of every layer (a[0] = X^T) and y_hat = softmax(z^L), or
    y_hat = z^L for a regression network (one output)."""
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


def regularization(params, l1, l2):
    """l1 sum|W| + l2/2 sum W^2 over all weight matrices (biases are not regularized)."""
    return sum(l1 * np.abs(W).sum() + 0.5 * l2 * (W * W).sum() for W, _ in params)


def loss_and_grads(params, activation, X, y, l1=0.0, l2=0.0):
    """Mean cross-entropy (or, one output, mean 1/2 (y_hat - t)^2 with targets y) plus
    regularization, and its gradients [(dW, db), ...]."""
    z, a, y_hat = forward(params, activation, X)
    n = X.shape[0]
    if y_hat.shape[0] == 1:
        error = y_hat[0] - y
        loss = 0.5 * (error ** 2).mean() + regularization(params, l1, l2)
        deltas = backward(params, activation, z, error[None, :] / n)
    else:
        onehot = np.eye(y_hat.shape[0])[:, y]
        loss = -np.log(y_hat[y, np.arange(n)]).mean() + regularization(params, l1, l2)
        deltas = backward(params, activation, z, (y_hat - onehot) / n)
    grads = [(delta @ a_in.T + l2 * W + l1 * np.sign(W), delta.sum(axis=1))
             for (W, _), delta, a_in in zip(params, deltas[1:], a)]
    return loss, grads


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
    """One optimizer step in place (sgd, momentum or adam; see kernels.update)."""
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


def train_batches(params, state, activation, optimizer, eta, l1, l2, X, y, order, batch):
    """Mini-batch steps over the points in ``order`` (last short batch included)."""
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        _, grads = loss_and_grads(params, activation, X[idx], y[idx], l1, l2)
        step(params, grads, state, optimizer, eta)
