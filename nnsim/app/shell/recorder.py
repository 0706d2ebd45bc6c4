"""Recording the window as an animated GIF for slides (G, ``--record``).

Frames are taken FPS times a second; a worker thread shrinks each to at most MAX_WIDTH
pixels wide, reduces it to a palette of its own and encodes it at once (about 30 ms a frame,
which the window's 60 Hz could not spare), so a recording holds only compressed frames. It
stops by itself after MAX_S seconds. Stopping joins the frames into one GIF in memory and
writes it with the core's atomic writer.
"""
import io
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pygame

from ...core.files import FileError, check_writable, shown, write_atomic
from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import Theme, text

FPS = 10                  # GIF delays are in 1/100 s: 10 frames a second are exact
MAX_WIDTH = 800
MAX_S = 60
BACKLOG = 4               # frames waiting for the encoder at most (each a window's copy)


def check_gif_path(path):
    """FileError unless ``path`` names a GIF nnsim can write."""
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise FileError(f"{shown(path)}: a recording is a .gif file")
    check_writable(path)


def scaled_size(size):
    """``size`` shrunk to at most MAX_WIDTH pixels wide, its shape kept."""
    w, h = size
    return (w, h) if w <= MAX_WIDTH else (MAX_WIDTH, max(1, round(h * MAX_WIDTH / w)))


def encode_frame(surface, size):
    """``surface`` shrunk to ``size``, as one GIF image: (colour table, image descriptor with its local colour
    table flag set, LZW data). Pillow encodes the frame alone; its one global colour table
    becomes the frame's local one, so each frame keeps its own palette."""
    from PIL import Image  # imported on the first recording: start-up stays fast
    if surface.get_size() != size:
        surface = pygame.transform.smoothscale(surface, size)    # a resized window too
    rgb = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    image = rgb.quantize(256, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, "GIF")
    return _image_block(out.getvalue())


def _image_block(gif):
    """The colour table, image descriptor and image data of a one-image GIF file."""
    if gif[:6] not in (b"GIF87a", b"GIF89a") or gif[-1:] != b";" or not gif[10] & 0x80:
        raise ValueError("not a one-image GIF with a global colour table")
    depth = gif[10] & 7
    i = 13 + 3 * (2 << depth)
    table = gif[13:i]
    while gif[i] == 0x21:                   # an extension: its label, then sub-blocks
        i += 2
        while gif[i]:
            i += gif[i] + 1
        i += 1
    if gif[i] != 0x2C or gif[i + 9] & 0x80:
        raise ValueError("the image does not follow the extensions")
    descriptor = bytearray(gif[i:i + 10])
    descriptor[9] = 0x80 | (descriptor[9] & 0x40) | depth    # local table; interlace kept
    return table, bytes(descriptor), gif[i + 10:-1]


def join_frames(size, frames, delays):
    """An animated GIF (looping) of ``frames`` from encode_frame, each shown ``delays[i]``
    hundredths of a second."""
    out = [b"GIF89a", struct.pack("<HHBBB", *size, 0, 0, 0),
           b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"]          # loop forever
    for (table, descriptor, data), delay in zip(frames, delays):
        out += [struct.pack("<3sBHBB", b"!\xf9\x04", 0x04, delay, 0, 0),  # keep, delay
                descriptor, table, data]
    out.append(b";")
    return b"".join(out)


class Recorder:
    """The window's recording, while ``active``. ``notify`` shows a message; ``outputs``
    (a ``folders.Outputs``) chooses the folder of G's recordings (default: the current one)."""

    def __init__(self, notify, outputs=None):
        self.notify, self.outputs = notify, outputs
        self.path = None                  # the GIF being recorded
        self.frames, self.times = [], []  # encoded frames (futures) and when each was taken
        self.encoder = None               # the thread pool of one that encodes them
        self.started = self.due = 0.0   # when it started; when the next frame is due
        self.size = None                  # of the GIF: the first frame's, shrunk
        self.note = ""                    # which folder G's recording could not go in

    @property
    def active(self):
        return self.path is not None

    def start(self, path, now):
        """Start recording to ``path`` (checked first: FileError if it cannot be written)."""
        check_gif_path(path)
        self.path = Path(path)
        self.frames, self.times = [], []
        self.started = self.due = now
        self.encoder = ThreadPoolExecutor(1, thread_name_prefix="nnsim-gif")

    def stop(self):
        """Write the recording (FileError if that fails: nothing is written) and end it;
        returns the path."""
        path, futures, times = self.path, self.frames, self.times
        self.path, self.frames, self.times = None, [], []
        self.encoder.shutdown()
        frames = [future.result() for future in futures]
        if not frames:
            raise FileError(f"{shown(path)}: nothing was recorded")
        gaps = [b - a for a, b in zip(times, times[1:])] + [1 / FPS]
        delays = [max(2, min(round(100 * gap), 0xFFFF)) for gap in gaps]
        write_atomic(path, join_frames(self.size, frames, delays))
        return path

    def toggle(self, now):
        """G: start recording to a new file named after the time, or stop and save."""
        if self.active:
            self._stop_saying("toast.recording_saved")
            return
        name, self.note = time.strftime("nnsim-%Y%m%d-%H%M%S.gif"), ""
        try:   # no message on success: it would be in the recording; the REC badge shows
            if self.outputs is None:
                path = Path(name).resolve()
            else:
                path, self.note = self.outputs.place("recording", name)
            self.start(path, now)
        except (FileError, OSError) as error:
            self.notify(_("toast.not_recording", error=error))
            return
        if self.outputs is not None:
            self.outputs.remember("recording", path.parent)

    def _stop_saying(self, done, **values):
        """Stop and save, then say ``done`` (a catalogue key, with the path and ``values``)."""
        try:
            path = self.stop()
        except FileError as error:
            self.notify(_("toast.recording_failed", error=error))
            return
        self.notify(f"{_(done, path=path, **values)} {self.note}".rstrip())

    def frame(self, screen, now):
        """After the window is drawn: take a frame when one is due, stop at MAX_S, then draw
        the REC badge (so it is not in the recording)."""
        if not self.active:
            return
        elapsed = now - self.started
        if elapsed >= MAX_S:
            self._stop_saying("toast.recording_limit", seconds=MAX_S)
            return
        if now >= self.due:
            if len(self.frames) >= BACKLOG:
                self.frames[-BACKLOG].result()    # a slow encoder: wait, rather than pile up
            if not self.frames:
                self.size = scaled_size(screen.get_size())
            self.frames.append(self.encoder.submit(encode_frame, screen.copy(), self.size))
            # the frame stands for its slot on a fixed schedule, so the GIF's delays are
            # even; after a stall of a whole slot or more, the schedule starts again now
            self.times.append(self.due if now < self.due + 1 / FPS else now)
            self.due = self.times[-1] + 1 / FPS
        self._badge(screen, elapsed)

    def _badge(self, screen, elapsed):
        """A red dot and "REC mm:ss" in a dark box at the window's top right."""
        t = Theme(screen.get_size())
        seconds = int(elapsed)
        label = text(_("recorder.badge", time=f"{seconds // 60:02d}:{seconds % 60:02d}"), t.small, th.WHITE, True)
        pad, dot = t.px(6), t.px(5)
        box = pygame.Rect(0, 0, 3 * pad + 2 * dot + label.get_width(),
                          label.get_height() + 2 * t.px(4))
        box.topright = (screen.get_width() - t.px(16), t.px(16))
        pygame.draw.rect(screen, th.TEXT, box, border_radius=t.radius)
        pygame.draw.circle(screen, th.DANGER, (box.x + pad + dot, box.centery), dot)
        screen.blit(label, label.get_rect(midleft=(box.x + 2 * pad + 2 * dot, box.centery)))
