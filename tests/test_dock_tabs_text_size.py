"""The tabs under the right dock column (Check, Paths, Forward mode, Explanation) are
all in sight and readable at every text size in a 1280 × 800 window: no scroll
arrows, each tab inside the bar's width, its name whole or shortened to its first
word ("Forward", "Explain") in a font bigger than at 100 %, the full name as the
tab's tooltip and in the dock's title bar, and a click on each tab brings its
panel up. At 200 % they
were scrolled: "ward mode | Explanation ◂▸" (issue 10)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QToolButton

from gradstudio.ui.app.docktabs import SHORT, shown_text
from gradstudio.ui.app.textsize import app_font_at_100
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")

NAMES = {"Check", "Paths", "Forward mode", "Explanation"}


def dock_bars(window) -> list[QTabBar]:
    return [b for b in window.findChildren(QTabBar)
            if b.parentWidget() is window and b.count() and b.isVisible()]


def group(window) -> QTabBar:
    bars = [b for b in dock_bars(window)
            if {b.tabText(i) for i in range(b.count())} == NAMES]
    assert len(bars) == 1, [[b.tabText(i) for i in range(b.count())] for b in dock_bars(window)]
    return bars[0]


def docks_by_title(window) -> dict:
    return {d.windowTitle(): d for d in window.findChildren(QDockWidget)}


def check_bar(window, bar: QTabBar) -> None:
    """Every tab inside the visible width, no arrows, each name readable."""
    visible = bar.visibleRegion().boundingRect()
    assert visible.width() >= 200, visible
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert not arrows, "scroll arrows shown"
    px_100 = QFontInfo(app_font_at_100()).pixelSize()
    assert QFontInfo(bar.font()).pixelSize() >= px_100
    for i in range(bar.count()):
        rect = bar.tabRect(i)
        assert rect.left() >= 0 and rect.right() <= bar.width() - 1, (bar.tabText(i), rect)
        assert visible.contains(rect), (bar.tabText(i), rect, visible)
        full, text = bar.tabText(i), shown_text(bar, i)
        assert full in NAMES, full
        assert text == full or text == SHORT[full], text  # not elided
        assert full.split()[0][:5] == text[:5], (text, full)  # its first word kept
        assert bar.fontMetrics().horizontalAdvance(text) <= rect.width(), text
        assert bar.tabToolTip(i) == full


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_dock_tabs_all_in_sight_and_each_click_raises_its_dock(window, open_example, percent):
    window.resize(1280, 800)
    open_example("chain_rule")
    window.act_backward.trigger()
    settle()
    window.look.act_text_size[percent].trigger()
    settle()
    bar = group(window)
    check_bar(window, bar)
    if percent == 100:  # room for the full names
        assert {shown_text(bar, i) for i in range(bar.count())} == NAMES
        assert QFontInfo(bar.font()).pixelSize() == QFontInfo(QApplication.font()).pixelSize()
    else:  # the tabs' text bigger than at 100 % (the biggest that fits)
        px_100 = QFontInfo(app_font_at_100()).pixelSize()
        assert QFontInfo(bar.font()).pixelSize() >= 1.3 * px_100
    docks = docks_by_title(window)
    for i in range(bar.count()):
        full = bar.tabText(i)
        QTest.mouseClick(bar, Qt.LeftButton, Qt.NoModifier, bar.tabRect(i).center())
        settle()
        assert bar.currentIndex() == i
        assert docks[full].isVisible() and not docks[full].visibleRegion().isEmpty(), full
        for other in NAMES - {full}:
            assert not docks[other].isVisible() or docks[other].visibleRegion().isEmpty(), other
        # The dock's own title bar keeps the full name.
        assert docks[full].windowTitle() == full
        # Qt's relayout after the click gave no tab its long name back unfitted.
        check_bar(window, bar)
    image = window.grab()
    assert not image.isNull()


def test_dock_tabs_fitted_again_after_re_tabbing(window):
    """A dock taken out of the group and tabbed again: the bar is fitted again."""
    window.resize(1280, 800)
    window.look.act_text_size[200].trigger()
    settle()
    docks = docks_by_title(window)
    window.removeDockWidget(docks["Forward mode"])
    settle()
    window.addDockWidget(Qt.RightDockWidgetArea, docks["Forward mode"])
    docks["Forward mode"].show()
    settle()
    window.tabifyDockWidget(docks["Paths"], docks["Forward mode"])
    settle()
    check_bar(window, group(window))
    window.look.act_text_size[100].trigger()
    settle()
    bar = group(window)
    check_bar(window, bar)
    assert {shown_text(bar, i) for i in range(bar.count())} == NAMES
    assert QFontInfo(bar.font()).pixelSize() == QFontInfo(QApplication.font()).pixelSize()
