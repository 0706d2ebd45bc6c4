"""The small settings file of the user: flags such as "the intro card was shown", the
language chosen in the app, and the folders last used for screenshots, recordings and files.

It lives in the platform's config folder (``folders.config_dir()``); while that holds none,
the file where nnsim 0.x kept it is read instead, and the next write lands in the new place.
"""
import json
from pathlib import Path

from ...core.files import FileError, read_user_file, write_atomic
from . import folders

SETTINGS_CAP = 64 * 1024       # the settings file holds a few flags


def settings_path():
    """nnsim's settings file in the user's config folder."""
    return folders.config_dir() / "settings.json"


def legacy_settings_path():
    """The settings file of nnsim 0.x (``$XDG_CONFIG_HOME/nnsim`` or ``%APPDATA%\\nnsim``)."""
    return folders.legacy_config_dir() / "settings.json"


def _read(path=None):
    path = Path(path or settings_path())
    if not path.exists() and path == settings_path():
        path = legacy_settings_path()
    try:
        settings = json.loads(read_user_file(path, "settings file", SETTINGS_CAP))
    except (FileError, ValueError):
        return {}             # missing or unreadable: as on a first start
    return settings if isinstance(settings, dict) else {}


def _update(path=None, **changes):
    """Write ``changes`` into the settings file (other settings kept); a folder that cannot
    be written only means they are not remembered."""
    path = Path(path or settings_path())
    settings = {**_read(path), **changes}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(settings, indent=1) + "\n")
    except (FileError, OSError):
        pass


def first_start(path=None):
    """True until ``remember_intro_seen(path)``."""
    return not _read(path).get("intro_seen")


def remember_intro_seen(path=None):
    """Note in the settings file that the card was shown (other settings kept); a folder
    that cannot be written only means the card comes again next time."""
    _update(path, intro_seen=True)


def language():
    """The code of the language last chosen in the app, or None."""
    code = _read().get("language")
    return code if isinstance(code, str) else None


def remember_language(code):
    """The app starts in language ``code`` from now on (unless ``--lang`` says otherwise)."""
    _update(language=code)


def theme():
    """The theme chosen last (one of ``draw.theme.THEMES``), or None."""
    return _read().get("theme")


def remember_theme(name):
    """Start with theme ``name`` from now on."""
    _update(theme=name)


def folder(kind):
    """The folder last used for ``kind`` (see ``folders.KINDS``), or None."""
    last = _read().get("folders", {})
    value = last.get(kind) if isinstance(last, dict) else None
    return Path(value) if isinstance(value, str) and value else None


def remember_folder(kind, path):
    """``kind`` files start in folder ``path`` from now on."""
    last = _read().get("folders", {})
    last = last if isinstance(last, dict) else {}
    _update(folders={**last, kind: str(path)})
