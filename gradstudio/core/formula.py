"""Formula entry: ``J = 3*(a + b*c), a=5, b=3, c=2`` becomes a laid-out graph.

``formulaparse`` reads the text (its syntax and refusals are described there and
in docs/formula.md); here the tree becomes nodes and wires, named u, v, w, … in
the order they are computed, and is laid out left to right.
"""

from __future__ import annotations

import itertools
import math

from gradstudio.core.errors import GraphError
from gradstudio.core.formulaparse import FUNCTIONS, Formula, FormulaError, Node, fail, shorten
from gradstudio.core.model import GraphModel
from gradstudio.core.ops import format_param

BINARY = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
OP_NAMES = ("u", "v", "w", "p", "q", "r", "s", "t", "g", "h")
DEFAULT_OUTPUT = "f"


class _Builder:
    """Nodes and wires of the tree, made in one pass after it (no recursion): children
    left to right before their parent, so names come innermost first."""

    def __init__(self, formula: Formula) -> None:
        self.f = formula
        self.nodes: dict[str, dict] = {}
        self.edges: list[tuple[str, str, int]] = []
        self.taken = set(formula.names)
        if formula.output is not None:
            self.taken.add(formula.output)
        stems = ((stem if n == 0 else f"{stem}{n}") for n in itertools.count()
                 for stem in OP_NAMES)
        self._op_names = self._fresh(stems)
        self._const_names = self._fresh(f"k{n}" for n in itertools.count(1))

    def _fresh(self, candidates):
        def next_name():
            for name in candidates:
                if name not in self.taken:
                    self.taken.add(name)
                    return name
        return next_name

    def build(self, root: Node):
        """What the root stands for: ("node", id) or ("number", value)."""
        stack = [(root, False, False)]  # (part, its children made, made into a node)
        while stack:
            node, children_done, as_node = stack.pop()
            if node.value is not None:  # a number; where it is wired, an input node now
                node.made = ("number", node.value)
                if as_node:
                    node.made = ("node", self.node_of(node.made))
            elif not children_done and node.args:
                stack.append((node, True, as_node))
                stack.extend(reversed(list(zip(node.args, (False, False), self.wired(node)))))
            else:
                node.made = self.make(node)
                for arg in node.args:
                    arg.made = None  # the tree need not hold the results any longer
        return root.made

    @staticmethod
    def wired(node: Node) -> tuple[bool, ...]:
        """Which of a part's arguments become nodes wired into it (not a factor of a
        scale or an exponent of a power, which become params)."""
        if node.kind != "binary":
            return (True,)
        left, right = node.args
        if node.op == "**":
            return (True, False)
        if node.op == "*" and (left.value is None) != (right.value is None):
            return (left.value is None, right.value is None)
        return (True, True)

    def make(self, node: Node):
        if node.kind == "name":
            if node.op not in self.nodes:
                self.nodes[node.op] = {"op": "input", "label": node.op,
                                       "value": self.f.values.get(node.op, 1.0)}
            return ("node", node.op)
        if node.kind == "negate":
            return self.op("scale", [node.args[0].made[1]], {"factor": -1.0})
        if node.kind == "call":
            return self.op(FUNCTIONS[node.op], [node.args[0].made[1]], {})
        left, right = node.args
        if node.op == "**":
            return self.op("power", [left.made[1]], {"exponent": right.value})
        if node.op == "*" and left.value is not None:
            return self.op("scale", [right.made[1]], {"factor": left.value})
        if node.op == "*" and right.value is not None:
            return self.op("scale", [left.made[1]], {"factor": right.value})
        return self.op(BINARY[node.op], [left.made[1], right.made[1]], {})

    def node_of(self, made) -> str:
        """A node for a value: a number left over becomes an input labelled with it."""
        kind, value = made
        if kind == "node":
            return value
        node_id = self._const_names()
        self.nodes[node_id] = {"op": "input", "label": format_param(value), "value": value}
        return node_id

    def op(self, op: str, inputs: list[str], params: dict):
        node_id = self._op_names()
        self.nodes[node_id] = {"op": op, **params}
        for port, source in enumerate(inputs):
            self.edges.append((source, node_id, port))
        return ("node", node_id)


def build(text: str, values: dict[str, float] | None = None, *,
          layout: bool = True) -> GraphModel:
    """The graph of a formula, laid out left to right, output set.

    ``values`` (e.g. from --set) adds to and overrides the values in the text.
    Raises FormulaError (a GraphError) for anything it cannot build.
    """
    formula = Formula(text)
    for name, value in (values or {}).items():
        if name not in formula.names:
            raise FormulaError(f"--set: {shorten(str(name))!r} is not a name in the formula "
                               f"(names: {shorten(', '.join(formula.names), 60) or 'none'})")
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value)):
            raise FormulaError(f"--set: {shorten(name)}: {shorten(repr(value))} "
                               "is not a finite number")
    formula.values.update(values or {})
    root = formula.expr
    builder = _Builder(formula)
    top = builder.build(root)
    if top[0] == "number":
        fail(root.pos, "the formula has no names: nothing to differentiate",
              root.end - root.pos)
    if root.kind == "name":
        name = shorten(top[1])
        fail(root.pos, f"the formula is just the input {name}: write an operation, "
                        f"e.g. 2*{name}", root.end - root.pos)
    out = top[1]
    name = formula.output or _unused(DEFAULT_OUTPUT, builder.taken)
    nodes = builder.nodes
    if name != out:  # the last node made gets the output's name
        data = nodes.pop(out)
        nodes[name] = {"op": data.pop("op"), "label": name, **data}
        builder.edges = [(s, name if t == out else t, p) for s, t, p in builder.edges]
    model = GraphModel.from_checked(nodes.items(), [(e, {}) for e in builder.edges],
                                    name, {}, own_data=True)
    if layout:
        from gradstudio.core.layout import apply_layout, auto_layout
        apply_layout(model, auto_layout(model))
    return model


def _unused(stem: str, taken: set) -> str:
    name, n = stem, 1
    while name in taken:
        name, n = f"{stem}{n}", n + 1
    return name
