"""The key map is one table: it drives dispatch, the help overlay and README's hotkey table."""
from pathlib import Path

import pygame
import pytest
from helpers import key

from nnsim.app.input import keys
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


def test_the_help_overlay_shows_every_binding_and_the_mouse():
    assert keys.HELP_ROWS[:len(keys.BINDINGS)] == tuple((b.label, b.what) for b in keys.BINDINGS)
    assert keys.HELP_ROWS[len(keys.BINDINGS):] == keys.MOUSE


class Recorder:
    """Stands in for Actions: records every operation called, with its arguments."""

    def __init__(self):
        self.calls = []
        self.ui = self

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, args))

    def control_state(self, name):
        return None                 # no lesson hides or locks anything


@pytest.mark.parametrize("binding", keys.BINDINGS, ids=lambda b: b.label)
def test_every_key_of_a_binding_runs_it(binding):
    for i, (k, mod) in enumerate(binding.keys):
        flags = {None: 0, keys.SHIFT: pygame.KMOD_SHIFT, keys.CTRL: pygame.KMOD_CTRL}[mod]
        pressed, expected = Recorder(), Recorder()
        assert keys.dispatch(pygame.event.Event(pygame.KEYDOWN, key=k, mod=flags, unicode=""),
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
