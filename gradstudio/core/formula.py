"""Formula entry: ``J = 3*(a + b*c), a=5, b=3, c=2`` becomes a laid-out graph.

The formula is Python syntax, read with ``ast`` (never evaluated). The rules,
documented for users in docs/formula.md:

- ``J = ...`` names the output node (its id and label); without it the output
  is called ``f``.
- Each name is one input node (id and label the name, value 1 unless set); a
  name used several times fans out, ``a*a`` wires one node into both ports.
- ``+ - * /`` are add, subtract, multiply and divide nodes; ``-x`` is a scale
  node with factor -1; ``+x`` is x.
- A number times an expression (either side) is a scale node; ``x ** k`` with a
  number k is a power node. Other exponents are refused.
- ``exp log tanh sigmoid (or σ) relu sin cos`` with one argument are their nodes.
- Parts without any name are folded to one number (``2*3*a`` is a scale by 6,
  ``x ** (1/2)`` a power 0.5). A number left over anywhere else (``b + 1``,
  ``1 / x``) is an input node labelled with the number; each such number is
  its own node.
- Operation nodes are named u, v, w, p, q, r, s, t, … in the order they are
  computed (innermost first), skipping names the formula uses, so
  ``J = 3*(a + b*c)`` gives u = b·c, v = a + u, J = 3·v as in the course notes.
- ``, a=5, b=3`` after the formula sets input values.

Every refusal is a GraphError ``formula: column N: ...`` (N counts characters
from 1 in the text as typed).
"""

from __future__ import annotations

import ast
import math
import re

from gradstudio.core.errors import GraphError
from gradstudio.core.model import GraphModel
from gradstudio.core.ops import format_param

FUNCTIONS = {"exp": "exp", "log": "log", "tanh": "tanh", "sigmoid": "sigmoid", "σ": "sigmoid",
             "relu": "relu", "sin": "sin", "cos": "cos"}
BINARY = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide"}
OP_NAMES = ("u", "v", "w", "p", "q", "r", "s", "t", "g", "h")
DEFAULT_OUTPUT = "f"
# Typographic signs a teacher may paste; each is one character, so columns stay right.
SIGNS = str.maketrans({"\u2212": "-", "×": "*", "·": "*", "÷": "/", "\n": " ", "\t": " "})
SETTING = re.compile(r"^\s*([^\W\d]\w*)\s*=\s*(\S.*?)\s*$")


class FormulaError(GraphError):
    """A refused formula; the message points at the column."""


def _fail(column: int, message: str):
    raise FormulaError(f"formula: column {column}: {message}")


class Formula:
    """A parsed formula: the output name, the expression tree and the values set."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise FormulaError("formula: empty: write something like J = 3*(a + b*c)")
        self.text = text.translate(SIGNS)
        self.output: str | None = None
        self.values: dict[str, float] = {}
        parts = _split_top_level(self.text)
        start, first = parts[0]
        self.expr, self.offset = self._parse_main(first, start)
        self.names = _names_in(self.expr)
        for start, part in parts[1:]:
            self._parse_setting(part, start)

    # ---------------------------------------------------------------- parsing
    def column(self, node: ast.AST, offset: int) -> int:
        """1-based character column in the text of an ast node's start."""
        return self.column_at(getattr(node, "col_offset", 0), offset)

    def column_at(self, byte_col: int, offset: int) -> int:
        """ast counts UTF-8 bytes from where a part starts; people count characters."""
        line = self.text[offset:]
        chars = len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
        return offset + chars + 1

    def _parse(self, text: str, start: int) -> ast.Module:
        stripped = text.lstrip()
        start += len(text) - len(stripped)
        if not stripped.strip():
            _fail(start + 1, "nothing here")
        try:
            return ast.parse(stripped, mode="exec"), start
        except SyntaxError as exc:
            msg = exc.msg or "invalid syntax"
            if msg == "invalid syntax" and exc.offset is not None:
                near = stripped[exc.offset - 1: exc.offset]
                if near:
                    msg = f"unexpected {near!r}"
            col = start + (exc.offset or 1)
            _fail(col, msg)

    def _parse_main(self, text: str, start: int):
        module, start = self._parse(text, start)
        if len(module.body) != 1:
            _fail(self.column(module.body[1], start), "one formula only (no ';')")
        stmt = module.body[0]
        if isinstance(stmt, ast.Expr):
            return stmt.value, start
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                _fail(self.column(stmt, start),
                      "the left-hand side must be one name, as in J = 3*(a + b*c)")
            self.output = stmt.targets[0].id
            return stmt.value, start
        _fail(self.column(stmt, start), "expected a formula such as J = 3*(a + b*c)")

    def _parse_setting(self, text: str, start: int) -> None:
        module, start = self._parse(text, start)
        stmt = module.body[0] if len(module.body) == 1 else None
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            _fail(start + 1, "after the formula, set values as name=number, e.g. a=5")
        name = stmt.targets[0].id
        if name not in self.names:
            _fail(self.column(stmt, start), f"{name!r} is not a name in the formula")
        value = _literal(stmt.value)
        if value is None:
            _fail(self.column(stmt.value, start), f"the value of {name} must be a number")
        self.values[name] = value


def _split_top_level(text: str) -> list[tuple[int, str]]:
    """Split at commas outside brackets: [(start index, part), ...]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append((start, text[start:i]))
            start = i + 1
    parts.append((start, text[start:]))
    return parts


def _names_in(expr: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and node.id not in names:
            names.append(node.id)
    return names


def _literal(node: ast.AST) -> float | None:
    """A plain number, possibly signed: 5, -2.5, 1e-3."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)):
        value = sign * float(node.value)
        return value if math.isfinite(value) else None
    return None


def parse_setting(text: str) -> tuple[str, float]:
    """``a=5`` (as given to --set) → ("a", 5.0); GraphError otherwise."""
    match = SETTING.match(text.translate(SIGNS))
    if not match:
        raise GraphError(f"--set: {text!r} is not NAME=NUMBER (e.g. a=5)")
    name, raw = match.groups()
    try:
        value = float(raw)
    except ValueError:
        raise GraphError(f"--set: {name}: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise GraphError(f"--set: {name}: {raw!r} is not a finite number")
    return name, value


# ------------------------------------------------------------------- building
class _Builder:
    def __init__(self, formula: Formula) -> None:
        self.f = formula
        self.model = GraphModel()
        self.taken = set(formula.names)
        if formula.output is not None:
            self.taken.add(formula.output)
        self._op_names = self._fresh(
            (stem if n == 0 else f"{stem}{n}") for n in range(10_000) for stem in OP_NAMES)
        self._const_names = self._fresh(f"k{n}" for n in range(1, 100_000))

    def _fresh(self, candidates):
        def next_name():
            for name in candidates:
                if name not in self.taken:
                    self.taken.add(name)
                    return name
            raise FormulaError("formula: too many nodes")  # pragma: no cover
        return next_name

    def col(self, node) -> int:
        return self.f.column(node, self.f.offset)

    def op_col(self, node: ast.BinOp) -> int:
        """The column of a binary operator's sign (between its two operands)."""
        after_left = self.f.column_at(node.left.end_col_offset, self.f.offset)
        before_right = self.col(node.right)
        for i in range(after_left - 1, before_right - 1):
            if self.f.text[i] not in " )":
                return i + 1
        return self.col(node)  # pragma: no cover - there is always a sign

    # a value is ("node", id) or ("number", float)
    def visit(self, node):
        folded = self.fold(node)
        if folded is not None:
            return ("number", folded, node)
        if isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                _fail(self.col(node), f"{node.id} is a function: write {node.id}(x)")
            if node.id == self.f.output:
                _fail(self.col(node), f"the output {node.id} cannot also be an input")
            if node.id not in self.model:
                self.model.add_node(node.id, "input", label=node.id,
                                    params={"value": self.f.values.get(node.id, 1.0)})
            return ("node", node.id, node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.visit(node.operand)
            if isinstance(node.op, ast.USub):
                inner = self.node_of(self.visit(node.operand))
                return self.op("scale", [inner], {"factor": -1.0})
            _fail(self.col(node), "only + and - can stand before a value")
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Constant):
            _fail(self.col(node), f"{node.value!r} is not a number")
        _fail(self.col(node), f"{_describe(node)} is not part of formula syntax "
                              "(use + - * / **, numbers, names and exp log tanh sigmoid "
                              "relu sin cos)")

    def binop(self, node: ast.BinOp):
        kind = type(node.op)
        if kind is ast.BitXor:
            _fail(self.op_col(node), "write ** for a power (x**2), not ^")
        if kind is ast.Pow:
            exponent = self.fold(node.right)
            if exponent is None:
                _fail(self.col(node.right), "the exponent must be a number (x ** 2); "
                                            "for a^b write exp(b*log(a))")
            base = self.visit(node.left)
            if base[0] == "number":  # pragma: no cover - folded before
                return ("number", base[1] ** exponent, node)
            return self.op("power", [base[1]], {"exponent": exponent})
        if kind is ast.Mult:
            left, right = self.fold(node.left), self.fold(node.right)
            if left is not None and right is None:
                return self.op("scale", [self.node_of(self.visit(node.right))], {"factor": left})
            if right is not None and left is None:
                return self.op("scale", [self.node_of(self.visit(node.left))], {"factor": right})
        if kind not in BINARY:
            symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                      ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&"}.get(kind, "this")
            _fail(self.op_col(node), f"{symbol!r} is not supported (use + - * / **)")
        a = self.node_of(self.visit(node.left))
        b = self.node_of(self.visit(node.right))
        return self.op(BINARY[kind], [a, b], {})

    def call(self, node: ast.Call):
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            name = func.id if isinstance(func, ast.Name) else _describe(func)
            _fail(self.col(node), f"unknown function {name} (known: exp, log, tanh, "
                                  "sigmoid, relu, sin, cos)")
        if len(node.args) != 1 or node.keywords:
            _fail(self.col(node), f"{func.id} takes exactly one argument")
        if isinstance(node.args[0], ast.Starred):
            _fail(self.col(node.args[0]), f"{func.id} takes exactly one argument")
        arg = self.node_of(self.visit(node.args[0]))
        return self.op(FUNCTIONS[func.id], [arg], {})

    def node_of(self, value) -> str:
        """A node for a value: a number left over becomes an input labelled with it."""
        if value[0] == "node":
            return value[1]
        number = value[1]
        node_id = self._const_names()
        self.model.add_node(node_id, "input", label=format_param(number),
                            params={"value": number})
        return node_id

    def op(self, op: str, inputs: list[str], params: dict):
        node_id = self._op_names()
        self.model.add_node(node_id, op, params=params)
        for port, source in enumerate(inputs):
            self.model.connect(source, node_id, port)
        return ("node", node_id, None)

    def fold(self, node) -> float | None:
        """The number a name-free part stands for, or None if it has names."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                return None
            value = float(node.value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.fold(node.operand)
            if inner is None:
                return None
            value = -inner if isinstance(node.op, ast.USub) else inner
        elif isinstance(node, ast.BinOp) and type(node.op) in (*BINARY, ast.Pow):
            left, right = self.fold(node.left), self.fold(node.right)
            if left is None or right is None:
                return None
            try:
                value = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                         ast.Mult: lambda: left * right, ast.Div: lambda: left / right,
                         ast.Pow: lambda: left ** right}[type(node.op)]()
            except (ZeroDivisionError, OverflowError):
                value = math.nan
            if isinstance(value, complex):
                value = math.nan
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in FUNCTIONS and len(node.args) == 1 and not node.keywords):
            inner = self.fold(node.args[0])
            if inner is None:
                return None
            from gradstudio.core.ops import OPS
            value = OPS[FUNCTIONS[node.func.id]].forward(inner)
        else:
            return None
        if not math.isfinite(value):
            _fail(self.col(node), "this constant part has no finite value")
        return value


def _describe(node: ast.AST) -> str:
    return {ast.Compare: "a comparison", ast.Subscript: "indexing", ast.Attribute: "a dot",
            ast.Lambda: "lambda", ast.IfExp: "if/else", ast.BoolOp: "and/or",
            ast.Tuple: "a tuple", ast.List: "a list", ast.Dict: "a dict",
            ast.Set: "a set", ast.JoinedStr: "a string"}.get(type(node), type(node).__name__)


def build(text: str, values: dict[str, float] | None = None, *,
          layout: bool = True) -> GraphModel:
    """The graph of a formula, laid out left to right, output set.

    ``values`` (e.g. from --set) adds to and overrides the values in the text.
    """
    formula = Formula(text)
    for name in values or {}:
        if name not in formula.names:
            raise FormulaError(f"--set: {name!r} is not a name in the formula "
                               f"(names: {', '.join(formula.names) or 'none'})")
    formula.values.update(values or {})
    builder = _Builder(formula)
    top = builder.visit(formula.expr)
    if top[0] == "number":
        _fail(formula.column(formula.expr, formula.offset),
              "the formula has no names: nothing to differentiate")
    if top[2] is not None and isinstance(top[2], ast.Name):
        _fail(formula.column(formula.expr, formula.offset),
              f"the formula is just the input {top[1]}: write an operation, e.g. 2*{top[1]}")
    model = builder.model
    out = top[1]
    name = formula.output or _unused(DEFAULT_OUTPUT, builder.taken)
    if name != out:
        _rename(model, out, name)
    model.set_output(name)
    if layout:
        from gradstudio.core.layout import apply_layout, auto_layout
        apply_layout(model, auto_layout(model))
    return model


def _unused(stem: str, taken: set) -> str:
    name, n = stem, 1
    while name in taken:
        name, n = f"{stem}{n}", n + 1
    return name


def _rename(model: GraphModel, old: str, new: str) -> None:
    """Give the last node its output name (it has no outgoing wires yet)."""
    data = dict(model.node_data(old))
    op = data.pop("op")
    params = {k: data[k] for k in model.params(old)}
    inputs = model.in_edges(old)
    model.remove_node(old)
    model.add_node(new, op, label=new, params=params)
    for source, _target, port in inputs:
        model.connect(source, new, port)
