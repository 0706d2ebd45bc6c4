"""The class picker: what a tap on the boundary adds (A, B, C) or whether it erases, and a
button that takes back the last point, in large targets for a finger.

It shows once a finger touches the screen (or from the start with ``--touch``), over the
boundary's top right corner; the mouse screen never shows it. A plain left click adds the
picked class too (A unless a teacher picked another), so mouse and finger agree.
"""
import pygame

from ...core.config import CLASS_NAMES
from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import text
from ..input.intents import ERASE, Press, UndoPoint
from .base import View

#: the picker's buttons, top to bottom: what each picks (None: the undo button)
CHOICES = (0, 1, 2, ERASE, None)
SYMBOLS = {ERASE: "✕", None: "↶"}     # the eraser's and undo's, the same in every language


class PickerView(View):
    """A column of square buttons: one per class, the eraser, undo. A two-finger tap
    anywhere (UndoPoint) undoes as well."""

    def __init__(self, actions):
        self.actions = actions
        self.buttons = []

    def layout(self, layout, t):
        self.t = t
        side, gap = t.target, t.px(4)
        box = layout.boundary
        x, y = box.right - side - t.px(8), box.y + t.px(8)
        self.buttons = [(pygame.Rect(x, y + i * (side + gap), side, side), choice)
                        for i, choice in enumerate(CHOICES)]
        self.rect = self.buttons[0][0].unionall([rect for rect, _ in self.buttons])

    def visible(self, frame):
        return frame.ui.picker

    def draw(self, surface, frame):
        t, ui = self.t, frame.ui
        classes = frame.session.settings.n_classes
        for rect, choice in self.buttons:
            chosen = choice is not None and choice == ui.pick
            pygame.draw.rect(surface, th.CARD, rect, border_radius=t.radius)
            if choice in SYMBOLS:
                label = text(SYMBOLS[choice], t.big, th.TEXT, True)
            else:
                pygame.draw.circle(surface, th.CLASS_COLOURS[choice], rect.center, rect.w * 0.32)
                label = text(CLASS_NAMES[choice], t.body, th.WHITE if choice < classes else th.BORDER, True)
            surface.blit(label, label.get_rect(center=rect.center))
            pygame.draw.rect(surface, th.ACCENT if chosen else th.BORDER, rect,
                             max(3, t.px(4)) if chosen else 1, border_radius=t.radius)

    def handle(self, intent, frame):
        if isinstance(intent, UndoPoint):
            self.actions.undo_point()
            return True
        if not (isinstance(intent, Press) and frame.ui.picker):
            return False
        for rect, choice in self.buttons:
            if rect.collidepoint(intent.pos):
                if choice is None:
                    self.actions.undo_point()
                else:
                    self.actions.set_pick(choice)
                return True
        return False

    def help_at(self, pos, frame):
        return _("picker.tip")
