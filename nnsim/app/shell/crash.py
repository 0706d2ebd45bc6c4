"""nnsim's log, and what an unhandled error does: the traceback goes to the log file in the
user's log folder (``folders.log_dir()``), one line naming that file goes to stderr, and a
window shows that line on a last frame instead of vanishing (nobody sees the console of a
desktop shortcut).

Records pass through a queue to a thread that writes them, so logging never holds a frame
for a disk.
"""
import logging
import logging.handlers
import os
import queue
import sys
import threading
import time

import pygame

from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import Theme, text
from . import folders

LOG_NAME = "nnsim.log"
LOG_BYTES = 1_000_000       # the log rolls over at this size, keeping LOG_BACKUPS old ones
LOG_BACKUPS = 2
LAST_FRAME_S = 300          # the last frame waits this long for a key at most

log = logging.getLogger("nnsim")
_listener = None


class _Queued(logging.handlers.QueueHandler):
    """Hands the record itself to the writing thread (it stays in this process, so nothing
    needs pickling): each handler there formats it its own way."""

    def prepare(self, record):
        return record


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file, and its folder, made on the first record (a run that logs nothing
    leaves no trace)."""

    def _open(self):
        os.makedirs(os.path.dirname(self.baseFilename), exist_ok=True)
        return super()._open()

    def handleError(self, record):
        pass        # no log folder to write in: the line still reaches stderr


class _OneLine(logging.Formatter):
    """stderr's format: "nnsim: message" (or the message, if it names nnsim itself),
    without the traceback (that is in the log file)."""

    def format(self, record):
        message = record.getMessage()
        return message if message.startswith("nnsim ") else f"nnsim: {message}"


def log_path():
    return folders.log_dir() / LOG_NAME


def start_logging():
    """Log nnsim's records (INFO and up) to the log file, and warnings and errors to
    stderr; returns the log file's path. Calling it again changes nothing."""
    global _listener
    path = log_path()
    if _listener is not None:
        return path
    file = _LogFile(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8",
                    delay=True)
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s: %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(_OneLine())
    records = queue.SimpleQueue()
    _listener = logging.handlers.QueueListener(records, file, console, respect_handler_level=True)
    _listener.start()
    log.addHandler(_Queued(records))
    log.setLevel(logging.INFO)
    log.propagate = False
    threading.excepthook = _thread_error
    return path


def stop_logging():
    """Write out the records still queued and stop the writing thread."""
    global _listener
    if _listener is None:
        return
    _listener.stop()
    for handler in _listener.handlers:
        handler.close()
    for handler in [h for h in log.handlers if isinstance(h, _Queued)]:
        log.removeHandler(handler)
    threading.excepthook = threading.__excepthook__
    _listener = None


def _thread_error(args):
    """An error on another thread (the warm-up, the GIF encoder): logged, not lost."""
    if args.exc_type is SystemExit:
        return
    log.error("error in thread %s: %s", getattr(args.thread, "name", "?"), args.exc_value,
              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def report(error, recovered=None):
    """Log an unhandled ``error`` with its traceback (the line alone to stderr); returns the
    one line for the user: what happened, where the details are, whether the lesson was kept."""
    parts = [_("crash.stopped", error=f"{type(error).__name__}: {error}")]
    if _listener is not None:
        parts.append(_("crash.details", path=folders.folder_text(log_path())))
    if recovered:
        parts.append(_("crash.kept"))
    line = "; ".join(parts)
    log.error(line, exc_info=(type(error), error, error.__traceback__))
    return line


def last_frame(screen, line, wait_s=LAST_FRAME_S, stopped=lambda: False):
    """Show ``line`` on a dark last frame until a key, a click, the close button, a stop
    (``stopped()``) or ``wait_s`` seconds."""
    try:
        size = screen.get_size()
        t = Theme(size)
        screen.fill(th.TEXT)
        label = text(f"{line} — {_('crash.close')}", t.body, th.WHITE, True,
                     width=size[0] - 4 * t.margin, centred=True)
        screen.blit(label, label.get_rect(center=(size[0] // 2, size[1] // 2)))
        pygame.display.flip()
        end = time.monotonic() + wait_s
        while time.monotonic() < end and not stopped():
            event = pygame.event.wait(250)
            if event.type in (pygame.QUIT, pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                return
    except pygame.error:
        pass           # the display itself failed: the line is on stderr and in the log
