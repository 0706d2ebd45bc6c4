"""Captions over the boundary view: the neuron shown large, the experiment's, the lesson's."""
import pygame

from ...core.config import CLASS_NAMES
from ...lessons.text import _, lookup
from ..draw import theme as th
from ..draw.theme import text
from .base import View


class CaptionView(View):
    """The caption over the boundary view (the step-through draws its own instead): the
    neuron shown large, else the experiment's, else the open lesson's."""

    def __init__(self, actions):
        self.actions = actions

    def layout(self, layout, t):
        self.boundary, self.t = layout.boundary, t

    def visible(self, frame):
        return not self.actions.stepper.active

    def draw(self, surface, frame):
        ui, session = frame.ui, frame.session
        if ui.selected_node:
            self._draw_selection(surface, session, ui.selected_node)
        elif ui.experiment:
            e = ui.experiment
            caption_box(surface, self.boundary, self.t,
                        _("caption.experiment_pair" if e.parts == 2 else "caption.experiment",
                          title=_(e.title)),
                        [_(line) for line in e.caption], _("caption.hint"))
        elif session.lesson and ui.lesson_caption:
            draw_lesson_caption(surface, self.boundary, self.t, session.lesson)

    def _draw_selection(self, surface, session, node):
        t, (l, i) = self.t, node
        L = len(session.net.sizes) - 1
        what = (_("node.input", n=i + 1) if l == 0 else
                _("node.output", name=CLASS_NAMES[i]) if l == L else
                _("node.neuron", layer=l, n=i + 1))
        label = text(_("caption.selected", what=what), t.small, th.WHITE)
        box = label.get_rect(midtop=(self.boundary.centerx, self.boundary.y + t.px(8)))
        pygame.draw.rect(surface, th.ACCENT, box.inflate(t.px(14), t.px(8)), border_radius=t.radius)
        surface.blit(label, box)


def caption_box(screen, r, t, title, lines, hint):
    """A dark box at the top of rect ``r``: a bold ``title``, the wrapped ``lines`` and a
    ``hint`` in the accent colour."""
    width = r.w - 2 * t.px(16)
    rows = [text(title, t.body, th.WHITE, True, width)]
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
