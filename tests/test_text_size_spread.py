"""A bigger text size draws the file's positions spread as far as the chips need
(at most by the size), so the chips keep the legibility rule on a file's own
layout (not only after Auto-layout), and the file's positions stay what they
were: moves are written back as the file's.

Before, at 200 % on tanh_neuron the x1 and w1 chips overlapped each other and at
250 % colah_paths' chips lay over the nodes: the boxes and chips had doubled, the
room between the boxes had not.
"""

import pytest
from PySide6.QtCore import QPointF

from gradstudio.core.chiprule import violations
from gradstudio.ui.canvas.geometry import drawn_geometry
from gradstudio.ui.theme import THEME
from gui import drag, node_center, settle

pytestmark = pytest.mark.usefixtures("look_back")


@pytest.mark.parametrize("percent", [150, 200, 300])
def test_every_example_keeps_the_chip_rule_at_a_bigger_text_size(open_example, example_name,
                                                                  percent):
    window = open_example(example_name)
    window.act_backward.trigger()
    window.look.act_text_size[percent].trigger()
    geometry = drawn_geometry(window.scene)  # the boxes, wires and chips as drawn
    assert len(geometry["chips"]) == 2 * len(window.doc.model.edges())
    assert violations(geometry) == [], (example_name, percent)
    # Drawn spread (no more than the size: the texts still grow against the
    # spacing), the file untouched and not edited.
    spread = window.scene.spread
    assert 1 <= spread <= percent / 100
    for node_id, item in window.scene.nodes.items():
        x, y = window.doc.model.position(node_id)
        assert (item.pos().x(), item.pos().y()) == pytest.approx((x * spread, y * spread))
    assert not window.doc.dirty


def test_the_spread_is_the_least_the_chips_need(open_example):
    """chain_rule is laid out with room: at 150 % it is drawn where the file says;
    tanh_neuron needs some spread at 200 %, less than the whole size, so fitted to
    a screen its numbers are bigger than at 100 %. Before any pass too (a pass
    never moves the nodes)."""
    window = open_example("chain_rule")
    window.look.act_text_size[150].trigger()
    assert window.scene.spread == 1.0
    window = open_example("tanh_neuron")  # opened at 150 %: measured as it is built
    before = window.scene.spread
    window.look.act_text_size[200].trigger()
    spread = window.scene.spread
    assert before <= spread and 1.0 < spread < 2.0
    positions = {n: i.pos() for n, i in window.scene.nodes.items()}
    window.act_backward.trigger()
    assert {n: i.pos() for n, i in window.scene.nodes.items()} == positions
    assert violations(drawn_geometry(window.scene)) == []


def test_a_node_dragged_at_200_is_saved_where_100_draws_it(open_example):
    window = open_example("colah_paths")
    window.act_backward.trigger()
    window.look.act_text_size[200].trigger()
    settle()
    scene, view = window.scene, window.view
    before = window.doc.model.position("e")
    view.centerOn(node_center(window, "e"))
    start = node_center(window, "e") + QPointF(0, -20)  # on the box, off its texts' editors
    drag(view, start, start + QPointF(80, 40))
    settle()
    drawn, f = scene.nodes["e"].pos(), scene.spread
    assert f > 1
    # The mouse moved 80, 40 on the canvas: in the file that is 80 / f, 40 / f.
    assert window.doc.model.position("e") == pytest.approx((before[0] + 80 / f,
                                                            before[1] + 40 / f), abs=0.01)
    assert (drawn.x(), drawn.y()) == pytest.approx((f * before[0] + 80, f * before[1] + 40),
                                                   abs=0.02)
    assert window.doc.dirty
    assert violations(drawn_geometry(scene)) == []  # the chips placed again, still clear
    window.look.act_text_size[100].trigger()
    drawn = scene.nodes["e"].pos()
    assert (drawn.x(), drawn.y()) == pytest.approx((before[0] + 80 / f, before[1] + 40 / f),
                                                   abs=0.01)
    window.act_undo.trigger()
    assert window.doc.model.position("e") == pytest.approx(before)


def test_auto_layout_at_200_writes_the_positions_100_spreads_to_what_is_drawn(open_example):
    window = open_example("tanh_neuron")
    window.act_backward.trigger()
    window.look.act_text_size[200].trigger()
    window.arrange.act_auto_layout.trigger()
    scene = window.scene
    assert violations(drawn_geometry(scene)) == []
    f = scene.spread
    for node_id, item in scene.nodes.items():
        x, y = window.doc.model.position(node_id)
        assert (item.pos().x(), item.pos().y()) == pytest.approx((f * x, f * y), abs=0.02)
    assert THEME.text_scale == 2.0
