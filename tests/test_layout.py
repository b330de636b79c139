"""Auto-layout (Qt-free): columns left to right, no overlaps, few crossings."""

from __future__ import annotations

import random

import networkx as nx

from conftest import load_example
from gradstudio.core import GraphModel
from gradstudio.core.layout import (MIN_COLUMN_DX, aligned, auto_layout, count_crossings,
                                    layers, overlapping, snap, snap_point)


def naive_layout(model):
    """What a plain layering gives: columns by generation, rows in node order."""
    pos = {}
    for col, generation in enumerate(nx.topological_generations(model.graph)):
        ordered = sorted(generation, key=list(model.graph.nodes).index)
        for row, n in enumerate(ordered):
            pos[n] = (col * MIN_COLUMN_DX, row * 150.0)
    return pos


def tangled():
    """Inputs listed in an order that makes a naive layout cross its wires."""
    model = GraphModel()
    for n in ("a", "b", "c", "d", "e", "f"):
        model.add_node(n, "input")
    pairs = [("m1", "a", "f"), ("m2", "b", "e"), ("m3", "c", "d")]
    for node, x, y in pairs:
        model.add_node(node, "multiply")
        model.connect(x, node, 0)
        model.connect(y, node, 1)
    model.add_node("s1", "add")
    model.connect("m3", "s1", 0)
    model.connect("m1", "s1", 1)
    model.add_node("s2", "add")
    model.connect("s1", "s2", 0)
    model.connect("m2", "s2", 1)
    return model


def random_dag(seed, n=30):
    rng = random.Random(seed)
    model = GraphModel()
    for i in range(6):
        model.add_node(f"x{i}", "input")
    ids = [f"x{i}" for i in range(6)]
    for i in range(n):
        op = rng.choice(["add", "multiply", "subtract", "tanh", "exp"])
        node = f"n{i}"
        model.add_node(node, op)
        for port in range(model.op_of(node).ports):
            model.connect(rng.choice(ids[-12:]), node, port)
        ids.append(node)
    return model


def test_every_wire_goes_right_and_columns_are_at_least_300_apart():
    model = random_dag(1)
    pos = auto_layout(model)
    layer = layers(model)
    for u, v, _p in model.edges():
        assert pos[u][0] < pos[v][0]
        assert layer[u] < layer[v]
    xs = sorted({x for x, _ in pos.values()})
    assert all(b - a >= 300 for a, b in zip(xs, xs[1:]))
    assert min(xs) == 0 and min(y for _, y in pos.values()) == 0


def test_no_two_nodes_overlap_even_with_wide_nodes():
    for seed in range(5):
        model = random_dag(seed)
        sizes = {n: (140 + 10 * (i % 7), 70) for i, n in enumerate(model.nodes())}
        pos = auto_layout(model, sizes)
        assert not overlapping(pos, sizes), seed
        # a column leaves at least 100 px for labels after its widest node
        for u, v, _p in model.edges():
            assert pos[v][0] - (pos[u][0] + sizes[u][0]) >= 100


def test_crossings_are_not_worse_than_a_naive_layout():
    model = tangled()
    naive, auto = naive_layout(model), auto_layout(model)
    assert count_crossings(model, naive) > 0
    assert count_crossings(model, auto) == 0
    for seed in range(8):
        model = random_dag(seed, 20)
        assert count_crossings(model, auto_layout(model)) <= \
            count_crossings(model, naive_layout(model)), seed


def test_examples_lay_out_without_crossings(example_name):
    model = load_example(example_name)
    pos = auto_layout(model)
    assert count_crossings(model, pos) == 0
    assert not overlapping(pos)


def test_inputs_sit_just_before_their_first_consumer():
    model = load_example("chain_rule")
    layer = layers(model)
    assert layer["b"] == layer["c"] == 0 and layer["u"] == 1
    assert layer["a"] == 1 and layer["v"] == 2  # a feeds v only


def test_port_0_is_above_port_1():
    model = GraphModel()
    model.add_node("b", "input")
    model.add_node("c", "input")
    model.add_node("u", "divide")
    model.connect("c", "u", 0)  # c listed second but feeds port 0
    model.connect("b", "u", 1)
    pos = auto_layout(model)
    assert pos["c"][1] < pos["b"][1]


def test_empty_and_single_node_graphs():
    assert auto_layout(GraphModel()) == {}
    model = GraphModel()
    model.add_node("a", "input")
    assert auto_layout(model) == {"a": (0, 0)}


def test_snap_and_align_helpers():
    assert snap(29) == 20 and snap(31) == 40 and snap(-9) == 0
    assert snap_point(149.9, 10.1) == (140, 20)
    pos = {"a": (10, 50), "b": (40, 20)}
    assert aligned(pos, "left") == {"a": (10, 50), "b": (10, 20)}
    assert aligned(pos, "top") == {"a": (10, 20), "b": (40, 20)}
