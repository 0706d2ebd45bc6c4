"""Each "Try this" experiment, both halves, over seeds 0-9: its claim holds in numbers."""
import json

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.lessons.experiments import BY_NAME, EXPERIMENTS

SEEDS = range(10)


def run(name, part, seed):
    e = BY_NAME[name]
    session = e.session(part, seed)
    assert session.train(e.epochs) == e.epochs
    return session


def losses(session):
    """The train loss of every epoch (a short run: the history holds each epoch)."""
    history = session.history
    assert history.size == 1
    return history.blocks()[1][:, 0]


def roughness(losses):
    """Mean size of the kinks (second differences) of the log-loss curve: jaggedness
    relative to the loss's level, ignoring its downward trend."""
    return np.mean(np.abs(np.diff(np.log(losses), 2)))


def test_six_experiments_with_two_lines_of_caption_per_part():
    assert [e.name for e in EXPERIMENTS] == ["xor-upgrade", "vanishing-gradients", "high-lr",
                                             "capacity", "batch-size", "depth"]
    for e in EXPERIMENTS:
        assert len(e.captions) == e.parts and all(len(c) == 2 for c in e.captions)
    assert BY_NAME["capacity"].parts == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_xor_needs_a_hidden_layer(seed):
    flat = run("xor-upgrade", 1, seed).history.last
    solved = run("xor-upgrade", 2, seed).history.last
    assert flat[0] > 0.6 and flat[1] <= 0.8       # near chance: ln 2 = 0.69
    assert solved[0] < 0.1 and solved[1] >= 0.95


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_stack_starves_and_relu_learns(seed):
    sigmoid = run("vanishing-gradients", 1, seed)
    relu = run("vanishing-gradients", 2, seed)
    assert sigmoid.history.last[0] > 0.68 and sigmoid.history.last[1] < 0.6   # stuck near chance
    assert relu.history.last[0] < sigmoid.history.last[0] - 0.15
    g_sig, g_relu = sigmoid.net.grad_norms, relu.net.grad_norms
    assert g_sig[0] / g_sig[-1] < 0.03 < 0.3 < g_relu[0] / g_relu[-1]   # the gradient meter


@pytest.mark.parametrize("seed", SEEDS)
def test_halving_a_too_high_eta_smooths_the_loss(seed):
    high = losses(run("high-lr", 1, seed))[10:]
    half = losses(run("high-lr", 2, seed))[10:]
    assert roughness(high) > 2 * roughness(half)


@pytest.mark.parametrize("seed", SEEDS)
def test_big_net_memorises_eight_points(seed):
    s = run("capacity", 1, seed)
    assert len(s.y_train) == 8 and len(s.y_test) == 300
    loss, accuracy, test_loss, test_accuracy = s.history.last
    assert accuracy == 1.0 and loss < 0.01
    assert test_accuracy < 0.9 and test_loss > 0.2      # the boundary fits 8 points, not the circle


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_one_is_jagged_and_batch_64_smooth(seed):
    one, big = run("batch-size", 1, seed), run("batch-size", 2, seed)
    assert roughness(losses(one)[10:]) > 10 * roughness(losses(big)[10:])
    assert (one.net.steps, big.net.steps) == (200 * 100, 4 * 100)   # per epoch: 200 vs ceil(200/64)
    assert one.history.last[0] < big.history.last[0]        # but 64 gets less done per epoch


@pytest.mark.parametrize("seed", SEEDS)
def test_spirals_need_depth(seed):
    shallow = run("depth", 1, seed).history.last
    deep = run("depth", 2, seed).history.last
    assert shallow[1] < 0.8 and deep[1] >= 0.88
    assert deep[1] - shallow[1] >= 0.15 and shallow[0] - deep[0] >= 0.2


def test_train_runs_an_experiment_headless(capsys):
    assert main(["train", "--experiment", "xor-upgrade", "--part", "2", "--seed", "4"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == BY_NAME["xor-upgrade"].epochs
    expected = run("xor-upgrade", 2, 4).history.last
    assert rows[-1]["loss"] == expected[0] and rows[-1]["accuracy"] == expected[1]


@pytest.mark.parametrize("args, message", [
    (["--experiment", "nope"], "unknown experiment 'nope'"),
    (["--experiment", "capacity", "--part", "2"], "part 1 only"),
    (["--part", "2"], "--part needs --experiment"),
])
def test_bad_experiment_options(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err
