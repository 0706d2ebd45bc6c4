"""Captions over the boundary view: the neuron shown large, the experiment's, the lesson's."""
import pygame

from ...core.config import CLASS_NAMES
from ...lessons.text import _, lookup
from ..draw import theme as th
from ..draw.theme import text
from .base import View


class CaptionView(View):
    """The caption over the boundary view (the step-through draws its own instead): the
    neuron shown large, else the experiment's, else the open lesson's. In compare mode the
    layout gives an experiment's caption a strip of its own under the two views (``height``
    says how tall), so it covers neither picture."""

    def __init__(self, actions):
        self.actions = actions

    def layout(self, layout, t):
        self.boundary, self.strip, self.t = layout.boundary, layout.caption, t

    def visible(self, frame):
        return not self.actions.stepper.active

    def height(self, width, t):
        """The height of the open experiment's caption box ``width`` wide."""
        return _box_height(_rows(t, width, *self._experiment_text()), t)

    def draw(self, surface, frame):
        ui, session = frame.ui, frame.session
        if ui.selected_node:
            self._draw_selection(surface, session, ui.selected_node)
        elif ui.experiment:
            caption_box(surface, self.strip or self.boundary, self.t, *self._experiment_text(),
                        inset=not self.strip)
        elif session.lesson and ui.lesson_caption:
            draw_lesson_caption(surface, self.boundary, self.t, session.lesson)

    def _experiment_text(self):
        """Title, lines and hint of the open experiment's caption: its sentences as one
        paragraph (the catalogue splits them in two lines, wrapped here as one)."""
        e = self.actions.ui.experiment
        return (_("caption.experiment_pair" if e.parts == 2 else "caption.experiment",
                  title=_(e.title)),
                [" ".join(_(line) for line in e.caption)], _("caption.hint"))

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


def _rows(t, width, title, lines, hint):
    """The rendered rows of a caption box whose text is ``width`` wide."""
    rows = [text(title, t.body, th.WHITE, True, width)]
    rows += [text(line, t.small, th.WHITE, width=width) for line in lines]
    rows.append(text(hint, t.small, th.ACCENT_LIGHT))
    return rows


def _box_height(rows, t):
    return sum(s.get_height() for s in rows) + t.px(14)


def caption_box(screen, r, t, title, lines, hint, inset=True):
    """A dark box at the top of rect ``r`` (``inset``: a margin inside it, over a picture;
    else filling its width, in a strip of its own): a bold ``title``, the wrapped ``lines``
    and a ``hint`` in the accent colour."""
    pad = t.px(8) if inset else 0
    rows = _rows(t, r.w - 2 * pad - 2 * t.px(8), title, lines, hint)
    box = pygame.Rect(r.x + pad, r.y + pad, r.w - 2 * pad, _box_height(rows, t))
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
