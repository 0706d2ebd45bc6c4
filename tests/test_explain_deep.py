"""Backprop on one point through residual links, in ``explain``, ``nnsim explain`` and the
step-through, with the network's own numbers; batch norm and dropout refused in one line
that names exactly the layers."""
import json

import numpy as np
import pygame
import pytest
from helpers import boundary, click, key

from nnsim.app.views.stepthrough_view import live_line, num
from nnsim.cli import main
from nnsim.core import ACTIVATIONS, Network, Session, Settings, feature_matrix_t
from nnsim.core.explain import chain, explain, unfollowed, upstream
from nnsim.lessons.text import _, set_language


def residual_net(seed, activation):
    """A network with residual links (layers 2, 3 and 5 of [2, 5, 5, 5, 3, 3, 3]), nonzero
    biases, and a point with its label."""
    net = Network([2, 5, 5, 5, 3, 3, 3], activation, seed=seed, residual=True)
    rng = np.random.default_rng(seed)
    for _W, b in net.params:
        b[:] = rng.normal(0, 0.3, b.shape)
    return net, rng.normal(0, 1.5, 2), int(rng.integers(0, 3))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", range(3))
def test_explain_follows_residual_links_with_the_networks_own_numbers(activation, seed):
    net, x, label = residual_net(seed, activation)
    assert net.arch.res == (False, True, True, False, True) and unfollowed(net) == []
    e = explain(net, x, label)
    acts = net.activations(x[None, :])                 # the kernels' forward pass
    for l, layer in enumerate(e["layers"][:-1], start=1):
        np.testing.assert_allclose(layer["a"], acts[l][:, 0], rtol=1e-12, atol=1e-12)
        assert layer["residual"] == net.arch.res[l - 1]
    np.testing.assert_allclose(e["y_hat"], net.predict_proba(x[None, :])[0], rtol=1e-12)
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


def test_batch_norm_and_dropout_are_refused_naming_exactly_those_layers(capsys):
    net = Network([2, 4, 4, 4, 4, 2], batch_norm=(True, False, True, False),
                  dropout=(0.0, 0.0, 0.2, 0.3), residual=True)
    assert unfollowed(net) == [(1, ("batch_norm",)), (3, ("batch_norm", "dropout")), (4, ("dropout",))]
    with pytest.raises(ValueError) as error:
        explain(net, [0.1, 0.2], 0)
    assert str(error.value).endswith("cannot follow layer 1 (batch norm), layer 3 (batch norm "
                                     "and dropout), layer 4 (dropout)")
    with pytest.raises(SystemExit) as code:
        main(["explain", "--hidden", "4,4", "--batch-norm", "0,1", "--point", "0.5,0.5",
              "--label", "1"])
    assert code.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("cannot follow layer 2 (batch norm)")


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
def test_the_step_through_refusal_names_the_layers(make_app, code):
    set_language(code)
    app = make_app(hidden=(4, 4, 4), batch_norm=(True, False, False), dropout=(0.0, 0.0, 0.3),
                   residual=True, language=code)
    key(app, pygame.K_b)
    assert not app.actions.stepper.active
    layers = ", ".join([_("stepthrough.unfollowed_layer", l=1, what=_("stepthrough.kind.batch_norm")),
                        _("stepthrough.unfollowed_layer", l=3, what=_("stepthrough.kind.dropout"))])
    assert app.ui.message == _("toast.stepthrough_unfollowed", layers=layers)
    assert "2" not in layers                  # the residual layer 2 is followed
