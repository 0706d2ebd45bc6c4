"""The key map: one table drives the dispatch of key presses, the help overlay and README's
hotkey table (a test checks README against it).

Letters and named keys are bound by key code (they stay on their keys whatever the layout);
the digits by the key's place in the number row (a French AZERTY keyboard types ``&`` on the
1 key, and ``1`` only with Shift); the characters ``[ ] , . ?`` by the text the key types (``event.unicode``, which
pygame takes from SDL's TEXTINPUT), so they work on German, French or Spanish keyboards,
where they need AltGr or Shift and sit on other keys. A key typed with AltGr is never taken
for its key code (AltGr+8 is a German ``[``, not the 8 key).

A presenter remote sends Page Down / Page Up and, for "blank screen", B or ``.``: after a
Page key those two blank the screen (the REMOTE bindings); any other key ends that, so B
steps through backprop and ``.`` changes the batch size again.
"""
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from ...lessons.experiments import ALL_EXPERIMENTS
from ..state import controls

SHIFT, CTRL = "shift", "ctrl"
REMOTE = "remote"       # the key after a presenter remote's Page key


@dataclass(frozen=True)
class Binding:
    label: str        # catalogue key: the keys as help and README name them
    what: str         # catalogue key: what they do
    keys: tuple       # ((pygame key or typed character, modifier), ...): modifier None,
                      # SHIFT, CTRL or REMOTE
    run: Callable     # run(actions, i): i is the index of the pressed key in ``keys``
    control: str = None   # the lesson control (core.lesson) that can hide or lock it
    remote: bool = False  # a presenter remote's: B and . keep blanking after it


def _plain(*keys):
    return tuple((k, None) for k in keys)


DIGITS = tuple(range(pygame.K_1, pygame.K_7))
#: the number row's keys by place (SDL scancodes 1..9, 0) -> the digit's key code
NUMBER_ROW = {pygame.KSCAN_1 + n: pygame.K_1 + n for n in range(9)} | {pygame.KSCAN_0: pygame.K_0}
#: The digit keys in the order of the keyboard's row: 1 ... 9, then 0
DIGIT_ROW = (*range(pygame.K_1, pygame.K_9 + 1), pygame.K_0)
#: Shift+digit or F-key n opens the n-th experiment, the tenth on Shift+0 and F10 (at most
#: ten: the row has ten digits, and F11 is fullscreen)
assert len(ALL_EXPERIMENTS) <= len(DIGIT_ROW)
EXPERIMENT_KEYS = tuple((DIGIT_ROW[n], SHIFT) for n in range(len(ALL_EXPERIMENTS))) + \
    tuple((pygame.K_F1 + n, None) for n in range(len(ALL_EXPERIMENTS)))

BINDINGS = (
    Binding("key.play.keys", "key.play.what", _plain(pygame.K_SPACE), lambda a, i: a.toggle_play()),
    Binding("key.step.keys", "key.step.what",
            _plain(pygame.K_RIGHT, pygame.K_s),
            lambda a, i: a.step_epoch() if i else a.next_stage_or_epoch()),
    Binding("key.back.keys", "key.back.what", _plain(pygame.K_LEFT),
            lambda a, i: a.previous_stage()),
    Binding("key.stepthrough.keys", "key.stepthrough.what", _plain(pygame.K_b),
            lambda a, i: a.toggle_step_through()),
    Binding("key.reset.keys", "key.reset.what", _plain(pygame.K_r), lambda a, i: a.reset_weights()),
    Binding("key.datasets.keys", "key.datasets.what", _plain(*DIGITS),
            lambda a, i: a.load_preset(controls.PRESETS[i]), control="dataset"),
    Binding("key.experiments.keys", "key.experiments.what",
            EXPERIMENT_KEYS, lambda a, i: a.load_experiment(i % len(ALL_EXPERIMENTS)),
            control="experiments"),
    Binding("key.compare.keys", "key.compare.what",
            ((pygame.K_k, None), (pygame.K_k, SHIFT)),
            lambda a, i: a.other_side() if i else a.toggle_compare()),
    Binding("key.enter.keys", "key.enter.what",
            _plain(pygame.K_RETURN, pygame.K_KP_ENTER), lambda a, i: a.enter_stage()),
    Binding("key.theory.keys", "key.theory.what", _plain(pygame.K_t), lambda a, i: a.toggle_theory()),
    Binding("key.eta.keys", "key.eta.what", _plain("[", "]"),
            lambda a, i: a.step_eta(1 if i else -1), control="learning_rate"),
    Binding("key.batch.keys", "key.batch.what", _plain(",", "."),
            lambda a, i: a.step_batch(1 if i else -1), control="batch"),
    Binding("key.activation.keys", "key.activation.what", ((pygame.K_a, None), (pygame.K_a, SHIFT)),
            lambda a, i: a.cycle_activation(-1 if i else 1), control="activation"),
    Binding("key.layers.keys", "key.layers.what", ((pygame.K_l, None), (pygame.K_l, SHIFT)),
            lambda a, i: a.add_layer(-1 if i else 1), control="layers"),
    Binding("key.clear.keys", "key.clear.what", _plain(pygame.K_c),
            lambda a, i: a.clear_points()),
    Binding("key.new_data.keys", "key.new_data.what", _plain(pygame.K_n), lambda a, i: a.regenerate(),
            control="regenerate"),
    Binding("key.discretize.keys", "key.discretize.what", _plain(pygame.K_d),
            lambda a, i: a.set_discretize(not a.ui.discretize), control="discretize"),
    Binding("key.test_points.keys", "key.test_points.what", _plain(pygame.K_v),
            lambda a, i: a.set_show_test(not a.ui.show_test), control="test_data"),
    Binding("key.panel.keys", "key.panel.what", _plain(pygame.K_TAB), lambda a, i: a.toggle_panel()),
    Binding("key.help.keys", "key.help.what", _plain(pygame.K_h, "?"),
            lambda a, i: a.toggle_help()),
    Binding("key.intro.keys", "key.intro.what", _plain(pygame.K_i), lambda a, i: a.show_intro()),
    Binding("key.screenshot.keys", "key.screenshot.what", _plain(pygame.K_p), lambda a, i: a.screenshot()),
    Binding("key.gif.keys", "key.gif.what", _plain(pygame.K_g),
            lambda a, i: a.record()),
    Binding("key.files.keys", "key.files.what",
            ((pygame.K_s, CTRL), (pygame.K_o, CTRL)),
            lambda a, i: a.ask_open() if i else a.ask_save()),
    Binding("key.undo.keys", "key.undo.what", ((pygame.K_z, CTRL),),
            lambda a, i: a.undo()),
    Binding("key.export.keys", "key.export.what", _plain(pygame.K_e), lambda a, i: a.ask_export()),
    Binding("key.theme.keys", "key.theme.what", _plain(pygame.K_m), lambda a, i: a.cycle_theme()),
    Binding("key.fullscreen.keys", "key.fullscreen.what", _plain(pygame.K_F11, pygame.K_f),
            lambda a, i: a.toggle_fullscreen()),
    Binding("key.escape.keys", "key.escape.what", _plain(pygame.K_ESCAPE),
            lambda a, i: a.escape()),
    Binding("key.quit.keys", "key.quit.what", ((pygame.K_q, CTRL),),
            lambda a, i: a.quit()),
    Binding("key.language.keys", "key.language.what", ((pygame.K_l, CTRL),),
            lambda a, i: a.cycle_language()),
    Binding("key.page.keys", "key.page.what", _plain(pygame.K_PAGEDOWN, pygame.K_PAGEUP),
            lambda a, i: a.page(-1 if i else 1), remote=True),
    Binding("key.blank.keys", "key.blank.what", ((pygame.K_b, REMOTE), (".", REMOTE)),
            lambda a, i: a.blank(), remote=True),
)

#: What the mouse does, for the help overlay (catalogue keys).
MOUSE = (
    ("mouse.add_a.keys", "mouse.add_a.what"),
    ("mouse.add_b.keys", "mouse.add_b.what"),
    ("mouse.add_c.keys", "mouse.add_c.what"),
    ("mouse.paint.keys", "mouse.paint.what"),
    ("mouse.remove.keys", "mouse.remove.what"),
    ("mouse.weight.keys", "mouse.weight.what"),
    ("mouse.bias.keys", "mouse.bias.what"),
)

#: What a finger does, for the help overlay once the touch picker is shown (catalogue keys).
TOUCH = (
    ("touch.tap.keys", "touch.tap.what"),
    ("touch.paint.keys", "touch.paint.what"),
    ("touch.hold.keys", "touch.hold.what"),
    ("touch.undo.keys", "touch.undo.what"),
    ("touch.scroll.keys", "touch.scroll.what"),
)

KEY_ROWS = tuple((b.label, b.what) for b in BINDINGS)


def help_rows(touch):
    """The help overlay's rows: every hotkey, then what the mouse does, or a finger with
    ``touch``."""
    return KEY_ROWS + (TOUCH if touch else MOUSE)

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


def find(event, remote=False):
    """(binding, index of the key) of KEYDOWN ``event``, or None; ``remote``: the key
    follows a presenter remote's Page key."""
    typed = getattr(event, "unicode", "")
    for key in (event.key, typed):
        if remote and (key, REMOTE) in _TABLE:
            return _TABLE[key, REMOTE]
    if (typed, None) in _TABLE:
        return _TABLE[typed, None]
    if event.mod & (pygame.KMOD_MODE | pygame.KMOD_RALT) and typed:
        return None                         # AltGr types a character, which is not bound
    mod = modifier(event.mod)
    code = NUMBER_ROW.get(getattr(event, "scancode", None), event.key)
    found = _TABLE.get((code, mod))
    if found is None and mod == SHIFT:      # Shift held by accident: the plain key
        found = _TABLE.get((code, None))
    return found


def dispatch(event, actions):
    """Run the binding of KEYDOWN ``event``; True if one matched."""
    found = find(event, actions.ui.remote)
    if found is None:
        return False
    binding, i = found
    actions.ui.remote = actions.ui.remote and binding.remote
    if binding.control and actions.control_state(binding.control):
        actions.say_locked()
        return True
    binding.run(actions, i)
    return True
