"""A training session: settings, the points, the network and its loss history.

This is what the app and ``nnsim train`` drive; it never draws.
"""
import itertools
import math
from dataclasses import dataclass, fields, replace

import numpy as np

from .config import (CHECKER_SIZE, DATASET_TABLE, ETA_RANGE, INIT_TABLE, LOSS_TABLE, MAX_BATCH,
                     MAX_EPOCHS, MAX_POINTS, MAX_SEED, NOISE_RANGE, OPTIMIZER_TABLE, SCHEDULE_TABLE,
                     STOP_LOSS_MAX, choose)
from .datasets import N_CLASSES, check_checker_size, dataset_formula, make_dataset, test_mask
from .formula import parse
from .features import check_extra_features, check_features, feature_matrix_t
from .history import History
from .metrics import report
from .schedule import eta_at, steady_epochs
from .network import Network, architecture, check_sizes, compact, residual_fits

#: epochs per kernel call at most, so their rows, waiting to go into the history, take 2 MB
CHUNK = 2 ** 16


@dataclass(frozen=True)
class Settings:
    """Everything that defines a run. ``batch`` 0 means full batch; ``eta`` is the learning
    rate; ``seed`` seeds the data, the initial weights and the shuffling. The dataset sets
    the ``problem``: classification or regression. ``checker_size`` is the checkerboard's
    square side; ``formula`` the formula a formula dataset draws by ("": its own), kept
    whatever the dataset so that switching back finds it. ``activation``, ``batch_norm``,
    ``dropout`` and ``residual`` are one value for every hidden layer or a tuple of one per
    layer (``network.architecture``; a single ``residual`` true links every layer whose
    width matches the hidden layer before); ``init`` is the weight initialization (config.Init)."""
    dataset: str = "spiral"
    points: int = 500
    noise: float = 0.1
    checker_size: float = CHECKER_SIZE
    formula: str = ""
    test_ratio: float = 0.5
    seed: int = 0
    hidden: tuple = (8, 8)
    activation: str = "tanh"       # or a tuple of names, one per hidden layer
    batch_norm: bool = False       # or a tuple of one per hidden layer (so for the next two)
    dropout: float = 0.0
    residual: bool = False
    init: str = "auto"
    features: tuple = ("x1", "x2")
    extra_features: tuple = ()     # formulas, input columns after the fixed ``features``
    eta: float = 0.01
    batch: int = 32
    optimizer: str = "adam"      # the spiral at η = 0.01 in seconds, not minutes (see test_defaults)
    l1: float = 0.0
    l2: float = 0.0
    loss: str = "cross-entropy"    # a classifier's: cross-entropy or squared (on the softmax)
    schedule: str = "constant"     # of eta: constant, step or cosine (core.schedule)...
    warmup: int = 0                # ...after a linear warm-up of this many epochs...
    schedule_epochs: int = 100     # ...with this period T
    stop_epochs: int = 0           # stop training at this epoch (0: never)
    stop_loss: float = 0.0         # stop once the training loss is below this (0: never)
    early_stop: int = 0            # stop when the test loss has not improved for this many
                                   # epochs and go back to the best weights (0: never)

    @property
    def n_classes(self):
        return N_CLASSES[self.dataset]

    @property
    def problem(self):
        """"classification" or "regression": the kind of the dataset."""
        return choose(self.dataset, DATASET_TABLE, "dataset").kind

    @property
    def regression(self):
        return self.problem == "regression"

    @property
    def inputs(self):
        """The network's input columns: (the fixed features' names, the extra formulas)."""
        return self.features, self.extra_features

    @property
    def sizes(self):
        return (len(self.features) + len(self.extra_features), *self.hidden, self.n_classes)

    def make_points(self):
        """New points (X, y) of these settings' dataset."""
        return make_dataset(self.dataset, self.points, self.noise, self.seed,
                            self.checker_size, self.formula)

    def checked(self):
        """A normalized copy, or ValueError with one line saying what is wrong."""
        choose(self.dataset, DATASET_TABLE, "dataset")
        formula = parse(self.formula).text if self.formula else ""
        dataset_formula(self.dataset, formula)
        checker_size = check_checker_size(self.checker_size)
        choose(self.optimizer, OPTIMIZER_TABLE, "optimizer")
        choose(self.init, INIT_TABLE, "init")
        extra_features = check_extra_features(self.extra_features)
        features = check_features(self.features, at_least_one=not extra_features)
        hidden = tuple(int(h) for h in self.hidden)
        sizes = check_sizes((len(features) + len(extra_features), *hidden, self.n_classes))
        arch = architecture(sizes, self.activation, self.batch_norm, self.dropout, self.residual)
        residual = bool(self.residual)      # every layer that can have a link, or none...
        if isinstance(self.residual, (tuple, list)):      # ...unless some layers only
            residual = arch.res if any(arch.res) and arch.res != residual_fits(sizes) \
                else any(arch.res)
        if not 1 <= self.points <= MAX_POINTS:
            raise ValueError(f"points must be 1 to {MAX_POINTS}, not {self.points}")
        if not NOISE_RANGE[0] <= self.noise <= NOISE_RANGE[1]:
            raise ValueError(f"noise must be {NOISE_RANGE[0]} to {NOISE_RANGE[1]}, not {self.noise}")
        if not 0.0 <= self.test_ratio < 1.0:
            raise ValueError(f"test ratio must be at least 0 and below 1, not {self.test_ratio}")
        if not ETA_RANGE[0] <= self.eta <= ETA_RANGE[1]:
            raise ValueError(f"learning rate must be {ETA_RANGE[0]:g} to {ETA_RANGE[1]:g}, not {self.eta}")
        if not 0 <= self.batch <= MAX_BATCH:
            raise ValueError(f"batch size must be 1 to {MAX_BATCH} (0 for full), not {self.batch}")
        for name in ("l1", "l2"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} rate must be 0 to 1, not {getattr(self, name)}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be 0 to {MAX_SEED}, not {self.seed}")
        choose(self.loss, LOSS_TABLE, "loss")
        choose(self.schedule, SCHEDULE_TABLE, "schedule")
        for name, least in (("warmup", 0), ("schedule_epochs", 1), ("stop_epochs", 0),
                            ("early_stop", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                    or not least <= value <= MAX_EPOCHS:
                raise ValueError(f"{name} must be a whole number of epochs from {least} to "
                                 f"{MAX_EPOCHS}, not {value!r}")
        if not 0.0 <= self.stop_loss <= STOP_LOSS_MAX:
            raise ValueError(f"stop_loss must be 0 (never) to {STOP_LOSS_MAX:g}, not {self.stop_loss}")
        if self.early_stop and not self.test_ratio:
            raise ValueError("early stopping watches the test loss: it needs a test ratio above 0")
        return replace(self, features=features, extra_features=extra_features, hidden=hidden,
                       formula=formula, checker_size=checker_size,
                       activation=compact(self.activation, arch.act),
                       batch_norm=compact(self.batch_norm, arch.bn),
                       dropout=compact(self.dropout, arch.drop), residual=residual)


#: Versions of every session's points, weights and history come from one counter, so a
#: version is never reused, not even by another session: a view that caches what it drew
#: under a version can trust it (an address or an ``id`` can be reused after a free).
_versions = itertools.count(1)


#: Settings whose change needs a fresh network (new random weights).
NETWORK_FIELDS = frozenset({"hidden", "activation", "batch_norm", "dropout", "residual", "init",
                            "features", "extra_features", "dataset"})
#: Settings whose change needs new points.
DATA_FIELDS = frozenset({"dataset", "points", "noise", "checker_size", "formula", "test_ratio",
                         "seed"})
#: Settings that say when training stops: changing one lets a stopped run go on.
STOP_FIELDS = frozenset({"stop_epochs", "stop_loss", "early_stop"})
assert NETWORK_FIELDS | DATA_FIELDS | STOP_FIELDS <= {f.name for f in fields(Settings)}


class Session:
    """Points (each a train or a test point), a network, and ``history``: per epoch (train
    loss, train accuracy, test loss, test accuracy), a ``History``; for regression the
    accuracies are mean absolute errors.

    Training stops by itself when a stop condition of the settings is met: ``stopped`` is
    then "epochs", "loss" or "early" (None while it may go on). Early stopping keeps
    ``best``, the (epoch, test loss) of the lowest test loss so far, with ``best_state``, the
    network's training state then, and on stopping goes back to it (the history keeps every
    epoch).

    ``points_version``, ``weights_version`` and ``history_version`` change whenever the
    points, the network's weights (training included) or the start of the history do; they
    only ever grow, across all sessions, so views key their caches on them.
    """

    def __init__(self, settings=Settings()):
        self.settings = settings.checked()
        self.resets = 0
        self.lesson = None            # a core.lesson.Lesson when opened from a lesson file
        self.points_version = self.weights_version = self.history_version = 0
        self.regenerate()
        self.new_network()

    # -- settings -------------------------------------------------------------------------
    def update(self, **changes):
        """Change settings; regenerates data and/or rebuilds the network only when needed
        (eta, batch, optimizer, regularization, loss, schedule and stops keep the weights)."""
        new = replace(self.settings, **changes).checked()
        changed = {f.name for f in fields(Settings)
                   if getattr(new, f.name) != getattr(self.settings, f.name)}
        self.settings = new
        if changed & STOP_FIELDS:
            self.stopped = None
        if changed & DATA_FIELDS:
            self.regenerate()
        if changed & NETWORK_FIELDS:
            self.new_network()
        else:
            if "optimizer" in changed:
                self.net.reset_optimizer()
            self.net.optimizer = new.optimizer
            self.net.l1, self.net.l2 = new.l1, new.l2
            self.net.loss = new.loss
        return changed

    # -- points ---------------------------------------------------------------------------
    def regenerate(self, seed=None):
        """New points from the dataset generator (``seed`` replaces the settings' seed)."""
        if seed is not None:
            self.settings = replace(self.settings, seed=seed).checked()
        s = self.settings
        X, y = s.make_points()
        self.set_points(X, y, test_mask(len(y), s.test_ratio, s.seed))

    def set_points(self, X, y, test):
        """Replace all points; the network is kept (training goes on with the new data)."""
        self.X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        self.y = np.asarray(y, dtype=np.float64 if self.settings.regression else np.int64)
        self.test = np.asarray(test, dtype=bool)
        self._points_changed()

    def add_point(self, x1, x2, label):
        """Add a training point with a class ``label`` (for regression a target value in
        [-1, 1]); returns False (and adds nothing) at the point limit or for a label that
        does not fit."""
        fits = (-1.0 <= label <= 1.0 if self.settings.regression
                else 0 <= label < self.settings.n_classes)
        if len(self.y) >= MAX_POINTS or not fits:
            return False
        self.set_points(np.r_[self.X, [[x1, x2]]], np.r_[self.y, label], np.r_[self.test, False])
        return True

    def remove_nearest(self, x1, x2, within=np.inf):
        """Remove the point nearest to (x1, x2) if it lies within ``within``; True if removed."""
        if not len(self.y):
            return False
        d = np.hypot(self.X[:, 0] - x1, self.X[:, 1] - x2)
        k = int(np.argmin(d))
        if d[k] > within:
            return False
        keep = np.arange(len(self.y)) != k
        self.set_points(self.X[keep], self.y[keep], self.test[keep])
        return True

    def clear_points(self):
        self.set_points(np.empty((0, 2)), np.empty(0), np.empty(0, dtype=bool))

    def _points_changed(self):
        self.points_version = next(_versions)
        features = feature_matrix_t(self.X, self.settings.features, self.settings.extra_features).T
        self.F_train, self.y_train = features[~self.test], self.y[~self.test]
        self.F_test, self.y_test = features[self.test], self.y[self.test]

    # -- network --------------------------------------------------------------------------
    def new_network(self):
        """A fresh network for the current architecture; the history starts over."""
        s = self.settings
        self.resets = 0
        self.net = Network(s.sizes, s.activation, s.seed, s.optimizer, s.l1, s.l2, s.loss,
                           s.batch_norm, s.dropout, s.residual, s.init)
        self._points_changed()           # the features may have changed
        self.weights_changed()
        self._start_history(History())

    def reset(self):
        """New random weights (a new seed derived from the settings' seed), same data."""
        self.resets += 1
        self.net.reset([self.settings.seed, self.resets])
        self.weights_changed()
        self._start_history(History())

    def weights_changed(self):
        """Note that the network's weights changed (training, a reset, loaded weights)."""
        self.weights_version = next(_versions)

    def _start_history(self, history):
        self.history = history
        self.epoch = len(history)
        self.history_version = next(_versions)
        self.stopped = None
        self.best, self.best_state = None, None

    def set_history(self, history):
        """Replace the loss history (a ``History``), e.g. with a saved run's."""
        self._start_history(history)

    @property
    def eta(self):
        """The learning rate of the next epoch, as the schedule has it."""
        return eta_at(self.settings, self.epoch)

    def train(self, epochs=1):
        """Train ``epochs`` epochs (fewer if the run diverges or stops, or there are no
        training points); returns how many ran. ``history`` then takes in their (train loss,
        train accuracy, test loss, test accuracy) rows; ``net.grad_norms`` averages the last
        kernel call's epochs. The kernels train a piece of epochs at one eta per call: as
        long as the schedule keeps eta, at most CHUNK, and one epoch at a time while a stop
        condition watches the losses."""
        s, done, start = self.settings, 0, self.history
        rows = np.empty((min(epochs, CHUNK), 4))
        history = start
        while not self._stop_at(len(history)) and done < epochs:
            epoch = len(history)
            n = int(min(epochs - done, CHUNK, steady_epochs(s, epoch), self._unwatched(epoch)))
            ran = self.net.train_epochs(self.F_train, self.y_train, eta_at(s, epoch), s.batch, n,
                                        self.F_test, self.y_test, rows[:n])
            history = history.extended(rows[:ran])
            done += ran
            if ran < n:
                break
            self._watch(len(history), rows[ran - 1])
        self.history = history.after(start) if done else start
        self.epoch = len(self.history)
        if done or self.net.diverged:
            self.weights_changed()
        return done

    def _unwatched(self, epoch):
        """Epochs from ``epoch`` that may train before a stop condition must look."""
        s = self.settings
        if s.stop_loss or s.early_stop:
            return 1
        return s.stop_epochs - epoch if s.stop_epochs else math.inf

    def _stop_at(self, epochs):
        """Whether training stops after ``epochs`` epochs (noting why)."""
        if self.stopped is None and self.settings.stop_epochs and epochs >= self.settings.stop_epochs:
            self.stopped = "epochs"
        return self.stopped is not None

    def _watch(self, epochs, row):
        """The stop conditions that look at the losses, after ``epochs`` epochs whose last
        (train loss, train accuracy, test loss, test accuracy) is ``row``."""
        s = self.settings
        loss, test_loss = row[0], row[2]
        if s.early_stop:
            if self.best is None or test_loss < self.best[1]:
                self.best, self.best_state = (epochs, float(test_loss)), self.net.state()
            elif epochs - self.best[0] >= s.early_stop:
                self.net.load_state(self.best_state)
                self.stopped = "early"
        if self.stopped is None and s.stop_loss and loss < s.stop_loss:
            self.stopped = "loss"

    def metrics(self, net=None):
        """The metrics (``core.metrics.report``) of the network (or of ``net``, e.g. a
        snapshot of it) on the training points, and on the test points under the same names
        prefixed "test_"."""
        net = net or self.net
        return {**report(net, self.F_train, self.y_train),
                **{f"test_{k}": v for k, v in report(net, self.F_test, self.y_test).items()}}

    def evaluate(self, net=None):
        """(train loss, train accuracy, test loss, test accuracy) of the network's weights
        (or of ``net``, e.g. a snapshot of them)."""
        net = net or self.net
        return (*net.evaluate(self.F_train, self.y_train), *net.evaluate(self.F_test, self.y_test))
