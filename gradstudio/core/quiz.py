"""A quiz on the canvas: which numbers are hidden, which revealed, and the guesses.

A prepared exercise says in its file what it hides: the optional top-level
``"quiz"`` key (docs/file-format.md)::

    "quiz": {"hide": ["value", "local", "grad"], "nodes": "all", "edges": "all"}

``nodes`` and ``edges`` are ``"all"`` (the default) or lists: node ids, and wires
as ``{"from", "to", "port"}`` like the file's edges. ``Quiz`` is that key, read
and checked; ``QuizRun`` is one sitting of it (what has been revealed, what was
guessed), which is never saved. No Qt here.

What may be hidden: a node's value (not an input's: the inputs are the
question), a wire's value (not one leaving an input), a wire's local
derivative, and the gradients of nodes and wires.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from gradstudio.core.numbers import shown_number

KINDS = ("value", "local", "grad")
ALL = "all"
#: A guess is right when it agrees with the true value to this many significant digits.
DIGITS = 4
HIDDEN = "hidden"  # QuizRun.state: the number shows as "?"
#: A hidden number in a printed worksheet (export --quiz): an answer line to write
#: on, in a chip and in a node, each at least as wide as "−0.7071" in its own
#: text (six underscores were room for one or two handwritten characters on A4).
#: A wire's value is the blank alone on its line: the chip gives that line a
#: line's room above it to write in (``blank_alone``).
BLANK, BLANK_LINE = "_" * 9, "_" * 10

Edge = tuple[str, str, int]


@dataclass(frozen=True)
class Quiz:
    """What a quiz hides: ``hide`` kinds, on ``nodes`` and ``edges`` (None: on all)."""

    hide: tuple[str, ...] = KINDS
    nodes: tuple[str, ...] | None = None
    edges: tuple[Edge, ...] | None = None

    def __post_init__(self) -> None:  # lookups for covers(), made once
        object.__setattr__(self, "_nodes", None if self.nodes is None else set(self.nodes))
        object.__setattr__(self, "_edges", None if self.edges is None else set(self.edges))

    def covers(self, kind: str, target) -> bool:
        """Whether this quiz hides ``kind`` on ``target`` (a node id or a wire)."""
        if kind not in self.hide:
            return False
        if isinstance(target, str):
            return kind != "local" and (self._nodes is None or target in self._nodes)
        return self._edges is None or tuple(target) in self._edges

    def asks(self, model, kind: str, target) -> bool:
        """``covers``, less what is given: an input's value and the wires leaving it."""
        if not self.covers(kind, target):
            return False
        if kind == "value":
            node = target if isinstance(target, str) else target[0]
            return node in model and model.node_data(node)["op"] != "input"
        return True

    def to_json(self) -> dict:
        """The file's ``"quiz"`` value (kinds in the canonical order)."""
        return {"hide": [k for k in KINDS if k in self.hide],
                "nodes": ALL if self.nodes is None else list(self.nodes),
                "edges": ALL if self.edges is None else [
                    {"from": u, "to": v, "port": p} for u, v, p in self.edges]}


def on_selection(model, nodes, wires) -> tuple[tuple[str, ...], tuple[Edge, ...]]:
    """What "only on the selection" hides: the selected nodes, the selected wires and
    every wire between two selected nodes (a student selecting u and v asks for the
    number u → v carries too); nothing else, neighbouring wires' numbers stay."""
    nodes = tuple(dict.fromkeys(nodes))
    chosen = set(nodes)
    between = [e for n in nodes for e in model.in_edges(n) if e[0] in chosen]
    return nodes, tuple(dict.fromkeys([*map(tuple, wires), *map(tuple, between)]))


def read(raw, has_node, has_edge, fail, place: str = "quiz") -> Quiz:
    """The file's ``"quiz"`` value checked; ``fail(place, message)`` raises on the first
    problem, e.g. ``quiz.nodes[1]: no node 'k'``. Keys inside it gradstudio does not
    know are allowed (and kept by the file, which holds the raw value)."""
    if not isinstance(raw, dict):
        fail(place, f"must be an object, not {_kind(raw)}")
    hide = raw.get("hide", list(KINDS))
    if not isinstance(hide, list):
        fail(f"{place}.hide", f"must be a list of {_known()}, not {_kind(hide)}")
    seen: dict[str, int] = {}
    for i, kind in enumerate(hide):
        if not isinstance(kind, str) or kind not in KINDS:
            fail(f"{place}.hide[{i}]", f"unknown kind {_kind(kind)} (known: {_known()})")
        if kind in seen:
            fail(f"{place}.hide[{i}]", f"{kind!r} is listed twice (also hide[{seen[kind]}])")
        seen[kind] = i
    nodes = raw.get("nodes", ALL)
    if nodes != ALL:
        if not isinstance(nodes, list):
            fail(f"{place}.nodes", f'must be "all" or a list of node ids, not {_kind(nodes)}')
        for i, node in enumerate(nodes):
            if not isinstance(node, str):
                fail(f"{place}.nodes[{i}]", f"must be a node id (a string), not {_kind(node)}")
            if not has_node(node):
                fail(f"{place}.nodes[{i}]", f"no node {node!r}")
        nodes = tuple(dict.fromkeys(nodes))
    else:
        nodes = None
    edges = raw.get("edges", ALL)
    if edges != ALL:
        if not isinstance(edges, list):
            fail(f"{place}.edges", f'must be "all" or a list of wires, not {_kind(edges)}')
        keys = []
        for i, edge in enumerate(edges):
            at = f"{place}.edges[{i}]"
            if not isinstance(edge, dict):
                fail(at, f'must be a wire {{"from", "to", "port"}}, not {_kind(edge)}')
            for key in ("from", "to"):
                if not isinstance(edge.get(key), str):
                    fail(f"{at}.{key}", "missing" if key not in edge else
                         f"must be a node id (a string), not {_kind(edge[key])}")
            port = edge.get("port")
            if "port" not in edge:
                fail(f"{at}.port", "missing")
            if isinstance(port, bool) or not isinstance(port, int):
                fail(f"{at}.port", f"must be an integer, not {_kind(port)}")
            key = (edge["from"], edge["to"], port)
            if not has_edge(key):
                fail(at, f"no wire {key[0]!r} → {key[1]!r} at port {port}")
            keys.append(key)
        edges = tuple(dict.fromkeys(keys))
    else:
        edges = None
    return Quiz(tuple(k for k in KINDS if k in seen), nodes, edges)


def lenient(raw) -> Quiz | None:
    """The quiz of a value already in a model (checked when loaded, or set by the
    editor); None where it is no quiz at all. Wires and nodes gone since are harmless."""
    def fail(_place, _message):
        raise ValueError
    try:
        return read(raw, lambda _n: True, lambda _e: True, fail)
    except ValueError:
        return None


def pruned(raw, model):
    """``raw`` without the nodes and wires ``model`` no longer has (deleted since the
    quiz was set), so the file saved loads again; ``raw`` itself when nothing went."""
    if not isinstance(raw, dict):
        return raw
    out = raw
    nodes = raw.get("nodes")
    if isinstance(nodes, list):
        kept = [n for n in nodes if not isinstance(n, str) or n in model]
        if len(kept) != len(nodes):
            out = {**out, "nodes": kept}
    edges = raw.get("edges")
    if isinstance(edges, list):
        kept = [e for e in edges if not _wire_gone(e, model)]
        if len(kept) != len(edges):
            out = {**out, "edges": kept}
    return out


def _wire_gone(edge, model) -> bool:
    if not isinstance(edge, dict):
        return False
    u, v, p = edge.get("from"), edge.get("to"), edge.get("port")
    if not (isinstance(u, str) and isinstance(v, str) and type(p) is int):
        return False
    return v not in model or model.source(v, p) != u


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _known() -> str:
    return ", ".join(KINDS)


# ------------------------------------------------------------------- guesses
def parse_guess(text: str) -> float:
    """A student's answer: 6, -0.5, 1e-3, 1/3, with a typographic minus or a decimal
    comma; ValueError with a readable reason otherwise."""
    cleaned = text.strip().replace("\u2212", "-").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise ValueError("type a number")
    try:
        if "/" in cleaned:
            top, bottom = cleaned.split("/", 1)
            value = float(Fraction(top) / Fraction(bottom))
        else:
            value = float(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if math.isnan(value):
        raise ValueError(f"{text.strip()!r} is not a number")
    return value


def is_right(guess: float, truth: float, digits: int = DIGITS) -> bool:
    """The guess agrees with the truth to ``digits`` significant digits: it lies
    within half a unit of the truth's last such digit (so the number as the canvas
    shows it, rounded to 4 digits, is always right)."""
    if not math.isfinite(truth):
        return guess == truth
    if truth == 0:
        return guess == 0
    unit = 10.0 ** (math.floor(math.log10(abs(truth))) - (digits - 1))
    return abs(guess - truth) <= 0.5 * unit * (1 + 1e-9)


def marked(guess: float, truth: float, digits: int = 4) -> tuple[str, bool]:
    """The number's place on a chip after a guess: ``6 ✓``, or the true value with the
    wrong guess crossed: ``6 (✗ 5)``; and whether it was right."""
    shown = shown_number(truth, digits)  # (−1.5: a real minus sign, as the chips)
    if is_right(guess, truth):
        return f"{shown} ✓", True
    return f"{shown} (✗ {shown_number(guess, max(digits, 6))})", False


# -------------------------------------------------------------------- a sitting
class QuizRun:
    """One sitting of a quiz: which hidden numbers were revealed and what was guessed.

    ``blank``: hidden numbers are drawn as empty space (a printed worksheet).
    Keys are ``(kind, target)``, the target a node id or a wire ``(from, to, port)``.

    A number revealed (or answered, which shows the true one) shows wherever the
    canvas draws the same number (``linked``): a node's value on the wires leaving
    it, a node's gradient in its wires' (its sum names them), and the one wire's
    gradient in its node's.
    """

    def __init__(self, quiz: Quiz, blank: bool = False, raw=None) -> None:
        self.quiz = quiz
        self.blank = blank
        self.raw = raw  # the file's value this sitting is of (the editor tells them apart)
        self.revealed: set = set()
        self.guesses: dict = {}  # key -> the guessed number
        self._values: set = set()  # nodes whose value shows (on the node or a wire of it)
        self._grads: set = set()  # nodes whose gradient shows on the node

    def state(self, model, kind: str, target):
        """None (shown as usual), HIDDEN, or the guess (a float, marked against the truth
        when drawn, so it stays right after numbers change)."""
        key = (kind, target if isinstance(target, str) else tuple(target))
        if key in self.guesses:
            return self.guesses[key]
        if key in self.revealed or not self.quiz.asks(model, kind, target):
            return None
        if self._shown_elsewhere(model, kind, key[1]):
            return None
        return HIDDEN

    def _shown_elsewhere(self, model, kind: str, target) -> bool:
        """The same number revealed on another of its places (``linked``)."""
        if kind == "value":
            return (target if isinstance(target, str) else target[0]) in self._values
        if kind != "grad":
            return False
        if not isinstance(target, str):
            return target[0] in self._grads
        if target not in model:
            return False
        out = model.out_edges(target)
        return len(out) == 1 and (("grad", out[0]) in self.revealed
                                  or ("grad", out[0]) in self.guesses)

    def linked(self, model, key) -> list:
        """``key`` and the keys the canvas draws the same number for: a node's value
        and its outgoing wires' values; a node's gradient and its outgoing wires'
        gradients (its sum at a fan-out names them); a wire's gradient and its
        source's where that wire is the source's only one."""
        kind, target = _key(key)
        node = target if isinstance(target, str) else target[0]
        if node not in model or kind == "local":
            return [(kind, target)]
        out = model.out_edges(node)
        if kind == "value":
            return [("value", node), *[("value", e) for e in out]]
        if isinstance(target, str):
            return [("grad", node), *[("grad", e) for e in out]]
        return [("grad", target), ("grad", node)] if len(out) == 1 else [("grad", target)]

    def is_hidden(self, model, key) -> bool:
        return self.state(model, *key) == HIDDEN

    def _shows(self, key) -> None:
        kind, target = key
        if kind == "value":
            self._values.add(target if isinstance(target, str) else target[0])
        elif kind == "grad" and isinstance(target, str):
            self._grads.add(target)

    def reveal(self, key) -> None:
        key = _key(key)
        self.revealed.add(key)
        self._shows(key)

    def guess(self, key, value: float) -> None:
        key = _key(key)
        self.guesses[key] = float(value)
        self._shows(key)  # (the true number shows, marked against the guess)

    def reveal_all(self, keys) -> None:
        for key in keys:
            self.reveal(key)

    def hide_again(self) -> None:
        self.revealed.clear()
        self.guesses.clear()
        self._values.clear()
        self._grads.clear()


def blank_alone(text: str) -> bool:
    """A worksheet's line that is an answer line and nothing else (a wire's value):
    drawn with a line's height of room above it, the line at its baseline."""
    return text == BLANK


def blanked(run: QuizRun | None, model, edge, value: str, local: str, grad: str):
    """A wire's three chip texts as a worksheet ``run`` prints them (what it hides an
    answer line); as they are without a worksheet."""
    if run is None or not run.blank:
        return value, local, grad
    def hidden(kind):
        return run.state(model, kind, edge) == HIDDEN
    if hidden("value"):
        value = BLANK
    if hidden("local"):
        local = local[: local.rindex(" = ") + 3] + BLANK
    if hidden("grad"):
        grad = "← " + BLANK
    return value, local, grad


def hider(run: QuizRun | None, model):
    """``hidden(kind, target)`` for a panel that shows the passes' numbers (Check,
    Nudge, Paths): True where ``run`` shows the number as ``?``; never without a quiz."""
    if run is None:
        return lambda _kind, _target: False
    return lambda kind, target: run.is_hidden(model, (kind, target))


def _key(key):
    kind, target = key
    return kind, target if isinstance(target, str) else tuple(target)


def answer_order(evaluation, shown: str) -> list:
    """Every number the canvas shows after ``shown`` ("forward" or "backward"), in the
    order the passes work them out: each node's wires (value, local derivative, by
    port) and then its value, in topological order; then the output's gradient, and
    from the output back each node's wires' gradients and then its own."""
    model, plan = evaluation.model, evaluation.plan
    keys = []
    for node in plan.ids:
        if model.node_data(node)["op"] == "input":
            continue
        for edge in model.in_edges(node):
            keys += [("value", edge), ("local", edge)]
        keys.append(("value", node))
    if shown != "backward" or evaluation.node_grads is None:
        return keys
    for node in reversed(plan.ids):
        if node != evaluation.output:
            keys += [("grad", e) for e in sorted(model.out_edges(node),
                                                 key=plan.edge_index.__getitem__)]
        keys.append(("grad", node))
    return keys


def worksheet(model) -> QuizRun:
    """The graph's quiz drawn for print (``gradstudio export --quiz``): what it hides
    left blank; a graph without a quiz hides every value, local derivative and gradient."""
    raw = model.extra.get("quiz")
    quiz = lenient(raw) if raw is not None else None
    return QuizRun(quiz or Quiz(), blank=True, raw=raw)


def explained(run: QuizRun | None, model, step) -> str:
    """A step's explanation (``core.steps.Step``) without what ``run`` still hides: a
    line that would give a hidden number away is cut before it and ends in ``?``
    (``u = b × c = 3 × 2 = ?``; with b·c hidden too, ``v = a + u = ?``). In a
    backward step whose own gradient is not hidden, hidden factors are ``?`` in
    place (``∂J/∂b = ∂J/∂u · ∂u/∂b = ? × 2 = 6``)."""
    if run is None:
        return step.text
    node, edges = step.node, step.edges
    lines = list(step.lines)
    # Per line: (parts kept, the numbers past them), from the first part that may tell.
    if step.kind == "forward":
        operands = [k for e in edges for k in (("value", e), ("value", e[0]))]
        first = _operands_hidden(run, model, step, lines[0]) if lines else None
        if first is not None:
            lines[0], operands = first, []
        stages = [[(2, operands), (-1, [("value", node)])]]
        stages += [[(-1, [("local", e)])] for e in edges]
    else:
        factors = [k for e in edges for k in (("grad", e[1]), ("local", e))]
        first = _factors_hidden(run, model, step, lines[0]) if lines else None
        if first is not None:
            lines[0], factors = first, []
        stages = [[(2, factors), (3, [("grad", e) for e in edges]), (-1, [("grad", node)])]]
    for i, line_stages in enumerate(stages[: len(lines)]):
        parts = lines[i].split(" = ")
        for kept, keys in line_stages:
            if len(parts) > 1 and any(run.is_hidden(model, key) for key in keys):
                kept = len(parts) - 1 if kept < 0 else min(kept, len(parts) - 1)
                lines[i] = " = ".join(parts[:kept]) + " = ?"
                break
    return "\n".join(lines)


#: The names a formula's template holds (core.steps fills them: ``x0 · x1``, ``k · x0``).
_TOKEN = re.compile(r"(?<![\w])(k−1|x0|x1|x2|x3|k|y)(?![\w])")


def _operands_hidden(run: QuizRun, model, step, line: str) -> str | None:
    """A forward step's first line with the hidden operands (a neighbour's value) as
    ``?`` in place, when the value it works out is not hidden itself:
    ``v = a + u = 5 + ? = 11`` when only u is asked about (the canvas shows v = 11).
    None where that cannot be said so (the line is cut instead)."""
    node, edges = step.node, step.edges
    if run.is_hidden(model, ("value", node)) or node not in model:
        return None
    asked = {e[2] for e in edges
             if run.is_hidden(model, ("value", e)) or run.is_hidden(model, ("value", e[0]))}
    formula = (model.op_of(node).formula or "").replace(" · ", " × ")  # as steps writes it
    parts = line.split(" = ")
    if not asked or not formula or len(parts) != 4:
        return None
    pieces = _TOKEN.split(formula)  # literal, name, literal, name, …, literal
    pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(pieces))
    found = re.fullmatch(pattern, parts[2])
    if found is None:
        return None
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(piece)
        else:
            number = found.group(i // 2 + 1)
            port = int(piece[1:]) if piece.startswith("x") else None
            out.append("?" if port in asked else number)
    parts[2] = "".join(out)
    return " = ".join(parts)


def _factors_hidden(run: QuizRun, model, step, line: str) -> str | None:
    """A backward step's first line with the hidden factors (another node's gradient,
    a wire's local derivative) as ``?`` in place, when nothing after them is hidden:
    ``∂J/∂b = ∂J/∂u · ∂u/∂b = ? × 2 = 6`` when only u is asked about (the canvas
    shows ∂J/∂b = 6). None where that cannot be said so (the line is cut instead)."""
    edges = step.edges
    parts = line.split(" = ")
    if (len(parts) < 4 or "…" in line or run.is_hidden(model, ("grad", step.node))
            or any(run.is_hidden(model, ("grad", e)) for e in edges)):
        return None
    products = parts[2].split(" + ")
    if len(products) != len(edges):  # a wire carrying nothing to the output is left out
        return None
    out = []
    for edge, product in zip(edges, products):
        factors = product.split(" × ")
        if len(factors) != 2:
            return None
        if run.is_hidden(model, ("grad", edge[1])):
            factors[0] = "?"
        if run.is_hidden(model, ("local", edge)):
            factors[1] = "?"
        out.append(" × ".join(factors))
    parts[2] = " + ".join(out)
    return " = ".join(parts)
