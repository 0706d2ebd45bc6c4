"""What the backprop step-through shows: a caption over the boundary view (the stage, its
formula, and the formula with the live numbers of the neuron or link under the mouse), the
point stepped through ringed, and the stage's numbers on the network diagram."""
from functools import lru_cache

import numpy as np
import pygame

from ...core.config import CLASS_NAMES
from ...core.explain import chain, norm_scale
from ...core.explain import upstream as upstream_of
from ...core.features import input_labels
from ...lessons.text import _
from ..draw import theme as th
from ..draw.theme import ASSETS, text
from ..input.intents import Press, Release
from ..state.stepthrough import STAGES
from .base import View
from .network_view import MAX_LINKS

#: Nets up to this many hidden layers of at most this many neurons get their numbers printed
#: on the diagram; bigger ones get colours, and the numbers of the neuron under the mouse.
NUMBERS_ON_DIAGRAM = (3, 8)
MAX_TERMS = 4             # terms of a sum written out before "+ …"

TITLES = {"forward": "stepthrough.stage.forward", "loss": "stepthrough.stage.loss",
          "backward": "stepthrough.stage.backward", "update": "stepthrough.stage.update"}
FORMULAS = {"forward": ("forward",), "loss": ("loss",), "backward": ("backward_output", "backward"),
            "update": ("gradients", "gradients_b", "update_sgd")}


FORMULA_SCALE = 0.45      # of the formula images' pixels, at the design window size


@lru_cache(maxsize=16)
def formula(name, scale):
    """The formula image ``name`` (assets/formulas) scaled by ``scale``."""
    image = pygame.image.load(ASSETS / "formulas" / f"{name}.png").convert_alpha()
    size = (round(image.get_width() * scale), round(image.get_height() * scale))
    return pygame.transform.smoothscale(image, size)


def num(v):
    """A number short enough for a diagram: 3 significant digits, a minus sign."""
    s = f"{v:.3f}" if 1e-3 <= abs(v) < 100 or v == 0 else f"{v:.2e}"
    return s.replace("-", "−")


def factor(v):
    """``num(v)``, in parentheses when negative (as a factor of a product)."""
    return f"({num(v)})" if v < 0 else num(v)


def _sum(weights, values, bias=None):
    """w·a + w·a + … (+ b), at most MAX_TERMS terms written out."""
    terms = [f"{factor(w)}·{factor(a)}" for w, a in zip(weights, values)]
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS] + [_("stepthrough.terms", n=len(weights))]
    return " + ".join(terms + ([num(bias)] if bias is not None else []))


def numbers_fit(sizes):
    hidden = sizes[1:-1]
    return len(hidden) <= NUMBERS_ON_DIAGRAM[0] and max(hidden, default=0) <= NUMBERS_ON_DIAGRAM[1]


def _forward_line(e, hover, eta, names):
    layers = e["layers"]
    if hover is None or len(hover) == 3:
        predicted = CLASS_NAMES[int(np.argmax(e["y_hat"]))]
        return _("stepthrough.forward.summary", y_hat=", ".join(num(p) for p in e["y_hat"]), name=predicted)
    l, j = hover
    if l == 0:
        return _("stepthrough.forward.input", name=names[j], value=num(e["x"][j]))
    layer = layers[l - 1]
    inputs = e["x"] if l == 1 else layers[l - 2]["a"]
    z = f"z = {_sum(layer['W'][j], inputs, layer['b'][j])} = {num(layer['z'][j])}"
    if l == len(layers):
        c = CLASS_NAMES[j]
        return f"{z}   ŷ{c} = softmax(z)[{c}] = {num(e['y_hat'][j])}"
    passed = f" + {factor(inputs[j])}" if layer["residual"] else ""    # a^(l-1) by the link
    norm = layer["batch_norm"]
    if norm is None:
        return f"{z}   a = {layer['activation']}({num(layer['z'][j])}){passed} = {num(layer['a'][j])}"
    # evaluation mode: the running mean and variance
    zhat = (f"ẑ = ({num(layer['z'][j])} − {factor(norm['mean'][j])}) / √({num(norm['var'][j])} + ε)"
            f" = {num(norm['zhat'][j])}")
    y = f"y = γẑ + β = {factor(norm['gamma'][j])}·{factor(norm['zhat'][j])} + {factor(norm['beta'][j])}" \
        f" = {num(norm['y'][j])}"
    return f"{z}   {zhat}   {y}   a = {layer['activation']}({num(norm['y'][j])}){passed} = {num(layer['a'][j])}"


def _loss_line(e, hover, eta, names):
    label = e["label"]
    t = ", ".join("1" if k == label else "0" for k in range(len(e["y_hat"])))
    return (f"t = ({t})   ŷ = ({', '.join(num(p) for p in e['y_hat'])})   "
            f"L = −log ŷ{CLASS_NAMES[label]} = −log {num(e['y_hat'][label])} = {num(e['loss'])}")


def _backward_line(e, hover, eta, names):
    layers = e["layers"]
    if hover is None or len(hover) == 3 or hover[0] == 0:
        return _("stepthrough.backward.summary")
    l, j = hover
    upstream, slope, delta = chain(e, l, j)
    if l == len(layers):
        t = int(j == e["label"])
        return f"δ = ŷ{CLASS_NAMES[j]} − t = {num(e['y_hat'][j])} − {t} = {num(delta)}"
    above, layer = layers[l], layers[l - 1]
    column = [row[j] for row in above["W"]]
    incoming, terms = "Σₖ Wₖⱼ δₖ", _sum(column, above["delta"])
    if above["residual"]:      # layer l+1 passes a^l on: its dL/da comes back unchanged
        incoming += " + ∂L/∂a⁽ˡ⁺¹⁾ⱼ"
        terms += f" + {factor(float(upstream_of(e, l + 1)[j]))}"
    norm = layer["batch_norm"]
    if norm is None:
        return (f"δ = ({incoming}) · φ'(z) = ({terms}) · φ'({num(layer['z'][j])}) = "
                f"{factor(upstream)} · {factor(slope)} = {num(delta)}")
    scale = norm_scale(layer, j)       # evaluation mode: dy/dz = γ / √(running var + ε)
    return (f"δ = ({incoming}) · φ'(y) · γ/√(σ² + ε) = ({terms}) · φ'({num(norm['y'][j])}) · "
            f"{factor(scale)} = {factor(upstream)} · {factor(slope / scale)} · {factor(scale)} = "
            f"{num(delta)}")


def _update_line(e, hover, eta, names):
    layers = e["layers"]
    if hover is None or (len(hover) == 2 and hover[0] == 0):
        return _("stepthrough.update.summary", eta=f"{eta:g}")
    if len(hover) == 2:
        l, j = hover
        db, b = layers[l - 1]["db"][j], layers[l - 1]["b"][j]
        return _("stepthrough.update.bias", db=num(db), eta=f"{eta:g}", factor=factor(db), step=num(-eta * db),
                 old=num(b), new=num(b - eta * db))
    l, o, i = hover
    layer = layers[l - 1]
    a_in = e["x"][i] if l == 1 else layers[l - 2]["a"][i]
    dW, w = layer["dW"][o][i], layer["W"][o][i]
    return _("stepthrough.update.weight", delta=factor(layer["delta"][o]), a=factor(a_in), dw=num(dW),
             step=num(-eta * dW), old=num(w), new=num(w - eta * dW))


_LINES = {"forward": _forward_line, "loss": _loss_line, "backward": _backward_line,
          "update": _update_line}


def live_line(stage, e, hover, eta, feature_names):
    """The stage's formula with the numbers of ``hover`` substituted: a node (layer, unit),
    a link (layer, out, in), or None for the whole point. ``e`` is ``core.explain.explain``'s
    document, ``feature_names`` the inputs' labels."""
    return _LINES[stage](e, hover, eta, feature_names)


def node_values(stage, e, eta):
    """Per layer (inputs first) the number each node shows at ``stage`` (None: nothing):
    forward a (ŷ at the output), loss ŷ, backward δ, update the bias step −η δ."""
    layers = e["layers"]
    if stage == "update":
        return [[None] * len(e["x"])] + [[-eta * d for d in layer["delta"]] for layer in layers]
    if stage == "forward":
        return [e["x"]] + [layer["a"] for layer in layers[:-1]] + [e["y_hat"]]
    if stage == "loss":
        return [[None] * len(e["x"])] + [[None] * len(layer["a"]) for layer in layers[:-1]] + [e["y_hat"]]
    return [[None] * len(e["x"])] + [layer["delta"] for layer in layers]


def _rows(images, width, gap):
    """The images side by side, as many to a row as fit in ``width``: one surface a row."""
    rows = [[]]
    for image in images:
        if rows[-1] and sum(i.get_width() + gap for i in rows[-1]) + image.get_width() > width:
            rows.append([])
        rows[-1].append(image)
    strips = []
    for row in rows:
        strip = pygame.Surface((sum(i.get_width() + gap for i in row) - gap,
                                max(i.get_height() for i in row)), pygame.SRCALPHA)
        x = 0
        for image in row:
            strip.blit(image, (x, (strip.get_height() - image.get_height()) // 2))
            x += image.get_width() + gap
        strips.append(strip)
    return strips


class StepThroughView(View):
    """While the step-through runs: its caption over the boundary view, the picked point's
    ring, and the stage's numbers on the network diagram."""

    def __init__(self, actions, network_view):
        self.actions, self.network_view = actions, network_view

    def layout(self, layout, t):
        self.t = t

    def visible(self, frame):
        return self.actions.stepper.active

    def handle(self, intent, frame):
        """A press in the boundary view picks the point (no point is added); True when
        the intent was used."""
        boundary = frame.side.view.boundary
        if not isinstance(intent, (Press, Release)) or not boundary.rect.collidepoint(intent.pos):
            return False
        if isinstance(intent, Press) and intent.primary:
            self.actions.stepper.pick(boundary.mapping.to_plane(intent.pos))
        return True

    def hover(self, network_view):
        """The node (layer, unit) or link (layer, out, in) under the mouse, or None."""
        mouse = network_view.mouse
        if mouse is None:
            return None
        return network_view.node_at(mouse) or network_view.link_at(mouse)

    def draw(self, screen, frame):
        session, boundary, network_view = frame.session, frame.side.view.boundary, self.network_view
        stepper, ui = self.actions.stepper, frame.ui
        diagram = not (ui.theory_visible or ui.hidden_space) and network_view.columns
        e = stepper.explained
        if e is None:
            width = boundary.rect.w - 2 * self.t.px(16)
            self._caption(screen, boundary.rect, [text(_("stepthrough.pick"), self.t.body, th.WHITE,
                                                       True, width)])
            return
        hover = self.hover(network_view) if diagram else None
        self._ring(screen, boundary, stepper.point)
        if diagram and len(network_view.columns) == len(e["layers"]) + 1:
            self._draw_diagram(screen, network_view, stepper.stage_name, e, hover, session)
        self._draw_caption(screen, boundary.rect, stepper, e, hover, session)

    def _ring(self, screen, boundary, point):
        (x, y), = boundary.mapping.to_screen(point[:2])
        r = boundary.radius + self.t.px(5)
        pygame.draw.circle(screen, th.BLACK, (x, y), r + 1, max(2, self.t.px(3)))
        pygame.draw.circle(screen, th.WHITE, (x, y), r - 1, max(1, self.t.px(2)))

    def _draw_caption(self, screen, rect, stepper, e, hover, session):
        t, stage = self.t, stepper.stage_name
        width = rect.w - 2 * t.px(16)
        names = input_labels(*session.settings.inputs)
        title = text(_("stepthrough.title", stage=stepper.stage + 1, stages=len(STAGES), title=_(TITLES[stage])),
                     t.body, th.WHITE, True, width)
        layers = e["layers"]
        normalizes = any(layer["batch_norm"] for layer in layers)
        shown = FORMULAS[stage]
        if stage == "forward":         # what the hidden layers add, in evaluation mode
            shown += ("bn_eval", "bn_scale") * normalizes + \
                ("residual",) * any(layer["residual"] for layer in layers)
        images = _rows([formula(name, t.unit * FORMULA_SCALE) for name in shown],
                       width, t.px(24))
        line = live_line(stage, e, hover, session.settings.eta, names)
        hint = _("stepthrough.hint.update" if stage == "update" else "stepthrough.hint")
        notes = [text(_("stepthrough.evaluation_mode"), t.small, th.ACCENT_LIGHT, width=width)] \
            if normalizes or any(layer["dropout"] for layer in layers) else []
        self._caption(screen, rect, [title, *images, text(line, t.small, th.WHITE, width=width),
                                     *notes, text(hint, t.small, th.ACCENT_LIGHT)],
                      plates=len(images))

    def _caption(self, screen, rect, lines, plates=0):
        """A dark box over the top of the boundary view with ``lines`` (surfaces) in it;
        lines 1 to ``plates`` (formulas, in black) sit on light plates."""
        t = self.t
        h = sum(s.get_height() + t.px(4) for s in lines) + t.px(12)
        box = pygame.Rect(rect.x + t.px(8), rect.y + t.px(8), rect.w - 2 * t.px(8), h)
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        pygame.draw.rect(shade, th.OVERLAY, shade.get_rect(), border_radius=t.radius)
        screen.blit(shade, box)
        y = box.y + t.px(6)
        for k, s in enumerate(lines):
            if 1 <= k <= plates:
                plate = s.get_rect(topleft=(box.x + t.px(8), y)).inflate(t.px(8), t.px(2))
                pygame.draw.rect(screen, th.WHITE, plate, border_radius=t.radius)
            screen.blit(s, (box.x + t.px(8), y))
            y += s.get_height() + t.px(4)

    def _draw_diagram(self, screen, view, stage, e, hover, session):
        t = self.t
        sizes = [len(e["x"])] + [len(layer["z"]) for layer in e["layers"]]
        printed = numbers_fit(sizes)
        if stage == "update":
            self._draw_steps(screen, view, e, session.settings.eta)
        if hover is not None and len(hover) == 2:
            pygame.draw.rect(screen, th.ACCENT, view.columns[hover[0]][hover[1]].inflate(6, 6),
                             max(2, t.px(3)))
        values = node_values(stage, e, session.settings.eta)
        for l, (column, row) in enumerate(zip(view.columns, values)):
            scale = max((abs(v) for v in row if v is not None), default=0) or 1.0
            for j, (r, v) in enumerate(zip(column, row)):
                if v is None:
                    continue
                if not printed:     # the node filled with its value: grey 0, blue +, orange -
                    w = min(abs(v) / scale, 1.0)
                    colour = th.POSITIVE if v > 0 else th.NEGATIVE
                    screen.fill([round(u + w * (c - u)) for u, c in zip(th.UNDECIDED, colour)], r)
                if printed or hover == (l, j):
                    self._label(screen, num(v), r.center)
        if stage == "loss":
            for j, r in enumerate(view.columns[-1]):
                mark = "t = 1" if j == e["label"] else "t = 0"
                self._label(screen, mark, (r.x - t.px(28), r.centery), th.ACCENT_LIGHT)
        if hover is not None and len(hover) == 3:
            l, o, i = hover
            a, b = view.columns[l - 1][i].midright, view.columns[l][o].midleft
            pygame.draw.line(screen, th.ACCENT, a, b, max(3, t.px(4)))
            if stage == "update":
                dW = e["layers"][l - 1]["dW"][o][i]
                self._label(screen, f"∂L/∂W {num(dW)}", ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))

    def _draw_steps(self, screen, view, e, eta):
        """The MAX_LINKS links of each layer with the largest steps −η ∂L/∂W, coloured by it
        (blue: the weight grows), width by size (its number is in the caption on hover)."""
        t = self.t
        steps = [-eta * np.array(layer["dW"]) for layer in e["layers"]]
        scale = max(max(float(np.abs(s).max()) for s in steps), 1e-300)
        for l, step in enumerate(steps, start=1):
            keep = np.argsort(np.abs(step).ravel())[-MAX_LINKS:]       # as the diagram does
            for o, i in zip(*np.divmod(keep, step.shape[1])):
                a, b = view.columns[l - 1][i].midright, view.columns[l][o].midleft
                v = step[o, i]
                width = max(1, round(abs(v) / scale * t.px(5)))
                pygame.draw.line(screen, th.POSITIVE if v > 0 else th.NEGATIVE, a, b, width)

    def _label(self, screen, string, center, colour=th.WHITE):
        label = text(string, self.t.small, colour)
        plate = label.get_rect(center=(round(center[0]), round(center[1]))).inflate(self.t.px(4), 0)
        pygame.draw.rect(screen, th.OVERLAY[:3], plate, border_radius=self.t.px(3))
        screen.blit(label, label.get_rect(center=plate.center))
