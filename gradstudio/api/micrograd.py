"""``from_micrograd``: a micrograd expression (its Values) as a gradstudio Graph.

A Value is read through ``data``, ``_prev`` (its operands, a set) and ``_op``:
``+`` and ``*`` (one operand: ``a + a``, ``a * a``), ``**k``, ``ReLU``, and the
lecture variant's ``tanh`` and ``exp`` (whose Values carry a ``label``). micrograd
writes ``-b`` as ``b * -1``, ``a - b`` as ``a + b*-1`` and ``a / b`` as
``a * b**-1``, with every number as a leaf Value: those become what they are, and
each leaf an input node. Nothing of micrograd is imported: any object with those
attributes will do.

Node ids: the name given in ``names``, else the Value's label, else a generated
one: ``k1, k2, …`` for unnamed leaves (a number's box shows its value; labelled with
the number, a chip would read ``∂h/∂-1``), ``u, v, w, …``
for operations in the order they are computed, ``f`` for the result. The graph is
checked by the file loader (its messages) and laid out when first drawn.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from gradstudio.api.graph import Graph
from gradstudio.core import fileformat
from gradstudio.core.errors import GraphError
from gradstudio.core.formula import DEFAULT_OUTPUT, OP_NAMES

BINARY = {"+": "add", "*": "multiply"}
UNARY = {"ReLU": "relu", "relu": "relu", "tanh": "tanh", "exp": "exp", "log": "log",
         "sigmoid": "sigmoid", "sin": "sin", "cos": "cos"}
KNOWN = "+, *, **k, ReLU, tanh, exp, log, sigmoid, sin, cos"
WHERE = "from_micrograd"


def from_micrograd(value, names: Mapping | None = None) -> Graph:
    """The graph of the expression ``value`` is the result of, output ``value``.

    ``names`` maps node names to Values of the expression (usually its leaves).
    ``graph.name_of(v)`` tells which node a Value became. GraphError for an op
    gradstudio does not know, or a name that is not part of the expression.
    """
    given = {id(v): n for n, v in names.items()} if isinstance(names, Mapping) else {}
    order, children = _walk(value, given)
    ids, _generated = _ids(order, value, names)
    nodes, edges = [], []
    for v in order:
        node_id = ids[id(v)]
        node: dict = {"id": node_id}
        label = _label(v)
        if label and label != node_id:
            node["label"] = label
        kids = children[id(v)]
        op = v._op
        if not kids:
            node.update(op="input", value=_number(v.data))  # a number: its box shows it
            nodes.append(node)
            continue
        if op in BINARY:
            if len(kids) > 2:
                raise GraphError(f"{WHERE}: {op!r} of {len(kids)} Values: expected two")
            node["op"] = BINARY[op]
            sources = kids * 2 if len(kids) == 1 else kids  # a + a: both ports
        elif isinstance(op, str) and op.startswith("**"):
            node.update(op="power", exponent=_exponent(op))
            sources = kids
        elif op in UNARY:
            node["op"] = UNARY[op]
            sources = kids
        else:
            raise GraphError(f"{WHERE}: the op {op!r} (a Value with data {v.data!r}) is not one "
                             f"gradstudio knows (known: {KNOWN})")
        if op not in BINARY and len(kids) != 1:
            raise GraphError(f"{WHERE}: {op!r} of {len(kids)} Values: expected one")
        nodes.append(node)
        edges.extend({"from": ids[id(c)], "to": node_id, "port": p}
                     for p, c in enumerate(sources))
    doc = {"format": fileformat.FORMAT_NAME, "version": fileformat.VERSION,
           "output": ids[id(value)], "nodes": nodes, "edges": edges}
    graph = Graph(fileformat.from_dict(doc, WHERE), laid_out=False)
    graph._micrograd_ids = ids
    graph._micrograd_values = order
    return graph


def _is_value(v) -> bool:
    return all(hasattr(v, a) for a in ("data", "_prev", "_op"))


def _walk(root, given: dict[int, str]) -> tuple[list, dict[int, list]]:
    """Every Value of the expression once, operands before results (no recursion),
    and each one's operands in a stable order (see _operand_key)."""
    if not _is_value(root):
        raise GraphError(f"{WHERE}: {_short(root)} is not a micrograd Value "
                         "(it needs data, _prev and _op)")
    order: list = []
    children: dict[int, list] = {}
    stack = [(root, False)]
    while stack:
        v, expanded = stack.pop()
        if expanded:
            order.append(v)
            continue
        if id(v) in children:
            continue
        kids = list(v._prev)
        for c in kids:
            if not _is_value(c):
                raise GraphError(f"{WHERE}: an operand of {_short(v)} is {_short(c)}, "
                                 "not a micrograd Value")
        kids.sort(key=lambda c: _operand_key(c, given))
        children[id(v)] = kids
        stack.append((v, True))
        stack.extend((c, False) for c in reversed(kids) if id(c) not in children)
    return order, children


def _operand_key(v, given: dict[int, str]):
    """Operands of + and * come as a set: named or labelled ones first, by name,
    then leaves (numbers) before results, then by op and value (so that the same
    expression gets the same node names every time)."""
    name = given.get(id(v)) or _label(v)
    return (name is None, str(name or ""), bool(v._prev), str(v._op), _sortable(v.data))


def _sortable(data) -> float:
    try:
        return float(data)
    except (TypeError, ValueError):
        return 0.0


def _label(v) -> str | None:
    label = getattr(v, "label", None)
    return label if isinstance(label, str) and label else None


def _ids(order: list, root, names) -> tuple[dict[int, str], set[int]]:
    """A node id for every Value: given name, label, or generated (see the module doc);
    and which Values got a generated one."""
    in_graph = {id(v) for v in order}
    ids: dict[int, str] = {}
    if names is not None and not isinstance(names, Mapping):
        raise GraphError(f"{WHERE}: names must map names to Values, not {_short(names)}")
    for name, v in (names or {}).items():
        if id(v) not in in_graph:
            raise GraphError(f"{WHERE}: names[{name!r}] is not a Value of the expression")
        if id(v) in ids:
            raise GraphError(f"{WHERE}: names {ids[id(v)]!r} and {name!r} are the same Value")
        ids[id(v)] = name  # the loader checks it is a usable id
    taken = set(ids.values())
    for v in order:  # labels next, first come first served
        label = _label(v)
        if label is not None and id(v) not in ids:
            node_id = label
            for n in itertools.count(2):
                if node_id not in taken:
                    break
                node_id = f"{label}_{n}"
            ids[id(v)] = node_id
            taken.add(node_id)
    taken.update(str(name) for name in ids.values())

    def fresh(candidates):
        for name in candidates:
            if name not in taken:
                taken.add(name)
                return name

    leaf_names = (f"k{n}" for n in itertools.count(1))
    op_names = ((stem if n == 0 else f"{stem}{n}") for n in itertools.count()
                for stem in OP_NAMES)
    if id(root) not in ids and root._prev:
        ids[id(root)] = fresh(itertools.chain([DEFAULT_OUTPUT],
                                              (f"{DEFAULT_OUTPUT}{n}" for n in itertools.count(1))))
    generated = set()
    for v in order:
        if id(v) not in ids:
            ids[id(v)] = fresh(op_names if v._prev else leaf_names)
            generated.add(id(v))
    return ids, generated


def _number(data) -> float:
    try:
        return float(data)
    except (TypeError, ValueError):
        raise GraphError(f"{WHERE}: a Value's data {_short(data)} is not a number") from None


def _exponent(op: str) -> float:
    try:
        return float(op[2:])
    except ValueError:
        raise GraphError(f"{WHERE}: the op {op!r} has no number for its exponent") from None


def _short(obj) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."
