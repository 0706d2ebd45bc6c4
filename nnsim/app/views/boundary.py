"""The boundary view: the heatmap of the network's output over the plane with the points on top."""
import numpy as np
import pygame

from ...core.config import PLANE
from ..draw import theme as th
from ..draw.heatmap import VALUE_STEPS, value_colour
from ..draw.theme import text
from ..input.intents import Drag, Hover, Press, Release
from ..state.controls import BRUSH_SPACING


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
        thicker = self.t.px(th.palette.outline) if th.palette.outline else 0
        pygame.draw.circle(s, fill, (r + 1, r + 1), max(1, r - 1 - thicker))
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

    def handle(self, intent, actions):
        """A press adds a point of the intent's class (or erases the nearest one), a drag
        paints points; True when the intent was used."""
        if isinstance(intent, Press) and self.rect.collidepoint(intent.pos):
            plane = self.mapping.to_plane(intent.pos)
            if intent.erase:
                actions.remove_point(plane)
            elif actions.add_point(plane, intent.label):
                self.paint = (intent.label, plane)
            return True
        if isinstance(intent, (Drag, Hover)) and self.paint:
            if self.rect.collidepoint(intent.pos):
                self._paint_to(self.mapping.to_plane(intent.pos), actions)
            return True
        if isinstance(intent, Release) and self.paint:
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
