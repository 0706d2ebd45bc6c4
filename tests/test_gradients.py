"""Backprop gradients against central finite differences of the loss, in float64."""
import numpy as np
import pytest
from helpers import random_case

from nnsim.core import ACTIVATIONS


def finite_difference_grad(net, X, y, h=1e-6):
    g = np.empty_like(net.theta)
    for k in range(len(net.theta)):
        w = net.theta[k]
        net.theta[k] = w + h
        up = net.loss_and_grads(X, y)[0]
        net.theta[k] = w - h
        down = net.loss_and_grads(X, y)[0]
        net.theta[k] = w
        g[k] = (up - down) / (2 * h)
    return g


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("case", range(5))
def test_backprop_matches_finite_differences(activation, case):
    net, X, y = random_case(10 * case + ACTIVATIONS.index(activation), activation)
    _, grads = net.loss_and_grads(X, y)
    analytic = np.concatenate([np.r_[W.ravel(), b] for W, b in grads])
    numeric = finite_difference_grad(net, X, y)
    rel = np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-12)
    assert rel < 1e-6, rel


def test_grads_are_shaped_like_params():
    net, X, y = random_case(4)
    _, grads = net.loss_and_grads(X, y)
    assert [(W.shape, b.shape) for W, b in grads] == [(W.shape, b.shape) for W, b in net.params]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("case", range(3))
def test_regression_backprop_matches_finite_differences(activation, case):
    net, X, t = random_case(10 * case + ACTIVATIONS.index(activation), activation,
                            regression=True)
    _, grads = net.loss_and_grads(X, t)
    analytic = np.concatenate([np.r_[W.ravel(), b] for W, b in grads])
    numeric = finite_difference_grad(net, X, t)
    rel = np.linalg.norm(analytic - numeric) / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-12)
    assert rel < 1e-6, rel
