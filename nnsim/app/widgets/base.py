"""A small widget layer: button, toggle, segmented choice, discrete slider, stepper, drop-down.

Widgets are bound to the app's state by a ``get`` and a ``set`` callable, so the state stays
the single source of truth; ``Panel`` polls ``get`` and redraws only when a shown value (or the
hover) changed. Widgets react to pointer intents (``input.intents``), whatever made them.
"""
import pygame

from ..draw import theme as th
from ..draw.theme import text
from ..input.intents import Drag, Hover, Press, Release


def _clicked(rect, intent):
    return isinstance(intent, Press) and intent.primary and rect.collidepoint(intent.pos)


def _box(surface, rect, t, fill, border=None, width=1):
    pygame.draw.rect(surface, fill, rect, border_radius=t.radius)
    if width:
        pygame.draw.rect(surface, border or th.BORDER, rect, width, border_radius=t.radius)


def _over(rect, mouse):
    return mouse is not None and rect.collidepoint(mouse)


def _fitting(string, size, smallest, width, colour=None, bold=False):
    """``string`` rendered at ``size``, or smaller, down to ``smallest``, if that is wider
    than ``width``."""
    label = text(string, size, colour, bold)
    while label.get_width() > width and size > smallest:
        size -= 1
        label = text(string, size, colour, bold)
    return label


def _smallest(t):
    """The size a label too long for its widget shrinks to at most: 3 px under the small
    text, or a fifth in a big window."""
    return min(t.small - 3, t.small * 4 // 5)


def blit_within(surface, label, at, room):
    """``label`` placed at the rect ``at``, only the part inside ``room`` (so a label too
    long for a tiny window never runs into its neighbour). Every widget's text that could be
    too long goes through here (the fit test watches it)."""
    shown = at.clip(room)
    surface.blit(label, shown, shown.move(-at.x, -at.y))


def check_box(surface, box, t, on, hovered):
    """A check box in the square ``box``, ticked if ``on``."""
    _box(surface, box, t, th.ACCENT if on else (th.HOVER if hovered else th.CARD),
         th.ACCENT if on else th.MUTED)
    if on:
        side = box.w
        pts = [(box.x + side * 0.22, box.y + side * 0.52), (box.x + side * 0.42, box.y + side * 0.72),
               (box.x + side * 0.78, box.y + side * 0.3)]
        pygame.draw.lines(surface, th.WHITE, False, pts, max(2, t.px(2)))


def _centered(surface, label, rect):
    blit_within(surface, label, label.get_rect(center=rect.center), rect)


class Widget:
    """Base: a rect, a value to watch for redraws, and intent handling."""
    rect = pygame.Rect(0, 0, 0, 0)
    tooltip = ""
    control = None        # the lesson control it changes: a name from core.lesson.CONTROLS
                          # (a section heading: a tuple of its section's names)
    page = None           # the panel page it is on (views.panel); None: every page

    def state(self):
        """What the widget shows; the panel redraws when it changes."""
        return None

    def handle(self, intent):
        """React to a pointer intent; True when it was used."""
        return False

    def draw(self, surface, t, mouse):
        """Draw; ``mouse`` is the last pointer position the panel saw (or None)."""
        raise NotImplementedError


class Label(Widget):
    """Static text; ``size`` names a Theme text size ("heading", "big", ...)."""

    def __init__(self, rect, caption, size="heading", colour=None, bold=True):
        self.rect, self.caption, self.size, self.colour, self.bold = rect, caption, size, colour, bold

    def draw(self, surface, t, mouse):
        surface.blit(text(self.caption, getattr(t, self.size), self.colour, self.bold),
                     self.rect.topleft)


class Button(Widget):
    """A push button; ``active`` (optional callable) draws it as pressed-in; an ``icon``
    (a surface) goes left of the label."""

    icon = None               # a surface (set by a subclass) drawn left of the label

    def __init__(self, rect, label, on_click, active=None):
        self.rect, self.label, self.on_click, self.active = rect, label, on_click, active

    def state(self):
        return (self.label() if callable(self.label) else self.label,
                self.active() if self.active else False)

    def handle(self, intent):
        if _clicked(self.rect, intent):
            self.on_click()
            return True
        return False

    def draw(self, surface, t, mouse):
        label, active = self.state()
        fill = th.ACCENT if active else th.HOVER if _over(self.rect, mouse) else th.CARD
        _box(surface, self.rect, t, fill, th.ACCENT if active else th.BORDER)
        colour = th.WHITE if active else th.TEXT
        if self.icon is None:
            _centered(surface, _fitting(label, t.body, _smallest(t), self.rect.w - t.px(4), colour,
                                        active), self.rect)
            return
        pad = (self.rect.h - self.icon.get_height()) // 2
        surface.blit(self.icon, (self.rect.x + pad, self.rect.y + pad))
        rest = self.rect.copy()
        rest.w -= pad + self.icon.get_width()
        rest.x += pad + self.icon.get_width()
        _centered(surface, _fitting(label, t.small, _smallest(t), rest.w - t.px(2), colour), rest)


class Toggle(Widget):
    """A check box with a label."""

    def __init__(self, rect, label, get, set):
        self.rect, self.label, self.get, self.set = rect, label, get, set

    def state(self):
        return self.get()

    def handle(self, intent):
        if _clicked(self.rect, intent):
            self.set(not self.get())
            return True
        return False

    def draw(self, surface, t, mouse):
        side = min(self.rect.h - 2 * t.px(5), t.px(18))
        box = pygame.Rect(self.rect.x, 0, side, side)
        box.centery = self.rect.centery
        check_box(surface, box, t, self.get(), _over(self.rect, mouse))
        label = text(self.label, t.body)
        surface.blit(label, label.get_rect(midleft=(box.right + t.px(6), self.rect.centery)))


class Segmented(Widget):
    """One choice out of a few, shown side by side: in cells as wide as each other, unless
    one's label would not fit (a long word of a translation); then each cell gets its
    label's width (of theme ``t``) and the rest of the row is shared, or, if the labels are
    wider than the row together, a share in proportion to its label's width."""

    def __init__(self, rect, labels, get, set, t):
        self.rect, self.labels, self.get, self.set = rect, labels, get, set
        w = rect.w / len(labels)
        self.cells = [pygame.Rect(round(rect.x + i * w), rect.y, round(w) - 2, rect.h)
                      for i in range(len(labels))]
        needs = [text(label, t.small, bold=True).get_width() + t.px(4) for label in labels]
        if any(need > cell.w for need, cell in zip(needs, self.cells)):
            room = rect.w - 2 * len(labels)
            spare = max(0, room - sum(needs)) / len(labels)
            shrink = min(1, room / sum(needs))
            x = rect.x
            for cell, need in zip(self.cells, needs):
                cell.x, cell.w = round(x), round(need * shrink + spare)
                x += need * shrink + spare + 2

    def state(self):
        return self.get()

    def handle(self, intent):
        for i, cell in enumerate(self.cells):
            if _clicked(cell, intent):
                self.set(i)
                return True
        return False

    def draw(self, surface, t, mouse):
        chosen = self.get()
        for i, (cell, label) in enumerate(zip(self.cells, self.labels)):
            on = i == chosen
            fill = th.ACCENT if on else th.HOVER if _over(cell, mouse) else th.CARD
            _box(surface, cell, t, fill, th.ACCENT if on else th.BORDER)
            _centered(surface, _fitting(label, t.small, _smallest(t), cell.w - 2,
                                        th.WHITE if on else th.TEXT, on), cell)


class Slider(Widget):
    """A slider over a list of discrete values, with a caption and the value printed."""

    def __init__(self, rect, caption, values, get, set, fmt=str):
        self.rect, self.caption, self.values, self.get, self.set, self.fmt = (
            rect, caption, list(values), get, set, fmt)
        self.dragging = False
        self.value_room = 0       # pixels right of the track for the value, when the caption
                                  # leaves it no room on the top line (set when drawn)

    def index(self):
        """Index of the current value in the list, else of the nearest listed value."""
        value = self.get()
        if value in self.values:
            return self.values.index(value)
        return min(range(len(self.values)), key=lambda i: abs(self.values[i] - value))

    def state(self):
        return self.get()

    def track(self):
        half = self.rect.h // 2
        return pygame.Rect(self.rect.x, self.rect.y + half, self.rect.w - self.value_room,
                           self.rect.h - half)

    def _pick(self, x):
        track = self.track()
        frac = (x - track.x) / max(1, track.w)
        i = round(min(max(frac, 0.0), 1.0) * (len(self.values) - 1))
        if self.values[i] != self.get():
            self.set(self.values[i])

    def handle(self, intent):
        if _clicked(self.track(), intent):
            self.dragging = True
            self._pick(intent.pos[0])
            return True
        if isinstance(intent, (Drag, Hover)) and self.dragging:
            self._pick(intent.pos[0])
            return True
        if isinstance(intent, Release) and self.dragging:
            self.dragging = False
            return True
        return False

    def draw(self, surface, t, mouse):
        top = pygame.Rect(self.rect.x, self.rect.y, self.rect.w, self.rect.h // 2)
        value = text(self.fmt(self.get()), t.small, th.TEXT, True)
        caption = text(self.caption, t.small, th.MUTED)
        room = pygame.Rect(top.x, top.y, top.w - value.get_width() - t.px(4), top.h)
        beside = caption.get_width() <= room.w
        if not beside:
            caption = _fitting(self.caption, t.small, _smallest(t), top.w, th.MUTED)
        self.value_room = 0 if beside else value.get_width() + t.px(12)
        track = self.track()
        blit_within(surface, caption, caption.get_rect(midleft=top.midleft), room if beside else top)
        surface.blit(value, value.get_rect(midright=top.midright if beside
                                           else (self.rect.right, track.centery)))
        line_y = track.centery
        frac = self.index() / max(1, len(self.values) - 1)
        knob_x = track.x + frac * track.w
        pygame.draw.line(surface, th.BORDER, (track.x, line_y), (track.right, line_y), t.px(4))
        pygame.draw.line(surface, th.ACCENT, (track.x, line_y), (knob_x, line_y), t.px(4))
        r = t.px(8) if (_over(self.rect, mouse) or self.dragging) else t.px(7)
        pygame.draw.circle(surface, th.ACCENT, (knob_x, line_y), r)
        pygame.draw.circle(surface, th.WHITE, (knob_x, line_y), max(1, r - t.px(3)))


class Stepper(Widget):
    """[−] value [+] for a whole number in [lo, hi]; ``vertical`` stacks + value − instead.
    Subclasses step otherwise by overriding ``_next``, and show the value by ``_draw_value``."""

    def __init__(self, rect, get, set, lo, hi, vertical=False):
        self.rect, self.get, self.set, self.lo, self.hi = rect, get, set, lo, hi
        if vertical:
            h = rect.h // 3
            self.plus = pygame.Rect(rect.x, rect.y, rect.w, h)
            self.minus = pygame.Rect(rect.x, rect.bottom - h, rect.w, h)
        else:
            side = min(rect.h, rect.w // 3)
            self.minus = pygame.Rect(rect.x, rect.y, side, rect.h)
            self.plus = pygame.Rect(rect.right - side, rect.y, side, rect.h)

    def state(self):
        return self.get()

    def _next(self, direction):
        """The value one step up (1) or down (-1); None beyond the range."""
        value = self.get() + direction
        return value if self.lo <= value <= self.hi else None

    def handle(self, intent):
        for rect, direction in ((self.minus, -1), (self.plus, 1)):
            if _clicked(rect, intent):
                value = self._next(direction)
                if value is not None:
                    self.set(value)
                return True
        return False

    def draw(self, surface, t, mouse):
        for rect, sign, direction in ((self.minus, "−", -1), (self.plus, "+", 1)):
            enabled = self._next(direction) is not None
            fill = th.HOVER if enabled and _over(rect, mouse) else th.CARD
            _box(surface, rect, t, fill, th.BORDER if enabled else th.HOVER)
            _centered(surface, text(sign, t.body, th.TEXT if enabled else th.BORDER, True), rect)
        self._draw_value(surface, t)

    def _draw_value(self, surface, t):
        _centered(surface, text(str(self.get()), t.body, th.TEXT, True), self.rect)


class Dropdown(Widget):
    """A closed box showing the choice (``placeholder`` while ``get()`` is None); a click opens
    the option list below, or above when ``bounds`` (the part of the surface on screen)
    has more room there, and a click on an option chooses it."""

    def __init__(self, rect, labels, get, set, bounds, placeholder=""):
        self.rect, self.labels, self.get, self.set = rect, labels, get, set
        self.bounds, self.placeholder = bounds, placeholder
        self.open = False
        self.place()

    def _list_w(self):
        """The option list's width."""
        return self.rect.w

    def place(self):
        """Put the options where they show: below the box if ``bounds`` has room for them
        there, else above it if it has room there, else on the roomier side."""
        h, n = self.rect.h, len(self.labels)
        room_below, room_above = self.bounds.bottom - self.rect.bottom, self.rect.top - self.bounds.top
        below = room_below >= h * n or (room_above < h * n and room_below >= room_above)
        top = self.rect.bottom if below else self.rect.top - h * n
        w = self._list_w()
        x = max(min(self.rect.x, self.bounds.right - w), self.bounds.x)
        self.options = [pygame.Rect(x, top + i * h, w, h) for i in range(n)]

    def state(self):
        return self.get(), self.open

    def handle(self, intent):
        if self.open and isinstance(intent, Press):
            for i, option in enumerate(self.options):
                if option.collidepoint(intent.pos):
                    self.set(i)
            self.open = False
            return True
        if _clicked(self.rect, intent):
            self.place()
            self.open = True
            return True
        return False

    def draw(self, surface, t, mouse):
        _box(surface, self.rect, t, th.HOVER if _over(self.rect, mouse) else th.CARD)
        chosen = self.get()
        room = pygame.Rect(self.rect.x + t.px(10), self.rect.y, self.rect.w - t.px(30), self.rect.h)
        label = _fitting(self.placeholder if chosen is None else self.labels[chosen], t.body, _smallest(t),
                         room.w, th.MUTED if chosen is None else th.TEXT)
        blit_within(surface, label, label.get_rect(midleft=room.midleft), room)
        cx, cy, s = self.rect.right - t.px(14), self.rect.centery, t.px(5)
        pygame.draw.polygon(surface, th.MUTED, [(cx - s, cy - s // 2), (cx + s, cy - s // 2), (cx, cy + s)])

    def draw_open(self, surface, t, mouse):
        """The option list, drawn last so it lies over everything else."""
        frame = self.options[0].unionall(self.options[1:])
        pygame.draw.rect(surface, th.CARD, frame, border_radius=t.radius)
        for i, (option, label) in enumerate(zip(self.options, self.labels)):
            if i == self.get() or _over(option, mouse):
                pygame.draw.rect(surface, th.SELECTED if i == self.get() else th.HOVER, option)
            name = text(label, t.body)
            surface.blit(name, name.get_rect(midleft=(option.x + t.px(10), option.centery)))
        pygame.draw.rect(surface, th.ACCENT, frame, 1, border_radius=t.radius)
