"""Weights changed by hand: a typed weight or bias, or a step of the backprop step-through,
each undoable (Ctrl+Z) from a bounded stack."""
from collections import deque

from ...core.config import CLASS_NAMES
from ...lessons.text import _

UNDO_DEPTH = 50           # hand-made changes Ctrl+Z can take back
WEIGHT_LIMIT = 100.0      # a typed weight or bias lies in [-WEIGHT_LIMIT, WEIGHT_LIMIT]


def parameter_name(target, sizes):
    """What (layer, out, in) names for a teacher: a link's weight, or (in None) a bias."""
    l, o, i = target
    L = len(sizes) - 1
    node = _("node.class", name=CLASS_NAMES[o]) if l == L else _("node.neuron", layer=l, n=o + 1)
    if i is None:
        return _("weight.bias", node=node)
    source = _("node.input", n=i + 1) if l == 1 else _("node.neuron", layer=l - 1, n=i + 1)
    return _("weight.link", source=source, node=node)


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
        with a.trainer.paused():
            net = a.session.net
            self.undo_stack.append((net, net.theta.copy(), what))
            edit(net)
            a.session.weights_changed()

    def ask(self, target, anchor):
        """Open the prompt for a new value of ``target`` (see ``parameter``) at ``anchor``."""
        net = self.actions.session.net
        self.actions.window.ask_value(parameter_name(target, net.sizes), parameter(net, target),
                                      lambda value: self.set(target, value), anchor, WEIGHT_LIMIT)

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
        self.actions.notify(_("toast.weight_set", what=what.capitalize(), old=f"{old:+.3f}", new=f"{value:+.3f}"))

    def undo(self):
        """Put back the weights from before the last change of the network on screen
        (changes of networks since replaced are dropped)."""
        a = self.actions
        net = a.session.net
        while self.undo_stack:
            owner, theta, what = self.undo_stack.pop()
            if owner is net:
                a.ui.playing = False
                with a.trainer.paused():
                    net.theta[:] = theta
                    a.session.weights_changed()
                a.notify(_("toast.undone", what=what))
                return
        a.notify(_("toast.nothing_to_undo"))
