"""Everything on screen: the layout, the views in it, and what each frame draws.

``Painter`` reads the session and UI state (through ``actions``) and the trainer's snapshot,
and redraws each cached picture only when what it shows changed: every cache is keyed on
the session's version counters, which are never reused. In compare mode each side has its
own boundary view (``compare.SideView``); the chart, readouts and banners cover both.
"""
import pygame

from . import controls
from . import theme as th
from .compare import SIDE_NAMES, SideView, card_tag, pair_readouts, side_tag
from .keys import HELP_ROWS
from .layout import compute_layout
from .network_view import NetworkView
from .panel import Panel
from .theme import Theme, text
from .theory_view import TheoryView
from .views import LossChart, banner, help_overlay, readouts, toast

HEATMAP_S = 0.003         # heatmap work per frame while training (the rest comes next frame)


class Painter:
    def __init__(self, actions, trainer):
        self.actions, self.trainer = actions, trainer
        self.chart = None
        self._diagram_key = None
        self._tags = []               # compare mode: where each side's tag was drawn
        self.settled = False          # the last frame drew everything there is to draw

    def _mode(self):
        """What the layout depends on besides the window size."""
        ui = self.actions.ui
        return ui.panel_visible, self.actions.comparing, ui.experiment is not None

    def relayout(self, size):
        """Views for a window of ``size`` (the panel shown or not, one side or two, an
        experiment's larger chart or not)."""
        ui = self.actions.ui
        self.theme = Theme(size)
        self._laid_out = (size, self._mode())
        panel_visible, compare, experiment = self._mode()
        self.layout = compute_layout(size, self.theme, panel_visible, compare, experiment)
        self.sides = [SideView(r, self.theme) for r in self.layout.pair or (self.layout.boundary,)]
        log_scale = bool(self.chart and self.chart.log_scale)
        self.chart = LossChart(self.layout.chart, self.theme)
        self.chart.log_scale = log_scale
        self.panel = Panel(self.layout.panel, self.theme, self.actions) if ui.panel_visible else None
        self.network_view = NetworkView(self.layout.network, self.theme, self.actions)
        self.theory_view = TheoryView(self.layout.network, self.theme, self.actions)
        self._diagram_key = None

    @property
    def boundary(self):
        """The boundary view the selected side is drawn in."""
        return self.sides[min(self.actions.selected, len(self.sides) - 1)].boundary

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
        if event.type == pygame.MOUSEBUTTONDOWN and self.actions.comparing:
            for i, tag in enumerate(self._tags):
                if tag.collidepoint(event.pos):
                    self.actions.select_side(i)
                    return True
        return event.type != pygame.MOUSEWHEEL and any(
            side.boundary.handle(event, self.actions) for side in self.sides)

    # -- caches ---------------------------------------------------------------------------
    def _refresh(self, session, parallel):
        """Bring the cached pictures up to date (the heatmap perhaps only in part); True
        once all of them are."""
        actions, trainer = self.actions, self.trainer
        ui, selected = actions.ui, actions.selected
        busy = trainer.worker.busy
        trainer.refresh_metrics(actions.sides)
        done = True
        for i, (view, snapshot, side) in enumerate(zip(self.sides, trainer.sides, actions.sides)):
            node = ui.selected_node if i == selected else None
            done &= view.refresh(snapshot, side, ui, node, busy, parallel, HEATMAP_S / len(self.sides))
        if ui.theory_visible:
            self.theory_view.update(session)
            return done
        shown = trainer.sides[selected]
        key = (shown.view_version, session.points_version, session.settings, ui.selected_node,
               ui.hidden_space, ui.hidden_layer, tuple(ui.hidden_axes))
        if key != self._diagram_key and self.network_view.update(
                session, shown.view_net, shown.grad_meter, force=not ui.playing):
            self._diagram_key = key
        return done and key == self._diagram_key

    # -- drawing --------------------------------------------------------------------------
    def draw(self, screen, ready, parallel, fps, now):
        """The whole window; ``parallel``: the all-cores grid kernel is compiled."""
        if self._laid_out != (screen.get_size(), self._mode()):
            self.relayout(screen.get_size())
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
        sides = list(zip(self.sides, trainer.sides, self.actions.sides))
        for view, _, side in sides:
            view.boundary.draw(screen, side, ui.show_test)
        self._draw_chart(screen, sides)
        if self.actions.comparing:
            pair_readouts(screen, lay.readouts, t,
                          [(name, shot.shown_epoch, shot.metrics, shot.epochs_per_second())
                           for name, (_, shot, _) in zip(SIDE_NAMES, sides)],
                          self.actions.selected, fps)
        else:
            shot = trainer.sides[0]
            readouts(screen, lay.readouts, t, shot.shown_epoch, shot.metrics,
                     shot.epochs_per_second(), fps)
        self.side.draw(screen)
        if self.panel:
            self.panel.draw(screen)
        if self.actions.comparing:
            self._draw_side_tags(screen)
        if ui.selected_node:
            self._draw_selection_caption(screen, session)
        elif ui.experiment:
            self._draw_experiment_caption(screen)
        for view, shot, side in sides:
            self._draw_trouble(screen, view.boundary.rect, shot, side)
        if not len(session.y_train):
            banner(screen, lay.boundary, t, "No training points",
                   "click to add points, or press 1–6 for a dataset", th.ACCENT)
        if ui.message and now < ui.message_until:
            toast(screen, screen.get_size(), t, ui.message)
        if ui.help_visible:
            help_overlay(screen, screen.get_size(), t, HELP_ROWS)
        if ui.prompt:
            ui.prompt.draw(screen, t)

    def _draw_chart(self, screen, sides):
        """The loss chart: in compare mode each side's train loss (A solid, B dashed)."""
        diverged = all(side.net.diverged for _, _, side in sides)
        empty = "diverged — press R" if diverged else "press Space to train"
        if not self.actions.comparing:
            _, shot, session = sides[0]
            self.chart.draw(screen, session.history[:shot.shown_epoch], session.history_version,
                            has_test=len(session.y_test) > 0, empty=empty)
            return
        self.chart.draw_pair(screen, [(name, side.history[:shot.shown_epoch], side.history_version)
                                      for name, (_, shot, side) in zip(SIDE_NAMES, sides)], empty)

    def _draw_side_tags(self, screen):
        """Each side's name on its view (a click on it selects the side), and the side the
        network card shows on the card."""
        e, t = self.actions.ui.experiment, self.theme
        self._tags = [side_tag(screen, view.boundary.rect, t,
                               f"Side {SIDE_NAMES[i]}" + (f" · {e.sides[i]}" if e else ""),
                               i == self.actions.selected)
                      for i, view in enumerate(self.sides)]
        card_tag(screen, self.layout.network, t, f"side {SIDE_NAMES[self.actions.selected]}")

    def _draw_trouble(self, screen, rect, shot, session):
        """A banner over a side's view whose training cannot go on: diverged, dead."""
        t = self.theme
        if session.net.diverged:
            banner(screen, rect, t, "Diverged — press R",
                   f"the loss blew up at η = {controls.format_eta(session.settings.eta)}; "
                   "lower η, then reset")
        elif shot.dead:
            dead = shot.dead
            which = ("layer " if len(dead) == 1 else "layers ") + ", ".join(map(str, dead))
            banner(screen, rect, t, "Dead network — press R",
                   f"every ReLU in {which} outputs 0 for all points, so no gradient gets "
                   "through; lower η, then reset")

    def _draw_experiment_caption(self, screen):
        """The experiment's title and two lines of what to watch, over the boundary view."""
        t, e = self.theme, self.actions.ui.experiment
        r = self.layout.boundary
        width = r.w - 2 * t.px(16)
        lines = [text(f"Try this: {e.title}" + (" — side A vs side B" if e.parts == 2 else ""),
                      t.body, th.WHITE, True)]
        for line in e.caption:
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
