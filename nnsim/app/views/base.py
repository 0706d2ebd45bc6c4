"""The View protocol every view implements, and the Frame record they draw from.

The painter holds a list of views in drawing order. Each frame it lays them out when the
window or mode changed, refreshes the visible ones (bringing cached pictures up to date
within the frame budget), draws them bottom to top, and hands pointer intents (see
``input.intents``) to them top to bottom until one uses it. A new view is one class and
one entry in the painter's list.
"""
from dataclasses import dataclass

import pygame


@dataclass
class Frame:
    """What one frame draws, and the conditions it is drawn in."""
    sides: list               # the trainer's Side records: A (and B in compare mode)
    selected: int             # the side the panel edits and the network card shows
    ui: object                # the UiState
    busy: bool                # the worker is training: heavy redraws keep to the budget
    parallel: bool            # the all-cores grid kernel is ready
    fps: float
    spare_s: float            # seconds of this frame the budget leaves for heavy work
    warming: tuple = None     # (groups compiled, all of FIRST) until the fast engine is in use
    heavy: bool = False       # a view has done this frame's one heavy job

    @property
    def side(self):
        return self.sides[min(self.selected, len(self.sides) - 1)]

    @property
    def session(self):
        return self.side.session

    @property
    def comparing(self):
        return len(self.sides) == 2


class View:
    """One region of the window (or an overlay over several)."""
    rect = pygame.Rect(0, 0, 0, 0)

    def layout(self, layout, t):
        """Place the view in the window's regions (a ``Layout``) with theme ``t``."""

    def visible(self, ui):
        """Whether the view is shown with UI state ``ui``."""
        return True

    def refresh(self, frame):
        """Bring cached pictures up to date (heavy work keeps to ``frame.spare_s`` while
        ``frame.busy``); True once the view shows everything there is to show."""
        return True

    def draw(self, surface, frame):
        """Draw the view."""

    def handle(self, intent, frame):
        """React to a pointer intent; True when the view used it (no view below sees it)."""
        return False

    def help_at(self, pos, frame):
        """Hover help for ``pos`` inside ``rect``: one line, or None for none (the view
        may show its own numbers there)."""
        return None
