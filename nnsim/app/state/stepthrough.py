"""Backprop, one point at a time (B): pick a training point, then step through the forward
pass, the loss, the backward pass and the update with the real numbers of ``core.explain``
(in evaluation mode, as the boundary is drawn: batch norm with its running statistics, no
dropout); Enter at the update takes that one step. Training is paused meanwhile."""
import numpy as np

from ...core.config import CLASS_NAMES
from ...core.explain import explain
from ...core.features import feature_matrix_t
from ...lessons.text import _

STAGES = ("forward", "loss", "backward", "update")
PICK_RADIUS = 0.5         # a click picks the nearest training point within this distance


class StepThrough:
    """Which point is stepped through and at which stage, and its numbers (``explained``,
    as ``core.explain.explain`` returns them, for the session's current weights)."""

    def __init__(self, actions, edits):
        self.actions, self.edits = actions, edits
        self.picking = False      # B pressed: a click in the boundary view picks the point
        self.point = None         # (x1, x2, label) of the point stepped through
        self.stage = 0            # index into STAGES
        self.explained = None
        self._session = None
        self._key = None

    @property
    def active(self):
        return self.picking or self.point is not None

    @property
    def stage_name(self):
        return STAGES[self.stage]

    def toggle(self):
        """B: start (pause, show the diagram, wait for a point), or leave."""
        if self.active:
            self.leave()
            return
        if self.actions.session.settings.regression:   # its stages spell out softmax and classes
            self.actions.notify(_("toast.stepthrough_classify"))
            return
        ui = self.actions.ui
        ui.playing = False
        ui.theory_visible = ui.hidden_space = False
        ui.selected_node = ui.experiment = None
        self.picking, self._session = True, self.actions.session
        self.actions.notify(_("toast.stepthrough_start"))

    def leave(self):
        self.picking, self.point, self.explained, self._key = False, None, None, None

    def pick(self, plane):
        """Step through the training point nearest to ``plane``; False (with a message) if
        none lies within PICK_RADIUS."""
        s = self.actions.session
        train = np.flatnonzero(~s.test)
        d = np.hypot(*(s.X[train] - plane).T) if len(train) else np.empty(0)
        if not len(d) or d.min() > PICK_RADIUS:
            self.actions.notify(_("toast.stepthrough_miss"))
            return False
        k = train[int(np.argmin(d))]
        self.point = (float(s.X[k, 0]), float(s.X[k, 1]), int(s.y[k]))
        self.picking, self.stage = False, 0
        self.follow()
        self.actions.notify(_("toast.stepping", name=CLASS_NAMES[self.point[2]],
                              x=f"{self.point[0]:.2f}", y=f"{self.point[1]:.2f}"))
        return True

    def move(self, direction):
        """→ / ←: the next or previous stage."""
        if self.point is not None:
            self.stage = min(max(self.stage + direction, 0), len(STAGES) - 1)

    def enter(self):
        """Enter: the next stage; at the update, take the step it shows."""
        if self.point is None:
            return
        if self.stage_name != "update":
            self.move(1)
            return
        self.follow()            # the numbers of the weights as they are now
        e, eta = self.explained, self.actions.session.settings.eta

        def step(net):
            for (W, b, *norm), layer in zip(net.layers_of(net.theta), e["layers"]):
                W -= eta * np.array(layer["dW"])
                b -= eta * np.array(layer["db"])
                if norm:                               # batch norm's gamma and beta
                    norm[0] -= eta * np.array(layer["batch_norm"]["dgamma"])
                    norm[1] -= eta * np.array(layer["batch_norm"]["dbeta"])
        self.edits.change(_("weight.step"), step)
        self.follow()
        name = CLASS_NAMES[self.point[2]]
        self.actions.notify(_("toast.step_taken", name=name, before=f"{e['loss']:.4f}",
                              after=f"{self.explained['loss']:.4f}"))

    def follow(self):
        """Once a frame, after the events: leave when training resumed or the session, its
        classes or the point went away; else explain the point for the current weights."""
        a = self.actions
        if not self.active:
            return
        s = a.session
        if a.ui.playing or s is not self._session or \
                (self.point and not self._still_there(s)):
            self.leave()
            return
        key = (s.weights_version, s.points_version, s.settings.inputs, self.point)
        if self.point is None or key == self._key:
            return
        x1, x2, label = self.point
        features = feature_matrix_t([[x1, x2]], *s.settings.inputs)[:, 0]
        with a.trainer.paused():                    # the worker may be training the net
            self.explained = explain(s.net, features, label)
        self._key = key

    def _still_there(self, s):
        x1, x2, label = self.point
        return bool(((s.X[:, 0] == x1) & (s.X[:, 1] == x2) & (s.y == label) & ~s.test).any())
