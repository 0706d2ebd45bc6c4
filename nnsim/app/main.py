"""The playground app: one loop of events -> training for this frame's budget -> drawing."""
import gc
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pygame

from ..core import Network, Session, scenario
from ..core.network import PARALLEL_POINTS
from ..core.export import torch_script
from ..core.scenario import FileError
from ..core.config import ACTIVATIONS, MAX_HIDDEN_LAYERS
from . import controls
from . import theme as th
from .heatmap import PALETTE, UNDECIDED, Heatmap, colour_cells
from .layout import compute_layout
from .network_view import NetworkView, paint_grid
from .panel import Panel
from .theme import Theme, text, wrap
from .prompt import PathPrompt
from .theory_view import TheoryView
from .worker import TrainingWorker
from ..lessons.experiments import EXPERIMENTS
from .views import BoundaryView, LossChart, banner, help_overlay, readouts, toast

FPS = 60
FRAME_S = 1.0 / FPS
TRAIN_MARGIN_S = 0.0025   # a paced frame's training ends this long before the frame does
DEAD_CHECK_S = 0.5        # how often a ReLU network is checked for dead layers
HEATMAP_S = 0.003         # heatmap work per frame while training (the rest comes next frame)
GIL_SWITCH_S = 0.0005     # how soon the worker thread gets the GIL back from the drawing
MIN_SIZE, MAX_SIZE = (640, 400), (7680, 4320)
TOAST_S = 3.0


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
    """The playground. ``frame()`` runs one iteration of the loop; ``run()`` loops."""

    def __init__(self, settings, size=(1280, 800), fullscreen=False, playing=False,
                 speed="normal", block_warm_up=False, experiment_seed=None, session=None):
        pygame.display.init()
        pygame.font.init()
        th.clear_caches()
        pygame.display.set_caption("nnsim — neural network playground")
        pygame.key.set_repeat(400, 40)
        self.windowed_size = _clamp_size(size)
        self.fullscreen = fullscreen
        self._open_window()
        self.pacer = FramePacer(FPS)
        self.session = session or Session(settings)
        self.heatmap = Heatmap()
        self.playing = playing
        self.speed = controls.SPEEDS.index(speed)
        self.show_test = False
        self.discretize = False
        self.panel_visible = True
        self.help_visible = False
        self.reg_rate = settings.l1 or settings.l2 or 0.001
        self.running = True
        self.message, self.message_until = "", 0.0
        self.paint = None              # (class, last plane point) while a drag paints
        self._epochs_due = 0.0         # paced speeds: fractional epochs carried over
        self._epoch_s = 1e-3           # measured seconds per epoch (moving average)
        self.worker = TrainingWorker()
        self._frame_s = FRAME_S        # duration of the last frame
        sys.setswitchinterval(GIL_SWITCH_S)   # else a chunk can start or end 5 ms late
        self._rate = (time.perf_counter(), 0, 0.0)   # (time, steps, steps/s)
        self._weights_changed = True
        self._metrics_stale = True
        self._diagram_stale = True
        self.metrics = (np.nan,) * 4
        self.view_net = self.session.net.copy()   # what the views draw: a snapshot
        self.shown_epoch = self.session.epoch      # the epoch of that snapshot
        self.dead = []                 # hidden layers whose neurons all output 0 (ReLU)
        self._dead_checked = 0.0
        self.grad_meter = np.zeros(len(self.session.net.sizes) - 1)
        self.selected_node = None      # (layer, unit) shown large in the boundary view
        self.hidden_space = False      # the network card shows the hidden-space view
        self.hidden_layer = 1
        self.hidden_axes = [0, 1]
        self.theory_visible = False
        self.experiment = None         # (Experiment, part) while its caption is shown
        self.experiment_seed = experiment_seed   # --seed given: experiments use it
        self.mouse = (-1, -1)          # last pointer position seen in an event
        self.prompt = None             # an open PathPrompt takes every event
        self.ready = threading.Event()
        if block_warm_up:
            warm_up()
            self.ready.set()
        else:
            threading.Thread(target=lambda: (warm_up(), self.ready.set()), daemon=True).start()
        self._relayout()
        gc.freeze()    # start-up objects leave the collector's view: no long pauses mid-run

    # -- window ---------------------------------------------------------------------------
    def _open_window(self):
        if self.fullscreen:
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)

    def _relayout(self):
        size = self.screen.get_size()
        self.theme = Theme(size)
        self.layout = compute_layout(size, self.theme, self.panel_visible)
        self.boundary = BoundaryView(self.layout.boundary, self.theme)
        log_scale = getattr(self, "chart", None) and self.chart.log_scale
        self.chart = LossChart(self.layout.chart, self.theme)
        self.chart.log_scale = bool(log_scale)
        self.panel = Panel(self.layout.panel, self.theme, self) if self.panel_visible else None
        self.network_view = NetworkView(self.layout.network, self.theme, self)
        self.theory_view = TheoryView(self.layout.network, self.theme, self)
        self.boundary.set_heatmap(self.heatmap.rgb)    # the last one, until a new one is done
        self._weights_changed = True
        self._diagram_stale = True

    def resize(self, size):
        if not self.fullscreen:
            self.windowed_size = _clamp_size(size)
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            self._relayout()

    def toggle_fullscreen(self):
        self.fullscreen = not self.fullscreen
        self._open_window()
        self._relayout()

    def toggle_panel(self):
        self.panel_visible = not self.panel_visible
        self._relayout()

    def notify(self, message):
        """Show ``message`` for a few seconds at the bottom of the window."""
        self.message, self.message_until = message, time.perf_counter() + TOAST_S

    # -- run control ----------------------------------------------------------------------
    def toggle_play(self):
        self.playing = not self.playing
        self._epochs_due = 0.0

    def set_speed(self, index):
        self.speed = index

    def step_epoch(self):
        """Pause and train exactly one epoch."""
        self.playing = False
        self.train_now(1)

    def reset_weights(self):
        self.session.reset()
        self._network_changed()

    def _network_changed(self):
        self.shown_epoch = self.session.epoch
        self._weights_changed = True
        self._metrics_stale = True
        self._diagram_stale = True
        self.view_net = self.session.net.copy()
        self.heatmap.cancel()
        self.dead = []
        settings = self.session.settings
        self.reg_rate = settings.l1 or settings.l2 or self.reg_rate
        sizes = self.session.net.sizes
        if len(self.grad_meter) != len(sizes) - 1 or self.session.epoch == 0:
            self.grad_meter = np.zeros(len(sizes) - 1)
        if self.selected_node and not (self.selected_node[0] < len(sizes)
                                       and self.selected_node[1] < sizes[self.selected_node[0]]):
            self.selected_node = None
        self.set_hidden_layer(self.hidden_layer)

    # -- files ----------------------------------------------------------------------------
    def ask_save(self):
        self.prompt = PathPrompt("Save the scenario (.json) or its points (.csv)",
                                 "nnsim-scenario.json", self.save_to, (".json", ".csv"))

    def ask_open(self):
        self.prompt = PathPrompt("Open a scenario (.json) or points (.csv)", "",
                                 self.open_from, (".json", ".csv"))

    def ask_export(self):
        self.prompt = PathPrompt("Export a PyTorch script of this network", "nnsim_model.py",
                                 self.export_to, (".py",))

    def _file_action(self, action, done):
        try:
            action()
        except FileError as error:
            self.notify(str(error))
            return
        self.notify(done)

    def save_to(self, path):
        """A scenario with the weights, or the points alone for a .csv path."""
        s = self.session
        if path.suffix.lower() == ".csv":
            self._file_action(lambda: scenario.write_csv(path, s.X, s.y), f"Points saved: {path}")
        else:
            self._file_action(lambda: scenario.save(s, path), f"Scenario saved: {path}")

    def open_from(self, path):
        """Load a scenario (it replaces everything), or points from a .csv (they replace the
        points; the network keeps training on them). A bad file changes nothing."""
        if path.suffix.lower() == ".csv":
            def action():
                X, y = scenario.read_csv(path, self.session.settings.n_classes)
                self.session.set_points(X, y, np.zeros(len(y), dtype=bool))
                self._points_changed()
            self._file_action(action, f"{path.name}: points loaded")
            return

        def action():
            self.session = scenario.load(path)
            self.experiment = None
            self.playing = False
            self.grad_meter = np.zeros(len(self.session.net.sizes) - 1)
            self._network_changed()
        self._file_action(action, f"Scenario opened: {path.name}")

    def export_to(self, path):
        self._file_action(lambda: scenario.write_atomic(path, torch_script(self.session, path.name)),
                          f"PyTorch script written: {path}")

    # -- lessons --------------------------------------------------------------------------
    def load_experiment(self, index):
        """'Try this' experiment ``index`` (0-5): its settings, points, speed and caption;
        training starts at once."""
        e = EXPERIMENTS[index]
        self.session = e.session(1, self.experiment_seed)
        self.experiment = (e, 1)
        self.speed = controls.SPEEDS.index(e.speed)
        self.playing = True
        self.show_test = False
        self._network_changed()

    def next_part(self):
        """The second half of the current experiment, applied to the running session."""
        if not self.experiment:
            return
        e, part = self.experiment
        if part == e.parts:
            self.notify(f"'{e.title}' has no further part" if e.parts == 1 else
                        f"'{e.title}': both parts shown — Shift+{EXPERIMENTS.index(e) + 1} restarts it")
            return
        self.change(**e.part2)
        self.experiment = (e, 2)
        self.playing = True

    def toggle_theory(self):
        self.theory_visible = not self.theory_visible
        self._diagram_stale = True

    # -- inside the network ---------------------------------------------------------------
    def select_node(self, node):
        """Show ``node``'s activation large in the boundary view; the same node again goes back."""
        self.selected_node = None if node == self.selected_node else node
        self._weights_changed = True
        self._diagram_stale = True

    def set_hidden_space(self, on):
        self.hidden_space = bool(on)
        self._diagram_stale = True

    def set_hidden_layer(self, layer):
        hidden = len(self.session.settings.hidden)
        self.hidden_layer = min(max(layer, 1), max(hidden, 1))
        width = self.session.net.sizes[self.hidden_layer] if hidden else 1
        self.hidden_axes = [min(a, width - 1) for a in self.hidden_axes]
        self._diagram_stale = True

    def set_hidden_axis(self, axis, neuron):
        hidden = len(self.session.settings.hidden)
        width = self.session.net.sizes[self.hidden_layer] if hidden else 1
        self.hidden_axes[axis] = min(max(neuron, 0), width - 1)
        self._diagram_stale = True

    # -- settings -------------------------------------------------------------------------
    def change(self, **changes):
        """Apply setting changes; a refused value shows why and changes nothing."""
        try:
            self.session.update(**changes)
        except ValueError as error:
            self.notify(str(error).capitalize())
            return
        self._network_changed()

    def load_preset(self, name):
        """Dataset preset: regenerate its data with the current noise and point count."""
        self.experiment = None
        self.change(dataset=name)
        self.session.regenerate()
        self.notify(f"{controls.PRESET_LABELS[name]} dataset")

    def regenerate(self):
        """New points from a new seed, and fresh weights to learn them."""
        self.session.regenerate(seed=(self.session.settings.seed + 1) % 2 ** 32)
        self.session.new_network()
        self._network_changed()

    def set_show_test(self, on):
        self.show_test = on

    def set_discretize(self, on):
        self.discretize = on
        self._weights_changed = True

    def set_layer_count(self, n):
        hidden = self.session.settings.hidden
        hidden = hidden[:n] + (hidden[-1:] or (4,)) * (n - len(hidden))
        self.change(hidden=hidden)

    def set_width(self, layer, width):
        hidden = list(self.session.settings.hidden)
        hidden[layer] = width
        self.change(hidden=tuple(hidden))

    def toggle_feature(self, name):
        features = set(self.session.settings.features) ^ {name}
        if not features:
            self.notify("The network needs at least one input feature")
            return
        self.change(features=tuple(features))

    def cycle_activation(self, direction=1):
        i = ACTIVATIONS.index(self.session.settings.activation)
        self.change(activation=ACTIVATIONS[(i + direction) % len(ACTIVATIONS)])

    def regularization_kind(self):
        s = self.session.settings
        return 1 if s.l1 else 2 if s.l2 else 0

    def regularization_rate(self):
        return self.reg_rate

    def set_regularization_kind(self, kind):
        self.change(l1=self.reg_rate if kind == 1 else 0.0, l2=self.reg_rate if kind == 2 else 0.0)

    def set_regularization_rate(self, rate):
        self.reg_rate = rate
        self.set_regularization_kind(self.regularization_kind())

    def step_setting(self, name, steps, direction):
        value = getattr(self.session.settings, name)
        if name == "batch":    # "full" (0) sits above 256
            order = [s for s in steps if s] + [0]
            i = order.index(value) if value in order else order.index(32)
            new = order[min(max(i + direction, 0), len(order) - 1)]
        else:
            new = controls.step_through(steps, value, direction)
        self.change(**{name: new})
        shown = controls.format_batch(new) if name == "batch" else controls.format_eta(new)
        self.notify(f"{'Batch size' if name == 'batch' else 'Learning rate η'} {shown}")

    # -- points ---------------------------------------------------------------------------
    def _points_changed(self):
        self._metrics_stale = True
        self._diagram_stale = True

    def _point_class(self, button, mods):
        if button == 3 or (button == 1 and mods & pygame.KMOD_SHIFT):
            return 1
        if button == 2 or (button == 1 and mods & pygame.KMOD_ALT):
            return 2
        return 0 if button == 1 else None

    def _add_point(self, plane, label):
        if label >= self.session.settings.n_classes:
            self.notify("Class C needs a 3-class dataset: press 6 for 3 blobs")
            return False
        if not self.session.add_point(*plane, label):
            self.notify("Point limit reached")
            return False
        self._points_changed()
        return True

    def _mouse(self, event):
        view = self.boundary
        if event.type == pygame.MOUSEBUTTONDOWN and view.rect.collidepoint(event.pos):
            plane = view.mapping.to_plane(event.pos)
            mods = pygame.key.get_mods()
            if event.button == 1 and mods & pygame.KMOD_CTRL:
                if self.session.remove_nearest(*plane, within=controls.REMOVE_RADIUS):
                    self._points_changed()
                return
            label = self._point_class(event.button, mods)
            if label is not None and self._add_point(plane, label):
                self.paint = (label, plane)
        elif event.type == pygame.MOUSEMOTION and self.paint:
            if view.rect.collidepoint(event.pos):
                self._paint_to(view.mapping.to_plane(event.pos))
        elif event.type == pygame.MOUSEBUTTONUP:
            self.paint = None

    def _paint_to(self, plane):
        """Drag painting: points every BRUSH_SPACING along the way from the last one, so a
        fast stroke leaves an even line."""
        label, last = self.paint
        d = np.subtract(plane, last)
        length = float(np.hypot(*d))
        for k in range(1, int(length / controls.BRUSH_SPACING) + 1):
            point = tuple(np.add(last, d * (k * controls.BRUSH_SPACING / length)))
            if not self._add_point(point, label):
                self.paint = None
                return
            self.paint = (label, point)

    def clear_points(self):
        self.session.clear_points()
        self._points_changed()

    # -- events ---------------------------------------------------------------------------
    def _key(self, event):
        k, mods = event.key, event.mod
        shift = mods & pygame.KMOD_SHIFT
        ctrl = mods & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if k == pygame.K_ESCAPE:
            if self.help_visible:
                self.help_visible = False
            elif self.experiment:
                self.experiment = None
            elif self.fullscreen:
                self.toggle_fullscreen()
            else:
                self.running = False
        elif k in (pygame.K_h, pygame.K_QUESTION) or event.unicode == "?":
            self.help_visible = not self.help_visible
        elif ctrl:
            if k == pygame.K_s:
                self.ask_save()
            elif k == pygame.K_o:
                self.ask_open()
        elif pygame.K_1 <= k <= pygame.K_6 and shift:
            self.load_experiment(k - pygame.K_1)
        elif pygame.K_F1 <= k <= pygame.K_F6:
            self.load_experiment(k - pygame.K_F1)
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.next_part()
        elif k == pygame.K_t:
            self.toggle_theory()
        elif k == pygame.K_SPACE:
            self.toggle_play()
        elif k in (pygame.K_RIGHT, pygame.K_s):
            self.step_epoch()
        elif k == pygame.K_r:
            self.reset_weights()
        elif pygame.K_1 <= k <= pygame.K_6 and not shift:
            self.load_preset(controls.PRESETS[k - pygame.K_1])
        elif k in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET):
            self.step_setting("eta", controls.ETA_STEPS, 1 if k == pygame.K_RIGHTBRACKET else -1)
        elif k in (pygame.K_COMMA, pygame.K_PERIOD):
            self.step_setting("batch", controls.BATCH_STEPS, 1 if k == pygame.K_PERIOD else -1)
        elif k == pygame.K_a:
            self.cycle_activation(-1 if shift else 1)
        elif k == pygame.K_l:
            n = len(self.session.settings.hidden) + (-1 if shift else 1)
            if 0 <= n <= MAX_HIDDEN_LAYERS:
                self.set_layer_count(n)
            else:
                self.notify(f"Hidden layers: 0 to {MAX_HIDDEN_LAYERS}")
        elif k == pygame.K_c:
            self.clear_points()
        elif k == pygame.K_n:
            self.regenerate()
        elif k == pygame.K_d:
            self.set_discretize(not self.discretize)
        elif k == pygame.K_v:
            self.show_test = not self.show_test
        elif k == pygame.K_TAB:
            self.toggle_panel()
        elif k == pygame.K_p:
            self.screenshot()
        elif k == pygame.K_e:
            self.ask_export()
        elif k in (pygame.K_F11, pygame.K_f):
            self.toggle_fullscreen()

    def handle(self, event):
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.VIDEORESIZE:
            self.resize(event.size)
        elif self.prompt:
            self.prompt.handle(event)
            if not self.prompt.open:
                self.prompt = None
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
                            pygame.MOUSEWHEEL):
            if hasattr(event, "pos"):
                self.mouse = event.pos
            if self.panel and self.panel.handle(event):
                return
            side = self.theory_view if self.theory_visible else self.network_view
            if self.chart.handle(event) or side.handle(event):
                return
            if event.type != pygame.MOUSEWHEEL:
                self._mouse(event)

    # -- training -------------------------------------------------------------------------
    def train_now(self, epochs):
        """Train ``epochs`` epochs now, on this thread (Step)."""
        if self._can_train():
            start = time.perf_counter()
            done = self.session.train(epochs)
            net = self.session.net
            self._trained(done, time.perf_counter() - start, self.session.epoch, net.theta,
                          net.grad_norms)

    def _can_train(self):
        return not self.session.net.diverged and len(self.session.y_train) > 0

    def _trained(self, done, seconds, epoch, theta, grad_norms):
        """Take in a finished chunk of training: timing, and the state at its end (epoch,
        readouts, weights, meter), which the screen shows while the worker trains on."""
        s = self.session
        self.shown_epoch = epoch
        if done:
            self._epoch_s = 0.8 * self._epoch_s + 0.2 * seconds / done
            self.metrics = tuple(s.history[epoch - 1])
            self._metrics_stale = False
            self.grad_meter = grad_norms.copy()
        self.view_net.theta[:] = theta
        self._weights_changed = True
        self._diagram_stale = True
        if s.net.diverged:
            self.playing = False
        self._check_dead()

    def _check_dead(self):
        """Twice a second: has a whole ReLU layer died (η too high)? Then training is
        pointless until a reset, so it pauses with a banner saying so."""
        now = time.perf_counter()
        if self.session.settings.activation != "relu" or now - self._dead_checked < DEAD_CHECK_S:
            return
        self._dead_checked = now
        self.dead = self.view_net.dead_layers(self.session.F_train)
        if self.dead:
            self.playing = False

    def _epochs_this_frame(self, dt):
        """Slow/Normal/Fast: the epochs due at their pace; Max: as many as one frame holds
        (training runs beside the drawing, on the other core). Never more than a frame."""
        fits = max(1, int((FRAME_S - TRAIN_MARGIN_S) / self._epoch_s))
        name = controls.SPEEDS[self.speed]
        if name == "max":
            return fits
        self._epochs_due += controls.EPOCHS_PER_SECOND[name] * min(dt, 0.1)
        epochs = min(int(self._epochs_due), fits)
        self._epochs_due -= int(self._epochs_due)
        return epochs

    # -- drawing --------------------------------------------------------------------------
    def _refresh(self):
        s = self.session
        if self._metrics_stale and not self.worker.busy:   # else the chunk brings them
            self.metrics = s.evaluate(self.view_net)
            self._metrics_stale = False
        features, heat = s.settings.features, self.heatmap
        if self.selected_node and self._weights_changed:
            net, (l, i) = self.view_net, self.selected_node
            values = net.activations(heat.inputs(features), last=l)[l][i]
            kind = i + 1 if l == len(net.sizes) - 1 else 0
            self.boundary.set_heatmap(paint_grid(values, kind, net.n_classes, heat.rgb))
            self._weights_changed = False
        elif not self.selected_node:
            if self._weights_changed and not heat.in_progress:
                heat.begin(self.view_net, features)
                self._weights_changed = False
            # while training, a frame spends at most HEATMAP_S on the grid; else all of it
            if heat.in_progress and heat.advance(HEATMAP_S if self.worker.busy else None,
                                                 parallel=not self.worker.busy):
                self.boundary.set_heatmap(heat.colour(self.discretize))
        if self.theory_visible:
            self.theory_view.update(s)
        elif self._diagram_stale and self.network_view.update(s, self.view_net,
                                                              force=not self.playing):
            self._diagram_stale = False

    def _steps_per_second(self):
        now, steps = time.perf_counter(), self.session.net.steps
        last_t, last_steps, rate = self._rate
        if now - last_t >= 0.5:
            rate = max(steps - last_steps, 0) / (now - last_t)
            self._rate = (now, steps, rate)
        return rate

    def draw(self):
        t, lay, s = self.theme, self.layout, self.session
        self.screen.fill(th.BACKGROUND)
        if not self.ready.is_set():
            dots = "." * (1 + int(time.perf_counter() * 2) % 3)
            banner(self.screen, self.screen.get_rect(), t, f"Preparing the engine{dots}",
                   "compiling the numba kernels: this happens on the first start only", th.ACCENT)
            return
        self._refresh()
        self.boundary.draw(self.screen, s.X, s.y, s.test, self.show_test)
        self.chart.draw(self.screen, s.history[:self.shown_epoch], (id(s), s.history_version))
        readouts(self.screen, lay.readouts, t, self.shown_epoch, self.metrics, self._steps_per_second(),
                 self.pacer.fps)
        (self.theory_view if self.theory_visible else self.network_view).draw(self.screen)
        if self.panel:
            self.panel.draw(self.screen)
        if self.selected_node:
            self._draw_selection_caption()
        elif self.experiment:
            self._draw_experiment_caption()
        if s.net.diverged:
            banner(self.screen, lay.boundary, t, "Diverged — press R",
                   f"the loss blew up at η = {controls.format_eta(s.settings.eta)}; "
                   "lower η, then reset")
        elif self.dead:
            which = ("layer " if len(self.dead) == 1 else "layers ") + ", ".join(map(str, self.dead))
            banner(self.screen, lay.boundary, t, "Dead network — press R",
                   f"every ReLU in {which} outputs 0 for all points, so no gradient gets "
                   "through; lower η, then reset")
        if not len(s.y_train):
            banner(self.screen, lay.boundary, t, "No training points",
                   "click to add points, or press 1–6 for a dataset", th.ACCENT)
        if self.message and time.perf_counter() < self.message_until:
            toast(self.screen, self.screen.get_size(), t, self.message)
        if self.help_visible:
            help_overlay(self.screen, self.screen.get_size(), t, controls.HOTKEYS)
        if self.prompt:
            self.prompt.draw(self.screen, t)

    def _draw_experiment_caption(self):
        """The experiment's title and two lines of what to watch, over the boundary view."""
        t, (e, part) = self.theme, self.experiment
        r = self.layout.boundary
        width = r.w - 2 * t.px(16)
        lines = [text(f"Try this: {e.title}" + (f" — part {part} of 2" if e.parts == 2 else ""),
                      t.body, th.WHITE, True)]
        for line in e.captions[part - 1]:
            lines += [text(w, t.small, th.WHITE) for w in wrap(line, t.small, width)]
        lines.append(text("Esc hides this caption", t.small, th.ACCENT_LIGHT))
        h = sum(s.get_height() for s in lines) + t.px(14)
        box = pygame.Rect(r.x + t.px(8), r.y + t.px(8), r.w - 2 * t.px(8), h)
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
        self.screen.blit(shade, box)
        y = box.y + t.px(7)
        for s in lines:
            self.screen.blit(s, (box.x + t.px(8), y))
            y += s.get_height()

    def _draw_selection_caption(self):
        t, (l, i) = self.theme, self.selected_node
        L = len(self.session.net.sizes) - 1
        what = (f"input {i + 1}" if l == 0 else f"output: class {th.CLASS_NAMES[i]}" if l == L
                else f"layer {l} · neuron {i + 1}")
        label = text(f"Showing {what} — click it in the diagram again to go back", t.small, th.WHITE)
        box = label.get_rect(midtop=(self.layout.boundary.centerx, self.layout.boundary.y + t.px(8)))
        pygame.draw.rect(self.screen, th.ACCENT, box.inflate(t.px(14), t.px(8)), border_radius=t.radius)
        self.screen.blit(label, box)

    # -- loop -----------------------------------------------------------------------------
    def frame(self):
        """One frame: take in the training finished meanwhile, handle events (first letting
        the worker's chunk finish, since they may change the session), keep the worker
        training, draw, then wait for the frame's slot and show it (frames appear at a
        steady 60 Hz). False once the app quits."""
        for chunk in self.worker.poll():
            self._trained(*chunk)
        events = pygame.event.get()
        if events and self.worker.busy:
            for chunk in self.worker.join():
                self._trained(*chunk)
        if self.prompt:
            self.prompt.accepting = True
        for event in events:
            self.handle(event)
        if not self.running:
            return False
        if self.ready.is_set() and self.playing and self._can_train() and not self.worker.busy:
            epochs = self._epochs_this_frame(self._frame_s)
            if epochs:   # at Max the worker goes on from chunk to chunk by itself
                self.worker.start(self.session, epochs, repeat=controls.SPEEDS[self.speed] == "max",
                                  chunk_s=FRAME_S - TRAIN_MARGIN_S)
        self.draw()
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
        for chunk in self.worker.join():
            self._trained(*chunk)

    def screenshot(self, path=None):
        """Save the window as a PNG (atomically); returns the path."""
        path = Path(path or time.strftime("nnsim-%Y%m%d-%H%M%S.png")).resolve()
        try:
            save_png(self.screen, path)
        except (OSError, pygame.error) as error:
            self.notify(f"Screenshot not saved: {error}")
            return None
        self.notify(f"Screenshot saved: {path}")
        return path


class FramePacer:
    """Shows frames at a steady rate: waits until each frame's slot on an absolute schedule
    (sleeping, then spinning the last millisecond, since sleep and SDL's millisecond clock
    are too coarse for 16.67 ms)."""

    def __init__(self, fps):
        self.period = 1.0 / fps
        self.last = self.next = time.perf_counter()
        self.fps = 0.0

    def wait(self):
        """Wait for the next slot; returns the seconds since the previous one."""
        if self.next - time.perf_counter() > 0.0015:
            time.sleep(self.next - time.perf_counter() - 0.001)
        while time.perf_counter() < self.next:
            pass
        now = time.perf_counter()
        dt, self.last = now - self.last, now
        self.next = max(self.next + self.period, now)   # a late frame does not rush the next
        self.fps = 0.9 * self.fps + 0.1 / max(dt, 1e-6)
        return dt


def save_png(surface, path):
    """Write ``surface`` to ``path`` as PNG via a temporary file in the same folder."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        pygame.image.save(surface, tmp)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _clamp_size(size):
    return (min(max(int(size[0]), MIN_SIZE[0]), MAX_SIZE[0]),
            min(max(int(size[1]), MIN_SIZE[1]), MAX_SIZE[1]))


def run(settings, size=(1280, 800), fullscreen=False, playing=False, speed="normal",
        headless=False, frames=None, screenshot=None, experiment_seed=None, session=None,
        save=None):
    """Start the app; headless runs use SDL's dummy video driver and wait for the kernels
    before the first frame. Returns the process exit code."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    app = App(settings, size, fullscreen and not headless, playing, speed,
              block_warm_up=headless, experiment_seed=experiment_seed, session=session)
    app.run(frames)
    app.finish()
    if screenshot:
        save_png(app.screen, screenshot)
    if save:
        scenario.save(app.session, save)
    pygame.quit()
    return 0
