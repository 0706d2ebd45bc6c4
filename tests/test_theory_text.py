"""The theory panel says what the code does: the active optimizer's rule, the loss with its
regularization, live numbers, and the experiments' captions in full."""
import pytest

from nnsim.app.views.theory_view import LIVE_NUMBERS, live_lines
from nnsim.core import Session, Settings
from nnsim.lessons import theory
from nnsim.lessons.experiments import ALL_EXPERIMENTS
from nnsim.lessons.text import _
from tests.helpers import key


@pytest.mark.parametrize("optimizer, shown", [("sgd", ("update_sgd",)),
                                              ("momentum", ("update_momentum",)),
                                              ("adam", ("update_adam", "update_adam_bias",
                                                        "update_adam_step"))])
def test_the_update_pass_shows_the_active_optimizers_rule(optimizer, shown):
    assert theory.formulas_for("update", optimizer, 0.0, 0.0) == shown


@pytest.mark.parametrize("l1, l2, shown", [(0, 0, "loss"), (0.01, 0, "loss_l1"), (0, 0.01, "loss_l2"),
                                           (0.01, 0.01, "loss_l1_l2")])
def test_the_loss_shows_the_regularization_that_is_on(l1, l2, shown):
    assert theory.formulas_for("loss", "sgd", l1, l2) == (shown,)
    assert ("lambda_1" in theory.FORMULAS[shown]) == (l1 > 0)
    assert ("lambda_2" in theory.FORMULAS[shown]) == (l2 > 0)


def test_every_formula_a_pass_can_show_exists_and_loss_and_last_layer_differ():
    for _title, items in theory.PASSES:
        for kind, content in items:
            if kind == "formula":
                for optimizer in ("sgd", "momentum", "adam"):
                    for l1, l2 in ((0, 0), (1, 0), (0, 1), (1, 1)):
                        assert set(theory.formulas_for(content, optimizer, l1, l2)) <= set(theory.FORMULAS)
    assert all("L =" not in tex for tex in theory.FORMULAS.values())     # the loss is \mathcal{L}
    assert r"\frac{1}{B}" in theory.FORMULAS["gradients"].replace("dfrac", "frac")


def test_live_numbers_give_the_loss_the_gradients_and_eta():
    session = Session(Settings(eta=0.03))
    loss = live_lines("loss", session, 0.6931, ())
    grads = live_lines("gradients", session, 0.6931, [0.05, 0.002, 0.01])
    step = live_lines("training", session)
    assert "0.6931" in loss[0] and "5.0e-02" in grads[0] and "3: 1.0e-02" in grads[0]
    assert "η = 0.03" in step[0] and set(LIVE_NUMBERS) == {"loss", "gradients"}


def test_the_experiment_list_shows_both_caption_lines(make_app):
    app = make_app((1024, 768))
    key(app, __import__("pygame").K_t)
    shown = app.painter.theory_view.paragraphs
    for e in ALL_EXPERIMENTS:
        assert all(_(line) in shown for line in e.caption)


def test_opening_the_vanishing_experiment_uncovers_the_gradient_meter(make_app):
    app = make_app((1024, 768))
    app.actions.toggle_theory()
    app.actions.load_experiment(1)
    app.frame()
    assert not app.ui.theory_visible and app.painter.network_view in app.painter.visible()
