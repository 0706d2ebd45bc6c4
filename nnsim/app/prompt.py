"""A path prompt inside the app (no external GUI toolkit): a line to type a file name in,
the folder it is relative to, and that folder's matching files to pick with a click."""
from pathlib import Path

import pygame

from . import theme as th
from .theme import text

MAX_LISTED = 8


class PathPrompt:
    """Modal while open: ``handle`` takes every event. ``on_done(path)`` runs on Enter or on
    a click on a listed file; Esc cancels."""

    def __init__(self, title, initial, on_done, suffixes):
        self.title, self.on_done, self.suffixes = title, on_done, suffixes
        self.folder = Path.cwd()
        self.value = str(initial)
        self.open = True
        self.accepting = False        # set from the next frame on: the key that opened the
        self._files = None            # prompt must not type its own letter into it
        self.rows = []

    def files(self):
        """The folder's files with a wanted suffix, newest first (read once)."""
        if self._files is None:
            try:
                found = [p for p in self.folder.iterdir() if p.suffix.lower() in self.suffixes
                         and p.is_file()]
                self._files = sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)[:MAX_LISTED]
            except OSError:
                self._files = []
        return self._files

    def _finish(self, value):
        self.open = False
        if value.strip():
            path = Path(value.strip()).expanduser()
            self.on_done(path if path.is_absolute() else self.folder / path)

    def handle(self, event):
        if event.type == pygame.TEXTINPUT:
            if self.accepting:
                self.value += event.text
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.open = False
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._finish(self.value)
            elif event.key == pygame.K_BACKSPACE:
                self.value = "" if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT) else self.value[:-1]
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for rect, path in self.rows:
                if rect.collidepoint(event.pos):
                    self._finish(str(path))
        return True

    def draw(self, surface, t):
        size = surface.get_size()
        shade = pygame.Surface(size, pygame.SRCALPHA)
        shade.fill((0x10, 0x14, 0x1A, 0x90))
        surface.blit(shade, (0, 0))
        w = min(size[0] - 2 * t.margin, t.px(640))
        files = self.files()
        line = t.body + t.px(10)
        h = t.big + 3 * line + t.px(44) + (len(files) * line + t.px(8) if files else 0)
        box = pygame.Rect(0, 0, w, h)
        box.center = (size[0] // 2, size[1] // 2)
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        x, y = box.x + t.px(16), box.y + t.px(14)
        surface.blit(text(self.title, t.heading, th.TEXT, True), (x, y))
        y += t.big
        surface.blit(text(f"Folder: {self.folder}", t.small, th.MUTED), (x, y))
        y += line
        field = pygame.Rect(x, y, w - 2 * t.px(16), line + t.px(4))
        pygame.draw.rect(surface, th.HOVER, field, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, field, 1, border_radius=t.radius)
        value = text(self.value + "▏", t.body)
        area = pygame.Rect(max(0, value.get_width() - field.w + t.px(12)), 0, field.w - t.px(12),
                           value.get_height())
        surface.blit(value, value.get_rect(midleft=(field.x + t.px(6), field.centery)), area)
        y = field.bottom + t.px(8)
        self.rows = []
        for path in files:
            row = pygame.Rect(x, y, field.w, line)
            self.rows.append((row, path))
            surface.blit(text(path.name, t.body, th.ACCENT), (x + t.px(6), y + t.px(4)))
            y += line
        hint = "Enter: OK · Esc: cancel" + (" · click a file to pick it" if files else "")
        surface.blit(text(hint, t.small, th.MUTED), (x, box.bottom - t.small - t.px(10)))
