"""One point's backprop (core.explain) against Network.loss_and_grads and finite differences."""
import json

import numpy as np
import pytest
from helpers import random_case

from nnsim.cli import main
from nnsim.core import ACTIVATIONS, Network, Session, Settings, scenario
from nnsim.core.config import LOSSES
from nnsim.core.explain import chain, explain


def single_point(seed, activation):
    net, X, y = random_case(seed, activation)
    net.l1 = net.l2 = 0.0
    return net, X[0], int(y[0])


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("case", range(4))
def test_gradients_are_those_of_loss_and_grads_on_the_point(activation, case, loss):
    net, x, label = single_point(7 * case + ACTIVATIONS.index(activation), activation)
    net.loss = loss
    e = explain(net, x, label)
    loss, grads = net.loss_and_grads(x[None, :], [label])
    assert e["loss"] == pytest.approx(loss, rel=1e-12, abs=1e-12)
    assert len(e["layers"]) == len(grads)
    for layer, (dW, db) in zip(e["layers"], grads):
        np.testing.assert_allclose(layer["dW"], dW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer["db"], db, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "gelu", "sigmoid"])
def test_gradients_match_finite_differences(activation):
    net, x, label = single_point(3, activation)
    e = explain(net, x, label)
    h = 1e-6
    for layer, (W, b) in zip(e["layers"], net.params):
        for p, g in ((W, np.array(layer["dW"])), (b, np.array(layer["db"]))):
            for i in np.ndindex(p.shape):
                w = p[i]
                p[i] = w + h
                up = explain(net, x, label)["loss"]
                p[i] = w - h
                down = explain(net, x, label)["loss"]
                p[i] = w
                assert (up - down) / (2 * h) == pytest.approx(g[i], rel=1e-5, abs=1e-8)


def test_forward_numbers_are_the_networks():
    net = Network([2, 3, 2], "relu", seed=1)
    x = np.array([0.5, -1.5])
    e = explain(net, x, 1)
    (W1, b1), (W2, b2) = net.params
    z1 = W1 @ x + b1
    np.testing.assert_allclose(e["layers"][0]["z"], z1)
    np.testing.assert_allclose(e["layers"][0]["a"], np.maximum(z1, 0))
    z2 = W2 @ np.maximum(z1, 0) + b2
    assert e["layers"][1]["a"] == e["layers"][1]["z"]
    np.testing.assert_allclose(e["y_hat"], np.exp(z2) / np.exp(z2).sum())
    np.testing.assert_allclose(e["layers"][1]["delta"], np.array(e["y_hat"]) - [0, 1])
    np.testing.assert_allclose(e["y_hat"], net.predict_proba(x[None, :])[0], rtol=1e-12)


def test_chain_rule_factors_multiply_to_delta():
    net = Network([2, 4, 3, 2], "tanh", seed=2)
    e = explain(net, [0.3, -0.7], 0)
    for layer in (1, 2, 3):
        for unit in range(net.sizes[layer]):
            upstream, slope, delta = chain(e, layer, unit)
            assert upstream * slope == pytest.approx(delta, rel=1e-12, abs=1e-15)
            assert delta == e["layers"][layer - 1]["delta"][unit]


def test_a_confident_wrong_prediction_has_a_finite_loss():
    net = Network([1, 2], "linear", seed=0)
    net.params[0][0][:] = [[1000.0], [-1000.0]]
    assert explain(net, [1.0], 1)["loss"] == pytest.approx(2000.0)


@pytest.mark.parametrize("x, label, message", [
    ([np.nan, 0.0], 0, "finite"),
    ([0.0], 0, "needs 2 input features"),
    ([0.0, 0.0], 2, "class 0 to 1"),
    ([0.0, 0.0], -1, "class 0 to 1"),
    ([0.0, 0.0], True, "class 0 to 1"),
])
def test_bad_point_or_label_is_one_line(x, label, message):
    with pytest.raises(ValueError, match=message):
        explain(Network([2, 2], "tanh"), x, label)


# -- nnsim explain ---------------------------------------------------------------------------

def explain_cli(capsys, *args):
    assert main(["explain", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_explains_with_extra_features_and_the_squared_error(capsys):
    doc = explain_cli(capsys, "--extra-feature", "x1*x2^2", "--loss", "squared", "--point",
                      "0.5,-2", "--label", "0")
    assert doc["x"] == [0.5, -2.0, 2.0]
    net = Session(Settings(extra_features=("x1*x2^2",), loss="squared")).net
    loss, grads = net.loss_and_grads(np.array([[0.5, -2.0, 2.0]]), [0])
    assert doc["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(doc["layers"][0]["dW"], grads[0][0], rtol=1e-10)


def test_cli_explains_a_fresh_network_of_the_settings(capsys):
    doc = explain_cli(capsys, "--hidden", "3", "--activation", "relu", "--features", "x1,x2,x1^2",
                      "--seed", "4", "--point", "0.5,-2", "--label", "1")
    assert set(doc) == {"activation", "x", "label", "layers", "y_hat", "loss"}
    assert doc["activation"] == "relu" and doc["label"] == 1 and doc["x"] == [0.5, -2.0, 0.25]
    assert [set(layer) for layer in doc["layers"]] == [{"W", "b", "z", "a", "delta", "dW", "db", "activation",
                                                  "residual", "dropout", "batch_norm"}] * 2
    net = Session(Settings(hidden=(3,), activation="relu", features=("x1", "x2", "x1^2"),
                           seed=4)).net
    loss, grads = net.loss_and_grads(np.array([[0.5, -2.0, 0.25]]), [1])
    assert doc["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(doc["layers"][0]["dW"], grads[0][0])
    assert sum(doc["y_hat"]) == pytest.approx(1.0)


def test_cli_explains_a_saved_network_without_regularization(capsys, tmp_path):
    session = Session(Settings(dataset="blobs3", hidden=(4, 2), l2=0.1, seed=2))
    session.train(5)
    path = tmp_path / "lesson.json"
    scenario.save(session, path)
    doc = explain_cli(capsys, "--load", str(path), "--point", "1,1", "--label", "2")
    net = session.net
    net.l2 = 0.0
    loss, grads = net.loss_and_grads(np.array([[1.0, 1.0]]), [2])
    assert doc["loss"] == pytest.approx(loss)
    for layer, (dW, db) in zip(doc["layers"], grads):
        np.testing.assert_allclose(layer["dW"], dW, atol=1e-12)
        np.testing.assert_allclose(layer["db"], db, atol=1e-12)
    np.testing.assert_allclose(doc["layers"][-1]["W"], session.net.params[-1][0])


@pytest.mark.parametrize("args, message", [
    (["--point", "nan,1", "--label", "0"], "must be finite"),
    (["--point", "1", "--label", "0"], "expected a point"),
    (["--point", "1,1", "--label", "2"], "class 0 to 1"),
    (["--point", "1,1"], "required: --label"),
    (["--point", "1,1", "--label", "0", "--load", "missing.json"], "does not exist"),
    (["--point", "1,1", "--label", "0", "--load", "x.json", "--hidden", "3"],
     "--hidden cannot be used with --load"),
    (["--point", "1,1", "--label", "0", "--lr", "99"], "learning rate"),
])
def test_cli_bad_input_is_one_line_and_exit_2(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("nnsim explain: error:")


def test_cli_bad_scenario_file_is_one_line(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "--load", str(path), "--point", "0,0", "--label", "0"])
    assert exit_info.value.code == 2 and capsys.readouterr().err.count("\n") == 1
