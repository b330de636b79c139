"""File → Export Steps… and Edit → Copy Image in the window, through their actions
and shortcuts; the clipboard read back through QGuiApplication.clipboard()."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from gui import hover, node_center, output_port, press, release, wire_point_between_chips
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtTest import QTest

from gradstudio.ui.canvas.export import MARGIN
from gradstudio.ui.lecture.copy_image import PNG, SVG

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class Answer:
    """A stand-in for the Export Steps dialog: accepted with these options."""

    def __init__(self, **options) -> None:
        self.options_given = options

    def exec(self) -> bool:
        return True

    def options(self) -> dict:
        return self.options_given


def test_export_steps_from_the_menu_writes_the_deck(open_example, tmp_path):
    window = open_example("chain_rule")
    window.stepping.step_forward()  # the window's own stepping is left as it is
    undo_index = window.doc.undo_stack.index()
    action = window.export_steps.action
    file_menu = window.menus["file"].actions()
    assert file_menu.index(action) == file_menu.index(window.act_export) + 1
    out = tmp_path / "deck.pdf"
    window.export_steps.make_dialog = lambda: Answer(path=str(out), scale=1.0,
                                                     transparent=False)
    action.trigger()
    assert len(PAGE.findall(out.read_bytes())) == 10
    assert window.stepping.stepper.position == 1 and window.scene.nodes["u"].active
    assert window.doc.undo_stack.index() == undo_index and not window.doc.dirty
    assert "deck.pdf" in window.statusBar().currentMessage()

    series = tmp_path / "pages.png"
    for stale in (11, 12):  # an earlier, longer series: its last pages go
        (tmp_path / f"pages-{stale}.png").write_bytes(b"old")
    window.export_steps.make_dialog = lambda: Answer(path=str(series), scale=1.0,
                                                     transparent=True)
    action.trigger()
    names = sorted(p.name for p in tmp_path.glob("pages-*.png"))
    assert names == [f"pages-{i:02d}.png" for i in range(1, 11)]
    assert window.statusBar().currentMessage().endswith(
        "; 2 older pages of that name removed (pages-11.png, pages-12.png)")
    corner = QImage(str(tmp_path / "pages-01.png")).pixelColor(2, 2)
    assert corner.alpha() == 0  # the transparent background asked for


def test_export_steps_with_a_quiz_says_the_deck_shows_every_number(open_example, tmp_path):
    from gradstudio.core import quiz as quizzes
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(quizzes.KINDS)
    assert window.doc.quiz is not None
    out = tmp_path / "deck.pdf"
    window.export_steps.make_dialog = lambda: Answer(path=str(out))
    window.export_steps.action.trigger()
    assert len(PAGE.findall(out.read_bytes())) == 10
    assert window.statusBar().currentMessage() == (
        f"Exported the steps to {out} (every number shown: a deck does not hide the quiz's)")
    assert window.doc.quiz is not None  # the window's quiz goes on


def test_export_steps_of_a_graph_it_cannot_step_says_why(window, tmp_path):
    window.doc.add_node("log", 0, 0)  # nothing on its port
    out = tmp_path / "deck.pdf"
    window.export_steps.make_dialog = lambda: Answer(path=str(out))
    window.export_steps.action.trigger()
    assert not out.exists()
    (title, message), = window.errors
    assert title == "Steps not exported" and "cannot run forward" in message
    assert "nothing connected to input port" in message


def test_the_dialog_offers_pdf_and_the_series(window, tmp_path):
    dialog = window.export_steps.make_dialog()
    assert dialog.path.text().endswith("-steps.pdf")
    assert [dialog.format.itemText(i) for i in range(dialog.format.count())] == [
        "PDF (one file)", "PNG series", "SVG series"]
    assert not dialog.background.isEnabled() and not dialog.scale.isEnabled()
    dialog.path.setText(str(tmp_path / "lecture.pdf"))
    dialog.format.setCurrentIndex(1)
    assert dialog.path.text() == str(tmp_path / "lecture.png")
    assert "lecture-01.png, lecture-02.png" in dialog.names.text()
    assert dialog.scale.isEnabled() and dialog.background.isEnabled()
    dialog.scale.setCurrentIndex(1)
    dialog.background.setCurrentIndex(1)
    assert dialog.options() == dict(path=str(tmp_path / "lecture.png"), scale=2.0,
                                    transparent=True)
    dialog.deleteLater()


def _clipboard():
    data = QGuiApplication.clipboard().mimeData()
    png = QImage.fromData(bytes(data.data(PNG)), "PNG")
    svg = ET.fromstring(bytes(data.data(SVG)))  # well-formed XML, or ParseError
    return data, png, svg


def test_copy_image_puts_png_at_2x_and_svg_on_the_clipboard(open_example, qtbot):
    window = open_example("chain_rule")
    QGuiApplication.clipboard().clear()
    window.run_pass("backward")
    assert window.copy_image.action.shortcut() == QKeySequence("Ctrl+Shift+C")
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    data, png, svg = _clipboard()
    assert data.hasImage() and data.hasFormat(PNG) and data.hasFormat(SVG)
    rect = window.scene.itemsBoundingRect()
    # 2×: the graph and its margin, two pixels per canvas unit
    assert abs(png.width() - 2 * (rect.width() + 2 * MARGIN)) <= 2
    assert abs(png.height() - 2 * (rect.height() + 2 * MARGIN)) <= 2
    assert svg.tag.endswith("svg")
    texts = "".join(svg.itertext())
    assert "∂J/∂b = 6" in texts and "∂J/∂a = 3" in texts  # the numbers, as text
    assert "Copied the graph" in window.statusBar().currentMessage()
    whole = png.size()

    # The selection only: click on u, copy through the Edit menu's action.
    view = window.view
    press(view, node_center(window, "u"))
    release(view, node_center(window, "u"))
    assert window.selected_node_ids() == ["u"]
    assert window.copy_image.action in window.menus["edit"].actions()
    window.copy_image.action.trigger()
    data, part, svg = _clipboard()
    assert part.width() < whole.width() / 2 and part.height() < whole.height()
    texts = "".join(svg.itertext())
    assert "= 6" in texts and "∂J/∂a" not in texts  # u's own, not a's
    assert window.selected_node_ids() == ["u"]  # the selection is kept
    assert "Copied the selection" in window.statusBar().currentMessage()


def test_copy_image_leaves_out_what_the_mouse_rests_on(open_example, qtbot):
    """Ctrl+Shift+C pressed with the pointer over a wire, or over a port: the picture
    shows them at rest, as the selection is left out."""
    window = open_example("chain_rule")
    window.run_pass("backward")
    view, wire = window.view, window.scene.edges[("b", "u", 0)]
    port = window.scene.nodes["b"].output
    view.setFocus()

    def copied() -> QImage:
        QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
        return _clipboard()[1]

    hover(view, QPointF(-400, -400))  # nothing under the pointer
    at_rest = copied()
    hover(view, wire_point_between_chips(wire))
    qtbot.waitUntil(lambda: wire.hot)
    assert copied() == at_rest
    assert wire.hot  # lit again on screen
    hover(view, output_port(window, "b"))
    qtbot.waitUntil(lambda: port.hovered)
    assert copied() == at_rest
    assert port.hovered


def test_copy_image_of_an_empty_graph_copies_nothing(window):
    QGuiApplication.clipboard().setText("before")
    window.copy_image.action.trigger()
    assert QGuiApplication.clipboard().text() == "before"
    assert "Nothing copied" in window.statusBar().currentMessage()


def test_a_big_decks_progress_shows_at_once_and_cancel_writes_nothing(window, tmp_path):
    """The progress dialog is up before the pages are prepared, the window's events
    are handled while they are, and a real click on Cancel stops it: no file."""
    import json
    import sys
    from pathlib import Path

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from graphgen import generate
    graph = tmp_path / "g60.json"
    graph.write_text(json.dumps(generate(60, seed=1, layout=True)), encoding="utf-8")
    assert window.open_path(graph)
    (tmp_path / "deck-01.png").write_bytes(b"old")
    seen = []

    def look():
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        seen.append([(d.labelText(), d.value(), d.maximum()) for d in dialogs])
        if len(seen) == 1 or not seen[-1][0][0].startswith("Preparing deck.png: page 3 "):
            QTimer.singleShot(0, look)  # again, until three pages are measured
            return
        cancel = dialogs[0].findChild(QPushButton)
        QTest.mouseClick(cancel, Qt.LeftButton)

    QTimer.singleShot(0, look)
    window.export_steps.make_dialog = lambda: Answer(path=str(tmp_path / "deck.png"))
    assert window.export_steps.export_to(str(tmp_path / "deck.png")) == []
    # Up at once, before any page is prepared.
    (label, value, _maximum), = seen[0]
    assert label == "Preparing deck.png…" and value == 0
    (label, value, maximum), = seen[-1]  # the window's events handled between pages
    assert label.startswith("Preparing deck.png: page 3 of ") and value == 3
    assert maximum == 2 * int(label.split(" of ")[1].rstrip("…"))  # measuring, then writing
    assert sorted(p.name for p in tmp_path.glob("deck*")) == ["deck-01.png"]
    assert (tmp_path / "deck-01.png").read_bytes() == b"old"
    assert window.statusBar().currentMessage() == "Export Steps cancelled: nothing written"
    assert not any(isinstance(w, QProgressDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_the_dialog_starts_in_the_files_folder_with_the_format_chosen_last(
        open_example, tmp_path):
    window = open_example("chain_rule")  # a copy in tmp_path, opened as File → Open does
    dialog = window.export_steps.make_dialog()
    assert dialog.path.text() == str(tmp_path / "chain_rule-steps.pdf")
    assert dialog.kind() == "pdf"
    dialog.format.setFocus()
    QTest.keyClick(dialog.format, Qt.Key_Down)  # PDF → PNG series, from the keyboard
    assert dialog.kind() == "png" and dialog.path.text() == str(tmp_path / "chain_rule-steps.png")
    dialog.exec = lambda: True  # OK pressed
    window.export_steps.make_dialog = lambda: dialog
    window.export_steps.action.trigger()
    assert (tmp_path / "chain_rule-steps-10.png").exists()
    del window.export_steps.make_dialog
    again = window.export_steps.make_dialog()
    assert again.kind() == "png" and again.path.text() == str(tmp_path / "chain_rule-steps.png")
    assert again.scale.isEnabled() and "chain_rule-steps-01.png" in again.names.text()
    window.new_file()  # no file: the folder last exported to, the same format
    assert window.export_steps.make_dialog().path.text() == str(tmp_path / "graph-steps.png")
