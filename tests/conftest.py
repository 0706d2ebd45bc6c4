"""Headless test setup: SDL's dummy drivers are chosen before anything imports pygame."""
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pytest  # noqa: E402  (after the SDL drivers are chosen)

#: The variables that choose nnsim's folders (platformdirs reads them on Linux).
FOLDER_VARIABLES = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_PICTURES_DIR",
                    "XDG_VIDEOS_DIR", "XDG_DOCUMENTS_DIR", "APPDATA", "LOCALAPPDATA")


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    """Every test has a home of its own, the test's folder: the settings file, recovery
    files and log land in hidden folders there (the user's own are never read or written),
    and with no Pictures, Videos or Documents folder, screenshots, recordings and the file
    prompt start there too. Child processes inherit it."""
    for name in FOLDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / ".local" / "state"))


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Every test starts in English, on a system whose locale says nothing (child processes
    too), and a language a test switches to ends with it."""
    from nnsim.lessons import text
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, "C.UTF-8")
    text.set_language(text.SOURCE)
    yield
    text.set_language(text.SOURCE)


@pytest.fixture
def make_app():
    """A factory of headless apps (warmed up, one frame run) of the given settings, launch
    options (``session``, ``playing``, ``speed``, ``fullscreen``...) and ``clock`` (a
    ``helpers.FakeClock``; default: wall time); closed afterwards."""
    import pygame

    from nnsim.app.options import LaunchOptions
    from nnsim.app.shell.loop import App
    from nnsim.core import Settings

    apps = []

    def make(size=(1280, 800), clock=None, **fields):
        launch = {k: fields.pop(k) for k in list(fields) if k in LaunchOptions.__dataclass_fields__}
        options = LaunchOptions(Settings(**fields), size=size, headless=True, **launch)
        app = App(options) if clock is None else App(options, clock, clock.sleep)
        apps.append(app)
        app.frame()
        return app

    yield make
    for app in apps:
        app.close()
    pygame.quit()


@pytest.fixture(autouse=True)
def light_theme():
    """Every test starts, and leaves, in the default theme (the colours are the draw
    module's, process-wide)."""
    yield
    from nnsim.app.draw import theme
    theme.use("light")
