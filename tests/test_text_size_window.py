"""View → Text Size scales the whole window, not only the canvas and the docks'
contents: the menu bar and its menus, the toolbars, the Formula field, the docks'
title bars and tabs, the status bar and dialogs; 100 % gives the platform's font
back. Checked on the pixels drawn (the height of the text's ink), not only fonts.
"""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QLineEdit, QMessageBox,
                               QTabBar)

from gradstudio.ui.app.docktabs import shown_text
from gui import settle
from test_text_size import ink_rows

pytestmark = pytest.mark.usefixtures("look_back")


def ink(widget, rect=None, darker_than: int = 110) -> int:
    """How tall the dark (text) pixels drawn in ``rect`` of ``widget`` are."""
    return ink_rows(widget.grab().toImage(), QRectF(rect or widget.rect()), darker_than)


def title_strip(dock: QDockWidget) -> QRectF:
    """The dock's title bar: above its contents, left of its buttons."""
    return QRectF(0, 0, 70, dock.widget().geometry().top())


def chrome(window) -> dict:
    """The ink heights of the texts around the canvas."""
    label = window.toolbars["formula"].findChild(QLabel)
    return {
        "menu bar": ink(window.menuBar()),
        "toolbar": ink(window.toolbars["passes"]),
        "formula": ink(label),
        "status bar": ink(window.statusBar()),
        "dock title": ink(window.docks["properties"], title_strip(window.docks["properties"])),
    }


def test_the_whole_window_follows_the_text_size_and_comes_back(window, open_example):
    open_example("colah_paths")
    window.act_backward.trigger()  # a status message to measure
    settle()
    app_font = QApplication.font()
    px = QFontInfo(app_font).pixelSize()
    before = chrome(window)
    assert all(h >= 6 for h in before.values()), before

    window.look.act_text_size[200].trigger()
    window.statusBar().showMessage("Backward: every ∂e/∂node computed")
    settle()
    after = chrome(window)
    for what, height in after.items():
        assert height >= 1.7 * before[what], (what, before[what], height)
    field = window.findChild(QLineEdit, "formula_field")
    assert QFontInfo(field.font()).pixelSize() >= 2 * px - 1
    # The example in the empty field is not cut: the field widened with its font.
    assert field.width() >= field.fontMetrics().horizontalAdvance(field.placeholderText())
    # A menu and a dialog made now (windows of their own) are at the size too.
    menu = window.menus["view"]
    assert QFontInfo(menu.font()).pixelSize() >= 2 * px - 1
    box = QMessageBox(QMessageBox.Question, "Save changes?", "colah_paths has changes.",
                      QMessageBox.Save | QMessageBox.Discard, window)
    box.show()
    settle()
    text = box.findChild(QLabel, "qt_msgbox_label")
    assert QFontInfo(text.font()).pixelSize() >= 2 * px - 1
    assert ink(text) >= 1.7 * px * 0.7
    box.close()
    # The docks' tabs name their panels whole (not "C…", "P…"; "Forward", "Explain"
    # for the longest), in a font bigger than at 100 %, all in sight without arrows
    # (test_dock_tabs_text_size).
    bars = [b for b in window.findChildren(QTabBar) if b.parentWidget() is window and b.count()]
    assert bars
    for bar in bars:
        for i in range(bar.count()):
            needed = bar.fontMetrics().horizontalAdvance(shown_text(bar, i))
            assert bar.tabRect(i).width() >= needed, bar.tabText(i)
            assert QFontInfo(bar.font()).pixelSize() >= 1.3 * px, bar.tabText(i)

    window.look.act_text_size[100].trigger()
    window.statusBar().showMessage("Backward: every ∂e/∂node computed")
    settle()
    assert QApplication.font() == app_font
    assert chrome(window) == before
