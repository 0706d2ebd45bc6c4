"""Backprop for one point, every intermediate number kept: what the step-through shows and
``nnsim explain`` prints.

Computed by the NumPy reference (``reference.forward`` and ``reference.backward``), so it is
the same math as ``Network.loss_and_grads`` on that single point, without regularization.
"""
import numpy as np

from . import reference


def explain(net, x, label):
    """The forward and backward pass of ``net`` on one point (input features ``x``, class
    ``label``) as plain lists and floats:

    {"activation", "x", "label", "layers": [{"W", "b", "z", "a", "delta", "dW", "db"}, ...],
     "y_hat", "loss"}, one layer per weight matrix, the output layer last (its ``a`` is its
    z; ``y_hat`` = softmax of it). ``loss`` is this point's loss: cross-entropy -log
    y_hat[label], or for a network on the squared error 1/2 sum_c (y_hat_c - t_c)^2;
    ``delta`` = dloss/dz and ``dW``, ``db`` the gradients of that loss.

    ValueError with one line for features that do not fit the network or are not finite,
    or a label that is not one of its classes, and for a regression network.
    """
    if net.regression:
        raise ValueError("explain follows a point of a classification network; this one regresses")
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (net.sizes[0],):
        raise ValueError(f"the point needs {net.sizes[0]} input features, not {x.size}")
    if not np.isfinite(x).all():
        raise ValueError("the point's features must be finite numbers")
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) \
            or not 0 <= label < net.n_classes:
        raise ValueError(f"the label must be a class 0 to {net.n_classes - 1}, not {label!r}")
    params = net.params
    z, a, y_hat = reference.forward(params, net.activation, x[None, :])
    t = np.eye(net.n_classes)[:, [label]]
    deltas = reference.backward(params, net.activation, z, reference.output_delta(y_hat, t, net.loss))
    layers = [{"W": W.tolist(), "b": b.tolist(), "z": z[l][:, 0].tolist(),
               "a": a[l][:, 0].tolist(), "delta": deltas[l][:, 0].tolist(),
               "dW": (deltas[l] @ a[l - 1].T).tolist(), "db": deltas[l][:, 0].tolist()}
              for l, (W, b) in enumerate(params, start=1)]
    logits = z[-1][:, 0]
    top = logits.max()      # -log softmax, finite even where y_hat[label] underflows to 0
    loss = float(reference.mean_loss(y_hat, np.array([label]), "squared") if net.loss == "squared"
                 else top + np.log(np.exp(logits - top).sum()) - logits[label])
    return {"activation": net.activation, "x": x.tolist(), "label": int(label), "layers": layers,
            "y_hat": y_hat[:, 0].tolist(), "loss": loss}


def chain(explained, layer, unit):
    """The chain-rule factors of delta at hidden node (``layer``, ``unit``), layers counted
    from 1: (dloss/da = sum_k W^(l+1)_kj delta^(l+1)_k, phi'(z), delta = their product).
    For an output node: (dloss/dz, 1, delta), dloss/dz being y_hat - t for cross-entropy."""
    layers = explained["layers"]
    delta = layers[layer - 1]["delta"][unit]
    if layer == len(layers):
        return delta, 1.0, delta
    above = layers[layer]
    upstream = sum(row[unit] * d for row, d in zip(above["W"], above["delta"]))
    z = np.array([layers[layer - 1]["z"][unit]])
    return upstream, float(reference.phi_prime(explained["activation"], z)[0]), delta
