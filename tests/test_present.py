"""View → Present (F11): real key presses on the window and the canvas, what the canvas
and the explanation line then say (checked against J = 3(a + b·c) worked by hand with
a = 5, b = 3, c = 2), and the window put back as it was on leaving."""

from __future__ import annotations

import pytest
from gui import assert_summed_up, present_line, press_keys, settle
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QToolBar

from gradstudio.ui.lecture.present_line import HINT
from gradstudio.ui.theme import THEME, number_px

# By hand: u = b·c = 6, v = a + u = 11, J = 3v = 33; ∂J/∂v = 3, ∂J/∂u = 3·1 = 3,
# ∂J/∂c = 3·b = 9, ∂J/∂b = 3·c = 6, ∂J/∂a = 3·1 = 3. Steps: u, v, J, then v, u, c, b, a.
VALUES = {"u": "= 6", "v": "= 11", "J": "= 33"}
GRADS = {"J": 1, "v": 3, "u": 3, "c": 9, "b": 6, "a": 3}


def grads(window) -> dict:
    return {n: i.grad_text for n, i in window.scene.nodes.items() if i.grad_text}


def chrome(window) -> dict:
    """What presenting hides: which docks, toolbars and bars are in sight."""
    return {"docks": sorted(d.objectName() for d in window.findChildren(QDockWidget)
                            if d.isVisible()),
            "raised": sorted(d.objectName() for d in window.findChildren(QDockWidget)
                             if d.isVisible() and not d.visibleRegion().isEmpty()),
            "toolbars": sorted(t.objectName() for t in window.findChildren(QToolBar)
                               if t.isVisible()),
            "menu": window.menuBar().isVisible(), "status": window.statusBar().isVisible()}


def widths(window) -> dict:
    """The docks in sight (a tab group's other tabs are parked out of it) and their sizes."""
    return {d.objectName(): d.size() for d in window.findChildren(QDockWidget)
            if d.isVisible() and not d.visibleRegion().isEmpty()}


def view_state(window) -> tuple:
    view = window.view
    centre = view.mapToScene(view.viewport().rect().center())
    return (view.transform(), round(centre.x()), round(centre.y()),
            view.viewport().size(), view.frameShape())


def test_view_present_is_f11_in_the_view_menu(window, look_back):
    action = window.presentation.action
    assert action in window.menus["view"].actions()
    assert action.text().replace("&", "") == "Present"
    assert action.shortcut() == QKeySequence(Qt.Key_F11)
    action.trigger()  # as the menu does
    assert window.presentation.presenting and action.isChecked()
    assert window.menuBar().isHidden()
    action.trigger()
    assert not window.presentation.presenting and not action.isChecked()
    assert not window.menuBar().isHidden()


def test_f11_enters_full_screen_without_panels_at_200_percent(presenting):
    window = presenting
    assert window.presentation.presenting and window.presentation.action.isChecked()
    assert window.isFullScreen() and window.windowState() & Qt.WindowFullScreen
    assert chrome(window) == {"docks": [], "raised": [], "toolbars": [],
                              "menu": False, "status": False}
    assert THEME.text_scale == 2.0
    # The line is under the canvas, not on it: the graph is fitted to what is above.
    view, strip = window.view, window.presentation.line
    assert strip.isVisible() and present_line(window) == HINT
    assert strip.geometry().bottom() == view.rect().bottom()
    assert view.viewport().geometry().bottom() < strip.geometry().top()
    assert strip.height() >= 28  # readable from the back of a room
    fitted = view_state(window)
    window.presentation.fit()
    assert view_state(window) == fitted


def shown(window):
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_the_graph_is_fitted_whole_and_stays_so(window, look_back):
    # (A graph readable whole on the tests' 800 x 800 screen: chain_rule's digits
    # would be 10 px high there, under the least for that screen, 11 px.)
    from gui import type_formula
    type_formula(window, "J = 3*(a + b)")
    settle()
    window.view.scale(3, 3)  # zoomed in before: presenting shows the whole graph
    window.view.centerOn(-2000, 0)
    press_keys(window, Qt.Key_F11)
    settle()
    assert shown(window).contains(window.scene.itemsBoundingRect())
    for _ in range(len(window.stepping.stepper.steps)):  # chips appear at every step:
        press_keys(window, Qt.Key_Right)  # still all in sight
        settle()
        assert shown(window).contains(window.scene.itemsBoundingRect())
    # Its numbers are readable on the screen: 9 px or more at this zoom.
    assert window.view.zoom() * number_px() >= 9


def test_a_graph_too_wide_to_show_whole_follows_the_step(open_example, look_back):
    # (The offscreen screen is 800 px wide: at 200 % the logistic neuron's numbers
    # would be 4 px high shown whole; it is shown from its inputs, as Fit View does.)
    window = open_example("logistic_neuron")
    press_keys(window, Qt.Key_F11)
    settle()
    assert not shown(window).contains(window.scene.itemsBoundingRect())
    stepper = window.stepping.stepper
    for _ in range(len(window.doc.model.graph.nodes)):
        press_keys(window, Qt.Key_Right)
        settle()
        node = window.scene.nodes[stepper.steps.step(stepper.position - 1).node]
        assert shown(window).contains(node.sceneBoundingRect()), node.node_id


def test_the_keys_step_forward_then_backward(presenting):
    window, stepper = presenting, presenting.stepping.stepper
    nodes, edges = window.scene.nodes, window.scene.edges
    press_keys(window.view, Qt.Key_Right)
    assert stepper.position == 1 and nodes["u"].value_text == "= 6"
    assert nodes["v"].value_pending and nodes["J"].value_pending
    assert present_line(window) == "u = b × c = 3 × 2 = 6\u2003\u2003∂u/∂b = c = 2\u2003\u2003∂u/∂c = b = 3"
    assert window.presentation.line.side == "step 1 of 8"
    press_keys(window.view, Qt.Key_Space, Qt.Key_PageDown)
    assert stepper.position == 3
    assert {n: nodes[n].value_text for n in VALUES} == VALUES
    assert grads(window) == {}
    assert present_line(window) == "J = 3 × v = 3 × 11 = 33\u2003\u2003∂J/∂v = 3"
    # After the forward pass, "next" goes on with the backward pass.
    press_keys(window, Qt.Key_Right)
    assert stepper.position == 4 and stepper.reveal.phase == "backward"
    assert grads(window) == {"J": "∂J/∂J = 1", "v": "∂J/∂v = 3"}
    assert "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 × 3 = 3" in present_line(window)
    press_keys(window.view.viewport(), Qt.Key_PageDown, Qt.Key_Space, Qt.Key_Right)  # u, c, b
    assert stepper.position == 7
    assert grads(window) == {n: f"∂J/∂{n} = {g}" for n, g in GRADS.items() if n != "a"}
    assert edges[("b", "u", 0)].below.texts == ["← 6"]
    assert edges[("a", "v", 0)].below.texts == []
    assert present_line(window) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"
    assert window.stepping.panel.text().rstrip().endswith("3 × 2 = 6")  # the same words
    press_keys(window, Qt.Key_PageDown)
    assert grads(window) == {n: f"∂J/∂{n} = {g}" for n, g in GRADS.items()}
    assert window.presentation.line.side == "step 8 of 8 · done"
    press_keys(window, Qt.Key_PageDown)  # nothing after the end
    assert stepper.position == 8


def test_the_keys_neither_pan_nor_move_nodes(presenting):
    window = presenting
    model = window.doc.model
    press_keys(window, Qt.Key_End)  # every chip drawn: the fitted view stays as it is
    settle()
    where = {n: model.position(n) for n in model.graph.nodes}
    window.scene.nodes["a"].setSelected(True)
    bars = window.view.horizontalScrollBar(), window.view.verticalScrollBar()
    scrolled = [b.value() for b in bars]
    press_keys(window.view, Qt.Key_Right, Qt.Key_Space, Qt.Key_PageDown)  # at the end: nothing
    press_keys(window.view, Qt.Key_Left, Qt.Key_Left, Qt.Key_Space)
    settle()
    assert not window.view.space_held  # Space did not arm the hand for panning
    assert [b.value() for b in bars] == scrolled
    assert {n: model.position(n) for n in model.graph.nodes} == where
    assert window.stepping.stepper.position == 7


def test_page_up_home_and_end(presenting):
    window, stepper = presenting, presenting.stepping.stepper
    nodes = window.scene.nodes
    bare = window.view.grab().toImage()
    press_keys(window, *[Qt.Key_PageDown] * 6)
    assert grads(window) == {"J": "∂J/∂J = 1", "v": "∂J/∂v = 3", "u": "∂J/∂u = 3",
                             "c": "∂J/∂c = 9"}
    press_keys(window.view, Qt.Key_PageUp)
    assert stepper.position == 5 and "c" not in grads(window)
    assert present_line(window) == "∂J/∂u = ∂J/∂v · ∂v/∂u = 3 × 1 = 3"
    press_keys(window.view, Qt.Key_Left)
    assert stepper.position == 4
    press_keys(window, Qt.Key_Home)  # the bare graph: nothing computed, no chips
    settle()
    assert window.view.grab().toImage() == bare  # as it was drawn before the first step
    assert stepper.position == 0  # (the steps worked out ahead, see test_steps_prepared)
    assert grads(window) == {} and all(nodes[n].value_pending for n in VALUES)
    assert all(not e.above.texts and not e.below.texts for e in window.scene.edges.values())
    assert present_line(window) == HINT
    press_keys(window, Qt.Key_End)  # fully annotated, as Backward draws it
    assert stepper.position == len(stepper.steps) == 8
    assert {n: nodes[n].value_text for n in VALUES} == VALUES
    assert grads(window) == {n: f"∂J/∂{n} = {g}" for n, g in GRADS.items()}
    # The line sums up: the output's value and every input's gradient.
    assert_summed_up(window, "J = 33", ["∂J/∂a = 3", "∂J/∂b = 6", "∂J/∂c = 9"])
    assert window.presentation.line.side == "step 8 of 8 · done"
    press_keys(window, Qt.Key_PageUp)  # after End, back is the step before the last
    assert stepper.position == 7 and "a" not in grads(window)
    assert present_line(window) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"
    press_keys(window, Qt.Key_Home, Qt.Key_Right)  # and from the bare graph, the first step
    assert stepper.position == 1 and nodes["u"].value_text == "= 6"
    press_keys(window, Qt.Key_Left)  # back to nothing computed
    assert nodes["u"].value_pending and grads(window) == {}


@pytest.mark.parametrize("leave", [Qt.Key_Escape, Qt.Key_F11])
def test_leaving_puts_the_window_back(open_example, look_back, leave):
    window = open_example("chain_rule")
    window.view.zoom_by(1.3)
    window.view.centerOn(200, 120)
    settle()
    before = (chrome(window), window.geometry(), view_state(window), THEME.text_scale,
              widths(window))
    assert before[0]["docks"] and before[0]["toolbars"] and before[0]["menu"]
    press_keys(window, Qt.Key_F11)
    settle()
    press_keys(window.view, Qt.Key_Right, Qt.Key_End, Qt.Key_PageUp)
    press_keys(window.view, leave)
    settle()
    after = (chrome(window), window.geometry(), view_state(window), THEME.text_scale,
             widths(window))
    assert after == before
    assert not window.isFullScreen() and not window.presentation.presenting
    assert not window.presentation.line.isVisible()
    assert not window.presentation.action.isChecked()
    press_keys(window.view, Qt.Key_Right)  # the keys are the canvas's again: no step
    assert window.stepping.stepper.position == 7


def test_a_text_size_above_100_is_kept(open_example, look_back):
    window = open_example("chain_rule")
    window.look.set_text_size(150)
    press_keys(window, Qt.Key_F11)
    assert THEME.text_scale == 1.5
    press_keys(window, Qt.Key_Escape)
    assert THEME.text_scale == 1.5
    window.look.set_text_size(100)
    press_keys(window, Qt.Key_F11)
    assert THEME.text_scale == 2.0
    press_keys(window, Qt.Key_Escape)
    assert THEME.text_scale == 1.0
    assert window.look.act_text_size[100].isChecked()  # the setting itself untouched


def test_a_graph_that_cannot_be_computed_says_so_on_the_line(window, look_back):
    press_keys(window, Qt.Key_F11)
    press_keys(window, Qt.Key_Right)  # an empty graph: no output
    assert window.presentation.line.error and present_line(window).startswith("Not computed: ")
    press_keys(window, Qt.Key_Escape)


def test_closing_while_presenting_saves_the_normal_window(presenting, settings_dir):
    window = presenting
    press_keys(window, Qt.Key_Escape)
    settle()
    normal = window.saveState()
    press_keys(window, Qt.Key_F11)
    window.doc.undo_stack.setClean()
    window.close()
    assert window.settings.value("window/state") == normal
    assert not window.menuBar().isHidden() and not window.isFullScreen()


def test_the_line_is_drawn_under_the_graph(presenting):
    window = presenting
    press_keys(window, *[Qt.Key_Right] * 7)
    settle()
    picture = window.grab().toImage()
    strip = window.presentation.line.geometry()
    top_left = window.view.mapTo(window, strip.topLeft())
    rect = QRect(top_left, strip.size())
    # Text pixels in the strip (dark on the canvas's white), and the graph above it.
    dark = sum(1 for x in range(rect.left(), rect.right(), 2)
               for y in range(rect.top() + 2, rect.bottom(), 2)
               if picture.pixelColor(x, y).lightness() < 100)
    assert dark > 50


def test_in_a_quiz_next_reveals_a_hidden_number_before_stepping_on(open_example, look_back):
    window = open_example("chain_rule")
    window.quiz_mode.set_quiz(("grad",), (["b"], []))  # only ∂J/∂b is asked
    press_keys(window, Qt.Key_F11)
    stepper, b = window.stepping.stepper, window.scene.nodes["b"]
    press_keys(window.view, *[Qt.Key_Right] * 7)  # nothing hidden on the way: seven steps
    assert stepper.position == 7 and b.grad_text == "∂J/∂b = ?"
    press_keys(window.view, Qt.Key_Right)  # the class has answered: the number shows
    assert stepper.position == 7 and b.grad_text == "∂J/∂b = 6"
    press_keys(window.view, Qt.Key_Right)  # and the next press steps on
    assert stepper.position == 8 and grads(window)["a"] == "∂J/∂a = 3"


def test_a_wide_short_graph_stays_centred_across_while_the_steps_follow(window, look_back):
    # A graph wider than the screen but not as tall: End (the last step is an input's
    # gradient) put that input mid-screen, the graph's other rows off the bottom and
    # an empty band over it (logistic_neuron at 1280 x 800, seen by a lecturer).
    from gui import type_formula
    type_formula(window, "J = log(exp(tanh(sin(cos(a*b + c*d)))) + 2), a=1, b=2, c=3, d=4")
    settle()
    press_keys(window, Qt.Key_F11)
    settle()
    graph = window.scene.itemsBoundingRect()
    assert graph.width() > shown(window).width()  # followed across, step by step
    assert graph.height() <= shown(window).height()  # ... but whole from top to bottom
    for key in (Qt.Key_End, Qt.Key_Home, Qt.Key_End):
        press_keys(window.view, key)
        settle()
        sight = shown(window)  # every row in sight, the graph centred
        assert sight.top() <= graph.top() and graph.bottom() <= sight.bottom(), (key, sight, graph)
        assert abs(sight.center().y() - graph.center().y()) < 2
    stepper = window.stepping.stepper
    node = window.scene.nodes[stepper.steps.step(stepper.position - 1).node]
    assert sight.contains(node.sceneBoundingRect())  # the step's node still in sight


def test_a_step_brings_the_chips_its_line_names_into_sight(open_example, look_back):
    # Step 10 of logistic_neuron reads ∂L/∂z = ∂L/∂a · ∂a/∂z: the z→a wire's chips
    # were past the screen's right edge while the view kept only z in sight
    # (1280 x 800, seen by a lecturer). Here z is put just inside the right edge.
    window = open_example("logistic_neuron")
    press_keys(window, Qt.Key_F11)
    settle()
    stepper, scene, view = window.stepping.stepper, window.scene, window.view
    while stepper.position < 10:
        press_keys(view, Qt.Key_Right)
        settle()
    step = stepper.steps.step(stepper.position - 1)
    assert step.node == "z" and step.edges == (("z", "a", 0),)
    z = scene.nodes["z"].sceneBoundingRect()
    chips = [scene.edges[("z", "a", 0)].above, scene.edges[("z", "a", 0)].below]
    sight = shown(window)
    view.centerOn(z.right() + 60 / view.zoom() - sight.width() / 2, z.center().y())
    assert shown(window).contains(z)
    assert not all(shown(window).contains(c.sceneBoundingRect()) for c in chips)
    assert window.presentation.follow()  # as after the step
    settle()  # (glided there)
    for chip in chips:
        assert shown(window).contains(chip.sceneBoundingRect()), chip.texts
    assert shown(window).contains(z)
