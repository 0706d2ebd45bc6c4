"""Regression end to end: sessions, the command line, scenarios, CSV, the PyTorch export,
the theory text and the app's value map."""
import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import click, torch_or_skip

from nnsim.app.draw import theme as th
from nnsim.app.draw.heatmap import value_colour
from nnsim.cli import main
from nnsim.core import Session, Settings, scenario
from nnsim.core.export import torch_script
from nnsim.core.files import FileError
from nnsim.lessons import theory


def trained(epochs=150, **kw):
    session = Session(Settings(dataset="plane", points=200, eta=0.03, **kw))
    session.train(epochs)
    return session


def test_a_regression_session_learns_the_plane():
    session = trained()
    assert session.settings.problem == "regression" and session.net.sizes[-1] == 1
    assert session.y.dtype == np.float64
    train_loss, train_mae, test_loss, test_mae = session.evaluate()
    assert train_loss < 0.01 and test_mae < 0.1
    y_hat = session.net.predict_proba(session.F_train)[:, 0]
    assert train_mae == pytest.approx(np.abs(y_hat - session.y_train).mean(), rel=1e-12)


def test_regression_points_take_values_from_minus_one_to_one():
    session = Session(Settings(dataset="plane", points=10))
    assert session.add_point(1.0, 2.0, 0.25) and session.y[-1] == 0.25
    assert not session.add_point(1.0, 2.0, 1.5)
    assert len(session.y) == 11


def test_train_prints_loss_and_mean_absolute_error(capsys):
    assert main(["train", "--problem", "regression", "--dataset", "multi-gaussian",
                 "--epochs", "30", "--lr", "0.03", "--points", "200"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert set(rows[0]) == {"epoch", "loss", "mae", "test_loss", "test_mae"}
    assert rows[-1]["loss"] < rows[0]["loss"]


def test_problem_picks_its_first_dataset_and_must_fit_a_named_one(capsys):
    assert main(["train", "--problem", "regression", "--epochs", "1", "--points", "20"]) == 0
    assert "mae" in json.loads(capsys.readouterr().out)
    with pytest.raises(SystemExit) as stop:
        main(["train", "--problem", "regression", "--dataset", "xor", "--epochs", "1"])
    assert stop.value.code == 2
    assert "xor is a classification dataset" in capsys.readouterr().err


def test_the_app_starts_on_a_regression_preset(tmp_path):
    shot = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "nnsim", "--headless", "--problem", "regression",
                             "--preset", "plane", "--frames", "3", "--no-intro", "--screenshot", str(shot)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 0


def test_a_regression_scenario_saves_and_reopens_identically(tmp_path):
    session = trained(30)
    path = tmp_path / "run.json"
    scenario.save(session, path)
    again = scenario.load(path)
    assert again.settings == session.settings and again.y.dtype == np.float64
    np.testing.assert_array_equal(again.y, session.y)
    np.testing.assert_array_equal(again.net.theta, session.net.theta)
    assert again.evaluate() == session.evaluate()


def test_a_target_out_of_range_is_refused_in_one_line(tmp_path):
    data = scenario.scenario_dict(Session(Settings(dataset="plane", points=5)))
    data["points"]["label"][0] = 1.5
    with pytest.raises(FileError, match="points.label"):
        scenario.loads(json.dumps(data))


def test_csv_of_values_round_trips_and_refuses_bad_values(tmp_path):
    session = Session(Settings(dataset="multi-gaussian", points=30))
    path = tmp_path / "points.csv"
    scenario.write_csv(path, session.X, session.y)
    assert path.read_text().splitlines()[0] == "x,y,value"
    X, y = scenario.read_csv(path, 1)
    np.testing.assert_array_equal(X, session.X)
    np.testing.assert_array_equal(y, session.y)
    for bad in ("1,2,nan", "1,2,-1.5"):
        path.write_text(f"x,y,value\n{bad}\n")
        with pytest.raises(FileError, match="line 2: value"):
            scenario.read_csv(path, 1)


def test_the_torch_export_of_a_regression_prints_its_mse(tmp_path):
    torch_or_skip()
    session = trained(20)
    script = torch_script(session)
    assert "torch.nn.MSELoss()" in script
    path = tmp_path / "net.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=120).stdout
    train_loss, _, test_loss, _ = session.evaluate()
    mse = dict(line.split(" MSE: ") for line in out.splitlines())
    assert float(mse["training"].split()[0]) == pytest.approx(2 * train_loss, abs=1e-6)
    assert float(mse["test"].split()[0]) == pytest.approx(2 * test_loss, abs=1e-6)


def test_the_theory_shows_the_squared_error_and_its_delta():
    assert theory.formulas_for("loss", "sgd", 0.01, 0, regression=True) == ("loss_mse_l1",)
    assert theory.formulas_for("backward_output", "sgd", 0, 0, regression=True) == \
        ("backward_output_mse",)
    assert r"\hat{y} - t" in theory.FORMULAS["backward_output_mse"]
    assert r"\dfrac{1}{2}" in theory.FORMULAS["loss_mse"]
    for _, items in theory.PASSES:
        for kind, content in items:
            if kind == "formula":
                for l1, l2 in ((0, 0), (1, 0), (0, 1), (1, 1)):
                    assert set(theory.formulas_for(content, "adam", l1, l2, True)) <= set(theory.FORMULAS)


def test_the_theory_panel_titles_the_regression_loss(make_app):
    app = make_app((1024, 768), dataset="plane")
    app.actions.toggle_theory()
    app.frame()
    shown = app.painter.theory_view.paragraphs
    assert "2 · Loss: mean squared error" in shown and "2 · Loss: cross-entropy" not in shown


def colour_at(app, x1, x2):
    rect = app.painter.layout.boundary
    return app.screen.get_at((int(rect.x + (x1 + 6) / 12 * rect.w),
                              int(rect.y + (6 - x2) / 12 * rect.h)))[:3]


def test_the_map_shows_the_learnt_values_on_the_diverging_scale(make_app):
    app = make_app(dataset="plane", eta=0.03)
    app.trainer.train_now(200)
    app.session.clear_points()          # only the map is left to look at
    app.frame()
    high, low, middle = colour_at(app, 5.5, 5.5), colour_at(app, -5.5, -5.5), colour_at(app, 3, -3)
    assert high[2] > high[0] + 60 and low[0] > low[2] + 60       # blue at +1, orange at -1
    assert max(middle) - min(middle) < 40                        # grey near 0


def test_a_click_adds_a_point_of_value_minus_or_plus_one(make_app):
    app = make_app(dataset="plane")
    rect = app.painter.layout.boundary
    n = len(app.session.y)
    click(app, rect.center)
    click(app, (rect.centerx + 20, rect.centery), button=3)
    assert list(app.session.y[n:]) == [-1.0, 1.0]
    assert app.screen.get_at((rect.centerx + 20, rect.centery))[:3] == value_colour(1.0)


def test_value_colours_run_orange_grey_blue():
    orange, grey, blue = value_colour(-1), value_colour(0), value_colour(1)
    assert orange == th.CLASS_COLOURS[0] and grey == th.UNDECIDED and blue == th.CLASS_COLOURS[1]
    assert value_colour(-7) == orange and value_colour(float("nan")) == grey
    half = value_colour(0.5)
    assert all(min(g, b) <= h <= max(g, b) for g, h, b in zip(grey, half, blue)) and half != blue


def test_explain_and_the_step_through_say_they_follow_classification(make_app, capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--dataset", "plane", "--point", "1,2", "--label", "0"])
    assert "this one regresses" in capsys.readouterr().err
    app = make_app(dataset="plane")
    app.actions.stepper.toggle()
    assert not app.actions.stepper.active and "Classify" in app.ui.message
