"""The key map: one table drives the dispatch of key presses, the help overlay and README's
hotkey table (a test checks README against it)."""
from dataclasses import dataclass
from typing import Callable

import pygame

from ..state import controls
from ..widgets.lesson_gate import LOCKED

SHIFT, CTRL = "shift", "ctrl"


@dataclass(frozen=True)
class Binding:
    label: str        # the keys as help and README name them
    what: str         # what they do
    keys: tuple       # ((pygame key, modifier), ...): modifier None, SHIFT or CTRL
    run: Callable     # run(actions, i): i is the index of the pressed key in ``keys``
    control: str = None   # the lesson control (core.lesson) that can hide or lock it


def _plain(*keys):
    return tuple((k, None) for k in keys)


DIGITS = tuple(range(pygame.K_1, pygame.K_7))
FUNCTION_KEYS = tuple(range(pygame.K_F1, pygame.K_F7))

BINDINGS = (
    Binding("Space", "play / pause", _plain(pygame.K_SPACE), lambda a, i: a.toggle_play()),
    Binding("→ or S", "train one epoch; step-through: next stage",
            _plain(pygame.K_RIGHT, pygame.K_s),
            lambda a, i: a.step_epoch() if i else a.next_stage_or_epoch()),
    Binding("←", "step-through: previous stage", _plain(pygame.K_LEFT),
            lambda a, i: a.previous_stage()),
    Binding("B", "backprop step-through: click a training point", _plain(pygame.K_b),
            lambda a, i: a.toggle_step_through()),
    Binding("R", "reset the weights", _plain(pygame.K_r), lambda a, i: a.reset_weights()),
    Binding("1 … 6", "Spiral, XOR, Circle, Moons, Gaussian, 3 blobs", _plain(*DIGITS),
            lambda a, i: a.load_preset(controls.PRESETS[i]), control="dataset"),
    Binding("Shift+1 … 6, F1 … F6", '"Try this" experiments',
            tuple((k, SHIFT) for k in DIGITS) + _plain(*FUNCTION_KEYS),
            lambda a, i: a.load_experiment(i % len(DIGITS)), control="experiments"),
    Binding("K / Shift+K", "compare two networks / edit the other side",
            ((pygame.K_k, None), (pygame.K_k, SHIFT)),
            lambda a, i: a.other_side() if i else a.toggle_compare()),
    Binding("Enter", "step-through: next stage (at the update, take the step)",
            _plain(pygame.K_RETURN, pygame.K_KP_ENTER), lambda a, i: a.enter_stage()),
    Binding("T", "theory & exercises", _plain(pygame.K_t), lambda a, i: a.toggle_theory()),
    Binding("[ ]", "learning rate down / up", _plain(pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET),
            lambda a, i: a.step_eta(1 if i else -1), control="learning_rate"),
    Binding(", .", "batch size down / up", _plain(pygame.K_COMMA, pygame.K_PERIOD),
            lambda a, i: a.step_batch(1 if i else -1), control="batch"),
    Binding("A / Shift+A", "next / previous activation", ((pygame.K_a, None), (pygame.K_a, SHIFT)),
            lambda a, i: a.cycle_activation(-1 if i else 1), control="activation"),
    Binding("L / Shift+L", "add / remove a hidden layer", ((pygame.K_l, None), (pygame.K_l, SHIFT)),
            lambda a, i: a.add_layer(-1 if i else 1), control="layers"),
    Binding("C", "clear all points (and start afresh)", _plain(pygame.K_c),
            lambda a, i: a.clear_points()),
    Binding("N", "new data (new seed)", _plain(pygame.K_n), lambda a, i: a.regenerate(),
            control="regenerate"),
    Binding("D", "discretize the boundary", _plain(pygame.K_d),
            lambda a, i: a.set_discretize(not a.ui.discretize), control="discretize"),
    Binding("V", "show test points", _plain(pygame.K_v),
            lambda a, i: a.set_show_test(not a.ui.show_test), control="test_data"),
    Binding("Tab", "hide the panel", _plain(pygame.K_TAB), lambda a, i: a.toggle_panel()),
    Binding("H or ?", "help", ((pygame.K_h, None), (pygame.K_QUESTION, None), (pygame.K_SLASH, SHIFT)),
            lambda a, i: a.toggle_help()),
    Binding("I", "what am I looking at?", _plain(pygame.K_i), lambda a, i: a.show_intro()),
    Binding("P", "screenshot (PNG)", _plain(pygame.K_p), lambda a, i: a.screenshot()),
    Binding("G", "record a GIF; G again stops and saves it", _plain(pygame.K_g),
            lambda a, i: a.record()),
    Binding("Ctrl+S / Ctrl+O", "save / open a scenario (.json) or points (.csv)",
            ((pygame.K_s, CTRL), (pygame.K_o, CTRL)),
            lambda a, i: a.ask_open() if i else a.ask_save()),
    Binding("Ctrl+Z", "undo the last weight edit or step", ((pygame.K_z, CTRL),),
            lambda a, i: a.undo()),
    Binding("E", "export a PyTorch script", _plain(pygame.K_e), lambda a, i: a.ask_export()),
    Binding("F11 or F", "fullscreen", _plain(pygame.K_F11, pygame.K_f),
            lambda a, i: a.toggle_fullscreen()),
    Binding("Esc", "close overlays and step-through; leave fullscreen", _plain(pygame.K_ESCAPE),
            lambda a, i: a.escape()),
    Binding("Ctrl+Q", "quit (asks once if there are unsaved changes)", ((pygame.K_q, CTRL),),
            lambda a, i: a.quit()),
)

#: What the mouse does, for the help overlay.
MOUSE = (
    ("left click", "add a point of class A"),
    ("right or Shift+click", "add a point of class B"),
    ("middle or Alt+click", "add class C (3 blobs)"),
    ("drag", "paint points"),
    ("Ctrl+click", "remove the nearest point"),
    ("click a link", "type its weight"),
    ("Shift+click a neuron", "type its bias"),
)

HELP_ROWS = tuple((b.label, b.what) for b in BINDINGS) + MOUSE

_TABLE = {}
for _binding in BINDINGS:
    for _i, _key in enumerate(_binding.keys):
        assert _key not in _TABLE, f"{_key} is bound twice"
        _TABLE[_key] = (_binding, _i)


def modifier(mod):
    """The modifier a key press counts as: CTRL (Ctrl or Cmd), SHIFT, or None."""
    if mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
        return CTRL
    return SHIFT if mod & pygame.KMOD_SHIFT else None


def dispatch(event, actions):
    """Run the binding of KEYDOWN ``event``; True if one matched."""
    mod = modifier(event.mod)
    found = _TABLE.get((event.key, mod))
    if found is None and mod == SHIFT:      # Shift held by accident: the plain key
        found = _TABLE.get((event.key, None))
    if found is None and getattr(event, "unicode", "") == "?":    # any keyboard layout
        found = _TABLE[pygame.K_QUESTION, None]
    if found is None:
        return False
    binding, i = found
    if binding.control and actions.control_state(binding.control):
        actions.notify(LOCKED)
        return True
    binding.run(actions, i)
    return True
