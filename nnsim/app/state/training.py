"""The training schedule, the sides on screen, and what the screen shows of their training.

``Trainer`` holds the sides (one ``Side`` record per network on screen: one, or A and B in
compare mode), decides how many epochs each frame trains (paced speeds follow the clock, Max
trains on the other core chunk after chunk), and takes in finished chunks as each side's
``Snapshot``, which the views draw: views never touch a training network. ``paused()`` is
the only way to change a session while training may run.
"""
import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ...core.config import EPOCHS_PER_SECOND
from .worker import Chunk, TrainingWorker

FRAME_S = 1 / 60
TRAIN_MARGIN_S = 0.0025   # a paced frame's training ends this long before the frame does
DEAD_CHECK_S = 0.5        # how often a ReLU network is checked for dead layers
RATE_S = 0.5              # the epochs/s readout averages over this long
VANISHING = 100           # a layer's gradient this many times below the output layer's


def vanishing(norms):
    """Per weight layer: is its gradient vanishing, VANISHING times smaller than the output
    layer's? Relative, so a converged network (every gradient small) is not flagged."""
    norms = np.asarray(norms, dtype=float)
    return norms * VANISHING < norms[-1] if len(norms) else np.zeros(0, bool)


def pace(ui):
    """Epochs per second at ``ui``'s speed: an experiment's own pace until another speed
    is chosen; None at Max."""
    if ui.speed == "max":
        return None
    return ui.pace or EPOCHS_PER_SECOND[ui.speed]


class Snapshot:
    """What the screen shows of one session's training: a copy of the weights with its
    version, the epoch it belongs to, the readouts, the gradient meter, dead ReLU layers."""

    def __init__(self, clock):
        self.clock = clock
        self.view_net = None          # what the views draw: a snapshot of the weights...
        self.view_version = None      # ...the session's weights_version it was taken at...
        self.shown_epoch = 0          # ...and the epoch it belongs to
        self.metrics = (math.nan,) * 4
        self._metrics_key = None
        self.grad_meter = np.zeros(0)
        self.dead = []                # hidden layers whose neurons all output 0 (ReLU)
        self._dead_checked = -math.inf
        self.epoch_s = 1e-3           # measured seconds per epoch (moving average)
        self._rate = (clock(), 0, 0.0)   # (time, epoch, epochs/s)

    def sync(self, session):
        """Take a new snapshot when the session's weights changed other than by a chunk
        already taken in (a reset, new settings, another session)."""
        if session.weights_version == self.view_version:
            return
        net = session.net
        if self.view_net is None or (self.view_net.sizes, self.view_net.arch) != \
                (net.sizes, net.arch):        # another architecture: batch norm, links...
            self.view_net = net.copy()
        else:
            self.view_net.theta[:] = net.theta
        self.view_version = session.weights_version
        self.shown_epoch = session.epoch
        self.dead = []
        if len(self.grad_meter) != len(net.sizes) - 1 or session.epoch == 0:
            self.grad_meter = np.zeros(len(net.sizes) - 1)

    def take(self, chunk):
        """A finished chunk: its timing, and the state at its end."""
        session = chunk.session
        self.shown_epoch = chunk.epoch
        if chunk.done:
            self.epoch_s = 0.8 * self.epoch_s + 0.2 * chunk.seconds / chunk.done
            self.metrics = tuple(session.history[chunk.epoch - 1])
            self._metrics_key = (chunk.weights_version, session.points_version, session.settings)
            self.grad_meter = chunk.grad_norms
        self.view_net.theta[:] = chunk.theta
        self.view_version = chunk.weights_version

    def refresh_metrics(self, session):
        """Readouts for the snapshot, if a change made them stale (a chunk brings its own);
        call with the worker idle."""
        key = (self.view_version, session.points_version, session.settings)
        if key != self._metrics_key:
            self.metrics = session.evaluate(self.view_net)
            self._metrics_key = key

    def check_dead(self, session):
        """Twice a second: has a whole ReLU layer died (η too high)? Then training is
        pointless until a reset; True if so."""
        now = self.clock()
        if session.settings.activation == "relu" and now - self._dead_checked >= DEAD_CHECK_S:
            self._dead_checked = now
            self.dead = self.view_net.dead_layers(session.F_train)
        return bool(self.dead)

    def epochs_per_second(self):
        now, epoch = self.clock(), self.shown_epoch
        last_t, last_epoch, rate = self._rate
        if now - last_t >= RATE_S:
            rate = max(epoch - last_epoch, 0) / (now - last_t)
            self._rate = (now, epoch, rate)
        return rate


SIDE_NAMES = ("A", "B")


@dataclass(eq=False)
class Side:
    """One place for a network on screen (compare mode shows two): the session shown
    there, the snapshot of its training that the views draw, and the views' own state of it
    (``view``: the boundary view with its heatmap, which the painter makes)."""
    name: str
    session: object
    snapshot: Snapshot
    view: object = None


class Trainer:
    """Trains the sides' sessions on the worker and keeps their snapshots up to date."""

    def __init__(self, clock):
        self.clock = clock
        self.worker = TrainingWorker(clock)
        self.sides = []
        self._epochs_due = 0.0        # paced speeds: fractional epochs carried over
        self._pauses = 0              # paused() blocks entered and not yet left

    # -- the sides ------------------------------------------------------------------------
    def show(self, sessions):
        """Put ``sessions`` on screen, as sides A (and B). A side stays where it is, with
        its snapshot (its measured pace, the gradient meter until the next chunk) and view;
        only its session changes."""
        with self.paused():
            del self.sides[len(sessions):]
            for side, session in zip(self.sides, sessions):
                side.session = session
            self.sides += [Side(name, session, Snapshot(self.clock)) for name, session
                           in zip(SIDE_NAMES[len(self.sides):], sessions[len(self.sides):])]

    @contextmanager
    def paused(self):
        """The only way to change a session while training may run: the worker's running
        chunk ends (and is taken in), none starts until the block is left, and then the
        snapshots follow what changed. Blocks may nest."""
        self._pauses += 1
        try:
            self.collect(join=True)
            yield
        finally:
            self._pauses -= 1
        if not self._pauses:
            self.sync()

    def sync(self):
        """Each snapshot up to date with changes other than training (the worker is idle)."""
        for side in self.sides:
            side.snapshot.sync(side.session)

    def _take(self, chunk):
        for side in self.sides:
            if side.session is chunk.session:
                side.snapshot.take(chunk)

    def collect(self, join=False):
        """Take in the chunks finished meanwhile (``join``: first let the running one end)."""
        for chunk in (self.worker.join() if join else self.worker.poll()):
            self._take(chunk)

    def refresh_metrics(self):
        if not self.worker.busy:
            for side in self.sides:
                side.snapshot.refresh_metrics(side.session)

    def stuck(self):
        """Every side diverged or has a dead layer: training is pointless until a reset."""
        return all([side.session.net.diverged or side.snapshot.check_dead(side.session)
                    for side in self.sides])

    # -- training -------------------------------------------------------------------------
    @staticmethod
    def can_train(session):
        """Whether training ``session`` would do anything: not diverged, not stopped by a
        stop condition, with training points."""
        return not session.net.diverged and not session.stopped and len(session.y_train) > 0

    def trainable(self):
        """Some side could train now."""
        return any(self.can_train(side.session) for side in self.sides)

    def train_now(self, epochs):
        """Train each side ``epochs`` epochs now, on this thread (Step)."""
        with self.paused():
            self.sync()                  # changes made by earlier events of this frame
            for side in self.sides:
                if self.can_train(side.session):
                    start = self.clock()
                    done = side.session.train(epochs)
                    side.snapshot.take(Chunk.at_end(side.session, done, self.clock() - start))

    def restart_pacing(self):
        self._epochs_due = 0.0

    def _epochs_this_frame(self, rate, dt):
        """Paced speeds: the epochs due at ``rate`` per second; Max (``rate`` None): as many
        as one frame holds for every side (training runs beside the drawing, on the other
        core). Never more than a frame."""
        epoch_s = sum(side.snapshot.epoch_s for side in self.sides) or 1e-3
        fits = max(1, int((FRAME_S - TRAIN_MARGIN_S) / epoch_s))
        if rate is None:
            return fits
        self._epochs_due += rate * min(dt, 0.1)
        epochs = min(int(self._epochs_due), fits)
        self._epochs_due -= int(self._epochs_due)
        return epochs

    def schedule(self, ui, dt):
        """Keep the worker training the trainable sides while ``ui`` plays (a stop pauses
        it at once, whatever the speed); ``dt`` is the duration of the last frame."""
        if not ui.playing:
            if self.worker.busy:
                self.collect(join=True)
            return
        if self.worker.busy:
            return                     # at Max the worker goes on from chunk to chunk
        sessions = [side.session for side in self.sides
                    if self.can_train(side.session) and not side.snapshot.dead]
        epochs = self._epochs_this_frame(pace(ui), dt)
        if epochs and sessions:
            self.worker.start(sessions, epochs, repeat=ui.speed == "max",
                              chunk_s=FRAME_S - TRAIN_MARGIN_S)

    def close(self):
        """Stop the worker thread."""
        self.worker.close()
