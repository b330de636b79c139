"""Presentation on the screens lecturers project: each example presented on a 1920 × 1080
and a 1280 × 720 screen, every step and End pressed as keys, and what is drawn read in
screen pixels (present_screens.py, in a process of its own with a screen that size).

A lecturer found logistic_neuron's chip digits 8-9 px high on 1920 × 1080 (fitted
whole, unreadable from the back of a room), its right-hand chain low under an empty
top 40 % at steps 5-10 (1280 × 720), and End's line without "All numbers shown:"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from on_screen import run_probe

PROBE = Path(__file__).resolve().parent / "present_screens.py"
SCREENS = [(1920, 1080), (1280, 720)]
# The least a back row reads: chip digits a 72nd of the screen's height (15 px on
# 1080 lines, 10 on 720; a projector shows both the same size).
LEGIBLE = {1080: 15.0, 720: 10.0}
# End's line: the output's value, worked by hand (4 significant digits, as drawn).
# logistic_neuron: p1 = 0.5·2 = 1, p2 = −1·1 = −1, s = 0, z = 0.5, a = σ(0.5),
# q = log a, L = −q. tanh_neuron: o = tanh(2·(−3) + 0·1 + b), b = 6.8814 (the file's).
RESULTS = {"chain_rule": "J = 33", "colah_paths": "e = 6", "square": "J = 4.5",
           "logistic_neuron": f"L = {-math.log(1 / (1 + math.exp(-0.5))):.4f}",
           "tanh_neuron": f"o = {math.tanh(2 * -3 + 0 * 1 + 6.881373587019543):.4f}"}


@pytest.fixture(scope="module", params=SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def presented(request, tmp_path_factory):
    """(screen height, {example: [what is shown at step 0, 1, ..., after End]})."""
    width, height = request.param
    folder = tmp_path_factory.mktemp(f"screen{width}")
    return height, json.loads(run_probe(PROBE, width, height, folder))


def test_chip_and_node_digits_are_legible_at_every_step(presented):
    height, examples = presented
    least = LEGIBLE[height]
    for name, states in examples.items():
        for state in states:
            where = (name, state["position"])
            assert state["nodes"] and min(state["nodes"]) >= least, (where, state["nodes"])
            chips = [c[0] for c in state["chips"]]
            assert not chips or min(chips) >= least, (where, chips)
        # On the pixels, after End: each value chip's first line (bold digits) in sight
        # is that many rows of ink high.
        assert states[-1]["ink"] and min(states[-1]["ink"]) >= least, (name, states[-1]["ink"])


def test_the_graph_in_sight_is_centred_down_the_screen(presented):
    # What the canvas shows is centred between the top of the screen and the line
    # (or fills it): no empty top over a low chain.
    height, examples = presented
    for name, states in examples.items():
        for state in states:
            room = state["room"][1]
            top, bottom = state["drawn"][0], room - state["drawn"][1]
            assert abs(top - bottom) <= 0.05 * room, (name, state["position"], top, bottom)
            if state["step"] is not None:  # the step's node in sight
                x, y, w, h = state["step"]
                assert 0 <= y and y + h <= room, (name, state["position"])


def test_end_keeps_all_numbers_shown_and_the_result(presented):
    _height, examples = presented
    for name, states in examples.items():
        end = states[-1]
        assert end["line"].startswith(f"All numbers shown: {RESULTS[name]}"), end["line"]
        assert end["line_drawn"] == end["line"]  # written whole, not cut


def test_end_keeps_a_gap_before_the_step_counter(presented):
    # tanh_neuron on 1280 x 720: "… 1 more" ran into "step 14 of 14 · done" and read
    # as "1 more step". Between them, at least half the line's size.
    _height, examples = presented
    for name, states in examples.items():
        end = states[-1]
        (counter_left, _), (_, text_right) = end["line_edges"]
        assert counter_left - text_right >= end["line_px"] / 2, (name, end["line_edges"])


def test_no_node_or_chip_is_cut_by_the_screens_edges(presented):
    # End on logistic_neuron left the z→a chip (∂a/∂z = 0.235) cut at the right
    # edge on both screens (under a real X window, node a itself); step 11 on
    # 1920 x 1080 cut a and the chips of the inputs' wires. Every view, followed
    # or still, shows each node and chip whole or leaves it out.
    _height, examples = presented
    for name, states in examples.items():
        for state in states:
            assert state["cut"] == [], (name, state["position"], state["cut"])
