"""View → Text Size scales the canvas texts (and the panels), not the view.

Every test picks sizes through the real View → Text Size actions and checks both
the items (boxes, chips, wires) and the pixels drawn.
"""

import subprocess
import sys

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QPlainTextEdit

from gradstudio.ui.theme import NUMBER_SCALE, THEME, number_px
from gui import backward_at_text_size, settle



pytestmark = pytest.mark.usefixtures("look_back")


def ink_rows(image: QImage, rect: QRectF, darker_than: int = 110) -> int:
    """How many pixel rows of ``rect`` in ``image`` hold a dark (text) pixel."""
    r = QRectF(rect).toAlignedRect().intersected(image.rect())
    rows = [y for y in range(r.top(), r.bottom() + 1)
            if any(image.pixelColor(x, y).lightness() < darker_than
                   for x in range(r.left(), r.right() + 1))]
    return rows[-1] - rows[0] + 1 if rows else 0


def on_screen(view, item, rect: QRectF | None = None) -> QRectF:
    rect = item.boundingRect() if rect is None else rect
    return QRectF(view.mapFromScene(item.mapToScene(rect)).boundingRect())


def shown_chips(scene):
    return [c for e in scene.edges.values() for c in (e.above, e.below) if c.lines]


def test_text_size_enlarges_texts_and_boxes_not_the_view(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    scene, view = window.scene, window.view
    node, wire = scene.nodes["b"], scene.edges[("b", "u", 0)]
    view.centerOn(node)
    zoom, box = view.zoom(), node.rect()
    chip_size = wire.above.size()
    positions = {n: item.pos() for n, item in scene.nodes.items()}
    value_ink = ink_rows(view.viewport().grab().toImage(),
                         on_screen(view, node, node.value_rect()))

    window.look.act_text_size[200].trigger()
    assert window.look.act_text_size[200].isChecked()
    assert THEME.text_scale == 2.0
    assert view.zoom() == zoom  # the view is not zoomed
    # Drawn spread as the chips need, less than the size (tests/test_text_size_spread.py);
    # the file's layout is untouched.
    assert 1 <= scene.spread < 2
    assert {n: item.pos() for n, item in scene.nodes.items()} == {
        n: p * scene.spread for n, p in positions.items()}
    assert window.doc.model.position("b") == (0, 140)
    assert not window.doc.dirty
    # Fonts twice as big: the box grows to fit them, the chips measure twice as big.
    assert QFontInfo(THEME.font(NUMBER_SCALE)).pixelSize() == 24
    assert node.rect().height() > box.height() * 1.5
    for text, scale, bold in ((node.grad_text, 1.0, True), (node.title, 1.0, True)):
        assert THEME.metrics(scale, bold).horizontalAdvance(text) + 20 <= node.rect().width()
    assert node.value_rect().height() >= THEME.metrics(1.0).height()
    assert node.rect().bottom() >= node.grad_rect().bottom()
    w, h = wire.above.size()
    assert w > chip_size[0] * 1.6 and h > chip_size[1] * 1.8
    # The wires still run from port to port, the chips are placed again.
    for edge, item in scene.edges.items():
        sx, sy, ex, ey = item.ends()
        start, end = scene.nodes[edge[0]].output.scenePos(), \
            scene.nodes[edge[1]].inputs[edge[2]].scenePos()
        assert (sx, sy, ex, ey) == (start.x(), start.y(), end.x(), end.y())
        assert item.path().pointAtPercent(1.0) == end
    # What is drawn: the value line's ink is about twice as tall on screen.
    settle()
    grown = ink_rows(view.viewport().grab().toImage(), on_screen(view, node, node.value_rect()))
    assert value_ink >= 8 and grown >= 1.8 * value_ink, (value_ink, grown)


def test_back_to_100_leaves_nothing_of_the_bigger_size(open_example, examples):
    window = open_example("colah_paths")
    window.act_backward.trigger()
    scene = window.scene

    def layout():
        nodes = {n: (i.sceneBoundingRect(), i.rect(), [p.scenePos() for p in i.inputs],
                     i.output.scenePos()) for n, i in scene.nodes.items()}
        wires = {e: (i.ends(), i.sceneBoundingRect(), i.above.size(), i.below.size(),
                     i.above.isVisible(), i.below.isVisible(), i.above.scenePos(),
                     i.below.scenePos()) for e, i in scene.edges.items()}
        return nodes, wires

    fresh = layout()
    for percent in (300, 150, 100):
        window.look.act_text_size[percent].trigger()
    assert THEME.text_scale == 1.0
    assert layout() == fresh
    # ... the same as a canvas built anew at 100 % (File → Open of the same file).
    window.open_path(examples / "colah_paths.json")
    window.act_backward.trigger()
    assert layout() == fresh


def test_fit_view_keeps_the_text_size_and_never_zooms_past_100(window, open_example):
    """Fit View shows the whole graph (tests/test_fit_view_whole.py); what it keeps
    of the text size: the same fit draws the numbers smaller at 100 % than at
    200 %, and never blows the view up past 100 % (a small graph)."""
    window = backward_at_text_size(window, open_example, "colah_paths", 200)
    settle()
    window.act_fit.trigger()
    view = window.view
    at_200 = number_px() * view.zoom()
    assert window.scene.detail
    window.look.act_text_size[100].trigger()
    settle()
    window.act_fit.trigger()
    assert number_px() * view.zoom() < at_200
    window = open_example("square")  # small: not blown up past 100 %
    window.act_fit.trigger()
    assert view.zoom() <= 1.0


def test_the_side_panels_follow_the_text_size(window, open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    window.teaching.act_check_all.trigger()
    docks = window.findChildren(QDockWidget)
    assert len(docks) >= 4
    app_px = QFontInfo(QApplication.font()).pixelSize()
    explanation = window.findChild(QPlainTextEdit)
    table = window.teaching.check.table
    big = window.findChild(QLabel, "nudge_slope")
    before = {"explanation": explanation.fontInfo().pixelSize(),
              "big": big.fontInfo().pixelSize(), "row": table.rowHeight(0),
              "columns": [table.columnWidth(c) for c in range(table.columnCount())]}
    summary = window.findChild(QLabel, "check_summary")
    assert summary.text()
    ink = ink_rows(summary.grab().toImage(), QRectF(summary.rect()), 160)

    window.look.act_text_size[200].trigger()
    settle()
    for dock in docks:
        assert dock.fontInfo().pixelSize() >= 2 * app_px - 1, dock.objectName()
    for label in window.teaching.check.findChildren(QLabel):
        assert label.fontInfo().pixelSize() >= 2 * app_px - 1, label.objectName()
    assert summary.fontInfo().pixelSize() >= 2 * app_px - 1  # styled (bold, coloured) too
    assert summary.font().bold()
    assert explanation.fontInfo().pixelSize() >= 2 * before["explanation"] - 1
    assert big.fontInfo().pixelSize() >= 2 * before["big"] - 1  # its own, bigger font
    assert table.rowHeight(0) >= 2 * before["row"] - 8
    assert table.rowHeight(0) >= table.fontMetrics().height()
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    heading = table.horizontalHeader().fontMetrics()
    model = table.model()
    # The six columns no longer fit the dock: each row is one wrapped cell as wide
    # as the table (tests/test_check_panel_narrow.py); the other tables keep columns.
    assert table.stacked and widths[0] == table.viewport().width()
    for c, width in enumerate(widths):  # every column fitted to its texts at the new size
        if table.isColumnHidden(c):
            continue
        title = str(model.headerData(c, Qt.Horizontal))
        assert width >= min(max(heading.horizontalAdvance(t) for t in title.split("\n")),
                            2 * before["columns"][c] - 8), (c, title, width)
    # The palette's icons grow with its names, and its names are not cut.
    palette = window.palette
    assert 28 < palette.iconSize().width() <= 56  # as far as every op stays in sight
    assert palette.viewport().width() >= palette.sizeHintForColumn(0) - 2
    # Drawn: the summary's first line is about twice as tall.
    grown = ink_rows(summary.grab().toImage(), QRectF(summary.rect()), 160)
    assert ink >= 8 and grown >= 1.6 * ink, (ink, grown)

    window.look.act_text_size[100].trigger()
    settle()
    assert explanation.fontInfo().pixelSize() == before["explanation"]
    assert big.fontInfo().pixelSize() == before["big"]
    assert table.rowHeight(0) == before["row"]
    assert summary.fontInfo().pixelSize() == app_px
    assert palette.iconSize().width() == 28


def test_export_honours_the_text_size_from_the_window_and_the_command_line(
        open_example, examples, tmp_path):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    small = tmp_path / "100.png"
    assert window.export_to(small)
    window.look.act_text_size[200].trigger()
    from_window = tmp_path / "window200.png"
    assert window.export_to(from_window)
    a, b = QImage(str(small)), QImage(str(from_window))
    assert b.height() > a.height() * 1.1  # bigger boxes and chips, the same layout

    def chip_ink(image: QImage, scene_rect: QRectF, content: QRectF) -> int:
        # The export maps the scene's content rectangle (with its margin) at scale 1.
        rect = scene_rect.translated(-content.left() + 24, -content.top() + 24)
        return ink_rows(image, rect)

    chip = window.scene.edges[("a", "v", 0)].above  # "5" over "∂v/∂a = 1"
    ink_200 = chip_ink(b, chip.sceneBoundingRect(), window.scene.content_rect())
    headless = tmp_path / "cli200.png"
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export",
                           str(examples / "chain_rule.json"), str(headless),
                           "--after", "backward", "--text-size", "200"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    c = QImage(str(headless))
    assert (c.width(), c.height()) == (b.width(), b.height())
    assert c.convertToFormat(QImage.Format_RGB32) == b.convertToFormat(QImage.Format_RGB32)
    window.look.act_text_size[100].trigger()
    ink_100 = chip_ink(a, chip.sceneBoundingRect(), window.scene.content_rect())
    assert ink_200 >= 1.8 * ink_100 > 0, (ink_100, ink_200)
    for bad in ("50", "301", "big"):
        done = subprocess.run([sys.executable, "-m", "gradstudio", "export",
                               str(examples / "chain_rule.json"), str(tmp_path / "x.png"),
                               "--text-size", bad], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "--text-size" in done.stderr, (bad, done.stderr)
        assert "Traceback" not in done.stderr


def test_a_canvas_built_at_a_text_size_exports_its_fonts_and_gives_the_size_back(
        examples, tmp_path, qapp):
    from gradstudio.core import fileformat
    from gradstudio.ui.editor.document import Document
    from gradstudio.ui.canvas.export import at_text_size, export_image
    from gradstudio.ui.canvas.scene import GraphScene
    out = tmp_path / "x.svg"
    with at_text_size(250):  # what `gradstudio export --text-size 250` does
        assert THEME.text_scale == 2.5
        doc = Document(fileformat.load(examples / "square.json"))
        scene = GraphScene(doc)
        assert doc.run("forward")
        export_image(scene, out)
    assert THEME.text_scale == 1.0
    text = out.read_text(encoding="utf-8")
    # 10 pt titles and 9 pt chips at 96 dpi, 2.5 times: 33.3 and 30 px.
    assert 'font-size="33.3333"' in text and 'font-size="30"' in text
    assert 'font-size="13.3333"' not in text


def test_zoomed_out_texts_stay_drawn_while_still_readable_at_a_bigger_size(window,
                                                                          tmp_path):
    """On a graph too big to fit readable (past READABLE_FIT_NODES nodes: a small one
    always draws its texts), the level of detail goes lower at a bigger size."""
    import gradstudio as gs
    terms = " + ".join(f"x{i}*w{i}" for i in range(120))
    gs.Graph.from_formula(f"J = {terms}").save(tmp_path / "big.json")
    window.open_path(tmp_path / "big.json")
    window.act_backward.trigger()
    view = window.view
    view.resetTransform()
    view.scale(0.3, 0.3)  # 100 %: numbers 3.6 px high, boxes only
    view.viewport().grab()
    assert not window.scene.detail
    window.look.act_text_size[200].trigger()  # 7.2 px at the same zoom: drawn
    view.viewport().grab()
    assert window.scene.detail


def test_a_small_graph_zoomed_far_out_keeps_its_texts_drawn(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    view = window.view
    view.resetTransform()
    view.scale(0.2, 0.2)
    view.viewport().grab()
    assert window.scene.detail
    assert all(c.isVisible() for c in shown_chips(window.scene))


def test_a_new_window_opens_at_the_saved_size_with_every_panel(window, qtbot):
    app_px = QFontInfo(QApplication.font()).pixelSize()  # at 100 %
    window.look.act_text_size[250].trigger()
    window.settings.sync()
    THEME.set_text_scale(1.0)
    from gradstudio.ui.app.window import MainWindow
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    settle()
    assert THEME.text_scale == 2.5 and again.look.act_text_size[250].isChecked()
    docks = again.findChildren(QDockWidget)
    # Every dock, the ones made after the saved size was applied (Explanation) too.
    assert {d.objectName() for d in docks} >= {"palette", "properties", "explanation"}
    for dock in docks:
        assert dock.fontInfo().pixelSize() >= 2.5 * app_px - 1, dock.objectName()
    explanation = again.findChild(QPlainTextEdit)
    assert explanation.fontInfo().pixelSize() >= 2.5 * 14 - 1  # 10.5 pt at 100 %


def test_after_a_text_size_change_the_canvas_is_what_a_full_repaint_draws(window, open_example):
    """Read where the window system keeps the pixels (grab() would paint afresh):
    after each change, panned first, the canvas matches a whole repaint exactly."""
    from PySide6.QtCore import QPoint
    from gui import move, press, release

    def shown(view) -> QImage:
        viewport = view.viewport()
        corner = viewport.mapTo(viewport.window(), QPoint(0, 0))
        return viewport.window().screen().grabWindow(
            viewport.window().winId(), corner.x(), corner.y(),
            viewport.width(), viewport.height()).toImage().convertToFormat(QImage.Format_RGB32)

    window = open_example("chain_rule")
    window.act_backward.trigger()
    view = window.view
    for percent in (200, 300, 125, 100):
        start = QPoint(60, view.viewport().height() - 60)  # an empty stretch: a pan
        press(view, view.mapToScene(start), Qt.MiddleButton)
        move(view, view.mapToScene(start + QPoint(-30, 0)), Qt.MiddleButton)
        release(view, view.mapToScene(start + QPoint(-30, 0)), Qt.MiddleButton)
        settle()
        window.look.act_text_size[percent].trigger()
        settle()
        before = shown(view)
        view.scene().invalidate()
        view.viewport().repaint()
        settle()
        assert shown(view) == before, f"{percent} %: stale pixels left on the canvas"
