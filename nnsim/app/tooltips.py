"""Hover help: resting the mouse on a control or a part of the screen for HOVER_S shows one
line on what it does or means."""
import pygame

from . import theme as th
from .theme import text

HOVER_S = 0.6

#: what each screen region is, for hover help outside the panel's controls
REGION_HELP = {
    "boundary": "The colour at each spot is the class the network predicts there; click to "
                "add a point (right: class B, Ctrl: remove)",
    "chart": "Loss per epoch: training (dark) and test (orange); lower is better, a gap "
             "between them means overfitting",
    "readouts": "Epochs trained, and the loss and accuracy on the training and test points",
    "network": "Each square shows one neuron's output over the plane; click one to show it "
               "large, hover a link to read its weight",
    "meter": "Mean |∂ℒ/∂W| per weight layer, log scale: a short red bar means that layer "
             "barely learns (vanishing gradient)",
    "legend": "What the colours and markers mean; Tab hides it with the panel",
}


class Hover:
    """Where the mouse rests and since when (by ``clock``, in seconds)."""

    def __init__(self, clock):
        self.clock = clock
        self.pos = None
        self.since = 0.0

    def moved(self, pos):
        self.pos, self.since = pos, self.clock()

    def clear(self):
        """Hide the help until the mouse moves again (after a click)."""
        self.pos = None

    def due(self):
        """True once the mouse has rested HOVER_S."""
        return self.pos is not None and self.clock() - self.since >= HOVER_S

    def pending(self):
        """True while the mouse rests but its help is not shown yet."""
        return self.pos is not None and not self.due()


def draw_tooltip(surface, t, pos, line):
    """``line`` in a dark box beside ``pos``, wrapped and kept inside the window."""
    width = min(surface.get_width() - 2 * t.px(12), t.tx(460))
    label = text(line, t.small, th.WHITE, width=width)
    box = label.get_rect(topleft=(pos[0] + t.px(14), pos[1] + t.px(18))).inflate(t.px(14), t.px(10))
    if box.bottom > surface.get_height():
        box.bottom = pos[1] - t.px(8)
    box.clamp_ip(surface.get_rect())
    pygame.draw.rect(surface, th.OVERLAY[:3], box, border_radius=t.radius)
    surface.blit(label, label.get_rect(center=box.center))
