"""Widgets small enough for a table row (the panel's per-layer table): a text cell, a
check box alone, and a drop-down that shows a short name and lists the full ones. Their
text goes through ``base.blit_within`` (looked up when drawn, as the fit test watches it)."""
import pygame

from ..draw import theme as th
from ..draw.theme import text
from . import base
from .base import Dropdown, Label, Widget, _box, _clicked, _over


class Cell(Label):
    """Small muted text (``bold``: in the text colour) centred in its cell, cut at the
    cell's edges (as the fit test watches)."""

    def __init__(self, rect, caption, bold=False):
        super().__init__(rect, caption, "small", None, bold)

    def draw(self, surface, t, mouse):
        label = text(self.caption, t.small, th.TEXT if self.bold else th.MUTED, self.bold)
        base.blit_within(surface, label, label.get_rect(center=self.rect.center), self.rect)


class CheckBox(Widget):
    """A check box alone, centred in its cell (the whole cell is its target). Where
    ``allowed()`` is false it shows a dash, a click only calls ``refuse()``, and its hover
    help is ``reason()``."""

    def __init__(self, rect, get, set, allowed=None, refuse=None, reason=None):
        self.rect, self.get, self.set = rect, get, set
        self.allowed = allowed or (lambda: True)
        self.refuse, self.reason = refuse, reason
        self.help = ""

    @property
    def tooltip(self):
        return self.help if self.allowed() else self.reason()

    @tooltip.setter
    def tooltip(self, value):
        self.help = value

    def state(self):
        return self.get(), self.allowed()

    def handle(self, intent):
        if not _clicked(self.rect, intent):
            return False
        if self.allowed():
            self.set(not self.get())
        else:
            self.refuse()
        return True

    def draw(self, surface, t, mouse):
        if not self.allowed():
            dash = text("–", t.body, th.BORDER, True)
            base.blit_within(surface, dash, dash.get_rect(center=self.rect.center), self.rect)
            return
        side = min(self.rect.h - 2 * t.px(5), t.px(18))
        box = pygame.Rect(0, 0, side, side)
        box.center = self.rect.center
        base.check_box(surface, box, t, self.get(), _over(self.rect, mouse))


class ShortDropdown(Dropdown):
    """A drop-down whose box shows ``shown()`` (a short name of the value) in small text,
    and whose open list, as wide as its longest label (of theme ``t``) needs, the full
    ``labels`` (``get()`` None: the value is none of them)."""

    def __init__(self, rect, labels, shown, get, set, bounds, t):
        self.shown = shown
        self.list_w = max(rect.w, max(text(label, t.body).get_width() for label in labels) + t.px(20))
        super().__init__(rect, labels, get, set, bounds)

    def _list_w(self):
        return self.list_w

    def state(self):
        return self.shown(), self.open

    @staticmethod
    def width(shown, t):
        """The width a box needs to show each of the texts ``shown`` whole (of theme ``t``)."""
        return max(text(label, t.small).get_width() for label in shown) + 2 * t.px(3) + t.px(7)

    def draw(self, surface, t, mouse):
        _box(surface, self.rect, t, th.HOVER if _over(self.rect, mouse) else th.CARD)
        s = t.px(3)                                             # the arrow's half width
        cx, cy = self.rect.right - t.px(4) - s, self.rect.centery
        room = pygame.Rect(self.rect.x + t.px(2), self.rect.y, self.rect.w - 2 * s - t.px(7), self.rect.h)
        label = text(self.shown(), t.small, th.TEXT)
        base.blit_within(surface, label, label.get_rect(center=room.center), room)
        pygame.draw.polygon(surface, th.MUTED, [(cx - s, cy - s // 2), (cx + s, cy - s // 2), (cx, cy + s)])
