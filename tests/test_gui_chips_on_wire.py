"""Chips on their own wire: where they sit, the drawn geometry `gradstudio export
OUT.json` writes, hovering a wire or a chip, and chips that stay put while a class
steps through a pass."""

from __future__ import annotations

import json

from gui import hover, wire_point_between_chips
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from gradstudio.cli import main as cli_main
from gradstudio.core.chipways import JOIN
from gradstudio.core.chiprule import violations
from gradstudio.ui.theme import THEME


def chip_centre(chip) -> QPointF:
    return chip.sceneBoundingRect().center()


def test_the_export_json_is_the_drawn_geometry_in_the_pngs_pixels(examples, tmp_path, qapp):
    geometry_file, picture = tmp_path / "g.json", tmp_path / "g.png"
    source = str(examples / "chain_rule.json")
    assert cli_main(["export", source, str(geometry_file), "--after", "backward"]) == 0
    assert cli_main(["export", source, str(picture), "--after", "backward"]) == 0
    geometry = json.loads(geometry_file.read_text(encoding="utf-8"))
    assert {n["id"] for n in geometry["nodes"]} == {"a", "b", "c", "u", "v", "J"}
    assert len(geometry["wires"]) == 5 and len(geometry["chips"]) == 10
    for wire in geometry["wires"]:
        points = wire["points"]
        steps = [((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
                 for (x0, y0), (x1, y1) in zip(points, points[1:])]
        assert max(steps) <= 2.0 + 1e-6, wire
    chips = {(c["from"], c["to"], c["kind"]): c for c in geometry["chips"]}
    assert chips[("b", "u", "forward")]["text"] == "3\n∂u/∂b = 2"
    assert chips[("c", "u", "grad")]["text"] == "← 9"  # dJ/dc = 3 · 3, by hand
    assert violations(geometry) == []
    # The same coordinates as the PNG's pixels: each gradient chip's frame, in the
    # gradient colour, is drawn inside its rectangle, and a node's box border there.
    image = QImage(str(picture))

    def orange(c: QColor) -> bool:  # the gradient colour, #c14f00, antialiased or not
        return c.red() > c.green() + 40 and c.red() > c.blue() + 80

    for chip in geometry["chips"]:
        if chip["kind"] != "grad":
            continue
        x, y, w, h = chip["rect"]
        row = round(y + h / 2)
        assert any(orange(image.pixelColor(round(x) + dx, row)) for dx in range(0, 2)), chip
        assert not any(orange(image.pixelColor(round(x) - dx, row)) for dx in range(3, 6))
    node = next(n for n in geometry["nodes"] if n["id"] == "u")
    x, y, w, h = node["rect"]
    inside = image.pixelColor(round(x + w / 2), round(y + h - 3))
    outside = image.pixelColor(round(x + w / 2), round(y + h + 12))
    assert inside != outside  # the box's fill, then the canvas below it


def test_every_chip_sits_on_its_wire_after_backward(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    for edge, wire in window.scene.edges.items():
        path = wire.path()
        samples = [path.pointAtPercent(k / 200) for k in range(201)]
        for chip in (wire.above, wire.below):
            rect = chip.sceneBoundingRect()
            near = min(max(rect.left() - p.x(), 0, p.x() - rect.right()) ** 2
                       + max(rect.top() - p.y(), 0, p.y() - rect.bottom()) ** 2
                       for p in samples) ** 0.5
            assert near <= 2.0, (edge, chip.texts, near)  # standing on it or hanging under
            assert chip.leader_line() is None


def test_hovering_a_wire_lights_it_and_its_chips_and_hovering_a_chip_lights_its_wire(
        open_example, qtbot):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    view, wires = window.view, window.scene.edges
    wire, other = wires[("b", "u", 0)], wires[("c", "u", 1)]
    hover(view, wire_point_between_chips(wire))
    qtbot.waitUntil(lambda: wire.hot)
    assert wire.pen().color() == THEME.wire_active
    assert wire.above.lit() and wire.below.lit()
    assert not other.hot and not other.above.lit()
    hover(view, QPointF(-400, -400))  # empty canvas
    qtbot.waitUntil(lambda: not wire.hot)
    assert wire.pen().color() == THEME.wire and not wire.below.lit()
    hover(view, chip_centre(other.below))
    qtbot.waitUntil(lambda: other.hot)
    assert other.pen().color() == THEME.wire_active and other.above.lit()
    assert not wire.hot


def test_a_selected_wire_frames_its_chips(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    wire = window.scene.edges[("a", "v", 0)]
    assert not wire.above.lit()
    wire.setSelected(True)
    assert wire.above.lit() and wire.below.lit()
    image = window.view.viewport().grab().toImage()
    rect = window.view.mapFromScene(wire.below.sceneBoundingRect()).boundingRect()
    colours = {image.pixelColor(rect.left() + 1, y).name()
               for y in range(rect.top() + 2, rect.bottom() - 1)}
    assert QColor(THEME.wire_active).name() in colours or any(
        QColor(c).blue() > QColor(c).red() + 60 for c in colours)


def test_chips_stay_put_while_the_class_steps_through_backward(open_example):
    """A chip keeps its place while it is free: a step writes new numbers elsewhere
    without moving the ones the class is reading. The gradient chip comes to its
    value chip's point, under it, where there is room, as Backward draws the pair:
    the value chip then settles JOIN px (2) onto the wire to meet it, no more."""
    window = open_example("colah_paths")
    wires = window.scene.edges
    for _ in range(12):  # the forward pass, node by node
        QTest.keyClick(window, Qt.Key_F7)
    assert all(w.above.lines and not w.below.lines for w in wires.values())
    placed = {e: (w.above.pos(), w.ends()) for e, w in wires.items()}
    moved = set()
    for _ in range(12):  # then backward
        QTest.keyClick(window, Qt.Key_F8)
        # (A node that grows to show its gradient moves its wires' ends: those move.)
        for e, w in wires.items():
            if w.ends() != placed[e][1] or w.above.pos() == placed[e][0]:
                continue
            joined = (w.below.lines and w.below.spot == w.above.spot
                      and w.above.pos() == placed[e][0] + QPointF(0.0, JOIN))
            if not joined:
                moved.add(e)
    assert all(w.below.lines for w in wires.values())
    assert moved == set()
    assert sum(w.ends() == placed[e][1] for e, w in wires.items()) >= 3
    from gradstudio.ui.canvas.geometry import drawn_geometry
    assert violations(drawn_geometry(window.scene)) == []
