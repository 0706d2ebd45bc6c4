"""The readouts card: epoch, loss and accuracy (of each side in compare mode)."""
import math

from ...lessons.text import _
from ..draw import theme as th
from ..draw.primitives import card
from ..draw.theme import text
from .base import View
from .overlays import REGION_HELP


class ReadoutsView(View):
    """The readouts card of the side shown, or of both sides in compare mode."""

    def layout(self, layout, t):
        self.rect, self.t = layout.readouts, t

    def draw(self, surface, frame):
        regression = frame.session.settings.regression
        if frame.comparing:
            pair_readouts(surface, self.rect, self.t,
                          [(side.name, side.snapshot.shown_epoch, side.snapshot.metrics,
                            side.snapshot.epochs_per_second()) for side in frame.sides],
                          frame.selected, frame.fps, regression, frame.warming)
        else:
            shot = frame.sides[0].snapshot
            readouts(surface, self.rect, self.t, shot.shown_epoch, shot.metrics,
                     shot.epochs_per_second(), frame.fps, regression, frame.warming)

    def help_at(self, pos, frame):
        return _(REGION_HELP["readouts"])


def corner(surface, inner, t, line, warming):
    """``line`` (training speed, FPS) in the card's bottom right corner and, while
    ``warming`` = (kernel groups compiled, all of them), how far the fast engine is in the
    bottom left; ``line`` gives way when both do not fit."""
    label = text(line, t.small, th.MUTED)
    if warming:
        note = text(_("readouts.warming", done=warming[0], total=warming[1]), t.small, th.MUTED)
        surface.blit(note, note.get_rect(bottomleft=inner.bottomleft))
        if note.get_width() + t.px(12) + label.get_width() > inner.w:
            return
    surface.blit(label, label.get_rect(bottomright=inner.bottomright))


def readouts(surface, rect, t, epoch, metrics, epochs_per_s, fps, regression=False, warming=None):
    """Epoch, train/test loss and accuracy (for ``regression`` the mean absolute error),
    with the training speed and FPS (and the fast engine's warm-up) in the corner."""
    inner = card(surface, rect, t)
    score = (_("readouts.mae"), ".3f") if regression else (_("readouts.accuracy"), ".1%")
    cols = [(_("readouts.epoch"), f"{epoch:,}", None),
            (_("readouts.loss"), _num(metrics[0], ".3f"), _num(metrics[2], ".3f")),
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
            label = text(_("readouts.test", value=test), t.small, th.TEST_LINE, True)
            if label.get_width() > w - t.px(6):
                label = text(test, t.small, th.TEST_LINE, True)
            surface.blit(label, (x, inner.y + t.small + t.big + t.px(10)))
    corner(surface, inner, t, _("readouts.rate", rate=f"{epochs_per_s:,.0f}", fps=f"{fps:.0f}"),
           warming)


def pair_readouts(surface, rect, t, rows, selected, fps, regression=False, warming=None):
    """Epoch, loss and accuracy (for ``regression`` the mean absolute error) of each side,
    one line per side, the ``selected`` side's name in the accent colour; ``rows`` are
    (name, epoch, metrics, epochs/s)."""
    inner = card(surface, rect, t)
    heads = ("readouts.epoch", "readouts.loss", "readouts.mae", "readouts.test_mae") if regression else \
        ("readouts.epoch", "readouts.loss", "readouts.accuracy", "readouts.test_accuracy")
    score = ".3f" if regression else ".1%"
    name_w = t.px(30)
    values = [(f"{epoch:,}", _num(metrics[0], ".3f"), _num(metrics[1], score), _num(metrics[3], score))
              for _name, epoch, metrics, _rate in rows]
    xs, size = _columns([_(head) for head in heads], values, inner.w - name_w, t)
    for x, head in zip(xs, heads):
        surface.blit(text(_(head), t.small, th.MUTED), (inner.x + name_w + x, inner.y))
    line_h = (inner.h - t.small - t.px(4) - t.small) / max(len(rows), 1)
    for k, ((name, *_row), row) in enumerate(zip(rows, values)):
        y = inner.y + t.small + t.px(4) + k * line_h
        surface.blit(text(name, t.heading, th.ACCENT if k == selected else th.TEXT, True), (inner.x, y))
        for x, value in zip(xs, row):
            surface.blit(text(value, size, th.TEXT, True), (inner.x + name_w + x, y))
    rates = " · ".join(f"{name} {rate:,.0f}" for name, _, _, rate in rows)
    corner(surface, inner, t, _("readouts.rates", rates=rates, fps=f"{fps:.0f}"), warming)


def _columns(heads, rows, room, t):
    """Where the columns of ``heads`` (small) over ``rows`` of values (body, bold) start in
    ``room`` pixels, and the values' text size: equal columns where everything fits them,
    else columns as wide as their widest text, the values shrunk (to small) until they fit."""
    gap = t.px(6)
    size = t.body
    while True:
        needs = [max(text(head, t.small).get_width(),
                     *(text(row[i], size, th.TEXT, True).get_width() for row in rows)) + gap
                 for i, head in enumerate(heads)]
        if sum(needs) <= room or size <= t.small:
            break
        size -= 1
    w = room / len(heads)
    if max(needs) <= w:
        return [i * w for i in range(len(heads))], size
    spare = max(room - sum(needs), 0) / len(heads)
    starts = [0.0]
    for need in needs[:-1]:
        starts.append(starts[-1] + need + spare)
    return starts, size


def _num(v, fmt):
    return "—" if v is None or not math.isfinite(v) else format(v, fmt)
