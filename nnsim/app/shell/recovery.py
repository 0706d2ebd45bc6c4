"""Recovery files: the lesson kept safe between Ctrl+S's, so a crash, a power cut, a logout or
a SIGKILL loses at most the last AUTOSAVE_S seconds.

While the session has unsaved changes, ``Autosave`` writes every side (both in compare mode)
with its points, open lesson and full training state to this run's recovery file in the
state folder, atomically, at most every AUTOSAVE_S seconds of wall time, and at once when a
signal ends the app or it crashes. Saving with Ctrl+S or quitting as asked removes it. The
next start offers the newest one; restoring adopts it (this run writes it from then on),
declining removes it. Files older than KEEP_S are removed at start-up.

A recovery file wraps the scenario documents of the sides (``core.scenario``), which keep
their own format, version and validation::

    {"format": "nnsim-recovery", "version": 1, "saved_at": 1733412120.5, "selected": 1,
     "sides": [{"format": "nnsim-scenario", ...}, {"format": "nnsim-scenario", ...}]}
"""
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ...core import scenario
from ...core.files import FileError, read_user_file, shown, write_atomic
from ...lessons.text import _

FORMAT = "nnsim-recovery"
VERSION = 1
AUTOSAVE_S = 30.0                 # a SIGKILL loses at most this much work
KEEP_S = 7 * 24 * 3600            # older recovery files are removed at start-up
PATTERN = "recovery-*.json"
SET_ASIDE = ".bad"                # an unreadable recovery file, kept until pruned
MAX_FILE_BYTES = 2 * scenario.MAX_FILE_BYTES

log = logging.getLogger("nnsim")


@dataclass(frozen=True)
class Recovery:
    """A recovery file as read: its sessions (one, or A and B), the side the panel edited,
    and when it was written (seconds since the epoch)."""
    path: Path
    sessions: tuple
    selected: int
    saved_at: float

    def question(self, now=None):
        """The one line that offers it."""
        return _("recovery.offer", when=when(self.saved_at, now))


def when(saved_at, now=None):
    """``saved_at`` as a user reads it: 14:02 today, else with the day."""
    then, today = time.localtime(saved_at), time.localtime(now)
    same_day = then[:3] == today[:3]
    return time.strftime("%H:%M" if same_day else "%a %d %b %H:%M", then)


def recovery_data(sessions, selected, saved_at):
    """The recovery file of ``sessions`` as plain data: a copy, which another thread may
    encode while training goes on (about 6 ms for the largest network and 1,000 points)."""
    return {"format": FORMAT, "version": VERSION, "saved_at": float(saved_at),
            "selected": int(selected), "sides": [scenario.scenario_dict(s) for s in sessions]}


def encode(data):
    """The text of recovery ``data``. The pure-Python encoder: slower than json.dumps's C
    one (120 ms against 75 for the largest network), but it lets the GIL go between pieces,
    so encoding on the writer thread never holds a frame."""
    return "".join(json.JSONEncoder(allow_nan=False).iterencode(data)) + "\n"


def recovery_text(sessions, selected, saved_at):
    """The recovery file of ``sessions`` (JSON text)."""
    return encode(recovery_data(sessions, selected, saved_at))


def _checked(data):
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(f"not an nnsim recovery file (no \"format\": \"{FORMAT}\")")
    if type(data.get("version")) is not int or data["version"] != VERSION:
        raise FileError(f"recovery format version {data.get('version')!r}; this nnsim reads "
                        f"version {VERSION}")
    sides, selected, saved_at = data.get("sides"), data.get("selected"), data.get("saved_at")
    if not isinstance(sides, list) or len(sides) not in (1, 2):
        raise FileError("field 'sides' must hold one or two scenarios")
    if type(selected) is not int or not 0 <= selected < len(sides):
        raise FileError("field 'selected' must name one of the sides")
    if isinstance(saved_at, bool) or not isinstance(saved_at, (int, float)) or saved_at < 0:
        raise FileError("field 'saved_at' must be a time")
    return sides, selected, float(saved_at)


def read(path):
    """The Recovery in ``path``, or FileError with one line naming the file."""
    path = Path(path)
    name = shown(path.name)
    text = read_user_file(path, "recovery file", MAX_FILE_BYTES)
    try:
        sides, selected, saved_at = _checked(scenario.parse(text))
        sessions = tuple(scenario.from_data(side, f"side {'AB'[i]}")
                         for i, side in enumerate(sides))
    except FileError as error:
        raise FileError(f"{name}: {error}") from None
    return Recovery(path, sessions, selected, saved_at)


def files(folder):
    """The recovery files in ``folder``, newest first."""
    try:
        found = [(p.stat().st_mtime, p) for p in Path(folder).glob(PATTERN) if p.is_file()]
    except OSError:
        return []
    return [p for _, p in sorted(found, reverse=True)]


def newest(folder):
    """The newest recovery file in ``folder``, or None."""
    return next(iter(files(folder)), None)


def prune(folder, now=None, keep_s=KEEP_S):
    """Remove the recovery files (set-aside ones and a killed write's temporary file too)
    older than ``keep_s``; returns them."""
    now = time.time() if now is None else now
    removed = []
    for pattern in (PATTERN, PATTERN + SET_ASIDE, ".recovery-*.tmp"):   # .tmp: a killed write
        for path in Path(folder).glob(pattern):
            try:
                if now - path.stat().st_mtime > keep_s:
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass
    return removed


def set_aside(path):
    """Rename an unreadable recovery file so it is not offered again (pruned later)."""
    try:
        os.replace(path, Path(f"{path}{SET_ASIDE}"))
    except OSError:
        remove(path)


def remove(path):
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        log.warning("could not remove the recovery file %s: %s", shown(path), error)


def offer(app, folder):
    """Offer the newest recovery file in ``folder`` with a one-line prompt over ``app``:
    Enter restores it, Esc removes it. An unreadable one is one line, and set aside."""
    from ..widgets.choice import ChoicePrompt
    path = newest(folder)
    if path is None:
        return
    try:
        found = read(path)
    except FileError as error:
        set_aside(path)
        app.actions.notify(_("recovery.unusable", error=error))
        return
    app.ui.prompt = ChoicePrompt(found.question(), lambda: restore(app, found),
                                 lambda: remove(found.path))


def restore(app, found):
    """Bring back the sides of ``found`` (a Recovery) in ``app``; its autosave, if any,
    writes that file from now on, so it goes away once the lesson is saved."""
    app.actions.restore(found.sessions, found.selected)
    if app.autosave is not None:
        app.autosave.adopt(found.path)
    app.actions.notify(_("recovery.restored", when=when(found.saved_at)))
    log.info("restored %s", shown(found.path))


class Autosave:
    """This run's recovery file in ``folder``: ``tick`` once a frame keeps it up to date
    (``wall`` gives seconds since the epoch; ``interval`` is AUTOSAVE_S). Files are written
    on a thread of their own, so a slow disk never holds a frame; ``write_now`` waits."""

    def __init__(self, folder, wall=time.time, interval=None):
        self.folder, self.wall = Path(folder), wall
        self.interval = AUTOSAVE_S if interval is None else interval
        self.path = self.folder / time.strftime(f"recovery-%Y%m%d-%H%M%S-{os.getpid()}.json",
                                                time.localtime(wall()))
        self.written = False              # the file exists (or is about to)
        self.last = None                  # when it was last written
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="nnsim-autosave")
        self._pending = None
        self._lock = threading.Lock()

    def adopt(self, path):
        """Write to ``path`` (a restored recovery file) from now on, in place of a new one."""
        self.discard()
        self.path, self.written, self.last = Path(path), True, None

    def due(self, actions):
        """The session has unsaved changes and the last write is old enough (or a file
        exists that no longer should: then it goes at once)."""
        if not actions.unsaved:
            if self.written:
                self.discard()
            return False
        return self.last is None or self.wall() - self.last >= self.interval

    def tick(self, actions, trainer):
        """Once a frame: write the recovery file if due (inside the trainer's gate, so the
        sessions are whole), remove it once nothing is unsaved."""
        if self.due(actions):
            with trainer.paused():
                self.write(actions)

    def write(self, actions, wait=False):
        """Write the sessions of ``actions`` (the worker paused) now, in the background unless
        ``wait``; returns the path, or None if the write failed (then it is logged)."""
        data = recovery_data(actions.sessions, actions.selected, self.wall())
        self.last, self.written = self.wall(), True
        with self._lock:
            self._pending = self._writer.submit(self._write, data)
            pending = self._pending
        return pending.result() if wait else self.path

    def write_now(self, actions):
        """Write at once and wait (a signal or a crash ends the app)."""
        return self.write(actions, wait=True)

    def _write(self, data):
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, encode(data))
        except (FileError, OSError) as error:
            log.warning("autosave failed: %s", error)
            return None
        log.debug("autosaved to %s", shown(self.path))
        return self.path

    def discard(self):
        """Remove this run's recovery file (after any write still going)."""
        self.written, self.last = False, None
        with self._lock:
            self._pending = self._writer.submit(remove, self.path)

    def flush(self):
        """Wait for the write or removal still going."""
        with self._lock:
            pending = self._pending
        if pending is not None:
            pending.result()

    def close(self):
        """Finish the writes still going."""
        self._writer.shutdown(wait=True)
