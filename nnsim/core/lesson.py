"""A lesson: what a teacher puts in a scenario file to focus the screen on one idea.

It holds a title and a few lines of notes (shown over the boundary view) and the controls
to hide or to lock, named from ``CONTROLS``. A scenario file carries it as its "lesson"
object (see ``scenario``); reading checks every field and raises ``FileError`` in one line.
"""
from dataclasses import dataclass

from .files import FileError

#: Every control a lesson may hide or lock, and what it covers in the app.
CONTROLS = {
    "dataset": "the dataset buttons and keys 1-6",
    "noise": "the noise slider",
    "points": "the number-of-points slider",
    "test_ratio": "the test-share slider",
    "test_data": "showing the test points (the Test toggle, V)",
    "discretize": "the Discrete toggle (D)",
    "regenerate": "New data (N)",
    "layers": "the number of hidden layers (L)",
    "neurons": "the neurons of each hidden layer",
    "features": "the input features",
    "activation": "the activation (A)",
    "learning_rate": "the learning rate ([ and ])",
    "batch": "the batch size (, and .)",
    "optimizer": "the optimizer",
    "regularization": "L1/L2 and the regularization rate",
    "speed": "the training speed",
    "experiments": 'the "Try this" experiments (Shift+digit, F1-F9)',
    "formula": "the formula of a formula dataset",
    "checker_size": "the checkerboard's square size",
    "extra_features": "the typed input features (formulas)",
    "schedule": "the learning-rate schedule and its warm-up",
    "stop": "the stop conditions (epochs, loss target, early stopping)",
    "loss": "the classification loss (cross-entropy or squared error)",
    "batch_norm": "batch normalization, per hidden layer",
    "dropout": "the dropout rate, per hidden layer",
    "residual": "the residual links, per hidden layer",
    "init": "the weight initialization",
}

MAX_TITLE = 80            # characters
MAX_NOTES = 4             # lines under the title
MAX_NOTE = 200            # characters per line


@dataclass(frozen=True)
class Lesson:
    """A title, up to MAX_NOTES lines of notes, and the names of the hidden and the locked
    controls (from CONTROLS; a control is either, not both)."""
    title: str
    notes: tuple = ()
    hidden: tuple = ()
    locked: tuple = ()

    def state(self, control):
        """"hidden", "locked" or None: what this lesson does to ``control``."""
        return "hidden" if control in self.hidden else "locked" if control in self.locked else None


def lesson_dict(lesson):
    """``lesson`` as plain JSON-able data."""
    return {"title": lesson.title, "notes": list(lesson.notes), "hidden": list(lesson.hidden),
            "locked": list(lesson.locked)}


def _text(value, where, limit):
    if not isinstance(value, str):
        raise FileError(f"field '{where}' must be text")
    if not value.strip() or len(value) > limit or not value.isprintable():
        raise FileError(f"field '{where}' must be one line of 1 to {limit} characters")
    return value


def _list(data, key):
    value = data.get(key, [])
    if not isinstance(value, list):
        raise FileError(f"field 'lesson.{key}' must be a list")
    return value


def _controls(data, key):
    names = _list(data, key)
    for name in names:
        if not isinstance(name, str) or name not in CONTROLS:
            shown = name if isinstance(name, str) and len(name) <= 40 else "(not a name)"
            raise FileError(f"lesson.{key}: unknown control '{shown}'; controls are "
                            f"{', '.join(CONTROLS)}")
    if len(set(names)) != len(names):
        raise FileError(f"lesson.{key} names a control twice")
    return tuple(names)


def lesson_from(data):
    """The Lesson of a scenario's "lesson" object ``data``, or FileError."""
    if not isinstance(data, dict):
        raise FileError("field 'lesson' must be an object")
    unknown = sorted(set(data) - {"title", "notes", "hidden", "locked"})
    if unknown:
        raise FileError(f"unknown field 'lesson.{unknown[0]}'")
    if "title" not in data:
        raise FileError("missing field 'lesson.title'")
    title = _text(data["title"], "lesson.title", MAX_TITLE)
    notes = _list(data, "notes")
    if len(notes) > MAX_NOTES:
        raise FileError(f"lesson.notes holds {len(notes)} lines; at most {MAX_NOTES} fit")
    notes = tuple(_text(line, f"lesson.notes[{i}]", MAX_NOTE) for i, line in enumerate(notes))
    hidden, locked = _controls(data, "hidden"), _controls(data, "locked")
    both = [name for name in hidden if name in locked]
    if both:
        raise FileError(f"control '{both[0]}' is both hidden and locked")
    return Lesson(title, notes, hidden, locked)
