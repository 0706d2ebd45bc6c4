"""Learning-rate schedules and stop conditions: the eta of each epoch by hand, the pieces
training runs in, and where each stop condition stops."""
import json
import math

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.core import Session, Settings
from nnsim.core.config import COSINE_FLOOR, SCHEDULES, STEP_FACTOR
from nnsim.core.schedule import eta_at, steady_epochs


def rows(session):
    """Every epoch's (train loss, train accuracy, test loss, test accuracy): while a history
    is short each of its blocks is one epoch."""
    _, lo, hi = session.history.blocks()
    np.testing.assert_array_equal(lo, hi)
    return lo


def test_eta_by_hand():
    s = Settings(eta=0.1, schedule="step", schedule_epochs=10)
    assert [eta_at(s, e) for e in (0, 9, 10, 19, 20, 35)] == \
        [0.1, 0.1, 0.1 * STEP_FACTOR, 0.1 * STEP_FACTOR, 0.1 * STEP_FACTOR ** 2, 0.1 * STEP_FACTOR ** 3]
    c = Settings(eta=0.1, schedule="cosine", schedule_epochs=10)
    assert eta_at(c, 0) == 0.1
    assert eta_at(c, 5) == pytest.approx(0.1 * (COSINE_FLOOR + (1 - COSINE_FLOOR) / 2), rel=1e-15)
    assert eta_at(c, 10) == eta_at(c, 500) == pytest.approx(0.1 * COSINE_FLOOR, rel=1e-15)
    w = Settings(eta=0.1, warmup=4, schedule="step", schedule_epochs=10)
    np.testing.assert_allclose([eta_at(w, e) for e in range(5)], [0.025, 0.05, 0.075, 0.1, 0.1],
                               rtol=1e-15)
    assert eta_at(w, 13) == 0.1 and eta_at(w, 14) == 0.1 * STEP_FACTOR   # the schedule starts after
    assert eta_at(Settings(eta=0.1), 10 ** 6) == 0.1


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("warmup", [0, 3])
def test_steady_epochs_keep_eta_and_end_where_it_changes(schedule, warmup):
    """Each piece trains at one eta; without a warm-up a piece ends just where eta changes
    (a warm-up's last epoch may end a piece early: that only costs a kernel call)."""
    s = Settings(schedule=schedule, warmup=warmup, schedule_epochs=7)
    etas = [eta_at(s, e) for e in range(60)]
    for e in range(45):
        steady = steady_epochs(s, e)
        run = next((k for k in range(1, 16) if etas[e + k] != etas[e]), math.inf)
        assert steady <= run
        if not warmup:
            assert steady == run, (e, steady, run)


@pytest.mark.parametrize("schedule", ["step", "cosine"])
def test_a_scheduled_session_trains_each_epoch_at_its_eta(schedule):
    s = Settings(dataset="xor", points=60, schedule=schedule, warmup=2, schedule_epochs=5, eta=0.05)
    scheduled = Session(s)
    by_hand = Session(s)
    assert scheduled.train(17) == 17
    for e in range(17):
        by_hand.net.train_epochs(by_hand.F_train, by_hand.y_train, eta_at(s, e), s.batch, 1)
    np.testing.assert_array_equal(scheduled.net.theta, by_hand.net.theta)
    assert scheduled.eta == eta_at(s, 17)


def test_stop_at_epoch_n_and_go_on_when_the_setting_changes():
    session = Session(Settings(points=60, stop_epochs=12))
    assert session.train(5) == 5 and session.stopped is None
    assert session.train(100) == 7 and session.epoch == 12 and session.stopped == "epochs"
    assert session.train(10) == 0
    session.update(stop_epochs=20)
    assert session.stopped is None and session.train(100) == 8 and session.epoch == 20


def test_stop_once_the_training_loss_is_below_the_target():
    session = Session(Settings(dataset="xor", points=100, noise=0.0, stop_loss=0.4))
    ran = session.train(5000)
    losses = rows(session)[:, 0]
    assert session.stopped == "loss" and 0 < ran < 5000
    assert len(losses) == ran and losses[-1] < 0.4 and min(losses[:-1]) >= 0.4


def test_early_stopping_goes_back_to_the_best_epoch():
    session = Session(Settings(dataset="circle", noise=0.5, points=100, hidden=(16, 16), eta=0.05,
                               early_stop=10))
    ran = session.train(3000)
    test_losses = rows(session)[:, 2]
    best = int(np.argmin(test_losses)) + 1                # epochs trained by the best epoch
    assert session.stopped == "early" and ran == best + 10
    assert session.best == (best, test_losses[best - 1])
    assert session.evaluate()[2] == pytest.approx(test_losses[best - 1], rel=1e-12)
    assert session.train(10) == 0
    session.reset()
    assert session.stopped is None and session.best is None


@pytest.mark.parametrize("change, message", [
    (dict(schedule="linear"), "unknown schedule 'linear' (choose from constant, step, cosine)"),
    (dict(warmup=-1), "warmup must be a whole number of epochs from 0"),
    (dict(schedule_epochs=0), "schedule_epochs must be a whole number of epochs from 1"),
    (dict(stop_epochs=2.5), "stop_epochs must be a whole number of epochs"),
    (dict(stop_loss=-0.1), "stop_loss must be 0 (never) to 100"),
    (dict(early_stop=5, test_ratio=0.0), "early stopping watches the test loss"),
])
def test_bad_schedules_and_stops_are_one_line_errors(change, message):
    with pytest.raises(ValueError) as info:
        Settings(**change).checked()
    assert str(info.value).startswith(message)


def test_train_reports_why_it_stopped_and_the_best_epoch(capsys):
    assert main(["train", "--dataset", "circle", "--noise", "0.5", "--points", "100", "--hidden",
                 "16,16", "--lr", "0.05", "--early-stop", "10", "--epochs", "500"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    last = rows[-1]
    assert last["stopped"] == "early" and last["epoch"] == last["best_epoch"] + 10
    assert min(r["test_loss"] for r in rows) == rows[last["best_epoch"] - 1]["test_loss"]
    assert main(["train", "--stop-epochs", "7", "--schedule", "cosine", "--warmup", "2",
                 "--schedule-epochs", "5", "--points", "50"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 7 and rows[-1]["stopped"] == "epochs" and "best_epoch" not in rows[-1]
