"""The "Try this" experiments, as data: settings, captions, and the pace they run at.

An experiment with two parts is a comparison: the app opens it in compare mode, part 1 as
side A and part 2 as side B, both trained on the same points from the same initial weights.
Each claim shows within ``SECONDS`` of opening the experiment at its own pace, for seeds
0-9 (see tests/test_experiments.py); the captions name the settings, so a teacher can
rebuild an experiment by hand.
"""
from dataclasses import dataclass, replace

import numpy as np

from ..core import Session, Settings
from ..core.pair import start_together

SECONDS = 30      # every claim shows within this long


@dataclass(frozen=True)
class Experiment:
    name: str                 # for `nnsim --experiment NAME` and `nnsim train --experiment NAME`
    title: str                # the texts are catalogue keys (text.py, locale/en.po)
    label: str                # on the panel's "Try this" button, after its number
    settings: dict            # part 1 (side A), on top of Settings()'s defaults
    part2: dict               # what part 2 (side B) changes; empty: one part only
    sides: tuple              # what each side is, in a few words ("sigmoid", "ReLU")
    caption: tuple            # two lines: what the picture shows
    speed: str                # the speed button lit while the experiment runs...
    epochs_per_second: int    # ...and its own pace, whatever the speeds' paces are
    placed: tuple = ()        # hand-placed training points (x1, x2, label)
    watch_network: bool = False   # the captions point at the network card (diagram, meter)
    start_output: tuple = ()  # (W, b) the output layer starts from on both sides
    watch_test: bool = False  # the compare chart draws each side's test loss, not its train loss

    @property
    def parts(self):
        return 2 if self.part2 else 1

    @property
    def epochs(self):
        """The epochs trained in SECONDS at the experiment's pace: its claim shows by then."""
        return SECONDS * self.epochs_per_second

    def settings_for(self, part=1, seed=None):
        """The Settings of ``part`` (1 or 2); ``seed`` overrides the experiment's seed."""
        if part not in range(1, self.parts + 1):
            raise ValueError(f"experiment {self.name!r} has part 1" +
                             (" and part 2" if self.parts == 2 else " only"))
        s = Settings(**{**self.settings, **(self.part2 if part == 2 else {})})
        return (s if seed is None else replace(s, seed=seed)).checked()

    def _session(self, part, seed):
        """A fresh Session for ``part``: hand-placed points become the training set, with
        the dataset's own points kept as test points to show what was missed; a set start
        of the output layer replaces its random weights."""
        session = Session(self.settings_for(part, seed))
        if self.start_output:
            W, b = session.net.params[-1]
            W[:], b[:] = self.start_output
            session.weights_changed()
        if self.placed:
            s = session.settings
            X, y = s.make_points()
            placed = np.array(self.placed, dtype=float)
            session.set_points(np.r_[placed[:, :2], X], np.r_[placed[:, 2].astype(int), y],
                               np.r_[np.zeros(len(placed), bool), np.ones(len(y), bool)])
        return session

    def sessions(self, seed=None):
        """Fresh sessions of every part, as the app opens them: B starts from A's initial
        weights wherever their layers have the same shape."""
        sides = [self._session(part, seed) for part in range(1, self.parts + 1)]
        if len(sides) == 2:
            start_together(*sides)
        return sides

    def session(self, part=1, seed=None):
        """The fresh session of ``part`` (side A or B), exactly as the app starts it."""
        self.settings_for(part, seed)          # a part that does not exist: ValueError
        return self.sessions(seed)[part - 1]


EXPERIMENTS = (
    Experiment(
        "xor-upgrade", "experiment.xor.title", "experiment.xor.label",
        {"dataset": "xor", "noise": 0.0, "points": 200, "hidden": (), "activation": "relu",
         "optimizer": "sgd", "eta": 0.1, "batch": 10},
        {"hidden": (4,)},
        ("experiment.xor.side_a", "experiment.xor.side_b"),
        ("experiment.xor.caption_1", "experiment.xor.caption_2"),
        "normal", 10),
    Experiment(
        "vanishing-gradients", "experiment.vanishing.title", "experiment.vanishing.label",
        {"dataset": "circle", "noise": 0.1, "points": 200, "hidden": (8, 8, 8, 8, 8),
         "activation": "sigmoid", "optimizer": "sgd", "eta": 0.03, "batch": 16},
        {"activation": "relu"},
        ("experiment.vanishing.side_a", "experiment.vanishing.side_b"),
        ("experiment.vanishing.caption_1", "experiment.vanishing.caption_2"),
        "normal", 30, watch_network=True),
    Experiment(
        "high-lr", "experiment.high_lr.title", "experiment.high_lr.label",
        {"dataset": "moons", "noise": 0.3, "points": 1000, "hidden": (), "activation": "tanh",
         "eta": 3.0, "batch": 0, "optimizer": "sgd"},
        {"eta": 1.5},
        ("experiment.high_lr.side_a", "experiment.high_lr.side_b"),
        ("experiment.high_lr.caption_1", "experiment.high_lr.caption_2"),
        "normal", 10),
    Experiment(
        "capacity", "experiment.capacity.title", "experiment.capacity.label",
        {"dataset": "circle", "noise": 0.0, "points": 300, "hidden": (16, 16, 16),
         "activation": "relu", "optimizer": "adam", "eta": 0.01, "batch": 0},
        {},
        ("",),
        ("experiment.capacity.caption_1", "experiment.capacity.caption_2"),
        "normal", 15,
        placed=((0.8, 1.2, 0), (-1.4, 0.2, 0), (0.3, -1.5, 0), (1.6, -0.4, 0),
                (4.2, 1.6, 1), (-3.6, 3.1, 1), (-4.3, -1.9, 1), (2.4, -4.1, 1))),
    Experiment(
        "batch-size", "experiment.batch.title", "experiment.batch.label",
        {"dataset": "circle", "noise": 0.5, "points": 200, "hidden": (8, 8), "activation": "relu",
         "eta": 0.01, "batch": 1, "optimizer": "sgd"},
        {"batch": 64},
        ("experiment.batch.side_a", "experiment.batch.side_b"),
        ("experiment.batch.caption_1", "experiment.batch.caption_2"),
        "slow", 10),
    Experiment(
        "depth", "experiment.depth.title", "experiment.depth.label",
        {"dataset": "spiral", "noise": 0.0, "points": 200, "hidden": (22,), "activation": "tanh",
         "optimizer": "adam", "eta": 0.01, "batch": 16},
        {"hidden": (8, 8)},
        ("experiment.depth.side_a", "experiment.depth.side_b"),
        ("experiment.depth.caption_1", "experiment.depth.caption_2"),
        "fast", 70),
)

#: Which loss fits a softmax: squared error's gradient vanishes on a confidently wrong point.
LOSS_CHOICE = Experiment(
    "loss-choice", "experiment.loss_choice.title", "experiment.loss_choice.label",
    {"dataset": "gaussian", "noise": 0.0, "points": 200, "hidden": (), "optimizer": "sgd",
     "eta": 0.1, "batch": 10, "loss": "cross-entropy"},
    {"loss": "squared"},
    ("experiment.loss_choice.side_a", "experiment.loss_choice.side_b"),
    ("experiment.loss_choice.caption_1", "experiment.loss_choice.caption_2"),
    "slow", 4,
    # z = W x: class 1 for the blob at (2, 2), which is class 0, with y_hat = 1 - e^-8
    start_output=(((-1.0, -1.0), (1.0, 1.0)), (0.0, 0.0)))

#: Deep networks' watch-outs: an init that keeps a layer's neurons identical, a stack too
#: deep for its gradients, and a big net on few noisy points.
DEEP_EXPERIMENTS = (
    # Zero weights: every neuron of a layer gets the same delta, so the layer stays one neuron
    # repeated and the net a function of one projection w . x. Sigmoid, as its a = 1/2 at
    # z = 0 moves the weights (tanh's and ReLU's a = 0 would leave every weight at 0).
    Experiment(
        "bad-init", "experiment.bad_init.title", "experiment.bad_init.label",
        {"dataset": "xor", "noise": 0.0, "points": 200, "hidden": (8, 8), "activation": "sigmoid",
         "optimizer": "adam", "eta": 0.03, "batch": 10, "init": "zeros"},
        {"init": "he"},
        ("experiment.bad_init.side_a", "experiment.bad_init.side_b"),
        ("experiment.bad_init.caption_1", "experiment.bad_init.caption_2"),
        "slow", 5, watch_network=True),
    # Full batch: batch norm's batch is the whole training set, whose statistics B is
    # evaluated with. With residual links each sigmoid layer adds its a (about 1/2) to the
    # sum, so the last hidden layer's a is about 8 and random output weights would start B's
    # loss near 5 and swing it to 20 for seconds: both output layers start at 0 instead.
    Experiment(
        "too-many-layers", "experiment.too_deep.title", "experiment.too_deep.label",
        {"dataset": "circle", "noise": 0.0, "points": 200, "hidden": (8,) * 16,
         "activation": "sigmoid", "optimizer": "adam", "eta": 0.01, "batch": 0},
        {"batch_norm": True, "residual": True},
        ("experiment.too_deep.side_a", "experiment.too_deep.side_b"),
        ("experiment.too_deep.caption_1", "experiment.too_deep.caption_2"),
        "normal", 10, watch_network=True, start_output=(((0.0,) * 8,) * 2, (0.0, 0.0))),
    Experiment(
        "dropout", "experiment.dropout.title", "experiment.dropout.label",
        {"dataset": "circle", "noise": 0.35, "points": 100, "hidden": (64, 64),
         "activation": "relu", "optimizer": "adam", "eta": 0.01, "batch": 0},
        {"dropout": 0.5},
        ("experiment.dropout.side_a", "experiment.dropout.side_b"),
        ("experiment.dropout.caption_1", "experiment.dropout.caption_2"),
        "normal", 10, watch_test=True),
)
#: Every experiment, in the order of the app's "Try this" list and keys
ALL_EXPERIMENTS = EXPERIMENTS + (LOSS_CHOICE,) + DEEP_EXPERIMENTS
