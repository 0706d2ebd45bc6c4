"""Training on a second core while the main thread draws.

The training kernel releases the GIL (numba ``nogil``), so a frame's epochs run on one core
while pygame draws on the other. The app touches the session only while the worker is idle:
each frame it first joins the last chunk, then handles events, then starts the next chunk,
then draws from a snapshot of the weights.
"""
import threading
import time


class TrainingWorker:
    def __init__(self):
        self._thread = None
        self._result = None

    @property
    def busy(self):
        return self._thread is not None

    def start(self, session, epochs):
        """Begin ``session.train(epochs)`` on the worker thread."""
        assert self._thread is None, "the previous chunk was not joined"
        self._thread = threading.Thread(target=self._run, args=(session, epochs), daemon=True)
        self._thread.start()

    def _run(self, session, epochs):
        start = time.perf_counter()
        try:
            self._result = (session.train(epochs), time.perf_counter() - start, None)
        except Exception as error:          # handed to the main thread by join()
            self._result = (0, time.perf_counter() - start, error)

    def join(self):
        """Wait for the running chunk; returns (epochs done, seconds) or None if idle.
        An exception raised in the worker is raised here, on the main thread."""
        if self._thread is None:
            return None
        self._thread.join()
        self._thread = None
        done, seconds, error = self._result
        if error is not None:
            raise error
        return done, seconds
