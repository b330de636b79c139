"""Text Size 300 % → 100 %: nothing keeps the 300 % sizes (a lecturer's finding 10).
The drop-down lists come back to their height, the menus to their width, and a view
Fit View left is fitted again for the new sizes (a view zoomed by hand keeps its
zoom and centre)."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QMenu

from gui import settle


def menu_width(window, key: str) -> int:
    menu = window.menus[key]
    menu.popup(window.mapToGlobal(QPoint(0, 0)))
    settle()
    width = menu.width()
    menu.hide()
    settle()
    return width


def combo_heights(window) -> dict:
    window.teaching.check_dock.raise_()
    settle()
    check = window.teaching.check.picker.height()
    window.teaching.paths_dock.raise_()
    settle()
    paths = [c.height() for c in window.teaching.paths.findChildren(QComboBox)]
    window.teaching.check_dock.raise_()
    settle()
    return {"check": check, "paths": paths}


def fit_by_key(window) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_0, Qt.ControlModifier)
    settle()


def test_300_then_a_theme_then_100_leaves_no_300_percent_sizes(open_example, look_back):
    window = open_example("chain_rule")
    settle()
    fit_by_key(window)
    before = combo_heights(window), menu_width(window, "view")
    fitted_100 = window.view.zoom()
    window.look.act_text_size[300].trigger()
    settle()
    window.look.act_theme["dark"].trigger()  # a new style measures the lists at 300 %
    settle()
    assert window.view.is_fitted()  # the theme kept the graph whole too
    big = combo_heights(window)
    assert big["check"] > 1.5 * before[0]["check"]
    window.look.act_text_size[100].trigger()
    settle()
    assert combo_heights(window) == before[0]
    assert window.teaching.check.picker.minimumSizeHint().height() <= before[0]["check"]
    assert menu_width(window, "view") == before[1]
    # Fitted before, fitted after: the same zoom as pressing Ctrl+0 now.
    zoom = window.view.zoom()
    fit_by_key(window)
    assert abs(window.view.zoom() - zoom) < 1e-9
    assert abs(zoom - fitted_100) < 0.15 * fitted_100  # (the docks' widths may differ)
    window.grab().save("/tmp/text_size_back_100.png")


def test_a_view_zoomed_by_hand_keeps_its_zoom_and_centre(open_example, look_back):
    window = open_example("chain_rule")
    settle()
    view = window.view
    fit_by_key(window)
    view.zoom_by(1.5)  # (as the wheel does)
    settle()
    assert not view.is_fitted()
    zoom = view.zoom()
    window.look.act_text_size[200].trigger()
    settle()
    assert view.zoom() == zoom


def open_submenu(window, title: str):
    """Click View in the menu bar, then the submenu ``title``: the open submenu."""
    bar, view = window.menuBar(), window.menus["view"]
    QTest.mouseClick(bar, Qt.LeftButton, Qt.NoModifier,
                     bar.actionGeometry(view.menuAction()).center())
    QTest.qWait(120)
    sub = next(m for m in view.findChildren(QMenu) if m.title().replace("&", "") == title)
    where = view.actionGeometry(sub.menuAction()).center()
    QTest.mouseMove(view, where)
    QTest.mouseClick(view, Qt.LeftButton, Qt.NoModifier, where)
    QTest.qWait(120)
    assert view.isVisible() and sub.isVisible()
    return view, sub


def choose_text_size_in_the_menu(window, percent: int) -> None:
    _view, size = open_submenu(window, "Text Size")
    action = window.look.act_text_size[percent]
    QTest.mouseClick(size, Qt.LeftButton, Qt.NoModifier, size.actionGeometry(action).center())
    QTest.qWait(120)


def menus_open_widths(window) -> tuple:
    view, theme = open_submenu(window, "Theme")
    widths = view.width(), theme.width()
    QTest.keyClick(theme, Qt.Key_Escape)
    QTest.keyClick(view, Qt.Key_Escape)
    QTest.qWait(120)
    return widths


def test_menus_chosen_in_at_300_are_measured_again_at_100(window, look_back):
    before = menus_open_widths(window)
    choose_text_size_in_the_menu(window, 300)
    big = menus_open_widths(window)
    assert big[0] > 2 * before[0]
    assert menus_open_widths(window) == big  # measured again, not grown at each opening
    choose_text_size_in_the_menu(window, 100)
    assert window.look.act_text_size[100].isChecked()
    assert menus_open_widths(window) == before
