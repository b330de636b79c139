"""The graph model: every refused mutation raises GraphError and changes nothing.

"Nothing" is checked three ways: the saved text (fileformat.dumps) is identical,
the revision counters did not move, and no listener heard an event.
"""

from __future__ import annotations

import math
import random

import pytest

from conftest import load_example
from gradstudio.core import GraphError, GraphModel, evaluate, fileformat


def chain_rule_model() -> GraphModel:
    """J = 3(a + b·c), built through the model's own mutations."""
    m = GraphModel()
    m.add_node("a", "input", params={"value": 5})
    m.add_node("b", "input", params={"value": 3})
    m.add_node("c", "input", params={"value": 2})
    m.add_node("u", "multiply", x=10, y=20)
    m.add_node("v", "add", label="v", extra={"color": "red"})
    m.add_node("J", "scale", params={"factor": 3})
    m.connect("b", "u", 0)
    m.connect("c", "u", 1)
    m.connect("a", "v", 0)
    m.connect("u", "v", 1, extra={"note": "u feeds v"})
    m.connect("v", "J", 0)
    m.set_output("J")
    return m


def state(model: GraphModel):
    return fileformat.dumps(model), model.revision, model.structure_revision, model.edges()


@pytest.fixture
def model():
    return chain_rule_model()


REFUSALS = {
    # nodes
    "unknown op": (lambda m: m.add_node("w", "mul"), ["unknown op 'mul'", "multiply"]),
    "duplicate id": (lambda m: m.add_node("u", "add"), ["duplicate", "'u'"]),
    "empty id": (lambda m: m.add_node("", "add"), ["id"]),
    "id not a string": (lambda m: m.add_node(7, "add"), ["id"]),
    "NaN value": (lambda m: m.add_node("w", "input", params={"value": math.nan}), ["value", "nan"]),
    "infinite value": (lambda m: m.add_node("w", "input", params={"value": math.inf}), ["value", "inf"]),
    "boolean value": (lambda m: m.add_node("w", "input", params={"value": True}), ["value", "True"]),
    "string value": (lambda m: m.add_node("w", "input", params={"value": "3"}), ["value", "'3'"]),
    "None factor": (lambda m: m.add_node("w", "scale", params={"factor": None}), ["factor"]),
    "unknown param": (lambda m: m.add_node("w", "add", params={"factor": 2}), ["factor"]),
    "huge int value": (lambda m: m.add_node("w", "input", params={"value": 10 ** 400}), ["value"]),
    "label not a string": (lambda m: m.add_node("w", "add", label=3), ["label"]),
    "x is NaN": (lambda m: m.add_node("w", "add", x=math.nan, y=0), ["x"]),
    "extra clashes": (lambda m: m.add_node("w", "scale", extra={"factor": 1}), ["factor"]),
    # wiring
    "port out of range": (lambda m: m.connect("a", "J", 1), ["port 1", "out of range", "'J'"]),
    "port 2 of add": (lambda m: m.connect("a", "v", 2), ["out of range"]),
    "negative port": (lambda m: m.connect("a", "J", -1), ["out of range"]),
    "boolean port": (lambda m: m.connect("a", "J", True), ["port"]),
    "string port": (lambda m: m.connect("a", "J", "0"), ["port"]),
    "port taken": (lambda m: m.connect("a", "u", 0), ["already", "'b'"]),
    "edge into input": (lambda m: m.connect("u", "a", 0), ["'a'", "input"]),
    "self-loop": (lambda m: m.connect("v", "v", 0), ["'v'", "itself"]),
    "missing source": (lambda m: m.connect("zz", "J", 0), ["'zz'"]),
    "missing target": (lambda m: m.connect("a", "zz", 0), ["'zz'"]),
    # J is downstream of u, so J → u would close u → v → J → u (port 0 freed first).
    "cycle": (lambda m: m.connect("J", "u", 0), ["cycle", "J → u → v → J"]),
    "disconnect empty port": (lambda m: m.disconnect("a", 0), ["not connected"]),
    # edits of existing nodes
    "set NaN": (lambda m: m.set_param("a", "value", math.nan), ["value"]),
    "set -inf": (lambda m: m.set_param("J", "factor", -math.inf), ["factor"]),
    "set boolean": (lambda m: m.set_param("a", "value", False), ["value"]),
    "set string": (lambda m: m.set_param("J", "factor", "3"), ["factor"]),
    "set unknown param": (lambda m: m.set_param("u", "factor", 2), ["factor"]),
    "set on missing node": (lambda m: m.set_param("zz", "value", 1), ["'zz'"]),
    "move to NaN": (lambda m: m.move_node("u", math.nan, 0), ["position"]),
    "output missing": (lambda m: m.set_output("zz"), ["'zz'"]),
    "remove missing": (lambda m: m.remove_node("zz"), ["'zz'"]),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_mutation_changes_nothing(model, case):
    mutate, expected = REFUSALS[case]
    if case in ("cycle", "self-loop"):
        # free the port, so that the cycle / self-loop is the only thing wrong
        model.disconnect("u" if case == "cycle" else "v", 0)
    heard = []
    model.subscribe(heard.append)
    before = state(model)
    with pytest.raises(GraphError) as info:
        mutate(model)
    assert state(model) == before
    assert heard == []
    message = str(info.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    # still a working graph with the right numbers (unless we broke it on purpose)
    if case not in ("cycle", "self-loop"):
        assert evaluate(model).value("J") == 33


def test_cycle_message_names_every_node_on_a_long_cycle():
    m = GraphModel()
    m.add_node("x", "input", params={"value": 1})
    m.add_node("p", "add")
    for name in "qrs":
        m.add_node(name, "scale", params={"factor": 2})
    m.connect("x", "p", 0)
    m.connect("p", "q", 0)
    m.connect("q", "r", 0)
    m.connect("r", "s", 0)
    before = state(m)
    with pytest.raises(GraphError) as info:
        m.connect("s", "p", 1)
    assert "s → p → q → r → s" in str(info.value)
    assert "x" not in str(info.value).split(":", 1)[1]
    assert state(m) == before


def test_successful_mutations_do_move_the_revision(model):
    # Guards the tests above: if revisions never moved, "unchanged" would prove nothing.
    rev, srev = model.revision, model.structure_revision
    model.set_param("a", "value", 6)
    assert model.revision > rev and model.structure_revision == srev
    model.disconnect("v", 0)
    assert model.structure_revision > srev


def test_a_and_a_are_two_edges(model):
    model.add_node("sq", "multiply")
    model.connect("a", "sq", 0)
    model.connect("a", "sq", 1)
    assert model.graph.number_of_edges("a", "sq") == 2
    assert model.in_edges("sq") == [("a", "sq", 0), ("a", "sq", 1)]
    r = evaluate(model, "sq")
    assert r.grad("a") == 10  # d(a²)/da at a = 5


def remove_restore_identical(model: GraphModel, node: str) -> None:
    before = fileformat.dumps(model)
    edges_before = model.edges()
    snapshot = model.remove_node(node)
    assert node not in model
    assert all(node not in e[:2] for e in model.edges())
    assert fileformat.dumps(model) != before
    model.restore_node(snapshot)
    assert model.edges() == edges_before
    assert fileformat.dumps(model) == before


@pytest.mark.parametrize("node", ["a", "b", "c", "u", "v", "J"])
def test_remove_then_restore_puts_wires_back_in_order(model, node):
    remove_restore_identical(model, node)
    r = evaluate(model)
    assert (r.output, r.value("J"), r.grad("b"), r.grad("c")) == ("J", 33, 6, 9)


def test_restore_brings_back_the_output_and_extra_keys(model):
    snapshot = model.remove_node("J")
    assert model.output is None
    model.restore_node(snapshot)
    assert model.output == "J"
    snapshot = model.remove_node("u")
    model.restore_node(snapshot)
    assert model.edge_extra(("u", "v", 1)) == {"note": "u feeds v"}
    assert model.extra_keys("v") == {"color": "red"}


def test_remove_restore_of_a_node_wired_into_both_ports():
    model = load_example("square")
    remove_restore_identical(model, "a")
    remove_restore_identical(model, "sq")


def test_undo_of_several_removals_in_reverse_order():
    rng = random.Random(7)
    m = GraphModel()
    ids = []
    for i in range(4):
        ids.append(m.add_node(f"i{i}", "input", params={"value": i + 0.5}))
    for i in range(20):
        op = rng.choice(["add", "multiply", "scale"])
        node = m.add_node(f"n{i}", op)
        for port in range(2 if op != "scale" else 1):
            m.connect(rng.choice(ids), node, port)
        ids.append(node)
    before = fileformat.dumps(m)
    order = ids[:]
    rng.shuffle(order)
    snapshots = [m.remove_node(n) for n in order[:12]]
    assert len(m) == len(ids) - 12
    for snap in reversed(snapshots):
        m.restore_node(snap)
    assert fileformat.dumps(m) == before


def test_disconnect_and_reconnect_at_the_old_position(model):
    before = fileformat.dumps(model)
    edge, extra, index = model.disconnect("v", 1)
    assert (edge, extra, index) == (("u", "v", 1), {"note": "u feeds v"}, 3)
    model.connect(*edge, extra=extra, position=index)
    assert fileformat.dumps(model) == before
