"""The "What am I looking at?" card: text as data, first start only, closed by any key."""
import json

import pygame

from nnsim.app.input.keys import help_rows
from nnsim.app.options import LaunchOptions
from nnsim.app.shell import user_settings as intro
from nnsim.app.shell.main import run
from nnsim.lessons.intro import SECTIONS
from nnsim.lessons.text import _
from tests.helpers import click, key


def test_the_card_explains_the_four_parts_of_the_screen():
    assert [_(h) for h, paragraph in SECTIONS] == ["The points", "The boundary", "The network diagram",
                                        "The loss chart"]
    assert all(len(_(paragraph)) > 100 for h, paragraph in SECTIONS)


def test_the_first_start_is_remembered_atomically(tmp_path):
    path = tmp_path / "config" / "nnsim" / "settings.json"
    assert intro.first_start(path)
    intro.remember_intro_seen(path)
    assert not intro.first_start(path)
    assert json.loads(path.read_text()) == {"intro_seen": True}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]    # no temporary left


def test_a_broken_settings_file_counts_as_a_first_start_and_is_mended(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[not json")
    assert intro.first_start(path)
    intro.remember_intro_seen(path)
    assert not intro.first_start(path)


def test_the_config_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert intro.settings_path() == tmp_path / "nnsim" / "settings.json"


def test_headless_runs_never_show_or_remember_the_card(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    shown = []
    monkeypatch.setattr("nnsim.app.views.overlays.draw_intro", lambda *a: shown.append(a))
    assert run(LaunchOptions(size=(640, 400), headless=True, frames=2)) == 0
    assert run(LaunchOptions(size=(640, 400), headless=True, frames=2, intro=True)) == 0
    assert len(shown) == 2                      # only when asked: one per frame of that run
    assert not (tmp_path / "nnsim").exists()


def test_any_key_or_click_closes_the_card_and_does_nothing_else(make_app):
    app = make_app((1024, 768))
    app.actions.show_intro()
    epoch = app.session.epoch
    key(app, pygame.K_s)                       # would train an epoch
    assert not app.ui.intro_visible and app.session.epoch == epoch
    key(app, pygame.K_i)
    assert app.ui.intro_visible
    points = len(app.session.y)
    click(app, app.painter.layout.boundary.center)
    assert not app.ui.intro_visible and len(app.session.y) == points


def test_the_help_overlay_offers_the_card():
    assert ("I", "what am I looking at?") in [(_(k), _(d)) for k, d in help_rows(touch=False)]
