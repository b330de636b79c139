"""What every node and wire says, given the document's state. No drawing here."""

from __future__ import annotations

from gradstudio.core import chiptext, quiz as quizzes
from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import shown_number
from gradstudio.core.ops import OPS
from gradstudio.ui.theme import THEME


def node_texts(doc, node_id: str, output: str | None, digits: int = 4,
               short_grad: bool = False) -> dict:
    """The node's texts; ``short_grad``: its gradient as the total alone (``∂ = 5``,
    a big graph's, see ``chiptext.SHORT_GRAD``)."""
    model, ev = doc.model, doc.evaluation
    data = model.node_data(node_id)
    op = OPS[data["op"]]
    reveal = getattr(doc, "reveal", None)  # while stepping: only what is computed so far
    if op.name == "input":
        value_text, pending = _value_text(model, ev, node_id, digits), False
        symbol = "input"
    else:
        symbol = op.display_symbol(data)
        if ev is not None and (reveal is None or reveal.has_value(node_id)):
            value_text, pending = _value_text(model, ev, node_id, digits), False
        else:
            value_text, pending = "= ?", True
    quiz = getattr(doc, "quiz", None)  # a quiz: what it hides shows as ?
    value_color = None  # the theme's
    if quiz is not None and not pending and op.name != "input":
        value_text, value_color = quizzed(quiz, model, "value", node_id, ev.value(node_id),
                                          value_text, "= ", value_color, digits)
    grad_text, grad_color = "", THEME.grad
    if (ev is not None and doc.shown == "backward" and ev.node_grads is not None
            and (reveal is None or reveal.has_grad(node_id))):
        grad_text = grad_sum_text(doc, node_id, digits, short_grad)
        if quiz is not None:
            name = (chiptext.SHORT_GRAD if short_grad
                    else f"∂{model.label(ev.output)}/∂{model.label(node_id)} = ")
            grad_text, grad_color = quizzed(quiz, model, "grad", node_id, ev.grad(node_id),
                                            grad_text, name, grad_color, digits)
    elif ev is not None and doc.shown == "tangent" and ev.node_tangents is not None:
        grad_text, grad_color = tangent_text(doc, node_id, digits), THEME.tangent
    return dict(title=model.label(node_id), symbol=symbol, value_text=value_text,
                value_pending=pending, grad_text=grad_text, grad_color=grad_color,
                is_output=output == node_id, error=False, value_color=value_color)


def _value_text(model, ev, node_id: str, digits: int) -> str:
    """``= 6``: an input's own value, another node's as the evaluation has it (with its
    problem, if any)."""
    data = model.node_data(node_id)
    if data["op"] == "input":
        return f"= {shown_number(data['value'], digits)}"
    text = f"= {shown_number(ev.value(node_id), digits)}"
    problem = ev.problems.get(node_id)
    return f"{text}  ({problem})" if problem else text


def finished_texts(doc, node_id: str, digits: int = 4) -> tuple[str, str]:
    """The value and short gradient texts the node shows once its passes are done,
    whatever a step has revealed so far ("" for what the evaluation lacks): while a
    big graph is stepped through, its box keeps room for them from the first step."""
    ev, model = doc.evaluation, doc.model
    if ev is None:
        return "", ""
    grad = (chiptext.grad_sum_text(model, ev, node_id, digits, short=True)
            if ev.node_grads is not None else "")
    return _value_text(model, ev, node_id, digits), grad


#: A hidden number in a printed worksheet (export --quiz): an answer line to write
#: on, in a chip (shorter: chips are small) and in a node (``core.quiz``).
BLANK, BLANK_LINE = quizzes.BLANK, quizzes.BLANK_LINE


def quizzed(quiz, model, kind: str, target, truth: float, text: str, prefix: str, color,
            digits: int = 4) -> tuple:
    """A quiz's say on one number's text: as it is, ``?`` (hidden, or a blank in a
    worksheet), or marked after a guess (``6 ✓`` green, ``6 (✗ 5)`` red)."""
    state = quiz.state(model, kind, target)
    if state is None:
        return text, color
    if state == quizzes.HIDDEN:
        return prefix + ((BLANK if isinstance(target, tuple) else BLANK_LINE) if quiz.blank
                         else "?"), color
    mark, right = quizzes.marked(state, truth, digits)
    return prefix + mark, THEME.port_accept if right else THEME.error


def tangent_text(doc, node_id: str, digits: int = 4) -> str:
    """Forward mode from x: ``∂u/∂b = 2`` on every node (``∂b/∂b = 1`` on x itself)."""
    model, ev = doc.model, doc.evaluation
    return (f"∂{model.label(node_id)}/∂{model.label(ev.tangent_input)} = "
            f"{shown_number(ev.node_tangent(node_id), digits)}")


def grad_sum_text(doc, node_id: str, digits: int = 4, short: bool = False) -> str:
    """``∂J/∂u = 3``; at a fan-out the sum of the wires': ``∂e/∂b = 2 + 3 = 5``
    (``short``: ``∂ = 5``)."""
    return chiptext.grad_sum_text(doc.model, doc.evaluation, node_id, digits, short)


def edge_lines(doc, edge, digits: int = 4) -> tuple[list, list]:
    """Chip lines above the wire (value, local) and below it (gradient)."""
    ev = doc.evaluation
    if ev is None:
        return [], []
    reveal = getattr(doc, "reveal", None)  # while stepping: only what is computed so far
    if reveal is not None and not reveal.has_edge_value(edge):
        return [], []
    numbers = ev.edge(*edge)
    model = doc.model
    value, local, grad = chiptext.edge_texts(model, edge, numbers, digits)
    colors = THEME.value, THEME.local, THEME.grad
    quiz = getattr(doc, "quiz", None)  # a quiz: what it hides shows as ?
    if quiz is not None:
        name = local[: local.rindex(" = ") + 3]  # ∂u/∂b = (a label may hold " = ")
        value, value_color = quizzed(quiz, model, "value", edge, numbers.value, value, "",
                                     colors[0], digits)
        local, local_color = quizzed(quiz, model, "local", edge, numbers.local, local, name,
                                     colors[1], digits)
        if numbers.grad is not None:
            grad, grad_color = quizzed(quiz, model, "grad", edge, numbers.grad, grad, "← ",
                                       colors[2], digits)
            colors = value_color, local_color, grad_color
        else:
            colors = value_color, local_color, colors[2]
    above = [(value, colors[0], True, False), (local, colors[1], False, False)]
    below = []
    if (doc.shown == "backward" and numbers.grad is not None
            and (reveal is None or reveal.has_edge_grad(edge))):
        below = [(grad, colors[2], True, False)]
    elif doc.shown == "tangent" and numbers.tangent is not None:
        # Forward mode carries local · tangent(source) rightwards along the wire.
        below = [(f"→ {shown_number(numbers.tangent, digits)}", THEME.tangent, True, False)]
    return above, below


def output_of(doc) -> str | None:
    """The node marked as output: the one differentiated, chosen, or the only sink."""
    ev = doc.evaluation
    if ev is not None and ev.output is not None:
        return ev.output
    if doc.model.output is not None:
        return doc.model.output
    try:
        return doc.model.resolve_output()
    except GraphError:
        return None
