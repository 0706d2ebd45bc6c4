"""Gradients and optimizer steps against PyTorch autograd (skipped without torch, unless NNSIM_REQUIRE_TORCH=1)."""
import numpy as np
import pytest
from helpers import random_case, torch_or_skip

from nnsim.core import ACTIVATIONS, OPTIMIZERS

torch = torch_or_skip()
F = torch.nn.functional
PHI = {"relu": F.relu, "leaky_relu": F.leaky_relu, "tanh": torch.tanh,
       "sigmoid": torch.sigmoid, "gelu": F.gelu, "linear": lambda z: z}
OPTIM = {"sgd": lambda p, eta: torch.optim.SGD(p, lr=eta),
         "momentum": lambda p, eta: torch.optim.SGD(p, lr=eta, momentum=0.9),
         "adam": lambda p, eta: torch.optim.Adam(p, lr=eta)}


def torch_loss(net, params, X, y):
    """The same loss written with torch: logits through the layers, then cross-entropy (or,
    one output, half the mean squared error)."""
    a = torch.tensor(X)
    for l, (W, b) in enumerate(params, start=1):
        a = F.linear(a, W, b)
        if l < len(params):
            a = PHI[net.activation](a)
    if net.regression:
        loss = 0.5 * F.mse_loss(a[:, 0], torch.tensor(y))
    else:
        loss = F.cross_entropy(a, torch.tensor(y))
    for W, _ in params:
        loss = loss + net.l1 * W.abs().sum() + 0.5 * net.l2 * (W * W).sum()
    return loss


def torch_params(net):
    return [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
            for W, b in net.params]


@pytest.mark.parametrize("regression", [False, True])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("case", range(4))
def test_gradients_match_autograd(activation, case, regression):
    net, X, y = random_case(case, activation, regression)
    params = torch_params(net)
    loss = torch_loss(net, params, X, y)
    loss.backward()
    ours, grads = net.loss_and_grads(X, y)
    np.testing.assert_allclose(ours, loss.item(), rtol=1e-12)
    for (W, b), (gW, gb) in zip(params, grads):
        np.testing.assert_allclose(gW, W.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("regression", [False, True])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_optimizer_steps_match_torch(optimizer, regression):
    net, X, y = random_case(5, "tanh", regression)
    net.optimizer = optimizer
    params = torch_params(net)
    opt = OPTIM[optimizer]([p for wb in params for p in wb], 0.05)
    for _ in range(3):                         # full-batch steps: no shuffling involved
        opt.zero_grad()
        torch_loss(net, params, X, y).backward()
        opt.step()
        net.train_epoch(X, y, eta=0.05, batch=0)
    for (W, b), (tW, tb) in zip(net.params, params):
        np.testing.assert_allclose(W, tW.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, tb.detach().numpy(), rtol=1e-10, atol=1e-12)
