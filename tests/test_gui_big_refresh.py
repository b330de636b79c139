"""A big graph's labels: those in sight at once, the rest while idle, all before export."""

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from gradstudio.core.numbers import shown_number as format_number  # as the canvas shows it (−)
from gradstudio.ui.canvas.large.policy import LAZY_WIRES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from graphgen import generate  # noqa: E402


def open_big(window, tmp_path, n=500):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(generate(n, seed=5, layout=True)))
    assert window.open_path(path)
    assert len(window.scene.edges) > LAZY_WIRES  # big enough to refresh lazily
    view = window.view
    view.resetTransform()
    view.centerOn(window.scene.itemsBoundingRect().center())
    QApplication.processEvents()
    return window


def grad_shown(window, node_id) -> str:
    """The gradient the node's item would draw: the number after the last '= '."""
    return window.scene.nodes[node_id].grad_text.rsplit("= ", 1)[-1]


def expected_grad(window, node_id) -> str:
    return format_number(window.doc.evaluation.grad(node_id))


def in_sight(window) -> set:
    view = window.view
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    return {n for n, item in window.scene.nodes.items()
            if rect.intersects(item.sceneBoundingRect())}


def test_backward_writes_the_labels_in_sight_first_and_the_rest_while_idle(window, tmp_path,
                                                                           qtbot):
    open_big(window, tmp_path)
    seen = in_sight(window)
    assert seen and len(seen) < len(window.scene.nodes)
    qtbot.keyClick(window.view, Qt.Key_F6)  # Backward, as a user presses it
    scene = window.scene
    for node_id in seen:  # drawn current at once ...
        assert grad_shown(window, node_id) == expected_grad(window, node_id), node_id
    away = [n for n in scene.nodes if n not in seen]
    assert any(scene.nodes[n].grad_text == "" for n in away)  # ... the rest not yet
    qtbot.waitUntil(lambda: not scene.large.stale, timeout=20000)
    for node_id in away:
        assert grad_shown(window, node_id) == expected_grad(window, node_id), node_id
    for edge, item in scene.edges.items():
        assert item.below.texts == [f"← {format_number(window.doc.evaluation.edge(*edge).grad)}"]


def test_a_pan_paints_current_labels_where_it_lands(window, tmp_path, qtbot):
    open_big(window, tmp_path)
    scene, view = window.scene, window.view
    qtbot.keyClick(view, Qt.Key_F6)
    far = next(n for n in scene.nodes if n not in in_sight(window) and n in scene.large.stale.nodes)
    view.centerOn(scene.nodes[far])
    view.viewport().repaint()  # the paint brings what it draws up to date first
    assert far not in scene.large.stale.nodes
    assert grad_shown(window, far) == expected_grad(window, far)


def test_export_right_after_a_pass_has_every_label(window, tmp_path, qtbot):
    open_big(window, tmp_path)
    qtbot.keyClick(window.view, Qt.Key_F6)
    assert window.scene.large.stale
    assert window.export_to(tmp_path / "slide.png")
    assert not window.scene.large.stale
    for node_id in window.scene.nodes:
        assert grad_shown(window, node_id) == expected_grad(window, node_id)


def test_zoomed_far_out_the_chips_hide_and_come_back(window, tmp_path, qtbot):
    open_big(window, tmp_path)
    scene, view = window.scene, window.view
    qtbot.keyClick(view, Qt.Key_F6)
    qtbot.waitUntil(lambda: not scene.large.stale, timeout=20000)
    chip = next(iter(scene.edges.values())).below
    assert chip.lines and chip.isVisible()
    point = view.viewport().rect().center()
    for _ in range(4):  # four wheel notches out, two steps each: 1.15 ** -8 < 0.4
        event = QWheelEvent(QPointF(point), QPointF(view.viewport().mapToGlobal(point)),
                            QPoint(0, 0), QPoint(0, -240), Qt.NoButton, Qt.NoModifier,
                            Qt.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)
    view.viewport().repaint()
    assert view.zoom() < 0.4
    assert not scene.detail and not chip.isVisible()
    view.resetTransform()
    view.viewport().repaint()
    assert scene.detail and chip.isVisible()


def test_a_node_widened_by_backward_leaves_the_scene_rectangle_alone(window, tmp_path, qtbot):
    # Qt would otherwise grow the rectangle and rebuild its whole index each time.
    open_big(window, tmp_path)
    scene = window.scene
    before = QRectF(scene.sceneRect())
    assert before.contains(scene.itemsBoundingRect())
    qtbot.keyClick(window.view, Qt.Key_F6)
    qtbot.waitUntil(lambda: not scene.large.stale, timeout=20000)
    assert scene.sceneRect() == before


def test_zoomed_far_out_the_idle_slices_leave_the_chips_until_they_are_in_sight(
        window, tmp_path, qtbot):
    open_big(window, tmp_path)
    scene, view = window.scene, window.view
    view.resetTransform()
    view.scale(0.3, 0.3)
    view.viewport().repaint()
    assert not scene.detail
    qtbot.keyClick(view, Qt.Key_F6)
    qtbot.waitUntil(lambda: not scene.large.stale.idle_work, timeout=20000)
    assert not scene.large.stale.nodes and scene.large.stale.edges  # the hidden chips wait
    for node_id in scene.nodes:
        assert grad_shown(window, node_id) == expected_grad(window, node_id)
    view.resetTransform()  # zoomed in: the chips in sight are written before the paint
    view.viewport().repaint()
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    shown = [(edge, item) for edge, item in scene.edges.items()
             if item.below.isVisible() and rect.intersects(item.below.sceneBoundingRect())]
    assert shown
    for edge, item in shown:
        assert item.below.texts == [f"← {format_number(window.doc.evaluation.edge(*edge).grad)}"]
    qtbot.waitUntil(lambda: not scene.large.stale, timeout=20000)  # and the rest while idle


def test_a_node_just_left_of_the_view_is_current_when_it_widens_into_it(window, tmp_path,
                                                                         qtbot):
    open_big(window, tmp_path)
    scene, view = window.scene, window.view
    node_id, item = next((n, i) for n, i in scene.nodes.items() if not i.is_input)
    # The view's left edge a few pixels right of the node's box as it is before Backward.
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    view.centerOn(item.sceneBoundingRect().right() + 5 + rect.width() / 2,
                  item.sceneBoundingRect().center().y())
    view.viewport().repaint()
    qtbot.keyClick(view, Qt.Key_F6)
    assert node_id not in scene.large.stale.nodes  # refreshed with what is in sight
    assert grad_shown(window, node_id) == expected_grad(window, node_id)


def test_in_sight_means_chips_in_sight_a_wire_only_crossing_the_view_waits(window, tmp_path,
                                                                          qtbot):
    open_big(window, tmp_path)
    view, scene = window.view, window.scene
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    qtbot.keyClick(view, Qt.Key_F5)  # Forward
    crossing, chipped = [], []
    for edge, item in scene.edges.items():
        (sx, sy, ex, ey) = item.ends()
        middle = QPointF((sx + ex) / 2, (sy + ey) / 2)
        grown = rect.adjusted(-400, -200, 400, 200)
        if rect.contains(middle):
            chipped.append(edge)
        elif item.sceneBoundingRect().intersects(rect) and not grown.contains(middle):
            crossing.append(edge)
    assert chipped and crossing
    expected = window.doc.evaluation
    for edge in chipped:  # its chips show in sight: written at once
        assert scene.edges[edge].above.texts[0] == format_number(expected.edge(*edge).value)
    # A wire that merely crosses the view, its chips far away, is left to the idle
    # slices (on 20,000 nodes some 2,000 wires cross a view at 100 %).
    assert any(edge in scene.large.stale.edges for edge in crossing)
    qtbot.waitUntil(lambda: not scene.large.stale, timeout=20000)
    for edge in crossing:
        assert scene.edges[edge].above.texts[0] == format_number(expected.edge(*edge).value)


def test_a_built_canvas_is_left_out_of_full_garbage_collections(window, tmp_path):
    import gc
    open_big(window, tmp_path)
    # The model's and the canvas's objects were frozen once the canvas was built.
    assert gc.get_freeze_count() > len(window.scene.items())


def test_a_pass_after_steps_takes_the_step_highlight_off_every_wire_at_once(window, tmp_path,
                                                                           qtbot):
    open_big(window, tmp_path)
    view, scene = window.view, window.scene
    view.scale(0.3, 0.3)  # zoomed out: the idle slices leave wires for later
    QApplication.processEvents()
    for _ in range(30):
        qtbot.keyClick(view, Qt.Key_F7)  # Step Forward
    assert any(item.active for item in scene.edges.values())
    stepped = [item for item in scene.edges.values() if item.above.lines]
    qtbot.keyClick(view, Qt.Key_F5)  # Forward
    # The highlight shows along a wire at any zoom: gone at once, not when idle.
    assert not any(item.active for item in scene.edges.values())
    # A step placed those wires' chips to avoid others; back at their middles now,
    # where the view looks for the chips to refresh.
    for item in stepped:
        sx, sy, ex, ey = item.ends()
        chip = item.above.sceneBoundingRect()
        assert abs(chip.center().x() - (sx + ex) / 2) < 1, item.edge


def test_a_big_canvas_and_a_deleted_node_are_not_kept_frozen(window, tmp_path, qtbot):
    import gc
    import weakref
    open_big(window, tmp_path)
    scene = window.scene
    node_id = next(iter(scene.nodes))
    deleted = weakref.ref(scene.nodes[node_id])
    window.doc.delete([node_id])
    qtbot.waitUntil(lambda: not scene.large.stale.idle_work, timeout=20000)
    gc.collect()
    assert deleted() is None  # its ports and wires let go of it
    old = weakref.ref(next(iter(scene.nodes.values())))
    other = tmp_path / "other"
    other.mkdir()
    open_big(window, other)  # a big one again: frozen in its turn, but not the old one
    gc.collect()
    assert old() is None
