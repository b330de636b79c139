"""The Sum over Paths table: every path reads whole and distinct (b → c → e and
b → d → e were both elided to "b →…→ e" at 200 %), a selected row lights its
path on the canvas (wires, their chips, nodes), and its header stays whole when a
row is selected (Qt made the headers bold, wider than fitted)."""

import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from gradstudio.ui.canvas.export import render_png
from gradstudio.ui.theme import THEME
from gui import backward_at_text_size, node_center, press, release, settle

pytestmark = pytest.mark.usefixtures("look_back")


def paths_of(window, node_id):
    """Click the input on the canvas, then Teach → Sum over Paths."""
    view = window.view
    view.centerOn(node_center(window, node_id))
    point = node_center(window, node_id)
    press(view, point)
    release(view, point)
    window.teaching.act_paths.trigger()
    settle()
    return window.teaching.paths


def lit_pixels(image, color: QColor, near: int = 40) -> int:
    """Pixels of ``image`` within ``near`` (per channel) of ``color``."""
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (abs(c.red() - color.red()) < near and abs(c.green() - color.green()) < near
                    and abs(c.blue() - color.blue()) < near):
                count += 1
    return count


def shown_whole(table, r) -> str:
    """Row ``r``'s first shown cell, checked to be drawn without eliding."""
    text = str(table.cell(r, 0))
    rect = table.visualRect(table.rows_model.index(r, 0))
    if table.stacked:
        needed = table.fontMetrics().boundingRect(QRect(0, 0, rect.width() - table.PAD, 10000),
                                                  Qt.TextWordWrap, text).height()
        assert needed <= rect.height(), (text, needed, rect.height())
    else:
        assert table.fontMetrics().horizontalAdvance(text) + 8 <= rect.width(), text
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_parallel_paths_read_whole_and_apart(window, open_example, percent):
    backward_at_text_size(window, open_example, "colah_paths", percent)
    panel = paths_of(window, "b")
    table = panel.table
    assert table.rowCount() == 2
    shown = [shown_whole(table, r) for r in range(2)]
    assert shown[0] != shown[1]
    assert "b → c → e" in shown[0] and "b → d → e" in shown[1]
    assert table.cut_columns() == []


def test_two_wires_into_one_node_are_two_paths_told_apart(window, open_example):
    open_example("square")  # sq = a · a: a's two wires go into sq's ports 0 and 1
    window.act_backward.trigger()
    table = paths_of(window, "a").table
    texts = [shown_whole(table, r) for r in range(table.rowCount())]
    assert len(texts) == 2
    assert len(set(texts)) == len(texts)  # a →₀ sq … and a →₁ sq …
    assert any("→₀" in t for t in texts) and any("→₁" in t for t in texts)


def test_a_selected_path_is_lit_on_the_canvas_and_the_header_stays_whole(window,
                                                                        open_example):
    open_example("colah_paths")
    window.act_backward.trigger()
    panel = paths_of(window, "b")
    table, scene, view = panel.table, window.scene, window.view
    view.fitInView(scene.itemsBoundingRect())
    window.scene.clearSelection()  # only the path is lit
    settle()
    before = view.viewport().grab().toImage()
    plain = render_png(scene)
    lit = QColor(THEME.wire_active)
    # A real click on the second row: b → d → e.
    rect = table.visualRect(table.rows_model.index(1, 0))
    QTest.mouseClick(table.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    settle()
    assert [e.edge for e in scene.edges.values() if e.traced] == [("b", "d", 0), ("d", "e", 1)]
    assert sorted(n.node_id for n in scene.nodes.values() if n.traced) == ["b", "d", "e"]
    after = view.viewport().grab().toImage()
    # Drawn: the two wires thick and coloured, their chips framed, the nodes ringed.
    assert lit_pixels(after, lit) > lit_pixels(before, lit) + 100
    d = scene.nodes["d"]
    ring = view.mapFromScene(d.mapToScene(QPointF(d.rect().center().x(), -2.5)))
    column = [after.pixelColor(ring.x(), ring.y() + dy) for dy in (-1, 0, 1)]
    assert any(abs(c.blue() - lit.blue()) < 40 and abs(c.red() - lit.red()) < 40
               for c in column), column
    # The header's titles fit their sections with the row selected.
    header = table.horizontalHeader()
    for c in range(table.columnCount()):
        if table.isColumnHidden(c):
            continue
        title = str(table.rows_model.headerData(c, Qt.Horizontal))
        width = max(header.fontMetrics().horizontalAdvance(t) for t in title.split("\n"))
        assert width + 8 <= header.sectionSize(c), title
    assert not header.highlightSections()
    # Like the selection, the lit path is not in an exported picture (and stays lit).
    assert render_png(scene) == plain
    assert sorted(n.node_id for n in scene.nodes.values() if n.traced) == ["b", "d", "e"]
    # A new text size measures the rows again: the row stays picked, its path lit.
    window.look.act_text_size[200].trigger()
    settle()
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    assert [e.edge for e in scene.edges.values() if e.traced] == [("b", "d", 0), ("d", "e", 1)]
    # Another input: nothing lit until a row is picked again.
    panel.show_input("a")
    settle()
    assert not any(e.traced for e in scene.edges.values())
    assert not any(n.traced for n in scene.nodes.values())
