"""The loss history: bounded blocks that are exactly the min and max of their epochs."""
import numpy as np

from nnsim.core import Session, Settings
from nnsim.core.history import MOST, History, block_size


def random_rows(n, seed=0):
    rng = np.random.default_rng(seed)
    rows = rng.random((n, 4))
    rows[rng.random(n) < 0.01, 2] = np.nan            # e.g. epochs without a test loss
    return rows


def assert_blocks_of(history, rows):
    """Every block of ``history`` holds the min and max of its epochs of ``rows``."""
    n = len(rows)
    starts, lo, hi = history.blocks()
    assert len(history) == n and len(starts) <= MOST and starts[0] == 0
    assert history.size == block_size(n) and np.all(np.diff(starts) == history.size)
    np.testing.assert_array_equal(lo, np.fmin.reduceat(rows, starts))
    np.testing.assert_array_equal(hi, np.fmax.reduceat(rows, starts))
    np.testing.assert_array_equal(history.last, rows[-1])


def test_blocks_are_the_min_and_max_of_their_epochs_however_the_history_grows():
    rows = random_rows(300_000)
    rng = np.random.default_rng(1)
    history, n = History(), 0
    while n < len(rows):
        step = int(rng.choice([1, 7, 1000, 40_000]))
        history, n = history.extended(rows[n:n + step]), min(len(rows), n + step)
        assert_blocks_of(history, rows[:n])
    assert history.size == 64 and len(history.blocks()[0]) == -(-300_000 // 64)
    first, epochs, lo, hi = history.at(1000)
    assert (first, epochs) == (960, 64)
    np.testing.assert_array_equal(lo, np.fmin.reduce(rows[960:1024]))


def test_a_history_never_changes_once_made():
    rows = random_rows(3 * MOST)
    a = History().extended(rows[:MOST - 5])
    b = a.extended(rows[MOST - 5:2 * MOST])             # shares a's arrays, then merges
    c = a.extended(rows[2 * MOST:2 * MOST + 9])         # goes on from a as well
    d = b.extended(rows[2 * MOST:])
    assert_blocks_of(a, rows[:MOST - 5])
    assert_blocks_of(b, rows[:2 * MOST])
    assert_blocks_of(c, np.r_[rows[:MOST - 5], rows[2 * MOST:2 * MOST + 9]])
    assert_blocks_of(d, rows)


def test_the_session_remembers_its_recent_chunk_ends():
    s = Session(Settings(dataset="xor", points=20, hidden=(3,)))
    lasts = {}
    for epochs in (3, 1, 50, 2):
        s.train(epochs)
        lasts[s.epoch] = s.history.last.copy()
    history = s.history
    for epoch, last in lasts.items():
        assert len(history[:epoch]) == epoch           # what a view still showing it draws
        np.testing.assert_array_equal(history[epoch - 1], last)
    np.testing.assert_array_equal(history[-1], history.last)
    np.testing.assert_array_equal(history[:55].last, lasts[54])   # the chunk end before
