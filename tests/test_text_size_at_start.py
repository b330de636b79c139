"""Started with 200 % saved, the window is as it is after choosing 200 % in the
session: a tester saw the Nodes palette unscaled at start (squeezed while the window
was not yet shown, its names shrank, a scroll bar under them) until the size was
chosen again. Checked on the palette drawn, beside a window changed in session."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QDockWidget, QLineEdit

from gradstudio.ui.theme import THEME
from gui import settle
from test_text_size import ink_rows

pytestmark = pytest.mark.usefixtures("look_back")


def palette_state(win) -> dict:
    palette = win.palette
    row = palette.visualItemRect(palette.item(2))  # Multiply
    image = palette.viewport().grab().toImage()
    text = QRectF(row.left() + palette.iconSize().width() + 4, row.top(),
                  row.width() - palette.iconSize().width() - 4, row.height())
    field = win.findChild(QLineEdit, "formula_field")
    return {"icon": palette.iconSize().width(),
            "names": palette.item(0).text(),  # none beside the icons above 100 %
            "name ink": ink_rows(image, text),
            "scrolls": palette.horizontalScrollBar().isVisible(),
            "names whole": palette.sizeHintForColumn(0) <= palette.viewport().width(),
            "dock": palette.parentWidget().width(),
            "field whole": field.width() >= field.fontMetrics().horizontalAdvance(
                field.placeholderText())}


def test_a_saved_200_scales_the_palette_at_start_as_in_session(window, qtbot):
    from gradstudio.ui.app.window import MainWindow
    window.resize(1280, 800)
    window.look.act_text_size[200].trigger()  # chosen in the session ...
    settle()
    in_session = palette_state(window)
    window.settings.sync()
    THEME.set_text_scale(1.0)
    again = MainWindow()  # ... and a window started with it saved
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    qtbot.waitExposed(again)
    settle()
    at_start = palette_state(again)
    assert THEME.text_scale == 2.0
    assert not at_start["scrolls"] and at_start["names whole"], at_start
    assert at_start["names"] == in_session["names"] == "", at_start  # icons only
    assert at_start["icon"] >= 0.95 * in_session["icon"], (at_start, in_session)
    assert abs(at_start["name ink"] - in_session["name ink"]) <= 1, (at_start, in_session)
    assert at_start["dock"] >= in_session["dock"] - 8, (at_start, in_session)
    assert at_start["field whole"], at_start
    assert all(d.property("textsize_factor") == 2.0
               for d in again.findChildren(QDockWidget))
