"""A one-line formula prompt (a formula dataset's rule, an extra input feature): a bad
formula shows its one-line error, pointing at the position, and changes nothing."""
import pygame

from ..draw import theme as th
from ..draw.primitives import shade_behind
from ..draw.theme import text
from ..input.intents import Press
from .prompt import TypedPrompt


class FormulaPrompt(TypedPrompt):
    """A formula to type (the one shown is replaced by the first key typed): Enter runs
    ``on_done(text)``; if that raises ValueError, its one line is shown and the prompt stays
    open. ``items`` are (label, on_click) rows listed under the field (e.g. the extra
    features, each removed by a click); Esc cancels."""

    def __init__(self, title, value, on_done, hint, items=()):
        super().__init__(value)
        self.title, self.on_done, self.hint = title, on_done, hint
        self.items = list(items)
        self.rows = []                # (rect, item index) of each listed item, from the last draw

    def point(self, intent):
        """A pointer intent: a press on a listed item runs it and closes the prompt."""
        if isinstance(intent, Press) and intent.primary:
            for rect, k in self.rows:
                if rect.collidepoint(intent.pos):
                    self.open = False
                    self.items[k][1]()

    def _finish(self):
        try:
            self.on_done(self.value.strip())
        except ValueError as error:
            self.error = str(error)
            return
        self.open = False

    def draw(self, surface, t):
        size = surface.get_size()
        shade_behind(surface)
        w = min(size[0] - 2 * t.margin, t.px(640))
        inner = w - 2 * t.px(16)
        line = t.body + t.px(10)
        message = text(self.error or self.hint, t.small, th.DANGER if self.error else th.MUTED,
                       width=inner)
        h = t.big + line + t.px(4) + message.get_height() + t.px(36) + len(self.items) * line
        box = pygame.Rect(0, 0, w, h)
        box.center = (size[0] // 2, size[1] // 2)
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, box, 2, border_radius=t.radius)
        x, y = box.x + t.px(16), box.y + t.px(14)
        surface.blit(text(self.title, t.heading, th.TEXT, True), (x, y))
        y += t.big
        field = pygame.Rect(x, y, inner, line + t.px(4))
        pygame.draw.rect(surface, th.HOVER, field, border_radius=t.radius)
        pygame.draw.rect(surface, th.DANGER if self.error else th.ACCENT, field, 1, border_radius=t.radius)
        value = text(self.value + "▏", t.body, th.WHITE if self.fresh else th.TEXT)
        if self.fresh:     # shown selected: typing replaces it
            pygame.draw.rect(surface, th.ACCENT, (field.x + t.px(4), field.y + t.px(3),
                                                  min(value.get_width(), field.w - t.px(8)), field.h - t.px(6)))
        area = pygame.Rect(max(0, value.get_width() - field.w + t.px(12)), 0, field.w - t.px(12),
                           value.get_height())
        surface.blit(value, value.get_rect(midleft=(field.x + t.px(6), field.centery)), area)
        y = field.bottom + t.px(6)
        surface.blit(message, (x, y))
        y += message.get_height() + t.px(8)
        self.rows = []
        for k, (label, _on_click) in enumerate(self.items):
            row = pygame.Rect(x, y, inner, line)
            self.rows.append((row, k))
            surface.blit(text(label, t.body, th.ACCENT), (x + t.px(6), y + t.px(4)))
            y += line
