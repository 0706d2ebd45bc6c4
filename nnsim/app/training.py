"""The training schedule and what the screen shows of it.

``Trainer`` decides how many epochs each frame trains (paced speeds follow the clock, Max
trains on the other core chunk after chunk), takes in finished chunks, and keeps the state
the views draw: a snapshot of the weights with its version, the epoch it belongs to, the
readouts, the gradient meter, and dead ReLU layers. Views never touch the training network.
"""
import math

import numpy as np

from ..core.config import EPOCHS_PER_SECOND
from .worker import TrainingWorker

FRAME_S = 1 / 60
TRAIN_MARGIN_S = 0.0025   # a paced frame's training ends this long before the frame does
DEAD_CHECK_S = 0.5        # how often a ReLU network is checked for dead layers
RATE_S = 0.5              # the epochs/s readout averages over this long


class Trainer:
    def __init__(self, clock):
        self.clock = clock
        self.worker = TrainingWorker(clock)
        self.view_net = None          # what the views draw: a snapshot of the weights...
        self.view_version = None      # ...the session's weights_version it was taken at...
        self.shown_epoch = 0          # ...and the epoch it belongs to
        self.metrics = (math.nan,) * 4
        self._metrics_key = None
        self.grad_meter = np.zeros(0)
        self.dead = []                # hidden layers whose neurons all output 0 (ReLU)
        self._dead_checked = -math.inf
        self._epochs_due = 0.0        # paced speeds: fractional epochs carried over
        self._epoch_s = 1e-3          # measured seconds per epoch (moving average)
        self._rate = (clock(), 0, 0.0)   # (time, epoch, epochs/s)

    # -- what the screen shows ------------------------------------------------------------
    def sync(self, session):
        """Take a new snapshot when the session's weights changed other than by a chunk
        already taken in (a reset, new settings, another session); call with the worker
        idle."""
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

    def _take(self, session, chunk):
        """A finished chunk: its timing, and the state at its end."""
        done, seconds, epoch, version, theta, grad_norms = chunk
        self.shown_epoch = epoch
        if done:
            self._epoch_s = 0.8 * self._epoch_s + 0.2 * seconds / done
            self.metrics = tuple(session.history[epoch - 1])
            self._metrics_key = (version, session.points_version, session.settings)
            self.grad_meter = grad_norms.copy()
        self.view_net.theta[:] = theta
        self.view_version = version

    def collect(self, session, join=False):
        """Take in the chunks finished meanwhile (``join``: first let the running one end)."""
        for chunk in (self.worker.join() if join else self.worker.poll()):
            self._take(session, chunk)

    def refresh_metrics(self, session):
        """Readouts for the snapshot, if a change made them stale (a chunk brings its own)."""
        key = (self.view_version, session.points_version, session.settings)
        if key != self._metrics_key and not self.worker.busy:
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

    # -- training -------------------------------------------------------------------------
    @staticmethod
    def can_train(session):
        return not session.net.diverged and len(session.y_train) > 0

    def train_now(self, session, epochs):
        """Train ``epochs`` epochs now, on this thread (Step)."""
        self.collect(session, join=True)
        self.sync(session)               # changes made by earlier events of this frame
        if self.can_train(session):
            start = self.clock()
            done = session.train(epochs)
            net = session.net
            self._take(session, (done, self.clock() - start, session.epoch, session.weights_version,
                                 net.theta, net.grad_norms))

    def restart_pacing(self):
        self._epochs_due = 0.0

    def _epochs_this_frame(self, speed, dt):
        """Slow/Normal/Fast: the epochs due at their pace; Max: as many as one frame holds
        (training runs beside the drawing, on the other core). Never more than a frame."""
        fits = max(1, int((FRAME_S - TRAIN_MARGIN_S) / self._epoch_s))
        if speed == "max":
            return fits
        self._epochs_due += EPOCHS_PER_SECOND[speed] * min(dt, 0.1)
        epochs = min(int(self._epochs_due), fits)
        self._epochs_due -= int(self._epochs_due)
        return epochs

    def schedule(self, session, ui, dt):
        """Keep the worker training while ``ui`` plays (a stop pauses it at once, whatever
        the speed); ``dt`` is the duration of the last frame."""
        if not (ui.playing and self.can_train(session)):
            if self.worker.busy:
                self.collect(session, join=True)
            return
        if self.worker.busy:
            return                     # at Max the worker goes on from chunk to chunk
        epochs = self._epochs_this_frame(ui.speed, dt)
        if epochs:
            self.worker.start(session, epochs, repeat=ui.speed == "max",
                              chunk_s=FRAME_S - TRAIN_MARGIN_S)

    def close(self):
        """Stop the worker thread."""
        self.worker.close()
