"""Fingers as intents: a touch screen or an interactive whiteboard means what a mouse does.

SDL reports every finger (``FINGERDOWN``/``FINGERMOTION``/``FINGERUP``, x and y as fractions
of the window) and, by default, also a synthetic mouse for the first finger (mouse events
with ``touch`` True), which ``MouseTranslator`` drops so that a tap counts once. A finger is

- a tap (lifted within SLOP of where it landed): Press and Release where it landed;
- a stroke (moved further than SLOP): Press where it landed, Drag as it moves, Release;
- a long press (held still HOLD_S, by the app's clock): LongPress, the hover help of what is
  under it, until it is lifted (a Hover off the screen);
- one of two fingers that land before the first did any of the above: a two-finger tap,
  UndoPoint once both are lifted (if neither moved further than SLOP).

A tap's Press comes when the finger lifts or starts a stroke, not when it lands, so the
first finger of a two-finger tap adds no point. Its class is the class picker's.
"""
from dataclasses import dataclass

import pygame

from .intents import OFF_SCREEN, Drag, Hover, LongPress, Release, UndoPoint

HOLD_S = 0.6        # a finger held still this long asks for the help under it
SLOP = 0.015        # how far (a fraction of the window's height) a tap may wander

FINGER_EVENTS = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)


@dataclass
class _Finger:
    start: tuple          # where it landed (window pixels)
    since: float          # when
    state: str = "new"    # new, stroke, held (long press shown), pair (of a two-finger tap)


class TouchTranslator:
    """Finger events -> intents. ``size()`` is the window's size (fingers come in
    fractions of it), ``clock()`` the app's time in seconds, ``press(pos)`` the Press a
    finger makes at ``pos`` (the class picker's class)."""

    def __init__(self, size, clock, press):
        self.size, self.clock, self.press = size, clock, press
        self.fingers = {}

    def _pos(self, event):
        w, h = self.size()
        return (min(int(event.x * w), w - 1), min(int(event.y * h), h - 1))

    def _far(self, finger, pos):
        return max(abs(pos[0] - finger.start[0]), abs(pos[1] - finger.start[1])) > SLOP * self.size()[1]

    def __call__(self, event):
        """The intents of pygame ``event`` (a list, empty for one that means nothing yet)."""
        if event.type not in FINGER_EVENTS:
            return []
        pos = self._pos(event)
        if event.type == pygame.FINGERDOWN:
            return self._down(event.finger_id, pos)
        finger = self.fingers.get(event.finger_id)
        if finger is None:              # landed before we listened
            return []
        if event.type == pygame.FINGERMOTION:
            if finger.state == "stroke":
                return [Drag(pos)]
            if finger.state == "new" and self._far(finger, pos):
                finger.state = "stroke"
                return [self.press(finger.start), Drag(pos)]
            if finger.state == "pair" and self._far(finger, pos):
                for other in self.fingers.values():    # a pinch or a swipe: not a tap
                    other.state = "moved"
            return []
        del self.fingers[event.finger_id]
        if finger.state == "stroke":
            return [Release(pos)]
        if finger.state == "new":
            return [self.press(finger.start), Release(finger.start)]
        if finger.state == "held":
            return [Hover(OFF_SCREEN)]
        return [UndoPoint()] if finger.state == "pair" and not self.fingers else []

    def _down(self, finger_id, pos):
        if self.fingers and all(f.state in ("new", "pair") for f in self.fingers.values()):
            for other in self.fingers.values():
                other.state = "pair"
            self.fingers[finger_id] = _Finger(pos, self.clock(), "pair")
            return []
        self.fingers[finger_id] = _Finger(pos, self.clock(), "new" if not self.fingers else "moved")
        return []

    def held(self):
        """LongPress for a lone finger held still HOLD_S (once per finger): called every
        frame, as holding makes no events."""
        out = []
        for finger in self.fingers.values():
            if finger.state == "new" and self.clock() - finger.since >= HOLD_S:
                finger.state = "held"
                out.append(LongPress(finger.start))
        return out
