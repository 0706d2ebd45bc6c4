"""Training on a second core while the main thread draws.

The training kernel releases the GIL (numba ``nogil``), so a frame's epochs run on one core
while pygame draws on the other. The app touches the session only while the worker is idle:
each frame it first joins the last chunk, then handles events, then starts the next chunk,
then draws from a snapshot of the weights. One thread lives for the whole run (starting a
thread per frame costs milliseconds when the GIL is busy).
"""
import queue
import threading
import time


class TrainingWorker:
    def __init__(self):
        self._jobs = queue.SimpleQueue()
        self._results = queue.SimpleQueue()
        self.busy = False
        threading.Thread(target=self._loop, daemon=True, name="nnsim-training").start()

    def start(self, session, epochs):
        """Begin ``session.train(epochs)`` on the worker thread."""
        assert not self.busy, "the previous chunk was not joined"
        self.busy = True
        self._jobs.put((session, epochs))

    def _loop(self):
        while True:
            session, epochs = self._jobs.get()
            start = time.perf_counter()
            try:
                self._results.put((session.train(epochs), time.perf_counter() - start, None))
            except Exception as error:      # handed to the main thread by join()
                self._results.put((0, time.perf_counter() - start, error))

    def join(self):
        """Wait for the running chunk; returns (epochs done, seconds) or None if idle.
        An exception raised in the worker is raised here, on the main thread."""
        if not self.busy:
            return None
        done, seconds, error = self._results.get()
        self.busy = False
        if error is not None:
            raise error
        return done, seconds
