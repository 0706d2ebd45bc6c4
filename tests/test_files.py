"""Scenario JSON, CSV points and the PyTorch export: round trips, bad files, atomic writes."""
import json
import os
import runpy
import subprocess
import sys

import numpy as np
import pytest
from helpers import torch_or_skip
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from nnsim.core import Session, Settings, feature_matrix_t, scenario
from nnsim.core.config import ACTIVATIONS, OPTIMIZERS
from nnsim.core.export import torch_script
from nnsim.core.scenario import FileError


def assert_same_history(b, a):
    assert len(b) == len(a)
    for x, y in zip(b.blocks(), a.blocks()):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(b.last, a.last)


def trained(**kw):
    s = Session(Settings(**kw))
    s.train(12)
    return s


def test_reopening_restores_the_screen_and_training_continues_identically(tmp_path):
    a = trained(dataset="moons", hidden=(6, 5), optimizer="adam", l2=0.001,
                features=("x1", "x2", "sin x1"), test_ratio=0.3)
    a.add_point(1.5, -2.0, 1)
    path = tmp_path / "lesson.json"
    scenario.save(a, path)
    b = scenario.load(path)
    assert b.settings == a.settings
    np.testing.assert_array_equal(b.X, a.X)
    np.testing.assert_array_equal(b.y, a.y)
    np.testing.assert_array_equal(b.test, a.test)
    np.testing.assert_array_equal(b.net.theta, a.net.theta)
    assert_same_history(b.history, a.history)
    a.train(5)
    b.train(5)
    np.testing.assert_array_equal(b.net.theta, a.net.theta)   # moments and shuffle state too
    assert_same_history(b.history, a.history)


def test_a_long_run_saves_small_and_reopens_with_the_same_chart(tmp_path):
    a = Session(Settings(dataset="xor", points=2, test_ratio=0.0, hidden=(), batch=0))
    assert a.train(2 ** 20 + 12_345) == 2 ** 20 + 12_345
    path = tmp_path / "long.json"
    scenario.save(a, path)
    assert path.stat().st_size <= 16 * 2 ** 20
    b = scenario.load(path)
    assert_same_history(b.history, a.history)
    a.train(3)
    b.train(3)
    np.testing.assert_array_equal(b.net.theta, a.net.theta)
    assert_same_history(b.history, a.history)


def test_version_1_files_list_every_epoch_and_are_converted(tmp_path):
    a = trained(dataset="circle", test_ratio=0.0)            # no test points: null test losses
    data = scenario.scenario_dict(a)
    _, rows, _ = a.history.blocks()
    data["version"] = 1
    data["training"]["history"] = [[v if np.isfinite(v) else None for v in row] for row in rows.tolist()]
    b = scenario.loads(json.dumps(data))
    assert_same_history(b.history, a.history)
    assert json.loads(scenario.dumps(scenario.scenario_dict(b)))["version"] == scenario.VERSION


def test_scenario_without_weights_starts_fresh(tmp_path):
    a = trained()
    path = tmp_path / "points-only.json"
    scenario.save(a, path, weights=False)
    b = scenario.load(path)
    assert b.epoch == 0 and b.settings == a.settings
    assert "training" not in json.loads(path.read_text())


@st.composite
def random_settings(draw):
    dataset = draw(st.sampled_from(["spiral", "xor", "circle", "moons", "gaussian", "blobs3",
                                    "checkerboard", "rings3", "heart", "formula", "value-formula"]))
    return Settings(
        dataset=dataset, points=draw(st.integers(10, 60)), noise=draw(st.sampled_from([0.0, 0.15, 0.5])),
        checker_size=draw(st.sampled_from([1.0, 2.5, 6.0])),
        formula=draw(st.sampled_from(["", "x1^2 + x2^2 < 9"] if dataset != "value-formula"
                                     else ["", "x1*x2^2"])),
        extra_features=tuple(draw(st.sets(st.sampled_from(["x1*x2^2", "cos(x1)", "2^-x2"]), max_size=2))),
        test_ratio=draw(st.sampled_from([0.0, 0.2, 0.5])), seed=draw(st.integers(0, 2 ** 32 - 1)),
        hidden=tuple(draw(st.lists(st.integers(1, 6), max_size=3))),
        activation=draw(st.sampled_from(ACTIVATIONS)),
        features=tuple(draw(st.sets(st.sampled_from(["x1", "x2", "x1^2", "x1*x2", "sin x2"]), min_size=1))),
        eta=draw(st.sampled_from([1e-4, 0.01, 0.37, 1.0])), batch=draw(st.integers(0, 256)),
        optimizer=draw(st.sampled_from(OPTIMIZERS)), l1=draw(st.sampled_from([0.0, 0.003])),
        l2=draw(st.sampled_from([0.0, 0.1])))


@hsettings(max_examples=30, deadline=None)
@given(random_settings(), st.integers(0, 3), st.booleans())
def test_save_load_save_gives_identical_bytes(s, epochs, weights):
    session = Session(s)
    session.train(epochs)
    first = scenario.dumps(scenario.scenario_dict(session, weights))
    again = scenario.dumps(scenario.scenario_dict(scenario.loads(first), weights))
    assert again == first


def test_the_new_settings_are_kept_and_an_older_file_gets_their_defaults(tmp_path):
    a = trained(dataset="formula", formula="sin(x1) > x2", checker_size=2.0,
                extra_features=("x1*x2^2",), points=40, schedule="cosine", warmup=3,
                schedule_epochs=50, stop_epochs=400, stop_loss=0.05, early_stop=20)
    path = tmp_path / "formula.json"
    scenario.save(a, path)
    assert scenario.load(path).settings == a.settings
    old = scenario.scenario_dict(trained(points=40), weights=False)
    old["version"] = 2
    for name in scenario.SETTINGS_ADDED:
        del old["settings"][name]
    assert scenario.loads(json.dumps(old)).settings == Settings(points=40).checked()
    old["version"] = 3                                 # a version 3 file must have them
    with pytest.raises(FileError, match="missing field 'settings.checker_size'"):
        scenario.loads(json.dumps(old))


def good_dict():
    return scenario.scenario_dict(trained(points=40))


def mutate(change):
    data = good_dict()
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("text, message", [
    (json.dumps(good_dict())[:-40], "not valid JSON"),
    ("[1, 2]", "not an nnsim scenario"),
    (mutate(lambda d: d.update(version=7)), "format version 7"),
    (mutate(lambda d: d["settings"].pop("eta")), "missing field 'settings.eta'"),
    (mutate(lambda d: d["settings"].update(eta="fast")), "'settings.eta' must be a number"),
    (mutate(lambda d: d["settings"].update(hidden=[8] * 17)), "at most 16 hidden layers"),
    (mutate(lambda d: d["settings"].update(colour="red")), "unknown setting 'colour'"),
    (mutate(lambda d: d["points"]["x1"].__setitem__(0, 123.0)).replace("123.0", "1e400"),
     "'points.x1' holds inf"),
    (mutate(lambda d: d["points"]["x2"].__setitem__(0, 99.5)), r"'points.x2' holds 99.5; expected numbers from -6 to 6"),
    (mutate(lambda d: d["points"]["label"].__setitem__(3, 2)), "points.label"),
    (mutate(lambda d: d["points"]["test"].append(True)), "same length"),
    (mutate(lambda d: d["training"]["theta"].pop()), "this network has"),
    (mutate(lambda d: d["training"].update(steps=-1)), "out of range"),
    (mutate(lambda d: d["training"].update(history=[])), "'training.history' must be an object"),
    (mutate(lambda d: d["training"]["history"].update(epochs=-1)), "history.epochs is out of range"),
    (mutate(lambda d: d["training"]["history"]["min"].pop()), "must hold 12 rows for 12 epochs"),
    (mutate(lambda d: d["training"]["history"]["max"][0].pop()), "each row of training.history.max"),
    (mutate(lambda d: d["training"]["history"].update(last="low")), "'training.history.last' must be a list"),
    (mutate(lambda d: d.update(version=True)), "format version True"),
    (json.dumps(good_dict()).replace('"noise": 0.1', '"noise": NaN'), "NaN is not a number"),
    (mutate(lambda d: d["settings"].update(formula="__import__(x1)")),
     "bad settings: formula: unknown name '__import__' at position 1"),
    (mutate(lambda d: d["settings"].update(extra_features=["x1 > 0"])),
     "bad settings: formula: x1 > 0 compares"),
    (mutate(lambda d: d["settings"].update(extra_features=[["x1"]])),
     "'settings.extra_features' must hold text"),
    (mutate(lambda d: d["settings"].update(formula=7)), "'settings.formula' must be text"),
    (mutate(lambda d: d["settings"].update(checker_size=0.0)), "square size must be 1 to 6"),
    (mutate(lambda d: d["settings"].update(schedule="warp")), "bad settings: unknown schedule 'warp'"),
    (mutate(lambda d: d["settings"].update(early_stop=2.5)), "'settings.early_stop' must be a whole number"),
])
def test_bad_scenarios_give_one_clear_line(text, message):
    with pytest.raises(FileError, match=message) as info:
        scenario.loads(text)
    assert "\n" not in str(info.value)


def adam_text(change):
    data = scenario.scenario_dict(trained(points=40, optimizer="adam"))
    change(data["training"])
    return json.dumps(data)


@pytest.mark.parametrize("text, message", [
    (adam_text(lambda t: t["v"].__setitem__(2, -0.5)), "bad training state: v holds a negative"),
    (adam_text(lambda t: t["m"].__setitem__(0, 123.0)).replace("123.0", "NaN"),
     "NaN is not a number this file may hold"),
    (adam_text(lambda t: t["v"].__setitem__(1, 123.0)).replace("123.0", "1e400"),
     "'training.v' holds inf"),
    (adam_text(lambda t: t.update(optimizer_steps=t["steps"] + 1)), "exceeds steps"),
])
def test_a_broken_optimizer_state_is_refused(text, message):
    with pytest.raises(FileError, match=message) as info:
        scenario.loads(text)
    assert "\n" not in str(info.value)


def test_bad_paths(tmp_path, monkeypatch):
    with pytest.raises(FileError, match="is a folder"):
        scenario.load(tmp_path)
    with pytest.raises(FileError, match="does not exist"):
        scenario.load(tmp_path / "missing.json")
    locked = tmp_path / "locked.json"
    locked.write_text("{}")

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    with monkeypatch.context() as m:           # chmod cannot lock root out
        m.setattr(os, "open", refused)
        with pytest.raises(FileError, match="no permission to read .*locked.json"):
            scenario.load(locked)


def test_ten_million_points_are_refused_without_loading_them(tmp_path):
    n = 10_000_000
    data = good_dict()
    data["points"] = {"label": "LABELS"}
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data).replace('"LABELS"', "[" + "0," * (n - 1) + "0]"))
    with pytest.raises(FileError, match="too many points \\(10,000,000; the limit is 10,000\\)"):
        scenario.load(path)
    path.write_text(path.read_text() + " " * scenario.MAX_FILE_BYTES)
    with pytest.raises(FileError, match="too large"):
        scenario.load(path)


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "keep.json"
    scenario.save(trained(), path)
    before = path.read_bytes()

    def broken(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(FileError, match="No space left"):
        scenario.save(trained(dataset="xor"), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["keep.json"]          # no temp file left behind


def test_csv_round_trip_and_errors(tmp_path):
    s = trained(dataset="blobs3", points=30)
    path = tmp_path / "points.csv"
    scenario.write_csv(path, s.X, s.y)
    X, y = scenario.read_csv(path, 3)
    np.testing.assert_array_equal(X, s.X)
    np.testing.assert_array_equal(y, s.y)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n1,2,0\n0.5,seven,1\n")
    with pytest.raises(FileError, match="line 3: '0.5,seven,1' is not two numbers"):
        scenario.read_csv(bad, 2)
    bad.write_text("1,2,0\n3,4,2\n")
    with pytest.raises(FileError, match="line 2: label 2 is not a class"):
        scenario.read_csv(bad, 2)
    bad.write_text("1,2,0\n30,4,1\n")
    with pytest.raises(FileError, match=r"line 2: x and y must lie in \[-6, 6\]"):
        scenario.read_csv(bad, 2)


@pytest.mark.parametrize("loss", ["cross-entropy", "squared"])
def test_exported_script_predicts_like_the_app(tmp_path, loss):
    torch_or_skip()
    s = trained(dataset="blobs3", hidden=(7, 4), activation="gelu", features=("x1", "x2", "x1*x2"),
                loss=loss)
    path = tmp_path / "net.py"
    path.write_text(torch_script(s, path.name))
    module = runpy.run_path(str(path))                   # not as __main__: nothing printed
    proba = module["predict_proba"]().numpy()
    ours = s.net.predict_proba(feature_matrix_t(s.X, s.settings.features).T)
    np.testing.assert_allclose(proba, ours, rtol=0, atol=1e-6)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True).stdout
    train_loss, accuracy, test_loss, test_accuracy = s.evaluate()
    assert f"training accuracy: {accuracy:.4f} on {len(s.y_train)} points; {loss} loss {train_loss:.6f}" in out
    assert f"test accuracy: {test_accuracy:.4f} on {len(s.y_test)} points; {loss} loss {test_loss:.6f}" in out
