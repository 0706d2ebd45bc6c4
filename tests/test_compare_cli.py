"""`nnsim --compare KEY=VALUE,...` and `nnsim --experiment NAME`: the app starts in compare
mode or on an experiment (headless too); bad values exit 2 with one line on stderr."""
import numpy as np
import pygame
import pytest

from nnsim.cli import main
from nnsim.cli.args import compare_changes
from nnsim.core import Settings


def test_app_starts_in_compare_mode_headless(tmp_path):
    shot = tmp_path / "compare.png"
    assert main(["--compare", "activation=relu,hidden=8,8,8", "--headless", "--frames", "3",
                 "--size", "1280x800", "--screenshot", str(shot)]) == 0
    assert pygame.image.load(shot).get_size() == (1280, 800)


def test_app_opens_an_experiment_headless(tmp_path):
    shot = tmp_path / "experiment.png"
    assert main(["--experiment", "high-lr", "--headless", "--frames", "3",
                 "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 0


@pytest.mark.parametrize("args, message", [
    (["--compare", "activation=bogus"], "unknown activation 'bogus'"),
    (["--compare", "eta=fast"], "--compare eta: could not convert"),
    (["--compare", "seed=3"], "--compare cannot change seed: both sides share the points"),
    (["--compare", "size=3"], "--compare: unknown setting 'size'"),
    (["--compare", "relu"], "--compare expects KEY=VALUE"),
    (["--compare", "hidden=8,99"], "99"),
    (["--experiment", "nope"], "unknown experiment 'nope'"),
    (["--experiment", "depth", "--lr", "0.1"], "--lr cannot be used with --experiment"),
    (["--experiment", "depth", "--compare", "eta=0.1"], "--experiment cannot be used with"),
])
def test_bad_compare_and_experiment_options(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--headless", "--frames", "1"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_compare_values_are_read_like_the_options():
    assert compare_changes("hidden=8,8,lr=0.3, activation=relu", Settings()) == \
        {"hidden": (8, 8), "eta": 0.3, "activation": "relu"}
    assert compare_changes("batch=full,features=x1,x2,x1^2", Settings()) == \
        {"batch": 0, "features": ("x1", "x2", "x1^2")}


def test_compare_with_makes_b_a_plus_the_changes_from_the_same_start(make_app):
    app = make_app(hidden=(8, 8))
    app.actions.compare_with(activation="relu", eta=0.03)
    a, b = app.actions.sessions
    assert app.session is b and app.actions.differences() == ("activation", "eta")
    np.testing.assert_array_equal(a.net.theta, b.net.theta)
    np.testing.assert_array_equal(a.test, b.test)


def test_compare_reads_extra_features_and_keeps_the_formula_shared():
    assert compare_changes("extra_features=x1*x2,cos(x1), lr=0.1", Settings()) == \
        {"extra_features": ("x1*x2", "cos(x1)"), "eta": 0.1}
    for key in ("formula=x1 > 0", "checker_size=2"):
        with pytest.raises(ValueError, match="both sides share the points"):
            compare_changes(key, Settings())
    with pytest.raises(ValueError, match="formula: unknown name 'x3'"):
        compare_changes("extra_features=x3", Settings())
