"""The "What am I looking at?" card: one plain paragraph per part of the screen, as
catalogue keys (text.py, locale/en.po)."""

TITLE = "intro.title"

SECTIONS = (
    ("intro.points.heading", "intro.points.body"),
    ("intro.boundary.heading", "intro.boundary.body"),
    ("intro.network.heading", "intro.network.body"),
    ("intro.loss.heading", "intro.loss.body"),
)
