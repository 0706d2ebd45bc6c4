"""The diagram's marks of the deep layers: batch norm's bar, residual arcs, dropped units
greyed, activation names where layers differ, their hover help, and a 16 x 64 network that
still fits its card."""
from itertools import pairwise

import numpy as np
import pygame
import pytest
from helpers import FakeClock

from nnsim.app.draw import theme as th
from nnsim.app.input.hover import HOVER_S
from nnsim.app.views.network_view import DROPPED_GREY, dropout_mask
from nnsim.core import Network
from nnsim.lessons.text import _, set_language


def pixel(app, pos):
    return tuple(app.screen.get_at((round(pos[0]), round(pos[1])))[:3])


def rest(app, pos):
    """The hover help once the mouse has rested at ``pos``."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.frame()
    app.clock.now += HOVER_S
    app.frame()
    return app.painter.tooltip.tip


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_a_batch_norm_bar_stands_left_of_each_normalized_layer_only(make_app, theme):
    app = make_app(hidden=(6, 6, 6), batch_norm=(True, False, True), theme=theme)
    view = app.painter.network_view
    assert sorted(view.bars) == [1, 3]
    for l, bar in view.bars.items():
        assert bar.right < view.columns[l][0].x and bar.bottom == view.columns[l][-1].bottom
        assert pixel(app, bar.center) == th.MARK
    # where layer 2's bar would be: links, no mark
    bar = view.bars[1].move(view.columns[2][0].x - view.columns[1][0].x, 0)
    assert pixel(app, bar.center) != th.MARK


def test_a_residual_arc_joins_exactly_the_linked_layers(make_app):
    app = make_app(hidden=(6, 6, 4, 4), residual=True)
    view = app.painter.network_view
    assert app.session.net.arch.res == (False, True, False, True)
    assert sorted(view.arcs) == [2, 4]
    for l, points in view.arcs.items():
        assert points[0][0] == pytest.approx(view.columns[l - 1][-1].centerx, abs=1)
        assert points[-1][0] == pytest.approx(view.columns[l][-1].centerx, abs=1)
        lowest = points[len(points) // 2]          # the arc dips under the columns it joins
        assert lowest[1] > view.columns[l][-1].bottom
        assert th.MARK in {pixel(app, (lowest[0], lowest[1] + dy)) for dy in (-1, 0, 1)}
    plain = make_app(hidden=(6, 6, 4, 4)).painter.network_view
    assert plain.arcs == {} and plain.bars == {} and plain.label_rows == []
    # without marks the columns take the whole card, as they always did
    assert plain.columns[1][-1].bottom - plain.columns[1][0].y > \
        view.columns[1][-1].bottom - view.columns[1][0].y


def test_dropped_units_are_greyed_with_a_mask_of_the_snapshot(make_app):
    app = make_app(hidden=(8, 8), dropout=(0.0, 0.5), seed=3)
    view, session = app.painter.network_view, app.session
    shot = app.trainer.sides[0].snapshot
    net = shot.view_net
    masks = {m: dropout_mask(net, session.settings.seed, m) for m in range(40)}
    assert all(not mask[l].any() for mask in masks.values() for l in (0, 1, 3))
    share = np.mean([mask[2].mean() for mask in masks.values()])
    assert 0.4 < share < 0.6                   # p = 0.5 of layer 2's units
    np.testing.assert_array_equal(dropout_mask(net, session.settings.seed, 7)[2], masks[7][2])
    # two snapshots whose masks differ: a unit dropped in one only is, there, its other
    # picture faded DROPPED_GREY of the way to the border grey
    a, b = next((a, b) for a in masks for b in masks if (masks[a][2] & ~masks[b][2]).any())
    unit = int(np.flatnonzero(masks[a][2] & ~masks[b][2])[0])
    r = view.columns[2][unit].move(-view.rect.x, -view.rect.y)
    spot = (r.x + 1, r.y + 2)                  # off the dropped unit's diagonal stroke

    def drawn(moment):
        view.update(session, net, shot.grad_meter, force=True, moment=moment)
        assert [d.tolist() for d in view.dropped] == [m.tolist() for m in masks[moment]]
        return np.array(view.surface.get_at(spot)[:3], dtype=float)

    shown, faded = drawn(b), drawn(a)
    np.testing.assert_allclose(faded, shown * (1 - DROPPED_GREY) + np.array(th.BORDER) * DROPPED_GREY,
                               atol=1.5)
    tip = view.tooltip_at(view.columns[2][unit].center)
    assert tip.endswith(_("network.tip.dropped", p="0.5"))


def test_every_mark_explains_itself(make_app):
    app = make_app((1920, 1080), clock=FakeClock(), hidden=(6, 6, 6),
                   activation=("relu", "tanh", "relu"), batch_norm=(True, False, False),
                   dropout=(0.0, 0.0, 0.3), residual=True)
    view = app.painter.network_view
    assert [row for row, _captions in view.label_rows] == ["activation", "extras"]
    assert view.label_rows[0][1] == ["ReLU", "tanh", "ReLU"]
    assert view.label_rows[1][1] == ["BN", "", "p=0.3"]
    assert rest(app, view.bars[1].center) == _("network.help.bn", l=1)
    arc = tuple(view.arcs[3][len(view.arcs[3]) // 2].round())
    assert rest(app, arc) == _("network.help.residual", l=3)
    labels = {(kind, l): rect for rect, kind, l in view.marks}
    assert set(labels) == {("bn", 1), ("residual", 2), ("residual", 3), ("activation", 1),
                           ("activation", 2), ("activation", 3), ("dropout", 3)}
    assert rest(app, labels["activation", 2].center) == _("network.help.activation", l=2, name="tanh")
    dropout = rest(app, labels["dropout", 3].center)
    assert dropout == _("network.help.dropout", l=3, p="0.3") and "without dropout" in dropout


def test_crowded_labels_shrink_then_give_way_to_the_help(make_app):
    wide = make_app((1920, 1080), hidden=(8,) * 3, activation=("sigmoid", "relu", "sigmoid"),
                    batch_norm=True, dropout=0.2).painter.network_view
    assert dict(wide.label_rows) == {"activation": ["sigmoid", "ReLU", "sigmoid"],
                                     "extras": ["BN p=0.2"] * 3}
    narrow = make_app((1024, 768), hidden=(8,) * 4, activation=("sigmoid", "relu") * 2,
                      batch_norm=True, dropout=0.2).painter.network_view
    rows = dict(narrow.label_rows)
    assert rows["extras"] == [".2"] * 4       # batch norm's bars say the rest
    room = narrow.column_gap()
    for row in rows.values():
        assert all(th.text(c, narrow.t.small).get_width() < room for c in row)


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_sixteen_layers_of_64_fit_the_card_with_their_marks(make_app, size):
    app = make_app(size, hidden=(64,) * 16, batch_norm=True, dropout=0.1, residual=True,
                   activation="relu")
    view = app.painter.network_view
    top = view.area.y + view.t.small + view.t.px(6)          # under the column captions
    rects = [r for column in view.columns for r in column]
    assert len(rects) == 2 + 16 * 64 + 2
    assert all(view.area.contains(r) and r.y >= top for r in rects)
    assert not any(a.colliderect(b) for column in view.columns for a, b in pairwise(column))
    assert len(view.bars) == 16 and sorted(view.arcs) == list(range(2, 17))
    assert all(view.area.contains(bar) for bar in view.bars.values())
    assert all(points[:, 1].max() <= view.area.bottom for points in view.arcs.values())
    assert view.label_top + len(view.label_rows) * (view.t.small + view.t.px(2)) <= view.area.bottom


@pytest.mark.parametrize("code", ["de", "es"])
def test_the_marks_help_is_translated(code, make_app):
    set_language(code)
    app = make_app(hidden=(6, 6), batch_norm=True, dropout=0.2, residual=True)
    view = app.painter.network_view
    helps = {kind: view.help_at(rect.center, None) for rect, kind, _l in view.marks}
    set_language("en")
    english = {kind: view.help_at(rect.center, None) for rect, kind, _l in view.marks}
    assert set(helps) == {"bn", "dropout", "residual"}
    assert all(helps[k] != english[k] and "{" not in helps[k] for k in helps)


def test_the_mask_follows_each_layers_rate():
    net = Network((2, 64, 64, 64, 2), batch_norm=True, dropout=(0.0, 0.9, 0.1))
    shares = np.mean([[m.mean() for m in dropout_mask(net, 0, k)] for k in range(30)], axis=0)
    assert shares[0] == shares[1] == shares[4] == 0
    assert shares[2] == pytest.approx(0.9, abs=0.04) and shares[3] == pytest.approx(0.1, abs=0.04)
