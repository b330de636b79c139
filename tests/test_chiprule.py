"""The chips' rule on hand-made geometry, and the placer (no Qt) on hand-made wires:
each breach found with its distance, and chips placed on their own wire."""

import math

from gradstudio.core import chipplace
from gradstudio.core.chiprule import violations


def straight(x0, y0, x1, y1, step=1.0):
    n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
    return [[x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n] for k in range(n + 1)]


def geometry(chip_rect, other_wire_y=200.0, node_rect=(500, 0, 50, 50)):
    return {"nodes": [{"id": "n", "rect": list(node_rect)}],
            "wires": [{"from": "a", "to": "b", "port": 0, "points": straight(0, 100, 400, 100)},
                      {"from": "c", "to": "b", "port": 1,
                       "points": straight(0, other_wire_y, 400, other_wire_y)}],
            "chips": [{"from": "a", "to": "b", "port": 0, "kind": "forward", "text": "3",
                       "rect": list(chip_rect)}]}


def test_a_chip_standing_on_its_wire_keeps_the_rule():
    assert violations(geometry((180, 70, 40, 29))) == []  # its bottom 1 px above the wire


def test_a_chip_too_far_from_its_wire_is_named_with_the_distance():
    found = violations(geometry((180, 60, 40, 27)))  # bottom at 87: 13 px above
    assert len(found) == 1 and "13.0 px from its wire" in found[0]


def test_another_wire_less_than_6_px_farther_is_a_breach():
    found = violations(geometry((180, 70, 40, 29), other_wire_y=64))  # 6 px above the chip
    assert any("wire c->b:1 is 6.0 px away, its own 1.0 px" in f for f in found)
    assert violations(geometry((180, 70, 40, 29), other_wire_y=62)) == []  # 8 px: 7 farther


def test_a_chip_over_a_node_or_another_chip_is_a_breach():
    found = violations(geometry((180, 70, 40, 29), node_rect=(200, 50, 60, 40)))
    assert any("overlaps node n" in f for f in found)
    g = geometry((180, 70, 40, 29))
    g["chips"].append({"from": "c", "to": "b", "port": 1, "kind": "grad", "text": "← 1",
                       "rect": [210, 80, 30, 20]})
    assert any("overlaps the grad chip" in f for f in violations(g))


def test_the_placer_stands_the_value_on_its_wire_and_hangs_the_gradient_under_it():
    ends = [(0.0, 100.0, 400.0, 100.0), (0.0, 300.0, 400.0, 300.0)]
    nodes = [(-120, 70, 0, 130), (400, 60, 520, 140), (-120, 270, 0, 330)]
    chips = [chipplace.Chip(0, chipplace.FORWARD, 60, 30), chipplace.Chip(0, chipplace.GRAD, 40, 18),
             chipplace.Chip(1, chipplace.FORWARD, 60, 30)]
    placed = chipplace.place(nodes, ends, chips)
    forward, grad, other = (p.box for p in placed)
    assert all(p.on_wire and p.anchor is None for p in placed)
    assert forward[3] == 99.0 and grad[1] == 101.0  # 1 px above and below the wire at y = 100
    assert forward[0] == 170.0 and grad[0] == 180.0  # centred on its middle, x = 200
    assert other[3] == 299.0


def test_a_wire_with_no_room_gets_a_leader_to_its_own_point():
    # A node sits on the whole wire: the chip goes beside it, pointing back.
    ends = [(0.0, 100.0, 300.0, 100.0)]
    nodes = [(20, 60, 280, 140)]
    placed = chipplace.place(nodes, ends, [chipplace.Chip(0, chipplace.FORWARD, 60, 30)])[0]
    assert not placed.on_wire and placed.anchor is not None
    x, y = placed.anchor
    assert abs(y - 100.0) < 1e-6 and 30 <= x <= 270
    left, top, right, bottom = placed.box
    assert bottom <= 60 - chipplace.NODE_AIR or top >= 140 + chipplace.NODE_AIR
