"""Start the playground from the command line: in a window, or headless for a set number
of frames (SDL's dummy driver), then save what was asked for.

Around the loop: the log (``crash``), the recovery file (``recovery``: offered or restored
at the start, kept while the session has unsaved changes) and the signals that end the app
(``signals``)."""
import logging
import os
import sys
from dataclasses import replace

import pygame

from ...core import scenario
from ...core.files import FileError
from ...lessons.text import _

log = logging.getLogger("nnsim")


def run(options):
    """Run the app of ``options`` (a ``LaunchOptions``) until it quits or has shown its
    frames, then save what they ask for. The "What am I looking at?" card is shown if
    ``intro``, or when None on a first start in a window. Returns the process exit code:
    0, 1 after an error (logged), 128 + the signal's number after a stop signal."""
    if options.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
        options = replace(options, fullscreen=False)    # no screen to fill: the size holds
    from . import crash, signals
    signals.keep_sdl_away()
    crash.start_logging()
    try:
        return _run(options)
    except (pygame.error, OSError, FileError):
        raise                      # no display, an output that cannot be written: one line
    except Exception as error:     # a bug before or after the loop: logged, one line
        crash.report(error)
        return 1
    finally:
        crash.stop_logging()


def _run(options):
    from . import crash, folders, recovery, signals
    from . import user_settings as intro_card
    from .loop import App
    from .screenshot import save_screenshot
    autosave_on = options.autosave if options.autosave is not None else not options.headless
    state = folders.state_dir()
    if autosave_on or options.restore is not None:
        recovery.prune(state)
    restoring, problem = _recovery_asked(options, state)
    if problem and options.headless:
        print(f"nnsim: {problem}", file=sys.stderr)
        return 1
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
    app.autosave = autosave = recovery.Autosave(state) if autosave_on else None
    if restoring:
        recovery.restore(app, restoring)
    elif problem:
        app.actions.notify(problem)
    elif options.restore is None and not options.headless:
        recovery.offer(app, state)
    with signals.StopSignals(lambda signum: app.quit()) as stop:
        try:
            if options.record:
                app.recorder.start(options.record, app.clock())
            try:
                app.run(options.frames)
                app.finish()
            except Exception as error:
                line = crash.report(error, _keep(app, autosave))
                if not options.headless:
                    crash.last_frame(app.screen, line, stopped=lambda: stop.signum is not None)
                return 1
            if stop.signum is not None:
                kept = _keep(app, autosave)
                log.info("stopped by %s%s", signals.signal.Signals(stop.signum).name,
                         f"; the session is in {kept}" if kept else "")
                return signals.exit_code(stop.signum)
            if options.save:       # first: the run's result matters more than its picture
                scenario.save(app.session, options.save)
                if restoring and not autosave:
                    recovery.remove(restoring.path)     # restored, and now saved by the run
            if options.screenshot:
                save_screenshot(app.screen, options.screenshot)
            if app.recorder.active:    # --record, or G pressed and not pressed again
                app.recorder.stop()
            if autosave:           # the run ended as asked: nothing left to recover
                autosave.discard()
        finally:
            if autosave:
                autosave.close()
            app.close()
            pygame.quit()
    return 0


def _recovery_asked(options, state):
    """With ``--restore``: (the newest Recovery, None), or (None, a line saying why not)."""
    from . import recovery
    if not options.restore:
        return None, None
    path = recovery.newest(state)
    if path is None:
        return None, _("recovery.none", folder=state)
    try:
        return recovery.read(path), None
    except FileError as error:
        recovery.set_aside(path)
        return None, _("recovery.unusable", error=error)


def _keep(app, autosave):
    """Write the recovery file now if there is anything unsaved (the app is ending);
    returns its path, or None."""
    if autosave is None:
        return None
    try:
        with app.trainer.paused():
            return autosave.write_now(app.actions) if app.actions.unsaved else None
    except Exception:                        # a broken session: the error is what matters
        log.exception("could not write the recovery file")
        return None
