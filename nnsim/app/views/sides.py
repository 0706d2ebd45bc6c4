"""The sides' boundary views (one, or A and B side by side in compare mode), each with its
own heatmap; the side tags of compare mode; the banners over a side that cannot train."""
import pygame

from ...lessons.text import _
from ..draw import theme as th
from ..draw.heatmap import Heatmap, paint_grid
from ..draw.theme import text
from ..input.intents import Scroll
from ..state import controls
from .base import View
from .boundary import BoundaryView
from .overlays import REGION_HELP, banner


class SideView:
    """The boundary view of one side: its heatmap, redrawn from that side's snapshot."""

    def __init__(self, rect, t):
        self.heatmap = Heatmap()
        self.boundary = BoundaryView(rect, t)
        self.boundary.set_heatmap(self.heatmap.rgb)
        self._heat_key = None
        self._colours = None          # (heatmap key, discretize) the boundary image shows
        self._wrong = (None, ())      # (key, plane points of misclassified training points)
        self.placed = None            # (layout, place) it was made for (see SidesView)

    def refresh(self, side, frame, selected_node, budget_s):
        """Bring the heatmap up to date with ``side``'s snapshot (while training, spending
        at most ``budget_s`` of this frame on it, nothing if another view did the frame's
        heavy job); True once it is. ``selected_node`` shows that node's activation instead."""
        snapshot, ui = side.snapshot, frame.ui
        heat, net, features = self.heatmap, snapshot.view_net, side.session.settings.inputs
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
        if heat.in_progress and not frame.heavy:
            # while training, a frame spends at most budget_s on the grid; else all of it
            heat.advance(budget_s if frame.busy else None, parallel=frame.parallel and not frame.busy)
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


class SidesView(View):
    """The boundary view of each side, drawn from its snapshot. A side's heatmap and
    boundary image (``SideView``) live on its ``Side`` record, made here at its place."""

    def __init__(self, actions):
        self.actions = actions
        self.layouts = 0              # layouts so far: a side's view made at an older one is remade

    def layout(self, layout, t):
        self.rect, self.t = layout.boundary, t
        self.places = layout.pair or (layout.boundary,)
        self.layouts += 1

    def _view(self, i, side):
        """The side's SideView at place ``i`` of this layout (made on first use)."""
        if side.view is None or side.view.placed != (self.layouts, i):
            side.view = SideView(self.places[i], self.t)
            side.view.placed = (self.layouts, i)
        return side.view

    def refresh(self, frame):
        """Each side's heatmap, the frame's spare time shared between them; no grid work
        in a frame whose heavy job another view did."""
        ui, share = frame.ui, frame.spare_s / len(frame.sides)
        done = True
        for i, side in enumerate(frame.sides):
            node = ui.selected_node if i == frame.selected else None
            done &= self._view(i, side).refresh(side, frame, node, share)
        return done

    def draw(self, surface, frame):
        for i, side in enumerate(frame.sides):
            view = self._view(i, side)
            view.boundary.draw(surface, side.session, frame.ui.show_test,
                               view.misclassified(side.snapshot, side.session))

    def handle(self, intent, frame):
        """Clicks add points, drags paint them, Ctrl+click erases (see BoundaryView)."""
        return not isinstance(intent, Scroll) and any(      # (a side added since the
            self._view(i, side).boundary.handle(intent, self.actions)     # layout waits for it)
            for i, (_, side) in enumerate(zip(self.places, frame.sides)))

    def help_at(self, pos, frame):
        return _(REGION_HELP["boundary"])


class SideTagsView(View):
    """Compare mode: each side's name on its view (a click on it selects the side)."""

    def __init__(self, actions):
        self.actions = actions
        self.tags = []

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return frame.comparing

    def draw(self, surface, frame):
        e, t = frame.ui.experiment, self.t
        self.tags, self.labels = [], []           # per side: the tag's rect, its text
        for i, side in enumerate(frame.sides):
            name = _("side.tag", name=side.name)
            labels = (f"{name} · {_(e.sides[i])}", name) if e and e.parts == 2 else (name,)
            tag, label = side_tag(surface, side.view.boundary.rect, t, labels, i == frame.selected)
            self.tags.append(tag)
            self.labels.append(label)

    def handle(self, intent, frame):
        for i, tag in enumerate(self.tags):
            if getattr(intent, "primary", False) and tag.collidepoint(intent.pos):
                self.actions.select_side(i)
                return True
        return False


class TroubleView(View):
    """A banner over a side whose training cannot go on (diverged, dead), and one over
    the boundary when there are no training points."""

    def layout(self, layout, t):
        self.boundary, self.t = layout.boundary, t

    def draw(self, surface, frame):
        t = self.t
        for side in frame.sides:
            rect = side.view.boundary.rect
            if side.session.net.diverged:
                banner(surface, rect, t, _("banner.diverged.title"),
                       _("banner.diverged.hint", eta=controls.format_eta(side.session.settings.eta)))
            elif side.snapshot.dead:
                dead = side.snapshot.dead
                banner(surface, rect, t, _("banner.dead.title"),
                       _("banner.dead.hint_layer" if len(dead) == 1 else "banner.dead.hint_layers",
                         layers=", ".join(map(str, dead))))
        if not len(frame.session.y_train):
            banner(surface, self.boundary, t, _("banner.empty.title"), _("banner.empty.hint"),
                   th.ACCENT)


def side_tag(surface, rect, t, labels, selected):
    """The side's name (and what it is) at the bottom left of its view: the first of
    ``labels`` that fits the view's width, in the body size or else the small one (the
    last one small if none fits); the side the panel edits is framed in the accent colour.
    Returns the tag's rect (a click on it selects the side) and its text."""
    room = rect.w - 2 * t.px(10) - t.px(12)
    tags = [(text(label, size, th.WHITE, True), label) for label in labels
            for size in (t.body, t.small)]
    tag, label = next((shown for shown in tags if shown[0].get_width() <= room), tags[-1])
    box = tag.get_rect(bottomleft=(rect.x + t.px(10), rect.bottom - t.px(24))).inflate(t.px(12), t.px(6))
    pygame.draw.rect(surface, th.ACCENT if selected else th.OVERLAY[:3], box, border_radius=t.radius)
    surface.blit(tag, tag.get_rect(center=box.center))
    if selected:
        pygame.draw.rect(surface, th.ACCENT, rect, t.px(3))
    return box, label
