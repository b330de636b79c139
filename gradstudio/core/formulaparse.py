"""Reading a formula: ``J = 3*(a + b*c), a=5, b=3, c=2`` becomes a tree (``Formula``);
``formula.build`` makes the graph of it.

The formula is read by a small parser of its own (a tokenizer, then operator
precedence with explicit stacks), never by Python's: nothing is evaluated, no
limit of Python's parser or recursion applies, and reading and building take
time in proportion to the length, so a formula of any length or depth either
builds or is refused in one line. The syntax is a subset of Python's expression
syntax; the rules, documented for users in docs/formula.md:

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

Every refusal is a FormulaError ``formula: column N: ...``: N counts characters
from 1 in the text as typed, and the error's ``column`` and ``width`` say which
characters to mark (a field can select them).
"""

from __future__ import annotations

import math
import re

from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS

FUNCTIONS = {"exp": "exp", "log": "log", "tanh": "tanh", "sigmoid": "sigmoid", "σ": "sigmoid",
             "relu": "relu", "sin": "sin", "cos": "cos"}
KNOWN_FUNCTIONS = "exp, log, tanh, sigmoid, relu, sin, cos"
# Typographic signs a teacher may paste; each is one character, so columns stay right.
SIGNS = str.maketrans({"\u2212": "-", "×": "*", "·": "*", "÷": "/"})
SETTING = re.compile(r"^\s*([^\W\d]\w*)\s*=\s*(\S.*?)\s*$")

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
_DIGITS = r"[0-9](?:_?[0-9])*"
_NUMBER = re.compile(rf"(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?")
_GLUED = re.compile(r"[\w.]*")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_SPACE = re.compile(r"\s+")
_SIGNS_OUT = ("**", "//", "<<", ">>", "<=", ">=", "==", "!=", ":=", "->")
# Binary operators: precedence and whether they group from the right.
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_UNARY = 3  # -x binds tighter than * but looser than ** (-a**2 is -(a**2)), as in Python
_SYNTAX_HINT = "use + - * / **, numbers, names and exp log tanh sigmoid relu sin cos"


class FormulaError(GraphError):
    """A refused formula. ``column`` (1-based, in characters of the text as typed) and
    ``width`` say where; ``reason`` is the message without its place. ``column`` is
    None for problems outside the text (a --set value)."""

    def __init__(self, message: str, column: int | None = None, width: int = 1,
                 reason: str | None = None) -> None:
        super().__init__(message)
        self.column = column
        self.width = max(1, width)
        self.reason = reason if reason is not None else message


def fail(pos: int, message: str, width: int = 1):
    """Refuse at 0-based index ``pos`` of the text."""
    raise FormulaError(f"formula: column {pos + 1}: {message}", pos + 1, width, message)


def shorten(text: str, limit: int = 24) -> str:
    """A name or number as a message shows it: long ones cut in the middle, with their size."""
    if len(text) <= limit:
        return text
    unit = "digits" if text.isdigit() else "characters"
    return f"{text[:10]}…{text[-4:]} ({len(text):,} {unit})"


def _char_text(ch: str) -> str:
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"


# ------------------------------------------------------------------- tokens
class _Token:
    __slots__ = ("kind", "text", "pos")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind = kind  # "name", "number" or "sign"
        self.text = text
        self.pos = pos

    @property
    def end(self) -> int:
        return self.pos + len(self.text)


def _tokens(text: str, start: int, stop: int) -> list[_Token]:
    """The tokens of ``text[start:stop]``, positions in the whole text."""
    found: list[_Token] = []
    pos = start
    while pos < stop:
        ch = text[pos]
        if ch.isspace():
            pos = _SPACE.match(text, pos, stop).end()
            continue
        if ch in "0123456789" or (ch == "." and text[pos + 1:pos + 2].isdigit()):
            match = _NUMBER.match(text, pos, stop)
            end = match.end() if match else pos
            if not match or (end < stop and (text[end].isalnum() or text[end] in "_.")):
                shown = text[pos:max(end + 1, _GLUED.match(text, end, stop).end())]
                fail(pos, f"{shorten(shown)!r} is not a number (for a product write 2*x)",
                      len(shown))
            found.append(_Token("number", match.group(), pos))
            pos = end
            continue
        end = _name_end(text, pos, stop)
        if end > pos:
            found.append(_Token("name", text[pos:end], pos))
            pos = end
            continue
        two = text[pos:pos + 2]
        sign = two if two in _SIGNS_OUT else ch
        found.append(_Token("sign", sign, pos))
        pos += len(sign)
    return found


def _name_end(text: str, pos: int, stop: int) -> int:
    """Where a name starting at ``pos`` ends (``pos`` if none starts there): names are
    Python identifiers (letters, digits, _, not first a digit), without NFKC folding."""
    if not text[pos].isidentifier():
        return pos
    end = pos + 1
    while end < stop:
        run = _ASCII_WORD.match(text, end, stop)
        if run:
            end = run.end()
        elif ("a" + text[end]).isidentifier():
            end += 1
        else:
            break
    return end


def _refuse_sign(token: _Token):
    """The message for a sign that has no place in a formula (or not here)."""
    sign = token.text
    if sign == "^":
        fail(token.pos, "write ** for a power (x**2), not ^")
    if sign in _SUPERSCRIPTS:
        fail(token.pos, "write ** for a power (x**2), not a superscript")
    if sign in ("//", "%", "@", "<<", ">>", "|", "&", "~"):
        fail(token.pos, f"{sign!r} is not supported (use + - * / **)", len(sign))
    if sign in ("<", ">", "<=", ">=", "==", "!="):
        fail(token.pos, f"a comparison ({sign}) is not part of a formula", len(sign))
    if sign == ".":
        fail(token.pos, "attribute access (a dot, as in a.b) is not allowed: a formula "
                         f"has plain names, and calls only {KNOWN_FUNCTIONS}")
    if sign == ";":
        fail(token.pos, "one formula only (no ';')")
    if sign == "=":
        fail(token.pos, "'=' belongs only after the output name (J = …) and in values "
                         "after the formula (, a=5)")
    if sign in ("'", '"'):
        fail(token.pos, "text in quotes is not part of a formula")
    if sign in "[]{}":
        fail(token.pos, f"{sign!r}: lists, indexing and braces are not part of a formula")
    fail(token.pos, f"{_char_text(sign) if len(sign) == 1 else repr(sign)} is not part of "
                     f"formula syntax ({_SYNTAX_HINT})", len(sign))


# ----------------------------------------------------------------- the tree
class Node:
    """A part of the formula: a name, a number, an operation or a function call.

    ``value`` is the number a name-free part folds to (None when it has names);
    ``pos``/``end`` its span in the text; ``made`` what building it gave."""

    __slots__ = ("kind", "op", "args", "pos", "end", "value", "made")

    def __init__(self, kind, op, args, pos, end, value) -> None:
        self.kind = kind  # "name", "number", "binary", "negate" or "call"
        self.op = op  # the name, the sign, or the function's name
        self.args = args
        self.pos = pos
        self.end = end
        self.value = value
        self.made = None


def _folded(node: Node) -> Node:
    """Check a name-free part's number: a constant with no finite value is refused."""
    if node.value is not None and not math.isfinite(node.value):
        if node.kind == "number":
            fail(node.pos, f"{shorten(node.op)} is too large a number "
                            "(the largest is about 1.8e308)", node.end - node.pos)
        fail(node.pos, "this constant part has no finite value", node.end - node.pos)
    return node


def _combine(sign: str, left: Node, right: Node) -> Node:
    value = None
    if left.value is not None and right.value is not None:
        a, b = left.value, right.value
        try:
            value = (a + b if sign == "+" else a - b if sign == "-" else a * b if sign == "*"
                     else a / b if sign == "/" else a ** b)
        except (ZeroDivisionError, OverflowError):
            value = math.nan
        if isinstance(value, complex):  # (-8) ** (1/3)
            value = math.nan
    elif sign == "**" and right.value is None:
        fail(right.pos, "the exponent must be a number (x ** 2); for a^b write exp(b*log(a))",
              right.end - right.pos)
    return _folded(Node("binary", sign, (left, right), left.pos, right.end, value))


def _negate(pos: int, operand: Node) -> Node:
    value = -operand.value if operand.value is not None else None
    return _folded(Node("negate", "-", (operand,), pos, operand.end, value))


def _call(name_token: _Token, arg: Node, end: int) -> Node:
    value = None
    if arg.value is not None:
        try:
            value = float(OPS[FUNCTIONS[name_token.text]].forward(arg.value))
        except (ArithmeticError, ValueError):
            value = math.nan
    return _folded(Node("call", name_token.text, (arg,), name_token.pos, end, value))


class _Parser:
    """Operator precedence with explicit stacks (no recursion, any depth)."""

    def __init__(self, tokens: list[_Token], output: str | None, end: int) -> None:
        self.tokens = tokens
        self.output = output
        self.end = end  # where the part ends, for "nothing here"
        self.operands: list[Node] = []
        # (kind, token, bracket): "binary" and "unary" with their sign; "paren" with its
        # '('; "call" with the function's name and its '('.
        self.pending: list[tuple[str, _Token, _Token | None]] = []
        self.names: dict[str, None] = {}  # in the order they first appear

    def parse(self) -> Node:
        tokens, i, n = self.tokens, 0, len(self.tokens)
        want_operand = True
        while i < n:
            token = tokens[i]
            if want_operand:
                i, want_operand = self._operand(i)
                continue
            text = token.text
            if token.kind != "sign":
                fail(token.pos, f"missing operator before {shorten(text)!r} "
                                 "(write * for a product)", len(text))
            if text in _PRECEDENCE:
                self._reduce_for(text)
                self.pending.append(("binary", token, None))
                want_operand = True
            elif text == ")":
                self._close(token)
            elif text == ",":
                self._comma(token)
            elif text == "(":
                fail(token.pos, "missing operator before '(' (write * for a product)")
            else:
                _refuse_sign(token)
            i += 1
        if want_operand:
            self._missing_operand()
        self._reduce_for(None)
        if self.pending:  # only brackets are left
            fail(self.pending[-1][2].pos, "'(' was never closed")
        return self.operands[0]

    def _operand(self, i: int) -> tuple[int, bool]:
        """Read at token i, where an operand must start: the next index, and whether
        an operand is still wanted (after a sign, a '(' or a function's name)."""
        token = self.tokens[i]
        if token.kind == "number":
            value = float(token.text.replace("_", ""))
            self.operands.append(_folded(Node("number", token.text, (), token.pos,
                                               token.end, value)))
            return i + 1, False
        if token.kind == "name":
            name = token.text
            following = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if following is not None and following.kind == "sign" and following.text == "(":
                if name not in FUNCTIONS:
                    fail(token.pos, f"unknown function {shorten(name)}: calls of other "
                                     "functions and attribute access are not allowed "
                                     f"(known: {KNOWN_FUNCTIONS})", len(name))
                self.pending.append(("call", token, following))
                return i + 2, True
            if name in FUNCTIONS:
                fail(token.pos, f"{name} is a function: write {name}(x)", len(name))
            if name == self.output:
                fail(token.pos, f"the output {shorten(name)} cannot also be an input",
                      len(name))
            self.names.setdefault(name)
            self.operands.append(Node("name", name, (), token.pos, token.end, None))
            return i + 1, False
        text = token.text
        if text == "(":
            self.pending.append(("paren", token, token))
        elif text in ("-", "+"):
            self.pending.append(("unary", token, None))
        elif text == ")" and self.pending and self.pending[-1][0] == "call":
            name = self.pending[-1][1]
            fail(name.pos, f"{name.text} takes exactly one argument", len(name.text))
        elif text in _PRECEDENCE or text in (")", ","):
            fail(token.pos, f"expected a name, a number or '(' here, not {text!r}", len(text))
        else:
            _refuse_sign(token)
        return i + 1, True

    def _missing_operand(self) -> None:
        if not self.pending:
            fail(self.end, "nothing here: write a formula such as J = 3*(a + b*c)")
        kind, token, bracket = self.pending[-1]
        if bracket is not None:
            fail(bracket.pos, "'(' was never closed")
        fail(token.pos, f"something must follow {token.text!r}", len(token.text))

    def _reduce_for(self, sign: str | None) -> None:
        """Apply the pending operators that bind at least as tightly as ``sign`` does
        (all of them, up to an open bracket, for None)."""
        pending, operands = self.pending, self.operands
        level = 0 if sign is None else _PRECEDENCE[sign]
        from_right = sign == "**"
        while pending:
            kind, token, _bracket = pending[-1]
            if kind == "unary":
                if _UNARY <= level:  # -a ** 2 is -(a ** 2)
                    break
                pending.pop()
                operand = operands.pop()
                if token.text == "-":
                    operands.append(_negate(token.pos, operand))
                else:  # +x is x
                    operand.pos = token.pos
                    operands.append(operand)
            elif kind == "binary":
                prec = _PRECEDENCE[token.text]
                if prec < level or (prec == level and from_right):
                    break
                pending.pop()
                right = operands.pop()
                left = operands.pop()
                operands.append(_combine(token.text, left, right))
            else:  # an open bracket: what is inside waits for its ')'
                break

    def _close(self, token: _Token) -> None:
        self._reduce_for(None)
        if not self.pending:
            fail(token.pos, "unmatched ')'")
        kind, opener, _bracket = self.pending.pop()
        inner = self.operands.pop()
        if kind == "call":
            self.operands.append(_call(opener, inner, token.end))
        else:  # the brackets belong to the part they hold
            inner.pos, inner.end = opener.pos, token.end
            self.operands.append(inner)

    def _comma(self, token: _Token) -> None:
        self._reduce_for(None)
        if self.pending and self.pending[-1][0] == "call":
            name = self.pending[-1][1]
            fail(name.pos, f"{name.text} takes exactly one argument", len(name.text))
        fail(token.pos, "a comma inside brackets: a formula is one expression "
                         "(values go after it: , a=5)")


# ----------------------------------------------------------------- the text
class Formula:
    """A parsed formula: the output name, the expression tree and the values set."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise FormulaError("formula: column 1: empty: write something like J = 3*(a + b*c)",
                               1, 1, "empty: write something like J = 3*(a + b*c)")
        self.text = text.translate(SIGNS)
        self.output: str | None = None
        self.values: dict[str, float] = {}
        parts = _split_top_level(self.text)
        self.expr, self.names = self._parse_main(*parts[0])
        for start, stop in parts[1:]:
            self._parse_setting(start, stop)

    def _parse_main(self, start: int, stop: int) -> tuple[Node, list[str]]:
        tokens = _tokens(self.text, start, stop)
        if not tokens:
            fail(start, "nothing here: write a formula such as J = 3*(a + b*c)")
        for token in tokens:
            if token.kind == "sign" and token.text == ";":
                fail(token.pos, "one formula only (no ';')")
        equals = [i for i, t in _top_level(tokens) if t.kind == "sign" and t.text == "="]
        if equals:
            if equals != [1] or tokens[0].kind != "name":
                fail(tokens[0].pos, "the left-hand side must be one name, "
                                     "as in J = 3*(a + b*c)", tokens[equals[0]].pos
                      - tokens[0].pos)
            self.output = tokens[0].text
            end = tokens[1].end
            tokens = tokens[2:]
        else:
            end = start
        if not tokens:
            fail(end, "nothing after '=': write the formula, as in J = 3*(a + b*c)")
        parser = _Parser(tokens, self.output, stop)
        return parser.parse(), list(parser.names)

    def _parse_setting(self, start: int, stop: int) -> None:
        tokens = _tokens(self.text, start, stop)
        if not tokens:
            fail(start, "nothing here")
        if not (len(tokens) >= 2 and tokens[0].kind == "name" and tokens[1].text == "="):
            fail(tokens[0].pos, "after the formula, set values as name=number, e.g. a=5")
        name = tokens[0].text
        if name not in self.names:
            fail(tokens[0].pos, f"{shorten(name)!r} is not a name in the formula", len(name))
        value = _signed_number(tokens[2:])
        if value is None:
            where = tokens[2].pos if len(tokens) > 2 else tokens[1].end
            fail(where, f"the value of {shorten(name)} must be a number",
                  (tokens[-1].end - where) if len(tokens) > 2 else 1)
        if not math.isfinite(value):
            fail(tokens[2].pos, f"the value of {shorten(name)}, {shorten(tokens[-1].text)}, "
                                 "is too large a number", tokens[-1].end - tokens[2].pos)
        self.values[name] = value


def _top_level(tokens: list[_Token]):
    """(index, token) of the tokens outside brackets."""
    depth = 0
    for i, token in enumerate(tokens):
        if token.kind == "sign":
            if token.text in "([{":
                depth += 1
                continue
            if token.text in ")]}":
                depth = max(0, depth - 1)
                continue
        if depth == 0:
            yield i, token


def _split_top_level(text: str) -> list[tuple[int, int]]:
    """Split at commas outside brackets: [(start, stop), ...] of each part."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append((start, i))
            start = i + 1
    parts.append((start, len(text)))
    return parts


def _signed_number(tokens: list[_Token]) -> float | None:
    """A plain number, possibly signed: 5, -2.5, 1e-3 (None if the tokens are not one)."""
    sign = 1.0
    for i, token in enumerate(tokens):
        if token.kind == "sign" and token.text in "+-":
            if token.text == "-":
                sign = -sign
            continue
        if token.kind == "number" and i == len(tokens) - 1:
            return sign * float(token.text.replace("_", ""))
        return None
    return None


def parse_setting(text: str) -> tuple[str, float]:
    """``a=5`` (as given to --set) → ("a", 5.0); FormulaError otherwise."""
    match = SETTING.match(text.translate(SIGNS))
    if not match:
        raise FormulaError(f"--set: {shorten(text)!r} is not NAME=NUMBER (e.g. a=5)")
    name, raw = match.groups()
    try:
        value = float(raw)
    except ValueError:
        raise FormulaError(f"--set: {shorten(name)}: {shorten(raw)!r} is not a number") from None
    if not math.isfinite(value):
        raise FormulaError(f"--set: {shorten(name)}: {shorten(raw)!r} is not a finite number")
    return name, value


# ------------------------------------------------------------------- building
