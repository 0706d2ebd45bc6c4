"""Everything on screen: the layout, the views in it, and what each frame draws.

``Painter`` reads the session and UI state (through ``actions``) and the trainer's snapshot,
and redraws each cached picture only when what it shows changed: every cache is keyed on
the session's version counters, which are never reused.
"""
import pygame

from . import controls
from . import theme as th
from .budget import FrameBudget
from .heatmap import Heatmap, paint_grid
from .intro import draw_intro
from .keys import HELP_ROWS
from .layout import compute_layout
from .lesson_view import caption_box, draw_lesson_caption
from .legend import draw_legend
from .network_view import NetworkView
from .panel import Panel
from .stepthrough_view import StepThroughView
from .theme import Theme, text
from .theory_view import TheoryView
from .tooltips import REGION_HELP, Hover, draw_tooltip
from .views import BoundaryView, LossChart, banner, help_overlay, readouts, toast


class Painter:
    def __init__(self, actions, trainer):
        self.actions, self.trainer = actions, trainer
        self.heatmap = Heatmap()
        self.chart = None
        self._heat_key = self._diagram_key = None
        self._colours = None          # (heatmap key, discretize) the boundary image shows
        self._wrong = (None, ())      # (key, plane points of misclassified training points)
        self.budget = FrameBudget()
        self.settled = False          # the last frame drew everything there is to draw
        self.hover = Hover(actions.clock)
        self.tip = None

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
        # the theory panel takes the legend's room too
        self.theory_view = TheoryView(self.layout.network.union(self.layout.legend)
                                      if self.layout.legend.h else self.layout.network,
                                      self.theme, self.actions)
        self.stepper_view = StepThroughView(self.theme, self.actions)
        self.boundary.set_heatmap(self.heatmap.rgb)    # the last one, until a new one is done
        self._diagram_key = self._colours = None

    @property
    def side(self):
        """The view right of the boundary: theory panel or network card."""
        return self.theory_view if self.actions.ui.theory_visible else self.network_view

    def handle(self, event):
        """Mouse events for the views; True when one used it."""
        if event.type == pygame.MOUSEMOTION:
            self.hover.moved(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.hover.clear()
        if self.panel and self.panel.handle(event):
            return True
        if self.chart.handle(event) or self.side.handle(event):
            return True
        if self.stepper_view.handle(event, self.boundary):
            return True
        return event.type != pygame.MOUSEWHEEL and self.boundary.handle(event, self.actions)

    def forget_pointer(self):
        """Drop hover state (tooltips, highlights): the pointer was last seen by a view
        before a modal prompt took the events."""
        self.network_view.mouse = self.chart.hover = None
        self.theory_view.mouse = (-1, -1)
        if self.panel:
            self.panel.mouse = None

    # -- caches ---------------------------------------------------------------------------
    def _refresh_boundary(self, session, busy, parallel, grid=True):
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
        if heat.in_progress and grid:
            # while training, a frame spends what its budget leaves on the grid; else all of it
            heat.advance(self.budget.spare() if busy else None, parallel=parallel and not busy)
        colours = (self._heat_key, ui.discretize)
        if not heat.in_progress and colours != self._colours:
            self.boundary.set_heatmap(heat.colour(ui.discretize))
            self._colours = colours
        return key == self._heat_key and not heat.in_progress

    def _refresh(self, session, parallel):
        """Bring the cached pictures up to date; True once all of them are. While training
        a frame does one heavy job, the network card's redraw or a share of the heatmap,
        sized to what the frame budget leaves."""
        ui, trainer = self.actions.ui, self.trainer
        busy = trainer.worker.busy
        trainer.refresh_metrics(session)
        key = (trainer.view_version, session.points_version, session.settings, ui.selected_node,
               ui.hidden_space, ui.hidden_layer, tuple(ui.hidden_axes))
        card_due = (not ui.theory_visible and key != self._diagram_key
                    and (not ui.playing or self.network_view.due(trainer.view_net)))
        if card_due and self.network_view.update(
                session, trainer.view_net, trainer.grad_meter, force=not ui.playing,
                budget_s=self.budget.spare() if busy else None):
            self._diagram_key = key
        done = self._refresh_boundary(session, busy, parallel, grid=not (busy and card_due))
        if ui.theory_visible:
            self.theory_view.update(session)
            return done
        return done and key == self._diagram_key

    def _misclassified(self, session):
        """Plane points of the training points the shown network gets wrong."""
        net = self.trainer.view_net
        key = (self.trainer.view_version, session.points_version)
        if key != self._wrong[0]:
            wrong = ()
            if len(session.y_train) and net.sizes[0] == session.F_train.shape[1]:
                guess = net.predict_proba(session.F_train, parallel=False).argmax(axis=1)
                wrong = session.X[~session.test][guess != session.y_train]
            self._wrong = (key, wrong)
        return self._wrong[1]

    # -- drawing --------------------------------------------------------------------------
    def draw(self, screen, ready, parallel, fps, now, progress=(0, 1)):
        """The whole window; ``parallel``: the all-cores grid kernel is compiled;
        ``progress``: (kernel groups ready, all of them) while the engine is prepared."""
        t, lay = self.theme, self.layout
        session, ui, trainer = self.actions.session, self.actions.ui, self.trainer
        start = self.budget.clock()
        screen.fill(th.BACKGROUND)
        if not ready:
            self._draw_preparing(screen, now, progress)
            self.settled = False
            return
        heavy = self.budget.clock()
        self.settled = self._refresh(session, parallel)
        heavy = self.budget.clock() - heavy
        self.boundary.draw(screen, session, ui.show_test, self._misclassified(session))
        if lay.legend.h and not ui.theory_visible:
            draw_legend(screen, lay.legend, t, session.settings.n_classes)
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
        elif session.lesson and ui.lesson_caption:
            draw_lesson_caption(screen, lay.boundary, t, session.lesson)
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
        self.tip = None               # the hover help shown this frame
        if self.hover.due() and not (ui.help_visible or ui.intro_visible or ui.prompt):
            self.tip = self.help_at(self.hover.pos)
            if self.tip:
                draw_tooltip(screen, t, self.hover.pos, self.tip)
        self.settled = self.settled and not self.hover.pending()
        if ui.message and now < ui.message_until:
            toast(screen, screen.get_size(), t, ui.message)
        if ui.help_visible:
            help_overlay(screen, screen.get_size(), t, HELP_ROWS)
        if ui.intro_visible:
            draw_intro(screen, screen.get_size(), t)
        if ui.prompt:
            ui.prompt.draw(screen, t)
        self.budget.note("base", self.budget.clock() - start - heavy)

    def _draw_preparing(self, screen, now, progress):
        """The engine is compiled: which group of kernels, and a bar of how many are done."""
        t, (done, total) = self.theme, progress
        dots = "." * (1 + int(now * 2) % 3)
        area = screen.get_rect()
        banner(screen, area, t, f"Preparing the engine{dots}",
               f"compiling the numba kernels, {done} of {total} groups ready: this happens on "
               "the first start only", th.ACCENT)
        bar = pygame.Rect(0, 0, t.px(320), t.px(10))
        bar.midtop = (area.centerx, area.centery + t.big + t.body * 2 + t.px(24))
        pygame.draw.rect(screen, th.HOVER, bar, border_radius=bar.h // 2)
        filled = bar.copy()
        filled.w = round(bar.w * done / max(total, 1))
        if filled.w:
            pygame.draw.rect(screen, th.ACCENT, filled, border_radius=bar.h // 2)

    def help_at(self, pos):
        """One line on what is at ``pos``: a panel control's help, else its region's."""
        if self.panel and self.panel.rect.collidepoint(pos):
            return self.panel.tooltip()
        if self.side is self.theory_view and self.theory_view.rect.collidepoint(pos):
            return None
        if self.side is self.network_view and not self.actions.ui.hidden_space and \
                self.network_view.tooltip_at(pos):
            return None                    # the diagram shows that node's or link's numbers
        lay = self.layout
        if self.side is self.network_view and self.network_view.meter.collidepoint(pos):
            return REGION_HELP["meter"]
        if self.chart.plot.collidepoint(pos):
            return None                    # the chart shows the epoch's values there
        for name in ("boundary", "chart", "readouts", "legend"):
            if getattr(lay, name).collidepoint(pos):
                return REGION_HELP[name]
        if self.side is self.network_view and lay.network.collidepoint(pos):
            return REGION_HELP["network"]
        return None

    def _draw_experiment_caption(self, screen):
        """The experiment's title and two lines of what to watch, over the boundary view."""
        e, part = self.actions.ui.experiment
        caption_box(screen, self.layout.boundary, self.theme,
                    f"Try this: {e.title}" + (f" — part {part} of 2" if e.parts == 2 else ""),
                    e.captions[part - 1], "Esc hides this caption")

    def _draw_selection_caption(self, screen, session):
        t, (l, i) = self.theme, self.actions.ui.selected_node
        L = len(session.net.sizes) - 1
        what = (f"input {i + 1}" if l == 0 else f"output: class {th.CLASS_NAMES[i]}" if l == L
                else f"layer {l} · neuron {i + 1}")
        label = text(f"Showing {what} — click it in the diagram again to go back", t.small, th.WHITE)
        box = label.get_rect(midtop=(self.layout.boundary.centerx, self.layout.boundary.y + t.px(8)))
        pygame.draw.rect(screen, th.ACCENT, box.inflate(t.px(14), t.px(8)), border_radius=t.radius)
        screen.blit(label, box)
