"""A stepper over a list of values: [−] value [+], for settings with a few sensible values
(a warm-up in epochs, a stop condition's value, a checkerboard's square size)."""
import pygame

from ..draw import theme as th
from ..draw.theme import text
from .base import Widget, _box, _centered, _clicked, _fitting, _over


class StepList(Widget):
    """[−] ``fmt(value)`` [+] stepping through the ascending ``values``; from a value not
    listed, a step goes to its listed neighbour."""

    def __init__(self, rect, values, get, set, fmt=str):
        self.rect, self.values, self.get, self.set, self.fmt = rect, tuple(values), get, set, fmt
        side = min(rect.h, rect.w // 3)
        self.minus = pygame.Rect(rect.x, rect.y, side, rect.h)
        self.plus = pygame.Rect(rect.right - side, rect.y, side, rect.h)

    def state(self):
        return self.get()

    def _next(self, direction):
        """The listed value after the current one, up (1) or down (-1); None at an end."""
        value = self.get()
        beyond = [v for v in self.values if (v - value) * direction > 0]
        return (min if direction > 0 else max)(beyond) if beyond else None

    def handle(self, intent):
        for rect, direction in ((self.minus, -1), (self.plus, 1)):
            if _clicked(rect, intent):
                value = self._next(direction)
                if value is not None:
                    self.set(value)
                return True
        return False

    def draw(self, surface, t, mouse):
        for rect, sign, direction in ((self.minus, "−", -1), (self.plus, "+", 1)):
            enabled = self._next(direction) is not None
            _box(surface, rect, t, th.HOVER if enabled and _over(rect, mouse) else th.CARD,
                 th.BORDER if enabled else th.HOVER)
            _centered(surface, text(sign, t.body, th.TEXT if enabled else th.BORDER, True), rect)
        middle = pygame.Rect(self.minus.right, self.rect.y, self.plus.x - self.minus.right, self.rect.h)
        _centered(surface, _fitting(self.fmt(self.get()), t.body, t.small * 3 // 4, middle.w - t.px(4),
                                    th.TEXT, True), middle)
