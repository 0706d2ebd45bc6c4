"""`nnsim train`: JSON lines per epoch; bad options exit 2 with one line on stderr."""
import json
import subprocess
import sys

import pytest

from nnsim.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "nnsim", *args], capture_output=True, text=True,
                          timeout=120)


def test_train_prints_one_json_object_per_epoch(capsys):
    assert main(["train", "--dataset", "xor", "--hidden", "4", "--lr", "0.03", "--batch", "10",
                 "--epochs", "40", "--seed", "0", "--noise", "0", "--points", "200",
                 "--test-ratio", "0.25"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in rows] == list(range(1, 41))
    assert set(rows[0]) == {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"}
    assert rows[-1]["loss"] < rows[0]["loss"] and rows[-1]["accuracy"] > 0.9
    assert all(0 <= r["test_accuracy"] <= 1 for r in rows)


def test_train_without_test_points_prints_null(capsys):
    assert main(["train", "--epochs", "2", "--test-ratio", "0", "--points", "50"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert row["test_loss"] is None and row["test_accuracy"] is None


def test_train_is_deterministic(capsys):
    args = ["train", "--dataset", "spiral", "--epochs", "5", "--optimizer", "adam",
            "--features", "x1,x2,sin x1", "--batch", "full", "--l2", "0.001"]
    main(args)
    first = capsys.readouterr().out
    main(args)
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("args, message", [
    (["--dataset", "banana"], "unknown dataset 'banana'"),
    (["--epochs", "0"], "epochs must be"),
    (["--lr", "-0.1"], "learning rate must be"),
    (["--hidden", ",".join(["8"] * 40)], "at most 16 hidden layers"),
    (["--hidden", "8,x"], "expected widths"),
    (["--activation", "swish"], "unknown activation"),
    (["--features", "x1,x9"], "unknown feature"),
    (["--batch", "999"], "batch size"),
    (["--noise", "2"], "noise"),
    (["--bogus"], "unrecognized arguments"),
])
def test_bad_options_exit_2_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("nnsim train: error:")


def test_console_entry_point_runs_as_module():
    result = run("train", "--epochs", "3", "--points", "60")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["epoch"] for line in result.stdout.splitlines()] == [1, 2, 3]
    bad = run("train", "--epochs", "-1")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_divergence_exits_1_with_one_line(capsys):
    code = main(["train", "--activation", "leaky_relu", "--optimizer", "momentum", "--lr", "1",
                 "--epochs", "100"])
    assert code == 1
    assert capsys.readouterr().err.startswith("nnsim train: diverged at epoch")


@pytest.mark.parametrize("args", [
    ["--formula", "x1^2 + x2^2 < 9"],
    ["--formula", "x1 > 0 and x2 > 0", "--extra-feature", "x1*x2"],
    ["--problem", "regression", "--formula", "sin(x1)*cos(x2)", "--extra-feature", "x1*x2^2",
     "--extra-feature", "cos(x1)"],
    ["--dataset", "checkerboard", "--checker-size", "2"],
    ["--dataset", "rings3"],
    ["--dataset", "heart"],
])
def test_train_takes_the_new_datasets_formulas_and_features(args, capsys):
    assert main(["train", "--epochs", "2", "--points", "60", *args]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 2 and rows[-1]["loss"] is not None


@pytest.mark.parametrize("args, message", [
    (["--formula", "sin(x1)"], "formula: sin(x1) is a value; a class rule compares"),
    (["--problem", "regression", "--formula", "x1 > 0"], "formula: x1 > 0 compares"),
    (["--formula", "x1 > (x2"], "formula: unexpected end of the formula at position 9"),
    (["--extra-feature", "x1.real"], "formula: unexpected character '.' at position 3"),
    (["--extra-feature", "open(x1)"], "formula: unknown name 'open' at position 1"),
    (["--dataset", "checkerboard", "--checker-size", "0.1"], "square size must be 1 to 6"),
    (["--dataset", "heart", "--problem", "regression"], "heart is a classification dataset"),
])
def test_bad_formulas_and_sizes_are_one_line_usage_errors(args, message):
    result = run("train", "--epochs", "1", *args)
    assert result.returncode == 2 and not result.stdout
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
