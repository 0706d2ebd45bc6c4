"""Training on a second core while the main thread draws.

The training kernel releases the GIL (numba ``nogil``), so epochs run on one core while
pygame draws on the other. At Max speed the worker trains chunk after chunk without waiting
for the frames; after each chunk it publishes a copy of the weights and gradient norms,
which the main thread draws from. The main thread changes the session only after ``join``
(which lets the running chunk finish), so the two never touch it at once. One thread lives
for the whole run (starting a thread per frame costs milliseconds when the GIL is busy).
"""
import os
import sys
import threading
import time

NICE = 5    # the training thread yields to the drawing when the cores are short (Linux)


class TrainingWorker:
    def __init__(self, clock=time.perf_counter):
        self.clock = clock
        self._cond = threading.Condition()
        self._job = None              # (session, epochs, repeat, seconds per chunk)
        self._stop = False
        self._chunks = []             # finished, not yet collected:
        self._error = None            # (done, seconds, epoch, weights version, theta, norms)
        self._closed = False
        self.busy = False
        self._thread = threading.Thread(target=self._loop, daemon=True, name="nnsim-training")
        self._thread.start()

    def start(self, session, epochs, repeat=False, chunk_s=1 / 60):
        """Train ``epochs`` epochs of ``session`` on the worker; with ``repeat``, keep
        training chunks sized to take about ``chunk_s`` each, until ``join``."""
        with self._cond:
            assert not self.busy, "the previous chunk was not joined"
            self.busy, self._stop, self._job = True, False, (session, epochs, repeat, chunk_s)
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
                session, epochs, repeat, chunk_s = self._job
            while True:
                start = self.clock()
                try:
                    done = session.train(epochs)
                except Exception as error:  # handed to the main thread by poll()
                    done, self._error = 0, error
                seconds = self.clock() - start
                net = session.net
                chunk = (done, seconds, session.epoch, session.weights_version, net.theta.copy(),
                         net.grad_norms.copy())
                with self._cond:
                    self._chunks.append(chunk)
                    if not repeat or self._stop or done < epochs or self._error:
                        self._job, self.busy = None, False
                        self._cond.notify_all()
                        break
                epochs = max(1, int(chunk_s * done / max(seconds, 1e-9)))

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
            while self.busy:
                self._cond.wait()
        return self.poll()

    def close(self):
        """Let the running chunk finish, then end the thread."""
        self.join()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
