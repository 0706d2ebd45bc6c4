"""Start the playground from the command line: in a window, or headless for a set number
of frames (SDL's dummy driver), then save what was asked for."""
import os

import pygame

from ..core import scenario


def run(settings, size=(1280, 800), fullscreen=False, playing=False, speed="normal",
        headless=False, frames=None, screenshot=None, experiment_seed=None, session=None,
        save=None, record=None):
    """Run the app; headless runs wait for the kernels before the first frame; ``record``
    names a GIF recorded from the first frame to the last. Returns the process exit code."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    from .loop import App
    from .screenshot import save_screenshot
    app = App(settings, size, fullscreen and not headless, playing, speed,
              block_warm_up=headless, experiment_seed=experiment_seed, session=session)
    try:
        if record:
            app.recorder.start(record, app.clock())
        app.run(frames)
        app.finish()
        if save:                   # first: the run's result matters more than its picture
            scenario.save(app.session, save)
        if screenshot:
            save_screenshot(app.screen, screenshot)
        if app.recorder.active:    # --record, or G pressed and not pressed again
            app.recorder.stop()
    finally:
        app.close()
        pygame.quit()
    return 0
