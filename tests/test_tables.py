"""The tables of core/config drive the checks, labels, export and weight init."""
import numpy as np
import pytest

from nnsim.core import Network, Session, Settings, check_features, make_dataset, reference
from nnsim.core.config import (ACTIVATION_TABLE, ACTIVATIONS, DATASET_TABLE, DATASETS,
                               FEATURE_TABLE, FEATURES, LEAKY_SLOPE, OPTIMIZER_TABLE, OPTIMIZERS,
                               choose)
from nnsim.core.datasets import GENERATORS
from nnsim.core.export import torch_script
from nnsim.lessons.experiments import ALL_EXPERIMENTS
from nnsim.lessons.text import _, shown_name


def test_choose_returns_the_record_or_names_every_choice():
    assert choose("gelu", ACTIVATION_TABLE, "activation") is ACTIVATION_TABLE[4]
    with pytest.raises(ValueError) as info:
        choose("swish", ACTIVATION_TABLE, "activation")
    assert str(info.value) == ("unknown activation 'swish' (choose from relu, leaky_relu, tanh, "
                               "sigmoid, gelu, linear)")


@pytest.mark.parametrize("make, message", [
    (lambda: Network([2, 2], activation="swish"), "unknown activation 'swish' (choose from relu,"),
    (lambda: Network([2, 2], optimizer="rmsprop"), "unknown optimizer 'rmsprop' (choose from sgd, "
                                                   "momentum, adam)"),
    (lambda: Settings(dataset="ring").checked(), "unknown dataset 'ring' (choose from spiral,"),
    (lambda: check_features(["x1", "x3"]), "unknown feature 'x3' (choose from x1, x2, x1^2,"),
    (lambda: make_dataset("ring"), "unknown dataset 'ring'"),
])
def test_every_check_speaks_with_one_voice(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value).startswith(message)


def test_the_tuples_of_names_are_the_tables_names():
    for names, table, kind in ((ACTIVATIONS, ACTIVATION_TABLE, "activation"),
                               (OPTIMIZERS, OPTIMIZER_TABLE, "optimizer"),
                               (DATASETS, DATASET_TABLE, "dataset"), (FEATURES, FEATURE_TABLE, None)):
        assert names == tuple(record.name for record in table)
        assert all(record.label for record in table) if table is FEATURE_TABLE else \
            all(shown_name(kind, record.name) for record in table)
    assert tuple(GENERATORS) == DATASETS


@pytest.mark.parametrize("dataset", DATASET_TABLE, ids=DATASETS)
def test_a_datasets_class_count_is_what_its_generator_makes(dataset):
    _, y = make_dataset(dataset.name, n=60)
    if dataset.kind == "regression":
        assert dataset.n_classes == 1 and y.dtype == np.float64 and len(set(y)) > 2
    else:
        assert sorted(set(y)) == list(range(dataset.n_classes))
    assert Settings(dataset=dataset.name).n_classes == dataset.n_classes
    assert Settings(dataset=dataset.name).problem == dataset.kind


def test_feature_maps_compute_the_named_columns():
    x1, x2 = np.array([0.5, -2.0]), np.array([3.0, 0.25])
    expected = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
                "sin x1": np.sin(x1), "sin x2": np.sin(x2)}
    for feature in FEATURE_TABLE:
        np.testing.assert_array_equal(feature.map(x1, x2), expected[feature.name])


@pytest.mark.parametrize("activation", ACTIVATION_TABLE, ids=ACTIVATIONS)
def test_an_activations_torch_module_computes_its_phi(activation):
    torch = pytest.importorskip("torch")
    module = eval(activation.torch, {"torch": torch})     # our own table, not a user's file
    z = np.linspace(-4.0, 4.0, 41)
    np.testing.assert_allclose(module(torch.tensor(z)).numpy(), reference.phi(activation.name, z),
                               rtol=1e-12, atol=1e-12)


def test_the_export_builds_leaky_relu_from_leaky_slope():
    leaky = choose("leaky_relu", ACTIVATION_TABLE, "activation")
    assert leaky.torch == f"torch.nn.LeakyReLU({LEAKY_SLOPE!r})"
    script = torch_script(Session(Settings(activation="leaky_relu", points=20)))
    assert f"ACTIVATIONS = [torch.nn.LeakyReLU({LEAKY_SLOPE!r}), torch.nn.LeakyReLU(" in script


@pytest.mark.parametrize("activation", ACTIVATION_TABLE, ids=ACTIVATIONS)
def test_the_init_rule_sets_the_hidden_weights_spread(activation):
    W = Network([2, 32, 32, 2], activation.name, seed=3).params[1][0]     # fan_in = fan_out = 32
    variance = {"he": 2 / 32, "xavier": 2 / 64}[activation.init]
    assert W.var() == pytest.approx(variance, rel=0.15)


def test_the_panel_shows_the_tables_labels(make_app):
    app = make_app()
    shown = set()
    for problem in ("regression", "classification"):   # the dataset buttons show its datasets
        app.actions.set_problem(problem)
        for widget in app.painter.panel.widgets:
            label = getattr(widget, "label", None)
            shown.add(label() if callable(label) else label)
            shown.update(getattr(widget, "labels", ()))
    panel_datasets = tuple(d for d in DATASET_TABLE if d.panel)   # the others: by name for now
    for table, kind in ((ACTIVATION_TABLE, "activation"), (OPTIMIZER_TABLE, "optimizer"),
                        (panel_datasets, "dataset")):
        assert {shown_name(kind, record.name) for record in table} <= shown
    assert {record.label for record in FEATURE_TABLE} <= shown
    assert {f"{i} {_(e.label)}" for i, e in enumerate(ALL_EXPERIMENTS, start=1)} <= shown
