"""The compositor: the views in drawing order, laid out, refreshed and drawn each frame.

``Painter`` holds one list of views (see ``base.View``). Each frame it lays them out when
the window or the mode changed, brings the visible ones' cached pictures up to date (every
cache is keyed on version counters that are never reused), draws them bottom to top, and
hands pointer intents to them top to bottom. A new view is one class and one entry in
``Painter.views``.
"""
from functools import partial

from ...lessons.text import language
from ..draw import theme as th
from ..draw.theme import Theme
from ..input.hover import HoverTimer
from ..input.intents import OFF_SCREEN, Drag, Hover, LongPress, Press, Scroll
from .base import Frame
from .budget import FrameBudget
from .captions import CaptionView
from .chart import LossChart
from .chart_marks import ChartMarks
from .layout import compute_layout
from .legend import LegendView
from .metrics_view import MetricsView
from .network_view import NetworkView
from .overlays import BlankView, HelpView, IntroView, MessageView, PromptView, TooltipView
from .panel import Panel
from .picker import PickerView
from .readouts import ReadoutsView
from .sides import SidesView, SideTagsView, TroubleView
from .stepthrough_view import StepThroughView
from .theory_view import TheoryView


class Painter:
    def __init__(self, actions, trainer):
        self.actions, self.trainer = actions, trainer
        self.budget = FrameBudget()
        self.settled = False          # the last frame drew everything there is to draw
        self.hover = HoverTimer(actions.clock)
        self.sides = SidesView(actions)
        self.chart = LossChart()
        self.network_view = NetworkView(actions)
        self.theory_view = TheoryView(actions)
        self.panel = Panel(actions)
        self.stepper_view = StepThroughView(actions, self.network_view)
        self.caption = CaptionView(actions)
        self.tooltip = TooltipView(self.hover, self.help_at)
        #: bottom to top; intents go top to bottom
        self.views = (self.sides, LegendView(), MetricsView(), self.chart,
                      ChartMarks(self.chart, actions), ReadoutsView(), self.network_view,
                      self.theory_view, self.panel, SideTagsView(actions), PickerView(actions),
                      self.stepper_view, self.caption,
                      TroubleView(), self.tooltip, MessageView(actions.clock), HelpView(),
                      IntroView(), PromptView(), BlankView())
        #: refreshed in this order: the network card may take the frame's heavy job first
        self.refreshed = (self.network_view, self.theory_view, self.sides)
        self._laid_out = None

    def _mode(self):
        """What the layout depends on besides the window size."""
        ui = self.actions.ui
        return ui.panel_visible, self.actions.comparing, ui.experiment, ui.picker, language()

    def relayout(self, size):
        """Lay the views out for a window of ``size`` (the panel shown or not, one side or
        two, an experiment's larger chart and its caption (its words, in the language shown)
        or not, targets for fingers or not)."""
        panel_visible, compare, experiment, touch, _ = self._mode()
        self.theme = Theme(size, touch)
        self._laid_out = (size, self._mode())
        caption = partial(self.caption.height, t=self.theme) if experiment else None
        self.layout = compute_layout(size, self.theme, panel_visible, compare,
                                     experiment is not None, caption)
        for view in self.views:
            view.layout(self.layout, self.theme)

    def frame(self, parallel=False, fps=0.0, warming=None):
        """The Frame record of the state now."""
        actions = self.actions
        return Frame(actions.sides, actions.selected, actions.ui, self.trainer.worker.busy,
                     parallel, fps, self.budget.spare(), warming)

    def visible(self, frame=None):
        """The views shown (in ``frame``, default: now), bottom to top."""
        frame = frame or self.frame()
        return [view for view in self.views if view.visible(frame)]

    def refresh(self, frame):
        """Bring the visible views' cached pictures up to date, within ``frame``'s budget
        (one heavy job a frame while training); True once they all are."""
        shown = self.visible(frame)
        return all([view.refresh(frame) for view in self.refreshed if view in shown])

    # -- intents --------------------------------------------------------------------------
    def handle(self, intent):
        """Hand a pointer intent to the views, topmost first; True when one used it. A long
        press shows the hover help there at once (the views see it as the pointer resting)."""
        if isinstance(intent, LongPress):
            self.handle(Hover(intent.pos))
            self.hover.show(intent.pos)
            return True
        if isinstance(intent, (Hover, Drag)):
            self.hover.moved(intent.pos)
        elif isinstance(intent, (Press, Scroll)):
            self.hover.clear()
        frame = self.frame()
        return any(view.handle(intent, frame) for view in reversed(self.visible(frame)))

    def forget_pointer(self):
        """Drop hover state (tooltips, highlights): the pointer was last seen by a view
        before a modal prompt took the events."""
        self.handle(Hover(OFF_SCREEN))
        self.hover.clear()

    def help_at(self, pos, frame):
        """One line on what is at ``pos``: the topmost visible view there says."""
        for view in reversed(self.visible(frame)):
            if view.rect.collidepoint(pos):
                return view.help_at(pos, frame)
        return None

    # -- drawing --------------------------------------------------------------------------
    def draw(self, screen, parallel, fps, warming=None):
        """The whole window; ``parallel``: the all-cores grid kernel is ready; ``warming``:
        (kernel groups compiled, all of them) until the fast engine is in use."""
        if self._laid_out != (screen.get_size(), self._mode()):
            self.relayout(screen.get_size())
        start = self.budget.clock()
        screen.fill(th.BACKGROUND)
        heavy = self.budget.clock()
        self.trainer.refresh_metrics()
        frame = self.frame(parallel, fps, warming)
        self.settled = self.refresh(frame)
        heavy = self.budget.clock() - heavy
        for view in self.visible(frame):
            view.draw(screen, frame)
        self.settled = self.settled and not self.hover.pending()
        self.budget.note("base", self.budget.clock() - start - heavy)
