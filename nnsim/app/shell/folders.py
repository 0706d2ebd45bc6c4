"""Where nnsim keeps its files and where it puts the user's: the folders come from
platformdirs (which follows the XDG variables on Linux), never from the folder a desktop
shortcut happened to start nnsim in (often ``$HOME``, ``C:\\Windows\\System32`` or a folder
nobody may write in).

==========  =======================================  ====================================
folder      Linux                                    what is in it
==========  =======================================  ====================================
config      ``$XDG_CONFIG_HOME/nnsim``               settings.json (flags, last folders)
state       ``$XDG_STATE_HOME/nnsim``                recovery files (autosave)
log         ``$XDG_STATE_HOME/nnsim/log``            nnsim.log (crashes, signals)
==========  =======================================  ====================================

Screenshots, recordings and the file prompt start in the folder used last for them, else the
user's Pictures, Videos or Documents folder, else the home folder, else the temporary
folder: the first of these that exists and may be written in.
"""
import os
import tempfile
from pathlib import Path

import platformdirs

from ...lessons.text import _

APP = "nnsim"

#: Each kind of output: the user's own folder it starts in while none was used yet.
KINDS = {"screenshot": platformdirs.user_pictures_dir,
         "recording": platformdirs.user_videos_dir,
         "files": platformdirs.user_documents_dir}


def config_dir():
    """The folder of nnsim's settings file."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def state_dir():
    """The folder of the recovery files."""
    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def log_dir():
    """The folder of nnsim's log file."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def legacy_config_dir():
    """Where nnsim 0.x kept its settings file (still read when the new one is missing)."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def writable(folder):
    """True if ``folder`` is an existing folder nnsim may create files in."""
    try:
        return Path(folder).is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except (OSError, ValueError):
        return False


def _home():
    try:
        return Path.home()
    except (KeyError, RuntimeError):      # no HOME and no password entry
        return None


def choose_folder(kind, remembered=None):
    """The folder a new ``kind`` file goes in (see the module's docstring), and a note for
    the user when a folder that should have been used could not be ("" when none)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of output {kind!r}")
    try:
        default = Path(KINDS[kind]())
    except Exception:                      # a broken user-dirs file: no default folder
        default = None
    skipped = None
    for folder, asked in ((remembered, True), (default, False), (_home(), False),
                          (Path(tempfile.gettempdir()), False)):
        if folder is None:
            continue
        folder = Path(folder)
        if writable(folder):
            return folder.resolve(), (_("folder.skipped", folder=folder_text(skipped))
                                      if skipped else "")
        # a remembered folder that is gone or locked, or a media folder that exists but is
        # read-only, is worth a word; a Pictures folder that was never made is not
        if skipped is None and (asked or folder.exists()):
            skipped = folder
    raise OSError(_("folder.none", folder=folder_text(skipped)))


def folder_text(folder):
    """``folder`` as printable text (bytes that are not UTF-8 as escapes)."""
    return str(folder).encode("utf-8", "backslashreplace").decode("utf-8")


class Outputs:
    """The folders of the user's outputs, remembered in the settings file (``settings``:
    the ``user_settings`` module, or anything with ``folder(kind)`` and
    ``remember_folder(kind, folder)``; None remembers for this run only)."""

    def __init__(self, settings=None):
        self.settings = settings
        self._remembered = {}

    def start(self, kind):
        """The folder the prompt or a new ``kind`` file starts in."""
        return choose_folder(kind, self._last(kind))[0]

    def place(self, kind, name):
        """(path, note): where a new ``kind`` file called ``name`` goes, and a note saying
        which folder could not be used ("" when the first choice was)."""
        folder, note = choose_folder(kind, self._last(kind))
        return folder / name, note

    def remember(self, kind, folder):
        """``kind`` files start in ``folder`` from now on (kept for the next start too)."""
        folder = Path(folder).resolve()
        if self._last(kind) == folder:
            return
        self._remembered[kind] = folder
        if self.settings is not None:
            self.settings.remember_folder(kind, folder)

    def _last(self, kind):
        if kind not in self._remembered and self.settings is not None:
            self._remembered[kind] = self.settings.folder(kind)
        return self._remembered.get(kind)
