"""Compare mode's side views: a boundary view per side, with its own heatmap, and the side tags."""
import pygame

from ..draw import theme as th
from ..draw.heatmap import Heatmap, paint_grid
from ..draw.theme import text
from .boundary import BoundaryView

SIDE_NAMES = ("A", "B")


class SideView:
    """The boundary view of one side: its heatmap, redrawn from that side's snapshot."""

    def __init__(self, rect, t):
        self.heatmap = Heatmap()
        self.boundary = BoundaryView(rect, t)
        self.boundary.set_heatmap(self.heatmap.rgb)
        self._heat_key = None
        self._colours = None          # (heatmap key, discretize) the boundary image shows
        self._wrong = (None, ())      # (key, plane points of misclassified training points)

    def refresh(self, snapshot, session, ui, selected_node, busy, parallel, budget_s, grid=True):
        """Bring the heatmap up to date with ``snapshot`` (while training, spending at most
        ``budget_s`` of this frame on it, nothing unless ``grid``); True once it is.
        ``selected_node`` shows that node's activation instead."""
        heat, net, features = self.heatmap, snapshot.view_net, session.settings.features
        key = (snapshot.view_version, features, selected_node)
        if selected_node:
            if key != self._heat_key:
                l, i = selected_node
                values = net.activations(heat.inputs(features), last=l)[l][i]
                kind = i + 1 if l == len(net.sizes) - 1 and not net.regression else 0
                self.boundary.set_heatmap(paint_grid(values, kind, net.n_classes, heat.rgb))
                self._heat_key, self._colours = key, None
            return True
        # a newer snapshot of the same network waits until the grid in progress is done
        if key != self._heat_key and not (heat.in_progress and heat.matches(net, features)):
            heat.begin(net, features)
            self._heat_key = key
        if heat.in_progress and grid:
            # while training, a frame spends at most budget_s on the grid; else all of it
            heat.advance(budget_s if busy else None, parallel=parallel and not busy)
        colours = (self._heat_key, ui.discretize)
        if not heat.in_progress and colours != self._colours:
            self.boundary.set_heatmap(heat.colour(ui.discretize))
            self._colours = colours
        return key == self._heat_key and not heat.in_progress

    def misclassified(self, snapshot, session):
        """Plane points of the training points ``snapshot``'s network gets wrong."""
        net = snapshot.view_net
        key = (snapshot.view_version, session.points_version)
        if key != self._wrong[0]:
            wrong = ()
            if len(session.y_train) and net.sizes[0] == session.F_train.shape[1] \
                    and not net.regression:        # a regression has no wrong class
                guess = net.predict_proba(session.F_train, parallel=False).argmax(axis=1)
                wrong = session.X[~session.test][guess != session.y_train]
            self._wrong = (key, wrong)
        return self._wrong[1]


def side_tag(surface, rect, t, label, selected):
    """The side's name (and what it is) at the bottom left of its view; the side the panel
    edits is framed in the accent colour. Returns the tag's rect (a click on it selects
    the side)."""
    tag = text(label, t.body, th.WHITE, True)
    box = tag.get_rect(bottomleft=(rect.x + t.px(10), rect.bottom - t.px(24))).inflate(t.px(12), t.px(6))
    pygame.draw.rect(surface, th.ACCENT if selected else th.OVERLAY[:3], box, border_radius=t.radius)
    surface.blit(tag, tag.get_rect(center=box.center))
    if selected:
        pygame.draw.rect(surface, th.ACCENT, rect, t.px(3))
    return box


def card_tag(surface, rect, t, label):
    """A small accent label on the top edge of card ``rect``, at its right (which side the
    network card shows)."""
    tag = text(label, t.small, th.WHITE, True)
    box = tag.get_rect(midright=(rect.right - t.px(12), rect.y)).inflate(t.px(10), t.px(2))
    pygame.draw.rect(surface, th.ACCENT, box, border_radius=t.radius)
    surface.blit(tag, tag.get_rect(center=box.center))
