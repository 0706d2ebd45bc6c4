"""Each "Try this" experiment, over seeds 0-9: its claim shows in numbers within the epochs
it trains in 30 s at its own pace, run through `nnsim train --experiment` as a teacher
would, each side from scratch as the app starts it."""
import json
from dataclasses import replace

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.core import Session
from nnsim.core.config import PLANE, choose
from nnsim.core.pair import SHARED_FIELDS
from nnsim.lessons.experiments import ALL_EXPERIMENTS, EXPERIMENTS, SECONDS
from nnsim.lessons.text import _

SEEDS = range(10)


def named(name):
    return choose(name, ALL_EXPERIMENTS, "experiment")


def run(capsys, name, part, seed):
    """Per epoch of `nnsim train --experiment NAME`: {"loss": array, "accuracy": ...,
    "test_loss": ..., "test_accuracy": ...}."""
    assert main(["train", "--experiment", name, "--part", str(part), "--seed", str(seed)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == named(name).epochs
    return {k: np.array([r[k] for r in rows], dtype=float)
            for k in ("loss", "accuracy", "test_loss", "test_accuracy")}


def train(capsys, name, part, seed):
    """(train loss, train accuracy) per epoch of `nnsim train --experiment NAME`."""
    rows = run(capsys, name, part, seed)
    return rows["loss"], rows["accuracy"]


def jaggedness(loss):
    """Mean size of the kinks (second differences) of a loss curve as a share of its top:
    how jagged it looks on the linear chart, whose scale runs from 0 to the top."""
    return np.mean(np.abs(np.diff(loss, 2))) / np.max(loss)


def test_ten_experiments_with_two_full_caption_lines():
    assert [e.name for e in EXPERIMENTS] == ["xor-upgrade", "vanishing-gradients", "high-lr",
                                             "capacity", "batch-size", "depth"]
    assert [e.name for e in ALL_EXPERIMENTS[len(EXPERIMENTS):]] == [
        "loss-choice", "bad-init", "too-many-layers", "dropout"]
    for e in ALL_EXPERIMENTS:
        assert len(e.caption) == 2 and all(60 <= len(_(line)) <= 95 for line in e.caption)
        assert len(e.sides) == e.parts
        assert not e.part2.keys() & SHARED_FIELDS      # both sides learn the same points
    assert named("capacity").parts == 1


@pytest.mark.parametrize("name", ["vanishing-gradients", "high-lr", "batch-size",
                                  "too-many-layers", "dropout"])
def test_both_sides_start_from_the_same_weights(name):
    a, b = named(name).sessions(seed=3)
    same = [np.array_equal(W_a, W_b) for (W_a, _), (W_b, _) in zip(a.net.params, b.net.params)]
    shapes = [W_a.shape == W_b.shape for (W_a, _), (W_b, _) in zip(a.net.params, b.net.params)]
    assert same == shapes and any(same)
    np.testing.assert_array_equal(a.X, b.X)


@pytest.mark.parametrize("seed", SEEDS)
def test_xor_needs_a_hidden_layer(seed, capsys):
    flat_loss, flat_acc = train(capsys, "xor-upgrade", 1, seed)
    loss, acc = train(capsys, "xor-upgrade", 2, seed)
    assert flat_loss[-1] > 0.6 and flat_acc[-1] <= 0.8       # near chance: ln 2 = 0.69
    assert loss[-1] < 0.1 and acc[-1] >= 0.95


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_stays_flat_the_whole_time_while_relu_learns(seed, capsys):
    sigmoid, _ = train(capsys, "vanishing-gradients", 1, seed)
    relu, relu_acc = train(capsys, "vanishing-gradients", 2, seed)
    assert sigmoid.min() > 0.68                      # the plateau lasts all 30 s
    assert relu[len(relu) // 3] < 0.5 and relu[-1] < 0.1 and relu_acc[-1] >= 0.95


def grad_norms_a_third_in(name, seed):
    """The gradient meter's mean |dL/dW^l| per layer of each side of experiment ``name``
    after a third of its epochs."""
    e = named(name)
    sides = e.sessions(seed)
    for session in sides:
        session.train(e.epochs // 3)
    return [session.net.grad_norms for session in sides]


@pytest.mark.parametrize("seed", [0, 5])
def test_the_gradient_meter_shows_the_sigmoid_layers_starved(seed):
    sigmoid, relu = grad_norms_a_third_in("vanishing-gradients", seed)
    assert sigmoid[0] < sigmoid[-1] / 100 and relu[0] > relu[-1] / 10


@pytest.mark.parametrize("seed", SEEDS)
def test_too_high_eta_thrashes_and_ends_worse_than_half(seed, capsys):
    high, _ = train(capsys, "high-lr", 1, seed)
    half, _ = train(capsys, "high-lr", 2, seed)
    last = slice(-100, None)                         # the last 10 s
    assert np.ptp(high[last]) > 0.3 and np.ptp(half[last]) < 0.05
    assert high[last].mean() > half[last].mean() + 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_big_net_memorises_eight_points(seed):
    e = named("capacity")
    s = e.session(1, seed)
    s.train(e.epochs)
    assert len(s.y_train) == 8 and len(s.y_test) == 300
    loss, accuracy, test_loss, test_accuracy = s.history.last
    assert accuracy == 1.0 and loss < 0.01
    assert test_accuracy < 0.9 and test_loss > 0.2      # the boundary fits 8 points, not the circle


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_one_is_jagged_and_batch_64_smooth_but_slower(seed, capsys):
    one, _ = train(capsys, "batch-size", 1, seed)
    big, _ = train(capsys, "batch-size", 2, seed)
    assert jaggedness(one[10:]) > 0.01 > 10 * jaggedness(big[10:])
    every_3_s = slice(29, None, 30)
    assert (one[every_3_s] < big[every_3_s]).all()   # 64 gets less done per epoch


@pytest.mark.parametrize("seed", SEEDS)
def test_width_does_as_well_as_depth_for_the_same_weights(seed, capsys):
    a, b = named("depth").sessions(seed)
    assert abs(a.net.theta.size - b.net.theta.size) <= 0.05 * a.net.theta.size
    _, wide = train(capsys, "depth", 1, seed)
    _, deep = train(capsys, "depth", 2, seed)
    assert wide[-1] >= 0.95 and deep[-1] >= 0.9 and wide[-1] >= deep[-1] - 0.02


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_learns_at_once_from_a_confident_wrong_start_and_squared_error_crawls(seed, capsys):
    """From weights that give the wrong class probability 1 - e^-8, cross-entropy's delta
    y_hat - y is about 1 and the first epoch fixes it; squared error's is that times the
    softmax's slope y_hat (1 - y_hat), about e^-8, so B stays wrong for 20 epochs (5 s at
    the experiment's pace) before it climbs out, still within the experiment's 30 s."""
    a, b = named("loss-choice").sessions(seed)
    assert a.evaluate()[1] == b.evaluate()[1] == 0.0                  # both start all wrong
    assert a.evaluate()[0] > 5 and b.evaluate()[0] > 0.99             # CE about 8, squared near 1
    _, cross_entropy = train(capsys, "loss-choice", 1, seed)
    _, squared = train(capsys, "loss-choice", 2, seed)
    assert cross_entropy[0] >= 0.95 and squared[19] < 0.5 and squared[-1] >= 0.95


def test_the_init_experiment_draws_both_sides_from_the_same_seed():
    """A fair comparison of inits: B does not take A's zeros; its He weights are the same
    draws as any other init's from that seed (here Xavier's), scaled by He's std."""
    e = named("bad-init")
    a, b = e.sessions(seed=3)
    xavier = Session(replace(e.settings_for(2, 3), init="xavier"))
    for W_a, W_b, W_x in zip(*([W for W, _b in s.net.params] for s in (a, b, xavier))):
        fan_out, fan_in = W_b.shape
        assert not W_a.any()
        np.testing.assert_allclose(W_b / np.sqrt(2 / fan_in),
                                   W_x / np.sqrt(2 / (fan_in + fan_out)), rtol=1e-12)
    np.testing.assert_array_equal(a.X, b.X)


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_init_gets_no_further_than_a_line_and_he_init_solves_xor(seed, capsys):
    zeros = run(capsys, "bad-init", 1, seed)
    he = run(capsys, "bad-init", 2, seed)
    assert zeros["loss"].min() > 0.4 and zeros["test_accuracy"].max() <= 0.8   # a line on XOR
    assert he["test_accuracy"][-1] >= 0.95 and he["loss"][-1] < 0.05


#: a grid over the plane the boundary view shows
GRID = np.array(np.meshgrid(*[np.linspace(-PLANE, PLANE, 121)] * 2)).reshape(2, -1).T


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_init_keeps_each_layers_neurons_identical_and_its_boundary_one_line(seed):
    """Every neuron of a layer keeps the same incoming weights and bias, so each draws the
    same thumbnail; the net is then a function of one projection w . x (w: the first
    layer's shared row), monotone in it, so its boundary is one straight line across the
    plane, the line it has learnt."""
    e = named("bad-init")
    session = e.session(1, seed)
    session.train(e.epochs)
    for W, b in session.net.params[:-1]:
        np.testing.assert_allclose(W, np.broadcast_to(W[0], W.shape), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b, np.broadcast_to(b[0], b.shape), rtol=1e-12, atol=1e-15)
    w = session.net.params[0][0][0]
    assert np.abs(w).max() > 0.1                                     # it has learnt something
    along = np.argsort(GRID @ w)
    predicted = session.net.predict_proba(GRID)[along].argmax(axis=1)
    assert np.count_nonzero(np.diff(predicted)) == 1                 # one change: one line


@pytest.mark.parametrize("seed", SEEDS)
def test_sixteen_plain_sigmoid_layers_stall_and_batch_norm_with_residual_links_learn(seed, capsys):
    plain, plain_acc = train(capsys, "too-many-layers", 1, seed)
    rescued = run(capsys, "too-many-layers", 2, seed)
    assert plain.min() > 0.68 and plain_acc[-1] <= 0.6               # chance, all 30 s
    assert rescued["loss"][len(plain) // 3] < 0.3                    # learning within 10 s
    assert rescued["loss"][-1] < 0.05 and rescued["test_accuracy"][-1] >= 0.95


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gradient_meter_shows_the_plain_stacks_first_layers_starved(seed):
    plain, rescued = grad_norms_a_third_in("too-many-layers", seed)
    assert plain[0] < plain[-1] / 10_000 and rescued[0] > rescued[-1] / 100


@pytest.mark.parametrize("seed", SEEDS)
def test_without_dropout_the_test_loss_turns_up_and_with_dropout_it_stays_lower(seed, capsys):
    plain = run(capsys, "dropout", 1, seed)
    dropout = run(capsys, "dropout", 2, seed)
    assert plain["loss"][-1] < 0.05                                  # it fits the noise...
    test = plain["test_loss"]
    assert test[-1] > 1.5 * test.min() and test[-1] > test.min() + 0.3   # ...and it shows
    assert dropout["test_loss"][-1] < test[-1] - 0.2


def test_each_claim_shows_within_30_seconds_at_the_experiments_own_pace():
    assert SECONDS == 30
    for e in ALL_EXPERIMENTS:
        assert e.epochs == 30 * e.epochs_per_second


def test_train_runs_an_experiment_headless(capsys):
    assert main(["train", "--experiment", "xor-upgrade", "--part", "2", "--seed", "4"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == named("xor-upgrade").epochs
    e = named("xor-upgrade")
    session = e.session(2, 4)
    session.train(e.epochs)
    assert rows[-1]["loss"] == session.history.last[0]
    assert rows[-1]["accuracy"] == session.history.last[1]


@pytest.mark.parametrize("args, message", [
    (["--experiment", "nope"], "unknown experiment 'nope'"),
    (["--experiment", "capacity", "--part", "2"], "part 1 only"),
    (["--part", "2"], "--part needs --experiment"),
])
def test_bad_experiment_options(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err
