"""The lesson files that ship with nnsim: scenarios with a lesson block, in scenarios/ next
to this module (package data; made by tools/make_lessons.py), opened by name."""
from importlib import resources

from ..core import scenario

FOLDER = resources.files(__package__) / "scenarios"


def names():
    """The names of the shipped lessons (``nnsim --lesson NAME``)."""
    return sorted(entry.name.removesuffix(".json") for entry in FOLDER.iterdir()
                  if entry.name.endswith(".json"))


def open_lesson(name):
    """A Session of shipped lesson ``name``, or ValueError naming the lessons there are."""
    if name not in names():
        raise ValueError(f"no lesson {name!r}; the lessons are {', '.join(names())}")
    return scenario.loads((FOLDER / f"{name}.json").read_text("utf-8"), f"{name}.json")
