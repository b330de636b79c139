"""The Nodes palette in sight at every text size, nothing left highlighted after a
drag, and the name field of a dropped node no wider than the node."""

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics, QImage, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication

from gradstudio.ui.theme import THEME
from test_gui_drop_rename import drop
from gui import DEFAULT_SIZE, settle



pytestmark = pytest.mark.usefixtures("look_back")


@pytest.mark.parametrize("percent", (100, 150, 200, 250, 300))
def test_every_op_is_in_sight_at_the_default_window_size(window, percent):
    window.resize(*DEFAULT_SIZE)
    settle()
    window.look.act_text_size[percent].trigger()
    settle()
    palette = window.palette
    viewport = palette.viewport().rect()
    assert not palette.verticalScrollBar().isVisible()
    for row in range(palette.count()):
        assert viewport.contains(palette.visualItemRect(palette.item(row))), \
            palette.item(row).text()
    if percent == 100:
        # Icons as big as the names' text at least, and the names whole beside them.
        assert palette.iconSize().width() >= names_height(palette)
        assert names_height(palette) >= palette.fontMetrics().height()
        assert palette.viewport().width() >= palette.sizeHintForColumn(0) - 2
    else:
        # Icons only (the names are tooltips): the canvas gets the names' width.
        from gradstudio.core.ops import OPS
        titles = [op.title for op in OPS.values()]
        assert [palette.item(r).text() for r in range(palette.count())] == [""] * len(titles)
        assert all(title in palette.item(r).toolTip() for r, title in enumerate(titles))
        assert palette.iconSize().width() >= 28  # never below their 100 % size
        dock = palette.parentWidget()
        title = dock.fontMetrics().horizontalAdvance(dock.windowTitle())
        assert dock.width() <= max(palette.iconSize().width() + 40, title + 60), dock.width()
    # Drawn: the last op (its icon, its name at 100 %) has ink in its row.
    image = palette.viewport().grab().toImage()
    last = palette.visualItemRect(palette.item(palette.count() - 1))
    dark = [x for y in range(last.top(), last.bottom())
            for x in range(last.left(), last.right(), 2)
            if image.pixelColor(x, y).lightness() < 100]
    assert dark, "the last op is not drawn"


def test_a_short_window_scrolls_the_palette_it_cannot_show_whole(window):
    window.look.act_text_size[300].trigger()
    window.resize(1280, 420)
    settle()
    palette = window.palette
    assert palette.verticalScrollBar().isVisible()
    assert palette.verticalScrollBar().maximum() > 0
    assert palette.iconSize().width() >= names_height(palette)


def names_height(palette) -> int:
    """A line of the ops' names as drawn (their own font where the palette gave them one)."""
    font = palette.item(0).data(Qt.FontRole)
    return QFontMetrics(font if font is not None else palette.font()).height()


def _mouse(widget, kind, pos, button, buttons):
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button,
                        buttons, Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def highlighted_pixels(palette, row: int) -> int:
    """Pixels of ``row`` in the palette's selection colour, as drawn."""
    image = palette.viewport().grab().toImage().convertToFormat(QImage.Format_RGB32)
    colour = palette.palette().color(QPalette.Active, QPalette.Highlight).rgb()
    rect = palette.visualItemRect(palette.item(row))
    return sum(image.pixel(x, y) == colour for y in range(rect.top(), rect.bottom())
               for x in range(rect.left(), rect.right()))


@pytest.mark.parametrize("percent", (100, 200))
def test_nothing_stays_highlighted_after_a_drag_or_a_click(window, percent):
    window.look.act_text_size[percent].trigger()  # icons only above 100 %
    settle()
    palette, viewport = window.palette, window.palette.viewport()
    palette.setFocus()
    start = palette.visualItemRect(palette.item(2)).center()
    _mouse(viewport, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    assert palette.selectedItems()  # while the button is down: what is being dragged
    started = False
    for dx in (4, 12, 24, 40, 60):  # far enough to start a drag
        _mouse(viewport, QEvent.MouseMove, start + QPoint(dx, 0), Qt.NoButton, Qt.LeftButton)
        started = started or palette.state() == palette.State.DraggingState
        if started and palette.state() == palette.State.NoState:
            break  # the drag ran (offscreen it ends at once)
    assert started
    assert palette.mimeData([palette.item(2)]).text() == "multiply"  # the op dragged
    assert not palette.selectedItems() and palette.currentRow() == -1
    end = start + QPoint(60, 0)
    _mouse(viewport, QEvent.MouseButtonRelease, end, Qt.LeftButton, Qt.NoButton)
    assert not palette.selectedItems() and palette.currentRow() == -1
    assert highlighted_pixels(palette, 2) == 0
    # A click alone chooses nothing either.
    _mouse(viewport, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    _mouse(viewport, QEvent.MouseButtonRelease, start, Qt.LeftButton, Qt.NoButton)
    assert not palette.selectedItems()
    assert highlighted_pixels(palette, 2) == 0


@pytest.mark.parametrize("zoom", (0.45, 0.7, 1.0, 2.0))
@pytest.mark.parametrize("op", ("input", "add", "tanh"))
def test_the_name_field_of_a_dropped_node_fits_inside_the_node(window, qtbot, zoom, op):
    view = window.view
    view.resetTransform()
    view.scale(zoom, zoom)
    drop(window, op, QPoint(300, 250))
    editor = window.inline_editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.hasFocus(), timeout=2000)
    item = window.scene.nodes[editor.node_id]
    node = view.mapFromScene(item.mapToScene(item.rect())).boundingRect()
    field = editor.geometry()
    assert node.left() <= field.left() and field.right() <= node.right(), (node, field)
    assert node.top() <= field.top() and field.bottom() <= node.bottom(), (node, field)
    # The text in it is as big as the node's name on screen (never under 10 px).
    title_px = QFontInfo(THEME.font(1.0, bold=True)).pixelSize() * zoom
    assert editor.fontInfo().pixelSize() == max(10, round(title_px))
    # The text typed shows whole in a field this size: a short name fits.
    assert editor.fontMetrics().horizontalAdvance(editor.text()) < field.width()
    assert editor.selectedText() == editor.text()


def test_the_name_field_keeps_the_symbol_in_sight_when_there_is_room(window, qtbot):
    window.view.resetTransform()
    drop(window, "add", QPoint(300, 250))
    editor = window.inline_editor
    qtbot.waitUntil(lambda: editor.isVisible(), timeout=2000)
    item = window.scene.nodes[editor.node_id]
    header = window.view.mapFromScene(item.mapToScene(item.header_rect())).boundingRect()
    symbol_left = header.right() - 10 - THEME.text_width(item.symbol, 1.1, True)
    assert editor.geometry().right() < symbol_left
    assert QRect(editor.geometry()).intersects(header)
