"""Backprop for one point, every intermediate number kept: what the step-through shows and
``nnsim explain`` prints.

It follows the network in evaluation mode, as the boundary and the thumbnails are drawn:
batch normalization with its running statistics (zhat = (z - mean) / sqrt(var + eps),
y = gamma zhat + beta, a = phi(y)), no dropout, and residual links (a = phi(y) + a^(l-1)).
The forward pass is the NumPy reference's (``reference.forward``); the backward pass is the
gradient of that evaluation-mode loss, so on a network without batch normalization and
dropout it is exactly ``Network.loss_and_grads`` on the single point, without
regularization. (Training normalizes with the mini-batch's own statistics and drops
neurons at random; one point in evaluation mode is what the class sees on the screen.)
"""
import numpy as np

from . import reference
from .config import BN_EPS


def explain(net, x, label):
    """The forward and backward pass of ``net`` on one point (input features ``x``, class
    ``label``) in evaluation mode, as plain lists and floats:

    {"activation", "x", "label", "layers": [{"W", "b", "z", "a", "delta", "dW", "db",
    "activation", "residual", "dropout", "batch_norm"}, ...], "y_hat", "loss"}, one layer per
    weight matrix, the output layer last (its ``a`` is its z; ``y_hat`` = softmax of it);
    "activation" is the network's (a name, or one per hidden layer), each layer's its own
    ("linear" for the output layer); ``z`` = W a^(l-1) + b; "residual" whether the layer
    adds the one before (a = phi(.) + a^(l-1)); "dropout" its rate (0: none; evaluation
    drops nothing); "batch_norm" None, or {"mean", "var", "gamma", "beta", "zhat", "y",
    "dgamma", "dbeta"}: the running statistics, gamma and beta, zhat = (z - mean) /
    sqrt(var + eps), y = gamma zhat + beta (phi's argument) and the gradients of gamma and
    beta. ``loss`` is this point's loss: cross-entropy -log y_hat[label], or for a network on
    the squared error 1/2 sum_c (y_hat_c - t_c)^2; ``delta`` = dloss/dz and ``dW``, ``db``
    the gradients of that loss.

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
    params, arch, running = net.layers_of(net.theta), net.arch, net.running
    trace = reference.forward(params, arch, x[None, :], running)      # evaluation mode
    a, y_hat = trace.a, trace.y_hat
    t = np.eye(net.n_classes)[:, [label]]
    deltas, norm_grads = reference.backward(params, arch, trace,
                                            reference.output_delta(y_hat, t, net.loss),
                                            running=running)
    names, residual = arch.act + ("linear",), arch.res + (False,)
    drop, bn = arch.drop + (0.0,), arch.bn + (False,)
    layers = []
    for l, (W, b, *norm) in enumerate(params, start=1):
        z = W @ a[l - 1][:, 0] + b
        layer = {"W": W.tolist(), "b": b.tolist(), "z": z.tolist(), "a": a[l][:, 0].tolist(),
                 "delta": deltas[l][:, 0].tolist(), "dW": (deltas[l] @ a[l - 1].T).tolist(),
                 "db": deltas[l][:, 0].tolist(), "activation": names[l - 1],
                 "residual": residual[l - 1], "dropout": drop[l - 1], "batch_norm": None}
        if bn[l - 1]:
            mean, var = running[l]
            layer["batch_norm"] = {
                "mean": mean.tolist(), "var": var.tolist(), "gamma": norm[0].tolist(),
                "beta": norm[1].tolist(), "zhat": trace.zhat[l][:, 0].tolist(),
                "y": trace.z[l][:, 0].tolist(), "dgamma": norm_grads[l][0].tolist(),
                "dbeta": norm_grads[l][1].tolist()}
        layers.append(layer)
    logits = trace.z[-1][:, 0]
    top = logits.max()      # -log softmax, finite even where y_hat[label] underflows to 0
    loss = float(reference.mean_loss(y_hat, np.array([label]), "squared") if net.loss == "squared"
                 else top + np.log(np.exp(logits - top).sum()) - logits[label])
    return {"activation": net.activation, "x": x.tolist(), "label": int(label), "layers": layers,
            "y_hat": y_hat[:, 0].tolist(), "loss": loss}


def chain(explained, layer, unit):
    """The chain-rule factors of delta at hidden node (``layer``, ``unit``), layers counted
    from 1: (dloss/da = sum_k W^(l+1)_kj delta^(l+1)_k, plus dloss/da^(l+1)_j where layer
    l+1 adds this one by a residual link; the slope dloss/dz / dloss/da: phi'(z), or with
    batch normalization phi'(y) gamma / sqrt(var + eps); delta = their product). For an
    output node: (dloss/dz, 1, delta), dloss/dz being y_hat - t for cross-entropy."""
    layers = explained["layers"]
    delta = layers[layer - 1]["delta"][unit]
    if layer == len(layers):
        return delta, 1.0, delta
    return (float(upstream(explained, layer)[unit]), slope(layers[layer - 1], unit), delta)


def slope(layer, unit):
    """dz -> da of a hidden layer's unit: phi'(z), or phi'(y) gamma / sqrt(var + eps) where
    the layer normalizes (``layer`` as ``explain`` returns it)."""
    norm = layer["batch_norm"]
    y = np.array([norm["y"][unit] if norm else layer["z"][unit]])
    phi_slope = float(reference.phi_prime(layer["activation"], y)[0])
    return phi_slope * norm_scale(layer, unit) if norm else phi_slope


def norm_scale(layer, unit):
    """gamma / sqrt(var + eps) of a normalizing layer's unit: dy/dz in evaluation mode."""
    norm = layer["batch_norm"]
    return norm["gamma"][unit] / float(np.sqrt(norm["var"][unit] + BN_EPS))


def upstream(explained, layer):
    """dloss/da of hidden layer ``layer`` (from 1), per unit: W^(l+1)^T delta^(l+1), plus
    dloss/da^(l+1) when layer l+1 has a residual link (its sum passes a^l on unchanged)."""
    layers = explained["layers"]
    above = layers[layer]
    through_w = np.array(above["W"]).T @ np.array(above["delta"])
    if above["residual"]:
        return through_w + upstream(explained, layer + 1)
    return through_w
