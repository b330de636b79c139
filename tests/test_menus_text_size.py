"""At a big text size the menus are as wide as their texts: at 300 % a tester saw
the Text Size submenu read "1…%" (Fusion measures a menu item with a fixed check
column but draws it in one that grows with the font). Opened with real clicks;
each item's text measured in the pixels drawn."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMenu

from gradstudio.ui.app.textsize import app_font_at_100
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def ink_width(menu: QMenu, action) -> int:
    """How wide the dark pixels of ``action``'s text are (right of its check column)."""
    image = menu.grab().toImage()
    rect = menu.actionGeometry(action)
    xs = [x for x in range(rect.left() + rect.height(), rect.right())
          for y in range(rect.top(), rect.bottom())
          if image.pixelColor(x, y).lightness() < 110]
    return max(xs) - min(xs) + 1 if xs else 0


def open_submenu(window, qtbot, title: str, item: str) -> QMenu:
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == title)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(top).center())
    settle()
    menu = top.menu()
    assert menu.isVisible()
    entry = next(a for a in menu.actions() if a.text().replace("&", "") == item)
    qtbot.mouseMove(menu, menu.actionGeometry(entry).center())
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(entry).center())
    qtbot.waitUntil(lambda: entry.menu().isVisible(), timeout=3000)
    return entry.menu()


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_the_text_size_submenu_shows_its_texts_whole(window, qtbot, percent):
    window.look.act_text_size[percent].trigger()
    settle()
    sub = open_submenu(window, qtbot, "View", "Text Size")
    metrics = QFontMetrics(sub.font())
    base = app_font_at_100().pointSizeF()
    assert sub.font().pointSizeF() == pytest.approx(base * percent / 100)  # it follows
    for action in sub.actions():
        need = metrics.horizontalAdvance(action.text().replace("&", ""))
        # "1…%" is about 0.7 of "100 %"; the whole text's ink about its advance
        assert ink_width(sub, action) >= 0.9 * need, (percent, action.text())
    sub.hide()
    window.menuBar().actions()[0].menu().hide()
    QApplication.processEvents()


def test_every_menu_is_as_wide_as_its_texts_at_300(window, qtbot):
    window.look.act_text_size[300].trigger()
    settle()
    for top in window.menuBar().actions():
        menu = top.menu()
        menu.popup(window.mapToGlobal(QPoint(0, 0)))
        settle()
        metrics = QFontMetrics(menu.font())
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            text = action.text().replace("&", "")
            need = metrics.horizontalAdvance(text)
            assert menu.actionGeometry(action).width() >= need + 2 * metrics.height(), text
        menu.hide()
