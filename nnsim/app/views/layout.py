"""Screen regions, all derived from the window size (and whether the panel is shown)."""
from dataclasses import dataclass

import pygame

from .legend import legend_height


@dataclass
class Layout:
    panel: pygame.Rect       # controls (width 0 when hidden)
    boundary: pygame.Rect    # the square decision-boundary view
    chart: pygame.Rect       # loss chart, under the boundary view
    readouts: pygame.Rect    # epoch, loss, accuracy
    network: pygame.Rect     # network diagram and gradient meter
    legend: pygame.Rect      # what the colours mean (height 0 with the panel hidden)
    pair: tuple = ()         # compare mode: the boundary views of A and B, side by side
    caption: pygame.Rect | None = None   # compare mode: an experiment's caption, under both


def compute_layout(size, t, panel_visible=True, compare=False, big_chart=False, caption=None):
    """The boundary view takes the most room the right column leaves it; the loss chart
    goes under it when there is room for one there, else into the right column. In compare
    mode two boundary views share that room side by side, above a wide chart, and
    ``caption`` (width -> height of an experiment's caption box) gets a strip between them;
    ``big_chart`` (an experiment) keeps the chart readable from the back of a classroom."""
    W, H = size
    m = t.margin
    panel = pygame.Rect(0, 0, t.panel_w if panel_visible else 0, H)
    x0 = panel.right + m
    chart_min = t.px(230) if big_chart else t.tx(112)
    if compare:
        return _compare_layout(size, t, panel, chart_min, caption)
    side = min(H - 2 * m, W - x0 - 2 * m - t.tx(250))
    if big_chart:
        side = min(side, H - 3 * m - chart_min)
    # a little smaller leaves room for the chart below (and the right column, which holds
    # the legend too while the panel is shown, room for the diagram)
    elif H - 3 * m - side < chart_min and \
            H - 3 * m - chart_min >= (0.8 if panel_visible else 0.85) * side:
        side = H - 3 * m - chart_min
    boundary = pygame.Rect(x0, m, side, side)
    right = pygame.Rect(boundary.right + m, m, W - boundary.right - 2 * m, H - 2 * m)
    readouts = pygame.Rect(right.x, right.y, right.w, t.tx(104))
    below = H - boundary.bottom - 2 * m
    if below >= chart_min:
        chart = pygame.Rect(x0, boundary.bottom + m, side, below)
        top = readouts.bottom + m
    else:
        chart = pygame.Rect(right.x, readouts.bottom + m, right.w, t.px(200))
        top = chart.bottom + m
    network, legend = _right_column(right, top, t, panel.w > 0)
    return Layout(panel, boundary, chart, readouts, network, legend)


def _right_column(right, top, t, with_legend):
    """The network card from ``top`` down, the legend (while the panel shows) under it."""
    m = t.margin
    legend_h = legend_height(right.w, t) if with_legend else 0
    network = pygame.Rect(right.x, top, right.w, right.bottom - top - (legend_h + m if legend_h else 0))
    return network, pygame.Rect(right.x, right.bottom - legend_h, right.w, legend_h)


def _compare_layout(size, t, panel, chart_min, caption):
    """Two square boundary views in a row, the caption's strip (if any) and the loss chart
    under both; the views give up height to keep the chart ``chart_min`` tall."""
    W, H = size
    m = t.margin
    x0 = panel.right + m
    half = max(1, min((W - x0 - 3 * m - t.px(340)) // 2, H - 3 * m - chart_min))
    strip_h = caption(2 * half + m) + m if caption else 0
    if H - 3 * m - half - strip_h < chart_min:
        half = max(1, H - 3 * m - chart_min - strip_h)
        strip_h = caption(2 * half + m) + m
    pair = (pygame.Rect(x0, m, half, half), pygame.Rect(x0 + half + m, m, half, half))
    boundary = pair[0].union(pair[1])
    strip = pygame.Rect(x0, boundary.bottom + m, boundary.w, strip_h - m) if caption else None
    top = boundary.bottom + m + strip_h
    chart = pygame.Rect(x0, top, boundary.w, H - top - m)
    right = pygame.Rect(boundary.right + m, m, W - boundary.right - 2 * m, H - 2 * m)
    readouts = pygame.Rect(right.x, right.y, right.w, t.tx(104))
    network, legend = _right_column(right, readouts.bottom + m, t, panel.w > 0)
    return Layout(panel, boundary, chart, readouts, network, legend, pair, strip)
