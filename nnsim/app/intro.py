"""The "What am I looking at?" card, shown on the first start (remembered in a small
settings file) and whenever asked for (I, or from the help overlay)."""
import json
import os
from pathlib import Path

import pygame

from ..core.files import FileError, read_user_file, write_atomic
from ..lessons.intro import SECTIONS, TITLE
from . import theme as th
from .theme import text

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


def draw_intro(surface, size, t):
    """The card, centred over a dimmed window."""
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill(th.OVERLAY)
    surface.blit(shade, (0, 0))
    width = min(size[0] - 2 * t.px(24), t.tx(820))
    inner = width - 2 * t.px(24)
    parts = [(text(TITLE, t.big, th.TEXT, True), t.px(10))]
    for heading, paragraph in SECTIONS:
        parts.append((text(heading, t.heading, th.ACCENT, True), t.px(2)))
        parts.append((text(paragraph, t.body, th.TEXT, width=inner), t.px(10)))
    parts.append((text("press any key or click to start", t.small, th.MUTED), 0))
    height = sum(s.get_height() + gap for s, gap in parts) + 2 * t.px(18)
    box = pygame.Rect(0, 0, width, min(height, size[1] - 2 * t.px(8)))
    box.center = (size[0] // 2, size[1] // 2)
    pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
    surface.set_clip(box)
    y = box.y + t.px(18)
    for s, gap in parts:
        surface.blit(s, (box.x + t.px(24), y))
        y += s.get_height() + gap
    surface.set_clip(None)
