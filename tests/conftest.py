"""Headless test setup: SDL's dummy drivers are chosen before anything imports pygame."""
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pytest  # noqa: E402  (after the SDL drivers are chosen)


@pytest.fixture
def make_app():
    """A factory of headless apps (warmed up, one frame run) of the given settings or
    ``session``; closed afterwards."""
    import pygame

    from nnsim.app.shell.loop import App
    from nnsim.core import Settings

    apps = []

    def make(size=(1280, 800), session=None, **settings):
        app = App(Settings(**settings), size=size, block_warm_up=True, session=session)
        apps.append(app)
        app.frame()
        return app

    yield make
    for app in apps:
        app.close()
    pygame.quit()
