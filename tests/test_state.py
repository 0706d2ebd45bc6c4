"""Network.state() and load_state(): bit-exact round trips and refusals; the bounded
cache of work buffers."""
import numpy as np
import pytest

from nnsim.core import Network, make_dataset
from nnsim.core.network import CACHED_BATCH_SIZES


def trained(optimizer="adam", seed=0, epochs=3):
    X, y = make_dataset("circle", n=120, seed=seed)
    net = Network([2, 6, 5, 2], "tanh", seed=seed, optimizer=optimizer)
    net.train_epochs(X, y, 0.02, 16, epochs)
    return net, X, y


def assert_same_state(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_load_state_continues_training_bit_for_bit(optimizer):
    a, X, y = trained(optimizer)
    b = Network(a.sizes, a.activation, seed=99, optimizer=optimizer)
    b.load_state(a.state())
    assert_same_state(b.state(), a.state())
    a.train_epochs(X, y, 0.02, 16, 4)
    b.train_epochs(X, y, 0.02, 16, 4)            # same moments, step counts and shuffles
    assert_same_state(b.state(), a.state())
    assert a.steps == 7 * 8                      # 120 points in batches of 16


def test_state_is_a_copy_and_plain():
    net, _, _ = trained()
    state = net.state()
    state["theta"][:] = 0.0
    state["v"][:] = 5.0
    assert net.theta.any() and not (net.state()["v"] == 5.0).any()
    assert {type(state[k]) for k in ("steps", "optimizer_steps", "rng")} == {int}
    assert type(state["diverged"]) is bool


def change(key, value):
    def changed(state):
        if isinstance(key, tuple):
            state[key[0]][key[1]] = value
        else:
            state[key] = value
        return state
    return changed


@pytest.mark.parametrize("bad, message", [
    (change(("theta", 3), np.nan), "theta holds a number that is not finite"),
    (change(("m", 0), np.inf), "m holds a number that is not finite"),
    (change(("v", 7), -1e-12), "v holds a negative number"),
    (change("v", np.zeros(5)), "v has 5 numbers; this network has"),
    (change("theta", np.array(["a"] * 3)), "theta must hold numbers"),
    (change("steps", -1), "steps is out of range"),
    (change("optimizer_steps", 10 ** 9), r"optimizer_steps \(1000000000\) exceeds steps"),
    (change("rng", 2 ** 64), "rng is out of range"),
    (change("rng", 1.5), "rng is out of range"),
    (change("diverged", "no"), "diverged must be true or false"),
    (lambda state: {k: v for k, v in state.items() if k != "m"}, "the training state has no 'm'"),
])
def test_load_state_refuses_what_training_never_makes_and_changes_nothing(bad, message):
    net, _, _ = trained()
    before = net.state()
    with pytest.raises(ValueError, match=message) as info:
        net.load_state(bad(net.state()))
    assert "\n" not in str(info.value)
    assert_same_state(net.state(), before)


def test_a_negative_v_is_momentums_velocity_not_an_error():
    net, _, _ = trained("momentum")
    state = net.state()
    assert (state["v"] < 0).any()
    net.load_state(state)


def test_full_batch_on_a_growing_set_keeps_few_buffer_sets():
    """Regression: each new point count used to keep one more set of buffers (painting 300
    points full-batch on the largest net held 301 sets, 1.1 GB)."""
    X, y = make_dataset("spiral", n=400, seed=1)
    net = Network([2, 8, 8, 2], "tanh", seed=1)
    for n in range(10, 400, 13):                 # the set grows, as when points are painted
        assert net.train_epochs(X[:n], y[:n], 0.05, 0, 1) == 1
        assert net.buffer_sets <= CACHED_BATCH_SIZES
