"""Everything on screen: the layout, the views in it, and what each frame draws.

``Painter`` reads the session and UI state (through ``actions``) and the trainer's snapshot,
and redraws each cached picture only when what it shows changed: every cache is keyed on
the session's version counters, which are never reused. In compare mode each side has its
own boundary view (``sides.SideView``); the chart, readouts and banners cover both.
"""
import pygame

from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import Theme, text
from ..input.hover import Hover
from ..input.keys import HELP_ROWS
from ..shell.budget import FrameBudget
from ..state import controls
from ..widgets.panel import Panel
from .captions import caption_box, draw_lesson_caption
from .chart import LossChart
from .layout import compute_layout
from .legend import draw_legend
from .network_view import NetworkView
from .overlays import REGION_HELP, banner, draw_intro, draw_tooltip, help_overlay, toast
from .readouts import pair_readouts, readouts
from .sides import SIDE_NAMES, SideView, card_tag, side_tag
from .stepthrough_view import StepThroughView
from .theory_view import TheoryView


class Painter:
    def __init__(self, actions, trainer):
        self.actions, self.trainer = actions, trainer
        self.chart = None
        self._diagram_key = None
        self._tags = []               # compare mode: where each side's tag was drawn
        self.budget = FrameBudget()
        self.settled = False          # the last frame drew everything there is to draw
        self.hover = Hover(actions.clock)
        self.tip = None

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
        # the theory panel takes the legend's room too
        self.theory_view = TheoryView(self.layout.network.union(self.layout.legend)
                                      if self.layout.legend.h else self.layout.network,
                                      self.theme, self.actions)
        self.stepper_view = StepThroughView(self.theme, self.actions)
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
        if event.type == pygame.MOUSEMOTION:
            self.hover.moved(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.hover.clear()
        if self.panel and self.panel.handle(event):
            return True
        if self.chart.handle(event) or self.side.handle(event):
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and self.actions.comparing:
            for i, tag in enumerate(self._tags):
                if tag.collidepoint(event.pos):
                    self.actions.select_side(i)
                    return True
        if self.stepper_view.handle(event, self.boundary):
            return True
        return event.type != pygame.MOUSEWHEEL and any(
            side.boundary.handle(event, self.actions) for side in self.sides)

    def forget_pointer(self):
        """Drop hover state (tooltips, highlights): the pointer was last seen by a view
        before a modal prompt took the events."""
        self.network_view.mouse = self.chart.hover = None
        self.theory_view.mouse = (-1, -1)
        if self.panel:
            self.panel.mouse = None

    # -- caches ---------------------------------------------------------------------------
    def _refresh(self, session, parallel):
        """Bring the cached pictures up to date; True once all of them are. While training
        a frame does one heavy job, the network card's redraw or a share of the heatmaps,
        sized to what the frame budget leaves."""
        actions, trainer = self.actions, self.trainer
        ui, selected = actions.ui, actions.selected
        busy = trainer.worker.busy
        trainer.refresh_metrics(actions.sides)
        shown = trainer.sides[selected]
        key = (shown.view_version, session.points_version, session.settings, ui.selected_node,
               ui.hidden_space, ui.hidden_layer, tuple(ui.hidden_axes))
        card_due = (not ui.theory_visible and key != self._diagram_key
                    and (not ui.playing or self.network_view.due(shown.view_net)))
        if card_due and self.network_view.update(
                session, shown.view_net, shown.grad_meter, force=not ui.playing,
                budget_s=self.budget.spare() if busy else None):
            self._diagram_key = key
        grid = not (busy and card_due)
        share = self.budget.spare() / len(self.sides)
        done = True
        for i, (view, snapshot, side) in enumerate(zip(self.sides, trainer.sides, actions.sides)):
            node = ui.selected_node if i == selected else None
            done &= view.refresh(snapshot, side, ui, node, busy, parallel, share, grid)
        if ui.theory_visible:
            self.theory_view.update(session)
            return done
        return done and key == self._diagram_key

    # -- drawing --------------------------------------------------------------------------
    def draw(self, screen, ready, parallel, fps, now, progress=(0, 1)):
        """The whole window; ``parallel``: the all-cores grid kernel is compiled;
        ``progress``: (kernel groups ready, all of them) while the engine is prepared."""
        if self._laid_out != (screen.get_size(), self._mode()):
            self.relayout(screen.get_size())
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
        sides = list(zip(self.sides, trainer.sides, self.actions.sides))
        for view, shot, side in sides:
            view.boundary.draw(screen, side, ui.show_test, view.misclassified(shot, side))
        if lay.legend.h and not ui.theory_visible:
            draw_legend(screen, lay.legend, t, session.settings.n_classes)
        self._draw_chart(screen, sides)
        if self.actions.comparing:
            pair_readouts(screen, lay.readouts, t,
                          [(name, shot.shown_epoch, shot.metrics, shot.epochs_per_second())
                           for name, (_, shot, _) in zip(SIDE_NAMES, sides)],
                          self.actions.selected, fps, session.settings.regression)
        else:
            shot = trainer.sides[0]
            readouts(screen, lay.readouts, t, shot.shown_epoch, shot.metrics,
                     shot.epochs_per_second(), fps, session.settings.regression)
        self.side.draw(screen)
        if self.panel:
            self.panel.draw(screen)
        if self.actions.comparing:
            self._draw_side_tags(screen)
        if self.actions.stepper.active:
            self.stepper_view.draw(screen, session, self.boundary, self.network_view)
        elif ui.selected_node:
            self._draw_selection_caption(screen, session)
        elif ui.experiment:
            self._draw_experiment_caption(screen)
        elif session.lesson and ui.lesson_caption:
            draw_lesson_caption(screen, lay.boundary, t, session.lesson)
        for view, shot, side in sides:
            self._draw_trouble(screen, view.boundary.rect, shot, side)
        if not len(session.y_train):
            banner(screen, lay.boundary, t, _("banner.empty.title"), _("banner.empty.hint"), th.ACCENT)
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
        banner(screen, area, t, _("banner.preparing.title", dots=dots),
               _("banner.preparing.hint", done=done, total=total), th.ACCENT)
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
            return _(REGION_HELP["meter"])
        if self.chart.plot.collidepoint(pos):
            return None                    # the chart shows the epoch's values there
        for name in ("boundary", "chart", "readouts", "legend"):
            if getattr(lay, name).collidepoint(pos):
                return _(REGION_HELP[name])
        if self.side is self.network_view and lay.network.collidepoint(pos):
            return _(REGION_HELP["network"])
        return None

    def _draw_chart(self, screen, sides):
        """The loss chart: in compare mode each side's train loss (A solid, B dashed)."""
        diverged = all(side.net.diverged for _, _, side in sides)
        empty = "chart.empty.diverged" if diverged else "chart.empty.untrained"
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
                               _("side.tag", name=SIDE_NAMES[i]) + (f" · {_(e.sides[i])}" if e and e.parts == 2 else ""),
                               i == self.actions.selected)
                      for i, view in enumerate(self.sides)]
        card_tag(screen, self.layout.network, t, _("side.short", name=SIDE_NAMES[self.actions.selected]))

    def _draw_trouble(self, screen, rect, shot, session):
        """A banner over a side's view whose training cannot go on: diverged, dead."""
        t = self.theme
        if session.net.diverged:
            banner(screen, rect, t, _("banner.diverged.title"),
                   _("banner.diverged.hint", eta=controls.format_eta(session.settings.eta)))
        elif shot.dead:
            dead = shot.dead
            banner(screen, rect, t, _("banner.dead.title"),
                   _("banner.dead.hint_layer" if len(dead) == 1 else "banner.dead.hint_layers",
                     layers=", ".join(map(str, dead))))

    def _draw_experiment_caption(self, screen):
        """The experiment's title and two lines of what to watch, over the boundary view."""
        e = self.actions.ui.experiment
        caption_box(screen, self.layout.boundary, self.theme,
                    _("caption.experiment_pair" if e.parts == 2 else "caption.experiment", title=_(e.title)),
                    [_(line) for line in e.caption], _("caption.hint"))

    def _draw_selection_caption(self, screen, session):
        t, (l, i) = self.theme, self.actions.ui.selected_node
        L = len(session.net.sizes) - 1
        what = (_("node.input", n=i + 1) if l == 0 else _("node.output", name=th.CLASS_NAMES[i]) if l == L
                else _("node.neuron", layer=l, n=i + 1))
        label = text(_("caption.selected", what=what), t.small, th.WHITE)
        box = label.get_rect(midtop=(self.layout.boundary.centerx, self.layout.boundary.y + t.px(8)))
        pygame.draw.rect(screen, th.ACCENT, box.inflate(t.px(14), t.px(8)), border_radius=t.radius)
        screen.blit(label, box)
