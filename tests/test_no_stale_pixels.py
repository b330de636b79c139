"""No stale pixels: after each action the canvas shows what a full repaint shows.

Offscreen here (the backing store's pixels); test_no_stale_pixels_x.py does the same
in a window on a real X server (Xvfb). See stale_view.py for how the scenarios run.
"""

import pytest

from gradstudio.ui.theme import THEME
from stale_view import ACTIONS, Hands, compare, scenario


@pytest.fixture(autouse=True)
def light_after(window):
    """THEME is one object for the whole program: leave it light for the other tests."""
    yield
    window.look.set_theme("light")
    THEME.set_text_scale(1.0)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_canvas_after_an_action_is_what_a_full_repaint_draws(window, tmp_path, action):
    scenario(window, Hands(window), action, tmp_path)
    count, box = compare(window.view, action, tmp_path)
    assert count == 0, f"{action}: {count} pixels differ from a full repaint, within {box}"
