"""The loss chart: train and test loss per epoch over the whole history."""
import math

import numpy as np
import pygame

from ...lessons.text import _
from ..draw import theme as th
from ..draw.primitives import card, card_content
from ..draw.theme import text
from ..input.intents import Drag, Hover, Press
from .base import View
from .overlays import REGION_HELP


def _finite(values):
    """``values`` with Inf as NaN: both mean "no value" (a diverged epoch)."""
    return np.where(np.isfinite(values), values, np.nan)


class LossChart(View):
    """Train and test loss per epoch over the whole history, drawn as each pixel column's
    min-max band (so a jagged curve stays jagged) from the history's blocks, which cost the
    same however long training runs; hover shows epoch and value (or a block's range). In
    compare mode each side's train loss, or with the "test" button its test loss: A solid,
    B dashed. An experiment that opens sets that button to the loss its claim is about."""

    def __init__(self):
        self.log_scale = False
        self.pair_test = False      # compare mode: the sides' test loss, not their train loss
        self._experiment = None     # the open experiment, when last drawn
        self.hover = None

    def layout(self, layout, t):
        self.rect = rect = layout.chart
        self.t = t
        self._drawn = {}       # per slot: (history version, epochs, has_test, axis epochs, losses)
        self._cached = {}      # per slot: the curves drawn
        self.inner = inner = card_content(rect, t, _("chart.title"))
        label_w = text("0.000", t.small).get_width() + t.px(6)
        self.plot = pygame.Rect(inner.x + label_w, inner.y + t.px(4),
                                inner.w - label_w, inner.h - t.small - t.px(12))
        corner = (rect.right - t.px(10), rect.y + t.px(8))
        self.log_button, self.test_button = (      # compare mode's "test" where "log" is
            text(_(name), t.small).get_rect(topright=corner).inflate(t.px(12), t.px(4))
            for name in ("chart.log", "chart.test"))
        self.hover = None

    def handle(self, intent, frame):
        if isinstance(intent, Press) and intent.primary:
            if frame.comparing and self.test_button.collidepoint(intent.pos):
                self.pair_test = not self.pair_test
                return True
            if not frame.comparing and self.log_button.collidepoint(intent.pos):
                self.log_scale = not self.log_scale
                return True
        if isinstance(intent, (Hover, Drag)):
            self.hover = intent.pos if self.plot.collidepoint(intent.pos) else None
        return False

    def help_at(self, pos, frame):
        """None over the plot (it shows the epoch's values there)."""
        if self.plot.collidepoint(pos):
            return None
        return _("region.chart_pair" if frame.comparing else REGION_HELP["chart"])

    def draw(self, surface, frame):
        """The chart of the sides' shown epochs ("diverged — press R" while every side has)."""
        diverged = all(side.session.net.diverged for side in frame.sides)
        empty = "chart.empty.diverged" if diverged else "chart.empty.untrained"
        if not frame.comparing:
            session, shown = frame.session, frame.side.snapshot.shown_epoch
            self.draw_history(surface, session.history[:shown], session.history_version,
                           has_test=len(session.y_test) > 0, empty=empty)
            return
        if frame.ui.experiment is not self._experiment:      # one opens (or closes: Esc)
            self._experiment = frame.ui.experiment
            if self._experiment is not None:
                self.pair_test = self._experiment.watch_test
        self.draw_pair(surface, [(side.name, side.session.history[:side.snapshot.shown_epoch],
                                   side.session.history_version) for side in frame.sides], empty,
                       test=self.pair_test)

    def _y(self, v, lo, hi):
        if self.log_scale:
            v, lo, hi = np.log10(np.maximum(v, 1e-6)), math.log10(max(lo, 1e-6)), math.log10(max(hi, 1e-6))
        return self.plot.bottom - (np.asarray(v) - lo) / max(hi - lo, 1e-12) * self.plot.h

    def _curves(self, history, version, has_test, n=None, slot=0, losses=None):
        """Per loss (train, and test if ``has_test``) that has values: (x, low, high) of
        each pixel column, or of each epoch while there are at most as many epochs as
        columns; the x axis spans ``n`` epochs (default: the history's). ``slot`` keeps a
        cache per curve set (compare mode draws two); ``losses`` are (column, colour)."""
        n = len(history) if n is None else n
        if self._drawn.get(slot) != (version, len(history), has_test, n, losses):
            self._drawn[slot] = (version, len(history), has_test, n, losses)
            p = self.plot
            starts, low, high = history.blocks()
            low, high = _finite(low), _finite(high)
            cached = self._cached[slot] = []
            for k, colour in (losses or ((0, th.TRAIN_LINE), (2, th.TEST_LINE)))[:1 + has_test]:
                if not len(starts) or np.isnan(high[:, k]).all():
                    continue
                if n <= p.w:      # one point per epoch: a line
                    cached.append((p.x + starts / max(n - 1, 1) * p.w, low[:, k], high[:, k],
                                   colour))
                    continue
                column = starts * p.w // n        # the band between each column's min and max
                first = np.flatnonzero(np.r_[True, np.diff(column) > 0])
                cached.append((p.x + column[first], np.fmin.reduceat(low[:, k], first),
                               np.fmax.reduceat(high[:, k], first), colour))
        return self._cached[slot]

    def draw_history(self, surface, history, version, has_test=True, empty="chart.empty.untrained"):
        """``history`` is a ``History``; ``version`` changes whenever it starts over (see
        Session); without test points there is no test curve; ``empty`` is shown while
        there is no curve (a catalogue key)."""
        t, p = self.t, self.plot
        card(surface, self.rect, t, _("chart.title"))
        on = self.log_scale
        pygame.draw.rect(surface, th.ACCENT if on else th.CARD, self.log_button, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT if on else th.BORDER, self.log_button, 1, border_radius=t.radius)
        label = text(_("chart.log"), t.small, th.WHITE if on else th.MUTED, on)
        surface.blit(label, label.get_rect(center=self.log_button.center))
        legend_x = self.log_button.x - t.px(8)
        for name, colour in (("chart.test", th.TEST_LINE), ("chart.train", th.TRAIN_LINE))[not has_test:]:
            label = text(_(name), t.small, th.MUTED)
            rect = label.get_rect(midright=(legend_x, self.log_button.centery))
            surface.blit(label, rect)
            pygame.draw.line(surface, colour, (rect.x - t.px(18), rect.centery), (rect.x - t.px(4), rect.centery), 2)
            legend_x = rect.x - t.px(26)
        pygame.draw.line(surface, th.BORDER, p.bottomleft, p.bottomright)
        curves = self._curves(history, version, has_test)
        if not curves:
            label = text(_(empty), t.small, th.MUTED)
            surface.blit(label, label.get_rect(center=p.center))
            return
        hi = max(np.nanmax(c[2]) for c in curves)
        lo = min(np.nanmin(c[1]) for c in curves) if on else 0.0
        for v in (lo, hi):
            label = text(f"{v:.3g}", t.small, th.MUTED)
            box = label.get_rect(midright=(p.x - t.px(4), self._y(v, lo, hi)))
            surface.blit(label, box.clamp(self.inner))
        n = len(history)
        for label, x in ((f"{1}", p.x), (_("chart.epoch", n=f"{n:,}"), p.right)):
            surf = text(label, t.small, th.MUTED)
            surface.blit(surf, surf.get_rect(midtop=(x, p.bottom + t.px(2))) if x == p.x
                         else surf.get_rect(topright=(x, p.bottom + t.px(2))))
        for xs, low, high, colour in curves:
            low, high = np.nan_to_num(low, nan=hi), np.nan_to_num(high, nan=hi)
            if n <= p.w:
                if n == 1:
                    pygame.draw.circle(surface, colour, (xs[0], self._y(low[0], lo, hi)), 2)
                else:
                    pygame.draw.lines(surface, colour, False, np.c_[xs, self._y(low, lo, hi)].tolist(), 2)
                continue
            top = np.c_[xs, self._y(high, lo, hi)]
            bottom = np.c_[xs, self._y(low, lo, hi) + 1][::-1]
            pygame.draw.polygon(surface, colour, np.r_[top, bottom].tolist())
        if self.hover:
            self._draw_hover(surface, history, lo, hi)

    def draw_pair(self, surface, sides, empty="chart.empty.untrained", test=False):
        """Compare mode: the train loss (or the ``test`` loss, its button lit) of each of
        ``sides`` ((name, history, version): A and B) on one axis, A solid and B dashed, each
        named at its last point."""
        t, p = self.t, self.plot
        card(surface, self.rect, t, _("chart.title_pair_test" if test else "chart.title_pair"))
        button = self.test_button
        pygame.draw.rect(surface, th.ACCENT if test else th.CARD, button, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT if test else th.BORDER, button, 1, border_radius=t.radius)
        label = text(_("chart.test"), t.small, th.WHITE if test else th.MUTED, test)
        surface.blit(label, label.get_rect(center=button.center))
        n = max(len(history) for _, history, _ in sides)
        k = 2 if test else 0
        curves = [(name, self._curves(history, version, False, n, slot, ((k, colour),)))
                  for slot, ((name, history, version), colour)
                  in enumerate(zip(sides, (th.TRAIN_LINE, th.ACCENT)))]
        legend_x = button.x - t.px(8)
        for slot, (name, _drawn) in reversed(list(enumerate(curves))):
            label = text(_("side.short", name=name), t.small, th.MUTED)
            rect = label.get_rect(midright=(legend_x, self.rect.y + t.px(8) + t.small // 2))
            surface.blit(label, rect)
            y = rect.centery
            step, end = t.px(6) * (1 + slot), rect.x - t.px(4)      # B's sample: dashes
            for x in range(end - t.px(26), end, step):
                _line(surface, (th.TRAIN_LINE, th.ACCENT)[slot], [(x, y), (min(x + step // (1 + slot), end), y)])
            legend_x = rect.x - t.px(40)
        pygame.draw.line(surface, th.BORDER, p.bottomleft, p.bottomright)
        drawn = [(slot, name, c) for slot, (name, cs) in enumerate(curves) for c in cs]
        if not drawn:
            label = text(_(empty), t.small, th.MUTED)
            surface.blit(label, label.get_rect(center=p.center))
            return
        hi = max(np.nanmax(c[2]) for _, _, c in drawn)
        lo = min(np.nanmin(c[1]) for _, _, c in drawn) if self.log_scale else 0.0
        for v in (lo, hi):
            label = text(f"{v:.3g}", t.small, th.MUTED)
            box = label.get_rect(midright=(p.x - t.px(4), self._y(v, lo, hi)))
            surface.blit(label, box.clamp(self.inner))
        for label, x, anchor in (("1", p.x, "midtop"), (_("chart.epoch", n=f"{n:,}"), p.right, "topright")):
            surf = text(label, t.small, th.MUTED)
            surface.blit(surf, surf.get_rect(**{anchor: (x, p.bottom + t.px(2))}))
        dash = t.px(8)
        for slot, name, (xs, low, high, colour) in drawn:
            low, high = np.nan_to_num(low, nan=hi), np.nan_to_num(high, nan=hi)
            top, bottom = self._y(high, lo, hi), self._y(low, lo, hi)
            if slot:       # B in dashes: resampled to every pixel column, cut every dash
                x = np.arange(int(xs[0]), int(xs[-1]) + 1)
                xs, top, bottom = x, np.interp(x, xs, top), np.interp(x, xs, bottom)
            if n <= p.w:
                points, per_x, width = np.c_[xs, bottom].tolist(), 1, 3
            else:          # each column's band from max to min: one zigzag line (a polygon
                points = np.c_[np.repeat(xs, 2), np.c_[top, bottom + 1].ravel()].tolist()
                per_x, width = 2, 2                                 # this tall is slow)
            for start in range(0, len(xs), 2 * dash) if slot else (0,):
                piece = points[per_x * start:per_x * (start + dash)] if slot else points
                _line(surface, colour, piece, width)
            tag = text(name, t.body, colour, True)
            surface.blit(tag, tag.get_rect(midleft=(min(xs[-1] + t.px(4), p.right - tag.get_width()),
                                                    bottom[-1] - t.px(10))))

    def _draw_hover(self, surface, history, lo, hi):
        t, p = self.t, self.plot
        n = len(history)
        e = round((self.hover[0] - p.x) / p.w * max(n - 1, 1))
        e = min(max(e, 0), n - 1)
        x = p.x + e / max(n - 1, 1) * p.w
        pygame.draw.line(surface, th.MUTED, (x, p.y), (x, p.bottom))
        first, epochs, low, high = history.at(e)
        parts = [_("chart.epoch", n=f"{e + 1:,}") if epochs == 1 else
                 _("chart.epochs", first=f"{first + 1:,}", last=f"{first + epochs:,}")]
        for name, k in (("chart.train", 0), ("chart.test", 2)):
            if np.isfinite(high[k]):
                parts.append(_("chart.value", curve=_(name), value=f"{low[k]:.4f}" if low[k] == high[k]
                               else f"{low[k]:.4f}–{high[k]:.4f}"))
        label = text("   ".join(parts), t.small, th.TEXT, True)
        box = label.get_rect(midtop=(x, p.y)).inflate(t.px(10), t.px(6))
        box.clamp_ip(p)
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        pygame.draw.rect(surface, th.BORDER, box, 1, border_radius=t.radius)
        surface.blit(label, label.get_rect(center=box.center))


def _line(surface, colour, points, width=2):
    """A polyline through ``points`` (a dot for one point)."""
    if len(points) == 1:
        pygame.draw.circle(surface, colour, points[0], width)
    else:
        pygame.draw.lines(surface, colour, False, points, width)
