"""What TF Playground's users ask for, in the app (headless, real events): the new datasets
and the formula prompt, typed features, loss, schedule and stop controls, the metrics card,
early stopping's best epoch on the chart, and the seventh experiment."""
import numpy as np
import pygame
import pytest
from helpers import FakeClock, click, key

from nnsim.app.draw import theme as th
from nnsim.app.input.hover import HOVER_S
from nnsim.app.views.chart_marks import ChartMarks
from nnsim.app.views.metrics_view import MetricsView
from nnsim.core import Session, Settings
from nnsim.core.lesson import Lesson
from nnsim.core.metrics import confusion_matrix, precision_recall, report
from nnsim.lessons.experiments import ALL_EXPERIMENTS, LOSS_CHOICE
from nnsim.lessons.text import _


@pytest.fixture
def app(make_app):
    return make_app(clock=FakeClock())


def s(app):
    return app.session.settings


def widget(app, label=None, control=None, kind=None):
    """The panel widget (on the page shown) with ``label``, or of lesson ``control`` and
    type name ``kind``."""
    panel = app.painter.panel
    for w in panel.widgets:
        inner = getattr(w, "widget", w)
        if not panel.shown(w):
            continue
        shown = inner.label() if callable(getattr(inner, "label", None)) else getattr(inner, "label", None)
        if (label is not None and shown == label) or \
                (control is not None and w.control == control and type(inner).__name__ == kind):
            return inner
    raise LookupError(label or control)


def more(app, section):
    """Flip ``section`` to its "More" page with a click on its ⋯ button."""
    panel = app.painter.panel
    heading = next(w for w in panel.widgets if getattr(w, "caption", "") == _(f"panel.heading.{section}"))
    button = next(w for w in panel.widgets if getattr(w, "label", None) == "⋯" and w.rect.y == heading.rect.y)
    click(app, button.rect.center)
    assert section in panel.more


def type_text(app, string):
    """Type ``string`` into the open prompt and press Enter."""
    for char in string:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    app.frame()
    key(app, pygame.K_RETURN)


def choose(app, dropdown, index):
    click(app, dropdown.rect.center)
    assert dropdown.open
    click(app, dropdown.options[index].center)


def test_the_new_dataset_controls_change_their_settings(app):
    more(app, "dataset")
    click(app, widget(app, _("dataset.rings3")).rect.center)
    assert s(app).dataset == "rings3" and s(app).n_classes == 3
    click(app, widget(app, _("dataset.checkerboard")).rect.center)
    squares = widget(app, control="checker_size", kind="StepList")
    click(app, squares.plus.center)
    assert s(app).dataset == "checkerboard" and s(app).checker_size == 4.0
    click(app, widget(app, _("panel.formula")).rect.center)
    assert app.ui.prompt is not None
    type_text(app, "x1^2 + x2^2 < 9")
    assert app.ui.prompt is None
    assert (s(app).dataset, s(app).formula) == ("formula", "x1^2 + x2^2 < 9")
    assert set(app.session.y) == {0, 1}


def test_a_bad_formula_shows_its_one_line_error_and_changes_nothing(app):
    more(app, "dataset")
    before, points = s(app), app.session.points_version
    click(app, widget(app, _("panel.formula")).rect.center)
    type_text(app, "x1 * > 2")
    prompt = app.ui.prompt
    assert prompt is not None and "position 6" in prompt.error and "\n" not in prompt.error
    assert s(app) == before and app.session.points_version == points
    assert np.all(pygame.surfarray.pixels3d(app.screen) == th.DANGER, axis=2).any()   # drawn in red
    key(app, pygame.K_ESCAPE)
    assert app.ui.prompt is None and s(app) == before


def test_typed_features_are_added_and_removed(app):
    click(app, widget(app, _("panel.extra_none")).rect.center)
    type_text(app, "x1*x2^2")
    assert s(app).extra_features == ("x1*x2^2",) and app.session.net.sizes[0] == 3
    click(app, widget(app, _("panel.extra", n=1)).rect.center)
    type_text(app, "sqrt(")                                    # a bad one: the prompt stays
    assert app.ui.prompt.error.startswith("formula:") and s(app).extra_features == ("x1*x2^2",)
    app.frame()                                                # drawn: its rows are placed
    click(app, app.ui.prompt.rows[0][0].center)                # "✕ x1*x2^2" removes it
    assert app.ui.prompt is None and s(app).extra_features == ()


def test_loss_schedule_and_stop_controls_change_their_settings(app):
    more(app, "training")
    loss = widget(app, control="loss", kind="Segmented")
    click(app, loss.cells[1].center)
    assert s(app).loss == "squared"
    panel = app.painter.panel
    schedules, stops = (next(d for d in panel.dropdowns if d.tooltip == tip)
                        for tip in (_("panel.tip.schedule"), _("panel.tip.stop")))
    choose(app, schedules, 2)
    assert s(app).schedule == "cosine"
    click(app, widget(app, control="schedule", kind="StepList").plus.center)
    assert s(app).warmup == 5
    period = [getattr(w, "widget", w) for w in panel.widgets if panel.shown(w)
              and w.control == "schedule" and type(getattr(w, "widget", w)).__name__ == "StepList"]
    click(app, period[-1].plus.center)                         # shown once η is scheduled
    assert s(app).schedule_epochs == 200
    choose(app, stops, 3)
    assert s(app).early_stop == 20 and s(app).stop_epochs == 0
    click(app, widget(app, control="stop", kind="StepList").plus.center)
    assert s(app).early_stop == 50
    choose(app, stops, 1)
    assert (s(app).stop_epochs, s(app).early_stop) == (500, 0)
    choose(app, stops, 0)
    assert (s(app).stop_epochs, s(app).stop_loss, s(app).early_stop) == (0, 0.0, 0)


def test_a_locked_control_says_so_and_a_hidden_one_is_not_there(make_app):
    session = Session(Settings(points=80))
    session.lesson = Lesson("Loss", (), hidden=("formula",), locked=("loss",))
    app = make_app(session=session)
    more(app, "training")
    loss = widget(app, control="loss", kind="Segmented")
    click(app, loss.cells[1].center)
    assert s(app).loss == "cross-entropy" and app.ui.message == _("lesson.locked")
    more(app, "dataset")
    formula = widget(app, _("panel.formula"))
    click(app, formula.rect.center)
    assert app.ui.prompt is None
    assert app.screen.get_at(formula.rect.move(app.painter.panel.rect.topleft).center)[:3] == th.PANEL


def test_compare_mode_marks_a_differing_loss(app):
    key(app, pygame.K_k)                                       # B, a copy of A, is edited
    more(app, "training")
    click(app, widget(app, control="loss", kind="Segmented").cells[1].center)
    assert app.actions.differences() == ("loss",)
    assert app.actions.sessions[0].settings.loss == "cross-entropy"
    panel = app.painter.panel
    rect = next(r for setting, r, _page in panel.marks if setting == "loss")
    frame = rect.inflate(panel.t.px(6), panel.t.px(4))
    assert app.screen.get_at((frame.x + 1, frame.centery))[:3] == th.ACCENT


def test_the_confusion_card_shows_the_snapshots_metrics(app):
    key(app, pygame.K_3)                                       # circle
    for _step in range(5):
        key(app, pygame.K_s)
    card = next(v for v in app.painter.views if isinstance(v, MetricsView))
    click(app, card.tab.center)
    side = app.actions.sides[0]
    shown = card.metrics(side)
    session, net = app.session, side.snapshot.view_net
    for prefix, F, y in (("", session.F_train, session.y_train), ("test_", session.F_test, session.y_test)):
        truth = confusion_matrix(y, net.predict_proba(F).argmax(axis=1), 2)
        assert shown[f"{prefix}confusion"] == truth.tolist() == report(net, F, y)["confusion"]
    precision, recall = precision_recall(np.array(shown["confusion"]))
    swatch = next(rect for rect, k, prefix in card.cells if k == 1 and prefix == "")
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=swatch.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.frame()
    app.clock.now += HOVER_S
    app.frame()
    assert f"{precision[1]:.1%}" in app.painter.tooltip.tip and f"{recall[1]:.1%}" in app.painter.tooltip.tip


def test_regression_shows_r2_and_rmse_beside_mae(app):
    click(app, widget(app, control="dataset", kind="Segmented").cells[1].center)   # Regress
    key(app, pygame.K_s)
    card = next(v for v in app.painter.views if isinstance(v, MetricsView))
    click(app, card.tab.center)
    m = card.metrics(app.actions.sides[0])
    assert {"mae", "rmse", "r2", "test_mae", "test_rmse", "test_r2"} <= set(m)
    assert m["mae"] == pytest.approx(app.actions.sides[0].snapshot.metrics[1])


def test_early_stopping_marks_the_best_epoch_and_restores_its_weights(make_app):
    app = make_app(clock=FakeClock(), dataset="circle", noise=0.35, points=60, seed=3,
                   hidden=(16, 16, 16), batch=8, early_stop=1000)
    for _step in range(60):
        key(app, pygame.K_s)
    session = app.session
    best, theta = session.best[0], session.best_state["theta"].copy()
    assert best < session.epoch and not np.array_equal(session.net.theta, theta)
    marks = next(v for v in app.painter.views if isinstance(v, ChartMarks))
    x = round(marks._x(best, session.epoch))
    column = [app.screen.get_at((x, y))[:3] for y in range(marks.chart.plot.y, marks.chart.plot.bottom)]
    assert column.count(th.ACCENT) > len(column) // 3         # the dashed marker
    after = session.net.theta.copy()
    click(app, marks.button.center)
    np.testing.assert_array_equal(session.net.theta, theta)
    assert app.ui.message == _("toast.best_restored", epoch=f"{best:,}")
    key(app, pygame.K_z, pygame.KMOD_CTRL)                    # undoable like a weight edit
    np.testing.assert_array_equal(session.net.theta, after)


def test_a_stop_condition_stops_training_and_says_why(make_app):
    app = make_app(clock=FakeClock(), stop_epochs=3, schedule="step", schedule_epochs=1)
    for _step in range(5):
        key(app, pygame.K_s)
    assert app.session.epoch == 3 and app.session.stopped == "epochs"
    assert not app.actions.trainer.trainable()
    assert app.session.eta == pytest.approx(0.01 * 0.5 ** 3)


def test_the_seventh_experiment_opens_from_its_key_and_the_list(app):
    assert ALL_EXPERIMENTS[6] is LOSS_CHOICE
    key(app, pygame.K_7, pygame.KMOD_SHIFT)
    assert app.ui.experiment is LOSS_CHOICE and len(app.actions.sides) == 2
    assert [side.session.settings.loss for side in app.actions.sides] == ["cross-entropy", "squared"]
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_k)                                       # back to one side
    choose(app, app.painter.panel.dropdowns[-1], 6)
    assert app.ui.experiment is LOSS_CHOICE
    key(app, pygame.K_t)                                       # the theory panel lists it
    assert f"7. {_(LOSS_CHOICE.title)}" in app.painter.theory_view.paragraphs


def test_in_compare_mode_each_side_marks_its_best_epoch_and_restores_the_edited_one(make_app):
    app = make_app(clock=FakeClock(), dataset="circle", noise=0.35, points=60, seed=3,
                   hidden=(16, 16, 16), batch=8, early_stop=1000)
    key(app, pygame.K_k)                                       # compare: the panel edits B
    assert app.actions.selected == 1
    for _step in range(3):
        key(app, pygame.K_RIGHTBRACKET)                        # B learns faster
    for _step in range(60):
        key(app, pygame.K_s)
    a, b = (side.session for side in app.actions.sides)
    assert a.settings.eta < b.settings.eta and a.best[0] != b.best[0]
    marks = next(v for v in app.painter.views if isinstance(v, ChartMarks))
    plot = marks.chart.plot
    for session, colour in ((a, th.TRAIN_LINE), (b, th.ACCENT)):
        x = round(marks._x(session.best[0], session.epoch))
        column = [app.screen.get_at((x, y))[:3] for y in range(plot.y, plot.bottom)]
        assert column.count(colour) > len(column) // 4, session.settings.eta
    theta_a, theta_b = a.net.theta.copy(), b.best_state["theta"].copy()
    click(app, marks.button.center)
    np.testing.assert_array_equal(b.net.theta, theta_b)
    np.testing.assert_array_equal(a.net.theta, theta_a)
