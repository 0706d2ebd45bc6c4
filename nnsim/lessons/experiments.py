"""The six "Try this" experiments, as data: settings, captions, and how long each takes.

Each claim was checked for seeds 0-9 (see tests/test_experiments.py); the captions name the
settings, so a teacher can rebuild an experiment by hand.
"""
from dataclasses import dataclass, replace

import numpy as np

from ..core import Session, Settings, make_dataset


@dataclass(frozen=True)
class Experiment:
    name: str                 # for `nnsim train --experiment NAME`
    title: str
    label: str                # on the panel's "Try this" button, after its number
    settings: dict            # part 1, on top of Settings()'s defaults
    part2: dict               # what part 2 changes (empty: one part only)
    captions: tuple           # per part: two lines
    speed: str                # training speed in the app
    epochs: int               # epochs over which the claim shows
    placed: tuple = ()        # hand-placed training points (x1, x2, label)
    watch_network: bool = False   # the captions point at the network card (diagram, meter)

    @property
    def parts(self):
        return 2 if self.part2 else 1

    def settings_for(self, part=1, seed=None):
        """The Settings of ``part`` (1 or 2); ``seed`` overrides the experiment's seed."""
        if part not in range(1, self.parts + 1):
            raise ValueError(f"experiment {self.name!r} has part 1" +
                             (" and part 2" if self.parts == 2 else " only"))
        s = Settings(**{**self.settings, **(self.part2 if part == 2 else {})})
        return (s if seed is None else replace(s, seed=seed)).checked()

    def session(self, part=1, seed=None):
        """A fresh Session set up for ``part``: hand-placed points become the training set,
        with the dataset's own points kept as test points to show what was missed."""
        session = Session(self.settings_for(part, seed))
        if self.placed:
            s = session.settings
            X, y = make_dataset(s.dataset, s.points, s.noise, s.seed)
            placed = np.array(self.placed, dtype=float)
            session.set_points(np.r_[placed[:, :2], X], np.r_[placed[:, 2].astype(int), y],
                               np.r_[np.zeros(len(placed), bool), np.ones(len(y), bool)])
        return session


EXPERIMENTS = (
    Experiment(
        "xor-upgrade", "The XOR upgrade", "XOR",
        dict(dataset="xor", noise=0.0, points=200, hidden=(), activation="relu", optimizer="sgd",
             eta=0.1, batch=10),
        dict(hidden=(4,)),
        (("XOR, no hidden layer (inputs straight to the softmax, so no activation), SGD, η = 0.1, batch 10.",
          "The loss stays near 0.69: no straight line splits XOR. Enter: add a hidden layer of 4."),
         ("One hidden layer of 4 ReLU neurons, same training: the loss falls to near zero.",
          "The hidden layer bends the boundary around the quadrants: the multi-layer unlock.")),
        "normal", 200),
    Experiment(
        "vanishing-gradients", "Vanishing gradients", "Vanish",
        dict(dataset="spiral", noise=0.1, points=400, hidden=(8, 8, 8, 8), activation="sigmoid",
             optimizer="sgd", eta=0.03, batch=16),
        dict(activation="relu"),
        (("Spiral, 4 hidden layers × 8 sigmoid, SGD, η = 0.03, batch 16: the loss barely moves.",
          "The gradient meter shows the first layers getting ~100× less. Enter: switch to ReLU."),
         ("The same network with ReLU: the gradient reaches every layer and the loss drops fast.",
          "Saturating activations starve deep layers; this is why ReLU took over.")),
        "fast", 300, watch_network=True),
    Experiment(
        "high-lr", "η too high", "η high",
        dict(dataset="circle", noise=0.2, points=200, hidden=(8,), activation="tanh", eta=0.4,
             batch=32, optimizer="sgd"),
        dict(eta=0.2),
        (("Circle, 1 hidden layer × 8 tanh, SGD, batch 32, η = 0.4: the loss keeps jumping",
          "and the boundary thrashes: each step overshoots. Enter: halve η to 0.2."),
         ("η = 0.2, everything else the same: the loss curve smooths out and settles.",
          "Too big a step overshoots the valley; a smaller one walks down into it.")),
        "normal", 150),
    Experiment(
        "capacity", "Capacity vs data", "8 points",
        dict(dataset="circle", noise=0.0, points=300, hidden=(16, 16, 16), activation="relu",
             optimizer="adam", eta=0.01, batch=0),
        {},
        (("8 hand-placed points, 3 hidden layers × 16 ReLU, Adam, η = 0.01, full batch:",
          "training accuracy reaches 100%. Press V: the circle's test points show the overfit."),),
        "normal", 400,
        placed=((0.8, 1.2, 0), (-1.4, 0.2, 0), (0.3, -1.5, 0), (1.6, -0.4, 0),
                (4.2, 1.6, 1), (-3.6, 3.1, 1), (-4.3, -1.9, 1), (2.4, -4.1, 1))),
    Experiment(
        "batch-size", "Batch size: 1 vs 64", "Batch",
        dict(dataset="circle", noise=0.1, points=400, hidden=(8, 8), activation="relu", eta=0.01,
             batch=1, optimizer="sgd"),
        dict(batch=64),
        (("Circle, 2 × 8 ReLU, SGD, η = 0.01, batch 1: 200 small updates per epoch, a jagged",
          "loss curve and a jittery boundary. Enter: batch 64."),
         ("Batch 64: 4 updates per epoch, each averaged over 64 points: a smooth curve,",
          "but less progress per epoch. Mini-batches trade noise for speed.")),
        "normal", 100),
    Experiment(
        "depth", "Spirals need depth", "Depth",
        dict(dataset="spiral", noise=0.0, points=400, hidden=(4,), activation="tanh",
             optimizer="adam", eta=0.03, batch=16),
        dict(hidden=(8, 8)),
        (("Spiral, 1 hidden layer × 4 tanh, Adam, η = 0.03, batch 16: the boundary barely bends",
          "and accuracy stalls near 70%. Enter: 2 hidden layers × 8."),
         ("2 × 8 tanh, same training: the boundary curls along the arms, accuracy passes 90%.",
          "That curl is what depth buys.")),
        "fast", 600),
)

BY_NAME = {e.name: e for e in EXPERIMENTS}
