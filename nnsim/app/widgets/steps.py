"""A stepper over a list of values: [−] value [+], for settings with a few sensible values
(a warm-up in epochs, a stop condition's value, a checkerboard's square size)."""
import pygame

from ..draw import theme as th
from .base import Stepper, _centered, _fitting


class StepList(Stepper):
    """[−] ``fmt(value)`` [+] stepping through the ascending ``values``; from a value not
    listed, a step goes to its listed neighbour."""

    def __init__(self, rect, values, get, set, fmt=str):
        super().__init__(rect, get, set, min(values), max(values))
        self.values, self.fmt = tuple(values), fmt

    def _next(self, direction):
        """The listed value after the current one, up (1) or down (-1); None at an end."""
        value = self.get()
        beyond = [v for v in self.values if (v - value) * direction > 0]
        return (min if direction > 0 else max)(beyond) if beyond else None

    def _draw_value(self, surface, t):
        middle = pygame.Rect(self.minus.right, self.rect.y, self.plus.x - self.minus.right, self.rect.h)
        _centered(surface, _fitting(self.fmt(self.get()), t.body, t.small * 3 // 4, middle.w - t.px(4),
                                    th.TEXT, True), middle)
