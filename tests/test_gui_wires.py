"""Wires as painted on the canvas (by the scene's WireLayer): where the curve is,
the wire's colour is, at any zoom, after moves, selection and hiding."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QRegion
from PySide6.QtWidgets import QApplication

from gui import drag, node_center, press, release
from gradstudio.ui.theme import THEME
from gradstudio.ui.canvas.wires import wire_pieces


def _cubic(start: QPointF, end: QPointF, count: int = 400) -> np.ndarray:
    """Points of a wire's curve, worked out here from its definition: a cubic
    leaving ``start`` rightwards and arriving at ``end`` from the left, with
    horizontal handles half the ends' distance long (40 at least)."""
    sx, sy, ex, ey = start.x(), start.y(), end.x(), end.y()
    dx = max(40.0, abs(ex - sx) / 2)
    t = np.linspace(0, 1, count)[:, None]
    p = np.array([[sx, sy], [sx + dx, sy], [ex - dx, ey], [ex, ey]])
    return ((1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1]
            + 3 * (1 - t) * t * t * p[2] + t ** 3 * p[3])


def _grab(window) -> QImage:
    QApplication.processEvents()
    return window.view.viewport().grab().toImage()


def _is(color: QColor, wanted: QColor, slack: int = 60) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(color.getRgb()[:3], wanted.getRgb()[:3]))


def _wire_pixels(window, image, points, wanted: QColor) -> tuple[int, int]:
    """(how many of ``points`` lie in sight and off the nodes, how many of those
    are painted in ``wanted``): the test's view of the curve on screen."""
    view, scene = window.view, window.scene
    nodes = [n.sceneBoundingRect().adjusted(-4, -4, 4, 4) for n in scene.nodes.values()]
    seen = hit = 0
    for x, y in points:
        if any(r.contains(QPointF(x, y)) for r in nodes):
            continue
        p = view.mapFromScene(QPointF(x, y))
        if not (2 <= p.x() < image.width() - 2 and 2 <= p.y() < image.height() - 2):
            continue
        seen += 1
        # The wire is about 2 px wide: the nearest of the 3 × 3 pixels around.
        if any(_is(image.pixelColor(p.x() + i, p.y() + j), wanted)
               for i in (-1, 0, 1) for j in (-1, 0, 1)):
            hit += 1
    return seen, hit


def _two_nodes(window, a_pos, b_pos):
    doc = window.doc
    a = doc.add_node("input", *a_pos)
    b = doc.add_node("scale", *b_pos)
    doc.connect(a, b, 0)
    return a, b


def _curve_of(window, edge) -> np.ndarray:
    item = window.scene.edges[edge]
    return _cubic(item.source.output.scenePos(), item.target.inputs[edge[2]].scenePos())


def test_a_steep_wire_is_painted_along_its_curve_at_100_and_400_percent(window):
    a, b = _two_nodes(window, (0, 0), (300, 420))
    edge = (a, b, 0)
    curve = _curve_of(window, edge)
    for zoom in (1.0, 4.0):
        window.view.resetTransform()
        window.view.scale(zoom, zoom)
        window.view.centerOn(QPointF(*curve[len(curve) // 2]))
        image = _grab(window)
        seen, hit = _wire_pixels(window, image, curve, THEME.wire)
        assert seen > 50, zoom
        assert hit == seen, (zoom, seen, hit)
        # And nothing of the wire's colour half way between the curve and the
        # straight line from end to end (where a badly cut wire would be).
        straight = curve[0] + np.linspace(0, 1, len(curve))[:, None] * (curve[-1] - curve[0])
        between = (curve + straight) / 2
        far = [p for p, c in zip(between, curve) if np.hypot(*(p - c)) > 12]
        assert far
        seen, hit = _wire_pixels(window, image, far, THEME.wire)
        assert seen > 10 and hit == 0, (zoom, seen, hit)


def test_a_long_wire_with_both_ends_out_of_sight_shows_where_it_crosses(window):
    a, b = _two_nodes(window, (0, 0), (20000, 600))
    curve = _curve_of(window, (a, b, 0))
    window.view.resetTransform()
    window.view.centerOn(QPointF(*curve[len(curve) // 2]))
    image = _grab(window)
    seen, hit = _wire_pixels(window, image, curve, THEME.wire)
    assert seen > 2 and hit == seen, (seen, hit)
    assert not window.view.mapToScene(window.view.viewport().rect()).boundingRect().contains(
        QPointF(*curve[0]))


class _PaintedRegion(QObject):
    """The union of the regions the canvas repainted on its own (paint events)."""

    def __init__(self, viewport) -> None:
        super().__init__()
        self.region = QRegion()
        viewport.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Paint:
            self.region = self.region.united(event.region())
        return False


def test_dragging_a_node_repaints_its_wire_where_it_was_and_where_it_is(window):
    a, b = _two_nodes(window, (0, 0), (320, 160))
    view = window.view
    view.resetTransform()
    view.centerOn(QPointF(250, 150))
    before = _curve_of(window, (a, b, 0))
    _grab(window)
    painted = _PaintedRegion(view.viewport())
    drag(view, node_center(window, b), node_center(window, b) + QPointF(0, 200))
    after = _curve_of(window, (a, b, 0))
    assert after[-1][1] - before[-1][1] == 200  # the model moved the node
    QApplication.processEvents()
    # The screen was brought up to date along the old curve and the new one.
    for x, y in [*before, *after]:
        assert painted.region.contains(view.mapFromScene(QPointF(x, y))), (x, y)
    image = _grab(window)
    seen, hit = _wire_pixels(window, image, after, THEME.wire)
    assert seen > 50 and hit == seen
    gone = [p for p in before if np.min(np.hypot(*(after - p).T)) > 8]
    seen, hit = _wire_pixels(window, image, gone, THEME.wire)
    assert seen > 20 and hit == 0, (seen, hit)


def test_a_clicked_wire_is_drawn_selected_and_a_hidden_wire_not_at_all(window):
    a, b = _two_nodes(window, (0, 0), (320, 160))
    edge = (a, b, 0)
    curve = _curve_of(window, edge)
    window.view.resetTransform()
    window.view.centerOn(QPointF(250, 150))
    middle = QPointF(*curve[len(curve) // 2])
    press(window.view, middle)
    release(window.view, middle)
    assert window.scene.edges[edge].isSelected()
    image = _grab(window)
    seen, hit = _wire_pixels(window, image, curve, THEME.wire_active)
    assert seen > 50 and hit == seen
    window.scene.edges[edge].setVisible(False)  # as while its end is dragged away
    image = _grab(window)
    seen, hit = _wire_pixels(window, image, curve, THEME.wire_active)
    seen_plain, hit_plain = _wire_pixels(window, image, curve, THEME.wire)
    assert seen > 50 and hit == 0 and hit_plain == 0


@pytest.mark.parametrize("seed", range(4))
def test_the_pieces_follow_every_curve_within_the_tolerance_wherever_the_view_is(seed):
    rng = np.random.default_rng(seed)
    ends = np.column_stack([rng.uniform(-3000, 3000, 40), rng.uniform(-2000, 2000, 40),
                            rng.uniform(-3000, 3000, 40), rng.uniform(-2000, 2000, 40)])
    ends[:10, 2] = ends[:10, 0] + rng.uniform(5000, 30000, 10)  # long ones
    for zoom in (0.3, 1.0, 6.0):
        size = 1000 / zoom  # a view about 1,000 px wide
        x, y = rng.uniform(-2000, 2000, 2)
        rect = QRectF(x, y, size, 0.7 * size)
        pairs, rows, curves = wire_pieces(ends, zoom, rect, 0.0)
        assert not len(curves)
        allowed = 0.45 / zoom  # under half a pixel on screen
        for row in range(len(ends)):
            a = _cubic(QPointF(*ends[row, :2]), QPointF(*ends[row, 2:]), 4000)
            inside = a[(a[:, 0] >= rect.left()) & (a[:, 0] <= rect.right())
                       & (a[:, 1] >= rect.top()) & (a[:, 1] <= rect.bottom())]
            mine = pairs.reshape(-1, 4)[rows == row]
            if not len(inside):
                continue
            assert len(mine), (row, zoom)
            # Every point of the curve in the rectangle is within the tolerance
            # of one of the wire's pieces, and every piece's middle that close to
            # the curve (drawn as a fine polyline of its points).
            for point in inside[::7]:
                assert _to_segments(point, mine) <= allowed, (row, zoom)
            fine = np.column_stack([a[:-1], a[1:]])
            for middle in ((mine[:, :2] + mine[:, 2:]) / 2)[::5]:
                assert _to_segments(middle, fine) <= allowed, (row, zoom)


def _to_segments(point, segments) -> float:
    """The distance from ``point`` to the nearest of ``segments`` (rows x0, y0, x1, y1)."""
    p, d = segments[:, :2], segments[:, 2:] - segments[:, :2]
    t = np.clip(((point - p) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
    return float(np.hypot(*(p + t[:, None] * d - point).T).min())


def test_a_picture_too_big_to_make_is_refused_with_a_message(window, tmp_path):
    _two_nodes(window, (0, 0), (1_500_000, 0))
    out = tmp_path / "huge.png"
    assert not window.export_to(out, scale=4)
    assert window.errors and "too big" in window.errors[-1][1], window.errors
    assert not out.exists()


def test_a_node_far_out_exports_from_the_command_line_with_a_message(tmp_path, examples):
    import json
    import subprocess
    import sys
    data = json.loads((examples / "chain_rule.json").read_text())
    data["nodes"][0]["x"] = -1e20  # labels are still placed (Backward), then refused
    path = tmp_path / "far.json"
    path.write_text(json.dumps(data))
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export", str(path),
                           str(tmp_path / "far.png"), "--after", "backward"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "too big" in done.stderr and "Traceback" not in done.stderr
