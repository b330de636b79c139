"""A window started with a saved layout and text size: restoring the layout
replaces the docks' tab bars, and the fitting asked for the old bar must not run
on it once it is gone (it raised "Internal C++ object (QTabBar) already deleted"
at every such start). The new bar is fitted instead: all four tabs in sight."""

import pytest
from PySide6.QtCore import QSettings

from gradstudio.ui.app import docktabs
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def test_a_restored_layout_fits_the_new_tab_bar(window, qtbot):
    from gradstudio.ui.app.window import MainWindow
    window.resize(1280, 700)
    window.look.act_text_size[300].trigger()
    settle()
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.sync()
    again = MainWindow()  # pytest-qt fails the test on an exception in a Qt callback
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    settle()
    bars = docktabs.bars(again)
    assert bars
    for bar in bars:
        tabs = [bar.tabRect(i) for i in range(bar.count())]
        assert bar.count() == 4 and max(t.right() for t in tabs) <= bar.width(), \
            ([t.getRect() for t in tabs], bar.width())
