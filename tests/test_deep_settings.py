"""Deep networks' settings: Settings' per-layer forms, the command line (the same names in
every subcommand and --compare), scenarios (version 4; older files still open), the PyTorch
export and the refusals of explain and the step-through."""
import json
import runpy

import numpy as np
import pygame
import pytest
from helpers import key, torch_or_skip

from nnsim.cli import main
from nnsim.cli.args import Parser, add_settings, compare_changes, settings_from
from nnsim.core import Session, Settings, feature_matrix_t, scenario
from nnsim.core.export import torch_script
from nnsim.lessons.text import _

DEEP = dict(hidden=(6, 6, 6), activation=("relu", "tanh", "gelu"), batch_norm=(True, False, True),
            dropout=(0.2, 0.0, 0.3), residual=True, init="he", points=60)


def trained(**kw):
    s = Session(Settings(**kw))
    s.train(5)
    return s


def parsed(*argv):
    parser = Parser(prog="nnsim")
    add_settings(parser, "--dataset")
    return settings_from(parser.parse_args(argv), parser)


@pytest.mark.parametrize("given, expected", [
    (dict(activation=("relu",) * 3), dict(activation="relu")),
    (dict(activation=["relu", "tanh", "relu"]), dict(activation=("relu", "tanh", "relu"))),
    (dict(batch_norm=(1, 1, 1), dropout=[0.5] * 3), dict(batch_norm=True, dropout=0.5)),
    (dict(residual=(False, True, True)), dict(residual=True)),       # every layer that can
    (dict(residual=(False, False, True)), dict(residual=(False, False, True))),
    (dict(residual=(0, 0, 0)), dict(residual=False)),
])
def test_settings_write_one_value_where_the_layers_agree(given, expected):
    s = Settings(hidden=(4, 4, 4), **given).checked()
    assert {name: getattr(s, name) for name in expected} == expected


@pytest.mark.parametrize("given, message", [
    (dict(activation=("relu", "tanh")), "activation: one per hidden layer"),
    (dict(dropout=0.95), "a dropout rate is 0 to 0.9"),
    (dict(batch_norm="yes"), "expected true or false"),
    (dict(residual=(True, False, False)), "hidden layer 1 cannot have a residual link"),
    (dict(init="orthogonal"), "unknown init 'orthogonal'"),
    (dict(hidden=(8,) * 17), "at most 16 hidden layers"),
    (dict(hidden=(65,)), "hidden layers have 1 to 64 neurons"),
])
def test_bad_layer_settings_are_one_line(given, message):
    with pytest.raises(ValueError, match=message):
        Settings(**{"hidden": (4, 4, 4), **given}).checked()


def test_the_limits_allow_16_layers_of_64():
    s = Session(Settings(hidden=(64,) * 16, activation="relu", points=40, batch_norm=True,
                         residual=True))
    assert s.train(1) == 1 and len(s.net.sizes) == 18


def test_the_command_line_reads_one_value_or_one_per_layer():
    s = parsed("--hidden", "6,6,6", "--activation", "relu,tanh,gelu", "--batch-norm", "1,0,1",
               "--dropout", "0.2,0,0.3", "--residual", "--init", "he", "--points", "60")
    assert s == Settings(**DEEP).checked()
    s = parsed("--hidden", "5,5", "--batch-norm", "--dropout", "0.1", "--residual", "0,1")
    assert (s.batch_norm, s.dropout, s.residual, s.activation) == (True, 0.1, True, "tanh")
    assert compare_changes("batch_norm=1,0,1,dropout=0.2,activation=relu,tanh,gelu,init=zeros",
                           Settings(hidden=(4, 4, 4))) == dict(
        batch_norm=(True, False, True), dropout=0.2, activation=("relu", "tanh", "gelu"),
        init="zeros")


def test_train_and_explain_run_deep_networks(capsys):
    assert main(["train", "--hidden", "6,6,6", "--batch-norm", "--dropout", "0.2", "--residual",
                 "--epochs", "2", "--points", "60"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["explain", "--hidden", "6,6,6", "--batch-norm", "1,0,0", "--residual", "--point",
                 "0,0", "--label", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [bool(layer["batch_norm"]) for layer in doc["layers"]] == [True, False, False, False]
    assert [layer["residual"] for layer in doc["layers"]] == [False, True, True, False]


def test_scenarios_keep_the_layers_and_training_goes_on_identically(tmp_path):
    a = trained(**DEEP)
    path = tmp_path / "deep.json"
    scenario.save(a, path)
    assert json.loads(path.read_text())["version"] == 4
    b = scenario.load(path)
    assert b.settings == a.settings
    np.testing.assert_array_equal(b.net.theta, a.net.theta)      # running statistics too
    a.train(3)
    b.train(3)
    np.testing.assert_array_equal(b.net.theta, a.net.theta)
    assert scenario.dumps(scenario.scenario_dict(b)) == scenario.dumps(scenario.scenario_dict(a))


def test_a_version_3_file_opens_with_todays_layers():
    old = scenario.scenario_dict(trained(points=40, activation="relu"))
    old["version"] = 3
    for name in ("batch_norm", "dropout", "residual", "init"):
        del old["settings"][name]
    s = scenario.loads(json.dumps(old))
    assert s.settings == Settings(points=40, activation="relu").checked() and s.net.plain


def test_a_file_with_a_negative_running_variance_is_refused():
    data = scenario.scenario_dict(trained(hidden=(3,), batch_norm=True, points=20))
    data["training"]["theta"][-1] = -1.0                       # the last running variance
    with pytest.raises(scenario.FileError, match="negative running variance"):
        scenario.loads(json.dumps(data))


def test_the_exported_script_predicts_like_the_app_in_evaluation_mode(tmp_path):
    torch_or_skip()
    s = trained(**DEEP)
    path = tmp_path / "deep.py"
    path.write_text(torch_script(s, path.name))
    proba = runpy.run_path(str(path))["predict_proba"]().numpy()
    ours = s.net.predict_proba(feature_matrix_t(s.X, s.settings.features).T)
    np.testing.assert_allclose(proba, ours, rtol=0, atol=1e-12)


def test_the_step_through_follows_deep_layers(make_app):
    app = make_app(hidden=(4, 4), dropout=(0.0, 0.2))
    key(app, pygame.K_b)
    assert app.actions.stepper.picking and app.ui.message == _("toast.stepthrough_start")


def test_the_app_opens_per_layer_activations_and_a_panel_choice_sets_them_all(make_app):
    """Regression: the panel's activation list and the A key read one name and crashed on
    a per-layer tuple (``--activation relu,tanh``)."""
    import pygame
    from helpers import key
    app = make_app(hidden=(4, 4), activation=("relu", "tanh"))
    assert app.actions.activation_shown() == "relu"
    key(app, pygame.K_a)                        # the next activation after the first layer's
    assert app.session.settings.activation == "leaky_relu"


def test_turning_batch_norm_on_in_the_app_redraws_the_new_network(make_app):
    """Regression: the snapshot and the boundary grid kept their copy of the network when
    only its layers' settings changed (the same sizes and activation) and copied the new
    weights, of another length, into it."""
    app = make_app(hidden=(4, 4), playing=True, speed="normal")
    app.actions.change(batch_norm=True)
    for _frame in range(3):
        app.frame()
    net = app.trainer.sides[0].snapshot.view_net
    assert not net.plain and len(net.theta) == len(app.session.net.theta)
    assert app.session.epoch > 0
