"""Captions over the boundary view: an experiment's, a lesson's."""
import pygame

from ...lessons.text import _, lookup
from ..draw import theme as th
from ..draw.theme import text


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
    caption_box(screen, r, t, _("caption.lesson", title=lookup(lesson.title)),
                [lookup(note) for note in lesson.notes], _("caption.hint"))
