"""Typed input features: formula columns after the fixed ones, in the session, its checks,
its scenario and the PyTorch export."""
import runpy

import numpy as np
import pytest
from helpers import torch_or_skip

from nnsim.core import Session, Settings, feature_matrix_t, scenario
from nnsim.core.config import MAX_EXTRA_FEATURES
from nnsim.core.export import torch_script
from nnsim.core.features import input_labels

X = np.array([[1.0, 2.0], [-0.5, 3.0], [4.0, -1.5]])


def test_extra_columns_follow_the_fixed_ones_in_their_order():
    Ft = feature_matrix_t(X, ["x2", "x1"], extra=("x1*x2^2", "cos(x1)"))
    x1, x2 = X.T
    np.testing.assert_array_equal(Ft, [x1, x2, x1 * x2 ** 2, np.cos(x1)])
    assert Ft.flags.c_contiguous
    assert input_labels(["x2", "x1"], ("x1*x2^2", "cos(x1)")) == ("x₁", "x₂", "x1*x2^2", "cos(x1)")


def test_only_extra_features_is_allowed_but_no_features_at_all_is_not():
    np.testing.assert_array_equal(feature_matrix_t(X, [], extra=("x1 + x2",)), [X.sum(axis=1)])
    assert Settings(features=(), extra_features=("x1 + x2",)).checked().sizes == (1, 8, 8, 2)
    with pytest.raises(ValueError, match="at least one input feature"):
        Settings(features=()).checked()


def test_settings_keep_the_canonical_texts_and_the_network_grows():
    s = Settings(extra_features=(" x1 *x2^ 2", "cos( x1 )")).checked()
    assert s.extra_features == ("x1*x2^2", "cos(x1)")
    session = Session(s)
    assert session.net.sizes[0] == 4 and session.F_train.shape[1] == 4
    np.testing.assert_allclose(session.F_train[:, 3], np.cos(session.X[~session.test, 0]))


@pytest.mark.parametrize("extra, message", [
    (("x1 > 0",), "formula: x1 > 0 compares; a value formula"),
    (("x1*",), "formula: unexpected end of the formula at position 4"),
    (("x1^2", "x1 ^ 2"), "extra feature x1^2 is given twice"),
    (("x1",) * (MAX_EXTRA_FEATURES + 1), f"at most {MAX_EXTRA_FEATURES} extra features"),
    ("x1*x2", "extra features must be a list of formulas"),
])
def test_bad_extra_features_are_one_line_errors(extra, message):
    with pytest.raises(ValueError) as info:
        Settings(extra_features=extra).checked()
    assert str(info.value).startswith(message)


def test_a_change_of_extra_features_builds_a_new_network():
    session = Session(Settings(points=40))
    net = session.net
    assert "extra_features" in session.update(extra_features=("sin(x1*x2)",))
    assert session.net is not net and session.net.sizes[0] == 3


def test_scenarios_keep_extra_features(tmp_path):
    a = Session(Settings(points=30, extra_features=("x1*x2^2",)))
    a.train(3)
    scenario.save(a, tmp_path / "a.json")
    b = scenario.load(tmp_path / "a.json")
    assert b.settings == a.settings
    np.testing.assert_array_equal(b.net.predict_proba(b.F_train), a.net.predict_proba(a.F_train))


@pytest.mark.parametrize("dataset", ["circle", "plane"])
def test_the_export_computes_the_extra_columns_from_the_tree(tmp_path, dataset):
    torch_or_skip()
    s = Session(Settings(dataset=dataset, points=60, features=("x1",),
                         extra_features=("x1*x2^2/10", "-x2^2 + sqrt(abs(x1))", "2^-x1")))
    s.train(5)
    path = tmp_path / "net.py"
    path.write_text(torch_script(s, path.name))
    module = runpy.run_path(str(path))
    inputs = module["inputs"].numpy()
    np.testing.assert_allclose(inputs, feature_matrix_t(s.X, ("x1",), s.settings.extra_features).T,
                               rtol=1e-14)


def test_the_app_draws_and_steps_through_a_network_with_extra_features(make_app):
    """Regression: the boundary, the thumbnails, the hidden space and the step-through
    built their inputs from the fixed features only (a crash on the first frame)."""
    import pygame
    from helpers import boundary, click, key
    app = make_app(features=("x1",), extra_features=("cos(x1)", "x1*x2^2"), hidden=(4, 4))
    app.trainer.train_now(5)
    for _ in range(3):
        app.frame()
    assert app.painter.settled
    view = app.painter.network_view
    assert len(view.columns[0]) == 3 and view.tooltip_at(view.columns[0][2].center).endswith("x1*x2^2")
    app.actions.set_hidden_space(True)
    app.frame()
    app.actions.set_hidden_space(False)
    key(app, pygame.K_b)
    s = app.session
    x, y = boundary(app).mapping.to_screen(s.X[~s.test][0])[0]
    click(app, (int(x), int(y)))
    assert app.actions.stepper.explained is not None
