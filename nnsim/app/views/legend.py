"""The legend: what each colour and marker on screen means, one glyph and one line each."""
import pygame

from ...lessons.text import _
from ..draw import theme as th
from ..draw.heatmap import value_colour
from ..draw.primitives import card
from ..draw.theme import text
from ..state.training import VANISHING
from .base import View
from .boundary import draw_wrong_marker
from .overlays import REGION_HELP

TITLE = "legend.title"

#: (glyph, meaning: a catalogue key); each glyph is drawn by ``_glyph``
ROWS = (
    ("classes", "legend.classes"),
    ("points", "legend.points"),
    ("wrong", "legend.wrong"),
    ("weights", "legend.weights"),
    ("thumbs", "legend.thumbs"),
    ("bars", "legend.bars"),
)
#: The rows for a regression network: a diverging value scale, points in it, and no
#: misclassified points (fewer and no longer rows, so ``legend_height`` fits both).
REGRESSION_ROWS = (("values", "legend.values"),
                   ("value points", ROWS[1][1]),
                   *ROWS[3:])


def _glyph_w(t):
    return t.tx(26)


def _lines(width, t, rows=ROWS):
    """The rendered rows, wrapped to the legend's width."""
    w = width - 2 * t.px(10) - _glyph_w(t)
    return [(glyph, text(_(meaning, vanishing=VANISHING), t.small, th.TEXT, width=w))
            for glyph, meaning in rows]


def legend_height(width, t):
    """The height the legend needs at ``width``."""
    title = text(_(TITLE), t.body, th.TEXT, True).get_height()
    return 2 * t.px(8) + title + t.px(4) + sum(s.get_height() + t.px(2) for _, s in _lines(width, t))


class LegendView(View):
    """The legend card, under the network card while the panel is shown."""

    def layout(self, layout, t):
        self.rect, self.t = layout.legend, t

    def visible(self, frame):
        return self.rect.h > 0 and not frame.ui.theory_visible

    def draw(self, surface, frame):
        draw_legend(surface, self.rect, self.t, frame.session.settings.n_classes)

    def help_at(self, pos, frame):
        return _(REGION_HELP["legend"])


def draw_legend(surface, rect, t, n_classes):
    """The legend card in ``rect`` (n_classes 1: of a regression network)."""
    inner = card(surface, rect, t, _(TITLE))
    y = inner.y
    for glyph, line in _lines(rect.w, t, REGRESSION_ROWS if n_classes == 1 else ROWS):
        box = pygame.Rect(inner.x, y, _glyph_w(t) - t.px(6),
                          min(line.get_height(), t.small + t.px(4)))
        _glyph(surface, glyph, box, t, n_classes)
        surface.blit(line, (inner.x + _glyph_w(t), y))
        y += line.get_height() + t.px(2)


def _glyph(surface, kind, box, t, n_classes):
    """The small picture of a legend row in ``box``, drawn as the real thing is drawn."""
    r = max(3, box.h // 3)
    c = box.center
    if kind == "classes":
        w = box.w // n_classes
        for k in range(n_classes):
            pygame.draw.rect(surface, th.CLASS_COLOURS[k], (box.x + k * w, box.y + 2, w - 1, box.h - 4))
    elif kind == "values":      # the diverging scale, -1 at the left to +1 at the right
        for x in range(box.w):
            colour = value_colour(2 * x / max(box.w - 1, 1) - 1)
            pygame.draw.line(surface, colour, (box.x + x, box.y + 2), (box.x + x, box.bottom - 3))
    elif kind in ("points", "value points"):
        fills = (value_colour(-0.6), value_colour(1.0)) if kind == "value points" \
            else (th.CLASS_COLOURS[1],) * 2
        for x, outline, fill in zip((box.x + r + 1, box.right - r - 1), (th.WHITE, th.BLACK), fills):
            pygame.draw.circle(surface, outline, (x, c[1]), r + 1)
            pygame.draw.circle(surface, fill, (x, c[1]), r - 1)
    elif kind == "wrong":
        pygame.draw.circle(surface, th.WHITE, c, r + 1)
        pygame.draw.circle(surface, th.CLASS_COLOURS[1], c, r - 1)
        draw_wrong_marker(surface, c, r, t)
    elif kind == "weights":
        pygame.draw.line(surface, th.POSITIVE, (box.x, box.y + 3), (box.right, box.y + 3), 3)
        pygame.draw.line(surface, th.NEGATIVE, (box.x, box.bottom - 4), (box.right, box.bottom - 4), 1)
    elif kind == "thumbs":
        half = box.w // 2
        pygame.draw.rect(surface, th.POSITIVE, (box.x, box.y + 1, half, box.h - 2))
        pygame.draw.rect(surface, th.NEGATIVE, (box.x + half, box.y + 1, box.w - half, box.h - 2))
    else:
        for k, (h, colour) in enumerate(((0.2, th.DANGER), (0.9, th.ACCENT), (0.6, th.ACCENT))):
            bar_h = max(2, round(h * (box.h - 2)))
            pygame.draw.rect(surface, colour, (box.x + k * box.w // 3, box.bottom - 1 - bar_h,
                                               box.w // 3 - 2, bar_h))
