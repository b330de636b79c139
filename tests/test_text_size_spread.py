"""A bigger text size draws the file's positions spread by the size, so the chips
keep the legibility rule on a file's own layout (not only after Auto-layout), and
the file's positions stay what they were: moves are written back at 100 %.

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
    # Drawn `percent` % as far apart, the file untouched and not edited.
    for node_id, item in window.scene.nodes.items():
        x, y = window.doc.model.position(node_id)
        assert (item.pos().x(), item.pos().y()) == pytest.approx((x * percent / 100,
                                                                  y * percent / 100))
    assert not window.doc.dirty


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
    drawn = scene.nodes["e"].pos()
    # The mouse moved 80, 40 on the canvas: in the file that is 40, 20.
    assert window.doc.model.position("e") == pytest.approx((before[0] + 40, before[1] + 20))
    assert (drawn.x(), drawn.y()) == pytest.approx((2 * before[0] + 80, 2 * before[1] + 40))
    assert window.doc.dirty
    assert violations(drawn_geometry(scene)) == []  # the chips placed again, still clear
    window.look.act_text_size[100].trigger()
    drawn = scene.nodes["e"].pos()
    assert (drawn.x(), drawn.y()) == pytest.approx((before[0] + 40, before[1] + 20))
    window.act_undo.trigger()
    assert window.doc.model.position("e") == pytest.approx(before)


def test_auto_layout_at_200_writes_the_positions_100_spreads_to_what_is_drawn(open_example):
    window = open_example("tanh_neuron")
    window.act_backward.trigger()
    window.look.act_text_size[200].trigger()
    window.arrange.act_auto_layout.trigger()
    scene = window.scene
    assert violations(drawn_geometry(scene)) == []
    for node_id, item in scene.nodes.items():
        x, y = window.doc.model.position(node_id)
        assert (item.pos().x(), item.pos().y()) == pytest.approx((2 * x, 2 * y), abs=0.02)
    assert THEME.text_scale == 2.0
