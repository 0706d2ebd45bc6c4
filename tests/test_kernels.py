"""numba kernels against their plain-NumPy twins in ``reference`` on the same inputs (to
1e-12), over every activation, 0-4 hidden layers, 2 and 3 classes and regression (C = 1)."""
import numpy as np
import pytest
from helpers import kernel_records, random_case

from nnsim.core import Network, kernels, reference
from nnsim.core.config import ACTIVATIONS, OPTIMIZERS

#: (activation, hidden layers, output units C) of every case
SHAPES = [(activation, hidden, C) for activation in ACTIVATIONS for hidden in range(5)
          for C in (1, 2, 3)]
CASES = pytest.mark.parametrize("case", range(len(SHAPES)),
                                ids=[f"{a}-{h}hidden-C{C}" for a, h, C in SHAPES])
BATCHES = pytest.mark.parametrize("batch", [1, 4])


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def close_params(params, ref_params):
    """Every (W, b) of ``params`` close to its twin in ``ref_params``."""
    assert len(params) == len(ref_params)
    for (W, b), (ref_W, ref_b) in zip(params, ref_params):
        close(W, ref_W)
        close(b, ref_b)


def copy_params(net):
    return [(W.copy(), b.copy()) for W, b in net.params]


def case_of(case):
    """The random network, inputs X and labels (or targets) y of case number ``case``."""
    activation, hidden, C = SHAPES[case]
    return random_case(case, activation, hidden=hidden, classes=C)


def data(X, y=()):
    """X and y as the kernels take them: inputs transposed, labels as floats."""
    return kernels.Data(np.ascontiguousarray(X.T), np.asarray(y, dtype=np.float64))


def y_hat_of(net, X):
    return reference.forward(net.params, net.activation, X)[2]


@CASES
@pytest.mark.parametrize("chunk", [1, 4])   # one point; several, the last chunk short
def test_predict_matches_reference(case, chunk):
    net, X, y = case_of(case)
    layout, _, _, work = kernel_records(net, chunk)
    proba = np.empty((len(X), net.n_classes))
    loss, score = kernels.predict(net.theta, layout, data(X, y), proba, work.z, work.a, chunk,
                                  0, len(X))
    y_hat = y_hat_of(net, X)
    close(proba, y_hat.T)
    ref_loss, ref_score = reference.evaluate(net.params, net.activation, X, y)
    close((loss / len(X), score / len(X)), (ref_loss, ref_score))


@CASES
def test_predict_parallel_matches_reference(case):
    net, X, _ = case_of(case)
    layout = kernels.make_layout(net.sizes, net.activation)
    threads, chunk = 3, 2                     # more threads than shares for the smallest X
    z = np.empty((threads, layout.u_off[-1] * chunk))
    proba = np.full((len(X), net.n_classes), np.nan)
    kernels.predict_parallel(net.theta, layout, data(X), proba, z, np.empty_like(z), chunk)
    close(proba, y_hat_of(net, X).T)


@pytest.mark.parametrize("n", [1000, 5001])   # serial in chunks (last short); all threads
def test_predict_proba_matches_reference(n):
    net, _, _ = random_case(7)
    X = np.random.default_rng(0).normal(0, 3, (n, net.sizes[0]))
    close(net.predict_proba(X), y_hat_of(net, X).T)


@CASES
def test_evaluate_matches_reference(case):
    net, X, y = case_of(case)
    layout, _, _, work = kernel_records(net, 4)
    close(kernels.evaluate(net.theta, layout, net.l1, net.l2, data(X, y), work),
          reference.evaluate(net.params, net.activation, X, y, net.l1, net.l2))
    close(net.evaluate(X, y), reference.evaluate(net.params, net.activation, X, y, net.l1,
                                                 net.l2))
    assert np.isnan(net.evaluate(X[:0], y[:0])).all()


@CASES
def test_regularization_matches_reference(case):
    net, _, _ = case_of(case)
    layout = kernels.make_layout(net.sizes, net.activation)
    for l1, l2 in [(0.0, 0.0), (0.01, 0.0), (0.0, 0.05), (0.01, 0.05)]:
        close(kernels.regularization(net.theta, layout, l1, l2),
              reference.regularization(net.params, l1, l2))


@CASES
def test_activations_match_reference(case):
    net, X, _ = case_of(case)
    L = len(net.sizes) - 1
    for last in range(L + 1):
        ours = net.activations(X, last)
        ref = reference.activations(net.params, net.activation, X, last)
        assert len(ours) == len(ref) == last + 1
        for a, ref_a in zip(ours, ref):
            close(a, ref_a)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_kernels_match_the_table(activation):
    z = np.concatenate([np.linspace(-40, 40, 801), [-1e-3, -1e-9, 0.0, 1e-9, 1e-3, 700.0]])
    code = kernels.ACTIVATION_CODE[activation]
    a = np.empty_like(z)
    kernels.activate(code, z, a)
    close(a, reference.phi(activation, z))
    delta = np.linspace(-1, 1, len(z))
    kernels.scale_by_activation_grad(code, z, a, delta)
    close(delta, np.linspace(-1, 1, len(z)) * reference.phi_prime(activation, z))


def test_reference_has_a_twin_of_every_activation():
    assert tuple(reference.PHI) == ACTIVATIONS == tuple(kernels.ACTIVATION_CODE)


@CASES
def test_loss_and_grads_match_reference(case):
    net, X, y = case_of(case)
    layout, state, _, work = kernel_records(net, len(X))
    net.grad_norms[:] = 0.0
    loss = kernels.loss_and_grads(state, layout, layout.extras, net.l1, net.l2, data(X, y), work, True)
    ref_loss, ref_grads = reference.loss_and_grads(net.params, net.activation, X, y, net.l1,
                                                   net.l2)
    close(loss + reference.regularization(net.params, net.l1, net.l2), ref_loss)
    close_params(net.views_of(net.grad), ref_grads)
    close(net.grad_norms, [np.abs(rW).mean() for rW, _ in ref_grads])
    net_loss, net_grads = net.loss_and_grads(X, y)
    close(net_loss, ref_loss)
    close_params(net_grads, ref_grads)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_update_matches_reference(optimizer):
    net, _, _ = random_case(4)
    net.optimizer = optimizer
    _, state, hyper, _ = kernel_records(net, 1)
    rng = np.random.default_rng(0)
    for _ in range(3):                       # several steps, so the moments matter
        state.grad[:] = rng.normal(0, 1, state.grad.shape)
        params = copy_params(net)
        ref_state = {"m": [m.copy() for wb in net.views_of(state.m) for m in wb],
                     "v": [v.copy() for wb in net.views_of(state.v) for v in wb],
                     "adam_t": int(state.step_counts[1])}
        reference.step(params, [(W.copy(), b.copy()) for W, b in net.views_of(state.grad)],
                       ref_state, optimizer, hyper.eta)
        state.step_counts[1] += 1
        kernels.update(state, hyper.optimizer, hyper.eta)
        close_params(net.params, params)


@pytest.mark.parametrize("n", [0, 1, 2, 50])
@pytest.mark.parametrize("seed", [1, 2, 2 ** 64 - 1])
def test_shuffle_matches_reference(n, seed):
    rng = np.array([seed], dtype=np.uint64)
    order = np.empty(n, dtype=np.int64)
    kernels.shuffle(order, rng)
    ref_order, ref_rng = reference.shuffle(n, seed)
    np.testing.assert_array_equal(order, ref_order)
    assert int(rng[0]) == ref_rng


def test_shuffle_is_a_seeded_permutation():
    orders = [reference.shuffle(50, seed)[0] for seed in (1, 1, 2)]
    assert sorted(orders[0]) == list(range(50))
    assert (orders[0] == orders[1]).all() and not (orders[0] == orders[2]).all()


@CASES
@BATCHES
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_train_epochs_matches_reference(case, batch, optimizer):
    """Network.train_epochs (so the kernel, as the app calls it) against the reference, over
    several epochs, so momentum and Adam's moments matter (at a rate where none diverges:
    momentum at 0.01 does on one case, in the kernel and the reference alike)."""
    net, X, y = case_of(case)
    net.optimizer = optimizer
    X_test, y_test = X[::2], y[::2]
    params = copy_params(net)
    ref_state = reference.optimizer_state(params)
    rng = net.state()["rng"]
    history = np.empty((3, 4))
    assert net.train_epochs(X, y, 0.005, batch, 3, X_test, y_test, history) == 3
    done, ref_history, ref_rng = reference.train_epochs(
        params, ref_state, net.activation, optimizer, 0.005, net.l1, net.l2, X, y, batch, 3,
        rng, X_test, y_test)
    assert done == 3 and net.state()["rng"] == ref_rng
    close(history, ref_history)
    close_params(net.params, params)


@pytest.mark.parametrize("C", [1, 2])
def test_train_epochs_stops_where_the_reference_diverges(C):
    net, X, y = random_case(3, "relu", hidden=2, classes=C)
    params = copy_params(net)
    rng = net.state()["rng"]
    done = net.train_epochs(X, y, 1e4, 1, 5)
    with np.errstate(all="ignore"):            # the reference's loss overflows to inf
        ref_done, _, _ = reference.train_epochs(
            params, reference.optimizer_state(params), net.activation, net.optimizer, 1e4,
            net.l1, net.l2, X, y, 1, 5, rng, X[:0], y[:0])
    assert done == ref_done < 5 and net.diverged


def test_regression_loss_is_half_the_mean_squared_error():
    net, X, t = random_case(3, "tanh", regression=True)
    net.l1 = net.l2 = 0.0
    y_hat = net.predict_proba(X)[:, 0]
    assert net.evaluate(X, t)[0] == pytest.approx(0.5 * np.mean((y_hat - t) ** 2), rel=1e-12)


def test_kernels_free_all_they_allocate():
    """Training, evaluating, predicting and the gradients (the kernels without reference
    counting among them: see ``kernels``; only the gradients allocate, which shows the
    counts are on) leave numba's allocator balanced, for a plain and a deep network."""
    from numba.core.runtime import _nrt_python, rtsys
    X, y = np.random.default_rng(0).normal(size=(9, 2)), np.arange(9) % 2
    enabled = _nrt_python.memsys_stats_enabled()
    _nrt_python.memsys_enable_stats()
    try:
        for net in (Network([2, 8, 8, 2], "tanh", seed=0),
                    Network([2, 4, 4, 2], "relu", seed=0, batch_norm=True, dropout=0.2,
                            residual=True)):
            net.train_epochs(X, y, 0.01, 4, 1)            # compiled before counting
            net.loss_and_grads(X, y)
            before = rtsys.get_allocation_stats()
            net.train_epochs(X, y, 0.01, 4, 2, X, y, np.empty((2, 4)))
            net.evaluate(X, y)
            net.predict_proba(X)
            net.loss_and_grads(X, y)
            after = rtsys.get_allocation_stats()
            assert after.alloc - before.alloc == after.free - before.free > 0
            assert after.mi_alloc - before.mi_alloc == after.mi_free - before.mi_free
    finally:
        if not enabled:
            _nrt_python.memsys_disable_stats()
