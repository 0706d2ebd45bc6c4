"""Hover timing: a pointer resting for HOVER_S asks for help on what is under it."""


HOVER_S = 0.6


class HoverTimer:
    """Where the mouse rests and since when (by ``clock``, in seconds)."""

    def __init__(self, clock):
        self.clock = clock
        self.pos = None
        self.since = 0.0

    def moved(self, pos):
        self.pos, self.since = pos, self.clock()

    def show(self, pos):
        """The help of ``pos`` at once (a finger held still there)."""
        self.pos, self.since = pos, self.clock() - HOVER_S

    def clear(self):
        """Hide the help until the mouse moves again (after a click)."""
        self.pos = None

    def due(self):
        """True once the mouse has rested HOVER_S."""
        return self.pos is not None and self.clock() - self.since >= HOVER_S

    def pending(self):
        """True while the mouse rests but its help is not shown yet."""
        return self.pos is not None and not self.due()
