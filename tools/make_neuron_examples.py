"""Write resources/examples/logistic_neuron.json and tanh_neuron.json.

Built with the model and fileformat.save (file format v1), laid out by
gradstudio.core.layout with room for the labels on the wires. Run from the
repository root: ``python tools/make_neuron_examples.py``.
"""

from __future__ import annotations

from pathlib import Path

from gradstudio.core import GraphModel, fileformat
from gradstudio.core.layout import apply_layout, auto_layout

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"

# Each node: (id, op, params); each edge: (from, to, port).


def neuron(inputs, ops, edges, output) -> GraphModel:
    model = GraphModel()
    for node_id, value in inputs:
        model.add_node(node_id, "input", label=node_id, params={"value": value})
    for node_id, op, params in ops:
        model.add_node(node_id, op, label=node_id, params=params)
    for edge in edges:
        model.connect(*edge)
    model.set_output(output)
    # Wide columns and rows: every wire carries two label chips after Backward.
    apply_layout(model, auto_layout(model, row_dy=190, column_gap=240))
    return model


def logistic_neuron() -> GraphModel:
    """z = w1·x1 + w2·x2 + b, a = σ(z), L = −log a (the loss for the label y = 1)."""
    return neuron(
        inputs=[("w1", 0.5), ("x1", 2), ("w2", -1), ("x2", 1), ("b", 0.5)],
        ops=[("p1", "multiply", {}), ("p2", "multiply", {}), ("s", "add", {}),
             ("z", "add", {}), ("a", "sigmoid", {}), ("q", "log", {}),
             ("L", "scale", {"factor": -1})],
        edges=[("w1", "p1", 0), ("x1", "p1", 1), ("w2", "p2", 0), ("x2", "p2", 1),
               ("p1", "s", 0), ("p2", "s", 1), ("s", "z", 0), ("b", "z", 1),
               ("z", "a", 0), ("a", "q", 0), ("q", "L", 0)],
        output="L")


def tanh_neuron() -> GraphModel:
    """micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b), b chosen so that o = √½."""
    return neuron(
        inputs=[("x1", 2), ("w1", -3), ("x2", 0), ("w2", 1), ("b", 6.8813735870195432)],
        ops=[("x1w1", "multiply", {}), ("x2w2", "multiply", {}), ("s", "add", {}),
             ("n", "add", {}), ("o", "tanh", {})],
        edges=[("x1", "x1w1", 0), ("w1", "x1w1", 1), ("x2", "x2w2", 0), ("w2", "x2w2", 1),
               ("x1w1", "s", 0), ("x2w2", "s", 1), ("s", "n", 0), ("b", "n", 1),
               ("n", "o", 0)],
        output="o")


if __name__ == "__main__":
    for name, make in (("logistic_neuron", logistic_neuron), ("tanh_neuron", tanh_neuron)):
        fileformat.save(make(), EXAMPLES / f"{name}.json")
        print("wrote", EXAMPLES / f"{name}.json")
