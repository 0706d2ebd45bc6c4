"""Text from the bundled fonts: wrapped into lines, left-aligned or centred."""
import pygame
import pytest

from nnsim.app.draw import theme

SENTENCE = "every ReLU in layer 1 outputs 0 for all points, so no gradient gets through"


@pytest.fixture(autouse=True)
def fonts():
    theme.clear_caches()             # fonts cached by an earlier test died with its pygame.quit()
    pygame.font.init()
    yield
    theme.clear_caches()
    pygame.font.quit()


def last_line_indent(surface, size):
    """Where the ink of the last line starts, in pixels from the left."""
    h = theme.font(size).get_linesize()
    return surface.subsurface(0, surface.get_height() - h, surface.get_width(), h).get_bounding_rect().x


def test_text_wraps_into_lines_no_wider_than_width():
    one_line = theme.text(SENTENCE, 15)
    wrapped = theme.text(SENTENCE, 15, width=200)
    assert one_line.get_width() > 200 >= wrapped.get_width()
    assert wrapped.get_height() >= 3 * one_line.get_height()


def test_centring_one_text_leaves_the_next_left_aligned():
    centred = theme.text(SENTENCE, 15, width=200, centred=True)
    left = theme.text(SENTENCE + ".", 15, width=200)      # the same font object, drawn after
    assert last_line_indent(centred, 15) > 20
    assert last_line_indent(left, 15) <= 2
