"""Saving, opening and exporting from the app and the command line; bad files change nothing."""
import json
import subprocess
import sys

import numpy as np
import pygame
import pytest
from helpers import key

from nnsim.cli import main
from nnsim.core import Session, Settings, scenario


@pytest.fixture
def app(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_app(points=120)


def type_path(app, path):
    prompt = app.ui.prompt
    assert prompt is not None and prompt.open
    key(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)          # clear the suggested name
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=str(path)))
    app.frame()
    key(app, pygame.K_RETURN)
    assert app.ui.prompt is None


def test_ctrl_s_saves_and_ctrl_o_restores(app, tmp_path):
    app.trainer.train_now(20)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert app.ui.prompt.value == "nnsim-scenario.json" and app.ui.prompt.folder == tmp_path
    type_path(app, "lesson.json")
    assert (tmp_path / "lesson.json").exists() and "Scenario saved" in app.ui.message
    theta = app.session.net.theta.copy()
    key(app, pygame.K_2)                                     # something else entirely
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    type_path(app, tmp_path / "lesson.json")
    assert app.session.settings.dataset == "spiral" and app.session.epoch == 20
    np.testing.assert_array_equal(app.session.net.theta, theta)


def test_a_listed_file_opens_with_one_click(app, tmp_path):
    scenario.save(app.session, tmp_path / "saved.json")
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    app.frame()                                              # the dialog lists the folder
    rect, path = app.ui.prompt.rows[-1]                     # after ".." and the folders
    assert path.name == "saved.json"
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
    app.frame()
    assert app.ui.prompt is None and "Scenario opened" in app.ui.message


def _scenario_text(old, new):
    text = json.dumps(scenario.scenario_dict(Session(Settings(points=20))))
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize("name, content", [
    ("bad.json", '{"format": "nnsim-scenario", "ver'),
    ("bad.csv", "x,y,label\n1,b,0\n"),
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("digits.json", _scenario_text(f'"version": {scenario.VERSION}', '"version": ' + "1" * 5000)),
    ("wide.json", _scenario_text('"hidden": [8, 8]', '"hidden": [1e400]')),
    ("long.csv", "x,y,label\n" + "1" * 200_000 + ",1,0\n"),
    ("empty.csv", "x,y,label\n"),
    ("/dev/zero", None),
])
def test_bad_files_show_a_message_and_change_nothing(app, tmp_path, name, content):
    if content is not None:
        (tmp_path / name).write_text(content)
    before = (app.session, app.session.X.copy(), app.session.net.theta.copy())
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    type_path(app, name)
    assert app.session is before[0]
    np.testing.assert_array_equal(app.session.X, before[1])
    np.testing.assert_array_equal(app.session.net.theta, before[2])
    assert app.ui.message and "\n" not in app.ui.message and app.running


def test_a_folder_typed_in_the_open_prompt_is_entered(app, tmp_path):
    (tmp_path / "bad.json").mkdir()
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="bad.json"))
    app.frame()
    key(app, pygame.K_RETURN)
    assert app.ui.prompt.folder == tmp_path / "bad.json" and app.ui.prompt.value == ""


def test_csv_export_and_import(app, tmp_path):
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    type_path(app, "points.csv")
    assert (tmp_path / "points.csv").read_text().startswith("x,y,label\n")
    (tmp_path / "mine.csv").write_text("x,y,label\n-1,-1,0\n1,1,1\n2.5,-3,1\n")
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    type_path(app, "mine.csv")
    assert app.session.y.tolist() == [0, 1, 1] and not app.session.test.any()


def test_the_e_key_exports_a_script_without_typing_its_own_letter(app, tmp_path):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=0, unicode="e", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="e"))
    app.frame()
    assert app.ui.prompt.value == "nnsim_model.py"
    key(app, pygame.K_RETURN)
    script = (tmp_path / "nnsim_model.py").read_text()
    assert "torch.nn.Sequential" in script and "WEIGHTS = [" in script


def test_cli_load_runs_headless_and_saves(tmp_path):
    start = _saved(tmp_path / "start.json")
    after = tmp_path / "after.json"
    assert main(["--headless", "--frames", "30", "--play", "--load", str(start),
                 "--save", str(after)]) == 0
    data = json.loads(after.read_text())
    assert data["settings"]["dataset"] == "xor" and data["training"]["history"]["epochs"] > 0


def _saved(path):
    scenario.save(Session(Settings(dataset="xor", points=80)), path)
    return path


@pytest.mark.parametrize("args, message", [
    (["--load", "/nonexistent/x.json"], "does not exist"),
    (["--save", "x.json"], "--save goes with --frames N"),
])
def test_cli_bad_load_exits_2_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and message in err and err.count("\n") == 1


def test_export_torch_command(tmp_path):
    src = _saved(tmp_path / "s.json")
    out = tmp_path / "net.py"
    result = subprocess.run([sys.executable, "-m", "nnsim", "export-torch", str(src), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and out.exists()
    bad = subprocess.run([sys.executable, "-m", "nnsim", "export-torch", str(tmp_path), str(out)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "is a folder" in bad.stderr
