"""Colours, fonts and sizes: everything on screen scales with the window through ``Theme``."""
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

import pygame

ASSETS = resources.files("nnsim.assets")   # fonts/ and formulas/, shipped inside the package

@dataclass(frozen=True)
class Palette:
    """The colours of one theme (named as the module's colours they become) and how bold
    its lines are."""
    name: str                 # as --theme and the settings file call it
    CLASS_COLOURS: tuple      # class A, B, C; a weight's sign as TF: B's colour +, A's -
    UNDECIDED: tuple          # the heatmap's "50/50"
    BACKGROUND: tuple
    PANEL: tuple
    CARD: tuple
    BORDER: tuple
    TEXT: tuple
    MUTED: tuple
    ACCENT: tuple
    ACCENT_LIGHT: tuple       # accent text on the dark overlays (help, captions)
    SELECTED: tuple           # the chosen row of an open list, under TEXT
    HOVER: tuple
    DANGER: tuple
    TRAIN_LINE: tuple
    TEST_LINE: tuple
    OVERLAY: tuple
    MARK: tuple               # the diagram's layer marks: batch norm's bar, residual arcs
    strength: float = 0.7     # how far a confident heatmap cell goes towards its class colour
    outline: int = 0          # a point's outline beyond the usual 2 pixels, design pixels
    links: int = 2            # a link's width per unit of |w|, design pixels (at most 3 units)


PALETTES = {palette.name: palette for palette in (
    # TF-Playground-like: A orange, B blue, C green on light grey
    Palette(
        "light",
        CLASS_COLOURS=((0xF5, 0x93, 0x22), (0x08, 0x77, 0xBD), (0x2E, 0xA0, 0x5A)),
        UNDECIDED=(0xE8, 0xEA, 0xEB), BACKGROUND=(0xF4, 0xF5, 0xF7), PANEL=(0xFF, 0xFF, 0xFF),
        CARD=(0xFF, 0xFF, 0xFF), BORDER=(0xD5, 0xD9, 0xDE), TEXT=(0x22, 0x27, 0x2E),
        MUTED=(0x6B, 0x73, 0x7D), ACCENT=(0x08, 0x77, 0xBD), ACCENT_LIGHT=(0xD6, 0xE8, 0xF5),
        SELECTED=(0xD6, 0xE8, 0xF5), HOVER=(0xEC, 0xF1, 0xF6),
        DANGER=(0xC6, 0x28, 0x28), TRAIN_LINE=(0x33, 0x33, 0x33),
        TEST_LINE=(0xF5, 0x93, 0x22), OVERLAY=(0x10, 0x14, 0x1A, 0xD8),
        MARK=(0x7B, 0x3F, 0xB0)),
    # for a projector that washes pale colours out: deeper hues (so deeper regions),
    # black text and borders, thick outlines and links
    Palette(
        "high-contrast",
        CLASS_COLOURS=((0xE0, 0x6A, 0x00), (0x00, 0x4E, 0xA8), (0x00, 0xA0, 0x87)),
        UNDECIDED=(0xF2, 0xF2, 0xF2), BACKGROUND=(0xFF, 0xFF, 0xFF), PANEL=(0xFF, 0xFF, 0xFF),
        CARD=(0xFF, 0xFF, 0xFF), BORDER=(0x30, 0x30, 0x30), TEXT=(0x00, 0x00, 0x00),
        MUTED=(0x30, 0x30, 0x30), ACCENT=(0x00, 0x4E, 0xA8), ACCENT_LIGHT=(0xC8, 0xDC, 0xF5),
        SELECTED=(0xC8, 0xDC, 0xF5), HOVER=(0xE4, 0xEC, 0xF6),
        DANGER=(0xB0, 0x00, 0x00), TRAIN_LINE=(0x00, 0x00, 0x00),
        TEST_LINE=(0xE0, 0x6A, 0x00), OVERLAY=(0x00, 0x00, 0x00, 0xE8),
        MARK=(0x5C, 0x00, 0x99), strength=0.75, outline=2, links=3),
    # a dark room: light text and bright hues on near-black
    Palette(
        "dark",
        CLASS_COLOURS=((0xFF, 0x9A, 0x1F), (0x3A, 0x9B, 0xFF), (0x7F, 0xE0, 0xD0)),
        UNDECIDED=(0x2A, 0x2E, 0x35), BACKGROUND=(0x12, 0x14, 0x18), PANEL=(0x1C, 0x1F, 0x25),
        CARD=(0x1C, 0x1F, 0x25), BORDER=(0x4A, 0x50, 0x5A), TEXT=(0xF0, 0xF2, 0xF5),
        MUTED=(0xA8, 0xB0, 0xBA), ACCENT=(0x3A, 0x9B, 0xFF), ACCENT_LIGHT=(0xA8, 0xCF, 0xF5),
        SELECTED=(0x1E, 0x3A, 0x5C), HOVER=(0x2A, 0x30, 0x3A),
        DANGER=(0xFF, 0x55, 0x55), TRAIN_LINE=(0xF0, 0xF2, 0xF5),
        TEST_LINE=(0xFF, 0x9A, 0x1F), OVERLAY=(0x00, 0x00, 0x00, 0xE0),
        MARK=(0xC8, 0x96, 0xFF), strength=0.7, outline=1, links=3),
)}
THEMES = tuple(PALETTES)     # --theme's choices, in the order the key cycles them
WHITE = (0xFF, 0xFF, 0xFF)
BLACK = (0x00, 0x00, 0x00)
palette = None               # the Palette in use; use() copies its colours into this module


def use(name):
    """Draw with theme ``name`` from now on: the module's colours (``th.TEXT``...) become
    that palette's (views read them when they draw, so a relayout shows it everywhere)."""
    global palette
    palette = PALETTES[name]
    globals().update({f.name: getattr(palette, f.name) for f in fields(Palette) if f.name.isupper()})
    globals().update(POSITIVE=palette.CLASS_COLOURS[1], NEGATIVE=palette.CLASS_COLOURS[0])
    clear_caches()


DESIGN_SIZE = (1280, 800)   # sizes below are in pixels at this window size


@lru_cache(maxsize=32)
def font(size, bold=False):
    """The bundled DejaVu Sans at ``size`` pixels."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return pygame.font.Font(ASSETS / "fonts" / name, max(8, int(size)))


@lru_cache(maxsize=2048)
def text(string, size, colour=None, bold=False, width=0, centred=False):
    """A rendered, cached text surface (anti-aliased, transparent background) in ``colour``
    (default: the theme's TEXT); with a ``width``, wrapped into lines at most that many
    pixels wide (centred ones if ``centred``), never breaking a line around "=" (η = 3)."""
    if width:
        string = string.replace(" = ", "\u00a0=\u00a0")
    return _text(string, size, colour or palette.TEXT, bold, width, centred)


@lru_cache(maxsize=2048)
def _text(string, size, colour, bold, width, centred):
    f = font(size, bold)
    f.align = pygame.FONT_CENTER if centred else pygame.FONT_LEFT   # fonts are shared
    return f.render(string, True, colour, None, width)


def clear_caches():
    """Forget fonts and rendered text (they die with pygame.font.quit())."""
    font.cache_clear()
    _text.cache_clear()


#: Text is at least this many pixels from PROJECTOR_SIZE up, so a class can read it from the
#: back of the room; in smaller windows it shrinks with the window, so everything still fits.
MIN_TEXT = 14
PROJECTOR_SIZE = (1024, 768)
TOUCH_TARGET = 33


class Theme:
    """Sizes derived from the window: ``px(n)`` is n design pixels at this window size;
    ``tx(n)`` is the same for text and what holds text (buttons, the panel), which never
    shrinks below the projector size's. With ``touch`` every control is at least a finger's
    ``target`` wide and high (the panel is wider and its rows taller)."""

    def __init__(self, size, touch=False):
        self.size, self.touch = size, touch
        self.unit = min(size[0] / DESIGN_SIZE[0], size[1] / DESIGN_SIZE[1])
        self.text_unit = max(self.unit, min(1.0, size[0] / PROJECTOR_SIZE[0],
                                            size[1] / PROJECTOR_SIZE[1]))
        self.small = self.tx(MIN_TEXT)
        self.body = self.tx(15)
        self.heading = self.tx(17)
        self.big = self.tx(26)
        self.margin = self.px(12)
        #: the side of a finger's target: 44 pixels from 1920x1080 (text_unit 1.35) up
        self.target = self.tx(TOUCH_TARGET)
        self.row = self.target if touch else self.tx(30)
        self.panel_w = self.tx(320 if touch else 280)   # 8 neuron steppers a finger wide
        self.radius = self.px(6)

    def px(self, n):
        return max(1, round(n * self.unit))

    def tx(self, n):
        return max(1, round(n * self.text_unit))


use("light")
