"""Above Text Size 100 % the window gives the canvas the room: the Nodes palette
shows icons only (names as tooltips) and the right column of panels is made no
wider than RIGHT_SHARE of the window, its texts wrapping. A tester measured at
1280x800, 200 %, after Fit View: the palette 165 px wide with its names, the right
column 465 px, the canvas 637 px, chain_rule's numbers 11.4 px high. Checked with
the menu's action and the Fit View key, on what is drawn.
"""

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit

from gradstudio.ui.app.textsize import RIGHT_SHARE
from gradstudio.ui.theme import number_px
from gui import DEFAULT_SIZE, settle
from test_fit_view_whole import fit_with_keys, number_ink
from test_text_size import on_screen, shown_chips

pytestmark = pytest.mark.usefixtures("look_back")


def right_docks(window) -> list[QDockWidget]:
    """The docks in sight on the right (a tab group's hidden tabs are parked away)."""
    return [d for d in window.findChildren(QDockWidget)
            if window.dockWidgetArea(d) == Qt.RightDockWidgetArea and d.isVisible()
            and window.rect().intersects(d.geometry())]


@pytest.mark.parametrize("percent", (200, 300))
def test_a_bigger_text_size_leaves_the_canvas_the_room(window, open_example, qtbot, percent):
    window.resize(*DEFAULT_SIZE)
    settle()
    canvas_at_100 = window.view.viewport().width()
    window.look.act_text_size[percent].trigger()
    settle()
    # The right column no wider than its share of the window (and its texts wrap),
    # or, at 300 %, than its widest panel's least width (Forward mode's buttons).
    least = max(d.minimumSizeHint().width() for d in window.findChildren(QDockWidget)
                if window.dockWidgetArea(d) == Qt.RightDockWidgetArea)
    if percent == 200:
        assert least <= RIGHT_SHARE * window.width()
    for dock in right_docks(window):
        assert dock.width() <= max(RIGHT_SHARE * window.width(), least) + 2, \
            (dock.objectName(), dock.width())
    explanation = window.docks["explanation"].findChild(QPlainTextEdit)
    assert explanation.lineWrapMode() != QPlainTextEdit.NoWrap
    assert not explanation.horizontalScrollBar().isVisible()
    # The palette icons only, as narrow as they and its title allow.
    palette = window.palette
    assert all(palette.item(r).text() == "" for r in range(palette.count()))
    assert palette.parentWidget().width() <= {200: 110, 300: 150}[percent]
    # So the canvas keeps about what it had at 100 % (more at 200 %).
    assert window.view.viewport().width() >= {200: 1.05, 300: 0.9}[percent] * canvas_at_100

    # chain_rule after Backward and Fit View: its numbers 14 px high at 200 %, drawn.
    open_example("chain_rule")
    window.act_backward.trigger()
    settle()
    fit_with_keys(window, qtbot)
    view = window.view
    em = number_px() * view.zoom()
    assert em >= {200: 14.0, 300: 13.0}[percent], em
    image = view.viewport().grab().toImage()
    sight = QRectF(view.viewport().rect())
    for node in window.scene.nodes.values():
        assert sight.contains(on_screen(view, node))
    values = [c for c in shown_chips(window.scene) if c is c.parentItem().above]
    inks = [number_ink(view, image, chip) for chip in values]
    assert min(inks) >= 0.6 * 14, inks  # a digit's ink is about 0.7 of the em


def test_a_right_column_dragged_wider_at_200_stays_so(window, open_example):
    window.resize(*DEFAULT_SIZE)
    open_example("chain_rule")
    window.look.act_text_size[200].trigger()
    settle()
    properties = window.docks["properties"]
    window.resizeDocks([properties], [properties.width() + 120], Qt.Horizontal)  # a drag
    settle()
    chosen = properties.width()
    assert chosen > RIGHT_SHARE * window.width() + 60
    window.act_backward.trigger()
    window.view.setFocus()
    window.view.fit()
    settle()
    assert properties.width() == chosen


def test_at_100_the_palette_names_its_ops(window):
    window.resize(*DEFAULT_SIZE)
    window.look.act_text_size[200].trigger()
    settle()
    window.look.act_text_size[100].trigger()
    settle()
    palette = window.palette
    assert palette.item(2).text() == "Multiply"
    assert palette.parentWidget().features() & QDockWidget.DockWidgetFloatable
