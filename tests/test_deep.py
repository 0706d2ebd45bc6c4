"""Deep networks' layers (per-layer activations, batch normalization, dropout, residual
links) and weight inits: the kernels against the NumPy reference (to 1e-12), backprop
against finite differences with a fixed dropout mask; a plain network's kernels hold none
of the deep layers' code."""
import inspect

import numba
import numpy as np
import pytest
from helpers import DEEP, deep_case, fixed_keep, kernel_records, random_case
from numba.core import ir, types
from numba.core.analysis import dead_branch_prune
from numba.core.compiler import run_frontend
from numba.core.registry import CPUDispatcher

from nnsim.core import Network, kernels, reference, twins
from nnsim.core.config import OPTIMIZERS

NAMES = pytest.mark.parametrize("name", DEEP)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def copies(net):
    """Copies of the reference's parameters and running statistics of ``net``."""
    return ([tuple(p.copy() for p in layer) for layer in net.layers_of(net.theta)],
            [None if s is None else [s[0].copy(), s[1].copy()] for s in net.running])


def close_layers(layers, ref_layers):
    assert len(layers) == len(ref_layers)
    for layer, ref_layer in zip(layers, ref_layers):
        assert len(layer) == len(ref_layer)
        for p, ref_p in zip(layer, ref_layer):
            close(p, ref_p)


@NAMES
@pytest.mark.parametrize("chunk", [1, 4])
def test_evaluation_matches_reference_with_running_statistics(name, chunk):
    net, X, y = deep_case(name)
    params, running = copies(net)
    layout, _, _, work = kernel_records(net, chunk)
    proba = np.empty((len(X), net.n_classes))
    loss, score = kernels.predict(net.theta, layout, kernels.Data(np.ascontiguousarray(X.T), y.astype(float)),
                                  proba, work.z, work.a, chunk, 0, len(X))
    close(proba, reference.forward(params, net.arch, X, running).y_hat.T)
    close((loss / len(X), score / len(X)), reference.evaluate(params, net.arch, X, y, loss=net.loss,
                                                              running=running))
    close(net.evaluate(X, y), reference.evaluate(params, net.arch, X, y, net.l1, net.l2,
                                                 running=running))
    close(net.predict_proba(np.repeat(X, 300, axis=0)),        # every core
          np.repeat(reference.forward(params, net.arch, X, running).y_hat.T, 300, axis=0))
    for a, ref_a in zip(net.activations(X), reference.activations(params, net.arch, X,
                                                                  len(net.sizes) - 1, running)):
        close(a, ref_a)


@NAMES
def test_loss_and_grads_with_a_fixed_mask_match_reference(name):
    net, X, y = deep_case(name)
    params, running = copies(net)
    keep, scales = fixed_keep(net, len(X))
    loss, grads = net.loss_and_grads(X, y, keep)
    ref_loss, ref_grads = reference.loss_and_grads(params, net.arch, X, y, net.l1, net.l2,
                                                   running=running, keep=scales)
    close(loss, ref_loss)
    close_layers(grads, ref_grads)
    close_layers([s for s in net.running if s], [s for s in running if s])   # moved alike


@NAMES
@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_train_epochs_match_reference(name, batch, optimizer):
    """Masks from the network's own generator, the optimizers on gamma and beta too."""
    net, X, y = deep_case(name, optimizer=optimizer)
    params, running = copies(net)
    rng = net.state()["rng"]
    history = np.empty((3, 4))
    assert net.train_epochs(X, y, 0.01, batch, 3, X[::2], y[::2], history) == 3
    done, ref_history, ref_rng = reference.train_epochs(
        params, reference.optimizer_state(params), net.arch, optimizer, 0.01, net.l1, net.l2,
        X, y, batch, 3, rng, X[::2], y[::2], running=running)
    assert done == 3 and net.state()["rng"] == ref_rng
    close(history, ref_history)
    close_layers(net.layers_of(net.theta), params)


@NAMES
def test_backprop_matches_finite_differences_with_a_fixed_mask(name):
    net, X, y = deep_case(name)
    keep, _ = fixed_keep(net, len(X))
    _, grads = net.loss_and_grads(X, y, keep)
    analytic = np.concatenate([p.ravel() for layer in grads for p in layer])
    flat = net.layers_of(net.theta)
    numeric, h = [], 1e-6
    for layer in flat:
        for p in layer:
            g = np.empty(p.size)
            for k in range(p.size):
                w = p.flat[k]
                p.flat[k] = w + h
                up = net.loss_and_grads(X, y, keep)[0]
                p.flat[k] = w - h
                down = net.loss_and_grads(X, y, keep)[0]
                p.flat[k] = w
                g[k] = (up - down) / (2 * h)
            numeric.append(g)
    numeric = np.concatenate(numeric)
    rel = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert rel < 1e-6, rel


def test_evaluation_never_drops_units():
    net, X, _ = deep_case("dropout")
    plain = Network(net.sizes, net.activation, seed=0)
    plain.theta[:] = net.theta
    close(net.predict_proba(X), plain.predict_proba(X))


def test_no_gradient_reaches_the_running_statistics():
    net, X, y = deep_case("batch-norm")
    before = [s[1].copy() for s in net.running if s]
    net.train_epochs(X, y, 0.1, 0, 1)
    for l in (1, 2):
        grad_mean, grad_var = net.normalization(net.grad, l)[2:]
        assert not grad_mean.any() and not grad_var.any()
    assert all((s[1] != b).all() for s, b in zip(filter(None, net.running), before))


def test_todays_networks_take_the_plain_layout():
    """Also with a different activation per layer: no extras at all."""
    for net in (Network([2, 8, 8, 2], "relu"), deep_case("mixed")[0]):
        assert net.plain and len(net.theta) == sum(W.size + b.size for W, b in net.params)
        layout = kernels.make_layout(net.sizes, net.arch)
        assert layout.extras is None
        extras = kernels.extras_of(layout)
        assert (extras[kernels.NORM] == -1).all() and not extras[kernels.DROP:].any()
        assert kernels.make_work(layout, 4).extras.size == 0
    assert not deep_case("dropout")[0].plain


#: the kernels only a network with deep layers needs
DEEP_ONLY = {"normalize_running", "normalize_batch", "normalize_backward", "deep_backward",
             "add_residual"}


def reached(extras):
    """The kernels that the network's calls reach once numba has pruned each one's
    branches for an ``extras`` argument of type ``extras`` (the type of the layout's
    extras, which every caller passes on): numba's own front end and branch pruning, as
    it compiles them, without compiling."""
    todo = [getattr(kernels, name) for name in ("train_epochs", "evaluate", "predict",
                                                "predict_parallel", "activations",
                                                "loss_and_grads", "regularization")]
    seen = set()
    while todo:
        function = todo.pop().py_func
        if function.__name__ in seen:
            continue
        seen.add(function.__name__)
        func_ir = run_frontend(function)
        dead_branch_prune(func_ir, [extras if name == "extras" else types.pyobject
                                    for name in inspect.signature(function).parameters])
        todo += [stmt.value.value for block in func_ir.blocks.values() for stmt in block.body
                 if isinstance(stmt, ir.Assign) and isinstance(stmt.value, (ir.Global, ir.FreeVar))
                 and isinstance(stmt.value.value, CPUDispatcher)]
    return seen


def test_a_plain_network_compiles_none_of_the_deep_layers_code():
    plain, deep = reached(types.none), reached(numba.typeof(np.zeros((3, 4))))
    assert not plain & DEEP_ONLY and DEEP_ONLY <= deep
    assert {"train_forward", "backward", "forward", "output_delta", "update"} <= plain


def test_the_layout_picks_the_specialization_and_both_compute_the_same():
    """A plain network's layout (no extras) runs the plain kernels, the same layout with
    its extras all off the deep ones; both train to the twins' numbers."""
    _, X, y = random_case(7, hidden=3)
    train = kernels.Data(np.ascontiguousarray(X.T), y.astype(float))
    results = {}
    for name in ("plain", "deep", "twins"):
        layout, state, hyper, work = kernel_records(random_case(7, hidden=3)[0], 2)
        if name == "deep":
            layout = layout._replace(extras=kernels.extras_of(layout))
        history = np.empty((3, 4))
        run = twins.train_epochs if name == "twins" else kernels.train_epochs
        assert run(state, layout, layout.extras, hyper, train, train, 3, work,
                   kernels.make_work(layout, 8), history, np.empty(len(y), np.int64)) == 3
        results[name] = (layout, state.theta, history)
    layouts = {sig[1] for sig in kernels.train_epochs.overloads}
    assert numba.typeof(results["plain"][0]).types[-1] == types.none
    assert {numba.typeof(results[name][0]) for name in ("plain", "deep")} <= layouts
    for name in ("deep", "twins"):
        close(results[name][1], results["plain"][1])
        close(results[name][2], results["plain"][2])


def test_residual_links_join_hidden_layers_of_one_width():
    net = Network([2, 2, 4, 4, 3, 3, 2], residual=True)
    assert net.arch.res == (False, False, True, False, True)
    with pytest.raises(ValueError, match="hidden layer 2 cannot have a residual link"):
        Network([2, 4, 3, 2], residual=(False, True))
    with pytest.raises(ValueError, match="one per hidden layer"):
        Network([2, 4, 3, 2], activation=("relu",))
    with pytest.raises(ValueError, match="dropout rate"):
        Network([2, 4, 2], dropout=0.95)


@pytest.mark.parametrize("init", ["he", "xavier", "zeros", "large"])
def test_inits_scale_the_same_draws(init):
    auto = Network([2, 16, 16, 2], "relu", seed=3)
    net = Network([2, 16, 16, 2], "relu", seed=3, init=init)
    for l, ((W, _), (W_auto, _)) in enumerate(zip(net.params, auto.params), start=1):
        fan_out, fan_in = W.shape
        std_auto = np.sqrt(2 / fan_in) if l < 3 else np.sqrt(2 / (fan_in + fan_out))
        std = {"he": np.sqrt(2 / fan_in), "xavier": np.sqrt(2 / (fan_in + fan_out)),
               "zeros": 0.0, "large": 1.0}[init]
        close(W, W_auto * (std / std_auto))


def test_zero_init_keeps_every_neuron_of_a_layer_identical():
    net = Network([2, 6, 6, 2], "tanh", seed=1, optimizer="adam", init="zeros")
    rng = np.random.default_rng(0)
    X, y = rng.normal(0, 1, (40, 2)), rng.integers(0, 2, 40)
    net.train_epochs(X, y, 0.05, 8, 20)
    for W, b in net.params[:-1]:
        assert np.allclose(W, W[:1]) and np.allclose(b, b[0])
