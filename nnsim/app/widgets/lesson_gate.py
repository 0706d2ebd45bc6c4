"""What an open lesson does to a panel widget: hide it, or lock it (greyed; it only says so)."""
import pygame

from ..draw import theme as th
from ..input.intents import Press



def gate(widget, actions):
    """"hidden", "locked" or None: what the open lesson does to panel ``widget``. A
    section's heading names all the controls of its section (a tuple) and hides when they
    all are hidden."""
    if isinstance(widget.control, tuple):
        hidden = all(actions.control_state(c) == "hidden" for c in widget.control)
        return "hidden" if hidden else None
    return actions.control_state(widget.control)


def handle(widget, intent, actions):
    """Panel ``widget`` handles ``intent`` as the open lesson allows: a hidden one ignores
    it; a press on a locked one only says it is locked. True when the intent was used."""
    state = gate(widget, actions)
    if state is None:
        return widget.handle(intent)
    if state == "locked" and isinstance(intent, Press) and widget.rect.collidepoint(intent.pos):
        actions.say_locked()
        return True
    return False


def draw(widget, surface, t, mouse, actions):
    """Panel ``widget`` drawn as the open lesson shows it: as it is, not at all (hidden) or
    greyed out (locked)."""
    state = gate(widget, actions)
    if state == "hidden":
        return
    widget.draw(surface, t, None if state else mouse)
    if state == "locked":
        shade = pygame.Surface(widget.rect.size, pygame.SRCALPHA)
        shade.fill((*th.PANEL, 0xB0))       # the panel, see-through, over a locked widget
        surface.blit(shade, widget.rect)
