"""Step-through passes in the window: real key presses and actions, the drawn texts
and the Explanation panel."""

from __future__ import annotations

from gui import assert_labels_clear
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

SHOTS = None  # set to a folder to keep screenshots (see test_screenshots_mid_step)


def drawn(window) -> dict:
    """Everything the canvas says: node texts, chip lines, highlights."""
    scene = window.scene
    nodes = {n: (i.value_text, i.value_pending, i.grad_text) for n, i in scene.nodes.items()}
    chips = {e: (tuple(i.above.texts), tuple(i.below.texts)) for e, i in scene.edges.items()}
    return {"nodes": nodes, "chips": chips}


def active(window) -> tuple[set, set]:
    scene = window.scene
    return ({n for n, i in scene.nodes.items() if i.active},
            {e for e, i in scene.edges.items() if i.active})


def key(window, k, modifiers=Qt.NoModifier) -> None:
    QTest.keyClick(window, k, modifiers)


def panel(window) -> str:
    return window.stepping.panel.text()


def test_step_forward_once_computes_only_u(open_example):
    window = open_example("chain_rule")
    key(window, Qt.Key_F7)
    nodes = window.scene.nodes
    assert nodes["u"].value_text == "= 6" and not nodes["u"].value_pending
    for n in ("v", "J"):  # not reached yet: "not computed", which is not 0
        assert nodes[n].value_text == "= ?" and nodes[n].value_pending
    assert nodes["a"].value_text == "= 5"  # inputs are known from the start
    edges = window.scene.edges
    assert edges[("b", "u", 0)].above.texts == ["3", "∂u/∂b = 2"]
    assert edges[("c", "u", 1)].above.texts == ["2", "∂u/∂c = 3"]
    assert edges[("u", "v", 1)].above.texts == [] and edges[("v", "J", 0)].above.texts == []
    assert all(i.grad_text == "" for i in nodes.values())
    assert active(window) == ({"u"}, {("b", "u", 0), ("c", "u", 1)})
    text = panel(window)
    assert "Step 1 of 8 · Forward: u" in text
    assert "u = b × c = 3 × 2 = 6" in text and "∂u/∂b = c = 2" in text
    assert window.stepping.panel.isVisible()

    key(window, Qt.Key_F7)
    assert nodes["v"].value_text == "= 11" and nodes["J"].value_pending
    assert active(window) == ({"v"}, {("a", "v", 0), ("u", "v", 1)})
    assert "v = a + u = 5 + 6 = 11" in panel(window)


def test_step_backward_to_b_writes_the_chain_rule(open_example):
    window = open_example("chain_rule")
    key(window, Qt.Key_F8)  # the forward pass finishes in one go, then ∂J/∂v
    nodes = window.scene.nodes
    assert nodes["J"].value_text == "= 33"
    assert nodes["J"].grad_text == "∂J/∂J = 1" and nodes["v"].grad_text == "∂J/∂v = 3"
    assert nodes["u"].grad_text == ""
    assert "Forward pass finished in one go" in panel(window)
    assert "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 × 3 = 3" in panel(window)
    for _ in range(3):  # u, c, then b
        key(window, Qt.Key_F8)
    assert nodes["b"].grad_text == "∂J/∂b = 6" and nodes["a"].grad_text == ""
    assert window.scene.edges[("b", "u", 0)].below.texts == ["← 6"]
    assert window.scene.edges[("a", "v", 0)].below.texts == []
    assert active(window) == ({"b"}, {("b", "u", 0)})
    text = panel(window)
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6" in text
    assert text.rstrip().endswith("3 × 2 = 6")


def test_colah_backward_reaches_the_sum_over_paths(open_example):
    window = open_example("colah_paths")
    stepper = window.stepping.stepper
    window.stepping.act_step_backward.trigger()
    while window.scene.nodes["b"].grad_text == "":
        assert window.stepping.act_step_backward.isEnabled()
        window.stepping.act_step_backward.trigger()
    assert window.scene.nodes["b"].grad_text == "∂e/∂b = 2 + 3 = 5"
    text = panel(window)
    assert "= 2 × 1 + 3 × 1 = 2 + 3 = 5" in text
    assert "2 + 3 = 5" in text.splitlines()[-2]
    assert active(window) == ({"b"}, {("b", "c", 1), ("b", "d", 0)})
    assert stepper.position == len(stepper.steps) - 1


def test_step_back_undoes_one_step(open_example):
    window = open_example("chain_rule")
    key(window, Qt.Key_F7)
    after_one = (drawn(window), active(window), panel(window))
    key(window, Qt.Key_F7)
    assert window.scene.nodes["v"].value_text == "= 11"
    key(window, Qt.Key_F7, Qt.ShiftModifier)
    assert (drawn(window), active(window), panel(window)) == after_one
    # Step back over the jump of a first Step Backward restores the forward part-way.
    key(window, Qt.Key_F8)
    assert window.scene.nodes["J"].grad_text == "∂J/∂J = 1"
    key(window, Qt.Key_F7, Qt.ShiftModifier)
    assert (drawn(window), active(window), panel(window)) == after_one
    key(window, Qt.Key_F7, Qt.ShiftModifier)
    assert window.scene.nodes["u"].value_pending and active(window) == (set(), set())
    assert panel(window) == ""


def test_all_steps_show_exactly_what_the_full_pass_shows(open_example, example_name):
    window = open_example(example_name)
    steps = 0
    while window.stepping.stepper.step_forward():
        steps += 1
    assert steps == window.stepping.stepper.steps.n_forward
    stepped_forward = drawn(window)
    window.act_forward.trigger()
    assert drawn(window) == stepped_forward
    assert active(window) == (set(), set())  # a whole pass ends the stepping

    while window.stepping.act_step_backward.trigger() or (
            window.stepping.stepper.active
            and window.stepping.stepper.position < len(window.stepping.stepper.steps)):
        pass
    stepped = drawn(window)
    window.act_backward.trigger()
    assert drawn(window) == stepped


def test_an_edit_ends_the_stepping(open_example):
    window = open_example("chain_rule")
    key(window, Qt.Key_F7)
    key(window, Qt.Key_F7)
    window.doc.set_param("a", "value", 6)
    nodes = window.scene.nodes
    assert all(i.value_pending for n, i in nodes.items() if n in "uvJ")  # cleared as usual
    assert active(window) == (set(), set())
    assert not window.stepping.stepper.active
    assert panel(window) == ""
    assert "Stepping ended" in window.stepping.panel.view.placeholderText()
    key(window, Qt.Key_F7)  # and starts afresh with the new numbers
    assert nodes["u"].value_text == "= 6" and "Step 1 of 8" in panel(window)
    key(window, Qt.Key_F7)
    assert nodes["v"].value_text == "= 12"


def test_stepping_refuses_an_incomplete_graph_with_a_message(window, qtbot):
    doc = window.doc
    doc.add_node("input", 0, 0)
    doc.add_node("multiply", 200, 0)
    key(window, Qt.Key_F7)
    assert not window.stepping.stepper.active
    assert "nothing connected" in window.statusBar().currentMessage()
    assert window.scene.error_node == "mul1"


def test_step_keys_do_not_clash_with_other_actions(window):
    from PySide6.QtGui import QAction
    stepping = window.stepping
    mine = {"F7": stepping.act_step_forward, "F8": stepping.act_step_backward,
            "Shift+F7": stepping.act_step_back}
    for action in window.findChildren(QAction):
        for shortcut in action.shortcuts():
            owner = mine.get(shortcut.toString())
            assert owner is None or owner is action, (shortcut.toString(), action.text())
    for text, action in mine.items():
        assert action.shortcut().toString() == text


def test_chips_sit_on_no_wire_node_or_other_chip_at_every_step(open_example, example_name):
    """Each step places just the chips it changed: they stay clear all the way, and back."""
    name = example_name
    window = open_example(name)
    stepper = window.stepping.stepper
    while stepper.step_forward():
        assert_labels_clear(window, f"{name} at step {stepper.position}")
    while stepper.step_backward():
        assert_labels_clear(window, f"{name} at step {stepper.position}")
    assert stepper.position == len(stepper.steps)
    while stepper.position > 1 and stepper.step_back():
        assert_labels_clear(window, f"{name} back at step {stepper.position}")
    assert stepper.position == 1


def test_chips_stay_clear_when_stepping_zoomed_far_out(open_example, qtbot):
    """Far out the chips are not drawn (nor found by the scene's index): stepping there
    still leaves them clear for when the class zooms back in."""
    window = open_example("logistic_neuron")
    stepper = window.stepping.stepper
    view = window.view
    view.resetTransform()
    view.scale(0.2, 0.2)
    view.viewport().repaint()
    while stepper.step_forward():
        view.viewport().repaint()
    while stepper.step_backward():
        view.viewport().repaint()
    assert stepper.position == len(stepper.steps)
    view.resetTransform()
    view.viewport().repaint()
    assert_labels_clear(window, "logistic_neuron, stepped zoomed out")


def test_a_node_that_grows_over_a_chip_moves_that_chip(open_example):
    """A gradient widens its node: a chip of another wire that the node now covers is
    placed again, though nothing about its own wire changed."""
    window = open_example("logistic_neuron")
    stepper, scene = window.stepping.stepper, window.scene
    while stepper.step_forward():
        pass
    while stepper.steps.step(stepper.position).node != "a":
        assert stepper.step_backward()
    a = scene.nodes["a"]
    old = a.sceneBoundingRect()
    chip = scene.edges[("b", "z", 1)].above  # put just right of "a", where it will grow
    chip.setPos(old.right() + 1, old.center().y())
    assert stepper.step_backward() and scene.nodes["a"].grad_text
    assert a.sceneBoundingRect().right() > old.right() + 1  # "a" grew over that spot
    assert not chip.sceneBoundingRect().intersects(a.sceneBoundingRect())
    assert_labels_clear(window, "logistic_neuron")
