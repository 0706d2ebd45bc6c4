"""A path prompt inside the app (no external GUI toolkit): a line to type a file name in
(with a cursor: ←/→, Home/End, Backspace and Delete at it, Ctrl+V pastes), the folder it is
relative to, and that folder's sub-folders and matching files to click."""
import math
from pathlib import Path

import pygame

from ...core.files import shown
from ...lessons.text import _
from ..draw import theme as th
from ..draw.primitives import shade_behind
from ..draw.theme import text
from ..input.intents import Press

MAX_LISTED = 8          # files, newest first
MAX_FOLDERS = 6         # sub-folders, by name
#: the keys that move the cursor: key -> new position from (position, length)
CURSOR_KEYS = {pygame.K_LEFT: lambda at, n: max(0, at - 1), pygame.K_RIGHT: lambda at, n: min(n, at + 1),
               pygame.K_HOME: lambda at, n: 0, pygame.K_END: lambda at, n: n}


class PathPrompt:
    """Modal while open: ``key`` and ``point`` take every event. Enter on a typed name, or a click on
    a listed file, runs ``on_done(path)``; a folder (typed, clicked, or "..") is entered
    instead. With ``confirm_replace`` (saving), choosing a file that exists asks first and a
    second Enter replaces it. Esc backs out of that question, else cancels. It starts in
    ``folder`` (default: the current folder)."""

    def __init__(self, title, initial, on_done, suffixes, confirm_replace=False, folder=None):
        self.title, self.on_done, self.suffixes = title, on_done, suffixes
        self.initial, self.confirm_replace = str(initial), confirm_replace
        self.folder = Path(folder).resolve() if folder else Path.cwd()
        self._set(self.initial)
        self.replacing = None         # the existing file a save would replace, once asked
        self.open = True
        self.accepting = False        # set from the next frame on: the key that opened the
        self._entries = None          # prompt must not type its own letter into it
        self.rows = []                # (rect, path) of each listed entry, from the last draw

    def entries(self):
        """(label, path, is_folder) of what the folder offers: "..", sub-folders, then files
        with a wanted suffix, newest first (read once per folder)."""
        if self._entries is None:
            try:
                found = [p for p in self.folder.iterdir() if not p.name.startswith(".")]
                folders = sorted((p for p in found if p.is_dir()), key=lambda p: p.name.casefold())
                files = sorted((p for p in found if p.suffix.lower() in self.suffixes and p.is_file()),
                               key=lambda p: p.stat().st_mtime, reverse=True)
            except OSError:
                folders, files = [], []
            up = [("..", self.folder.parent, True)] if self.folder.parent != self.folder else []
            self._entries = up + [(shown(p.name) + "/", p, True) for p in folders[:MAX_FOLDERS]] + \
                [(shown(p.name), p, False) for p in files[:MAX_LISTED]]
        return self._entries

    def _set(self, value, cursor=None):
        """The typed line becomes ``value``, the cursor at ``cursor`` (default: its end)."""
        self.value = value
        self.cursor = len(value) if cursor is None else min(max(cursor, 0), len(value))
        self.replacing = None

    def _insert(self, typed):
        typed = "".join(typed.splitlines())         # a pasted line break is no file name
        self._set(self.value[:self.cursor] + typed + self.value[self.cursor:],
                  self.cursor + len(typed))

    def _enter(self, folder):
        self.folder = folder.resolve()
        self._set(self.initial)
        self._entries = None

    def _choose(self, value):
        """Act on a typed or clicked path: enter a folder, ask before replacing, or finish."""
        if not value.strip():
            return
        path = Path(value.strip()).expanduser()
        path = path if path.is_absolute() else self.folder / path
        if path.is_dir():
            self._enter(path)
        elif self.confirm_replace and path.exists() and self.replacing != path:
            self.replacing = path
        else:
            self.open = False
            self.on_done(path)

    def key(self, event):
        """A key or text event (the prompt takes them all while open)."""
        if event.type == pygame.TEXTINPUT:
            if self.accepting:
                self._insert(event.text)
        elif event.type == pygame.KEYDOWN:
            before, after = self.value[:self.cursor], self.value[self.cursor:]
            if event.key == pygame.K_ESCAPE:
                if self.replacing:
                    self.replacing = None     # back to the name, not out of the prompt
                else:
                    self.open = False
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._choose(str(self.replacing) if self.replacing else self.value)
            elif event.key == pygame.K_BACKSPACE:     # Ctrl or Alt: all before the cursor
                cut = 0 if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT) else max(0, self.cursor - 1)
                self._set(self.value[:cut] + after, cut)
            elif event.key == pygame.K_DELETE:
                self._set(before + after[1:], self.cursor)
            elif event.key in CURSOR_KEYS:
                self.cursor = CURSOR_KEYS[event.key](self.cursor, len(self.value))
            elif event.key == pygame.K_v and event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
                self._insert(pygame.scrap.get_text())

    def point(self, intent):
        """A pointer intent: a press on a listed file or folder picks it."""
        if isinstance(intent, Press) and intent.primary:
            for rect, path in self.rows:
                if rect.collidepoint(intent.pos):
                    self._set(path.name)          # a folder resets it on entering
                    self._choose(str(path))
                    break

    def draw(self, surface, t):
        size = surface.get_size()
        shade_behind(surface)
        w = min(size[0] - 2 * t.margin, t.px(640))
        entries = self.entries()
        line = t.body + t.px(10)
        h = t.big + 3 * line + t.px(44) + (len(entries) * line + t.px(8) if entries else 0) + \
            (line if self.replacing else 0)
        box = pygame.Rect(0, 0, w, h)
        box.center = (size[0] // 2, size[1] // 2)
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        x, y = box.x + t.px(16), box.y + t.px(14)
        inner = w - 2 * t.px(16)
        surface.blit(text(self.title, t.heading, th.TEXT, True), (x, y))
        y += t.big
        folder = text(_("prompt.folder", folder=shown(self.folder)), t.small, th.MUTED)
        # a deep folder shows its end, the part that tells folders apart
        surface.blit(folder, (x, y), pygame.Rect(max(0, folder.get_width() - inner), 0, inner,
                                                 folder.get_height()))
        y += line
        field = pygame.Rect(x, y, inner, line + t.px(4))
        pygame.draw.rect(surface, th.HOVER, field, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, field, 1, border_radius=t.radius)
        before = shown(self.value[:self.cursor]) + "▏"
        value = text(before + shown(self.value[self.cursor:]), t.body)
        # the part that shows is the start, or as much before the cursor as fits
        area = pygame.Rect(max(0, text(before, t.body).get_width() - field.w + t.px(12)), 0,
                           field.w - t.px(12), value.get_height())
        surface.blit(value, value.get_rect(midleft=(field.x + t.px(6), field.centery)), area)
        y = field.bottom + t.px(8)
        if self.replacing:
            surface.blit(text(_("prompt.replace", name=shown(self.replacing.name)), t.small, th.DANGER, True),
                         (x, y + t.px(4)))
            y += line
        self.rows = []
        for label, path, is_folder in entries:
            row = pygame.Rect(x, y, field.w, line)
            self.rows.append((row, path))
            surface.blit(text(label, t.body, th.TEXT if is_folder else th.ACCENT),
                         (x + t.px(6), y + t.px(4)))
            y += line
        hint = _("prompt.hint" if all(e[2] for e in entries) else "prompt.hint_files")
        surface.blit(text(hint, t.small, th.MUTED), (x, box.bottom - t.small - t.px(10)))


class TypedPrompt:
    """A one-line prompt to type a value in, modal while ``open`` (the app hands it every
    event, as it does a PathPrompt). The first key typed replaces the value shown; Enter
    runs ``_finish()``, which may set ``error``; Esc cancels."""

    def __init__(self, value):
        self.value = value
        self.fresh = True         # the value shown is replaced by the first key typed
        self.error = ""
        self.open = True
        self.accepting = False    # set from the next frame on (as PathPrompt)

    def key(self, event):
        """A key or text event (the prompt takes them all while open)."""
        if event.type == pygame.TEXTINPUT and self.accepting:
            self.value = event.text if self.fresh else self.value + event.text
            self.fresh, self.error = False, ""
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.open = False
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._finish()
            elif event.key == pygame.K_BACKSPACE:
                self.value = "" if self.fresh else self.value[:-1]
                self.fresh, self.error = False, ""

    def _finish(self):
        raise NotImplementedError


class ValuePrompt(TypedPrompt):
    """A number prompt by the diagram: Enter runs ``on_done(value)`` for a number in
    [-limit, limit], else says so; Esc or a click outside cancels."""

    def __init__(self, title, value, on_done, anchor, limit):
        super().__init__(f"{value:.4g}")
        self.title, self.on_done, self.anchor, self.limit = title, on_done, anchor, limit
        self.box = pygame.Rect(0, 0, 0, 0)

    def point(self, intent):
        """A pointer intent: a press outside the box cancels."""
        if isinstance(intent, Press) and not self.box.collidepoint(intent.pos):
            self.open = False

    def _finish(self):
        try:
            value = float(self.value.strip().replace("−", "-").replace(",", "."))
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and abs(value) <= self.limit):
            self.error = _("prompt.number.range", low=f"{-self.limit:g}", high=f"{self.limit:g}")
            return
        self.open = False
        self.on_done(value)

    def draw(self, surface, t):
        title = text(_("prompt.number.title", what=self.title), t.small, th.TEXT, True)
        hint = text(self.error or _("prompt.number.hint"), t.small,
                    th.DANGER if self.error else th.MUTED)
        value = text(self.value + "▏", t.body, th.WHITE if self.fresh else th.TEXT)
        pad = t.px(8)
        w = max(title.get_width(), hint.get_width(), t.px(160)) + 2 * pad
        h = title.get_height() + value.get_height() + hint.get_height() + t.px(14) + 2 * pad
        self.box = pygame.Rect(self.anchor[0] + t.px(10), self.anchor[1] + t.px(10), w, h)
        self.box.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, th.CARD, self.box, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT, self.box, 2, border_radius=t.radius)
        x, y = self.box.x + pad, self.box.y + pad
        surface.blit(title, (x, y))
        y += title.get_height() + t.px(4)
        field = pygame.Rect(x, y, w - 2 * pad, value.get_height() + t.px(6))
        pygame.draw.rect(surface, th.HOVER, field, border_radius=t.radius)
        if self.fresh:     # shown selected: typing replaces it
            pygame.draw.rect(surface, th.ACCENT, (field.x + t.px(3), field.y + t.px(2),
                                                  value.get_width(), field.h - t.px(4)))
        surface.blit(value, value.get_rect(midleft=(field.x + t.px(4), field.centery)))
        surface.blit(hint, (x, field.bottom + t.px(4)))
