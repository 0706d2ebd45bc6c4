"""The training schedule and what the screen shows of it.

``Trainer`` decides how many epochs each frame trains (paced speeds follow the clock, Max
trains on the other core chunk after chunk), takes in finished chunks, and keeps, per side
(one session, or two in compare mode), the ``Snapshot`` the views draw. Views never touch a
training network.
"""
import math

import numpy as np

from ...core.config import EPOCHS_PER_SECOND
from .worker import TrainingWorker

FRAME_S = 1 / 60
TRAIN_MARGIN_S = 0.0025   # a paced frame's training ends this long before the frame does
DEAD_CHECK_S = 0.5        # how often a ReLU network is checked for dead layers
RATE_S = 0.5              # the epochs/s readout averages over this long


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
        if self.view_net is None or (self.view_net.sizes, self.view_net.activation) != \
                (net.sizes, net.activation):
            self.view_net = net.copy()
        else:
            self.view_net.theta[:] = net.theta
        self.view_version = session.weights_version
        self.shown_epoch = session.epoch
        self.dead = []
        if len(self.grad_meter) != len(net.sizes) - 1 or session.epoch == 0:
            self.grad_meter = np.zeros(len(net.sizes) - 1)

    def take(self, session, chunk):
        """A finished chunk: its timing, and the state at its end."""
        _, done, seconds, epoch, version, theta, grad_norms = chunk
        self.shown_epoch = epoch
        if done:
            self.epoch_s = 0.8 * self.epoch_s + 0.2 * seconds / done
            self.metrics = tuple(session.history[epoch - 1])
            self._metrics_key = (version, session.points_version, session.settings)
            self.grad_meter = grad_norms.copy()
        self.view_net.theta[:] = theta
        self.view_version = version

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


class Trainer:
    """Trains the sessions of the sides on the worker; ``sides[i]`` is the Snapshot of
    the i-th session passed to ``sync``."""

    def __init__(self, clock):
        self.clock = clock
        self.worker = TrainingWorker(clock)
        self.sides = []
        self._epochs_due = 0.0        # paced speeds: fractional epochs carried over

    # -- what the screen shows ------------------------------------------------------------
    def sync(self, sessions):
        """One snapshot per session, each up to date with changes other than training;
        call with the worker idle."""
        self.sides[len(sessions):] = []
        self.sides += [Snapshot(self.clock) for _ in range(len(sessions) - len(self.sides))]
        for side, session in zip(self.sides, sessions):
            side.sync(session)

    def _take(self, sessions, chunk):
        for side, session in zip(self.sides, sessions):
            if session is chunk[0]:
                side.take(session, chunk)

    def collect(self, sessions, join=False):
        """Take in the chunks finished meanwhile (``join``: first let the running one end)."""
        for chunk in (self.worker.join() if join else self.worker.poll()):
            self._take(sessions, chunk)

    def refresh_metrics(self, sessions):
        if not self.worker.busy:
            for side, session in zip(self.sides, sessions):
                side.refresh_metrics(session)

    def stuck(self, sessions):
        """Every side diverged or has a dead layer: training is pointless until a reset."""
        return all([s.net.diverged or side.check_dead(s) for side, s in zip(self.sides, sessions)])

    # -- training -------------------------------------------------------------------------
    @staticmethod
    def can_train(session):
        return not session.net.diverged and len(session.y_train) > 0

    def train_now(self, sessions, epochs):
        """Train each session ``epochs`` epochs now, on this thread (Step)."""
        self.collect(sessions, join=True)
        self.sync(sessions)              # changes made by earlier events of this frame
        for session in sessions:
            if self.can_train(session):
                start = self.clock()
                done = session.train(epochs)
                net = session.net
                self._take(sessions, (session, done, self.clock() - start, session.epoch,
                                      session.weights_version, net.theta, net.grad_norms))

    def restart_pacing(self):
        self._epochs_due = 0.0

    def _epochs_this_frame(self, rate, dt):
        """Paced speeds: the epochs due at ``rate`` per second; Max (``rate`` None): as many
        as one frame holds for every side (training runs beside the drawing, on the other
        core). Never more than a frame."""
        epoch_s = sum(side.epoch_s for side in self.sides) or 1e-3
        fits = max(1, int((FRAME_S - TRAIN_MARGIN_S) / epoch_s))
        if rate is None:
            return fits
        self._epochs_due += rate * min(dt, 0.1)
        epochs = min(int(self._epochs_due), fits)
        self._epochs_due -= int(self._epochs_due)
        return epochs

    def schedule(self, sessions, ui, dt):
        """Keep the worker training the trainable ``sessions`` while ``ui`` plays (a stop
        pauses it at once, whatever the speed); ``dt`` is the duration of the last frame."""
        if not ui.playing:
            if self.worker.busy:
                self.collect(sessions, join=True)
            return
        if self.worker.busy:
            return                     # at Max the worker goes on from chunk to chunk
        sessions = [s for side, s in zip(self.sides, sessions) if self.can_train(s) and not side.dead]
        epochs = self._epochs_this_frame(pace(ui), dt)
        if epochs and sessions:
            self.worker.start(sessions, epochs, repeat=ui.speed == "max",
                              chunk_s=FRAME_S - TRAIN_MARGIN_S)

    def close(self):
        """Stop the worker thread."""
        self.worker.close()
