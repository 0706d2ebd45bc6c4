"""numba kernels against the plain-NumPy reference on the same inputs (to 1e-12)."""
import numpy as np
import pytest
from helpers import random_case

from nnsim.core import kernels, reference
from nnsim.core.config import ACTIVATIONS, OPTIMIZERS

CASES = range(12)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_predict_proba_matches_reference(case):
    net, X, y = random_case(case)
    _, _, y_hat = reference.forward(net.params, net.activation, X)
    close(net.predict_proba(X), y_hat.T)
    loss, accuracy = net.evaluate(X, y)
    close(loss, reference.loss_and_grads(net.params, net.activation, X, y, net.l1, net.l2)[0])
    assert accuracy == np.mean(y_hat.argmax(axis=0) == y)


@pytest.mark.parametrize("n", [1000, 5001])   # serial in chunks (last short); all threads
def test_predict_in_chunks_equals_one_pass(n):
    net, _, _ = random_case(7)
    X = np.random.default_rng(0).normal(0, 3, (n, net.sizes[0]))
    close(net.predict_proba(X), reference.forward(net.params, net.activation, X)[2].T)


@pytest.mark.parametrize("case", CASES)
def test_loss_and_grads_match_reference(case):
    net, X, y = random_case(case)
    loss, grads = net.loss_and_grads(X, y)
    ref_loss, ref_grads = reference.loss_and_grads(net.params, net.activation, X, y, net.l1, net.l2)
    close(loss, ref_loss)
    for (W, b), (rW, rb) in zip(grads, ref_grads):
        close(W, rW)
        close(b, rb)
    close(net.grad_norms, [np.abs(rW).mean() for rW, _ in ref_grads])


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("case", range(6))
def test_training_steps_match_reference(optimizer, case):
    net, X, y = random_case(case)
    net.optimizer = optimizer
    params = [(W.copy(), b.copy()) for W, b in net.params]
    state = reference.optimizer_state(params)
    m, v, step_counts = np.zeros_like(net.theta), np.zeros_like(net.theta), np.zeros(2, np.int64)
    order = np.random.default_rng(case).permutation(len(y))
    batch = 1 + case % 4
    for _ in range(3):   # several passes, so momentum and Adam moments matter
        reference.train_batches(params, state, net.activation, optimizer, 0.05, net.l1, net.l2,
                                X, y, order, batch)
        z, a, delta, labels = net._work(batch)
        assert kernels.train_batches(
            net.theta, net.grad, m, v, step_counts, net._sizes, net._w_off,
            net._b_off, net._u_off, ACTIVATIONS.index(net.activation),
            OPTIMIZERS.index(optimizer), 0.05, net.l1, net.l2, np.ascontiguousarray(X.T), y,
            order, batch, z, a, delta, labels, net.grad_norms)
    assert step_counts[1] == state["adam_t"]
    for (W, b), (rW, rb) in zip(net.params, params):
        close(W, rW)
        close(b, rb)


def test_shuffle_is_a_seeded_permutation():
    orders = []
    for seed in (1, 1, 2):
        order = np.empty(50, dtype=np.int64)
        kernels.shuffle(order, np.array([seed], dtype=np.uint64))
        assert sorted(order) == list(range(50))
        orders.append(order)
    assert (orders[0] == orders[1]).all() and not (orders[0] == orders[2]).all()


@pytest.mark.parametrize("case", CASES)
def test_all_activations_match_reference(case):
    net, X, _ = random_case(case)
    z, a, y_hat = reference.forward(net.params, net.activation, X)
    ours = net.activations(X)
    assert len(ours) == len(net.sizes)
    for l in range(len(net.sizes) - 1):
        close(ours[l], a[l])
    close(ours[-1], y_hat)
    partial = net.activations(X, last=1)
    assert len(partial) == 2
    close(partial[1], a[1] if len(net.sizes) > 2 else y_hat)


@pytest.mark.parametrize("case", CASES)
def test_regression_matches_reference(case):
    net, X, t = random_case(case, regression=True)
    _, _, y_hat = reference.forward(net.params, net.activation, X)
    close(net.predict_proba(X), y_hat.T)
    close(net.activations(X)[-1], y_hat)
    loss, mae = net.evaluate(X, t)
    ref_loss, ref_grads = reference.loss_and_grads(net.params, net.activation, X, t, net.l1,
                                                   net.l2)
    close(loss, ref_loss)
    close(mae, np.abs(y_hat[0] - t).mean())
    loss, grads = net.loss_and_grads(X, t)
    close(loss, ref_loss)
    for (W, b), (rW, rb) in zip(grads, ref_grads):
        close(W, rW)
        close(b, rb)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("case", range(4))
def test_regression_training_matches_reference(optimizer, case):
    net, X, t = random_case(case, regression=True)
    net.optimizer = optimizer
    params = [(W.copy(), b.copy()) for W, b in net.params]
    state = reference.optimizer_state(params)
    order = np.random.default_rng(case).permutation(len(t))
    batch = 1 + case % 4
    for _ in range(3):
        reference.train_batches(params, state, net.activation, optimizer, 0.05, net.l1, net.l2,
                                X, t, order, batch)
    m, v, step_counts = np.zeros_like(net.theta), np.zeros_like(net.theta), np.zeros(2, np.int64)
    z, a, delta, labels = net._work(batch)
    for _ in range(3):
        assert kernels.train_batches(
            net.theta, net.grad, m, v, step_counts, net._sizes, net._w_off,
            net._b_off, net._u_off, ACTIVATIONS.index(net.activation),
            OPTIMIZERS.index(optimizer), 0.05, net.l1, net.l2, np.ascontiguousarray(X.T), t,
            order, batch, z, a, delta, labels, net.grad_norms)
    for (W, b), (rW, rb) in zip(net.params, params):
        close(W, rW)
        close(b, rb)


def test_regression_loss_is_half_the_mean_squared_error():
    net, X, t = random_case(3, "tanh", regression=True)
    net.l1 = net.l2 = 0.0
    y_hat = net.predict_proba(X)[:, 0]
    assert net.evaluate(X, t)[0] == pytest.approx(0.5 * np.mean((y_hat - t) ** 2), rel=1e-12)
