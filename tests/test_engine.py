"""The engine switch: the NumPy twins run the same records to the same numbers as the
kernels, and a network can change engine between two calls and go on as if it had not."""
import threading

import numpy as np
import pytest

from helpers import DEEP, deep_case, fixed_keep, random_case
from nnsim.core import Network, engine, kernels, twins

CASES = range(12)


def case_of(case):
    """``random_case``, every fourth a regression and every fourth a classifier on the
    squared error."""
    net, X, y = random_case(case, regression=case % 4 == 3)
    if case % 4 == 1:
        net.loss = "squared"
    return net, X, y


@pytest.fixture
def numpy_engine():
    """The NumPy engine for the test's own calls; numba again afterwards."""
    engine.use("numpy")
    yield
    engine.use("numba")


def on(name, function, *args):
    """``function(*args)`` on the engine ``name``."""
    with engine.on_this_thread(name):
        return function(*args)


def test_pick_follows_the_engine_and_a_thread_override(numpy_engine):
    assert engine.pick(kernels, twins) is twins
    with engine.on_this_thread("numba"):
        assert engine.pick(kernels, twins) is kernels
        seen = []
        other = threading.Thread(target=lambda: seen.append(engine.current()))
        other.start()
        other.join()
        assert seen == ["numpy"]            # the override is this thread's alone
    assert engine.current() == "numpy"
    with pytest.raises(ValueError):
        engine.use("torch")


def test_networks_with_deep_layers_have_an_engine_of_their_own(numpy_engine):
    engine.use("numba", deep="numpy")
    plain, deep = Network([2, 3, 2]), Network([2, 3, 3, 2], batch_norm=True)
    assert plain._kernels() is kernels and deep._kernels() is twins
    with engine.on_this_thread("numba"):
        assert deep._kernels() is kernels
    with engine.on_this_thread("numpy"):
        assert plain._kernels() is twins
    engine.use("numpy")
    assert engine.current(deep=True) == "numpy" and deep._kernels() is twins


def test_every_kernel_the_network_calls_has_a_twin():
    called = ("regularization", "loss_and_grads", "activations", "predict", "predict_parallel",
              "evaluate", "train_epochs")
    assert all(callable(getattr(twins, name)) for name in called)


@pytest.mark.parametrize("case", CASES)
def test_twins_match_the_kernels_through_the_network(case):
    net, X, y = case_of(case)
    many = np.repeat(X, 300, axis=0)     # enough points for the all-cores kernel

    def results():
        loss, grads = net.loss_and_grads(X, y)
        return [loss, *(g for wb in grads for g in wb), *net.evaluate(X, y),
                net.regularization(), *net.activations(X), net.predict_proba(X),
                net.predict_proba(many)]
    for fast, slow in zip(on("numba", results), on("numpy", results), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("batch", [1, 4, 0])
def test_training_on_numpy_matches_numba(case, batch):
    """Three epochs each, history rows included; every piece of training state agrees."""
    nets = {name: case_of(case)[0] for name in engine.ENGINES}
    _, X, y = case_of(case)
    histories = {}
    for name, net in nets.items():
        histories[name] = np.empty((3, 4))
        assert on(name, net.train_epochs, X, y, 0.05, batch, 3, X, y, histories[name]) == 3
    fast, slow = nets["numba"].state(), nets["numpy"].state()
    for key in ("theta", "m", "v"):
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-10, atol=1e-12)
    assert [fast[k] for k in ("steps", "optimizer_steps", "rng", "diverged")] == \
        [slow[k] for k in ("steps", "optimizer_steps", "rng", "diverged")]
    np.testing.assert_allclose(histories["numba"], histories["numpy"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(nets["numba"].grad_norms, nets["numpy"].grad_norms, rtol=1e-10)


@pytest.mark.parametrize("C", [1, 2])
def test_both_engines_stop_at_the_same_divergent_epoch(C):
    done = {}
    for name in engine.ENGINES:
        net, X, y = random_case(3, classes=C, hidden=2)
        done[name] = (on(name, net.train_epochs, X, y, 1e4, 1, 20), net.diverged)
    assert done["numba"] == done["numpy"] and done["numba"][1]


def test_switching_engines_between_calls_continues_the_same_run():
    """Epochs on NumPy then on numba reach the state of all of them on numba (to 1e-10:
    the engines round differently)."""
    net, X, y = random_case(5, hidden=2)
    twin = Network(net.sizes, net.activation, 5, net.optimizer, net.l1, net.l2)
    twin.load_state(net.state())
    on("numpy", net.train_epochs, X, y, 0.05, 2, 2)
    on("numba", net.train_epochs, X, y, 0.05, 2, 2)
    on("numba", twin.train_epochs, X, y, 0.05, 2, 4)
    np.testing.assert_allclose(net.theta, twin.theta, rtol=1e-10, atol=1e-12)
    assert net.steps == twin.steps and net.state()["rng"] == twin.state()["rng"]


@pytest.mark.parametrize("name", DEEP)
def test_deep_layers_match_on_both_engines(name):
    """Evaluation with running statistics, gradients with a given and a drawn dropout mask,
    and three epochs of training: the same numbers and the same generator on both."""
    nets = {engine_name: deep_case(name)[0] for engine_name in engine.ENGINES}
    _, X, y = deep_case(name)
    keep, _ = fixed_keep(nets["numba"], len(X))
    results, histories = {}, {}
    for engine_name, net in nets.items():
        def run():
            given = net.loss_and_grads(X, y, keep)
            drawn = net.loss_and_grads(X, y)
            return [given[0], *(g for layer in given[1] for g in layer), drawn[0],
                    *(g for layer in drawn[1] for g in layer), *net.evaluate(X, y),
                    *net.activations(X), net.predict_proba(np.repeat(X, 300, axis=0))]
        results[engine_name] = on(engine_name, run)
        histories[engine_name] = np.empty((3, 4))
        assert on(engine_name, net.train_epochs, X, y, 0.05, 4, 3, X, y,
                  histories[engine_name]) == 3
    for fast, slow in zip(results["numba"], results["numpy"], strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)
    fast, slow = nets["numba"].state(), nets["numpy"].state()
    for key in ("theta", "m", "v"):
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-10, atol=1e-12)
    assert fast["rng"] == slow["rng"]
    np.testing.assert_allclose(histories["numba"], histories["numpy"], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", [*DEEP, "plain"])
def test_float32_predictions_match_float64_on_both_engines(name):
    """What the screen draws (``single``): the float64 class probabilities to float32's
    precision, on one core and on all, by the kernels and by their twins."""
    net, X, _ = deep_case(name) if name != "plain" else random_case(0)
    many = np.repeat(X, 300, axis=0)     # enough points for the all-cores kernel
    exact = net.predict_proba(many)
    for engine_name in engine.ENGINES:
        for parallel in (False, True):
            single = on(engine_name, net.predict_proba, many, None, parallel, True)
            assert single.dtype == np.float32
            np.testing.assert_allclose(single, exact, rtol=0, atol=2e-6)
