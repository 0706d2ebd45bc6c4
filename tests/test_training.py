"""Training behaviour: learning happens, runs are deterministic, divergence is a state."""
import numpy as np
import pytest

from nnsim.core import Network, Session, Settings, make_dataset


def xor_run(hidden, epochs=300):
    X, y = make_dataset("xor", n=200, noise=0.0, seed=0)
    net = Network([2, *hidden, 2], activation="tanh", seed=0)
    for _ in range(epochs):
        net.train_epoch(X, y, eta=0.03, batch=10)
    return net.evaluate(X, y)


def test_one_hidden_layer_solves_xor():
    loss, accuracy = xor_run([4])
    assert accuracy >= 0.95 and loss < 0.2


def test_no_hidden_layer_cannot_solve_xor():
    loss, accuracy = xor_run([])
    # A line can at best cut off one quadrant (75%); the loss stays near chance, ln 2.
    assert loss > 0.6 and accuracy <= 0.8


def test_same_seed_gives_identical_losses():
    X, y = make_dataset("spiral", n=300, noise=0.1, seed=3)

    def losses(seed):
        net = Network([2, 8, 8, 2], activation="relu", seed=seed, optimizer="adam", l2=1e-3)
        out = []
        for _ in range(20):
            net.train_epoch(X, y, eta=0.01, batch=16)
            out.append(net.evaluate(X, y)[0])
        return out

    assert losses(5) == losses(5)
    assert losses(5) != losses(6)


def test_fused_epochs_equal_single_epochs():
    X, y = make_dataset("moons", n=150, noise=0.2, seed=0)
    one, many = Network([2, 6, 2], seed=1), Network([2, 6, 2], seed=1)
    for _ in range(7):
        one.train_epoch(X, y, 0.05, 32)
    assert many.train_epochs(X, y, 0.05, 32, 7) == 7
    np.testing.assert_array_equal(one.theta, many.theta)


def test_epoch_takes_ceil_n_over_batch_steps():
    X, y = make_dataset("circle", n=100, seed=0)
    net = Network([2, 4, 2], seed=0)
    net.train_epoch(X, y, 0.01, 32)
    assert net.steps == 4                      # 32 + 32 + 32 + 4: the short batch is used
    net.train_epoch(X, y, 0.01, 0)
    assert net.steps == 5                      # batch 0 means the full set


def test_divergence_is_reported_not_raised():
    X, y = make_dataset("spiral", n=200, seed=0)
    net = Network([2, 8, 8, 2], activation="leaky_relu", seed=0, optimizer="momentum")
    done = net.train_epochs(X, y, eta=1.0, batch=32, epochs=100)
    assert net.diverged and done < 100
    assert np.abs(net.theta).max() > 1e6 or not np.isfinite(net.theta).all()
    assert net.train_epoch(X, y, eta=0.01) == 0          # a diverged run stays stopped
    net.reset(0)
    assert not net.diverged and np.isfinite(net.evaluate(X, y)[0])


def test_nan_weights_mark_divergence():
    X, y = make_dataset("xor", n=20, seed=0)
    net = Network([2, 3, 2], seed=0)
    net.params[0][0][0, 0] = np.nan
    loss, _ = net.evaluate(X, y)
    assert np.isnan(loss) and net.diverged


def test_grad_norms_follow_each_step():
    X, y = make_dataset("xor", n=64, seed=0)
    net = Network([2, 5, 5, 2], activation="sigmoid", seed=0)
    net.train_epoch(X, y, 0.01, 64)            # one full-batch step, from the initial weights
    fresh = Network([2, 5, 5, 2], activation="sigmoid", seed=0)
    _, grads = fresh.loss_and_grads(X, y)
    np.testing.assert_allclose(net.grad_norms, [np.abs(W).mean() for W, _ in grads], rtol=1e-9)


@pytest.mark.parametrize("bad, message", [
    (dict(sizes=[2] + [4] * 17 + [2]), "at most 16 hidden layers"),
    (dict(sizes=[2, 65, 2]), "1 to 64 neurons"),
    (dict(sizes=[2, 4, 4]), "1 output \\(regression\\) or 2 to 3 classes"),
    (dict(activation="swish"), "unknown activation"),
    (dict(optimizer="rmsprop"), "unknown optimizer"),
])
def test_invalid_networks_are_rejected(bad, message):
    args = dict(sizes=[2, 4, 2]) | bad
    with pytest.raises(ValueError, match=message):
        Network(args.pop("sizes"), **args)


def test_invalid_training_arguments_are_rejected():
    X, y = make_dataset("xor", n=20, seed=0)
    net = Network([2, 3, 2])
    with pytest.raises(ValueError, match="learning rate"):
        net.train_epoch(X, y, eta=-1)
    with pytest.raises(ValueError, match="batch size"):
        net.train_epoch(X, y, eta=0.1, batch=1000)
    with pytest.raises(ValueError, match="labels"):
        net.train_epoch(X, y + 5, eta=0.1)
    with pytest.raises(ValueError, match="shape"):
        net.train_epoch(np.c_[X, X], y, eta=0.1)


def test_dead_relu_layers_are_found():
    X, y = make_dataset("spiral", n=200, seed=0)
    net = Network([2, 8, 8, 2], activation="relu", seed=0)
    assert net.dead_layers(X) == []
    net.params[1][0][:] = 0.0                  # layer 2: no weights and negative biases
    net.params[1][1][:] = -1.0
    assert net.dead_layers(X) == [2]


def test_switching_optimizer_starts_its_state_afresh():
    s = Session(Settings(optimizer="momentum", eta=0.05, activation="relu"))
    s.train(20)
    assert np.abs(s.net.state()["v"]).max() > 0      # momentum's velocity, some of it < 0
    steps = s.net.steps
    s.update(optimizer="adam")
    state = s.net.state()
    assert not state["v"].any() and not state["m"].any() and state["optimizer_steps"] == 0
    s.train(20)
    assert np.isfinite(s.net.theta).all() and not s.net.diverged
    assert s.net.steps == steps + 20 * 8 and s.net.state()["optimizer_steps"] == 20 * 8   # 250 points / 32
