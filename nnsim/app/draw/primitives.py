"""Drawing primitives shared by the views: the rounded cards that hold them, and the shade
behind a modal prompt."""
import pygame

from . import theme as th
from .theme import text


def card_content(rect, t, title=None):
    """The area inside a card, below its title."""
    inner = rect.inflate(-2 * t.px(10), -2 * t.px(8))
    if title:
        skip = text(title, t.body, th.TEXT, True).get_height() + t.px(4)
        inner.y += skip
        inner.h -= skip
    return inner


def card(surface, rect, t, title=None):
    """A white rounded card with an optional title; returns the content rect below it."""
    pygame.draw.rect(surface, th.CARD, rect, border_radius=t.radius)
    pygame.draw.rect(surface, th.BORDER, rect, 1, border_radius=t.radius)
    inner = card_content(rect, t, title)
    if title:
        surface.blit(text(title, t.body, th.TEXT, True), rect.inflate(-2 * t.px(10), -2 * t.px(8)))
    return inner


def shade_behind(surface):
    """Dim the whole ``surface``, so a modal prompt drawn next stands out."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0x10, 0x14, 0x1A, 0x90))
    surface.blit(shade, (0, 0))


def tint(colour, share):
    """``colour`` laid over a card at ``share`` (0-1) strength: a paler shade of it."""
    return tuple(round(c + (h - c) * share) for c, h in zip(th.CARD, colour))
