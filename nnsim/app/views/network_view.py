"""Inside the network: the diagram (a live activation thumbnail per neuron, links coloured by
weight), the gradient meter, and the hidden-space view (the data as a layer sees it)."""
import math
import time

import numpy as np
import pygame

from ...core.config import CLASS_NAMES, FEATURE_TABLE, MAX_WIDTH, PLANE
from ...core.features import feature_matrix_t, input_labels
from ...lessons.text import _
from ..draw import theme as th
from ..draw.heatmap import Heatmap, colours, drawable, paint_nodes
from ..draw.primitives import card, card_content
from ..draw.theme import text
from ..input.intents import Drag, Hover, Press, Scroll
from ..state.training import vanishing
from ..widgets.base import Segmented, Stepper
from .base import View
from .budget import FrameBudget
from .overlays import REGION_HELP

GRID = 24                 # thumbnail resolution: GRID x GRID cells over the plane
REFRESH_S = 1 / 15        # the diagram redraws at most this often while training
MAX_LINKS = 160           # strongest links drawn per pair of layers...
MIN_LINKS = 16            # ...and at least this many, however tight the frame budget
HIDDEN_POINTS = 1500      # at most about this many training points in the hidden-space view
METER_RANGE = (-7.0, 0.0)  # log10 of mean |dL/dW| at the empty and the full bar
NO_HIDDEN_SPACE = "network.no_hidden_space"

def _segment_distance(p, a, b):
    """Distances from point p to the segments a[k]-b[k]."""
    d = b - a
    t = np.clip(((p - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-9), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * d - p).T)


class NetworkView(View):
    """The network card of the side shown. ``refresh`` redraws its cached picture (at most
    every REFRESH_S while training, within the frame budget); ``draw`` blits it with the
    live widgets and the hover tooltip."""

    def __init__(self, actions):
        self.actions = actions
        self.thumbs = Heatmap(GRID)               # the grid inputs of the thumbnails
        self.costs = FrameBudget()    # measured "link" (seconds per link) and "rest" of a redraw
        self.mouse = None
        self.redraws = 0              # cached pictures drawn (the bench's redraws/s)

    def layout(self, layout, t):
        ui, actions = self.actions.ui, self.actions
        self.rect, self.t = rect, t = layout.network, t
        self.inner = card_content(rect, t, _("network.title"))
        tab_w = min(2 * (text(_("network.hidden_space"), t.small, th.TEXT, True).get_width() + t.px(16)),
                    rect.w - t.px(10))         # a long translation: the cells share the card's width
        self.tabs = Segmented(pygame.Rect(self.rect.right - t.px(10) - tab_w, self.rect.y + t.px(6),
                                          tab_w, t.px(24)), [_("network.diagram"), _("network.hidden_space")],
                              lambda: int(ui.hidden_space), actions.set_hidden_space, t)
        self._title_room = rect.w - tab_w - t.px(28)      # left of the tabs
        self.side_name = None         # compare mode: the side the card shows
        meter_h = t.small * 2 + t.px(58)
        self.area = pygame.Rect(self.inner.x, self.inner.y + t.px(8), self.inner.w,
                                self.inner.h - meter_h - t.px(8))
        self.meter = pygame.Rect(self.inner.x, self.area.bottom + t.px(4), self.inner.w,
                                 self.inner.bottom - self.area.bottom - t.px(4))
        self.surface = pygame.Surface(rect.size)
        self.mouse = None
        self.columns = []             # node rects per layer, placed by the first update
        self.net = None
        self.grad_meter = ()
        self.notice = None            # the message drawn instead of a picture, if any
        self.link_weights = np.empty(0)
        self._shape = None            # the sizes the nodes are placed for...
        self._extra = None            # ...and the extra inputs' formulas
        self._drawn_at = -math.inf     # app clock time of the last redraw
        self._shown = None            # what the cached picture shows (see refresh)
        self.links_per_pair = MAX_LINKS
        self._hidden_controls = []

    def visible(self, frame):
        return not frame.ui.theory_visible

    # -- geometry -------------------------------------------------------------------------
    def _place(self, sizes, extra):
        """Node rects per layer: columns spread over the area, each centred vertically;
        nodes shrink so that the fullest column (up to MAX_WIDTH) fits."""
        t, area = self.t, self.area
        L = len(sizes) - 1
        top = t.small + t.px(6)                        # room for the column captions
        # room for the input names
        left = max(text(label, t.small).get_width()
                   for label in (*(f.label for f in FEATURE_TABLE), *extra)) + t.px(6)
        span = area.w - left - t.px(4)
        gap = t.px(3)
        size = int(min(t.px(44), (area.h - top) / max(sizes) - gap, span / max(L, 1) * 0.42))
        size = max(size, 4)
        self.node_size = size
        self.columns = []
        for l, n in enumerate(sizes):
            cx = area.x + left + size / 2 + l * (span - size) / max(L, 1)
            height = n * size + (n - 1) * gap
            y0 = area.y + top + (area.h - top - height) / 2
            self.columns.append([pygame.Rect(round(cx - size / 2), round(y0 + i * (size + gap)),
                                             size, size) for i in range(n)])
        self._right = [np.array([r.midright for r in column]) for column in self.columns]
        self._left = [np.array([r.midleft for r in column]) for column in self.columns]
        self.atlas_rgb = np.empty((sum(sizes) * size, size, 3), dtype=np.uint8)
        self.atlas = pygame.Surface((sum(sizes) * size, size))

    def column_gap(self):
        """Pixels between the centres of neighbouring diagram columns."""
        return self.columns[1][0].centerx - self.columns[0][0].centerx

    def _refresh_controls(self, sizes):
        """Hidden-space pickers: which hidden layer, and which two of its neurons."""
        t, act = self.t, self.actions
        ui = act.ui
        row = pygame.Rect(self.area.x, self.area.y, self.area.w, t.px(26))
        w = (row.w - 2 * t.px(8)) / 3
        cells = [pygame.Rect(round(row.x + i * (w + t.px(8))), row.y + t.small + t.px(2), round(w),
                             t.px(24)) for i in range(3)]
        hidden = len(sizes) - 2
        self._hidden_controls = [
            ("network.hidden.layer", cells[0], Stepper(cells[0], lambda: ui.hidden_layer, act.set_hidden_layer, 1, hidden)),
            ("network.hidden.x", cells[1], Stepper(cells[1], lambda: ui.hidden_axes[0] + 1,
                                               lambda v: act.set_hidden_axis(0, v - 1), 1, MAX_WIDTH)),
            ("network.hidden.y", cells[2], Stepper(cells[2], lambda: ui.hidden_axes[1] + 1,
                                               lambda v: act.set_hidden_axis(1, v - 1), 1, MAX_WIDTH)),
        ]

    # -- events ---------------------------------------------------------------------------
    def handle(self, intent, frame):
        """Hover and presses: a node shows large (with ``alternate``, Shift: its bias is
        typed), a link's weight is typed; True when the intent was used."""
        if isinstance(intent, Scroll):
            return False
        inside = self.rect.collidepoint(intent.pos)
        if isinstance(intent, (Hover, Drag)):
            self.mouse = intent.pos if inside else None
            return inside
        if not isinstance(intent, Press) or not inside:
            return False
        if self.tabs.handle(intent):
            return True
        if self.actions.ui.hidden_space:
            any(w.handle(intent) for _, _, w in self._hidden_controls)
            return True
        node, link = self.node_at(intent.pos), self.link_at(intent.pos)
        if not intent.primary:
            return True
        if node and node[0] and intent.alternate:
            self.actions.edits.ask((node[0], node[1], None), intent.pos)   # its bias
        elif node:
            self.actions.select_node(node)
        elif link:
            self.actions.edits.ask(link, intent.pos)
        return True

    def help_at(self, pos, frame):
        """None where the diagram shows a node's or link's numbers; the meter's help over
        the meter; else the card's."""
        if not self.actions.ui.hidden_space and self.tooltip_at(pos):
            return None
        return _(REGION_HELP["meter" if self.meter.collidepoint(pos) else "network"])

    def node_at(self, pos):
        """(layer, unit) of the node at screen position ``pos``, or None."""
        for l, column in enumerate(self.columns):
            for i, r in enumerate(column):
                if r.inflate(4, 4).collidepoint(pos):
                    return l, i
        return None

    def link_at(self, pos):
        """(layer, out, in) of the drawn link nearest to ``pos`` within a few pixels, or None."""
        if not len(self.link_weights):
            return None
        d = _segment_distance(np.array(pos, dtype=float), self.link_ends[:, :2], self.link_ends[:, 2:])
        k = int(np.argmin(d))
        if d[k] > max(4, self.t.px(4)):
            return None
        l, i, o = self.link_meta[k].tolist()
        return l, o, i

    # -- drawing --------------------------------------------------------------------------
    def refresh(self, frame):
        """Redraw the card when what it shows changed: at once while paused; while training
        at most every REFRESH_S, as the frame's heavy job, with the links that fit the
        frame's spare time. True once the picture is up to date."""
        side, ui = frame.side, frame.ui
        shot, session = side.snapshot, side.session
        self.side_name = side.name if frame.comparing else None
        shown = (shot.view_version, session.points_version, session.settings, ui.selected_node,
                 ui.hidden_space, ui.hidden_layer, tuple(ui.hidden_axes), self.side_name)
        due = shown != self._shown and (not ui.playing or self.due(shot.view_net))
        if due and self.update(session, shot.view_net, shot.grad_meter, force=not ui.playing,
                               budget_s=frame.spare_s if frame.busy else None):
            self._shown = shown
        frame.heavy |= frame.busy and due
        return shown == self._shown

    def due(self, net):
        """Would ``update`` redraw without ``force``: REFRESH_S passed, or new architecture."""
        return net.sizes != self._shape or self.actions.clock() - self._drawn_at >= REFRESH_S

    def update(self, session, net, grad_meter, force=False, budget_s=None):
        """Redraw the cached picture if due: at most every REFRESH_S, or at once when the
        architecture changed or ``force``. True if it redrew. ``net`` is the snapshot of the
        session's network to draw, ``grad_meter`` its mean |dL/dW| per weight layer. With
        ``budget_s`` the diagram draws as many links as fit in that many seconds (by the
        measured cost of a link and of the rest), between MIN_LINKS and MAX_LINKS a pair."""
        now, started = self.actions.clock(), time.perf_counter()
        self.net, self.grad_meter = net, grad_meter
        sizes = net.sizes
        extra = session.settings.extra_features
        if (sizes, extra) != (self._shape, self._extra):
            self._shape, self._extra = sizes, extra
            self._place(sizes, extra)
            self._refresh_controls(sizes)
            force = True
        if not force and now - self._drawn_at < REFRESH_S:
            return False
        self._drawn_at = now
        self.redraws += 1
        self.links_per_pair = MAX_LINKS if budget_s is None else self._links_that_fit(budget_s)
        s = self.surface
        s.fill(th.BACKGROUND)
        local = pygame.Rect((0, 0), self.rect.size)
        card(s, local, self.t, self._title())
        offset = (-self.rect.x, -self.rect.y)      # screen coordinates -> this surface
        self._offset = offset
        self.notice = None
        links_s = None
        if self.actions.ui.hidden_space and len(sizes) > 2:
            self._draw_hidden_space(session)
        elif self.actions.ui.hidden_space:
            self.notice = NO_HIDDEN_SPACE
            msg = text(_(self.notice), self.t.body, th.MUTED)
            s.blit(msg, msg.get_rect(center=self.area.move(offset).center))
        else:
            links_s = self._draw_diagram(session)
        self._draw_meter(session)
        if links_s is not None:
            self.costs.note("rest", time.perf_counter() - started - links_s)
        return True

    def _title(self):
        """The card's title: "Network · side A" in compare mode where that fits, else
        "Network" where that fits, else none (a narrow card gives the room to the tabs)."""
        title = _("network.title")
        for shown in ([title + _("panel.heading.side", name=self.side_name)] if self.side_name else []) + [title]:
            if text(shown, self.t.body, th.TEXT, True).get_width() <= self._title_room:
                return shown
        return None

    def _links_that_fit(self, budget_s):
        """Links per pair of layers that a redraw of ``budget_s`` seconds holds."""
        link_s, rest_s = self.costs.cost.get("link"), self.costs.cost.get("rest")
        if link_s is None or rest_s is None:
            return MAX_LINKS
        pairs = len(self._shape) - 1
        return int(min(max((budget_s - rest_s) / link_s / pairs, MIN_LINKS), MAX_LINKS))

    def _draw_diagram(self, session):
        net, t = self.net, self.t
        s, off = self.surface, self._offset
        size = self.node_size
        self.thumbs.resize(min(GRID, size))      # no more cells than a thumbnail has pixels
        acts = net.activations(self.thumbs.inputs(session.settings.inputs))
        values = drawable(np.concatenate(acts, axis=0))       # (all units, GRID^2)
        lo, hi = values.min(axis=1), values.max(axis=1)
        layers = np.cumsum(net.sizes)[:-1]
        self.activation_ranges = list(zip(np.split(lo, layers), np.split(hi, layers)))
        scale = np.maximum(np.maximum(-lo, hi), 1e-9)
        L = len(net.sizes) - 1
        kind = np.zeros(len(values), dtype=np.int64)
        if net.regression:      # y_hat on the boundary view's value scale, -1 to +1
            scale[-1] = 1.0
        else:
            kind[-net.sizes[-1]:] = np.arange(1, net.sizes[-1] + 1)
        links_s = self._draw_links(net)
        paint_nodes(values, scale, kind, size, net.n_classes, *colours(), self.atlas_rgb)
        pygame.surfarray.blit_array(self.atlas, self.atlas_rgb)
        rects = [r.move(off) for column in self.columns for r in column]
        s.blits([(self.atlas, r, (k * size, 0, size, size)) for k, r in enumerate(rects)],
                doreturn=False)
        for r in rects:
            pygame.draw.rect(s, th.BORDER, r.inflate(2, 2), 1)
        if self.actions.ui.selected_node:
            l, i = self.actions.ui.selected_node
            pygame.draw.rect(s, th.ACCENT, self.columns[l][i].move(off).inflate(4, 4), max(2, t.px(3)))
        for l, caption in enumerate(column_captions(L, self.column_gap(), t)):
            label = text(caption, t.small, th.MUTED)
            s.blit(label, label.get_rect(midtop=(self.columns[l][0].centerx + off[0], self.area.y + off[1])))
        names = input_labels(*session.settings.inputs)
        for name, r in zip(names, self.columns[0]):
            label = text(name, t.small, th.TEXT)
            s.blit(label, label.get_rect(midright=(r.x - t.px(3) + off[0], r.centery + off[1])))
        return links_s

    def _draw_links(self, net):
        """The ``links_per_pair`` strongest links of each layer, blue for w > 0, orange for
        w < 0, width by |w|; remembered (ends, weight, layer, from, to) for hover. Returns
        the seconds it took (and notes the cost of a link)."""
        start = time.perf_counter()
        t = self.t
        ends, weights, meta = [], [], []
        for l, (W, _b) in enumerate(net.params, start=1):
            strength = np.abs(W).ravel()
            n = min(self.links_per_pair, strength.size)
            keep = np.argpartition(strength, strength.size - n)[strength.size - n:]
            keep = keep[np.argsort(strength[keep])]                  # strongest drawn last
            o, i = np.divmod(keep, W.shape[1])
            ends.append(np.hstack((self._right[l - 1][i], self._left[l][o])))
            weights.append(W.ravel()[keep])
            meta.append(np.column_stack((np.full(n, l), i, o)))
        self.link_ends = np.concatenate(ends).astype(float)
        self.link_weights = w = np.concatenate(weights)
        self.link_meta = np.concatenate(meta)
        # one loop over plain lists: per link, the draw call is most of the cost
        on_surface = self.link_ends + np.tile(self._offset, 2)
        links = th.palette.links
        widths = np.clip(drawable(np.abs(w)) * t.px(links), 1, t.px(3 * links)).astype(int)
        line, s = pygame.draw.line, self.surface
        for (ax, ay, bx, by), width, positive in zip(on_surface.tolist(), widths.tolist(),
                                                     (w > 0).tolist()):
            line(s, th.POSITIVE if positive else th.NEGATIVE, (ax, ay), (bx, by), width)
        seconds = time.perf_counter() - start
        self.costs.note("link", seconds / max(len(self.link_weights), 1))
        return seconds

    def _draw_meter(self, session):
        """Per weight layer mean |dL/dW| on a log bar, under the gap its links cross."""
        s, off, t = self.surface, self._offset, self.t
        m = self.meter.move(off)
        pygame.draw.line(s, th.BORDER, m.topleft, m.topright)
        title = text(_("network.meter"), t.small, th.MUTED)
        s.blit(title, (m.x, m.y + t.px(3)))
        bar_top = m.y + t.small + t.px(8)
        bar_h = m.bottom - bar_top - t.small - t.px(6)
        norms = self.grad_meter
        lo, hi = METER_RANGE
        starved = vanishing(norms)
        # crowded labels: only every ``every``-th one
        every = math.ceil((text("8e-88", t.small).get_width() + t.px(6)) / self.column_gap())
        for l, value in enumerate(norms, start=1):
            cx = (self.columns[l - 1][0].centerx + self.columns[l][0].centerx) / 2 + off[0]
            w = max(4, min(t.px(16), int(self.area.w / (2.5 * len(norms)))))
            frame = pygame.Rect(0, bar_top, w, bar_h)
            frame.centerx = round(cx)
            pygame.draw.rect(s, th.HOVER, frame)
            if value > 0:
                frac = min(max((math.log10(value) - lo) / (hi - lo), 0.0), 1.0)
                h = max(1, round(frac * bar_h))
                pygame.draw.rect(s, th.DANGER if starved[l - 1] else th.ACCENT,
                                 pygame.Rect(frame.x, frame.bottom - h, w, h))
            label = text(f"{value:.0e}" if value > 0 else "—", t.small, th.TEXT)
            if (l - 1) % every == 0:
                s.blit(label, label.get_rect(midtop=(frame.centerx, frame.bottom + t.px(2))))

    def _draw_hidden_space(self, session):
        t, ui, net = self.t, self.actions.ui, self.net
        s, off = self.surface, self._offset
        layer = min(ui.hidden_layer, len(net.sizes) - 2)
        width = net.sizes[layer]
        ax, ay = (min(a, width - 1) for a in ui.hidden_axes)
        plot = pygame.Rect(self.area.x, self.area.y + t.small + t.px(34), self.area.w,
                           self.area.h - t.small - t.px(34)).move(off)
        lines = _plane_lines()
        n_lines = len(lines)
        train = np.flatnonzero(~session.test)[::max(1, (~session.test).sum() // HIDDEN_POINTS)]
        X = np.concatenate([lines.reshape(-1, 2), session.X[train]])
        features = np.ascontiguousarray(feature_matrix_t(X, *session.settings.inputs).T)
        a = net.activations(features, last=layer)[layer]
        P = drawable(np.c_[a[ax], a[ay]])
        lo, hi = P.min(axis=0), P.max(axis=0)
        span = np.maximum(hi - lo, 1e-9)
        side = min(plot.w, plot.h - t.small - t.px(4)) - t.px(8)
        box = pygame.Rect(0, 0, side, side)
        box.midtop = (plot.centerx, plot.y + t.px(4))
        pygame.draw.rect(s, th.CARD, box)
        pygame.draw.rect(s, th.BORDER, box, 1)
        screen = np.c_[box.x + (P[:, 0] - lo[0]) / span[0] * box.w,
                       box.bottom - (P[:, 1] - lo[1]) / span[1] * box.h]
        per_line = lines.shape[1]
        for k in range(n_lines):
            pts = screen[k * per_line:(k + 1) * per_line]
            pygame.draw.lines(s, th.BORDER if k % 2 else (0xC0, 0xC6, 0xCE), False, pts.tolist(), 1)
        r = max(2, t.px(3))
        for (px, py), label in zip(screen[n_lines * per_line:], session.y[train]):
            pygame.draw.circle(s, th.CLASS_COLOURS[label], (px, py), r)
        caption = text(_("network.hidden_caption", layer=layer, x=ax + 1, y=ay + 1), t.small, th.MUTED)
        s.blit(caption, caption.get_rect(midtop=(box.centerx, box.bottom + t.px(3))))

    def draw(self, surface, frame):
        """The cached picture, then the live widgets and the hover tooltip."""
        surface.blit(self.surface, self.rect)
        self.tabs.draw(surface, self.t, self.mouse)
        if self.actions.ui.hidden_space and self._shape and len(self._shape) > 2:
            for caption, cell, widget in self._hidden_controls:
                label = text(_(caption), self.t.small, th.MUTED)
                surface.blit(label, label.get_rect(midbottom=(cell.centerx, cell.y - 1)))
                widget.draw(surface, self.t, self.mouse)
        if self.mouse and not self.actions.ui.hidden_space and not self.actions.stepper.active:
            tip = self.tooltip_at(self.mouse)
            if tip:
                label = text(tip, self.t.small, th.WHITE)
                box = label.get_rect(bottomleft=(self.mouse[0] + 12, self.mouse[1] - 6)).inflate(
                    self.t.px(10), self.t.px(6))
                box.clamp_ip(surface.get_rect())
                pygame.draw.rect(surface, th.OVERLAY[:3], box, border_radius=self.t.radius)
                surface.blit(label, label.get_rect(center=box.center))

    def tooltip_at(self, pos):
        """The numbers of the node or link at ``pos`` (None elsewhere)."""
        net = self.net
        if net is None:
            return None
        node = self.node_at(pos)
        L = len(net.sizes) - 1
        if node:
            l, i = node
            if l == 0:
                names = input_labels(*self.actions.session.settings.inputs)
                return _("network.tip.input", name=names[i])
            lo, hi = self.activation_ranges[l][0][i], self.activation_ranges[l][1][i]
            what = _("node.class", name=CLASS_NAMES[i]) if l == L else _("node.neuron", layer=l, n=i + 1)
            value = "p" if l == L else "a"
            return _("network.tip.node", what=what, bias=f"{net.params[l - 1][1][i]:+.3f}", value=value,
                     lo=f"{lo:.2f}", hi=f"{hi:.2f}")
        link = self.link_at(pos)
        if link is None:
            return None
        l, o, i = link
        source = _("network.input") if l == 1 else _("network.layer", l=l - 1)
        target = _("network.output") if l == L else _("network.layer", l=l)
        return _("network.tip.link", w=f"{net.params[l - 1][0][o, i]:+.3f}", source=source, i=i + 1,
                 target=target, o=o + 1)


def column_captions(L, gap, t):
    """The diagram's column captions for layers 0..L, short ones when the long ones would
    not fit ``gap`` pixels apart."""
    for names in ((lambda l: _("network.layer", l=l), _("network.input"), _("network.output")),
                  (str, _("network.in"), _("network.out")), (str, "", "")):
        hidden, first, last = names
        captions = [first, *(hidden(l) for l in range(1, L)), last]
        if max(text(c, t.small).get_width() for c in captions) + t.px(4) <= gap:
            break
    return captions


def _plane_lines(count=13, samples=60):
    """Grid lines of the plane (x1 = const and x2 = const), each as ``samples`` points."""
    v = np.linspace(-PLANE, PLANE, count)
    s = np.linspace(-PLANE, PLANE, samples)
    vertical = np.stack([np.c_[np.full(samples, x), s] for x in v])
    horizontal = np.stack([np.c_[s, np.full(samples, y)] for y in v])
    return np.concatenate([vertical, horizontal])
