"""The themes: light (the default, as before), high contrast for washed-out projectors,
dark; switched with M at run time, chosen with --theme, remembered in the settings file."""
import pygame
import pytest
from helpers import key

from nnsim.app.draw import theme
from nnsim.app.shell import user_settings
from nnsim.cli.app import launch_options


def corner(app):
    return tuple(app.screen.get_at((app.screen.get_width() - 2, app.screen.get_height() - 2)))[:3]


@pytest.mark.parametrize("name", theme.THEMES)
def test_a_theme_from_the_start_draws_in_its_colours(make_app, name):
    app = make_app(theme=name)
    app.frame()
    assert theme.palette.name == name
    assert corner(app) == theme.PALETTES[name].BACKGROUND


def test_m_cycles_the_themes_redraws_and_remembers_the_choice(make_app):
    app = make_app()
    assert theme.palette.name == "light"
    key(app, pygame.K_m)
    assert corner(app) == theme.PALETTES["high-contrast"].BACKGROUND
    assert user_settings.theme() == "high-contrast"
    assert app.ui.message == "Colours: high contrast"
    key(app, pygame.K_m)
    key(app, pygame.K_m)
    assert theme.palette.name == "light" and corner(app) == theme.PALETTES["light"].BACKGROUND


def test_high_contrast_draws_thicker_point_outlines(make_app):
    app = make_app(theme="high-contrast")
    thick = app.actions.sides[0].view.boundary.sprites[0, False]
    app.close()
    light = make_app(theme="light").actions.sides[0].view.boundary.sprites[0, False]
    r = light.get_width() // 2
    ring = lambda s: sum(s.get_at((r, y))[:3] == (255, 255, 255) for y in range(r))   # noqa: E731
    assert ring(thick) > ring(light)


def test_the_command_line_chooses_a_theme():
    assert launch_options(["--theme", "high-contrast"]).theme == "high-contrast"
    assert launch_options([]).theme is None
    with pytest.raises(SystemExit):
        launch_options(["--theme", "sepia"])
