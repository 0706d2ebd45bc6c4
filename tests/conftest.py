"""Headless test setup: SDL's dummy drivers are chosen before anything imports pygame."""
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pytest  # noqa: E402  (after the SDL drivers are chosen)


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
