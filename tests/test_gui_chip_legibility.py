"""A lecturer steps through the small examples (F7, F8, a presentation's keys) at
100 %, 200 % and 300 %: every wire's pair reads the slide's way up (value above,
gradient below) at every step, and the last step shows the very picture Run →
Backward and a presentation's End show.

Before: tanh_neuron at 200 % had the gradient chip of w1 → x1w1 standing on the
wire over its value chip hanging under it from step 13 on (logistic_neuron's
x1 → p1 at 200 % and 300 % from step 17), and stepping to the end left pairs
elsewhere than Backward put them (tanh_neuron at 100 %: five wires)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui import enter_presentation, press_keys, settle
from gradstudio.core.chiprule import violations
from gradstudio.ui.canvas.geometry import drawn_geometry


def chip_rects(window) -> dict:
    """Every shown chip's scene rectangle (to a hundredth of a pixel) and text."""
    out = {}
    for key, edge in window.scene.edges.items():
        for name, chip in (("value", edge.above), ("gradient", edge.below)):
            if chip.lines and chip.isVisible():
                rect = tuple(round(v, 2) for v in chip.sceneBoundingRect().getRect())
                out[key, name] = (rect, tuple(chip.texts))
    return out


def wire_y(edge, x: float) -> float:
    """The wire's height where it passes x (the examples' wires all run rightwards)."""
    points = edge.samples()
    return float(np.interp(x, points[:, 0], points[:, 1]))


def upside_down(window) -> list[str]:
    """The wires whose gradient chip does not read as under their value chip: its
    middle higher than the value's, or it sits higher over the wire than the value
    does (a gradient standing on the wire over a value hanging under it)."""
    edges = window.scene.edges
    ends = [edge.edge[:2] for edge in edges.values()]
    found = []
    for key, edge in edges.items():
        value, grad = edge.above, edge.below
        if not (value.lines and grad.lines and value.isVisible() and grad.isVisible()):
            continue
        if ends.count(key[:2]) > 1:
            continue  # a·a: side by side on purpose (test_gui_chip_pairs)
        v, g = value.sceneBoundingRect(), grad.sceneBoundingRect()
        v_over = v.center().y() - wire_y(edge, v.center().x())
        g_over = g.center().y() - wire_y(edge, g.center().x())
        if not (v.center().y() < g.center().y() and v_over < g_over):
            found.append(f"{key}: value at y {v.top():.1f}, gradient at y {g.top():.1f}")
    return found


def step_to_the_end(window, check=None) -> None:
    """F7 through the forward pass, then F8 through the backward pass, as a lecturer
    does; ``check(label)`` after every step."""
    stepper = window.stepping.stepper
    for key in (Qt.Key_F7, Qt.Key_F8):
        while True:
            before = stepper.position
            press_keys(window, key)
            settle(window.scene)
            if stepper.position == before:
                break
            if check is not None:
                check(f"step {stepper.position}")
    assert stepper.position == len(stepper.steps)


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_every_pair_reads_value_over_gradient_at_every_step(open_example, example_name,
                                                             look_back, percent):
    window = open_example(example_name)
    window.look.act_text_size[percent].trigger()
    settle(window.scene)
    seen = []

    def check(label: str) -> None:
        seen.extend(f"{label}: {line}" for line in upside_down(window))
        seen.extend(f"{label}: {line}" for line in violations(drawn_geometry(window.scene)))

    step_to_the_end(window, check)
    assert seen == [], (example_name, percent)


@pytest.mark.parametrize("percent", [100, 200])
def test_stepping_to_the_end_shows_what_backward_shows(open_example, example_name, look_back,
                                                       percent):
    window = open_example(example_name)
    window.look.act_text_size[percent].trigger()
    settle(window.scene)
    step_to_the_end(window)
    stepped = chip_rects(window)
    window.act_backward.trigger()
    settle(window.scene)
    whole = chip_rects(window)
    assert whole == stepped, [k for k in whole if whole[k] != stepped.get(k)]


def test_a_presentations_end_shows_what_stepping_there_shows(open_example, look_back):
    """Three steps in, End; then from the start, Page Down to the last step (before,
    logistic_neuron's x1 → p1 pair stood nearer x1 after stepping)."""
    window = enter_presentation(open_example("logistic_neuron"))
    stepper = window.stepping.stepper
    press_keys(window, Qt.Key_PageDown, Qt.Key_PageDown, Qt.Key_PageDown, Qt.Key_End)
    settle(window.scene)
    assert stepper.position == len(stepper.steps)
    ended = chip_rects(window)
    press_keys(window, Qt.Key_Home)
    settle(window.scene)
    while stepper.position < len(stepper.steps):
        before = stepper.position
        press_keys(window, Qt.Key_PageDown)
        settle(window.scene)
        assert stepper.position == before + 1
    stepped = chip_rects(window)
    assert stepped == ended, [k for k in ended if ended[k] != stepped.get(k)]
