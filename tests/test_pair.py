"""Compare mode's engine: a twin session, the same start, both sides trained together."""
import numpy as np

from nnsim.app.state.training import Trainer
from nnsim.app.state.ui_state import UiState
from nnsim.core import Session, Settings
from nnsim.core.pair import start_together, twin


def test_a_twin_is_the_session_as_it_is_and_trains_the_same():
    a = Session(Settings(dataset="moons", points=120, hidden=(5,), optimizer="adam"))
    a.train(7)
    b = twin(a)
    assert b.settings == a.settings and b.epoch == a.epoch == 7
    a.train(5)
    b.train(5)
    np.testing.assert_array_equal(a.net.theta, b.net.theta)
    np.testing.assert_array_equal(a.history.blocks()[1], b.history.blocks()[1])


def test_start_together_copies_the_layers_that_match():
    a = Session(Settings(hidden=(8, 8), activation="sigmoid"))
    b = Session(Settings(hidden=(8, 4), activation="relu", seed=9))
    version = b.weights_version
    start_together(a, b)
    (W1a, b1a), (W2a, _), _ = a.net.params
    (W1b, b1b), (W2b, _), _ = b.net.params
    np.testing.assert_array_equal(W1a, W1b)
    np.testing.assert_array_equal(b1a, b1b)
    assert W2a.shape != W2b.shape and b.weights_version > version


def test_sides_that_compare_inits_keep_their_own_weights():
    a = Session(Settings(hidden=(8, 8), init="zeros"))
    b = Session(Settings(hidden=(8, 8), init="large"))
    theta = b.net.theta.copy()
    start_together(a, b)
    np.testing.assert_array_equal(b.net.theta, theta)
    assert not a.net.params[0][0].any() and b.net.params[0][0].any()


def test_the_worker_trains_both_sides_to_the_same_epoch():
    trainer = Trainer(clock=lambda: 0.0)
    a = Session(Settings(points=100))
    b = twin(a)
    b.update(activation="relu")
    trainer.show([a, b])
    trainer.schedule(UiState(playing=True, speed="fast", pace=120), 0.05)
    trainer.collect(join=True)
    assert a.epoch == b.epoch == 6                # 120 epochs/s for 0.05 s, each side
    assert [side.snapshot.shown_epoch for side in trainer.sides] == [a.epoch, b.epoch]
    with trainer.paused():
        b.clear_points()                        # a side that cannot train is left out
    trainer.schedule(UiState(playing=True, speed="fast", pace=120), 0.05)
    trainer.collect(join=True)
    assert a.epoch > b.epoch
    trainer.close()
