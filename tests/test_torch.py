"""Gradients and optimizer steps against PyTorch autograd (skipped without torch, unless NNSIM_REQUIRE_TORCH=1)."""
import numpy as np
import pytest
from helpers import deep_case, fixed_keep, random_case, torch_or_skip

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



def torch_deep_model(net):
    """``net``'s layers in torch: per layer [W, b] (b a constant where BatchNorm1d follows:
    its batch mean cancels b, so nnsim's gradient of it is exactly 0) plus the BatchNorm1d's
    weight and bias, and the BatchNorm1d modules (None where none) in train mode, with
    PyTorch's eps and momentum and ``net``'s running statistics."""
    params, norms = [], []
    for l, (W, b, *gb) in enumerate(net.layers_of(net.theta), start=1):
        layer = [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=not gb)]
        norm = None
        if gb:
            norm = torch.nn.BatchNorm1d(len(b), dtype=torch.float64).train()
            with torch.no_grad():
                norm.weight.copy_(torch.tensor(gb[0]))
                norm.bias.copy_(torch.tensor(gb[1]))
                norm.running_mean.copy_(torch.tensor(net.running[l][0]))
                norm.running_var.copy_(torch.tensor(net.running[l][1]))
            layer += [norm.weight, norm.bias]
        params.append(layer)
        norms.append(norm)
    return params, norms


def torch_deep_loss(net, params, norms, X, y, keep):
    """The training-mode loss of the torch layers of ``torch_deep_model``: dropout as the
    fixed mask ``keep`` (per layer true/false (units, n), or None), the residual link as an
    explicit add."""
    a = torch.tensor(X)
    L = len(params)
    for l, ((W, b, *_), norm) in enumerate(zip(params, norms), start=1):
        z = F.linear(a, W, b)
        if norm is not None:
            z = norm(z)
        if l == L:
            a = z
            break
        h = PHI[net.arch.act[l - 1]](z)
        if keep[l] is not None:
            h = h * torch.tensor(keep[l].T / (1 - net.arch.drop[l - 1]))
        a = h + a if net.arch.res[l - 1] else h
    loss = 0.5 * F.mse_loss(a[:, 0], torch.tensor(y)) if net.regression \
        else F.cross_entropy(a, torch.tensor(y))
    for W, *_ in params:
        loss = loss + net.l1 * W.abs().sum() + 0.5 * net.l2 * (W * W).sum()
    return loss


@pytest.mark.parametrize("name", ["batch-norm", "dropout", "residual", "all", "all-regression"])
def test_deep_gradients_and_running_statistics_match_autograd(name):
    net, X, y = deep_case(name)
    keep, _ = fixed_keep(net, len(X))
    params, norms = torch_deep_model(net)
    loss = torch_deep_loss(net, params, norms, X, y, keep)
    loss.backward()
    ours, grads = net.loss_and_grads(X, y, keep)
    np.testing.assert_allclose(ours, loss.item(), rtol=1e-12)
    for layer, ours_layer in zip(params, grads):
        for p, g in zip(layer, ours_layer):
            expected = p.grad.numpy() if p.requires_grad else 0.0
            np.testing.assert_allclose(g, expected, rtol=1e-10, atol=1e-12)
    for norm, stats in zip(norms, net.running[1:]):
        if norm is not None:
            np.testing.assert_allclose(stats[0], norm.running_mean.numpy(), rtol=1e-12)
            np.testing.assert_allclose(stats[1], norm.running_var.numpy(), rtol=1e-12)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_optimizers_step_gamma_and_beta_as_torch_does(optimizer):
    net, X, y = deep_case("batch-norm", optimizer=optimizer)
    params, norms = torch_deep_model(net)
    opt = OPTIM[optimizer]([p for layer in params for p in layer if p.requires_grad], 0.05)
    for _ in range(3):                         # full-batch steps: no shuffling involved
        opt.zero_grad()
        torch_deep_loss(net, params, norms, X, y, [None] * len(net.sizes)).backward()
        opt.step()
        net.train_epoch(X, y, eta=0.05, batch=0)
    for layer, ours in zip(params, net.layers_of(net.theta)):
        for p, q in zip(layer, ours):
            np.testing.assert_allclose(q, p.detach().numpy(), rtol=1e-10, atol=1e-12)
