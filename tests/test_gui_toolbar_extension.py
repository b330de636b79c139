"""The toolbar's » (more tools, shown when the window is too narrow for a toolbar)
stands out in every theme: in dark and high contrast its chevrons are drawn in the
palette's button text colour, as grabbed from the window after View → Theme."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolBar, QToolButton

from gradstudio.ui.app import chrome
from gradstudio.ui.theme import THEME
from gui import menu_action, settle


@pytest.fixture(autouse=True)
def light_after():
    yield
    THEME.apply("light")
    chrome.apply("light")



def contrast_pixels(button) -> tuple[int, float]:
    """How many pixels of the button differ strongly in lightness from its background
    (its corner), and the most they differ."""
    image = button.grab().toImage()
    back = image.pixelColor(0, 0).lightness()
    strong, most = 0, 0.0
    for x in range(image.width()):
        for y in range(image.height()):
            diff = abs(image.pixelColor(x, y).lightness() - back)
            most = max(most, diff)
            strong += diff >= 120
    return strong, most


@pytest.mark.parametrize("theme", ["Dark", "High Contrast", "Light"])
def test_the_toolbar_extension_button_is_plain_to_see(window, theme):
    window.resize(700, 600)  # too narrow for the passes toolbar: » appears
    settle()
    menu_action(window, "View", "Theme", theme).trigger()
    settle()
    toolbar = window.findChild(QToolBar, "passes")
    button = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert button is not None and button.isVisible()
    strong, most = contrast_pixels(button)
    if theme != "Light":  # (light keeps the platform's own)
        assert strong >= 12 and most >= 150, (theme, strong, most)
    button.grab().save(f"/tmp/ext_button_{theme.replace(' ', '_')}.png")


def test_a_toolbar_made_after_the_theme_gets_the_themes_chevrons(window):
    menu_action(window, "View", "Theme", "Dark").trigger()
    extra = QToolBar("extra", window)
    window.addToolBar(extra)
    for k in range(30):
        extra.addAction(f"tool {k}")
    window.resize(600, 600)
    settle()
    button = extra.findChild(QToolButton, "qt_toolbar_ext_button")
    assert button.isVisible()
    assert contrast_pixels(button)[0] >= 12
