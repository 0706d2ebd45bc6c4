"""Lessons in scenario files: saved and checked like the rest of the file, shown as a
caption, their hidden and locked controls kept out of reach in the panel and the keys."""
import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pygame
import pytest
from helpers import click, key

from nnsim.app.draw import theme as th
from nnsim.app.input import keys
from nnsim.app.widgets import lesson_gate
from nnsim.cli import main
from nnsim.core import Session, Settings, scenario
from nnsim.core.files import FileError
from nnsim.core.lesson import CONTROLS, Lesson
from nnsim.lessons.library import names, open_lesson
from nnsim.lessons.text import _

LESSON = Lesson("Learning rate", ("Only η matters today.", "Press [ and ]."),
                hidden=("dataset", "features"), locked=("learning_rate", "batch"))


def test_the_shipped_lessons_are_what_tools_make_lessons_writes(tmp_path):
    """The lesson files in the package are tools/make_lessons.py's output, so a change of
    either is a change of both."""
    tool = Path(__file__).resolve().parents[1] / "tools" / "make_lessons.py"
    spec = importlib.util.spec_from_file_location("make_lessons", tool)
    make_lessons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_lessons)
    make_lessons.main(tmp_path)
    written = sorted(path.name for path in tmp_path.glob("*.json"))
    assert written == sorted(path.name for path in make_lessons.LESSONS_DIR.glob("*.json"))
    for name in written:
        assert json.loads((tmp_path / name).read_text()) == json.loads(
            (make_lessons.LESSONS_DIR / name).read_text()), name


@pytest.fixture
def open_app(make_app):
    """A factory of headless apps showing a given session; closed afterwards."""
    return lambda session: make_app(session=session)


def lesson_session(lesson=LESSON, **settings):
    session = Session(Settings(points=80, **settings))
    session.lesson = lesson
    return session


def test_a_lesson_survives_save_and_load_exactly(tmp_path):
    path = tmp_path / "lesson.json"
    scenario.save(lesson_session(), path)
    loaded = scenario.load(path)
    assert loaded.lesson == LESSON
    again = tmp_path / "again.json"
    scenario.save(loaded, again)
    assert again.read_bytes() == path.read_bytes()
    assert "lesson" not in json.loads(scenario.dumps(scenario.scenario_dict(Session(Settings(points=10)))))


def with_lesson(lesson_data):
    data = scenario.scenario_dict(Session(Settings(points=10)), weights=False)
    data["lesson"] = lesson_data
    return json.dumps(data)


@pytest.mark.parametrize("lesson_data, message", [
    ({"title": "T", "locked": ["learning_rate", "wings"]}, "unknown control 'wings'"),
    ({"title": "T", "hidden": ["eta"]}, "unknown control 'eta'"),
    ({"title": "T", "hidden": [7]}, "unknown control"),
    ([], "field 'lesson' must be an object"),
    ({"notes": []}, "missing field 'lesson.title'"),
    ({"title": ""}, "lesson.title' must be one line"),
    ({"title": "a\nb"}, "lesson.title' must be one line"),
    ({"title": "T", "notes": "one"}, "lesson.notes' must be a list"),
    ({"title": "T", "notes": ["a"] * 5}, "at most 4"),
    ({"title": "T", "hidden": ["batch"], "locked": ["batch"]}, "'batch' is both hidden and locked"),
    ({"title": "T", "locked": ["batch", "batch"]}, "names a control twice"),
    ({"title": "T", "colour": "red"}, "unknown field 'lesson.colour'"),
])
def test_a_bad_lesson_is_one_line_naming_the_fault(lesson_data, message):
    with pytest.raises(FileError) as error:
        scenario.loads(with_lesson(lesson_data), "lesson.json")
    assert message in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith("lesson.json: ")


def test_every_control_is_reachable_from_the_panel_or_a_key(open_app):
    app = open_app(Session(Settings(points=10)))
    widgets = app.painter.panel.widgets
    used = {w.control for w in widgets if isinstance(w.control, str)}
    assert set(CONTROLS) == used | {b.control for b in keys.BINDINGS if b.control}
    headings = [w.control for w in widgets if isinstance(w.control, tuple)]
    assert sorted(sum(headings, ())) == sorted(used - {"speed"})   # each in its section


def caption_pixel(app):
    r = app.painter.layout.boundary
    return app.screen.get_at((r.x + r.w // 2, r.y + app.painter.theme.px(12)))[:3]


@pytest.mark.parametrize("name", ["why-hidden-layers", "learning-rate", "overfitting"])
def test_each_shipped_lesson_loads_and_shows_its_caption(open_app, name):
    assert name in names()
    session = open_lesson(name)
    assert session.lesson.title and session.lesson.notes
    app = open_app(session)
    assert app.session.lesson == session.lesson
    shown = caption_pixel(app)
    key(app, pygame.K_ESCAPE)                     # hides it
    assert sum(caption_pixel(app)) - sum(shown) > 200    # the caption box is dark


def test_hidden_controls_are_not_drawn_nor_clickable(open_app):
    app = open_app(lesson_session())
    panel = app.painter.panel
    xor = next(w for w in panel.widgets if type(w).__name__ == "_DatasetButton" and w.label() == "XOR")
    before = app.session.settings
    click(app, xor.rect.center)
    assert app.session.settings == before
    assert app.screen.get_at(xor.rect.move(panel.rect.topleft).center)[:3] == th.PANEL
    key(app, pygame.K_2)                          # the dataset keys are out of reach too
    assert app.session.settings == before and app.ui.message == _("lesson.locked")


def test_a_heading_hides_with_all_of_its_section(open_app):
    app = open_app(open_lesson("learning-rate"))
    shown = {w.caption for w in app.painter.panel.widgets if getattr(w, "control", None)
             and isinstance(w.control, tuple) and lesson_gate.gate(w, app.actions) is None}
    assert shown == {"Dataset", "Training"}      # Dataset keeps the Test toggle


def test_locked_controls_are_greyed_and_say_so(open_app):
    app = open_app(lesson_session())
    panel = app.painter.panel
    eta = next(w for w in panel.widgets if getattr(w, "caption", "").startswith("Learning rate"))
    before = app.session.settings
    track = eta.track()
    click(app, (track.right - 1, track.centery))
    assert app.session.settings == before and app.ui.message == _("lesson.locked")
    key(app, pygame.K_RIGHTBRACKET)
    assert app.session.settings.eta == before.eta and app.ui.message == _("lesson.locked")
    app.session.lesson = None                     # the same widget, unlocked, draws in colour
    app.frame()
    filled = (panel.rect.x + track.x + 3, panel.rect.y + track.centery)    # the accent line
    unlocked = app.screen.get_at(filled)[:3]
    app.session.lesson = LESSON
    app.frame()
    locked = app.screen.get_at(filled)[:3]
    assert unlocked == th.ACCENT and sum(locked) > sum(unlocked) + 150    # greyed: paler
    click(app, (track.right - 1, track.centery))
    app.session.lesson = None
    click(app, (track.right - 1, track.centery))
    assert app.session.settings.eta != before.eta  # and a free control works


def test_cli_opens_a_lesson_and_refuses_a_bad_name(tmp_path, capsys):
    out = tmp_path / "after.json"
    assert main(["--headless", "--frames", "2", "--lesson", "learning-rate", "--save", str(out)]) == 0
    assert scenario.load(out).lesson == open_lesson("learning-rate").lesson
    with pytest.raises(SystemExit) as exit_:
        main(["--lesson", "flying"])
    assert exit_.value.code == 2
    assert "no lesson 'flying'; the lessons are learning-rate" in capsys.readouterr().err
    for argv in (["--lesson", "overfitting", "--lr", "0.1"],
                 ["--lesson", "overfitting", "--load", str(out)]):
        with pytest.raises(SystemExit):
            main(argv)


def test_readme_lists_every_lesson_control():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    listed = re.search(r"controls from: (.*?) \(an unknown", readme, re.S).group(1)
    assert [name.strip() for name in listed.split(",")] == list(CONTROLS)


def losses(session, epochs):
    """(train loss, train accuracy, test loss) of each of ``epochs`` epochs."""
    rows = []
    for _epoch in range(epochs):
        assert session.train(1)
        rows.append(session.history.last[:3])
    return np.array(rows)


def test_why_hidden_layers_no_layer_fails_and_one_layer_succeeds():
    flat = losses(open_lesson("why-hidden-layers"), 300)
    assert flat[-1, 1] <= 0.7
    session = open_lesson("why-hidden-layers")
    session.update(hidden=(4,))                     # what L gives
    assert losses(session, 300)[-1, 1] >= 0.95


def test_learning_rate_too_small_creeps_and_too_large_jumps():
    def run(eta):
        session = open_lesson("learning-rate")
        session.update(eta=eta)
        train = losses(session, 300)[:, 0]
        return train[-1], np.mean(np.diff(train) > 0.01)
    small, right, large = run(0.0003), run(0.03), run(1.0)
    assert small[0] > 0.65                          # hardly moved
    assert right[0] < 0.1 and right[1] == 0         # down, smoothly
    assert large[1] > 0.2                           # up again on a fifth of the epochs


def test_overfitting_test_loss_turns_up_while_training_loss_falls():
    rows = losses(open_lesson("overfitting"), 1500)
    assert rows[-1, 0] < 0.01
    assert rows[-1, 2] > 3 * rows[:, 2].min()
    assert rows[:, 2].argmin() < 500
