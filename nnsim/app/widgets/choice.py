"""A one-line question inside the app, answered with Enter or Esc (e.g. "Restore the lesson
from 14:02? Enter restores, Esc starts fresh")."""
import pygame

from ..draw import theme as th
from ..draw.primitives import shade_behind
from ..draw.theme import text


class ChoicePrompt:
    """Modal while open, like the path prompt (the app hands it every event): Enter runs
    ``on_yes``, Esc ``on_no``; either closes it. Other keys and clicks do nothing."""

    def __init__(self, question, on_yes, on_no):
        self.question, self.on_yes, self.on_no = question, on_yes, on_no
        self.open = True
        self.accepting = False

    def key(self, event):
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER,
                                                          pygame.K_ESCAPE):
            self.open = False
            (self.on_no if event.key == pygame.K_ESCAPE else self.on_yes)()

    def point(self, intent):
        """Pointer intents do nothing: the answer is a key."""

    def draw(self, surface, t):
        size = surface.get_size()
        shade_behind(surface)
        label = text(self.question, t.body, th.TEXT, True, width=size[0] - 4 * t.margin,
                     centred=True)
        box = label.get_rect(center=(size[0] // 2, size[1] // 2)).inflate(t.px(32), t.px(28))
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, box, 2, border_radius=t.radius)
        surface.blit(label, label.get_rect(center=box.center))
