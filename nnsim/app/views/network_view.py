"""Inside the network: the diagram (a live activation thumbnail per neuron, links coloured by
weight), the gradient meter, and the hidden-space view (the data as a layer sees it)."""
import math
import time

import numpy as np
import pygame

from ...core.config import CLASS_NAMES, FEATURE_TABLE, MAX_WIDTH, PLANE
from ...core.features import feature_matrix_t, input_labels
from ...lessons.text import _, shown_name
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
from .panel import SHORT_ACTIVATION_KEYS

GRID = 24                 # thumbnail resolution: GRID x GRID cells over the plane...
MIN_GRID = 8              # ...or, for nodes under GRID / 2 pixels, two cells a pixel, at least this
REFRESH_S = 1 / 15        # the diagram redraws at most this often while training
MAX_LINKS = 160           # strongest links drawn per pair of layers...
MIN_LINKS = 16            # ...and at least this many, however tight the frame budget
HIDDEN_POINTS = 1500      # at most about this many training points in the hidden-space view
METER_RANGE = (-7.0, 0.0)  # log10 of mean |dL/dW| at the empty and the full bar
NO_HIDDEN_SPACE = "network.no_hidden_space"
MIN_NODE = 2              # pixels: the smallest node (a 16 x 64 network in a small window)
DROPPED_GREY = 0.8        # how far a unit dropped out in the snapshot fades to the border grey
ARC_DIP = 10              # design pixels a residual arc dips below the columns it joins
#: The hover help of each kind of layer mark (``NetworkView.mark_at``).
MARK_HELP = {"bn": "network.help.bn", "dropout": "network.help.dropout",
             "residual": "network.help.residual", "activation": "network.help.activation"}

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
        self.thumbs = {}          # grid side -> the Heatmap holding the thumbnails' grid inputs
        self.costs = FrameBudget()    # measured "link" (seconds per link) and "rest" of a redraw
        self.mouse = None

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
        self._extra = None            # ...the extra inputs' formulas...
        self._arch = None             # ...and the hidden layers' reference.Arch
        self.marks = []               # (screen rect, kind of MARK_HELP, layer) of the layer marks
        self.dropped = []             # per layer the units greyed as dropped out (a bool array)
        self._drawn_at = -math.inf     # app clock time of the last redraw
        self._shown = None            # what the cached picture shows (see refresh)
        self.links_per_pair = MAX_LINKS
        self._hidden_controls = []

    def visible(self, frame):
        return not frame.ui.theory_visible

    # -- geometry -------------------------------------------------------------------------
    def _place(self, sizes, extra, arch):
        """Node rects per layer: columns spread over the area, each centred vertically;
        nodes shrink so that the fullest column (up to MAX_WIDTH) fits. Under the columns,
        room for what ``arch`` gives the hidden layers: residual arcs, a row of activation
        names where the layers differ, a row of batch norm and dropout labels (each row
        only where its labels fit between the columns)."""
        t = self.t
        rows = ((("activation",) if len(set(arch.act)) > 1 else ())
                + (("extras",) if any(arch.bn) or any(arch.drop) else ()))
        self.arc_band = t.px(ARC_DIP + 4) if any(arch.res) else 0
        while True:
            area = self._place_columns(sizes, extra, self.arc_band + len(rows) * (t.small + t.px(2)))
            self.label_rows = [(row, self._labels_that_fit(row, arch)) for row in rows]
            fitting = tuple(row for row, captions in self.label_rows if captions)
            if fitting == rows:
                break
            rows = fitting
        self.label_top = area.bottom + self.arc_band    # the label rows' top
        self._place_marks(arch)

    def _labels_that_fit(self, row, arch):
        """The captions per hidden layer of a label row ("activation" or "extras") in the
        widest form that fits between the columns for every layer, or None."""
        room = self.column_gap() - self.t.px(4)
        forms = activation_labels(arch) if row == "activation" else extras_labels(arch)
        return next((captions for captions in forms
                     if max(text(c, self.t.small).get_width() for c in captions) <= room), None)

    def _place_columns(self, sizes, extra, bottom):
        """The node rects (``columns``) in the area less ``bottom`` pixels under it; returns
        that area."""
        t, area = self.t, self.area
        L = len(sizes) - 1
        top = t.small + t.px(6)                        # room for the column captions
        area = pygame.Rect(area.x, area.y, area.w, area.h - bottom)
        # room for the input names
        left = max(text(label, t.small).get_width()
                   for label in (*(f.label for f in FEATURE_TABLE), *extra)) + t.px(6)
        span = area.w - left - t.px(4)
        per_node = (area.h - top) / max(sizes)         # the fullest column's room per node
        gap = t.px(3) if per_node >= t.px(3) + 4 else 1    # a tall column: the nodes close up
        size = int(min(t.px(44), per_node - gap, span / max(L, 1) * 0.42))
        size = max(size, MIN_NODE)
        self.node_size, self.node_gap = size, gap
        self.columns = []
        for l, n in enumerate(sizes):
            cx = area.x + left + size / 2 + l * (span - size) / max(L, 1)
            height = n * size + (n - 1) * gap
            y0 = area.y + top + (area.h - top - height) / 2
            self.columns.append([pygame.Rect(round(cx - size / 2), round(y0 + i * (size + gap)),
                                             size, size) for i in range(n)])
        return area

    def _place_marks(self, arch):
        """The node atlas, batch norm's bars and the residual arcs of the placed columns."""
        t, sizes, size = self.t, [len(column) for column in self.columns], self.node_size
        self._right = [np.array([r.midright for r in column]) for column in self.columns]
        self._left = [np.array([r.midleft for r in column]) for column in self.columns]
        self.atlas_rgb = np.empty((sum(sizes) * size, size, 3), dtype=np.uint8)
        self.atlas = pygame.Surface((sum(sizes) * size, size))
        self.bars = {}                # layer -> its batch norm bar, left of its column
        bar_w = max(2, t.px(3))
        for l, bn in enumerate(arch.bn, start=1):
            if bn:
                column = self.columns[l]
                self.bars[l] = pygame.Rect(column[0].x - t.px(3) - bar_w, column[0].y, bar_w,
                                           column[-1].bottom - column[0].y)
        self.arcs = {}                # layer -> the points of its residual arc
        for l, res in enumerate(arch.res, start=1):
            if res:
                (x0, y0), (x1, y1) = self.columns[l - 1][-1].midbottom, self.columns[l][-1].midbottom
                dip = max(y0, y1) + t.px(ARC_DIP)
                k = np.linspace(0.0, 1.0, 13)[:, None]        # a quadratic Bezier curve
                ends = np.array([[x0, y0 + 2], [(x0 + x1) / 2, 2 * dip - (y0 + y1) / 2],
                                 [x1, y1 + 2]])
                self.arcs[l] = (1 - k) ** 2 * ends[0] + 2 * k * (1 - k) * ends[1] + k ** 2 * ends[2]

    def thumb_grid(self):
        """The Heatmap of the thumbnails' grid: GRID x GRID cells, fewer for small nodes (a
        16 x 64 network's forward pass over the grid is most of the diagram's redraw)."""
        n = min(GRID, max(MIN_GRID, 2 * self.node_size))
        if n not in self.thumbs:
            self.thumbs[n] = Heatmap(n)
        return self.thumbs[n]

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
        """None where the diagram shows a node's or link's numbers; a layer mark's help over
        the mark (batch norm, dropout, residual link, activation); the meter's help over
        the meter; else the card's."""
        if not self.actions.ui.hidden_space:
            if self.tooltip_at(pos):
                return None
            mark = self.mark_at(pos)
            if mark:
                return mark_help(self.net, *mark)
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
                               budget_s=frame.spare_s if frame.busy else None,
                               moment=shot.view_version or 0):
            self._shown = shown
        frame.heavy |= frame.busy and due
        return shown == self._shown

    def due(self, net):
        """Would ``update`` redraw without ``force``: REFRESH_S passed, or new architecture."""
        return (net.sizes, net.arch) != (self._shape, self._arch) or \
            self.actions.clock() - self._drawn_at >= REFRESH_S

    def update(self, session, net, grad_meter, force=False, budget_s=None, moment=0):
        """Redraw the cached picture if due: at most every REFRESH_S, or at once when the
        architecture changed or ``force``. True if it redrew. ``net`` is the snapshot of the
        session's network to draw, ``grad_meter`` its mean |dL/dW| per weight layer,
        ``moment`` a number of the snapshot (its weights' version) that seeds the dropout
        mask drawn on it. With ``budget_s`` the diagram draws as many links as fit in that
        many seconds (by the measured cost of a link and of the rest), between MIN_LINKS and
        MAX_LINKS a pair."""
        now, started = self.actions.clock(), time.perf_counter()
        self.net, self.grad_meter, self.moment = net, grad_meter, moment
        sizes, arch = net.sizes, net.arch
        extra = session.settings.extra_features
        if (sizes, extra, arch) != (self._shape, self._extra, self._arch):
            self._shape, self._extra, self._arch = sizes, extra, arch
            self._place(sizes, extra, arch)
            self._refresh_controls(sizes)
            force = True
        if not force and now - self._drawn_at < REFRESH_S:
            return False
        self._drawn_at = now
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
        acts = net.activations(self.thumb_grid().inputs(session.settings.inputs))
        values = drawable(np.concatenate(acts, axis=0))       # (all units, grid^2)
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
        size = self.node_size
        paint_nodes(values, scale, kind, size, net.n_classes, *colours(), self.atlas_rgb)
        self.dropped = dropout_mask(net, session.settings.seed, self.moment)
        dropped = np.concatenate(self.dropped)
        if dropped.any():      # fade those units' thumbnails towards the border grey
            shown = self.atlas_rgb.reshape(len(dropped), size, size, 3)
            shown[dropped] = (shown[dropped] * (1 - DROPPED_GREY)
                              + np.array(th.BORDER) * DROPPED_GREY).astype(np.uint8)
        pygame.surfarray.blit_array(self.atlas, self.atlas_rgb)
        self._draw_marks(net)
        rects = [r.move(off) for column in self.columns for r in column]
        s.blits([(self.atlas, r, (k * size, 0, size, size)) for k, r in enumerate(rects)],
                doreturn=False)
        if self.node_gap > 1:         # closed-up nodes: an outline would hide them
            for r in rects:
                pygame.draw.rect(s, th.BORDER, r.inflate(2, 2), 1)
        if size >= t.px(12):       # big enough to cross out the dropped units
            for r in (r for r, off_now in zip(rects, dropped) if off_now):
                pygame.draw.line(s, th.MUTED, r.bottomleft, (r.right - 1, r.y))
        if self.actions.ui.selected_node:
            l, i = self.actions.ui.selected_node
            pygame.draw.rect(s, th.ACCENT, self.columns[l][i].move(off).inflate(4, 4), max(2, t.px(3)))
        for l, caption in enumerate(column_captions(L, self.column_gap(), t)):
            label = text(caption, t.small, th.MUTED)
            s.blit(label, label.get_rect(midtop=(self.columns[l][0].centerx + off[0], self.area.y + off[1])))
        names = input_labels(*session.settings.inputs)
        inputs = self.columns[0]
        # beside their nodes; nodes smaller than a line of text: a line apart around them
        pitch = max(self.node_size + self.node_gap, text("x", t.small).get_height() - t.px(2))
        middle = (inputs[0].centery + inputs[-1].centery) / 2
        for i, (name, r) in enumerate(zip(names, inputs)):
            label = text(name, t.small, th.TEXT)
            y = middle + (i - (len(inputs) - 1) / 2) * pitch
            s.blit(label, label.get_rect(midright=(r.x - t.px(3) + off[0], round(y) + off[1])))
        return links_s

    def _draw_marks(self, net):
        """What each hidden layer adds: batch norm as a bar left of its column (where its
        links arrive: it normalizes z before phi), a residual link as an arc from the
        column before, and under the columns a row of activation names (where the layers
        differ) and one of "BN" and dropout rates, each at the widest form that fits between
        the columns for every layer (else none: the hover help says it). Remembers their
        rects for ``mark_at``."""
        t, s, off, arch = self.t, self.surface, self._offset, net.arch
        self.marks = []
        for l, bar in self.bars.items():
            pygame.draw.rect(s, th.MARK, bar.move(off))
            self.marks.append((bar.inflate(t.px(4), 0), "bn", l))
        width = max(1, t.px(2))
        for l, points in self.arcs.items():
            on_surface = (points + off).tolist()
            pygame.draw.lines(s, th.MARK, False, on_surface, width)
            (x, y), head = on_surface[-1], t.px(4)                # an arrowhead into layer l
            pygame.draw.polygon(s, th.MARK, [(x, y - 1), (x - head, y + head), (x + head, y + head)])
            xs, ys = points[:, 0], points[:, 1]
            self.marks.append((pygame.Rect(xs.min(), ys.min() - 2, xs.max() - xs.min(),
                                           ys.max() - ys.min() + head + 2), "residual", l))
        y = self.label_top
        for row, captions in self.label_rows:
            colour = th.MARK if row == "extras" else th.MUTED
            for l, caption in enumerate(captions, start=1):
                if not caption:
                    continue
                label = text(caption, t.small, colour)
                box = label.get_rect(midtop=(self.columns[l][0].centerx, y))
                s.blit(label, box.move(off))
                kind = "activation" if row == "activation" else \
                    "dropout" if arch.drop[l - 1] else "bn"
                self.marks.append((box, kind, l))
            y += t.small + t.px(2)

    def mark_at(self, pos):
        """(kind of MARK_HELP, layer) of the layer mark at screen position ``pos``, or None."""
        return next(((kind, l) for rect, kind, l in self.marks if rect.collidepoint(pos)), None)

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
            tip = _("network.tip.node", what=what, bias=f"{net.params[l - 1][1][i]:+.3f}", value=value,
                    lo=f"{lo:.2f}", hi=f"{hi:.2f}")
            if l < L and self.dropped[l][i]:
                tip += _("network.tip.dropped", p=f"{net.arch.drop[l - 1]:g}")
            return tip
        if self.mark_at(pos):          # its help comes with the pointer's rest
            return None
        link = self.link_at(pos)
        if link is None:
            return None
        l, o, i = link
        source = _("network.input") if l == 1 else _("network.layer", l=l - 1)
        target = _("network.output") if l == L else _("network.layer", l=l)
        return _("network.tip.link", w=f"{net.params[l - 1][0][o, i]:+.3f}", source=source, i=i + 1,
                 target=target, o=o + 1)


def dropout_mask(net, seed, moment):
    """Per layer of ``net`` (inputs first) the units a dropout draw switches off: a fresh
    mask from each hidden layer's rate p, from a generator seeded by the session's ``seed``
    and the snapshot's ``moment``, so it stays while the picture does and changes with the
    next snapshot. Training draws its own masks at every step; the network draws nothing
    else with dropout (thumbnails, boundary and losses are computed without it)."""
    rng = np.random.default_rng((seed, moment))
    drop = (0.0, *net.arch.drop, 0.0)
    return [rng.random(n) < p if p > 0 else np.zeros(n, dtype=bool)
            for n, p in zip(net.sizes, drop)]


def activation_labels(arch):
    """The activation row's captions per hidden layer, longest form first: the shown
    names, then the short ones of the panel's layer table."""
    return ([shown_name("activation", name) for name in arch.act],
            [_(SHORT_ACTIVATION_KEYS[name]) for name in arch.act])


def extras_labels(arch):
    """The batch norm and dropout row's captions per hidden layer, longest form first:
    "BN p=0.2", "BN .2", then the rates alone (".2": batch norm's bar says the rest)."""
    def caption(bn, p, rate):
        return " ".join(([_("network.mark.bn")] if bn else []) + ([rate(p)] if p else []))

    def short(p):
        return f"{p:g}".lstrip("0")
    return ([caption(bn, p, lambda p: _("network.mark.dropout", p=f"{p:g}"))
             for bn, p in zip(arch.bn, arch.drop)],
            [caption(bn, p, short) for bn, p in zip(arch.bn, arch.drop)],
            [caption(False, p, short) for p in arch.drop])


def mark_help(net, kind, l):
    """The hover help of layer ``l``'s mark of ``kind`` (MARK_HELP) in ``net``."""
    arch = net.arch
    if kind == "activation":
        return _(MARK_HELP[kind], l=l, name=shown_name("activation", arch.act[l - 1]))
    if kind == "dropout":
        line = _(MARK_HELP[kind], l=l, p=f"{arch.drop[l - 1]:g}")
        return line + (" " + _(MARK_HELP["bn"], l=l) if arch.bn[l - 1] else "")
    return _(MARK_HELP[kind], l=l)


def column_captions(L, gap, t):
    """The diagram's column captions for layers 0..L, short ones when the long ones would
    not fit ``gap`` pixels apart, and only every k-th layer's number when even those would
    not (16 layers in a small window)."""
    for names in ((lambda l: _("network.layer", l=l), _("network.input"), _("network.output")),
                  (str, _("network.in"), _("network.out")), (str, "", "")):
        hidden, first, last = names
        captions = [first, *(hidden(l) for l in range(1, L)), last]
        widest = max(text(c, t.small).get_width() for c in captions) + t.px(4)
        if widest <= gap:
            return captions
    every = math.ceil(widest / gap)
    return [c if l % every == 1 or every == 1 else "" for l, c in enumerate(captions)]


def _plane_lines(count=13, samples=60):
    """Grid lines of the plane (x1 = const and x2 = const), each as ``samples`` points."""
    v = np.linspace(-PLANE, PLANE, count)
    s = np.linspace(-PLANE, PLANE, samples)
    vertical = np.stack([np.c_[np.full(samples, x), s] for x in v])
    horizontal = np.stack([np.c_[s, np.full(samples, y)] for y in v])
    return np.concatenate([vertical, horizontal])
