"""Views: they read the session's state and draw; they never train."""
import math

import numpy as np
import pygame

from ..core.config import PLANE
from . import theme as th
from .controls import BRUSH_SPACING
from .heatmap import VALUE_STEPS, value_colour
from .theme import text


def card_content(rect, t, title=None):
    """The area inside a card, below its title."""
    inner = rect.inflate(-2 * t.px(10), -2 * t.px(8))
    if title:
        skip = text(title, t.body, th.TEXT, True).get_height() + t.px(4)
        inner.y += skip
        inner.h -= skip
    return inner


def card(surface, rect, t, title=None):
    """A white rounded card with an optional title; returns the content rect below it."""
    pygame.draw.rect(surface, th.CARD, rect, border_radius=t.radius)
    pygame.draw.rect(surface, th.BORDER, rect, 1, border_radius=t.radius)
    inner = card_content(rect, t, title)
    if title:
        surface.blit(text(title, t.body, th.TEXT, True), rect.inflate(-2 * t.px(10), -2 * t.px(8)))
    return inner


class PlaneMapping:
    """Screen <-> plane for a square view of [-6, 6]^2 (x1 to the right, x2 up)."""

    def __init__(self, rect):
        self.rect = rect

    def to_screen(self, X):
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        scale = self.rect.w / (2 * PLANE)
        return np.c_[self.rect.x + (X[:, 0] + PLANE) * scale,
                     self.rect.y + (PLANE - X[:, 1]) * scale]

    def to_plane(self, pos):
        scale = (2 * PLANE) / self.rect.w
        return ((pos[0] - self.rect.x) * scale - PLANE, PLANE - (pos[1] - self.rect.y) * scale)


class BoundaryView:
    """The heatmap of the network's class probabilities with the points on top."""

    def __init__(self, rect, t):
        self.rect, self.t = rect, t
        self.mapping = PlaneMapping(rect)
        self.image = pygame.Surface(rect.size)
        self.radius = max(3, t.px(5))
        outline = {False: th.WHITE, True: th.BLACK}     # a training point, a test point
        self.sprites = {(c, test): self._sprite(colour, outline[test])
                        for c, colour in enumerate(th.CLASS_COLOURS) for test in outline}
        self.value_sprites = {(v, test): self._sprite(value_colour(v / VALUE_STEPS), outline[test])
                              for v in range(-VALUE_STEPS, VALUE_STEPS + 1) for test in outline}
        self._blits = None
        self._key = None
        self.paint = None           # (class, last plane point) while a drag paints

    def _sprite(self, fill, outline):
        r = self.radius
        s = pygame.Surface((2 * r + 2, 2 * r + 2), pygame.SRCALPHA)
        pygame.draw.circle(s, outline, (r + 1, r + 1), r + 1)
        pygame.draw.circle(s, fill, (r + 1, r + 1), max(1, r - 1))
        return s

    def set_heatmap(self, rgb):
        small = pygame.surfarray.make_surface(rgb)
        pygame.transform.smoothscale(small, self.rect.size, self.image)

    def _point_blits(self, session, show_test):
        key = (session.points_version, show_test)
        if key != self._key:
            X, y, test = session.X, session.y, session.test
            keep = ~test | show_test
            xy = self.mapping.to_screen(X[keep]) - (self.radius + 1)
            sprites = self.value_sprites if session.settings.regression else self.sprites
            if session.settings.regression:    # a point shows its target value, to tenths
                y = np.round(np.clip(y, -1.0, 1.0) * VALUE_STEPS).astype(int)
            self._blits = [(sprites[c, bool(k)], (int(px), int(py)))
                           for c, k, (px, py) in zip(y[keep], test[keep], xy)]
            self._key = key
        return self._blits

    def draw(self, surface, session, show_test, wrong=()):
        """``wrong``: plane points of the training points the network misclassifies."""
        surface.blit(self.image, self.rect)
        self._draw_axes(surface)
        surface.set_clip(self.rect)
        surface.blits(self._point_blits(session, show_test), doreturn=False)
        for x, y in self.mapping.to_screen(wrong).tolist():
            draw_wrong_marker(surface, (x, y), self.radius, self.t)
        surface.set_clip(None)
        pygame.draw.rect(surface, th.BORDER, self.rect, 1)

    def handle(self, event, actions):
        """Clicks add points (left: class A; right or Shift: B; middle or Alt: C), a drag
        paints them, Ctrl+click removes the nearest; True when the event was used."""
        if event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            plane = self.mapping.to_plane(event.pos)
            mods = pygame.key.get_mods()
            if event.button == 1 and mods & pygame.KMOD_CTRL:
                actions.remove_point(plane)
                return True
            label = _point_class(event.button, mods)
            if label is not None and actions.add_point(plane, label):
                self.paint = (label, plane)
            return True
        if event.type == pygame.MOUSEMOTION and self.paint:
            if self.rect.collidepoint(event.pos):
                self._paint_to(self.mapping.to_plane(event.pos), actions)
            return True
        if event.type == pygame.MOUSEBUTTONUP and self.paint:
            self.paint = None
            return True
        return False

    def _paint_to(self, plane, actions):
        """Drag painting: points every BRUSH_SPACING along the way from the last one, so a
        fast stroke leaves an even line."""
        label, last = self.paint
        d = np.subtract(plane, last)
        length = float(np.hypot(*d))
        for k in range(1, int(length / BRUSH_SPACING) + 1):
            point = tuple(np.add(last, d * (k * BRUSH_SPACING / length)))
            if not actions.add_point(point, label):
                self.paint = None
                return
            self.paint = (label, point)

    def _draw_axes(self, surface):
        """Tick labels every 2 units: along the bottom edge (with ticks) and the left edge."""
        t, r = self.t, self.rect
        tick = t.px(5)
        for v in range(-int(PLANE) + 2, int(PLANE), 2):
            x, y = self.mapping.to_screen([v, v])[0]
            label = text(str(v), t.small, th.MUTED)
            pygame.draw.line(surface, th.MUTED, (x, r.bottom - 1), (x, r.bottom - tick))
            surface.blit(label, label.get_rect(midbottom=(x, r.bottom - tick - 1)))
            surface.blit(label, label.get_rect(midleft=(r.x + t.px(4), y)))


def draw_wrong_marker(surface, centre, radius, t):
    """The mark of a misclassified training point: a red ring around it."""
    pygame.draw.circle(surface, th.DANGER, centre, radius + max(2, t.px(3)), max(1, t.px(2)))


def _point_class(button, mods):
    """The class a mouse button adds, or None."""
    if button == 3 or (button == 1 and mods & pygame.KMOD_SHIFT):
        return 1
    if button == 2 or (button == 1 and mods & pygame.KMOD_ALT):
        return 2
    return 0 if button == 1 else None


def _finite(values):
    """``values`` with Inf as NaN: both mean "no value" (a diverged epoch)."""
    return np.where(np.isfinite(values), values, np.nan)


class LossChart:
    """Train and test loss per epoch over the whole history, drawn as each pixel column's
    min-max band (so a jagged curve stays jagged) from the history's blocks, which cost the
    same however long training runs; hover shows epoch and value (or a block's range)."""

    def __init__(self, rect, t):
        self.rect, self.t = rect, t
        self.log_scale = False
        self._drawn = {}            # per slot: (history version, epochs, has_test, axis epochs)
        self._cached = {}           # per slot: the curves drawn
        self.inner = inner = card_content(rect, t, "Loss")
        label_w = text("0.000", t.small).get_width() + t.px(6)
        self.plot = pygame.Rect(inner.x + label_w, inner.y + t.px(4),
                                inner.w - label_w, inner.h - t.small - t.px(12))
        log = text("log", t.small)
        self.log_button = log.get_rect(topright=(rect.right - t.px(10), rect.y + t.px(8))).inflate(
            t.px(12), t.px(4))
        self.hover = None

    def handle(self, event):
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                self.log_button.collidepoint(event.pos):
            self.log_scale = not self.log_scale
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hover = event.pos if self.plot.collidepoint(event.pos) else None
        return False

    def _y(self, v, lo, hi):
        if self.log_scale:
            v, lo, hi = np.log10(np.maximum(v, 1e-6)), math.log10(max(lo, 1e-6)), math.log10(max(hi, 1e-6))
        return self.plot.bottom - (np.asarray(v) - lo) / max(hi - lo, 1e-12) * self.plot.h

    def _curves(self, history, version, has_test, n=None, slot=0, losses=None):
        """Per loss (train, and test if ``has_test``) that has values: (x, low, high) of
        each pixel column, or of each epoch while there are at most as many epochs as
        columns; the x axis spans ``n`` epochs (default: the history's). ``slot`` keeps a
        cache per curve set (compare mode draws two); ``losses`` are (column, colour)."""
        n = len(history) if n is None else n
        if self._drawn.get(slot) != (version, len(history), has_test, n):
            self._drawn[slot] = (version, len(history), has_test, n)
            p = self.plot
            starts, low, high = history.blocks()
            low, high = _finite(low), _finite(high)
            cached = self._cached[slot] = []
            for k, colour in (losses or ((0, th.TRAIN_LINE), (2, th.TEST_LINE)))[:1 + has_test]:
                if not len(starts) or np.isnan(high[:, k]).all():
                    continue
                if n <= p.w:      # one point per epoch: a line
                    cached.append((p.x + starts / max(n - 1, 1) * p.w, low[:, k], high[:, k],
                                   colour))
                    continue
                column = starts * p.w // n        # the band between each column's min and max
                first = np.flatnonzero(np.r_[True, np.diff(column) > 0])
                cached.append((p.x + column[first], np.fmin.reduceat(low[:, k], first),
                               np.fmax.reduceat(high[:, k], first), colour))
        return self._cached[slot]

    def draw(self, surface, history, version, has_test=True, empty="press Space to train"):
        """``history`` is a ``History``; ``version`` changes whenever it starts over (see
        Session); without test points there is no test curve; ``empty`` is shown while
        there is no curve."""
        t, p = self.t, self.plot
        card(surface, self.rect, t, "Loss")
        on = self.log_scale
        pygame.draw.rect(surface, th.ACCENT if on else th.CARD, self.log_button, border_radius=t.radius)
        pygame.draw.rect(surface, th.ACCENT if on else th.BORDER, self.log_button, 1, border_radius=t.radius)
        label = text("log", t.small, th.WHITE if on else th.MUTED, on)
        surface.blit(label, label.get_rect(center=self.log_button.center))
        legend_x = self.log_button.x - t.px(8)
        for name, colour in (("test", th.TEST_LINE), ("train", th.TRAIN_LINE))[not has_test:]:
            label = text(name, t.small, th.MUTED)
            rect = label.get_rect(midright=(legend_x, self.log_button.centery))
            surface.blit(label, rect)
            pygame.draw.line(surface, colour, (rect.x - t.px(18), rect.centery), (rect.x - t.px(4), rect.centery), 2)
            legend_x = rect.x - t.px(26)
        pygame.draw.line(surface, th.BORDER, p.bottomleft, p.bottomright)
        curves = self._curves(history, version, has_test)
        if not curves:
            label = text(empty, t.small, th.MUTED)
            surface.blit(label, label.get_rect(center=p.center))
            return
        hi = max(np.nanmax(c[2]) for c in curves)
        lo = min(np.nanmin(c[1]) for c in curves) if on else 0.0
        for v in (lo, hi):
            label = text(f"{v:.3g}", t.small, th.MUTED)
            box = label.get_rect(midright=(p.x - t.px(4), self._y(v, lo, hi)))
            surface.blit(label, box.clamp(self.inner))
        n = len(history)
        for label, x in ((f"{1}", p.x), (f"epoch {n:,}", p.right)):
            surf = text(label, t.small, th.MUTED)
            surface.blit(surf, surf.get_rect(midtop=(x, p.bottom + t.px(2))) if x == p.x
                         else surf.get_rect(topright=(x, p.bottom + t.px(2))))
        for xs, low, high, colour in curves:
            low, high = np.nan_to_num(low, nan=hi), np.nan_to_num(high, nan=hi)
            if n <= p.w:
                if n == 1:
                    pygame.draw.circle(surface, colour, (xs[0], self._y(low[0], lo, hi)), 2)
                else:
                    pygame.draw.lines(surface, colour, False, np.c_[xs, self._y(low, lo, hi)].tolist(), 2)
                continue
            top = np.c_[xs, self._y(high, lo, hi)]
            bottom = np.c_[xs, self._y(low, lo, hi) + 1][::-1]
            pygame.draw.polygon(surface, colour, np.r_[top, bottom].tolist())
        if self.hover:
            self._draw_hover(surface, history, lo, hi)

    def draw_pair(self, surface, sides, empty="press Space to train"):
        """Compare mode: the train loss of each of ``sides`` ((name, history, version): A and
        B) on one axis, A solid and B dashed, each named at its last point."""
        t, p = self.t, self.plot
        card(surface, self.rect, t, "Loss (train)")
        n = max(len(history) for _, history, _ in sides)
        curves = [(name, self._curves(history, version, False, n, slot, ((0, colour),)))
                  for slot, ((name, history, version), colour)
                  in enumerate(zip(sides, (th.TRAIN_LINE, th.ACCENT)))]
        legend_x = self.rect.right - t.px(10)
        for slot, (name, _) in reversed(list(enumerate(curves))):
            label = text(f"side {name}", t.small, th.MUTED)
            rect = label.get_rect(midright=(legend_x, self.rect.y + t.px(8) + t.small // 2))
            surface.blit(label, rect)
            y = rect.centery
            step = t.px(6) * (1 + slot)        # B's sample: dashes
            for x in range(rect.x - t.px(30), rect.x - t.px(4), step):
                _line(surface, (th.TRAIN_LINE, th.ACCENT)[slot], [(x, y), (x + step // (1 + slot), y)])
            legend_x = rect.x - t.px(40)
        pygame.draw.line(surface, th.BORDER, p.bottomleft, p.bottomright)
        drawn = [(slot, name, c) for slot, (name, cs) in enumerate(curves) for c in cs]
        if not drawn:
            label = text(empty, t.small, th.MUTED)
            surface.blit(label, label.get_rect(center=p.center))
            return
        hi = max(np.nanmax(c[2]) for _, _, c in drawn)
        lo = min(np.nanmin(c[1]) for _, _, c in drawn) if self.log_scale else 0.0
        for v in (lo, hi):
            label = text(f"{v:.3g}", t.small, th.MUTED)
            box = label.get_rect(midright=(p.x - t.px(4), self._y(v, lo, hi)))
            surface.blit(label, box.clamp(self.inner))
        for label, x, anchor in (("1", p.x, "midtop"), (f"epoch {n:,}", p.right, "topright")):
            surf = text(label, t.small, th.MUTED)
            surface.blit(surf, surf.get_rect(**{anchor: (x, p.bottom + t.px(2))}))
        dash = t.px(8)
        for slot, name, (xs, low, high, colour) in drawn:
            low, high = np.nan_to_num(low, nan=hi), np.nan_to_num(high, nan=hi)
            top, bottom = self._y(high, lo, hi), self._y(low, lo, hi)
            if slot:       # B in dashes: resampled to every pixel column, cut every dash
                x = np.arange(int(xs[0]), int(xs[-1]) + 1)
                xs, top, bottom = x, np.interp(x, xs, top), np.interp(x, xs, bottom)
            if n <= p.w:
                points, per_x, width = np.c_[xs, bottom].tolist(), 1, 3
            else:          # each column's band from max to min: one zigzag line (a polygon
                points = np.c_[np.repeat(xs, 2), np.c_[top, bottom + 1].ravel()].tolist()
                per_x, width = 2, 2                                 # this tall is slow)
            for start in range(0, len(xs), 2 * dash) if slot else (0,):
                piece = points[per_x * start:per_x * (start + dash)] if slot else points
                _line(surface, colour, piece, width)
            tag = text(name, t.body, colour, True)
            surface.blit(tag, tag.get_rect(midleft=(min(xs[-1] + t.px(4), p.right - tag.get_width()),
                                                    bottom[-1] - t.px(10))))

    def _draw_hover(self, surface, history, lo, hi):
        t, p = self.t, self.plot
        n = len(history)
        e = int(round((self.hover[0] - p.x) / p.w * max(n - 1, 1)))
        e = min(max(e, 0), n - 1)
        x = p.x + e / max(n - 1, 1) * p.w
        pygame.draw.line(surface, th.MUTED, (x, p.y), (x, p.bottom))
        first, epochs, low, high = history.at(e)
        parts = [f"epoch {e + 1:,}" if epochs == 1 else f"epochs {first + 1:,}–{first + epochs:,}"]
        for name, k in (("train", 0), ("test", 2)):
            if np.isfinite(high[k]):
                parts.append(f"{name} {low[k]:.4f}" if low[k] == high[k]
                             else f"{name} {low[k]:.4f}–{high[k]:.4f}")
        label = text("   ".join(parts), t.small, th.TEXT, True)
        box = label.get_rect(midtop=(x, p.y)).inflate(t.px(10), t.px(6))
        box.clamp_ip(p)
        pygame.draw.rect(surface, th.CARD, box, border_radius=t.radius)
        pygame.draw.rect(surface, th.BORDER, box, 1, border_radius=t.radius)
        surface.blit(label, label.get_rect(center=box.center))


def _line(surface, colour, points, width=2):
    """A polyline through ``points`` (a dot for one point)."""
    if len(points) == 1:
        pygame.draw.circle(surface, colour, points[0], width)
    else:
        pygame.draw.lines(surface, colour, False, points, width)


def readouts(surface, rect, t, epoch, metrics, epochs_per_s, fps, regression=False):
    """Epoch, train/test loss and accuracy (for ``regression`` the mean absolute error),
    with the training speed and FPS in the corner."""
    inner = card(surface, rect, t)
    score = ("MAE", ".3f") if regression else ("Accuracy", ".1%")
    cols = [("Epoch", f"{epoch:,}", None),
            ("Loss", _num(metrics[0], ".3f"), _num(metrics[2], ".3f")),
            (score[0], _num(metrics[1], score[1]), _num(metrics[3], score[1]))]
    w = inner.w / len(cols)
    big = t.big             # shrunk until the widest value fits its column
    while big > t.small and max(text(main, big, th.TEXT, True).get_width() for _, main, _ in cols) > w - t.px(6):
        big -= 1
    for i, (name, main, test) in enumerate(cols):
        x = inner.x + i * w
        surface.blit(text(name, t.small, th.MUTED), (x, inner.y))
        value = text(main, big, th.TEXT, True)
        surface.blit(value, (x, inner.y + t.small + t.px(4)))
        if test is not None:
            label = text(f"test {test}", t.small, th.TEST_LINE, True)
            if label.get_width() > w - t.px(6):
                label = text(test, t.small, th.TEST_LINE, True)
            surface.blit(label, (x, inner.y + t.small + t.big + t.px(10)))
    rate = text(f"{epochs_per_s:,.0f} epochs/s · {fps:.0f} FPS", t.small, th.MUTED)
    surface.blit(rate, rate.get_rect(bottomright=inner.bottomright))


def _num(v, fmt):
    return "—" if v is None or not math.isfinite(v) else format(v, fmt)


def banner(surface, rect, t, title, subtitle, colour=th.DANGER):
    """A centred message box over ``rect`` (diverged, preparing, ...), its subtitle wrapped
    to fit inside ``rect``."""
    lines = (text(title, t.big, th.WHITE, True),
             text(subtitle, t.body, th.WHITE, width=rect.w - t.px(72), centred=True))
    w = max(line.get_width() for line in lines)
    h = sum(line.get_height() for line in lines) + t.px(6)
    box = pygame.Rect(0, 0, w + t.px(40), h + t.px(28))
    box.center = rect.center
    pygame.draw.rect(surface, colour, box, border_radius=t.radius)
    y = box.y + t.px(14)
    for i, line in enumerate(lines):
        surface.blit(line, line.get_rect(midtop=(box.centerx, y)))
        y += line.get_height() + (t.px(6) if i == 0 else 0)


def toast(surface, size, t, message):
    """A short message at the bottom centre of the window."""
    label = text(message, t.body, th.WHITE)
    box = label.get_rect(midbottom=(size[0] // 2, size[1] - t.px(20))).inflate(t.px(24), t.px(12))
    shade = pygame.Surface(box.size, pygame.SRCALPHA)
    pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
    surface.blit(shade, box)
    surface.blit(label, label.get_rect(center=box.center))


def help_overlay(surface, size, t, rows):
    """Every hotkey on an opaque card, in two halves of a key column and a description
    column each; descriptions wrap when the window is too narrow for them."""
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill(th.OVERLAY)
    surface.blit(shade, (0, 0))
    half = (len(rows) + 1) // 2
    gap = t.px(16)
    key_w = max(text(k, t.body, th.WHITE, True).get_width() for k, _ in rows) + gap
    desc_w = min(max(text(d, t.body, th.WHITE).get_width() for _, d in rows),
                 (size[0] - 4 * gap) // 2 - key_w)
    col_w = key_w + desc_w + gap
    cells = [(text(k, t.body, th.ACCENT_LIGHT, True), text(d, t.body, th.WHITE, width=desc_w))
             for k, d in rows]
    heights = [max(k.get_height(), d.get_height()) + t.px(4) for k, d in cells]
    title = text("Keyboard & mouse", t.big, th.WHITE, True)
    body_h = max(sum(heights[:half]), sum(heights[half:]))
    total_h = title.get_height() + t.px(16) + body_h + t.small + t.px(12)
    x0, y0 = (size[0] - 2 * col_w) // 2, max(gap, (size[1] - total_h) // 2)
    box = pygame.Rect(x0 - gap, y0 - gap, 2 * col_w + gap, total_h + 2 * gap)
    pygame.draw.rect(surface, th.OVERLAY[:3], box.clip(surface.get_rect()), border_radius=t.radius)
    surface.blit(title, (x0, y0))
    top = y0 + title.get_height() + t.px(16)
    y = top
    for i, ((key, desc), h) in enumerate(zip(cells, heights)):
        if i == half:
            y = top
        x = x0 + (i >= half) * col_w
        surface.blit(key, (x, y))
        surface.blit(desc, (x + key_w, y))
        y += h
    hint = text("press H, ? or Esc to close", t.small, th.BORDER)
    surface.blit(hint, (x0, top + body_h + t.px(8)))
