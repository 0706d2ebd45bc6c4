"""Training on a second core while the main thread draws.

The training kernel releases the GIL (numba ``nogil``), so epochs run on one core while
pygame draws on the other. At Max speed the worker trains chunk after chunk without waiting
for the frames; after each chunk it publishes a copy of the weights and gradient norms,
which the main thread draws from. In compare mode a job holds both sides' sessions: each
chunk trains them in turn for the same number of epochs, so they stay at the same epoch. The main thread changes the session only after ``join``
(which lets the running chunk finish), so the two never touch it at once. One thread lives
for the whole run (starting a thread per frame costs milliseconds when the GIL is busy).
"""
import os
import sys
import threading
import time
from typing import NamedTuple

import numpy as np

NICE = 5    # the training thread yields to the drawing when the cores are short (Linux)


class Chunk(NamedTuple):
    """Epochs trained on one session in one go, and the state at their end."""
    session: object
    done: int                 # epochs trained: fewer than asked if it diverged or failed
    seconds: float
    epoch: int                # the session's epoch at the end...
    weights_version: int      # ...its weights' version...
    theta: np.ndarray         # ...and a copy of its weights and gradient norms
    grad_norms: np.ndarray

    @classmethod
    def at_end(cls, session, done, seconds):
        """The chunk of ``done`` epochs that took ``seconds``, with ``session``'s state now."""
        net = session.net
        return cls(session, done, seconds, session.epoch, session.weights_version,
                   net.theta.copy(), net.grad_norms.copy())


class TrainingWorker:
    def __init__(self, clock=time.perf_counter):
        self.clock = clock
        self._cond = threading.Condition()
        self._job = None              # (sessions, epochs, repeat, seconds per chunk)
        self._stop = False
        self._chunks = []             # Chunks finished, not yet collected
        self._error = None
        self._closed = False
        self._busy = False
        self._thread = threading.Thread(target=self._loop, daemon=True, name="nnsim-training")
        self._thread.start()

    @property
    def busy(self):
        """A job is running (its chunks may still change its sessions)."""
        with self._cond:
            return self._busy

    def start(self, sessions, epochs, repeat=False, chunk_s=1 / 60):
        """Train ``epochs`` epochs of each of ``sessions`` on the worker; with ``repeat``,
        keep training chunks sized to take about ``chunk_s`` each (all sessions together),
        until ``join``."""
        with self._cond:
            assert not self._busy, "the previous chunk was not joined"
            self._busy, self._stop = True, False
            self._job = (tuple(sessions), epochs, repeat, chunk_s)
            self._cond.notify()

    def _loop(self):
        if sys.platform == "linux":     # there a thread's id names it to setpriority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        while True:
            with self._cond:
                while self._job is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                sessions, epochs, repeat, chunk_s = self._job
            while True:
                chunks, total_s = [], 0.0
                for session in sessions:
                    chunks.append(self._train(session, epochs))
                    total_s += chunks[-1].seconds
                    if self._error:
                        break
                short = any(chunk.done < epochs for chunk in chunks)   # diverged or failed
                with self._cond:
                    self._chunks += chunks
                    if not repeat or self._stop or short or self._error:
                        self._job, self._busy = None, False
                        self._cond.notify_all()
                        break
                epochs = max(1, int(chunk_s * epochs / max(total_s, 1e-9)))

    def _train(self, session, epochs):
        """One session's part of a chunk; an exception is kept for ``poll`` to raise."""
        start = self.clock()
        try:
            done = session.train(epochs)
        except Exception as error:  # handed to the main thread by poll()
            done, self._error = 0, error
        return Chunk.at_end(session, done, self.clock() - start)

    def poll(self):
        """The chunks finished since the last call, without waiting. An exception raised
        in the worker is raised here, on the main thread."""
        with self._cond:
            chunks, self._chunks = self._chunks, []
            error, self._error = self._error, None
        if error is not None:
            raise error
        return chunks

    def join(self):
        """Let the running chunk finish (and no further one start); then the chunks."""
        with self._cond:
            self._stop = True
            while self._busy:
                self._cond.wait()
        return self.poll()

    def close(self):
        """Let the running chunk finish, then end the thread."""
        self.join()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
