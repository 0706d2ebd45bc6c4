"""The metrics card, a tab of the legend's card: the confusion matrices of the training and
the test points (precision and recall of a class on hover), or for regression the mean
absolute error, the root mean squared error and R²."""
import math

import pygame

from ...core.config import CLASS_NAMES
from ...lessons.text import _
from ..draw import theme as th
from ..draw.primitives import card, tint
from ..draw.theme import text
from ..input.intents import Press
from ..widgets.base import _fitting
from .base import View

TAB = "▦"               # the tab button: a matrix (its hover help says what it does)
SETS = (("metrics.train", ""), ("metrics.test", "test_"))   # (caption, report prefix)
#: the rows of the regression table: (caption, report key, format)
REGRESSION_ROWS = (("metrics.mae", "mae", ".3f"), ("metrics.rmse", "rmse", ".3f"),
                   ("metrics.r2", "r2", ".3f"))


def _number(value, fmt):
    return "—" if value is None or not math.isfinite(value) else format(value, fmt)


class MetricsView(View):
    """Over the legend's card while its tab is on; the tab button sits at the top right of
    either card. Metrics are cached on the snapshot's and the points' versions."""

    def __init__(self):
        self.on = False
        self._key, self._metrics = None, None
        self.cells = []               # (rect, class, set prefix) of what hover explains

    def layout(self, layout, t):
        self.card, self.t = layout.legend, t
        label = text(TAB, t.body)
        self.tab = label.get_rect(topright=(self.card.right - t.px(10), self.card.y + t.px(7)))
        self.tab = self.tab.inflate(t.px(12), t.px(4))
        self.cells = []
        self._show(self.on)

    def _show(self, on):
        """The card on or off; the view covers the whole card, or only its tab button."""
        self.on = on
        self.rect = self.card if on else self.tab

    def visible(self, frame):
        return self.card.h > 0 and not frame.ui.theory_visible

    def metrics(self, side):
        """The metrics of the snapshot ``side`` shows (never of the training network),
        computed again only when the snapshot or the points changed."""
        key = (side.snapshot.view_version, side.session.points_version)
        if key != self._key:
            self._key, self._metrics = key, side.session.metrics(side.snapshot.view_net)
        return self._metrics

    def handle(self, intent, frame):
        if isinstance(intent, Press) and intent.primary and self.tab.collidepoint(intent.pos):
            self._show(not self.on)
            return True
        return False

    def help_at(self, pos, frame):
        if self.tab.collidepoint(pos):
            return _("metrics.tip_tab")
        for rect, k, prefix in self.cells:
            if rect.collidepoint(pos):
                m = self.metrics(frame.side)
                values = [_("metrics.class_scores", set=_(caption),
                            precision=_number(m[f"{p}precision"][k], ".1%"),
                            recall=_number(m[f"{p}recall"][k], ".1%"))
                          for caption, p in SETS if p == prefix or not prefix]
                return _("metrics.class", name=CLASS_NAMES[k], scores="; ".join(values))
        return _("metrics.tip")

    def draw(self, surface, frame):
        t = self.t
        if self.on:
            inner = card(surface, self.card, t, _("metrics.title"))
            if frame.session.settings.regression:
                self._draw_regression(surface, inner, self.metrics(frame.side))
            else:
                self._draw_confusion(surface, inner, self.metrics(frame.side),
                                     frame.session.settings.n_classes)
        pygame.draw.rect(surface, th.ACCENT if self.on else th.CARD, self.tab, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT if self.on else th.BORDER, self.tab, 1, border_radius=t.radius)
        label = text(TAB, t.body, th.WHITE if self.on else th.ACCENT, True)
        surface.blit(label, label.get_rect(center=self.tab.center))

    def _draw_confusion(self, surface, inner, m, n):
        """Per set, a matrix: row i, column j counts points of class i predicted as j; the
        diagonal (right) in the accent colour, the rest (wrong) in red, stronger for a larger
        share of the row."""
        t = self.t
        axes = text(_("metrics.axes"), t.small, th.MUTED, width=inner.w)
        surface.blit(axes, inner.topleft)
        top = inner.y + axes.get_height() + t.px(4)
        gap = t.px(12)
        width = (inner.w - gap) // 2
        head = t.small + t.px(4)
        side = min((width - head) // n, (inner.bottom - top - 2 * head - t.px(4)) // n)
        self.cells = []
        for s, (caption, prefix) in enumerate(SETS):
            x0 = inner.x + s * (width + gap)
            counts = m[f"{prefix}confusion"]
            title = text(_(caption), t.small, th.TEST_LINE if prefix else th.TEXT, True)
            surface.blit(title, (x0, top))
            y0 = top + head
            for k in range(n):       # the class swatches: rows (true) and columns (predicted)
                for rect in (pygame.Rect(x0, y0 + head + k * side, head - t.px(3), side - 2),
                             pygame.Rect(x0 + head + k * side, y0, side - 2, head - t.px(3))):
                    pygame.draw.rect(surface, th.CLASS_COLOURS[k], rect, border_radius=2)
                    letter = text(CLASS_NAMES[k], t.small, th.WHITE, True)
                    surface.blit(letter, letter.get_rect(center=rect.center))
                    self.cells.append((rect, k, ""))
            for i, row in enumerate(counts):
                total = sum(row)
                for j, count in enumerate(row):
                    cell = pygame.Rect(x0 + head + j * side, y0 + head + i * side, side - 2, side - 2)
                    share = count / total if total else 0.0
                    hue = th.ACCENT if i == j else th.DANGER
                    pygame.draw.rect(surface, tint(hue, 0.1 + 0.6 * share) if count else th.HOVER,
                                     cell, border_radius=2)
                    label = _fitting(str(count), t.small, t.small // 2, cell.w - 2,
                                     th.WHITE if share > 0.5 else th.TEXT, True)
                    surface.blit(label, label.get_rect(center=cell.center))
                    self.cells.append((cell, i, prefix))

    def _draw_regression(self, surface, inner, m):
        """A table: MAE, RMSE and R² of the training and the test points."""
        t = self.t
        self.cells = []
        line = t.body + t.px(8)
        columns = (inner.x + inner.w * 2 // 5, inner.x + inner.w * 7 // 10)
        for x, (caption, prefix) in zip(columns, SETS):
            surface.blit(text(_(caption), t.small, th.TEST_LINE if prefix else th.MUTED, True), (x, inner.y))
        for r, (caption, key, fmt) in enumerate(REGRESSION_ROWS):
            y = inner.y + t.small + t.px(6) + r * line
            surface.blit(text(_(caption), t.body, th.MUTED), (inner.x, y))
            for x, (_caption, prefix) in zip(columns, SETS):
                surface.blit(text(_number(m[f"{prefix}{key}"], fmt), t.body, th.TEXT, True), (x, y))
        note = text(_("metrics.r2_note"), t.small, th.MUTED, width=inner.w)
        surface.blit(note, (inner.x, inner.y + t.small + t.px(10) + len(REGRESSION_ROWS) * line))

