"""What is drawn over the views: banners, messages, hover help, the help overlay and the intro card."""
import pygame

from ...lessons.intro import SECTIONS, TITLE
from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import text
from ..input.keys import help_rows
from .base import View


def banner(surface, rect, t, title, subtitle, colour=None):
    """A centred message box over ``rect`` (diverged, ...), its subtitle wrapped
    to fit inside ``rect``."""
    lines = (text(title, t.big, th.WHITE, True),
             text(subtitle, t.body, th.WHITE, width=rect.w - t.px(72), centred=True))
    w = max(line.get_width() for line in lines)
    h = sum(line.get_height() for line in lines) + t.px(6)
    box = pygame.Rect(0, 0, w + t.px(40), h + t.px(28))
    box.center = rect.center
    pygame.draw.rect(surface, colour or th.DANGER, box, border_radius=t.radius)
    y = box.y + t.px(14)
    for i, line in enumerate(lines):
        surface.blit(line, line.get_rect(midtop=(box.centerx, y)))
        y += line.get_height() + (t.px(6) if i == 0 else 0)


def toast(surface, size, t, message):
    """A short message at the bottom centre of the window."""
    label = text(message, t.body, th.WHITE)
    box = label.get_rect(midbottom=(size[0] // 2, size[1] - t.px(20))).inflate(t.px(24), t.px(12))
    shade = pygame.Surface(box.size, pygame.SRCALPHA)
    pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
    surface.blit(shade, box)
    surface.blit(label, label.get_rect(center=box.center))


def help_overlay(surface, size, t, rows):
    """Every hotkey (``rows`` of catalogue keys) on an opaque card, in two halves of a key column and a description
    column each; descriptions wrap when the window is too narrow for them. Returns the card's
    rect (whole, even where the window cuts it)."""
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill(th.OVERLAY)
    surface.blit(shade, (0, 0))
    half = (len(rows) + 1) // 2
    gap = t.px(16)
    rows = [(_(k), _(d)) for k, d in rows]
    key_w = max(text(k, t.body, th.WHITE, True).get_width() for k, d in rows) + gap
    desc_w = min(max(text(d, t.body, th.WHITE).get_width() for k, d in rows),
                 (size[0] - 4 * gap) // 2 - key_w)
    col_w = key_w + desc_w + gap
    cells = [(text(k, t.body, th.ACCENT_LIGHT, True), text(d, t.body, th.WHITE, width=desc_w))
             for k, d in rows]
    heights = [max(k.get_height(), d.get_height()) + t.px(4) for k, d in cells]
    title = text(_("help.title"), t.big, th.WHITE, True)
    body_h = max(sum(heights[:half]), sum(heights[half:]))
    total_h = title.get_height() + t.px(16) + body_h + t.small + t.px(12)
    x0, y0 = (size[0] - 2 * col_w) // 2, max(gap, (size[1] - total_h) // 2)
    box = pygame.Rect(x0 - gap, y0 - gap, 2 * col_w + gap, total_h + 2 * gap)
    pygame.draw.rect(surface, th.OVERLAY[:3], box.clip(surface.get_rect()), border_radius=t.radius)
    surface.blit(title, (x0, y0))
    top = y0 + title.get_height() + t.px(16)
    y = top
    for i, ((key, desc), h) in enumerate(zip(cells, heights)):
        if i == half:
            y = top
        x = x0 + (i >= half) * col_w
        surface.blit(key, (x, y))
        surface.blit(desc, (x + key_w, y))
        y += h
    hint = text(_("help.close"), t.small, th.BORDER)
    surface.blit(hint, (x0, top + body_h + t.px(8)))
    return box


def draw_intro(surface, size, t):
    """The card, centred over a dimmed window."""
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill(th.OVERLAY)
    surface.blit(shade, (0, 0))
    width = min(size[0] - 2 * t.px(24), t.tx(820))
    inner = width - 2 * t.px(24)
    parts = [(text(_(TITLE), t.big, th.TEXT, True), t.px(10))]
    for heading, paragraph in SECTIONS:
        parts.append((text(_(heading), t.heading, th.ACCENT, True), t.px(2)))
        parts.append((text(_(paragraph), t.body, th.TEXT, width=inner), t.px(10)))
    parts.append((text(_("intro.start"), t.small, th.MUTED), 0))
    height = sum(s.get_height() + gap for s, gap in parts) + 2 * t.px(18)
    box = pygame.Rect(0, 0, width, min(height, size[1] - 2 * t.px(8)))
    box.center = (size[0] // 2, size[1] // 2)
    pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
    surface.set_clip(box)
    y = box.y + t.px(18)
    for s, gap in parts:
        surface.blit(s, (box.x + t.px(24), y))
        y += s.get_height() + gap
    surface.set_clip(None)


#: what each screen region is, for hover help outside the panel's controls
REGION_HELP = {
    "boundary": "region.boundary",
    "chart": "region.chart",
    "readouts": "region.readouts",
    "network": "region.network",
    "meter": "region.meter",
    "legend": "region.legend",
}


def draw_tooltip(surface, t, pos, line):
    """``line`` in a dark box beside ``pos``, wrapped and kept inside the window."""
    width = min(surface.get_width() - 2 * t.px(12), t.tx(460))
    label = text(line, t.small, th.WHITE, width=width)
    box = label.get_rect(topleft=(pos[0] + t.px(14), pos[1] + t.px(18))).inflate(t.px(14), t.px(10))
    if box.bottom > surface.get_height():
        box.bottom = pos[1] - t.px(8)
    box.clamp_ip(surface.get_rect())
    pygame.draw.rect(surface, th.OVERLAY[:3], box, border_radius=t.radius)
    surface.blit(label, label.get_rect(center=box.center))


class TooltipView(View):
    """The hover help: once the pointer has rested (``timer``), ``help_at(pos)``'s line."""

    def __init__(self, timer, help_at):
        self.timer, self.help_at = timer, help_at
        self.tip = None               # the line shown this frame

    def layout(self, layout, t):
        self.t = t

    def draw(self, surface, frame):
        ui = frame.ui
        self.tip = None
        if self.timer.due() and not (ui.help_visible or ui.intro_visible or ui.prompt):
            self.tip = self.help_at(self.timer.pos, frame)
            if self.tip:
                draw_tooltip(surface, self.t, self.timer.pos, self.tip)


class MessageView(View):
    """The message at the bottom of the window, while it lasts."""

    def __init__(self, clock):
        self.clock = clock

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return bool(frame.ui.message) and self.clock() < frame.ui.message_until

    def draw(self, surface, frame):
        toast(surface, surface.get_size(), self.t, frame.ui.message)


class HelpView(View):
    """Every hotkey and what the mouse does, or a finger once the touch picker shows (H)."""
    card = None               # where the last frame drew the card (the fit test reads it)

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return frame.ui.help_visible

    def draw(self, surface, frame):
        self.card = help_overlay(surface, surface.get_size(), self.t, help_rows(self.t.touch))


class IntroView(View):
    """The "What am I looking at?" card (I, and on the first start)."""

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return frame.ui.intro_visible

    def draw(self, surface, frame):
        draw_intro(surface, surface.get_size(), self.t)


class PromptView(View):
    """The open prompt (a file name, a weight), over everything."""

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return frame.ui.prompt is not None

    def draw(self, surface, frame):
        frame.ui.prompt.draw(surface, self.t)


class BlankView(View):
    """A black screen (a presenter remote's blank key), over everything."""

    def visible(self, frame):
        return frame.ui.blank

    def draw(self, surface, frame):
        surface.fill(th.BLACK)
