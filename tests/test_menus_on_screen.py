"""At big text sizes the menus open on the screen, whole: Qt placed a menu by the width it
measured before the text size widened it, so the Teach menu's shortcuts ran off
a 1,280 px screen's right edge, and the Examples menu's longest entry made it
1,456 px wide. Opened with real clicks on the menu bar, then measured against
the screen."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gradstudio.ui.app.window import EXAMPLES
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def open_from_bar(window, qtbot, key):
    menu = window.menus[key]
    bar = window.menuBar()
    QTest.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible)
    settle()
    return menu


@pytest.mark.parametrize("percent", [200, 250])
def test_every_menu_bar_menu_opens_within_the_screen(window, qtbot, percent):
    """(The tests' screen is 800 px wide: at 200 % the Teach menu, opened under its
    title, reached past its right edge.)"""
    window.look.act_text_size[percent].trigger()
    window.resize(800, 700)
    settle()
    room = window.screen().availableGeometry()
    on_bar = [key for key, menu in window.menus.items()
              if menu.menuAction() in window.menuBar().actions()]
    assert {"file", "teach", "run"} <= set(on_bar)
    for key in on_bar:
        menu = open_from_bar(window, qtbot, key)
        box = menu.geometry()
        # widened by the text size, and still on the screen (from its left edge where
        # it is wider than the screen)
        assert menu.minimumWidth() > 0 and box.width() >= menu.minimumWidth(), key
        if box.width() <= room.width():
            assert room.contains(box), (key, box.getRect(), room.getRect())
        else:
            assert box.left() <= room.left() + 4, (key, box.getRect())
        menu.hide()


def test_the_examples_menu_fits_the_screen_with_its_entries_whole(window, qtbot):
    window.look.act_text_size[300].trigger()
    settle()
    room = window.screen().availableGeometry()
    file_menu = open_from_bar(window, qtbot, "file")
    examples = window.examples_menu
    QTest.keyClick(file_menu, Qt.Key_X)  # E&xamples, as a keyboard user opens it
    qtbot.waitUntil(examples.isVisible)
    settle()
    box = examples.geometry()
    assert box.width() <= room.width() and room.contains(box), (box.getRect(), room.getRect())
    metrics = examples.fontMetrics()
    for action, (name, description) in zip(examples.actions(), EXAMPLES):
        # the name always, as much of the rest as fits; the whole entry as its tooltip
        assert action.text().startswith(name)
        assert action.toolTip() == f"{name} — {description}"
        assert metrics.horizontalAdvance(action.text()) < box.width()
    file_menu.hide()
    # Back at 100 % the entries are whole again.
    window.look.act_text_size[100].trigger()
    settle()
    file_menu = open_from_bar(window, qtbot, "file")
    QTest.keyClick(file_menu, Qt.Key_X)  # E&xamples, as a keyboard user opens it
    qtbot.waitUntil(examples.isVisible)
    assert [a.text() for a in examples.actions()] == [f"{n} — {d}" for n, d in EXAMPLES]
    file_menu.hide()


def test_a_saved_300_sizes_the_menus_made_later_to_their_texts(qtbot, settings_dir):
    """Started with 300 % saved, Teach → Quiz (made after the size was applied) is
    widened as every other menu: it read "Set …uiz…" (Fusion's check column grows
    with the row, the text gets less room than it was measured for)."""
    from PySide6.QtCore import QSettings
    from gradstudio.ui.app.window import MainWindow
    QSettings().setValue("look/text_size", 300)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 700)
    window.show()
    qtbot.waitExposed(window)
    settle()
    teach = open_from_bar(window, qtbot, "teach")
    quiz = window.menus["quiz"]
    QTest.keyClick(teach, Qt.Key_Q)  # &Quiz, as a keyboard user opens it
    qtbot.waitUntil(quiz.isVisible)
    settle()
    first = quiz.actions()[0]
    assert first.text().replace("&", "") == "Set Up Quiz…"
    # Widened past Qt's measure by a row's height, as the Text Size submenu is.
    assert quiz.minimumWidth() >= quiz.fontMetrics().horizontalAdvance("Set Up Quiz…") \
        + quiz.fontMetrics().height()
    assert quiz.width() >= quiz.minimumWidth()
    teach.hide()
