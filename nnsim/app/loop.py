"""The playground's loop: events -> training for this frame's budget -> drawing.

``App`` owns the window and wires the parts together: ``Actions`` (what keys and controls
do), ``Trainer`` (the schedule and the snapshot the views draw), ``Painter`` (the views).
"""
import gc
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pygame

from ..core import Network, Session
from ..core.config import WINDOW_MAX, WINDOW_MIN
from ..core.files import FileError
from ..core.network import PARALLEL_POINTS
from . import keys
from .actions import Actions, UiState
from .heatmap import PALETTE, UNDECIDED, colour_cells
from .network_view import paint_grid
from .painter import Painter
from .screenshot import save_screenshot
from .theme import clear_caches
from .training import Trainer

FPS = 60
GIL_SWITCH_S = 0.0005     # how soon the worker thread gets the GIL back from the drawing


def warm_up():
    """Compile (or load from numba's cache) every kernel the app calls, on small inputs, so
    no frame ever waits for the compiler."""
    X = np.random.default_rng(0).uniform(-6, 6, (PARALLEL_POINTS, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    net = Network([2, 3, 2], activation="tanh", seed=0)
    net.train_epochs(X[:3], y[:3], 0.1, 2, 1, X[:3], y[:3], np.empty((1, 4)))
    net.evaluate(X[:3], y[:3])
    colour_cells(net.predict_proba(X[:3]), PALETTE, UNDECIDED, False, np.empty((1, 3, 3), np.uint8))
    net.predict_proba(X)                               # the parallel kernel for grids
    net.dead_layers(X[:3])                             # the all-layers kernel
    paint_grid(np.zeros(4), 0, 2, np.empty((2, 2, 3), np.uint8))


class App:
    """The playground. ``frame()`` runs one iteration of the loop; ``run()`` loops;
    ``close()`` stops the worker and restores what the app changed process-wide.

    ``clock`` (seconds) and ``sleep`` drive everything that follows wall time (the frame
    pacer, paced training speeds, messages), so tests can inject their own.
    """

    def __init__(self, settings, size=(1280, 800), fullscreen=False, playing=False,
                 speed="normal", block_warm_up=False, experiment_seed=None, session=None,
                 clock=time.perf_counter, sleep=time.sleep):
        pygame.display.init()
        pygame.font.init()
        clear_caches()
        pygame.display.set_caption("nnsim — neural network playground")
        pygame.key.set_repeat(400, 40)
        self.clock = clock
        self.windowed_size = _clamp_size(size)
        self.fullscreen = fullscreen
        self._open_window()
        self.pacer = FramePacer(FPS, clock, sleep)
        self.ui = UiState(playing=playing, speed=speed)
        self.trainer = Trainer(clock)
        self.actions = Actions(session or Session(settings), self.ui, self, self.trainer, clock,
                               experiment_seed)
        self.painter = Painter(self.actions, self.trainer)
        self.running = True
        self._frame_s = 1 / FPS        # duration of the last frame
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_S)   # else a chunk can start or end 5 ms late
        self.ready = threading.Event()
        if block_warm_up:
            warm_up()
            self.ready.set()
        else:
            threading.Thread(target=lambda: (warm_up(), self.ready.set()), daemon=True).start()
        self.relayout()
        self.trainer.sync(self.session)
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
        self.painter.relayout(self.screen.get_size())

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
        """Save the window as a PNG (atomically); returns the path, or None (and a message
        saying why) on failure."""
        path = Path(path or time.strftime("nnsim-%Y%m%d-%H%M%S.png")).resolve()
        try:
            save_screenshot(self.screen, path)
        except FileError as error:
            self.actions.notify(f"Screenshot not saved: {error}")
            return None
        self.actions.notify(f"Screenshot saved: {path}")
        return path

    # -- events ---------------------------------------------------------------------------
    def handle(self, event):
        ui = self.ui
        if event.type == pygame.QUIT:
            self.actions.quit()
        elif event.type == pygame.VIDEORESIZE:
            self.resize(event.size)
        elif ui.prompt:
            ui.prompt.handle(event)
            if not ui.prompt.open:
                ui.prompt = None
        elif event.type == pygame.KEYDOWN:
            keys.dispatch(event, self.actions)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
                            pygame.MOUSEWHEEL):
            self.painter.handle(event)

    # -- loop -----------------------------------------------------------------------------
    def frame(self):
        """One frame: take in the training finished meanwhile, handle events (first letting
        the worker's chunk finish, since they may change the session), keep the worker
        training, draw, then wait for the frame's slot and show it (frames appear at a
        steady 60 Hz). False once the app quits."""
        trainer = self.trainer
        events = pygame.event.get()
        trainer.collect(self.session, join=bool(events))
        if self.ui.prompt:
            self.ui.prompt.accepting = True
        for event in events:
            self.handle(event)
        if not self.running:
            return False
        session = self.session
        if not trainer.worker.busy:
            trainer.sync(session)
        if self.ui.playing and (session.net.diverged or trainer.check_dead(session)):
            self.ui.playing = False      # pointless until a reset; a banner says why
        if self.ready.is_set():
            trainer.schedule(session, self.ui, self._frame_s)
        self.painter.draw(self.screen, self.ready.is_set(), self.pacer.fps, self.clock())
        self._frame_s = self.pacer.wait()
        pygame.display.flip()
        return True

    def run(self, frames=None):
        n = 0
        while self.frame():
            n += 1
            if frames is not None and n >= frames:
                break

    def finish(self):
        """Collect any training still running (so the session is complete)."""
        self.trainer.collect(self.session, join=True)

    def close(self):
        """Stop the worker thread and restore what the app changed process-wide."""
        self.finish()
        self.trainer.close()
        sys.setswitchinterval(self._switch_interval)
        gc.unfreeze()


class FramePacer:
    """Shows frames at a steady rate: waits until each frame's slot on an absolute schedule
    (sleeping, then yielding in short sleeps for the last millisecond, since sleep and SDL's
    millisecond clock are too coarse for 16.67 ms)."""

    def __init__(self, fps, clock=time.perf_counter, sleep=time.sleep):
        self.period = 1.0 / fps
        self.clock, self.sleep = clock, sleep
        self.last = self.next = clock()
        self.fps = 0.0

    def wait(self):
        """Wait for the next slot; returns the seconds since the previous one."""
        clock = self.clock
        if self.next - clock() > 0.0015:
            self.sleep(self.next - clock() - 0.001)
        while clock() < self.next:
            self.sleep(0)          # lets the training thread have the GIL meanwhile
        now = clock()
        dt, self.last = now - self.last, now
        self.next = max(self.next + self.period, now)   # a late frame does not rush the next
        self.fps = 0.9 * self.fps + 0.1 / max(dt, 1e-6)
        return dt


def _clamp_size(size):
    return (min(max(int(size[0]), WINDOW_MIN[0]), WINDOW_MAX[0]),
            min(max(int(size[1]), WINDOW_MIN[1]), WINDOW_MAX[1]))


def _fit(size, screen):
    """``size`` shrunk to fit a screen of ``screen`` (with room for the window's frame)."""
    room = (max(WINDOW_MIN[0], screen[0] - 80), max(WINDOW_MIN[1], screen[1] - 120))
    return min(size[0], room[0]), min(size[1], room[1])
