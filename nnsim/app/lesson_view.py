"""What an open lesson does on screen: its caption over the boundary view, and panel
controls hidden or greyed out and inert (see ``core.lesson``). A panel widget names the
lesson control it changes in its ``control`` attribute."""
import pygame

from . import theme as th
from .theme import text

LOCKED = "Locked by this lesson"
GREY = (*th.PANEL, 0xB0)        # laid over a locked widget


def gate(widget, actions):
    """"hidden", "locked" or None: what the open lesson does to panel ``widget``. A
    section's heading names all the controls of its section (a tuple) and hides when they
    all are hidden."""
    if isinstance(widget.control, tuple):
        hidden = all(actions.control_state(c) == "hidden" for c in widget.control)
        return "hidden" if hidden else None
    return actions.control_state(widget.control)


def handle(widget, event, actions):
    """Panel ``widget`` handles ``event`` as the open lesson allows: a hidden one ignores
    it; a click on a locked one only says it is locked. True when the event was used."""
    state = gate(widget, actions)
    if state is None:
        return widget.handle(event)
    if state == "locked" and event.type == pygame.MOUSEBUTTONDOWN and \
            widget.rect.collidepoint(event.pos):
        actions.notify(LOCKED)
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
        shade.fill(GREY)
        surface.blit(shade, widget.rect)


def caption_box(screen, r, t, title, lines, hint):
    """A dark box at the top of rect ``r``: a bold ``title``, the wrapped ``lines`` and a
    ``hint`` in the accent colour."""
    width = r.w - 2 * t.px(16)
    rows = [text(title, t.body, th.WHITE, True)]
    rows += [text(line, t.small, th.WHITE, width=width) for line in lines]
    rows.append(text(hint, t.small, th.ACCENT_LIGHT))
    h = sum(s.get_height() for s in rows) + t.px(14)
    box = pygame.Rect(r.x + t.px(8), r.y + t.px(8), r.w - 2 * t.px(8), h)
    shade = pygame.Surface(box.size, pygame.SRCALPHA)
    pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
    screen.blit(shade, box)
    y = box.y + t.px(7)
    for s in rows:
        screen.blit(s, (box.x + t.px(8), y))
        y += s.get_height()


def draw_lesson_caption(screen, r, t, lesson):
    """The lesson's title and notes over the boundary view ``r``."""
    caption_box(screen, r, t, f"Lesson: {lesson.title}", lesson.notes, "Esc hides this caption")
