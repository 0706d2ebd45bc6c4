"""The playground's loop: events -> training for this frame's budget -> drawing.

``App`` owns the window and wires the parts together: ``Actions`` (what keys and controls
do), ``Trainer`` (the schedule and the snapshot the views draw), ``Painter`` (the views).
"""
import gc
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import pygame

from ...core import Session
from ...core.config import WINDOW_MAX, WINDOW_MIN
from ...core.files import FileError
from ...lessons import text
from ...lessons.text import _
from ..draw import theme
from ..input import keys
from ..input.intents import Hover, MouseTranslator, Press, picked
from ..input.touch import FINGER_EVENTS, TouchTranslator
from ..state.actions import Actions
from ..state.training import Trainer
from ..state.ui_state import UiState
from ..views.painter import Painter
from ..widgets.formula_prompt import FormulaPrompt
from ..widgets.prompt import PathPrompt, ValuePrompt
from . import user_settings
from .fast_engine import FastEngine
from .folders import Outputs
from .pacing import FramePacer
from .recorder import Recorder
from .screenshot import save_screenshot

FPS = 60
WARMING_FPS = 20          # until the networks on screen run on the fast engine: the helper
                          # compiling the kernels keeps most of a core (at 60 FPS NumPy
                          # drawing took all of one)
GIL_SWITCH_S = 0.0005     # how soon the worker thread gets the GIL back from the drawing


class App:
    """The playground. ``frame()`` runs one iteration of the loop; ``run()`` loops;
    ``close()`` stops the worker and restores what the app changed process-wide.

    ``options`` (a ``LaunchOptions``) gives the first session, the window and how training
    starts. A windowed app trains and draws with NumPy until the numba kernels are ready
    (``FastEngine``); a headless app compiles them before its first frame. ``clock`` (seconds)
    and ``sleep`` drive everything that follows wall time (the frame pacer, paced training
    speeds, messages), so tests can inject their own.
    """

    def __init__(self, options, clock=time.perf_counter, sleep=time.sleep):
        self.fast = FastEngine()
        if not options.headless:
            self.fast.start()        # first: the compile helper starts while the app does
        pygame.display.init()
        pygame.font.init()
        remembered = None if options.headless else user_settings.theme()
        theme.use(options.theme or (remembered if remembered in theme.THEMES else "light"))
        _choose_language(options.language)
        pygame.key.set_repeat(400, 40)
        self.clock = clock
        self.windowed_size = _clamp_size(options.size)
        self.fullscreen = options.fullscreen
        self._open_window()
        self.pacer = FramePacer(FPS if options.headless else WARMING_FPS, clock, sleep)
        self.ui = UiState(playing=options.playing, speed=options.speed)
        self.trainer = Trainer(clock)
        self.actions = Actions(options.session or Session(options.settings), self.ui, self,
                               self.trainer, clock, options.experiment_seed)
        self.painter = Painter(self.actions, self.trainer)
        self.mouse = MouseTranslator(lambda: self.ui.pick)     # pointer events -> intents
        self.touch = TouchTranslator(lambda: self.screen.get_size(), clock,
                                     lambda pos: picked(pos, self.ui.pick))
        self.ui.picker = options.touch
        self.outputs = Outputs(user_settings)      # where screenshots, GIFs, the prompt go
        self.recorder = Recorder(self.actions.notify, self.outputs)
        self.running = True
        self.autosave = None           # a recovery.Autosave keeps the recovery file (run() sets it)
        self._frame_s = 1 / FPS        # duration of the last frame
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_S)   # else a chunk can start or end 5 ms late
        self._shown_still = False                  # the frame shown stays right until an event
        self._warming = None           # how far the kernels of the networks on screen are
        if options.headless:
            self.fast.prepare_now()
        else:
            self.fast.prepare_beside()
        self.relayout()
        self.trainer.sync()
        gc.freeze()    # start-up objects leave the collector's view: no long pauses mid-run

    @property
    def session(self):
        return self.actions.session

    # -- window (what Actions may ask of it) ----------------------------------------------
    def _open_window(self):
        if self.fullscreen:
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)

    def relayout(self):
        pygame.display.set_caption(_("window.caption"))      # the language may have changed
        self.painter.relayout(self.screen.get_size())

    def remember_language(self, code):
        user_settings.remember_language(code)

    def cycle_theme(self):
        """Draw in the next theme from now on, and start with it next time; its name."""
        name = theme.THEMES[(theme.THEMES.index(theme.palette.name) + 1) % len(theme.THEMES)]
        theme.use(name)
        user_settings.remember_theme(name)
        self.relayout()
        return name

    def resize(self, size):
        if not self.fullscreen:
            self.windowed_size = _clamp_size(size)
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            self.relayout()

    def toggle_fullscreen(self):
        """Fullscreen at the desktop's resolution, or back to a window that fits the screen."""
        self.fullscreen = not self.fullscreen
        if not self.fullscreen:
            desktop = pygame.display.get_desktop_sizes()[0]
            self.windowed_size = _fit(self.windowed_size, desktop)
        self._open_window()
        self.relayout()

    def quit(self):
        self.running = False

    def screenshot(self, path=None):
        """Save the window as a PNG (atomically; by default in the screenshot folder, see
        ``folders``); returns the path, or None (and a message saying why) on failure."""
        note = ""
        try:
            if path is None:
                path, note = self.outputs.place("screenshot", time.strftime("nnsim-%Y%m%d-%H%M%S.png"))
            path = Path(path).resolve()
            save_screenshot(self.screen, path)
        except (FileError, OSError) as error:
            self.actions.notify(_("toast.screenshot_failed", error=error))
            return None
        self.outputs.remember("screenshot", path.parent)
        self.actions.notify(f"{_('toast.screenshot_saved', path=path)} {note}".rstrip())
        return path

    def toggle_recording(self):
        self.recorder.toggle(self.clock())

    def ask_path(self, title, initial, on_done, suffixes, confirm_replace=False):
        """Open the file prompt (see ``PathPrompt``) in the folder used last; it takes every
        event until closed."""
        def done(path):
            if path.parent.is_dir():
                self.outputs.remember("files", path.parent)
            on_done(path)
        self.ui.prompt = PathPrompt(title, initial, done, suffixes, confirm_replace,
                                    folder=self.outputs.start("files"))

    def ask_value(self, title, value, on_done, anchor, limit):
        """Open the number prompt at ``anchor`` (see ``ValuePrompt``)."""
        self.ui.prompt = ValuePrompt(title, value, on_done, anchor, limit)

    def ask_formula(self, title, value, on_done, hint, items=()):
        """Open the formula prompt (see ``FormulaPrompt``)."""
        self.ui.prompt = FormulaPrompt(title, value, on_done, hint, items)

    # -- events ---------------------------------------------------------------------------
    def handle(self, event, intent):
        """One event; ``intent`` is its pointer intent (None for other events)."""
        ui = self.ui
        if event.type == pygame.QUIT:
            self.actions.quit()
        elif event.type == pygame.VIDEORESIZE:
            self.resize(event.size)
        elif ui.prompt:
            if intent is None:
                ui.prompt.key(event)
            else:
                ui.prompt.point(intent)
            if not ui.prompt.open:
                ui.prompt = None
                self.painter.forget_pointer()
        elif ui.blank and (event.type == pygame.KEYDOWN or isinstance(intent, Press)):
            ui.blank = False               # any key or press brings the screen back, and only that
        elif ui.intro_visible and (event.type == pygame.KEYDOWN or isinstance(intent, Press)):
            ui.intro_visible = False       # any key or click closes the card, and only that
        elif event.type == pygame.KEYDOWN:
            keys.dispatch(event, self.actions)
        elif intent is not None:
            self.painter.handle(intent)

    def _intents(self, events):
        """(event, pointer intent or None) of each of ``events``, a finger's intents (it
        may make none, or two) each paired with its event; then a long press, which comes
        of holding still, with no event (NOEVENT)."""
        inputs = []
        for event in events:
            if event.type in FINGER_EVENTS:
                self.actions.show_picker()
                inputs += [(event, intent) for intent in self.touch(event)] or [(event, None)]
            else:
                inputs.append((event, self.mouse(event)))
        return inputs + [(pygame.event.Event(pygame.NOEVENT), held) for held in self.touch.held()]

    # -- loop -----------------------------------------------------------------------------
    def frame(self, events=None):
        """One frame: handle ``events`` (default: the queue's) as intents, inside the
        trainer's gate unless they only hover (they may change the sessions); keep the
        worker training, draw, then wait for the frame's slot and show it (frames appear
        at a steady 60 Hz). False once the app quits."""
        trainer = self.trainer
        events = pygame.event.get() if events is None else events
        inputs = self._intents(events)
        if self.ui.prompt:
            self.ui.prompt.accepting = True
        may_change = any(not isinstance(intent, Hover) for _, intent in inputs)
        with trainer.paused() if may_change else nullcontext():
            trainer.collect()             # the chunks finished meanwhile
            for event, intent in inputs:
                self.handle(event, intent)
        if not self.running:
            return False
        self.actions.stepper.follow()
        if self.autosave is not None:
            self.autosave.tick(self.actions, trainer)
        if not trainer.worker.busy:
            trainer.sync()               # changes made outside an event (a script, a test)
        if self.ui.playing and trainer.stuck():
            self.ui.playing = False      # pointless until a reset; a banner says why
        if self.fast.switchable():
            with trainer.paused():            # between two chunks, nothing drawing
                self.fast.switch()
        self._follow_warm_up()
        trainer.schedule(self.ui, self._frame_s)
        self.painter.draw(self.screen, self.fast.all_cores(), self.pacer.fps, self._warming)
        self.recorder.frame(self.screen, self.clock())
        self._frame_s = self.pacer.wait()
        pygame.display.flip()
        self._shown_still = self._still()
        return True

    def _follow_warm_up(self):
        """While the networks on screen train on NumPy (the kernels they need are not loaded
        yet: a network with deep layers needs its own, made ready once one is on screen),
        the frame rate stays low; when they switch to the kernels, say so."""
        deep = any(not side.session.net.plain for side in self.trainer.sides)
        if deep:
            self.fast.want_deep()
        warming = self.fast.warming(deep)
        if self._warming and not warming:
            self.actions.notify(_("toast.fast_engine_ready"))
        self._warming = warming
        self.pacer.period = 1 / (WARMING_FPS if warming else FPS)

    def _still(self):
        """Nothing on screen changes until an event comes: no training runs or is due, the
        views have drawn everything, no message is about to go, the epochs/s readout is down
        to 0."""
        trainer, ui = self.trainer, self.ui
        return (not trainer.worker.busy and not self.recorder.active
                and not (ui.playing and trainer.trainable())
                and self.painter.settled and self.clock() >= ui.message_until
                and all(side.snapshot.epochs_per_second() == 0 for side in trainer.sides))

    def run(self, frames=None):
        """Frames until the app quits, or ``frames`` frames. Without a count, a frame is
        drawn only when it would differ: while the screen is still the app sleeps in SDL's
        event queue (no CPU, no redraw); until the networks on screen run on the fast engine
        it still looks round every IDLE_TIMEOUT_MS (its progress, its switch)."""
        n = 0
        while self.running:                # quit() (or a signal) ends it, idle or not
            events = pygame.event.get()
            if not events and frames is None:
                if self._shown_still:
                    events = self.pacer.idle()
                    if not events and not self._warming:
                        continue
            if not self.frame(events):
                break
            n += 1
            if frames is not None and n >= frames:
                break

    def finish(self):
        """Collect any training still running (so the session is complete)."""
        self.trainer.collect(join=True)

    def close(self):
        """Stop the worker thread and restore what the app changed process-wide."""
        self.finish()
        self.trainer.close()
        self.fast.close()
        sys.setswitchinterval(self._switch_interval)
        gc.unfreeze()


def _choose_language(given):
    """Show the texts of ``given`` (``--lang``), else of the language last chosen in the
    app if it still has a catalogue; else the language stays (the system's)."""
    remembered = user_settings.language()
    if given is not None:
        text.set_language(given)
    elif remembered in text.languages():
        text.set_language(remembered)


def _clamp_size(size):
    return (min(max(int(size[0]), WINDOW_MIN[0]), WINDOW_MAX[0]),
            min(max(int(size[1]), WINDOW_MIN[1]), WINDOW_MAX[1]))


def _fit(size, screen):
    """``size`` shrunk to fit a screen of ``screen`` (with room for the window's frame)."""
    room = (max(WINDOW_MIN[0], screen[0] - 80), max(WINDOW_MIN[1], screen[1] - 120))
    return min(size[0], room[0]), min(size[1], room[1])
