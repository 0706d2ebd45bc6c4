"""Start the playground from the command line: in a window, or headless for a set number
of frames (SDL's dummy driver), then save what was asked for."""
import os

import pygame

from ..core import scenario


def run(settings, size=(1280, 800), fullscreen=False, playing=False, speed="normal",
        headless=False, frames=None, screenshot=None, experiment_seed=None, session=None,
        save=None, compare=None, experiment=None):
    """Run the app; headless runs wait for the kernels before the first frame. ``compare``
    (setting changes) starts compare mode with side B = A plus them; ``experiment`` (an
    index) opens that "Try this" experiment. Returns the process exit code."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    from .loop import App
    from .screenshot import save_screenshot
    app = App(settings, size, fullscreen and not headless, playing, speed,
              block_warm_up=headless, experiment_seed=experiment_seed, session=session)
    if compare:
        app.actions.compare_with(**compare)
    if experiment is not None:
        app.actions.load_experiment(experiment)
    try:
        app.run(frames)
        app.finish()
        if save:                   # first: the run's result matters more than its picture
            scenario.save(app.session, save)
        if screenshot:
            save_screenshot(app.screen, screenshot)
    finally:
        app.close()
        pygame.quit()
    return 0
