"""The theory & exercises panel (T): the four passes with typeset formulas tied to the live
network, the "Try this" experiments (click to load), watch-outs, PyTorch names and the FAQ.

The whole text is laid out once into a tall surface (again when the window or the network
changes) and scrolled with the wheel, so showing it costs one blit a frame.
"""
import math
from functools import lru_cache

import pygame

from ...lessons import theory
from ...lessons.experiments import ALL_EXPERIMENTS
from ...lessons.text import _, language
from ..draw import theme as th
from ..draw.primitives import card
from ..draw.theme import ASSETS, text
from ..input.intents import Press, Scroll
from .base import View


@lru_cache(maxsize=16)
def _formula(name):
    return pygame.image.load(ASSETS / "formulas" / f"{name}.png").convert_alpha()


def shown_formula(name, width, t):
    """Formula image ``name`` at the panel's scale, at most ``width`` wide; on a light plate
    where the theme's card is dark (the images are dark ink on nothing)."""
    image = _formula(name)
    margin = t.px(4) if sum(th.CARD) < 3 * 128 else 0
    scale = min(t.unit / 2, (width - 2 * margin) / image.get_width())
    image = pygame.transform.smoothscale(image, (round(image.get_width() * scale),
                                                 round(image.get_height() * scale)))
    if not margin:
        return image
    plate = pygame.Surface((image.get_width() + 2 * margin, image.get_height() + 2 * margin),
                           pygame.SRCALPHA)
    pygame.draw.rect(plate, th.WHITE, plate.get_rect(), border_radius=t.radius)
    plate.blit(image, (margin, margin))
    return plate


def live_lines(kind, session, train_loss=float("nan"), grad_norms=()):
    """Lines tying a formula to the network on screen; ``train_loss`` and ``grad_norms``
    (mean |∂ℒ/∂W| per weight layer) are the trainer's latest."""
    s = session.settings
    sizes = session.net.sizes
    if kind == "forward":
        lines = [_("theory.live.network", sizes=" → ".join(map(str, sizes)))]
        for l in range(1, len(sizes)):
            lines.append(_("theory.live.layer", l=l, n=sizes[l], m=sizes[l - 1]))
        return lines
    if kind == "loss":
        return [_("theory.live.loss", loss=f"{train_loss:.4f}") if math.isfinite(train_loss)
                else _("theory.live.no_loss")]
    if kind == "gradients":
        if not len(grad_norms):
            return [_("theory.live.no_gradients")]
        return [_("theory.live.gradients",
                  norms=", ".join(f"{l}: {g:.1e}" for l, g in enumerate(grad_norms, start=1)))]
    n = len(session.y_train)
    batch = n if s.batch == 0 else min(s.batch, n)
    steps = -(-n // batch) if n else 0
    return [_("theory.live.training", optimizer=_(OPTIMIZER_NAMES[s.optimizer]), eta=f"{s.eta:g}",
              batch=batch, n=n, steps=steps)]


OPTIMIZER_NAMES = {"sgd": "theory.live.sgd", "momentum": "theory.live.momentum", "adam": "theory.live.adam"}
LIVE_NUMBERS = ("loss", "gradients")     # live lines that change with every epoch


class TheoryView(View):
    """The theory panel, in the network card's place (and the legend's)."""

    def __init__(self, actions):
        self.actions = actions
        self.paragraphs = []
        self.formulas = []

    def layout(self, layout, t):
        self.rect = layout.network.union(layout.legend) if layout.legend.h else layout.network
        self.t = t
        self.mouse = (-1, -1)
        self.scroll = 0
        self._key = None
        self.links = []          # (content rect, experiment index)
        self.content = None      # laid out by the first refresh
        self.live = []           # (kind, content x, content y) of the lines drawn each frame
        self.paragraphs = []
        self.formulas = []

    def visible(self, frame):
        return frame.ui.theory_visible

    def _layout(self, session):
        t = self.t
        pad = t.px(14)
        width = self.rect.w - 2 * pad
        blits, links, live, paragraphs, formulas = [], [], [], [], []
        s = session.settings
        y = pad

        def put(surface, x=pad):
            nonlocal y
            blits.append((surface, (x, y)))
            y += surface.get_height()

        def para(string, size=None, colour=th.TEXT, bold=False, gap=4, indent=0):
            nonlocal y
            paragraphs.append(string)
            put(text(string, size or t.body, colour, bold, width - indent), pad + indent)
            y += t.px(gap)

        def formula(name):
            nonlocal y
            formulas.append(name)
            image = shown_formula(name, width, t)
            y += t.px(4)
            put(image, pad + max(0, (width - image.get_width()) // 2))
            y += t.px(8)

        def formula_rows(names):
            """The formulas ``names`` side by side, as many to a row as fit."""
            nonlocal y
            formulas.extend(names)
            gap = t.px(28)
            rows = [[]]
            for name in names:
                image = shown_formula(name, width, t)
                if rows[-1] and sum(i.get_width() + gap for i in rows[-1]) + image.get_width() > width:
                    rows.append([])
                rows[-1].append(image)
            for row in rows:
                y += t.px(4)
                x = pad + (width - sum(i.get_width() + gap for i in row) + gap) // 2
                height = max(i.get_height() for i in row)
                for image in row:
                    blits.append((image, (x, y + (height - image.get_height()) // 2)))
                    x += image.get_width() + gap
                y += height + t.px(8)

        def heading(string):
            nonlocal y
            y += t.px(10)
            put(text(string, t.heading, th.ACCENT, True, width))
            y += t.px(6)

        para(_("theory.heading.title"), t.big, th.TEXT, True, 0)
        para(_("theory.heading.hint"), t.small, th.MUTED)
        heading(_("theory.heading.passes"))
        squared = s.loss == "squared" and not s.regression
        for title, items in theory.PASSES:
            para(_(theory.for_problem(title, s.regression, squared)), t.body, th.TEXT, True, 2)
            for kind, content in items:
                if kind == "text":
                    para(_(theory.for_problem(content, s.regression, squared)))
                elif kind == "formula":
                    for name in theory.formulas_for(content, s.optimizer, s.l1, s.l2, s.regression,
                                                        s.loss, s.schedule, s.warmup):
                        formula(name)
                elif kind == "deep":
                    for item in theory.deep_items(content, session.net.arch, s.init):
                        if item[0] == "text":
                            para(_(item[1], **item[2]))
                        else:
                            formula_rows(item[1])
                elif content in LIVE_NUMBERS:      # drawn each frame (they change as it trains)
                    live.append((content, pad + t.px(8), y))
                    widest = live_lines(content, session, 8.8888, [8.8e-88] * (len(session.net.sizes) - 1))
                    y += sum(text(line, t.small, th.ACCENT, width=width - t.px(8)).get_height()
                             for line in widest) + t.px(5)
                else:
                    for line in live_lines(content, session):
                        para(line, t.small, th.ACCENT, False, 1, t.px(8))
                    y += t.px(4)
            y += t.px(6)
        heading(_("theory.heading.experiments"))
        for i, e in enumerate(ALL_EXPERIMENTS):
            top = y
            para(f"{i + 1}. {_(e.title)}", t.body, th.TEXT, True, 1)
            for line in e.caption:
                para(_(line), t.small, th.MUTED, False, 1)
            y += t.px(5)
            links.append((pygame.Rect(pad - t.px(6), top - t.px(3), width + t.px(12), y - top), i))
        heading(_("theory.heading.watch"))
        for name, line in theory.WATCH_OUTS:
            para(f"{_(name)}: {_(line)}", t.small, th.TEXT, False, 5)
        heading(_("theory.heading.torch"))
        for name, line in theory.IN_PRACTICE:
            para(f"{name} — {_(line)}", t.small, th.TEXT, False, 5)
        heading(_("theory.heading.faq"))
        for question, answer in theory.FAQ:
            para(_(question), t.body, th.TEXT, True, 2)
            para(_(answer), t.small, th.TEXT, False, 8)
        surface = pygame.Surface((self.rect.w, y + pad), pygame.SRCALPHA)
        surface.blits(blits, doreturn=False)
        self.content, self.links, self.live = surface, links, live
        self.paragraphs = paragraphs         # every text laid out, in order...
        self.formulas = formulas             # ...and every formula image's name
        self.scroll = min(self.scroll, self.max_scroll)

    def _draw_live(self, surface, frame):
        """The live numbers: current loss and mean |∂ℒ/∂W| per layer."""
        t, shown = self.t, frame.side.snapshot
        width = self.rect.w - 2 * t.px(14) - t.px(8)
        for kind, x, y in self.live:
            for line in live_lines(kind, frame.session, shown.metrics[0], shown.grad_meter):
                label = text(line, t.small, th.ACCENT, width=width)
                surface.blit(label, (self.rect.x + x, self.rect.y + y - self.scroll))
                y += label.get_height()

    @property
    def max_scroll(self):
        return max(0, self.content.get_height() - self.rect.h) if self.content else 0

    def refresh(self, frame):
        session = frame.session
        key = (session.settings, session.net.sizes, len(session.y_train), language())
        if key != self._key:
            self._key = key
            self._layout(session)
        return True

    def handle(self, intent, frame):
        """Wheel scrolling and presses on an experiment; True when used."""
        if isinstance(intent, Scroll):
            if not self.rect.collidepoint(self.mouse):
                return False
            self.scroll = min(max(self.scroll - intent.steps * 3 * self.t.row, 0), self.max_scroll)
            return True
        self.mouse = intent.pos
        if not self.rect.collidepoint(intent.pos):
            return False
        if isinstance(intent, Press) and intent.primary:
            local = (intent.pos[0] - self.rect.x, intent.pos[1] - self.rect.y + self.scroll)
            for rect, i in self.links:
                if rect.collidepoint(local):
                    self.actions.load_experiment(i)
        return True

    def draw(self, surface, frame):
        card(surface, self.rect, self.t)
        surface.set_clip(self.rect.inflate(-2, -2))
        mouse = self.mouse
        for rect, _experiment in self.links:
            screen_rect = rect.move(self.rect.x, self.rect.y - self.scroll)
            if screen_rect.collidepoint(mouse):
                pygame.draw.rect(surface, th.HOVER, screen_rect, border_radius=self.t.radius)
        surface.blit(self.content, self.rect.topleft, pygame.Rect(0, self.scroll, self.rect.w, self.rect.h))
        self._draw_live(surface, frame)
        surface.set_clip(None)
        if self.max_scroll:
            track = self.rect.h - 2 * self.t.radius
            h = max(self.t.px(24), track * self.rect.h // self.content.get_height())
            y = self.rect.y + self.t.radius + (track - h) * self.scroll // self.max_scroll
            pygame.draw.rect(surface, th.BORDER, (self.rect.right - self.t.px(7), y, self.t.px(4), h),
                             border_radius=2)
