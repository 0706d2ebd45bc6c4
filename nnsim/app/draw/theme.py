"""Colours, fonts and sizes: everything on screen scales with the window through ``Theme``."""
from functools import lru_cache
from importlib import resources

import pygame

ASSETS = resources.files("nnsim.assets")   # fonts/ and formulas/, shipped inside the package

# TF-Playground-like class colours: A orange, B blue, C green; light grey is "undecided".
CLASS_COLOURS = ((0xF5, 0x93, 0x22), (0x08, 0x77, 0xBD), (0x2E, 0xA0, 0x5A))
UNDECIDED = (0xE8, 0xEA, 0xEB)
POSITIVE, NEGATIVE = CLASS_COLOURS[1], CLASS_COLOURS[0]   # a weight's sign, as TF: blue +, orange -

BACKGROUND = (0xF4, 0xF5, 0xF7)
PANEL = (0xFF, 0xFF, 0xFF)
CARD = (0xFF, 0xFF, 0xFF)
BORDER = (0xD5, 0xD9, 0xDE)
TEXT = (0x22, 0x27, 0x2E)
MUTED = (0x6B, 0x73, 0x7D)
ACCENT = (0x08, 0x77, 0xBD)
ACCENT_LIGHT = (0xD6, 0xE8, 0xF5)
HOVER = (0xEC, 0xF1, 0xF6)
DANGER = (0xC6, 0x28, 0x28)
TRAIN_LINE = (0x33, 0x33, 0x33)
TEST_LINE = (0xF5, 0x93, 0x22)
OVERLAY = (0x10, 0x14, 0x1A, 0xD8)
WHITE = (0xFF, 0xFF, 0xFF)
BLACK = (0x00, 0x00, 0x00)

DESIGN_SIZE = (1280, 800)   # sizes below are in pixels at this window size


@lru_cache(maxsize=32)
def font(size, bold=False):
    """The bundled DejaVu Sans at ``size`` pixels."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return pygame.font.Font(ASSETS / "fonts" / name, max(8, int(size)))


@lru_cache(maxsize=2048)
def text(string, size, colour=TEXT, bold=False, width=0, centred=False):
    """A rendered, cached text surface (anti-aliased, transparent background); with a
    ``width``, wrapped into lines at most that many pixels wide (centred ones if ``centred``)."""
    f = font(size, bold)
    f.align = pygame.FONT_CENTER if centred else pygame.FONT_LEFT   # fonts are shared
    return f.render(string, True, colour, None, width)


def clear_caches():
    """Forget fonts and rendered text (they die with pygame.font.quit())."""
    font.cache_clear()
    text.cache_clear()


#: Text is at least this many pixels from PROJECTOR_SIZE up, so a class can read it from the
#: back of the room; in smaller windows it shrinks with the window, so everything still fits.
MIN_TEXT = 14
PROJECTOR_SIZE = (1024, 768)


class Theme:
    """Sizes derived from the window: ``px(n)`` is n design pixels at this window size;
    ``tx(n)`` is the same for text and what holds text (buttons, the panel), which never
    shrinks below the projector size's."""

    def __init__(self, size):
        self.size = size
        self.unit = min(size[0] / DESIGN_SIZE[0], size[1] / DESIGN_SIZE[1])
        self.text_unit = max(self.unit, min(1.0, size[0] / PROJECTOR_SIZE[0],
                                            size[1] / PROJECTOR_SIZE[1]))
        self.small = self.tx(MIN_TEXT)
        self.body = self.tx(15)
        self.heading = self.tx(17)
        self.big = self.tx(26)
        self.margin = self.px(12)
        self.row = self.tx(30)
        self.radius = self.px(6)

    def px(self, n):
        return max(1, round(n * self.unit))

    def tx(self, n):
        return max(1, round(n * self.text_unit))
