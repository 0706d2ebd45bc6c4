"""Signals that end the app (a logout, a shutdown, ``kill``, Ctrl+C in the terminal): the
app stops its loop, writes the recovery file and exits with 128 + the signal's number
(SIGTERM 143, SIGHUP 129, SIGINT 130) within GRACE_S, unsaved changes or not. The window's
close button and Ctrl+Q still ask once.

SDL would turn SIGINT and SIGTERM into a window-close request (which asks, and keeps the app
running until the session manager's SIGKILL); ``SDL_NO_SIGNAL_HANDLERS`` stops it, and must
be set before the display is initialised. Python runs the handlers on the main thread between
bytecodes: the loop checks ``app.running`` at least every pacing.IDLE_TIMEOUT_MS even when
idle in SDL's event queue.
"""
import logging
import os
import signal
import threading

GRACE_S = 1.9          # after a signal, the process ends this soon whatever it is doing

#: The signals that end the app (no SIGHUP on Windows).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT")
                     if hasattr(signal, name))

log = logging.getLogger("nnsim")


def keep_sdl_away():
    """Tell SDL not to install its own SIGINT/SIGTERM handlers (before display init)."""
    os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"


def exit_code(signum):
    return 128 + int(signum)


class StopSignals:
    """While entered (on the main thread): the stop signals call ``on_stop(signum)`` once;
    ``signum`` says which came (None: none). A second signal, or GRACE_S passing after
    the first, ends the process at once with the first one's exit code."""

    def __init__(self, on_stop, grace_s=GRACE_S):
        self.on_stop, self.grace_s = on_stop, grace_s
        self.signum = None
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._old[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, handler in self._old.items():
            signal.signal(signum, handler)
        self._old = {}
        return False

    def _handle(self, signum, frame):
        if self.signum is not None:
            os._exit(exit_code(self.signum))       # asked twice: no more waiting
        self.signum = signum
        name = signal.Signals(signum).name
        log.info("%s received: saving the session and quitting", name)
        watchdog = threading.Timer(self.grace_s, os._exit, (exit_code(signum),))
        watchdog.daemon = True
        watchdog.start()
        self.on_stop(signum)
