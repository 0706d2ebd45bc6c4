"""Backprop on one point through the deep layers, in evaluation mode (batch norm with its
running statistics, no dropout, residual links), in ``explain``, ``nnsim explain`` and the
step-through, with the network's own numbers: its evaluation-mode forward pass and loss, and
finite differences of that loss."""
import json

import numpy as np
import pygame
import pytest
from helpers import boundary, click, key

from nnsim.app.views.stepthrough_view import live_line, num
from nnsim.cli import main
from nnsim.core import ACTIVATIONS, Network, Session, Settings, feature_matrix_t
from nnsim.core.explain import chain, explain, upstream
from nnsim.lessons.text import set_language


def residual_net(seed, activation):
    """A network with residual links (layers 2, 3 and 5 of [2, 5, 5, 5, 3, 3, 3]), nonzero
    biases, and a point with its label."""
    net = Network([2, 5, 5, 5, 3, 3, 3], activation, seed=seed, residual=True)
    rng = np.random.default_rng(seed)
    for _W, b in net.params:
        b[:] = rng.normal(0, 0.3, b.shape)
    return net, rng.normal(0, 1.5, 2), int(rng.integers(0, 3))


def explained_as_forward(net, x, label):
    """``explain`` of the point, after checking its activations a^l and y_hat against the
    kernels' own (evaluation-mode) forward pass."""
    e = explain(net, x, label)
    acts = net.activations(x[None, :])
    for l, layer in enumerate(e["layers"][:-1], start=1):
        np.testing.assert_allclose(layer["a"], acts[l][:, 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(e["y_hat"], net.predict_proba(x[None, :])[0], rtol=1e-12)
    return e


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", range(3))
def test_explain_follows_residual_links_with_the_networks_own_numbers(activation, seed):
    net, x, label = residual_net(seed, activation)
    assert net.arch.res == (False, True, True, False, True)
    e = explained_as_forward(net, x, label)
    for layer, res in zip(e["layers"], net.arch.res):
        assert layer["residual"] == res
    loss, grads = net.loss_and_grads(x[None, :], [label])       # the kernels' backward pass
    assert e["loss"] == pytest.approx(loss, rel=1e-12)
    for layer, (dW, db) in zip(e["layers"], grads):
        np.testing.assert_allclose(layer["dW"], dW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer["db"], db, rtol=1e-10, atol=1e-12)


def test_the_chain_rule_carries_the_gradient_along_the_links():
    net, x, label = residual_net(5, "tanh")
    e = explain(net, x, label)
    for layer in range(1, 6):
        for unit in range(net.sizes[layer]):
            up, slope, delta = chain(e, layer, unit)
            assert up * slope == pytest.approx(delta, rel=1e-12, abs=1e-15)
    # layer 1 feeds layer 2 through W and through the link: dL/da^1 = W2^T delta2 + dL/da^2
    layers = e["layers"]
    np.testing.assert_allclose(upstream(e, 1), np.array(layers[1]["W"]).T @ layers[1]["delta"]
                               + upstream(e, 2), rtol=1e-12)
    # ...and that is dL/da^1, by finite differences on a^1 (here: on b^1 of a linear layer)
    lin = Network([2, 5, 5, 5, 3, 3, 3], ("linear", "tanh", "tanh", "tanh", "tanh"), seed=5,
                  residual=True)
    e = explain(lin, x, label)
    h, b = 1e-6, lin.params[0][1]
    for j in range(5):
        b[j] += h
        up = explain(lin, x, label)["loss"]
        b[j] -= 2 * h
        down = explain(lin, x, label)["loss"]
        b[j] += h
        assert (up - down) / (2 * h) == pytest.approx(upstream(e, 1)[j], rel=1e-6, abs=1e-9)


def deep_net(seed, activation="tanh"):
    """A trained-looking network with every deep layer: batch norm (layers 1 and 3, running
    statistics and gamma, beta away from their start), dropout (layers 2 and 3), residual
    links (2 and 3), nonzero biases; and a point with its label."""
    net = Network([2, 4, 4, 4, 3], activation, seed=seed, batch_norm=(True, False, True),
                  dropout=(0.0, 0.3, 0.5), residual=True)
    rng = np.random.default_rng(seed)
    for l in (1, 3):
        gamma, beta, mean, var = net.normalization(net.theta, l)
        gamma[:], beta[:] = rng.uniform(0.5, 1.5, 4), rng.normal(0, 0.3, 4)
        mean[:], var[:] = rng.normal(0, 0.5, 4), rng.uniform(0.3, 2.0, 4)
    for _W, b in net.params:
        b[:] = rng.normal(0, 0.3, b.shape)
    return net, rng.normal(0, 1.5, 2), int(rng.integers(0, 3))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", range(2))
def test_explain_follows_batch_norm_and_dropout_in_evaluation_mode(activation, seed):
    net, x, label = deep_net(seed, activation)
    e = explained_as_forward(net, x, label)
    for layer, bn, drop in zip(e["layers"], net.arch.bn, net.arch.drop):
        assert (layer["batch_norm"] is not None) == bn
        assert layer["dropout"] == drop
    assert e["loss"] == pytest.approx(net.evaluate(x[None, :], [label])[0], rel=1e-12)
    norm = e["layers"][0]["batch_norm"]
    mean, var = net.running[1]
    z = np.array(e["layers"][0]["z"])
    np.testing.assert_allclose(norm["zhat"], (z - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(norm["y"], np.array(norm["gamma"]) * norm["zhat"] + norm["beta"],
                               rtol=1e-12)


def test_its_gradients_are_those_of_the_evaluation_loss():
    """Every gradient explain gives (W, b, gamma, beta) against central differences of the
    network's own evaluation-mode loss on the point."""
    net, x, label = deep_net(4, "gelu")
    e = explain(net, x, label)
    grads = []
    for l, layer in enumerate(e["layers"], start=1):
        grads += [np.array(layer["dW"]).ravel(), np.array(layer["db"])]
    views = [p.ravel() for W, b in net.params for p in (W, b)]
    for l in (1, 3):
        gamma, beta = net.normalization(net.theta, l)[:2]
        norm = e["layers"][l - 1]["batch_norm"]
        views += [gamma, beta]
        grads += [np.array(norm["dgamma"]), np.array(norm["dbeta"])]
    h = 1e-6
    for view, grad in zip(views, grads):
        for i in range(len(view)):
            w = view[i]
            view[i] = w + h
            up = net.evaluate(x[None, :], [label])[0]
            view[i] = w - h
            down = net.evaluate(x[None, :], [label])[0]
            view[i] = w
            assert (up - down) / (2 * h) == pytest.approx(grad[i], rel=1e-5, abs=1e-9)
    for layer in (1, 2, 3):                     # the chain rule's factors, batch norm's included
        for unit in range(4):
            up, slope, delta = chain(e, layer, unit)
            assert up * slope == pytest.approx(delta, rel=1e-12, abs=1e-15)


def test_a_plain_network_is_explained_as_before_and_as_training_does(capsys):
    net, x, label = residual_net(2, "relu")
    loss, grads = net.loss_and_grads(x[None, :], [label])
    e = explain(net, x, label)
    assert e["loss"] == pytest.approx(loss, rel=1e-12)
    for layer, (dW, db) in zip(e["layers"], grads):
        np.testing.assert_allclose(layer["dW"], dW, rtol=1e-10, atol=1e-12)
    assert all(layer["batch_norm"] is None and layer["dropout"] == 0 for layer in e["layers"])
    assert main(["explain", "--hidden", "4,4", "--batch-norm", "0,1", "--dropout", "0.2",
                 "--point", "0.5,0.5", "--label", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["layers"][0]["batch_norm"] is None and set(doc["layers"][1]["batch_norm"]) == \
        {"mean", "var", "gamma", "beta", "zhat", "y", "dgamma", "dbeta"}
    assert [layer["dropout"] for layer in doc["layers"]] == [0.2, 0.2, 0.0]


def test_nnsim_explain_follows_a_residual_network(capsys):
    assert main(["explain", "--hidden", "4,4,4", "--residual", "--activation", "relu",
                 "--point", "0.5,-1", "--label", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [layer["residual"] for layer in doc["layers"]] == [False, True, True, False]
    net = Session(Settings(hidden=(4, 4, 4), residual=True, activation="relu")).net
    loss, grads = net.loss_and_grads(np.array([[0.5, -1.0]]), [1])
    assert doc["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(doc["layers"][1]["dW"], grads[1][0], rtol=1e-10, atol=1e-12)


def test_the_step_through_shows_a_residual_layers_sum(make_app):
    app = make_app(hidden=(4, 4), residual=True, activation="tanh")
    app.trainer.train_now(5)
    s = app.session
    index = np.flatnonzero(~s.test)[0]
    key(app, pygame.K_b)
    x, y = boundary(app).mapping.to_screen(s.X[index])[0]
    click(app, (round(x), round(y)))
    e = app.actions.stepper.explained
    assert e is not None and e["layers"][1]["residual"]
    features = feature_matrix_t(s.X[index:index + 1], s.settings.features).T
    np.testing.assert_allclose(e["layers"][1]["a"], s.net.activations(features)[2][:, 0], rtol=1e-12)
    names = ["x1", "x2"]
    forward = live_line("forward", e, (2, 1), s.settings.eta, names)
    a1 = e["layers"][0]["a"][1]
    assert forward.endswith(f"tanh({num(e['layers'][1]['z'][1])}) + {num(a1) if a1 >= 0 else f'({num(a1)})'}"
                            f" = {num(e['layers'][1]['a'][1])}")
    backward = live_line("backward", e, (1, 2), s.settings.eta, names)
    assert "∂L/∂a⁽ˡ⁺¹⁾ⱼ" in backward and backward.endswith(num(e["layers"][0]["delta"][2]))


@pytest.mark.parametrize("code", ["en", "de", "es"])
def test_the_step_through_follows_batch_norm_and_dropout_and_says_how(make_app, code):
    set_language(code)
    app = make_app(hidden=(4, 4, 4), batch_norm=(True, False, False), dropout=(0.0, 0.0, 0.3),
                   residual=True, language=code)
    app.trainer.train_now(5)
    s = app.session
    index = np.flatnonzero(~s.test)[2]
    key(app, pygame.K_b)
    x, y = boundary(app).mapping.to_screen(s.X[index])[0]
    click(app, (round(x), round(y)))
    e = app.actions.stepper.explained
    features = feature_matrix_t(s.X[index:index + 1], s.settings.features).T
    assert e["loss"] == pytest.approx(s.net.evaluate(features, [s.y[index]])[0], rel=1e-12)
    names = ["x1", "x2"]
    forward = live_line("forward", e, (1, 0), s.settings.eta, names)
    norm = e["layers"][0]["batch_norm"]
    assert f"= {num(norm['zhat'][0])}" in forward and f"= {num(norm['y'][0])}" in forward
    assert forward.endswith(f"= {num(e['layers'][0]['a'][0])}")
    backward = live_line("backward", e, (1, 3), s.settings.eta, names)
    assert "γ/√(σ² + ε)" in backward and backward.endswith(num(e["layers"][0]["delta"][3]))
    # Enter at the update takes the step on W, b, gamma and beta
    gamma = s.net.normalization(s.net.theta, 1)[0].copy()
    for _ in range(3):
        key(app, pygame.K_RIGHT)
    key(app, pygame.K_RETURN)
    eta = s.settings.eta
    np.testing.assert_allclose(s.net.normalization(s.net.theta, 1)[0],
                               gamma - eta * np.array(norm["dgamma"]), rtol=1e-12)
