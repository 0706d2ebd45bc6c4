"""The in-app path prompt: moving between folders, typed paths, asking before replacing."""
import pygame
import pytest
from helpers import key

from nnsim.app.widgets.prompt import PathPrompt
from nnsim.core import scenario


@pytest.fixture
def app(make_app, tmp_path, monkeypatch):
    (tmp_path / "lessons" / "week1").mkdir(parents=True)
    (tmp_path / "lessons" / "week1.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not listed")
    monkeypatch.chdir(tmp_path)
    return make_app(points=60)


def open_prompt(app, initial="", confirm_replace=False):
    """A prompt in the app, drawn once; returns the list its choices go to."""
    chosen = []
    app.ui.prompt = PathPrompt("Pick", initial, chosen.append, (".json",), confirm_replace)
    app.frame()
    return chosen


def click_row(app, label):
    rect = next(rect for rect, path in app.ui.prompt.rows
                if (".." if label == ".." else path.name) == label)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
    app.frame()


def type_text(app, value):
    key(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=value))
    app.frame()


def test_folders_are_listed_and_entered_with_a_click(app, tmp_path):
    chosen = open_prompt(app)
    assert app.ui.prompt.folder == tmp_path and app.ui.prompt.folder.is_absolute()
    assert [path.name for _, path in app.ui.prompt.rows] == [tmp_path.parent.name, "lessons"]
    click_row(app, "lessons")
    assert app.ui.prompt.folder == tmp_path / "lessons"
    assert [path.name for _, path in app.ui.prompt.rows] == [tmp_path.name, "week1", "week1.json"]
    click_row(app, "..")
    assert app.ui.prompt.folder == tmp_path and app.ui.prompt.open and not chosen
    click_row(app, "lessons")
    click_row(app, "week1.json")
    assert chosen == [tmp_path / "lessons" / "week1.json"] and app.ui.prompt is None


def test_typed_folders_are_entered_and_typed_paths_reach_into_folders(app, tmp_path):
    chosen = open_prompt(app, "start.json")
    type_text(app, "lessons")
    key(app, pygame.K_RETURN)
    assert app.ui.prompt.folder == tmp_path / "lessons" and app.ui.prompt.value == "start.json"
    type_text(app, "../lessons/week1/new.json")
    key(app, pygame.K_RETURN)
    assert chosen == [tmp_path / "lessons" / "../lessons/week1/new.json"]
    assert chosen[0].resolve() == tmp_path / "lessons" / "week1" / "new.json"


def test_saving_over_a_file_asks_first(app, tmp_path):
    existing = tmp_path / "lessons" / "week1.json"
    chosen = open_prompt(app, "lessons/week1.json", confirm_replace=True)
    key(app, pygame.K_RETURN)
    assert app.ui.prompt.open and app.ui.prompt.replacing == existing and not chosen
    key(app, pygame.K_ESCAPE)                        # back to the name, not out of the prompt
    assert app.ui.prompt.open and app.ui.prompt.replacing is None
    key(app, pygame.K_RETURN)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="x"))   # typing withdraws it
    app.frame()
    assert app.ui.prompt.replacing is None and app.ui.prompt.value == "lessons/week1.jsonx"
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)                        # the second Enter replaces
    assert chosen == [existing] and app.ui.prompt is None


def test_a_clicked_file_asks_before_it_is_replaced_and_esc_cancels(app, tmp_path):
    chosen = open_prompt(app, "new.json", confirm_replace=True)
    click_row(app, "lessons")
    click_row(app, "week1.json")
    assert app.ui.prompt.replacing == tmp_path / "lessons" / "week1.json" and not chosen
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_ESCAPE)
    assert app.ui.prompt is None and not chosen


def test_a_new_name_saves_at_once_and_the_app_saves_there(app, tmp_path):
    app.ui.prompt = PathPrompt("Save", "nnsim-scenario.json", app.actions.save_to, (".json", ".csv"), True)
    app.frame()
    key(app, pygame.K_RETURN)
    assert app.ui.prompt is None and scenario.load(tmp_path / "nnsim-scenario.json").settings.points == 60


# -- editing the line: a cursor, Home/End, Delete, paste ---------------------------------
def test_the_cursor_moves_and_typing_goes_where_it_is(app):
    open_prompt(app, "lesson.json")
    key(app, pygame.K_HOME)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="my-"))
    app.frame()
    key(app, pygame.K_END)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_BACKSPACE)         # the n before ".json"
    key(app, pygame.K_DELETE)            # the .
    key(app, pygame.K_RIGHT)
    assert (app.ui.prompt.value, app.ui.prompt.cursor) == ("my-lessojson", 9)


def test_ctrl_v_pastes_the_clipboard_at_the_cursor(app, monkeypatch):
    monkeypatch.setattr(pygame.scrap, "get_text", lambda: "week1\n")
    open_prompt(app, "lessons/.json")
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    key(app, pygame.K_v, pygame.KMOD_CTRL)
    assert app.ui.prompt.value == "lessons/week1.json"
    assert app.ui.prompt.cursor == len("lessons/week1")


def test_ctrl_backspace_clears_what_is_before_the_cursor(app):
    open_prompt(app, "old-name.json")
    key(app, pygame.K_END)
    for _ in range(5):
        key(app, pygame.K_LEFT)
    key(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)
    assert (app.ui.prompt.value, app.ui.prompt.cursor) == (".json", 0)
