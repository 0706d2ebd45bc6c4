"""The key map is one table: it drives dispatch, the help overlay and README's hotkey table."""
from pathlib import Path

import pygame
import pytest
from helpers import key

from nnsim.app.input import keys
from nnsim.app.state import controls
from nnsim.app.views import overlays
from nnsim.lessons.experiments import ALL_EXPERIMENTS
from nnsim.lessons.text import _

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_hotkeys():
    """(keys, action) rows of README's hotkey table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| key | action |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(tuple(cell.strip() for cell in line.strip("|").split("|")))
    return rows


def test_readme_lists_exactly_the_key_map():
    """README is in English: its rows are the English texts of the bindings' keys."""
    assert readme_hotkeys() == [(_(b.label), _(b.what)) for b in keys.BINDINGS]


@pytest.mark.parametrize("touch", [False, True])
def test_the_help_overlay_shows_every_binding_and_the_mouse_or_a_finger(touch, make_app,
                                                                         monkeypatch):
    drawn = []
    monkeypatch.setattr(overlays, "help_overlay", lambda *args: drawn.append(args[-1]) or
                        pygame.Rect(0, 0, 1, 1))
    app = make_app(touch=touch)
    key(app, pygame.K_h)
    app.frame()
    rows = drawn[-1]
    assert [r for r in rows if r in keys.KEY_ROWS] == [(b.label, b.what) for b in keys.BINDINGS]
    assert [r for r in rows if r not in keys.KEY_ROWS] == list(keys.TOUCH if touch else keys.MOUSE)


class Recorder:
    """Stands in for Actions: records every operation called, with its arguments."""

    def __init__(self, remote=False):
        self.calls = []
        self.ui = self
        self.remote = remote          # the key follows a presenter remote's Page key

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, args))

    def control_state(self, name):
        return None                 # no lesson hides or locks anything


@pytest.mark.parametrize("binding", keys.BINDINGS, ids=lambda b: b.label)
def test_every_key_of_a_binding_runs_it(binding):
    """A key code is pressed as itself; a character as the US key that types it (SDL's key
    code of a character key is the character's)."""
    for i, (k, mod) in enumerate(binding.keys):
        flags = {None: 0, keys.SHIFT: pygame.KMOD_SHIFT, keys.CTRL: pygame.KMOD_CTRL,
                 keys.REMOTE: 0}[mod]
        code, typed = (ord(k), k) if isinstance(k, str) else (k, "")
        pressed, expected = Recorder(remote=mod == keys.REMOTE), Recorder()
        assert keys.dispatch(pygame.event.Event(pygame.KEYDOWN, key=code, mod=flags, unicode=typed),
                             pressed)
        binding.run(expected, i)
        assert pressed.calls == expected.calls and pressed.calls


def test_shift_held_by_accident_still_presses_the_plain_key(make_app):
    app = make_app()
    key(app, pygame.K_SPACE, pygame.KMOD_SHIFT)
    assert app.ui.playing


def test_a_question_mark_on_any_layout_opens_help(make_app):
    app = make_app()
    key(app, pygame.K_UNKNOWN, unicode="?")
    assert app.ui.help_visible


# -- other keyboard layouts: what SDL sends for a German keyboard (QWERTZ) -------------------
ALTGR = pygame.KMOD_RALT | pygame.KMOD_MODE


def test_german_altgr_8_and_9_type_brackets_that_step_the_learning_rate(make_app):
    """``[`` is AltGr+8, ``]`` AltGr+9: the 8 and 9 keys, which choose nothing here."""
    app = make_app()
    eta = app.session.settings.eta
    key(app, pygame.K_8, ALTGR, unicode="[")
    lower = app.session.settings.eta
    assert lower < eta
    key(app, pygame.K_9, ALTGR, unicode="]")
    assert app.session.settings.eta == eta


def test_french_altgr_5_types_a_bracket_and_loads_no_dataset(make_app):
    app = make_app()
    dataset, eta = app.session.settings.dataset, app.session.settings.eta
    key(app, pygame.K_5, ALTGR, unicode="[")
    assert app.session.settings.eta < eta and app.session.settings.dataset == dataset


def test_french_azerty_number_row_loads_datasets_and_with_shift_experiments(make_app):
    """The 2 key types ``é`` (SDL's key code 233) and Shift+2 types ``2``: by its place in
    the number row it is the 2 key either way."""
    app = make_app()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=233, mod=0, unicode="é",
                                         scancode=pygame.KSCAN_2))
    app.frame()
    assert app.session.settings.dataset == controls.PRESETS[1]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=233, mod=pygame.KMOD_SHIFT,
                                         unicode="2", scancode=pygame.KSCAN_2))
    app.frame()
    assert app.ui.experiment.name == ALL_EXPERIMENTS[1].name


def test_german_shift_keys_type_question_mark_and_colon(make_app):
    """``?`` is Shift+ß; Shift+. types ``:``, which is no key of ours (the batch stays)."""
    app = make_app()
    batch = app.session.settings.batch
    key(app, pygame.K_PERIOD, pygame.KMOD_SHIFT, unicode=":")
    assert app.session.settings.batch == batch
    key(app, 223, pygame.KMOD_SHIFT, unicode="?")      # SDL's keycode of ß
    assert app.ui.help_visible


def test_german_comma_and_period_step_the_batch(make_app):
    app = make_app()
    batch = app.session.settings.batch
    key(app, pygame.K_PERIOD, unicode=".")
    assert app.session.settings.batch > batch
    key(app, pygame.K_COMMA, unicode=",")
    assert app.session.settings.batch == batch


def test_letters_stay_on_their_keys_whatever_they_type(make_app):
    """SDL names a letter key by the letter it types on the layout: D is D anywhere."""
    app = make_app()
    key(app, pygame.K_d, unicode="d")
    assert app.ui.discretize


# -- a presenter remote: Page Down / Page Up, and B or . to blank -----------------------
def test_page_keys_play_and_pause_outside_an_experiment(make_app):
    app = make_app()
    key(app, pygame.K_PAGEDOWN)
    assert app.ui.playing
    key(app, pygame.K_PAGEUP)
    assert not app.ui.playing


def test_page_keys_step_through_the_experiments(make_app):
    from nnsim.lessons.experiments import EXPERIMENTS
    app = make_app()
    key(app, pygame.K_F2)
    key(app, pygame.K_PAGEDOWN)
    assert app.ui.experiment is EXPERIMENTS[2]
    key(app, pygame.K_PAGEUP)
    key(app, pygame.K_PAGEUP)
    assert app.ui.experiment is EXPERIMENTS[0]
    key(app, pygame.K_PAGEUP)                 # at the first one it stays
    assert app.ui.experiment is EXPERIMENTS[0]


def test_after_a_page_key_b_and_period_blank_the_screen_and_any_key_brings_it_back(make_app):
    app = make_app()
    batch = app.session.settings.batch
    key(app, pygame.K_PAGEDOWN)
    key(app, pygame.K_b, unicode="b")
    assert app.ui.blank and not app.actions.stepper.active
    assert app.screen.get_at((app.screen.get_width() // 2, 10))[:3] == (0, 0, 0)
    key(app, pygame.K_b, unicode="b")
    assert not app.ui.blank
    key(app, pygame.K_PERIOD, unicode=".")
    assert app.ui.blank and app.session.settings.batch == batch
    key(app, pygame.K_SPACE, unicode=" ")      # any key: back, and only that
    assert not app.ui.blank


def test_on_the_keyboard_b_steps_through_backprop_and_period_changes_the_batch(make_app):
    """Another key after the remote's ends its meaning of B and ."""
    app = make_app()
    batch = app.session.settings.batch
    key(app, pygame.K_PAGEDOWN)
    key(app, pygame.K_SPACE, unicode=" ")
    key(app, pygame.K_PERIOD, unicode=".")
    assert not app.ui.blank and app.session.settings.batch > batch
    key(app, pygame.K_b, unicode="b")
    assert app.actions.stepper.active and not app.ui.blank
