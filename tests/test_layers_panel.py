"""The Network section's ⋯ page (issue 21): a row per hidden layer (neurons, activation,
batch norm, dropout, residual link) and the weight init, driven by real events: each
control edits its own layer, a residual link is refused where the widths differ, 16 rows
scroll into reach, the values survive save and open, compare mode edits the selected side,
lessons lock and hide them, and the first page reaches every layer's width."""
import pygame
import pytest
from helpers import FakeClock, click, cut_labels, key

from nnsim.app.draw import theme as th
from nnsim.app.views.panel import _LayerStepper
from nnsim.app.widgets.compact import Cell, CheckBox, ShortDropdown
from nnsim.core import Session, Settings
from nnsim.core.lesson import Lesson
from nnsim.lessons import text
from nnsim.lessons.text import _


def s(app):
    return app.session.settings


def panel(app):
    return app.painter.panel


def more(app):
    """Flip the Network section to its ⋯ page, or back, with a click on its ⋯ button."""
    p = panel(app)
    heading = next(w for w in p.widgets if getattr(w, "caption", "") == _("panel.heading.network"))
    button = next(w for w in p.widgets if getattr(w, "label", None) == "⋯" and w.rect.y == heading.rect.y)
    shown = "network" in p.more
    click(app, on_screen(app, button.rect).center)
    app.frame()                                   # the panel rebuilt for the page
    assert ("network" in p.more) != shown


def on_screen(app, rect):
    """``rect`` of the panel's content where it is on screen (the panel scrolled)."""
    p = panel(app)
    return rect.move(p.rect.x, p.rect.y - p.scroll)


def row(app, layer):
    """Hidden layer ``layer``'s (from 0) row on the ⋯ page: its widgets by kind, left to
    right: {"neurons": stepper, "activation": drop-down, "batch_norm": box, "dropout":
    drop-down, "residual": box}."""
    p = panel(app)
    number = next(w for w in p.widgets if isinstance(w, Cell) and p.shown(w)
                  and w.caption == str(layer + 1))
    cells = sorted((w for w in p.widgets if p.shown(w) and w.rect.y == number.rect.y
                    and isinstance(w, (_LayerStepper, ShortDropdown, CheckBox))),
                   key=lambda w: w.rect.x)
    assert [type(w) for w in cells] == [_LayerStepper, ShortDropdown, CheckBox, ShortDropdown,
                                        CheckBox]
    return dict(zip(("neurons", "activation", "batch_norm", "dropout", "residual"), cells))


def choose(app, dropdown, label):
    """Open ``dropdown`` with a click and click its option ``label``."""
    click(app, on_screen(app, dropdown.rect).center)
    assert dropdown.open
    click(app, on_screen(app, dropdown.options[dropdown.labels.index(label)]).center)
    assert not dropdown.open


@pytest.fixture
def app(make_app):
    return make_app(clock=FakeClock(), hidden=(6, 6, 6), points=100)


def test_each_control_of_a_row_changes_its_own_layer_and_makes_a_new_network(app):
    more(app)
    net = app.session.net
    choose(app, row(app, 1)["activation"], _("activation.relu"))
    assert s(app).activation == ("tanh", "relu", "tanh")
    assert app.session.net is not net and app.session.net.arch.act == ("tanh", "relu", "tanh")
    click(app, on_screen(app, row(app, 2)["batch_norm"].rect).center)
    assert s(app).batch_norm == (False, False, True)
    choose(app, row(app, 0)["dropout"], "0.3")
    assert s(app).dropout == (0.3, 0.0, 0.0)
    click(app, on_screen(app, row(app, 1)["residual"].rect).center)
    assert s(app).residual == (False, True, False)
    click(app, on_screen(app, row(app, 2)["neurons"].plus).center)
    assert s(app).hidden == (6, 6, 7)
    init = next(d for d in panel(app).dropdowns if d.tooltip == _("panel.tip.init"))
    choose(app, init, _("panel.init.zeros"))
    assert s(app).init == "zeros" and app.session.net.init == "zeros"
    assert app.session.net.arch.bn == (False, False, True) and app.session.net.arch.drop == (0.3, 0, 0)
    app.frame()                                   # the rows show what the settings say
    assert row(app, 0)["dropout"].shown() == "0.3" and row(app, 2)["batch_norm"].get()
    assert row(app, 1)["activation"].shown() == _("panel.activation_short.relu")


def test_a_residual_link_is_refused_where_the_widths_differ_and_says_why(make_app):
    app = make_app(clock=FakeClock(), hidden=(6, 4, 4), points=100)
    more(app)
    before = s(app)
    for layer in (0, 1):
        box = row(app, layer)["residual"]
        assert not box.allowed()
        click(app, on_screen(app, box.rect).center)
        assert s(app) == before and app.ui.message == box.tooltip
    assert "6" in row(app, 1)["residual"].tooltip and "4" in row(app, 1)["residual"].tooltip
    assert row(app, 0)["residual"].tooltip == _("panel.residual.first")
    click(app, on_screen(app, row(app, 2)["residual"].rect).center)
    assert s(app).residual is True                # the only layer that can have one: all of them
    click(app, on_screen(app, row(app, 1)["neurons"].plus).center)     # 5 → 4 no longer match
    assert s(app).hidden == (6, 5, 4) and s(app).residual is False
    assert app.ui.message == _("toast.residual_lost", layer=3)


def test_the_page_shows_16_rows_and_the_wheel_scrolls_to_the_last(make_app):
    app = make_app(size=(1024, 768), clock=FakeClock(), points=100)
    more(app)
    p = panel(app)
    stepper = next(w for w in p.widgets if p.shown(w) and w.tooltip == _("panel.tip.layers"))
    for _n in range(14):
        click(app, on_screen(app, stepper.plus).center)
        stepper = next(w for w in p.widgets if p.shown(w) and w.tooltip == _("panel.tip.layers"))
    assert s(app).hidden == (8,) * 16
    numbers = [w.caption for w in p.widgets if isinstance(w, Cell) and p.shown(w) and w.bold]
    assert numbers == [str(n) for n in range(1, 17)]
    last = row(app, 15)
    assert on_screen(app, last["residual"].rect).bottom > p.rect.bottom      # below the window
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p.rect.center, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    for _n in range(20):
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False,
                                             precise_x=0.0, precise_y=-3.0))
    app.frame()
    assert p.scroll == p.content_h - p.rect.h
    box = on_screen(app, row(app, 15)["batch_norm"].rect)
    assert p.rect.contains(box)
    click(app, box.center)
    assert s(app).batch_norm == (False,) * 15 + (True,)
    assert accent_pixels(app, box) > box.h        # drawn ticked where the click was


def accent_pixels(app, rect):
    """How many pixels of the screen in ``rect`` have the accent colour."""
    return sum(app.screen.get_at((x, y))[:3] == th.ACCENT
               for x in range(rect.x, rect.right) for y in range(rect.y, rect.bottom))


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_with_touch_every_target_of_16_rows_is_a_fingers(make_app, size):
    app = make_app(size=size, touch=True, hidden=(8,) * 16, points=100)
    more(app)
    p = panel(app)
    shown = [w for w in p.widgets if p.shown(w)]
    rects = [r for w in shown if isinstance(w, (ShortDropdown, CheckBox, _LayerStepper))
             for r in ([w.plus, w.minus] if isinstance(w, _LayerStepper) else [w.rect])]
    assert len(rects) == 16 * 6
    assert min(min(r.size) for r in rects) >= p.t.target
    assert all(p.rect.w >= r.right for r in rects)


def test_the_values_survive_save_and_open(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(clock=FakeClock(), hidden=(6, 6, 6), points=100)
    more(app)
    choose(app, row(app, 2)["activation"], _("activation.gelu"))
    click(app, on_screen(app, row(app, 0)["batch_norm"].rect).center)
    choose(app, row(app, 1)["dropout"], "0.5")
    click(app, on_screen(app, row(app, 2)["residual"].rect).center)
    choose(app, next(d for d in panel(app).dropdowns if d.tooltip == _("panel.tip.init")),
           _("panel.init.large"))
    saved = s(app)
    assert (saved.activation, saved.batch_norm, saved.dropout, saved.residual, saved.init) == (
        ("tanh", "tanh", "gelu"), (True, False, False), (0.0, 0.5, 0.0), (False, False, True),
        "large")
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    type_into(app, "deep.json")
    key(app, pygame.K_l, pygame.KMOD_SHIFT)           # one layer fewer: something else
    assert s(app) != saved
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    type_into(app, tmp_path / "deep.json")
    assert s(app) == saved and app.session.net.arch.res == (False, False, True)
    app.frame()
    assert row(app, 2)["residual"].get() and row(app, 1)["dropout"].shown() == "0.5"


def type_into(app, path):
    """Answer the open file prompt with ``path``."""
    key(app, pygame.K_BACKSPACE, pygame.KMOD_CTRL)          # clear the suggested name
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=str(path)))
    app.frame()
    key(app, pygame.K_RETURN)
    assert app.ui.prompt is None


def test_compare_mode_edits_the_selected_side_and_frames_the_difference(app):
    key(app, pygame.K_k)                          # B, a copy of A, is edited
    more(app)
    click(app, on_screen(app, row(app, 0)["batch_norm"].rect).center)
    a, b = app.actions.sessions
    assert b.settings.batch_norm == (True, False, False) and a.settings.batch_norm is False
    assert app.actions.differences() == ("batch_norm",)
    p = panel(app)
    app.frame()
    rect = next(r for setting, r, page in p.marks if setting == "batch_norm" and page[1])
    frame = on_screen(app, rect.inflate(p.t.px(6), p.t.px(4)))
    assert app.screen.get_at((frame.centerx, frame.y + 1))[:3] == th.ACCENT
    ring = on_screen(app, p.more_buttons["network"].inflate(p.t.px(6), p.t.px(4)))
    ring = (ring.centerx, ring.y + 1)             # where a frame around the ⋯ button lies
    assert app.screen.get_at(ring)[:3] == th.PANEL
    more(app)                                     # back to the first page: the ⋯ is framed
    assert "network" not in p.more and app.screen.get_at(ring)[:3] == th.ACCENT
    more(app)
    app.actions.select_side(0)                    # the panel shows A's layers
    app.frame()
    assert not row(app, 0)["batch_norm"].get()
    click(app, on_screen(app, row(app, 1)["residual"].rect).center)
    assert a.settings.residual == (False, True, False) and b.settings.residual is False


def test_a_lesson_locks_or_hides_the_layer_controls(make_app):
    session = Session(Settings(points=80, hidden=(4, 4)))
    session.lesson = Lesson("Deep", (), hidden=("residual",), locked=("batch_norm", "init"))
    app = make_app(session=session)
    more(app)
    box = row(app, 1)["batch_norm"]
    click(app, on_screen(app, box.rect).center)
    assert s(app).batch_norm is False and app.ui.message == _("lesson.locked")
    residual = on_screen(app, row(app, 1)["residual"].rect)
    click(app, residual.center)
    assert s(app).residual is False
    assert app.screen.get_at(residual.center)[:3] == th.PANEL        # not drawn


def test_the_first_page_says_mixed_sets_every_layer_and_reaches_layer_16(make_app):
    app = make_app(clock=FakeClock(), hidden=(5,) * 16, activation=("relu",) + ("tanh",) * 15,
                   points=100)
    p = panel(app)
    activation = next(d for d in p.dropdowns if d.tooltip == _("panel.tip.activation"))
    assert activation.get() is None and activation.placeholder == _("panel.activation_mixed")
    choose(app, activation, _("activation.sigmoid"))
    assert s(app).activation == "sigmoid"
    steppers = {w.layer: w for w in p.widgets if isinstance(w, _LayerStepper) and p.shown(w)}
    assert sorted(steppers) == list(range(16))
    click(app, on_screen(app, steppers[15].plus).center)
    assert s(app).hidden == (5,) * 15 + (6,)


def test_a_deeper_network_copies_the_last_layers_settings(make_app):
    app = make_app(clock=FakeClock(), hidden=(4, 4), activation=("relu", "gelu"),
                   dropout=(0.0, 0.2), residual=(False, True), points=100)
    key(app, pygame.K_l)                          # one layer more
    assert s(app).hidden == (4, 4, 4) and s(app).activation == ("relu", "gelu", "gelu")
    assert s(app).dropout == (0.0, 0.2, 0.2) and s(app).residual is True
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    key(app, pygame.K_l, pygame.KMOD_SHIFT)
    assert s(app).hidden == (4,) and s(app).activation == "relu" and s(app).dropout == 0.0
    app.actions.set_layer(0, activation="gelu", dropout=0.4)
    assert s(app).activation == "gelu" and s(app).dropout == 0.4
    key(app, pygame.K_l, pygame.KMOD_SHIFT)       # no hidden layer: nothing mixed to show
    assert s(app).hidden == () and s(app).activation == "gelu"
    activation = next(d for d in panel(app).dropdowns if d.tooltip == _("panel.tip.activation"))
    assert activation.get() == activation.labels.index(_("activation.gelu"))
    key(app, pygame.K_l)
    assert s(app).hidden == (4,) and (s(app).activation, s(app).dropout) == ("gelu", 0.4)


@pytest.mark.parametrize("code", text.languages())
@pytest.mark.parametrize("size, touch", [((1024, 768), True), ((1280, 800), False),
                                         ((1920, 1080), False), ((1920, 1080), True)])
def test_no_text_of_the_table_is_cut_at_other_sizes_and_with_touch(make_app, monkeypatch, code,
                                                                    size, touch):
    """(At 1024×768 without touch test_languages checks the whole panel.)"""
    cut = cut_labels(monkeypatch)
    app = make_app(size=size, touch=touch, language=code, hidden=(8,) * 16, dropout=0.5,
                   activation=("leaky_relu",) * 16, init="large")
    more(app)
    p = panel(app)
    table = [w for w in p.widgets if p.shown(w) and isinstance(w, (Cell, ShortDropdown, CheckBox))]
    assert len(table) == 5 + 16 * 5
    cut.clear()                                   # (other sections' texts were drawn too)
    for w in table:
        w.draw(p.surface, p.t, None)
    assert cut == []
