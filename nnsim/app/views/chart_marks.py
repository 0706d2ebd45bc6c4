"""What the loss chart shows of the learning-rate schedule and the stop conditions: the
current η and its schedule's curve (faint, on an axis of its own), the best epoch early
stopping has seen with a button back to its weights, and why training stopped."""
import numpy as np
import pygame

from ...core.schedule import eta_at
from ...lessons.text import _
from ..draw import theme as th
from ..draw.primitives import tint
from ..draw.theme import text
from ..input.intents import Press
from .base import View

#: why training stopped (Session.stopped): the catalogue key of the chart's line
STOP_REASONS = {"epochs": "chart.stopped.epochs", "loss": "chart.stopped.loss",
                "early": "chart.stopped.early"}
NO_RECT = pygame.Rect(0, 0, 0, 0)
ETA_SHADE = 0.3         # the η curve is this pale: the losses stay what the chart is about


def scheduled(settings):
    """Whether η changes from epoch to epoch (a schedule or a warm-up)."""
    return settings.schedule != "constant" or settings.warmup > 0


class ChartMarks(View):
    """Over the loss chart of one side (not in compare mode). Its ``rect`` is the restore
    button while there is one (the chart answers hover help everywhere else)."""

    def __init__(self, chart, actions):
        self.chart, self.actions = chart, actions
        self.button = NO_RECT

    def layout(self, layout, t):
        self.t = t
        self.rect = self.button = NO_RECT

    def visible(self, frame):
        return not frame.comparing

    def handle(self, intent, frame):
        if isinstance(intent, Press) and intent.primary and self.button.collidepoint(intent.pos):
            self.actions.restore_best()
            return True
        return False

    def help_at(self, pos, frame):
        return _("chart.tip.restore")

    def _x(self, epoch, n):
        """The x of the ``epoch``-th epoch (from 1) on a chart of ``n`` epochs."""
        p = self.chart.plot
        return p.x + (epoch - 1) / max(n - 1, 1) * p.w

    def draw(self, surface, frame):
        t, p = self.t, self.chart.plot
        session = frame.session
        s, n = session.settings, frame.side.snapshot.shown_epoch
        header_x = self.chart.rect.x + t.px(10) + text(_("chart.title"), t.body, th.TEXT, True).get_width() \
            + t.px(14)
        header_y = self.chart.log_button.centery
        if scheduled(s):
            if n > 1:
                epochs = np.unique(np.linspace(0, n - 1, min(n, p.w)).astype(int))
                etas = np.array([eta_at(s, e) for e in epochs])
                ys = p.bottom - etas / s.eta * (p.h - t.px(4))
                pygame.draw.lines(surface, tint(th.ACCENT, ETA_SHADE), False,
                                  np.c_[[self._x(e + 1, n) for e in epochs], ys].tolist(), 2)
            label = text(_("chart.eta", eta=f"{eta_at(s, n):.3g}"), t.small, th.ACCENT, True)
            box = label.get_rect(midleft=(header_x, header_y))
            surface.blit(label, box)
            header_x = box.right + t.px(10)
        best = session.best
        self.rect = self.button = NO_RECT
        if best is not None and best[0] <= n:
            x = self._x(best[0], n)
            for y in range(p.y, p.bottom, t.px(8)):          # dashed
                pygame.draw.line(surface, th.ACCENT, (x, y), (x, min(y + t.px(4), p.bottom)), 2)
            tag = text(_("chart.best", epoch=f"{best[0]:,}"), t.small, th.ACCENT, True)
            surface.blit(tag, tag.get_rect(topleft=(x + t.px(4), p.y)).clamp(p))
            label = text(_("chart.restore"), t.small, th.TEXT)
            self.rect = self.button = label.get_rect(midleft=(header_x + t.px(6), header_y)).inflate(
                t.px(12), t.px(4))
            pygame.draw.rect(surface, th.HOVER, self.button, border_radius=t.radius)
            pygame.draw.rect(surface, th.ACCENT, self.button, 1, border_radius=t.radius)
            surface.blit(label, label.get_rect(center=self.button.center))
        if session.stopped and n == session.epoch:
            values = {"epochs": f"{s.stop_epochs:,}", "loss": f"{s.stop_loss:g}",
                      "patience": f"{s.early_stop:,}", "best": f"{best[0]:,}" if best else ""}
            line = text(_(STOP_REASONS[session.stopped], **values), t.small, th.WHITE, True,
                        width=p.w - t.px(16))
            box = line.get_rect(midtop=(p.centerx, p.y + t.small + t.px(10))).inflate(t.px(12), t.px(6))
            pygame.draw.rect(surface, th.ACCENT, box, border_radius=t.radius)
            surface.blit(line, line.get_rect(center=box.center))
