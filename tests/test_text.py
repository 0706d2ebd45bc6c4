"""The text catalogue: every key the code names is in en.po and every entry is used, the .po
reader is strict, and no view draws a literal English string."""
import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nnsim.app.draw.theme import THEMES
from nnsim.core.config import ACTIVATIONS, DATASETS, LOSSES, OPTIMIZERS, SCHEDULES, SPEEDS
from nnsim.core.lesson import CONTROLS
from nnsim.lessons import text
from nnsim.lessons.text import CatalogueError, parse

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "nnsim" / "app"
#: the source that names catalogue keys: the app, the command line, the lessons, the
#: lesson-file maker
SOURCES = [*sorted((ROOT / "nnsim" / "app").rglob("*.py")), *sorted((ROOT / "nnsim" / "cli").glob("*.py")),
           *sorted((ROOT / "nnsim" / "lessons").glob("*.py")), ROOT / "tools" / "make_lessons.py"]
#: keys made from an engine table's names by ``text.shown_name`` (the losses' and schedules'
#: for the panel's coming cards)
DERIVED = {f"{kind}.{name}" for kind, names in (("dataset", DATASETS), ("activation", ACTIVATIONS),
                                                  ("optimizer", OPTIMIZERS), ("speed", SPEEDS),
                                                  ("loss", LOSSES), ("schedule", SCHEDULES),
                                                  ("theme", THEMES))
           for name in names}
KEYS = set(text.keys())
NAMESPACES = {key.split(".")[0] for key in KEYS}
KEY_SHAPE = re.compile(r"[a-z_]+(\.[a-z0-9_-]+)+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")        # two Latin letters in a row: a word, not a symbol


def _constants(path):
    """The string constants of ``path`` outside docstrings (and the parts of f-strings)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def _named_keys(path):
    """Strings of ``path`` shaped like a catalogue key: ``_("...")``'s and the tables'."""
    return {node.value for node in _constants(path) if KEY_SHAPE.fullmatch(node.value)
            and node.value.split(".")[0] in NAMESPACES}


def test_every_key_the_code_names_is_in_the_english_catalogue():
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and \
                    isinstance(node.args[0], ast.Constant):
                assert node.args[0].value in KEYS, f"{path.name}:{node.lineno}"
        assert _named_keys(path) <= KEYS, path.name
    assert DERIVED <= KEYS


def test_every_entry_of_the_catalogue_is_used():
    used = set().union(DERIVED, *map(_named_keys, SOURCES))
    assert sorted(KEYS - used) == []


def test_shown_name_and_the_shipped_lessons_read_the_catalogue():
    assert text.shown_name("activation", "leaky_relu") == "Leaky ReLU"
    assert text.lookup("lesson.overfitting.title") == "Overfitting"
    assert text.lookup("My own lesson") == "My own lesson"        # a teacher's file: as written


def test_fields_are_filled_in():
    assert text._("toast.eta", eta="0.03") == "Learning rate η 0.03"
    with pytest.raises(KeyError):
        text._("toast.no_such_message")


# -- the .po reader -------------------------------------------------------------------------
def test_the_reader_resolves_escapes_and_joins_continuation_lines():
    source = ('# comment\n#. for translators\nmsgid ""\nmsgstr "Language: en\\n"\n\n'
              'msgid "a.b"\nmsgstr ""\n"one \\"quoted\\" \\\\ line\\n"\n"and the next"\n\n'
              'msgid "c"\nmsgstr "plain"\n')
    assert parse(source, "x.po") == {"a.b": 'one "quoted" \\ line\nand the next', "c": "plain"}


@pytest.mark.parametrize("source, line, message", [
    ('msgid "a"\nmsgstr "x\\t"\n', 2, "unknown escape"),
    ('msgid "a"\nmsgstr "x" y"\n', 2, 'unescaped "'),
    ('msgid "a"\nmsgstr x\n', 2, "expected a quoted string"),
    ('"orphan"\n', 1, "continuation line outside an entry"),
    ('msgstr "x"\n', 1, "unexpected 'msgstr'"),
    ('msgid "a"\nmsgctxt "x"\n', 2, "unexpected 'msgctxt'"),
    ('msgid "a"\nmsgstr "x"\nmsgstr "y"\n', 3, "unexpected 'msgstr'"),
    ('msgid "a"\n\nmsgid "b"\nmsgstr "y"\n', 1, "needs a msgid and a msgstr"),
    ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', 4, "appears twice"),
])
def test_a_malformed_catalogue_names_file_and_line(source, line, message):
    with pytest.raises(CatalogueError, match=rf"^bad\.po:{line}: .*{re.escape(message)}"):
        parse(source, "bad.po")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("code", text.languages())
def test_gettext_reads_every_catalogue(code):
    subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null",
                    str(text.FOLDER / f"{code}.po")], check=True)


def test_another_language_shows_its_texts_and_falls_back_to_english(tmp_path, monkeypatch):
    shutil.copy(text.FOLDER / "en.po", tmp_path)
    (tmp_path / "de.po").write_text('msgid "toast.eta"\nmsgstr "Lernrate η {eta}"\n', "utf-8")
    monkeypatch.setattr(text, "FOLDER", tmp_path)
    text.catalogue.cache_clear()
    try:
        assert text.languages() == ["de", "en"]
        text.set_language("de")
        assert text.language() == "de"
        assert text._("toast.eta", eta="0.1") == "Lernrate η 0.1"
        assert text._("panel.step") == "Step"             # not in de.po: the English
        with pytest.raises(ValueError, match="the languages are de, en"):
            text.set_language("xx")
    finally:
        text.set_language("en")
        text.catalogue.cache_clear()


# -- no view draws a literal string ---------------------------------------------------------
#: calls whose arguments are drawn or shown: text rendering, message boxes, widgets' labels
#: and tooltips, the window caption, prompts' titles
SHOWN = {"text", "banner", "toast", "notify", "caption_box", "card", "card_content", "side_tag",
         "draw_tooltip", "help_overlay", "set_caption", "ask_path", "para", "heading",
         "add", "Button", "Label", "Toggle", "Slider", "Segmented", "Dropdown", "Stepper",
         "_Heading", "_heading", "_stop_saying", "_caption"}
#: functions whose return value is shown (hover help, live formula lines, names of weights)
RETURNS_SHOWN = re.compile(r"tooltip|help|_line$|^live_lines$|^parameter_name$")
#: literals that may be passed to those calls: catalogue keys, the theme's text sizes, the
#: lesson controls a widget changes, file names and suffixes, and the functions of formulas
ALLOWED = KEYS | {"small", "body", "heading"} | set(CONTROLS)
FILE_NAME = re.compile(r"[\w-]*\.(json|csv|py)")
MATH = {"softmax", "log"}


def _literals(node):
    """The literal English in expression ``node``: string constants (and f-string parts)
    with a word, not looking into calls (``_()``'s key is not shown, a call's own arguments
    are checked where it is a shown call)."""
    if isinstance(node, ast.Call):
        return []
    if isinstance(node, ast.Constant):
        ok = (not isinstance(node.value, str) or node.value in ALLOWED
              or FILE_NAME.fullmatch(node.value) or set(WORD.findall(node.value)) <= MATH)
        return [] if ok else [node.value]
    if isinstance(node, ast.FormattedValue):       # only its format spec could hold text
        return _literals(node.format_spec) if node.format_spec else []
    return [found for child in ast.iter_child_nodes(node) for found in _literals(child)]


def literal_text(source):
    """(line, literal) of every literal English string ``source`` shows."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in SHOWN:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    found += [(node.lineno, s) for s in _literals(arg)]
        elif isinstance(node, ast.FunctionDef) and RETURNS_SHOWN.search(node.name):
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    found += [(ret.lineno, s) for s in _literals(ret.value)]
    return found


@pytest.mark.parametrize("path", sorted(APP.rglob("*.py")), ids=lambda p: str(p.relative_to(APP)))
def test_no_view_shows_a_literal_string(path):
    assert literal_text(path.read_text("utf-8")) == []


@pytest.mark.parametrize("source", [
    'text("Loss", t.small)',
    'self.actions.notify(f"Saved: {path}")',
    'banner(screen, rect, t, _("banner.dead.title"), "lower η, then reset")',
    'add(Button(cell, "Step", a.step_epoch), "Train one epoch")',
    'Button(rect, lambda: "Pause" if playing else "Play", toggle)',
    'pygame.display.set_caption("nnsim")',
    'def tooltip_at(pos):\n    return f"input {name}"',
])
def test_the_scan_catches_a_literal(source):
    assert literal_text(source)


def test_the_scan_lets_keys_symbols_and_numbers_through():
    assert literal_text('text(_("chart.title"), t.small)\ntext(f"{v:.3g}", t.small)\n'
                        'text("—", t.body)\nLabel(rect, _("panel.hidden_layers"), "small")\n'
                        'text(f"{i + 1}. {_(e.title)}", t.body)') == []
