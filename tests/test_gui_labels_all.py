"""Every chip placed at once on the canvas: clear of wires, nodes and each other in
the examples after passes and Live edits; after an edit, where a fresh placement
puts them; chip by chip where the graph is too spread out to price at once."""

import json
import sys
from pathlib import Path

import pytest

from gui import assert_labels_clear
from gradstudio.ui import labels, labels_all, labels_price

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from graphgen import generate  # noqa: E402

EXAMPLES = ("chain_rule", "colah_paths", "square", "logistic_neuron", "tanh_neuron")


def chip_places(scene) -> dict:
    return {(edge, side): (chip.pos().x(), chip.pos().y())
            for edge, item in scene.edges.items()
            for side, chip in (("above", item.above), ("below", item.below)) if chip.lines}


def place_afresh(scene) -> dict:
    """Where a placement that remembers nothing puts the chips now."""
    labels_all._SEEN.clear()
    scene.place_labels()
    return chip_places(scene)


@pytest.mark.parametrize("name", EXAMPLES)
def test_labels_stay_clear_through_passes_and_live_edits(open_example, name):
    window = open_example(name)
    doc = window.doc
    window.act_forward.trigger()
    assert_labels_clear(window, f"{name} forward")
    window.act_backward.trigger()
    assert_labels_clear(window, f"{name} backward")
    doc.set_live(True)
    for node in list(doc.model.inputs())[:3]:
        doc.set_param(node, "value", doc.model.param(node, "value") * 7 - 0.125)
        assert_labels_clear(window, f"{name} after editing {node}")


def open_generated(window, tmp_path, n, seed=3):
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(generate(n, seed=seed, layout=True)))
    assert window.open_path(path)
    return window.scene


@pytest.mark.parametrize("what, n", [("forward", 150), ("backward", 100)])
def test_after_live_edits_the_chips_sit_where_a_fresh_placement_puts_them(
        window, tmp_path, what, n):
    scene = open_generated(window, tmp_path, n)
    doc = window.doc
    doc.run(what)
    chips = [c for e in scene.edges.values() for c in (e.above, e.below) if c.lines]
    assert 0 < len(chips) <= labels.MAX_SEARCHED_CHIPS  # searched, not left in the middle
    doc.set_live(True)
    moves = 0
    for node in list(doc.model.inputs())[:4]:
        old = chip_places(scene)
        doc.set_param(node, "value", doc.model.param(node, "value") * -3 + 0.37)
        now = chip_places(scene)
        moves += sum(now[k] != old[k] for k in now)
        assert now == place_afresh(scene), node
    assert moves  # the edits did move chips about


def test_a_chip_placed_as_free_touches_no_wire_node_or_chip(window, tmp_path):
    """On a crowded graph most chips cover something; those whose recorded cost
    says they cover nothing really do not (Qt's own shapes decide)."""
    scene = open_generated(window, tmp_path, 150)
    window.doc.run("forward")
    chips = [c for e in scene.edges.values() for c in (e.above, e.below) if c.lines]
    free = [c for c in chips if labels._PLACED[c][1] == (0.0, 0)]
    assert 10 < len(free) < len(chips)
    for chip in free:
        rect = chip.sceneBoundingRect()
        assert not any(e.stroke.intersects(rect) for e in scene.edges.values()), chip.texts
        assert not any(n.sceneBoundingRect().intersects(rect) for n in scene.nodes.values())
        assert not any(o.sceneBoundingRect().intersects(rect) for o in chips if o is not chip)


def test_a_graph_too_spread_out_to_price_at_once_is_searched_chip_by_chip(
        open_example, monkeypatch):
    calls = []
    place_all = labels_all.place_all

    def spy(*args):
        calls.append(place_all(*args))
        return calls[-1]
    monkeypatch.setattr(labels_all, "place_all", spy)
    monkeypatch.setattr(labels_price, "MAX_CELLS", 100)
    labels_all._SEEN.clear()
    window = open_example("logistic_neuron")
    window.act_backward.trigger()
    assert calls and not any(calls)
    assert_labels_clear(window, "logistic_neuron, chip by chip")
