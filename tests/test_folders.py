"""nnsim's folders: platformdirs' config, state and log folders, and where screenshots,
recordings and the file prompt start (never an unwritable folder, never the current one)."""
import json

import pygame
import pytest
from helpers import key

from nnsim.app.shell import folders, user_settings


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """nnsim started from a folder that is not the user's (as a desktop shortcut does)."""
    cwd = tmp_path / "System32"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def refuse(monkeypatch, *refused):
    """Folders in ``refused`` cannot be written (the tests run as root, who may write anywhere)."""
    real = folders.writable
    monkeypatch.setattr(folders, "writable", lambda f: f not in refused and real(f))


def test_the_folders_follow_xdg_on_linux(tmp_path):
    assert folders.config_dir() == tmp_path / ".config" / "nnsim"
    assert folders.state_dir() == tmp_path / ".local" / "state" / "nnsim"
    assert folders.log_dir() == tmp_path / ".local" / "state" / "nnsim" / "log"
    assert user_settings.settings_path() == tmp_path / ".config" / "nnsim" / "settings.json"


def test_the_old_settings_file_is_still_read(tmp_path, monkeypatch):
    old = tmp_path / "old-config" / "nnsim"
    old.mkdir(parents=True)
    (old / "settings.json").write_text('{"intro_seen": true}')
    monkeypatch.setattr(folders, "legacy_config_dir", lambda: old)
    assert not user_settings.first_start(user_settings.settings_path())
    user_settings.remember_folder("files", tmp_path)          # the next write: the new place
    assert json.loads(user_settings.settings_path().read_text()) == {
        "intro_seen": True, "folders": {"files": str(tmp_path)}}


def test_a_screenshot_goes_to_pictures_and_the_folder_is_remembered(make_app, tmp_path, elsewhere):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    app = make_app()
    key(app, pygame.K_p)
    (png,) = pictures.glob("nnsim-*.png")
    assert app.ui.message == f"Screenshot saved: {png}" and not list(elsewhere.iterdir())
    assert user_settings.folder("screenshot") == pictures
    assert folders.Outputs(user_settings).start("screenshot") == pictures


def test_an_unwritable_folder_falls_back_to_home_and_says_so(make_app, tmp_path, elsewhere,
                                                             monkeypatch):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    refuse(monkeypatch, pictures)
    app = make_app()
    key(app, pygame.K_p)
    (png,) = tmp_path.glob("nnsim-*.png")
    assert app.ui.message == f"Screenshot saved: {png} ({pictures} cannot be written)"


def test_a_remembered_folder_that_is_gone_is_named(tmp_path):
    gone = tmp_path / "usb-stick"
    outputs = folders.Outputs()
    outputs.remember("recording", tmp_path)
    gone.mkdir()
    outputs.remember("recording", gone)
    gone.rmdir()
    path, note = outputs.place("recording", "a.gif")
    assert path == tmp_path / "a.gif" and note == f"({gone} cannot be written)"


def test_with_nothing_writable_the_temporary_folder_is_used(tmp_path, monkeypatch):
    import tempfile
    refuse(monkeypatch, tmp_path)
    assert folders.choose_folder("files")[0] == folders.Path(tempfile.gettempdir()).resolve()


def test_recordings_go_to_videos(make_app, tmp_path, elsewhere):
    (tmp_path / "Videos").mkdir()
    app = make_app()
    key(app, pygame.K_g)
    app.frame()
    key(app, pygame.K_g)
    (gif,) = (tmp_path / "Videos").glob("nnsim-*.gif")
    assert app.ui.message == f"Recording saved: {gif}"


def test_the_prompt_starts_in_documents_then_in_the_folder_used_last(make_app, tmp_path,
                                                                       elsewhere):
    documents, lessons = tmp_path / "Documents", tmp_path / "lessons"
    documents.mkdir(), lessons.mkdir()
    app = make_app(points=20)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert app.ui.prompt.folder == documents
    key(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=str(lessons / "a.json")))
    app.frame()
    key(app, pygame.K_RETURN)
    assert (lessons / "a.json").exists()
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    assert app.ui.prompt.folder == lessons
    assert user_settings.folder("files") == lessons               # and on the next start
