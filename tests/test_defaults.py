"""The first impression: the default run learns the spiral while the class watches."""
import pytest

from nnsim.core import Session, Settings
from nnsim.core.config import EPOCHS_PER_SECOND

FIRST_IMPRESSION_S = 20      # seconds of Normal speed after one press of Space


@pytest.mark.parametrize("seed", range(10))
def test_default_settings_reach_90_percent_within_20_s_of_normal_speed(seed):
    session = Session(Settings(seed=seed))
    epochs = FIRST_IMPRESSION_S * EPOCHS_PER_SECOND["normal"]
    for _ in range(epochs):
        session.train(1)
        if session.history.last[1] >= 0.9:
            break
    assert session.history.last[1] >= 0.9, f"seed {seed}: {session.history.last[1]:.1%} after {epochs} epochs"


def test_the_default_lesson_keeps_the_seeds_learning_rate_and_batch():
    s = Settings()
    assert (s.dataset, s.eta, s.batch) == ("spiral", 0.01, 32)
