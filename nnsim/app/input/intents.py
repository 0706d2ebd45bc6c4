"""Input as intents: what the pointer means, whatever made it.

pygame's mouse events are translated here and nowhere else; views and widgets only see the
intents below. A click's class (right click or Shift: B, middle click or Alt: C) and erasing
(Ctrl+click) are decided here, so a finger, a pen or a presenter remote that means the same
becomes the same intent by adding a translator, not by changing a view.
"""
from dataclasses import dataclass

import pygame

ERASE = "erase"     # the class picker's eraser
OFF_SCREEN = (-1, -1)   # where a pointer that left (or a lifted finger) is


@dataclass(frozen=True)
class Press:
    """A click (or tap) at ``pos``. ``primary``: made with the main button, whatever the
    modifiers (what widgets react to); ``label``: the class it adds on the boundary view (0
    A, 1 B, 2 C); ``erase``: it removes the nearest point instead; ``alternate``: Shift was
    held (a neuron's bias instead of the neuron)."""
    pos: tuple
    primary: bool = True
    label: int = 0
    erase: bool = False
    alternate: bool = False


@dataclass(frozen=True)
class Drag:
    """The pointer moved to ``pos`` with a button held (paints points, moves a slider)."""
    pos: tuple


@dataclass(frozen=True)
class Hover:
    """The pointer moved to ``pos`` with no button held (highlights, hover help)."""
    pos: tuple


@dataclass(frozen=True)
class Release:
    """The button was let go at ``pos``."""
    pos: tuple


@dataclass(frozen=True)
class LongPress:
    """A finger held still at ``pos``: show the hover help of what is there."""
    pos: tuple


@dataclass(frozen=True)
class UndoPoint:
    """Take back the last point added by hand (a two-finger tap)."""
    pos: tuple = OFF_SCREEN


@dataclass(frozen=True)
class Scroll:
    """A wheel turn of ``steps`` (positive: up) with the pointer at ``pos``."""
    pos: tuple
    steps: int



POINTER_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
                  pygame.MOUSEWHEEL)


class MouseTranslator:
    """Mouse events -> intents. Remembers where the pointer is, for wheel events (which
    carry no position). Mouse events SDL makes up for a finger (``touch`` True) are left
    to ``touch.TouchTranslator``. A plain left click adds the class ``pick()`` names (the
    class picker's: A unless a teacher chose another there)."""

    def __init__(self, pick=lambda: 0):
        self.pos = OFF_SCREEN
        self.pick = pick

    def __call__(self, event, mods=None):
        """The intent of pygame ``event`` (None for one that means nothing); ``mods``: the
        modifier keys held (default: pygame's current state, as a click carries none)."""
        if event.type == pygame.MOUSEWHEEL:
            return Scroll(self.pos, event.y)
        if event.type not in POINTER_EVENTS or getattr(event, "touch", False):
            return None
        self.pos = event.pos
        if event.type == pygame.MOUSEMOTION:
            held = any(getattr(event, "buttons", (1,)))
            return Drag(event.pos) if held else Hover(event.pos)
        if event.type == pygame.MOUSEBUTTONUP:
            return Release(event.pos)
        if event.button not in (1, 2, 3):      # wheel clicks of old SDL versions, side buttons
            return None
        mods = pygame.key.get_mods() if mods is None else mods
        primary = event.button == 1
        label = 1 if event.button == 3 or (primary and mods & pygame.KMOD_SHIFT) else \
            2 if event.button == 2 or (primary and mods & pygame.KMOD_ALT) else None
        if label is not None or mods & pygame.KMOD_CTRL:
            return Press(event.pos, primary, label or 0, erase=primary and bool(mods & pygame.KMOD_CTRL),
                         alternate=bool(mods & pygame.KMOD_SHIFT))
        return picked(event.pos, self.pick())


def picked(pos, pick):
    """The Press of a plain click or tap at ``pos`` with the class picker on ``pick``: a
    class (0 A, 1 B, 2 C), or ERASE."""
    return Press(pos, label=0 if pick == ERASE else pick, erase=pick == ERASE)
