"""Weights changed by hand: a typed weight or bias, or a step of the backprop step-through,
each undoable (Ctrl+Z) from a bounded stack; and the small prompt a value is typed into."""
import math
from collections import deque

import pygame

from . import theme as th
from .theme import text

UNDO_DEPTH = 50           # hand-made changes Ctrl+Z can take back
WEIGHT_LIMIT = 100.0      # a typed weight or bias lies in [-WEIGHT_LIMIT, WEIGHT_LIMIT]


def parameter_name(target, sizes):
    """What (layer, out, in) names for a teacher: a link's weight, or (in None) a bias."""
    l, o, i = target
    L = len(sizes) - 1
    node = f"class {th.CLASS_NAMES[o]}" if l == L else f"layer {l} · neuron {o + 1}"
    if i is None:
        return f"bias of {node}"
    source = f"input {i + 1}" if l == 1 else f"layer {l - 1} · neuron {i + 1}"
    return f"weight {source} → {node}"


def parameter(net, target):
    """The weight W^l[out, in], or with ``in`` None the bias b^l[out], of ``net``."""
    l, o, i = target
    W, b = net.params[l - 1]
    return float(b[o] if i is None else W[o, i])


class WeightEdits:
    """Hand-made changes of the session's weights, on an undo stack of (network, weights
    before, what) that keeps the last UNDO_DEPTH. Each pauses training first."""

    def __init__(self, actions):
        self.actions = actions
        self.undo_stack = deque(maxlen=UNDO_DEPTH)

    def change(self, what, edit):
        """Run ``edit(net)`` on the session's network as one undoable change."""
        a = self.actions
        a.ui.playing = False
        a.trainer.collect(a.sides, join=True)      # the worker may be training this net
        net = a.session.net
        self.undo_stack.append((net, net.theta.copy(), what))
        edit(net)
        a.session.weights_changed()

    def ask(self, target, anchor):
        """Open the prompt for a new value of ``target`` (see ``parameter``) at ``anchor``."""
        net = self.actions.session.net
        self.actions.ui.prompt = ValuePrompt(parameter_name(target, net.sizes),
                                             parameter(net, target),
                                             lambda value: self.set(target, value), anchor)

    def set(self, target, value):
        """Set one weight or bias to ``value``."""
        l, o, i = target
        net = self.actions.session.net
        old, what = parameter(net, target), parameter_name(target, net.sizes)

        def edit(net):
            W, b = net.params[l - 1]
            if i is None:
                b[o] = value
            else:
                W[o, i] = value
        self.change(what, edit)
        self.actions.notify(f"{what.capitalize()}: {old:+.3f} → {value:+.3f}  (Ctrl+Z undoes)")

    def undo(self):
        """Put back the weights from before the last change of the network on screen
        (changes of networks since replaced are dropped)."""
        a = self.actions
        net = a.session.net
        while self.undo_stack:
            owner, theta, what = self.undo_stack.pop()
            if owner is net:
                a.ui.playing = False
                a.trainer.collect(a.sides, join=True)
                net.theta[:] = theta
                a.session.weights_changed()
                a.notify(f"Undone: {what}")
                return
        a.notify("Nothing to undo")


class ValuePrompt:
    """A one-line number prompt by the diagram, modal while ``open`` (the app hands it
    every event, as it does a PathPrompt). The first key typed replaces the value shown;
    Enter runs ``on_done(value)`` for a number in [-WEIGHT_LIMIT, WEIGHT_LIMIT], else says
    so; Esc or a click outside cancels."""

    def __init__(self, title, value, on_done, anchor):
        self.title, self.on_done, self.anchor = title, on_done, anchor
        self.value = f"{value:.4g}"
        self.fresh = True         # the value shown is replaced by the first key typed
        self.error = ""
        self.open = True
        self.accepting = False    # set from the next frame on (as PathPrompt)
        self.box = pygame.Rect(0, 0, 0, 0)

    def handle(self, event):
        if event.type == pygame.TEXTINPUT and self.accepting:
            self.value = event.text if self.fresh else self.value + event.text
            self.fresh, self.error = False, ""
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.open = False
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._finish()
            elif event.key == pygame.K_BACKSPACE:
                self.value = "" if self.fresh else self.value[:-1]
                self.fresh, self.error = False, ""
        elif event.type == pygame.MOUSEBUTTONDOWN and not self.box.collidepoint(event.pos):
            self.open = False
        return True

    def _finish(self):
        try:
            value = float(self.value.strip().replace("−", "-").replace(",", "."))
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and abs(value) <= WEIGHT_LIMIT):
            self.error = f"type a number from {-WEIGHT_LIMIT:g} to {WEIGHT_LIMIT:g}"
            return
        self.open = False
        self.on_done(value)

    def draw(self, surface, t):
        title = text(f"New {self.title}", t.small, th.TEXT, True)
        hint = text(self.error or "Enter: set · Esc: cancel · Ctrl+Z later undoes", t.small,
                    th.DANGER if self.error else th.MUTED)
        value = text(self.value + "▏", t.body, th.WHITE if self.fresh else th.TEXT)
        pad = t.px(8)
        w = max(title.get_width(), hint.get_width(), t.px(160)) + 2 * pad
        h = title.get_height() + value.get_height() + hint.get_height() + t.px(14) + 2 * pad
        self.box = pygame.Rect(self.anchor[0] + t.px(10), self.anchor[1] + t.px(10), w, h)
        self.box.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, th.CARD, self.box, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, self.box, 2, border_radius=t.radius)
        x, y = self.box.x + pad, self.box.y + pad
        surface.blit(title, (x, y))
        y += title.get_height() + t.px(4)
        field = pygame.Rect(x, y, w - 2 * pad, value.get_height() + t.px(6))
        pygame.draw.rect(surface, th.HOVER, field, border_radius=t.radius)
        if self.fresh:     # shown selected: typing replaces it
            pygame.draw.rect(surface, th.ACCENT, (field.x + t.px(3), field.y + t.px(2),
                                                  value.get_width(), field.h - t.px(4)))
        surface.blit(value, value.get_rect(midleft=(field.x + t.px(4), field.centery)))
        surface.blit(hint, (x, field.bottom + t.px(4)))
