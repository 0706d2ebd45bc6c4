"""Backprop for one point, every intermediate number kept: what the step-through shows and
``nnsim explain`` prints. It follows plain layers and residual links (a^l = phi(z^l) +
a^(l-1), the same in training and evaluation); batch normalization and dropout it does not
(on one point, training's batch statistics and masks are not what evaluation computes), and
it says which layers it cannot follow.

Computed by the NumPy reference (``reference.forward`` and ``reference.backward``), so it is
the same math as ``Network.loss_and_grads`` on that single point, without regularization.
"""
import numpy as np

from . import reference


def explain(net, x, label):
    """The forward and backward pass of ``net`` on one point (input features ``x``, class
    ``label``) as plain lists and floats:

    {"activation", "x", "label", "layers": [{"W", "b", "z", "a", "delta", "dW", "db",
    "activation", "residual"}, ...], "y_hat", "loss"}, one layer per weight matrix, the output
    layer last (its ``a`` is its z; ``y_hat`` = softmax of it); "activation" is the network's
    (a name, or one per hidden layer), each layer's its own ("linear" for the output layer);
    "residual" whether the layer adds the one before (a = phi(z) + a^(l-1)). ``loss`` is this point's loss: cross-entropy -log
    y_hat[label], or for a network on the squared error 1/2 sum_c (y_hat_c - t_c)^2;
    ``delta`` = dloss/dz and ``dW``, ``db`` the gradients of that loss.

    ValueError with one line for features that do not fit the network or are not finite,
    or a label that is not one of its classes, for a regression network, and for a network
    with batch normalization or dropout, naming those layers (``unfollowed``).
    """
    if net.regression:
        raise ValueError("explain follows a point of a classification network; this one regresses")
    if unfollowed(net):
        raise ValueError("explain follows plain layers and residual links only; it cannot follow "
                         + ", ".join(f"layer {l} ({' and '.join(KIND_NAMES[k] for k in kinds)})"
                                     for l, kinds in unfollowed(net)))
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (net.sizes[0],):
        raise ValueError(f"the point needs {net.sizes[0]} input features, not {x.size}")
    if not np.isfinite(x).all():
        raise ValueError("the point's features must be finite numbers")
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) \
            or not 0 <= label < net.n_classes:
        raise ValueError(f"the label must be a class 0 to {net.n_classes - 1}, not {label!r}")
    params = net.params
    trace = reference.forward(params, net.arch, x[None, :])
    z, a, y_hat = trace.z, trace.a, trace.y_hat
    t = np.eye(net.n_classes)[:, [label]]
    deltas, _ = reference.backward(params, net.arch, trace,
                                   reference.output_delta(y_hat, t, net.loss))
    names, residual = net.arch.act + ("linear",), net.arch.res + (False,)
    layers = [{"W": W.tolist(), "b": b.tolist(), "z": z[l][:, 0].tolist(),
               "a": a[l][:, 0].tolist(), "delta": deltas[l][:, 0].tolist(),
               "dW": (deltas[l] @ a[l - 1].T).tolist(), "db": deltas[l][:, 0].tolist(),
               "activation": names[l - 1], "residual": residual[l - 1]}
              for l, (W, b) in enumerate(params, start=1)]
    logits = z[-1][:, 0]
    top = logits.max()      # -log softmax, finite even where y_hat[label] underflows to 0
    loss = float(reference.mean_loss(y_hat, np.array([label]), "squared") if net.loss == "squared"
                 else top + np.log(np.exp(logits - top).sum()) - logits[label])
    return {"activation": net.activation, "x": x.tolist(), "label": int(label), "layers": layers,
            "y_hat": y_hat[:, 0].tolist(), "loss": loss}


def chain(explained, layer, unit):
    """The chain-rule factors of delta at hidden node (``layer``, ``unit``), layers counted
    from 1: (dloss/da = sum_k W^(l+1)_kj delta^(l+1)_k, plus dloss/da^(l+1)_j where layer
    l+1 adds this one by a residual link; phi'(z); delta = their product). For an output
    node: (dloss/dz, 1, delta), dloss/dz being y_hat - t for cross-entropy."""
    layers = explained["layers"]
    delta = layers[layer - 1]["delta"][unit]
    if layer == len(layers):
        return delta, 1.0, delta
    z = np.array([layers[layer - 1]["z"][unit]])
    return (float(upstream(explained, layer)[unit]),
            float(reference.phi_prime(layers[layer - 1]["activation"], z)[0]), delta)


def upstream(explained, layer):
    """dloss/da of hidden layer ``layer`` (from 1), per unit: W^(l+1)^T delta^(l+1), plus
    dloss/da^(l+1) when layer l+1 has a residual link (its sum passes a^l on unchanged)."""
    layers = explained["layers"]
    above = layers[layer]
    through_w = np.array(above["W"]).T @ np.array(above["delta"])
    if above["residual"]:
        return through_w + upstream(explained, layer + 1)
    return through_w


#: The English names of what ``unfollowed`` reports (the app says them in its language).
KIND_NAMES = {"batch_norm": "batch norm", "dropout": "dropout"}


def unfollowed(net):
    """The hidden layers the step-through and ``explain`` cannot follow, as (layer, what it
    adds: ("batch_norm",), ("dropout",) or both), layers counted from 1."""
    arch = net.arch
    kinds = [tuple(kind for kind, has in (("batch_norm", bn), ("dropout", drop > 0)) if has)
             for bn, drop in zip(arch.bn, arch.drop)]
    return [(l, what) for l, what in enumerate(kinds, start=1) if what]
