"""Inside the network: diagram nodes, thumbnails, links, gradient meter, hidden space."""
import numpy as np
import pygame
import pytest
from helpers import click, key

from nnsim.app.draw.heatmap import grid_points
from nnsim.app.draw.theme import CLASS_COLOURS, UNDECIDED
from nnsim.app.state.training import vanishing
from nnsim.app.views.network_view import GRID
from nnsim.core import Session, Settings, feature_matrix_t


def node_counts(app):
    return [len(column) for column in app.painter.network_view.columns]


def test_nodes_follow_the_architecture(make_app):
    app = make_app(hidden=(8, 8))
    assert node_counts(app) == [2, 8, 8, 2]
    key(app, pygame.K_l)
    assert node_counts(app) == [2, 8, 8, 8, 2]
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    assert node_counts(app) == [2, 8, 2]
    app.actions.set_width(0, 32)
    app.actions.toggle_feature("x1*x2")
    app.frame()
    assert node_counts(app) == [3, 32, 2]
    key(app, pygame.K_6)
    assert node_counts(app)[-1] == 3


@pytest.mark.parametrize("size", [(1024, 640), (1920, 1080)])
@pytest.mark.parametrize("hidden", [(8, 8), (32,) * 8])
def test_diagram_fits_its_region_without_overlap(make_app, size, hidden):
    app = make_app(size, hidden=hidden, features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"))
    view = app.painter.network_view
    rects = [r for column in view.columns for r in column]
    assert len(rects) == 7 + sum(hidden) + 2
    for r in rects:
        assert view.area.contains(r) and r.w >= 4
    assert not any(a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert app.painter.layout.network.contains(view.meter)


def test_thumbnail_pixels_map_back_to_the_kernels_activations(make_app):
    app = make_app(hidden=(5,), activation="tanh")
    app.trainer.train_now(30)
    app.frame()
    net, view = app.session.net, app.painter.network_view
    grid = feature_matrix_t(grid_points(GRID), app.session.settings.features).T
    a = net.activations(grid)[1][3]                     # layer 1, neuron 4
    scale = np.abs(a).max()
    r = view.columns[1][3]
    for gx, gy in [(2, 3), (12, 12), (20, 5), (7, 19)]:
        px = r.x + int((gx + 0.5) * r.w / GRID)
        py = r.y + int((gy + 0.5) * r.h / GRID)
        rgb = np.array(app.screen.get_at((px, py))[:3], dtype=float)
        v = a[gx * GRID + gy] / scale
        target = CLASS_COLOURS[1] if v > 0 else CLASS_COLOURS[0]
        channel = int(np.argmax(np.abs(np.subtract(target, UNDECIDED))))
        t = (rgb[channel] - UNDECIDED[channel]) / (target[channel] - UNDECIDED[channel])
        assert abs(t - abs(v)) < 0.02, (gx, gy, t, v)


def test_gradient_meter_shows_the_cores_gradient_norms(make_app):
    app = make_app(hidden=(6, 6, 6, 6), activation="sigmoid")
    key(app, pygame.K_SPACE)
    app.frame()
    app.frame()
    app.finish()                               # collect the chunk the worker is training
    np.testing.assert_array_equal(app.trainer.sides[0].snapshot.grad_meter, app.session.net.grad_norms)
    assert len(app.trainer.sides[0].snapshot.grad_meter) == 5 and (app.trainer.sides[0].snapshot.grad_meter > 0).all()
    # vanishing gradients: the sigmoid stack's first layer gets far less than the last
    assert app.trainer.sides[0].snapshot.grad_meter[0] < app.trainer.sides[0].snapshot.grad_meter[-1] / 10


def test_vanishing_is_marked_relative_to_the_output_layer():
    starved = Session(Settings(dataset="circle", hidden=(8,) * 5, activation="sigmoid",
                               optimizer="sgd", eta=0.03, batch=16, points=200))
    starved.train(200)
    assert list(vanishing(starved.net.grad_norms)) == [True, True, False, False, False, False]
    # a converged network: every gradient tiny (an absolute threshold flagged it), none starved
    assert not vanishing([3e-6, 2e-6, 4e-6]).any()
    assert list(vanishing([1e-5, 1e-4, 2e-3])) == [True, False, False]


def test_clicking_a_node_shows_it_large_and_again_goes_back(make_app):
    app = make_app(hidden=(4,))
    app.trainer.train_now(20)
    app.frame()
    b = app.painter.layout.boundary
    before = pygame.surfarray.array3d(app.screen)[b.x:b.right, b.y:b.bottom].copy()
    node = app.painter.network_view.columns[1][2].center
    click(app, node)
    assert app.ui.selected_node == (1, 2)
    shown = pygame.surfarray.array3d(app.screen)[b.x:b.right, b.y:b.bottom]
    assert np.abs(shown.astype(int) - before).mean() > 3
    click(app, node)
    assert app.ui.selected_node is None


def test_hovering_a_link_tells_its_weight(make_app):
    app = make_app(hidden=(3,))
    view = app.painter.network_view
    ax, ay, bx, by = view.link_ends[-1]
    w = view.link_weights[-1]
    assert view.tooltip_at(((ax + bx) / 2, (ay + by) / 2)).startswith(f"w = {w:+.3f}")
    assert view.tooltip_at(view.columns[1][0].center).startswith("layer 1 · neuron 1")


def test_hidden_space_tab_maps_the_points(make_app):
    app = make_app(hidden=(4, 3))
    tabs = app.painter.network_view.tabs
    click(app, tabs.cells[1].center)
    assert app.ui.hidden_space
    app.actions.set_hidden_layer(2)
    app.actions.set_hidden_axis(1, 2)
    app.frame()
    assert app.ui.hidden_layer == 2 and app.ui.hidden_axes == [0, 2]
    app.actions.set_hidden_axis(0, 9)                          # clamped to the layer's 3 neurons
    assert app.ui.hidden_axes[0] == 2
    click(app, tabs.cells[0].center)
    assert not app.ui.hidden_space
