"""The languages: every catalogue has en.po's keys and fields, German uses the glossary's
terms, the language is chosen by --lang, else the app's last choice, else the system locale,
Ctrl+L and the panel switch it at once, and no label is cut short in any language."""
import re
from pathlib import Path

import pygame
import pytest
from helpers import click, cut_labels, key

from nnsim.app.views.overlays import HelpView
from nnsim.cli import main
from nnsim.lessons import text

FIELD = re.compile(r"\{[^{}]*\}")
OTHERS = [code for code in text.languages() if code != text.SOURCE]
GLOSSARY = Path(text.__file__).with_name("glossary.md")


# -- the catalogues -------------------------------------------------------------------------
@pytest.mark.parametrize("code", OTHERS)
def test_every_catalogue_has_exactly_the_english_keys_and_fields(code):
    english, other = text.catalogue(text.SOURCE), text.catalogue(code)
    assert sorted(set(english) - set(other)) == [], "missing"
    assert sorted(set(other) - set(english)) == [], "not in en.po"
    for key_, source in english.items():
        assert sorted(FIELD.findall(other[key_])) == sorted(FIELD.findall(source)), key_
        assert other[key_].strip(), key_


def _glossary_term(english):
    """The German of ``english`` in glossary.md's table."""
    for line in GLOSSARY.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] == english:
            return cells[2]
    raise KeyError(english)


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
@pytest.mark.parametrize("english", ["loss", "learning rate", "epoch", "decision boundary",
                                     "accuracy", "gradient", "lesson"])
def test_german_says_the_glossarys_term(english):
    """Wherever the English names a key concept as a word, the German has the glossary's
    term for it (its stem: Verlust, Verlusts, Trainingsverlust all count)."""
    stem = _glossary_term(english)[:6].lower()
    word = re.compile(rf"(?<!-)\b{english}(es|s)?\b", re.IGNORECASE)     # not --lesson
    german = text.catalogue("de")
    named = [k for k, v in text.catalogue(text.SOURCE).items() if word.search(FIELD.sub("", v))]
    assert named
    assert [k for k in named if stem not in german[k].lower()] == []


# -- choosing the language ------------------------------------------------------------------
@pytest.mark.parametrize("environ, code", [
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "de_AT"}, "de"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "es_MX"}, "es" if "es" in text.languages() else "en"),
])
def test_the_system_locale_chooses_the_language(environ, code):
    assert text.system_language(environ) == code


def test_without_variables_the_locale_module_says(monkeypatch):
    monkeypatch.setattr(text.locale, "getlocale", lambda: ("de_CH", "UTF-8"))
    assert text.system_language({}) == "de"


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_lang_sets_the_messages_of_a_subcommand(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    with pytest.raises(SystemExit) as stop:
        main(["train", "--epochs", "0", "--lang", "de"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("nnsim train: Fehler: Epochen müssen zwischen 1 und "
                                       "10000000 liegen, nicht 0\n")


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_without_lang_the_system_locale_decides(monkeypatch, capsys):
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    with pytest.raises(SystemExit):
        main(["train", "--part", "2"])
    assert capsys.readouterr().err == "nnsim train: Fehler: --part braucht --experiment\n"


def test_an_unknown_language_is_one_line_naming_the_choices(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "xx", "--headless", "--frames", "1"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (f"nnsim: error: --lang: no language 'xx' (choose from "
                                       f"{', '.join(text.languages())})\n")


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_the_app_gets_lang(monkeypatch):
    started = []
    monkeypatch.setattr("nnsim.app.shell.main.run", lambda options: started.append(options) or 0)
    assert main(["--lang", "de", "--headless", "--frames", "1"]) == 0
    assert started[0].language == "de" and text.language() == "de"


# -- in the app -----------------------------------------------------------------------------
def _panel_texts(app):
    """The panel's labels as laid out now."""
    return {getattr(w, "label", None) or getattr(w, "caption", None) for w in app.painter.panel.widgets}


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_ctrl_l_switches_the_language_relays_out_and_is_remembered(make_app):
    from nnsim.app.shell import user_settings
    app = make_app()
    layout, widgets_before = app.painter.layout, app.painter.panel.widgets
    english, german = (text.catalogue(code)["panel.heading.dataset"] for code in ("en", "de"))
    assert english in _panel_texts(app)
    while text.language() != "de":
        key(app, pygame.K_l, pygame.KMOD_CTRL)
    assert german in _panel_texts(app) and english not in _panel_texts(app)
    assert app.painter.layout is not layout and app.painter.panel.widgets is not widgets_before
    assert app.ui.message == "Sprache: Deutsch"
    assert pygame.display.get_caption()[0] == text.catalogue("de")["window.caption"]
    assert user_settings.language() == "de"


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_the_panel_button_cycles_the_languages(make_app):
    app = make_app()
    button = next(w for w in app.painter.panel.widgets if w.tooltip == text._("panel.tip.language"))
    after = text.next_language()
    click(app, button.rect.move(app.painter.panel.rect.topleft).center)
    assert text.language() == after != text.SOURCE


@pytest.mark.skipif("de" not in text.languages(), reason="no German catalogue")
def test_the_remembered_language_is_used_unless_lang_is_given(make_app):
    from nnsim.app.shell import user_settings
    user_settings.remember_language("de")
    make_app()
    assert text.language() == "de"
    make_app(language="en")
    assert text.language() == "en"
    user_settings.remember_language("xx")          # a catalogue since removed: ignored
    make_app()
    assert text.language() == "en"


# -- fit ------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", text.languages())
def test_no_label_is_cut_short_at_the_projector_size(code, make_app, monkeypatch):
    """The default screen of a 16-layer network, help, theory and the panel's second pages
    (the network's table of 16 layers among them) at 1024×768: every
    widget label fits the rect
    it is drawn in (``blit_within`` would cut it), the network card's tabs fit the card, and
    the help card fits the window."""
    cut = cut_labels(monkeypatch)
    app = make_app(size=(1024, 768), language=code, hidden=(8,) * 16, activation=("tanh",) * 15 + ("leaky_relu",),
                   dropout=0.5, init="large")
    for press in (None, pygame.K_h, pygame.K_h, pygame.K_t):
        if press:
            key(app, press)
        app.frame()
        assert cut == [], press
    panel = app.painter.panel
    for k, section in enumerate((0, 2, 1)):   # the sections' second pages, the network's
        more = [w for w in panel.widgets if w.tooltip == text._("panel.tip.more")][section]
        click(app, more.rect.move(panel.rect.topleft).center)     # (16 layers' rows) last
        app.frame()
        assert len(panel.more) == k + 1
        assert cut == [], more.rect
    card = app.painter.network_view
    assert card.rect.contains(card.tabs.rect)
    help_view = next(v for v in app.painter.views if isinstance(v, HelpView))
    assert app.screen.get_rect().contains(help_view.card)      # every row of the help shows


@pytest.mark.parametrize("code", text.languages())
def test_the_touch_help_fits_at_the_projector_size(code, make_app):
    app = make_app(size=(1024, 768), language=code, touch=True)
    key(app, pygame.K_h)
    app.frame()
    help_view = next(v for v in app.painter.views if isinstance(v, HelpView))
    assert app.screen.get_rect().contains(help_view.card)


@pytest.mark.parametrize("size", [(1366, 768), (1600, 900), (1920, 1080)])
@pytest.mark.parametrize("code", text.languages())
def test_no_label_is_cut_short_in_bigger_windows_in_compare_mode(code, size, make_app,
                                                                monkeypatch):
    """Text grows with the window by steps of a pixel of font size, its room smoothly: a
    label that just fits at 1024×768 may not, one size up; it shrinks instead of being cut."""
    cut = cut_labels(monkeypatch)
    app = make_app(size=size, language=code)
    key(app, pygame.K_k)
    app.frame()
    assert cut == []
