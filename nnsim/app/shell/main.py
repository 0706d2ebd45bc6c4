"""Start the playground from the command line: in a window, or headless for a set number
of frames (SDL's dummy driver), then save what was asked for."""
import os

import pygame

from ...core import scenario


def run(settings, size=(1280, 800), fullscreen=False, playing=False, speed="normal",
        headless=False, frames=None, screenshot=None, experiment_seed=None, session=None,
        save=None, record=None, intro=None, compare=None, experiment=None):
    """Run the app; headless runs wait for the kernels before the first frame; ``record``
    names a GIF recorded from the first frame to the last. The "What am I looking at?" card
    is shown if ``intro``, or when None on a first start in a window. ``compare`` (setting
    changes) starts compare mode with side B = A plus them; ``experiment`` (an index) opens
    that "Try this" experiment. Returns the process exit code."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    from . import user_settings as intro_card
    from .loop import App
    from .screenshot import save_screenshot
    app = App(settings, size, fullscreen and not headless, playing, speed,
              block_warm_up=headless, experiment_seed=experiment_seed, session=session)
    if compare:
        app.actions.compare_with(**compare)
    if experiment is not None:
        app.actions.load_experiment(experiment)
    if intro is None and not headless:
        path = intro_card.settings_path()
        intro = intro_card.first_start(path)
        if intro:                  # written once: later starts only read it
            intro_card.remember_intro_seen(path)
    app.ui.intro_visible = bool(intro)
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
