"""Start the playground from the command line: in a window, or headless for a set number
of frames (SDL's dummy driver), then save what was asked for."""
import os
from dataclasses import replace

import pygame

from ...core import scenario


def run(options):
    """Run the app of ``options`` (a ``LaunchOptions``) until it quits or has shown its
    frames, then save what they ask for. The "What am I looking at?" card is shown if
    ``intro``, or when None on a first start in a window. Returns the process exit code."""
    if options.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
        options = replace(options, fullscreen=False)    # no screen to fill: the size holds
    from . import user_settings as intro_card
    from .loop import App
    from .screenshot import save_screenshot
    app = App(options)
    if options.compare:
        app.actions.compare_with(**options.compare)
    if options.experiment is not None:
        app.actions.load_experiment(options.experiment)
    intro = options.intro
    if intro is None and not options.headless:
        path = intro_card.settings_path()
        intro = intro_card.first_start(path)
        if intro:                  # written once: later starts only read it
            intro_card.remember_intro_seen(path)
    app.ui.intro_visible = bool(intro)
    try:
        if options.record:
            app.recorder.start(options.record, app.clock())
        app.run(options.frames)
        app.finish()
        if options.save:           # first: the run's result matters more than its picture
            scenario.save(app.session, options.save)
        if options.screenshot:
            save_screenshot(app.screen, options.screenshot)
        if app.recorder.active:    # --record, or G pressed and not pressed again
            app.recorder.stop()
    finally:
        app.close()
        pygame.quit()
    return 0
