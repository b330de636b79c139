"""Chip places follow from the state alone: the same graph, numbers and text size
give the same chip rectangles however the window got there (a Text Size round trip,
an edit and its undo), as a tester saw them differ after 100 % → 200 % → 100 %."""

import pytest
from PySide6.QtCore import QPointF

from gui import double_click, node_center, settle


def chip_rects(window):
    out = {}
    for key, edge in window.scene.edges.items():
        for name, chip in (("above", edge.above), ("below", edge.below)):
            if chip.isVisible():
                # (to a hundredth of a pixel: an undone move may leave 1e-14 of round-off)
                out[key, name] = (tuple(round(v, 2) for v in chip.sceneBoundingRect().getRect()),
                                  tuple(chip.texts))
    return out


@pytest.mark.parametrize("name", ["chain_rule", "square", "colah_paths", "tanh_neuron",
                                  "logistic_neuron"])
def test_a_text_size_round_trip_gives_the_chips_back_their_places(open_example, look_back, name):
    window = open_example(name)
    window.act_backward.trigger()
    settle(window.scene)
    before = chip_rects(window)
    assert before
    window.look.act_text_size[200].trigger()
    settle(window.scene)
    window.look.act_text_size[100].trigger()
    settle(window.scene)
    assert chip_rects(window) == before


@pytest.mark.parametrize("name", ["chain_rule", "square", "colah_paths", "tanh_neuron"])
def test_an_edit_undone_gives_the_chips_back_their_places(open_example, look_back, name):
    window = open_example(name)
    window.act_backward.trigger()
    settle(window.scene)
    before = chip_rects(window)
    # Move a node by dragging it far (a real edit), Backward, then undo the move.
    from gui import drag
    node = next(iter(window.scene.nodes))
    start = node_center(window, node)
    drag(window.view, start, start + QPointF(0, 120))
    settle(window.scene)
    window.act_backward.trigger()
    settle(window.scene)
    window.doc.undo_stack.undo()
    settle(window.scene)
    window.act_backward.trigger()
    settle(window.scene)
    assert chip_rects(window) == before
