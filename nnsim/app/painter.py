"""Everything on screen: the layout, the views in it, and what each frame draws.

``Painter`` reads the session and UI state (through ``actions``) and the trainer's snapshot,
and redraws each cached picture only when what it shows changed: every cache is keyed on
the session's version counters, which are never reused.
"""
import pygame

from . import controls
from . import theme as th
from .heatmap import Heatmap
from .keys import HELP_ROWS
from .layout import compute_layout
from .network_view import NetworkView, paint_grid
from .panel import Panel
from .stepthrough_view import StepThroughView
from .theme import Theme, text
from .theory_view import TheoryView
from .views import BoundaryView, LossChart, banner, help_overlay, readouts, toast

HEATMAP_S = 0.003         # heatmap work per frame while training (the rest comes next frame)


class Painter:
    def __init__(self, actions, trainer):
        self.actions, self.trainer = actions, trainer
        self.heatmap = Heatmap()
        self.chart = None
        self._heat_key = self._diagram_key = None
        self._colours = None          # (heatmap key, discretize) the boundary image shows
        self.settled = False          # the last frame drew everything there is to draw

    def relayout(self, size):
        """Views for a window of ``size`` (and the panel shown or not)."""
        ui = self.actions.ui
        self.theme = Theme(size)
        self.layout = compute_layout(size, self.theme, ui.panel_visible)
        self.boundary = BoundaryView(self.layout.boundary, self.theme)
        log_scale = bool(self.chart and self.chart.log_scale)
        self.chart = LossChart(self.layout.chart, self.theme)
        self.chart.log_scale = log_scale
        self.panel = Panel(self.layout.panel, self.theme, self.actions) if ui.panel_visible else None
        self.network_view = NetworkView(self.layout.network, self.theme, self.actions)
        self.theory_view = TheoryView(self.layout.network, self.theme, self.actions)
        self.stepper_view = StepThroughView(self.theme, self.actions)
        self.boundary.set_heatmap(self.heatmap.rgb)    # the last one, until a new one is done
        self._diagram_key = self._colours = None

    @property
    def side(self):
        """The view right of the boundary: theory panel or network card."""
        return self.theory_view if self.actions.ui.theory_visible else self.network_view

    def handle(self, event):
        """Mouse events for the views; True when one used it."""
        if self.panel and self.panel.handle(event):
            return True
        if self.chart.handle(event) or self.side.handle(event):
            return True
        if self.stepper_view.handle(event, self.boundary):
            return True
        return event.type != pygame.MOUSEWHEEL and self.boundary.handle(event, self.actions)

    # -- caches ---------------------------------------------------------------------------
    def _refresh_boundary(self, session, busy, parallel):
        ui, trainer, heat = self.actions.ui, self.trainer, self.heatmap
        net, features = trainer.view_net, session.settings.features
        key = (trainer.view_version, features, ui.selected_node)
        if ui.selected_node:
            if key != self._heat_key:
                l, i = ui.selected_node
                values = net.activations(heat.inputs(features), last=l)[l][i]
                kind = i + 1 if l == len(net.sizes) - 1 else 0
                self.boundary.set_heatmap(paint_grid(values, kind, net.n_classes, heat.rgb))
                self._heat_key, self._colours = key, None
            return True
        # a newer snapshot of the same network waits until the grid in progress is done
        if key != self._heat_key and not (heat.in_progress and heat.matches(net, features)):
            heat.begin(net, features)
            self._heat_key = key
        if heat.in_progress:
            # while training, a frame spends at most HEATMAP_S on the grid; else all of it
            heat.advance(HEATMAP_S if busy else None, parallel=parallel and not busy)
        colours = (self._heat_key, ui.discretize)
        if not heat.in_progress and colours != self._colours:
            self.boundary.set_heatmap(heat.colour(ui.discretize))
            self._colours = colours
        return key == self._heat_key and not heat.in_progress

    def _refresh(self, session, parallel):
        """Bring the cached pictures up to date (the heatmap perhaps only in part); True
        once all of them are."""
        ui, trainer = self.actions.ui, self.trainer
        busy = trainer.worker.busy
        trainer.refresh_metrics(session)
        done = self._refresh_boundary(session, busy, parallel)
        if ui.theory_visible:
            self.theory_view.update(session)
            return done
        key = (trainer.view_version, session.points_version, session.settings, ui.selected_node,
               ui.hidden_space, ui.hidden_layer, tuple(ui.hidden_axes))
        if key != self._diagram_key and self.network_view.update(
                session, trainer.view_net, trainer.grad_meter, force=not ui.playing):
            self._diagram_key = key
        return done and key == self._diagram_key

    # -- drawing --------------------------------------------------------------------------
    def draw(self, screen, ready, parallel, fps, now):
        """The whole window; ``parallel``: the all-cores grid kernel is compiled."""
        t, lay = self.theme, self.layout
        session, ui, trainer = self.actions.session, self.actions.ui, self.trainer
        screen.fill(th.BACKGROUND)
        if not ready:
            dots = "." * (1 + int(now * 2) % 3)
            banner(screen, screen.get_rect(), t, f"Preparing the engine{dots}",
                   "compiling the numba kernels: this happens on the first start only", th.ACCENT)
            self.settled = False
            return
        self.settled = self._refresh(session, parallel)
        self.boundary.draw(screen, session, ui.show_test)
        diverged = session.net.diverged
        self.chart.draw(screen, session.history[:trainer.shown_epoch], session.history_version,
                        has_test=len(session.y_test) > 0,
                        empty="diverged — press R" if diverged else "press Space to train")
        readouts(screen, lay.readouts, t, trainer.shown_epoch, trainer.metrics,
                 trainer.epochs_per_second(), fps)
        self.side.draw(screen)
        if self.panel:
            self.panel.draw(screen)
        if self.actions.stepper.active:
            self.stepper_view.draw(screen, session, self.boundary, self.network_view)
        elif ui.selected_node:
            self._draw_selection_caption(screen, session)
        elif ui.experiment:
            self._draw_experiment_caption(screen)
        if diverged:
            banner(screen, lay.boundary, t, "Diverged — press R",
                   f"the loss blew up at η = {controls.format_eta(session.settings.eta)}; "
                   "lower η, then reset")
        elif trainer.dead:
            dead = trainer.dead
            which = ("layer " if len(dead) == 1 else "layers ") + ", ".join(map(str, dead))
            banner(screen, lay.boundary, t, "Dead network — press R",
                   f"every ReLU in {which} outputs 0 for all points, so no gradient gets "
                   "through; lower η, then reset")
        if not len(session.y_train):
            banner(screen, lay.boundary, t, "No training points",
                   "click to add points, or press 1–6 for a dataset", th.ACCENT)
        if ui.message and now < ui.message_until:
            toast(screen, screen.get_size(), t, ui.message)
        if ui.help_visible:
            help_overlay(screen, screen.get_size(), t, HELP_ROWS)
        if ui.prompt:
            ui.prompt.draw(screen, t)

    def _draw_experiment_caption(self, screen):
        """The experiment's title and two lines of what to watch, over the boundary view."""
        t, (e, part) = self.theme, self.actions.ui.experiment
        r = self.layout.boundary
        width = r.w - 2 * t.px(16)
        lines = [text(f"Try this: {e.title}" + (f" — part {part} of 2" if e.parts == 2 else ""),
                      t.body, th.WHITE, True)]
        for line in e.captions[part - 1]:
            lines.append(text(line, t.small, th.WHITE, width=width))
        lines.append(text("Esc hides this caption", t.small, th.ACCENT_LIGHT))
        h = sum(s.get_height() for s in lines) + t.px(14)
        box = pygame.Rect(r.x + t.px(8), r.y + t.px(8), r.w - 2 * t.px(8), h)
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
        screen.blit(shade, box)
        y = box.y + t.px(7)
        for s in lines:
            screen.blit(s, (box.x + t.px(8), y))
            y += s.get_height()

    def _draw_selection_caption(self, screen, session):
        t, (l, i) = self.theme, self.actions.ui.selected_node
        L = len(session.net.sizes) - 1
        what = (f"input {i + 1}" if l == 0 else f"output: class {th.CLASS_NAMES[i]}" if l == L
                else f"layer {l} · neuron {i + 1}")
        label = text(f"Showing {what} — click it in the diagram again to go back", t.small, th.WHITE)
        box = label.get_rect(midtop=(self.layout.boundary.centerx, self.layout.boundary.y + t.px(8)))
        pygame.draw.rect(screen, th.ACCENT, box.inflate(t.px(14), t.px(8)), border_radius=t.radius)
        screen.blit(label, box)
