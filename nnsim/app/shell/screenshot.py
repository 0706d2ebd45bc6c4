"""Screenshots: the window encoded in memory, then written with the core's atomic writer, so
a full disk reports an error and leaves any old picture whole."""
import io
from pathlib import Path

import pygame

from ...core.files import FileError, check_writable, shown, write_atomic

#: The encoder pygame picks for each screenshot suffix.
FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg"}


def check_screenshot_path(path):
    """FileError unless ``path`` names a picture nnsim can write: a known suffix, an existing
    folder it may write in, and no folder or special file in the way."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise FileError(f"{shown(path)}: a screenshot is a .png, .jpg or .jpeg file")
    check_writable(path)


def save_screenshot(surface, path):
    """Write ``surface`` to ``path`` as PNG (or JPEG for .jpg/.jpeg) atomically; returns the
    path, or raises FileError with one line."""
    path = Path(path)
    check_screenshot_path(path)
    encoded = io.BytesIO()
    try:
        pygame.image.save(surface, encoded, f"screenshot.{FORMATS[path.suffix.lower()]}")
    except pygame.error as error:
        raise FileError(f"cannot encode {shown(path)}: {error}") from None
    write_atomic(path, encoded.getvalue())
    return path
