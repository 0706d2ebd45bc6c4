"""The small settings file of the user (flags such as "the intro card was shown")."""
import json
import os
from pathlib import Path

from ...core.files import FileError, read_user_file, write_atomic

SETTINGS_CAP = 64 * 1024       # the settings file holds a few flags


def settings_path():
    """nnsim's settings file in the user's config folder."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "nnsim" / "settings.json"


def _read(path):
    try:
        settings = json.loads(read_user_file(path, "settings file", SETTINGS_CAP))
    except (FileError, ValueError):
        return {}             # missing or unreadable: as on a first start
    return settings if isinstance(settings, dict) else {}


def first_start(path):
    """True until ``remember_intro_seen(path)``."""
    return not _read(path).get("intro_seen")


def remember_intro_seen(path):
    """Note in the settings file that the card was shown (other settings kept); a folder
    that cannot be written only means the card comes again next time."""
    settings = {**_read(path), "intro_seen": True}
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(settings, indent=1) + "\n")
    except (FileError, OSError):
        pass
