"""The squared-error loss on the softmax, L = mean 1/2 ||y_hat - onehot(y)||^2: the kernels
against the NumPy twin (1e-12), the twin against finite differences and PyTorch, and the
setting through Network and Session."""
import numpy as np
import pytest
from helpers import kernel_records, random_case, torch_or_skip

from nnsim.core import Network, Session, Settings, kernels, reference
from nnsim.core.config import ACTIVATIONS

#: (activation, hidden layers, classes) of every classifier case
SHAPES = [(activation, hidden, C) for activation in ACTIVATIONS for hidden in range(4) for C in (2, 3)]
CASES = pytest.mark.parametrize("case", range(len(SHAPES)),
                                ids=[f"{a}-{h}hidden-C{C}" for a, h, C in SHAPES])


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def squared_case(case):
    activation, hidden, C = SHAPES[case]
    net, X, y = random_case(case, activation, hidden=hidden, classes=C)
    net.loss = "squared"
    return net, X, y


def data(X, y):
    return kernels.Data(np.ascontiguousarray(X.T), np.asarray(y, dtype=np.float64))


@CASES
def test_loss_and_grads_match_the_twin(case):
    net, X, y = squared_case(case)
    ref_loss, ref_grads = reference.loss_and_grads(net.params, net.activation, X, y, net.l1,
                                                   net.l2, "squared")
    loss, grads = net.loss_and_grads(X, y)
    close(loss, ref_loss)
    for (W, b), (rW, rb) in zip(grads, ref_grads):
        close(W, rW)
        close(b, rb)


@CASES
def test_evaluate_matches_the_twin(case):
    net, X, y = squared_case(case)
    close(net.evaluate(X, y), reference.evaluate(net.params, net.activation, X, y, net.l1,
                                                 net.l2, "squared"))


@CASES
@pytest.mark.parametrize("batch", [1, 4])
def test_train_epochs_match_the_twin(case, batch):
    net, X, y = squared_case(case)
    params = [(W.copy(), b.copy()) for W, b in net.params]
    rng = net.state()["rng"]
    history = np.empty((3, 4))
    assert net.train_epochs(X, y, 0.05, batch, 3, X[::2], y[::2], history) == 3
    done, ref_history, _ = reference.train_epochs(
        params, reference.optimizer_state(params), net.activation, net.optimizer, 0.05, net.l1,
        net.l2, X, y, batch, 3, rng, X[::2], y[::2], "squared")
    assert done == 3
    close(history, ref_history)
    for (W, b), (rW, rb) in zip(net.params, params):
        close(W, rW)
        close(b, rb)


def test_the_kernels_loss_is_half_the_squared_distance_to_the_one_hot_label():
    net, X, y = squared_case(5)
    net.l1 = net.l2 = 0.0
    layout, state, _, work = kernel_records(net, len(X))
    y_hat = net.predict_proba(X)
    expected = 0.5 * ((y_hat - np.eye(net.n_classes)[y]) ** 2).sum(axis=1).mean()
    assert kernels.loss_and_grads(state, layout, layout.extras, 0.0, 0.0, data(X, y), work, True) == \
        pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("case", [3, 17, 30, 46])
def test_the_twin_matches_finite_differences(case):
    net, X, y = squared_case(case)
    params = [(W.copy(), b.copy()) for W, b in net.params]
    _, grads = reference.loss_and_grads(params, net.activation, X, y, 0.0, 0.0, "squared")
    h = 1e-6
    for (W, b), (gW, gb) in zip(params, grads):
        for p, g in ((W, gW), (b, gb)):
            for k in range(p.size):
                saved = p.flat[k]
                p.flat[k] = saved + h
                up = reference.loss_and_grads(params, net.activation, X, y, 0.0, 0.0, "squared")[0]
                p.flat[k] = saved - h
                down = reference.loss_and_grads(params, net.activation, X, y, 0.0, 0.0, "squared")[0]
                p.flat[k] = saved
                assert g.flat[k] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("case", [2, 9, 23, 44])
def test_gradients_match_torch(case):
    torch = torch_or_skip()
    F = torch.nn.functional
    phi = {"relu": F.relu, "leaky_relu": F.leaky_relu, "tanh": torch.tanh,
           "sigmoid": torch.sigmoid, "gelu": F.gelu, "linear": lambda z: z}
    net, X, y = squared_case(case)
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
              for W, b in net.params]
    a = torch.tensor(X)
    for l, (W, b) in enumerate(params, start=1):
        a = F.linear(a, W, b)
        if l < len(params):
            a = phi[net.activation](a)
    onehot = F.one_hot(torch.tensor(y), net.n_classes).double()
    loss = 0.5 * ((torch.softmax(a, dim=1) - onehot) ** 2).sum(dim=1).mean()
    for W, _ in params:
        loss = loss + net.l1 * W.abs().sum() + 0.5 * net.l2 * (W * W).sum()
    loss.backward()
    ours, grads = net.loss_and_grads(X, y)
    assert ours == pytest.approx(loss.item(), rel=1e-12)
    for (W, b), (gW, gb) in zip(params, grads):
        np.testing.assert_allclose(gW, W.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_the_loss_is_a_setting_that_keeps_the_weights():
    net = Network([2, 4, 3], loss="squared")
    assert net.loss == "squared" and net.copy().loss == "squared"
    with pytest.raises(ValueError, match="unknown loss 'hinge' \\(choose from cross-entropy, squared\\)"):
        Network([2, 2], loss="hinge")
    session = Session(Settings(points=40))
    theta = session.net.theta.copy()
    assert session.update(loss="squared") == {"loss"}
    assert session.net.loss == "squared"
    np.testing.assert_array_equal(session.net.theta, theta)
    X, y = session.F_train, session.y_train
    close(session.net.evaluate(X, y), reference.evaluate(session.net.params, "tanh", X, y,
                                                         loss="squared"))
