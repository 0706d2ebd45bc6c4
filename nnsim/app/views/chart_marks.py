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
    """Over the loss chart: of one side, or in compare mode of each side in its curve's
    colour (A solid, B dashed), without the η curve, whose scale differs from side to side.
    Its ``rect`` is the restore button while there is one (for the side the panel edits; the
    chart answers hover help everywhere else)."""

    def __init__(self, chart, actions):
        self.chart, self.actions = chart, actions
        self.button = NO_RECT

    def layout(self, layout, t):
        self.t = t
        self.rect = self.button = NO_RECT

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
        t = self.t
        title = _("chart.title_pair") if frame.comparing else _("chart.title")
        header_x = self.chart.rect.x + t.px(10) + text(title, t.body, th.TEXT, True).get_width() \
            + t.px(14)
        n = max(side.snapshot.shown_epoch for side in frame.sides)   # the chart's x axis
        if not frame.comparing and scheduled(frame.session.settings):
            header_x = self._eta(surface, frame.session.settings, n, header_x)
        self.rect = self.button = NO_RECT
        stops = []
        for slot, side in enumerate(frame.sides):
            session, shown = side.session, side.snapshot.shown_epoch
            colour = (th.TRAIN_LINE, th.ACCENT)[slot] if frame.comparing else th.ACCENT
            name = side.name if frame.comparing else ""
            best = session.best
            if best is not None and best[0] <= shown:
                self._best(surface, best[0], n, colour, name, dashed=slot == 0)
                if slot == min(frame.selected, len(frame.sides) - 1):
                    self._restore_button(surface, header_x)
            if session.stopped and shown == session.epoch:
                stops.append((colour, name, session))
        self._stops(surface, stops)

    def _eta(self, surface, s, n, header_x):
        """The schedule's η over the ``n`` epochs (faint, scaled to its peak) and "η now" in
        the header from ``header_x``; returns where the header goes on."""
        t, p = self.t, self.chart.plot
        if n > 1:
            epochs = np.unique(np.linspace(0, n - 1, min(n, p.w)).astype(int))
            etas = np.array([eta_at(s, e) for e in epochs])
            ys = p.bottom - etas / s.eta * (p.h - t.px(4))
            pygame.draw.lines(surface, tint(th.ACCENT, ETA_SHADE), False,
                              np.c_[[self._x(e + 1, n) for e in epochs], ys].tolist(), 2)
        label = text(_("chart.eta", eta=f"{eta_at(s, n):.3g}"), t.small, th.ACCENT, True)
        box = label.get_rect(midleft=(header_x, self.chart.log_button.centery))
        surface.blit(label, box)
        return box.right + t.px(10)

    def _best(self, surface, epoch, n, colour, name, dashed):
        """The best epoch's vertical line (long dashes, or dots for B's dashed curve) and its
        tag, named after the side in compare mode."""
        t, p = self.t, self.chart.plot
        x = self._x(epoch, n)
        dash = t.px(4) if dashed else t.px(2)
        for y in range(p.y, p.bottom, 2 * dash):
            pygame.draw.line(surface, colour, (x, y), (x, min(y + dash, p.bottom)), 2)
        tag = _("chart.best", epoch=f"{epoch:,}")
        tag = text(f"{name} {tag}" if name else tag, t.small, colour, True)
        surface.blit(tag, tag.get_rect(topleft=(x + t.px(4), p.y)).clamp(p))

    def _restore_button(self, surface, header_x):
        """"↺ best weights" in the chart's header: restores the edited side's best epoch."""
        t = self.t
        label = text(_("chart.restore"), t.small, th.TEXT)
        self.rect = self.button = label.get_rect(
            midleft=(header_x + t.px(6), self.chart.log_button.centery)).inflate(t.px(12), t.px(4))
        pygame.draw.rect(surface, th.HOVER, self.button, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, self.button, 1, border_radius=t.radius)
        surface.blit(label, label.get_rect(center=self.button.center))

    def _stops(self, surface, stops):
        """Why each stopped side stopped ((colour, name, session)), one box under another."""
        t, p = self.t, self.chart.plot
        y = p.y + t.small + t.px(10)
        for colour, name, session in stops:
            s, best = session.settings, session.best
            values = {"epochs": f"{s.stop_epochs:,}", "loss": f"{s.stop_loss:g}",
                      "patience": f"{s.early_stop:,}", "best": f"{best[0]:,}" if best else ""}
            why = _(STOP_REASONS[session.stopped], **values)
            line = text(_("chart.stopped.side", name=name, why=why) if name else why, t.small,
                        th.WHITE, True, width=p.w - t.px(16))
            box = line.get_rect(midtop=(p.centerx, y)).inflate(t.px(12), t.px(6))
            pygame.draw.rect(surface, colour, box, border_radius=t.radius)
            surface.blit(line, line.get_rect(center=box.center))
            y = box.bottom + t.px(4)
