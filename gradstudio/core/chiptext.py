"""What the annotations say, and roughly how big nodes and chips are, without Qt.

The canvas colours and measures these texts with its fonts; the auto-layout,
which runs without Qt too (``gradstudio new``), reserves room for nodes and
chips from the estimated sizes here (a little wider than DejaVu Sans draws them).
"""

from __future__ import annotations

from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import MINUS, shown_number
from gradstudio.core.passes import Evaluation
from gradstudio.core.quiz import BLANK, BLANK_LINE, HIDDEN, blank_alone, blanked

from gradstudio.core.glyphs import LINE_PX, text_px

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
MAX_TERMS = 4  # a fan-out sum longer than this is shortened with "…"
# A big graph's node shows its gradient as this and the total: ``∂J/∂n512 = a + b + c
# = 0.5`` made boxes wider than the columns they stand in, covering their neighbours;
# the title names the node, the working is on the step's explanation.
SHORT_GRAD = "∂ = "
# px at 100 % between a node's title and its op symbol or "input" (times the text
# size): both bold, in one colour, they ran together ("w1 input") with less.
TITLE_GAP = 16.0
# The chips' font, as a share of the canvas font (theme.NUMBER_SCALE: 9 pt), and how
# much wider and taller than 0.9 of the 10 pt glyphs it draws (hinted at 9 pt).
CHIP_FONT, HINTED = 0.9, 1.03
PAD_X, PAD_Y = 5.0, 2.0  # as ChipItem's
# A node's box at 100 % (items/node.py): its texts at 10 pt, so 1/0.9 of the chips'.
NODE_MIN_W, NODE_MAX_W, NODE_H = 120.0, 480.0, 68.0
# Where no pass can run, texts as long as a 4-digit negative number would make them,
# with the minus sign the canvas draws (U+2212 is wider than "-").
LONGEST = f"{MINUS}0.0000"


def wrt_name(model, edge) -> str:
    """The source's name in ∂v/∂u, with the port as a subscript where the source
    feeds the target more than once (a·a: ∂u/∂a₀, ∂u/∂a₁)."""
    source, target, port = edge
    wrt = model.label(source)
    if sum(1 for p in range(model.op_of(target).ports) if model.source(target, p) == source) > 1:
        wrt += SUBSCRIPTS[port] if port < 10 else f"[{port}]"
    return wrt


def edge_texts(model, edge, numbers, digits: int = 4) -> tuple[str, str, str]:
    """A wire's value, its local derivative (``∂u/∂b = 2``) and its gradient
    (``← 6``), from its ``EdgeNumbers``."""
    local = f"∂{model.label(edge[1])}/∂{wrt_name(model, edge)} = "
    return (shown_number(numbers.value, digits), local + shown_number(numbers.local, digits),
            f"← {shown_number(numbers.grad, digits)}")


def grad_sum_text(model, ev, node_id: str, digits: int = 4, short: bool = False) -> str:
    """``∂J/∂u = 3``; at a fan-out the sum of the wires': ``∂e/∂b = 2 + 3 = 5``.
    ``short``: the total alone, ``∂ = 5`` (a big graph's box, see ``SHORT_GRAD``)."""
    total = shown_number(ev.grad(node_id), digits)
    if short:
        return SHORT_GRAD + total
    name = f"∂{model.label(ev.output)}/∂{model.label(node_id)}"
    reaching = [e for e in model.out_edges(node_id) if ev.reaches_output[ev.plan.slot[e[1]]]]
    if len(reaching) < 2:
        return f"{name} = {total}"
    reaching.sort(key=ev.plan.edge_index.__getitem__)
    terms = [shown_number(ev.edge(*e).grad, digits) for e in reaching]
    if len(terms) > MAX_TERMS:
        terms = terms[: MAX_TERMS - 1] + ["…"]
    joined = " + ".join(terms).replace(f"+ {MINUS}", f"{MINUS} ")
    return f"{name} = {joined} = {total}"


def _backward(model):
    """The graph's numbers after Backward, or None where it cannot run one."""
    try:
        ev = Evaluation(model)
        ev.backward()
    except GraphError:
        return None
    return ev


def estimated_nodes(model, digits: int = 4, scale: float = 1.0, ev=None,
                    least: float | None = None, quiz=None) -> dict:
    """(width, height) of each node's box after Backward, as the canvas sizes it.
    ``least``: the narrowest box (px before ``scale``; the canvas's minimum width
    does not grow with its text size: it passes 120 / the size). ``quiz``: a
    worksheet's ``QuizRun``, its answer lines in place of what it hides."""
    from gradstudio.core.ops import OPS

    ev = _backward(model) if ev is None else ev
    sizes = {}
    for node_id in model.nodes():
        data = model.node_data(node_id)
        op = OPS[data["op"]]
        symbol = "input" if op.name == "input" else op.display_symbol(data)
        header = text_px(model.label(node_id), True) + 1.1 * text_px(symbol, True) + 20 + TITLE_GAP
        if op.name == "input":
            value = f"= {shown_number(data['value'], digits)}"
        else:
            value = f"= {shown_number(ev.value(node_id), digits)}" if ev is not None else f"= {LONGEST}"
        grad = (grad_sum_text(model, ev, node_id, digits) if ev is not None
                else f"∂{model.label(node_id)}/∂{model.label(node_id)} = {LONGEST}")
        if quiz is not None and quiz.blank:
            if quiz.state(model, "value", node_id) == HIDDEN:
                value = f"= {BLANK_LINE}"
            if quiz.state(model, "grad", node_id) == HIDDEN:
                grad = grad[: grad.index(" = ") + 3] + BLANK_LINE
        body = max(text_px(value), text_px(grad, True)) + 24
        width = min(NODE_MAX_W, max(NODE_MIN_W if least is None else least, header, body))
        sizes[node_id] = (width * scale, NODE_H * scale)
    return sizes


def estimated_chips(model, digits: int = 4, scale: float = 1.0, measure=None,
                    quiz=None) -> dict:
    """Each wire's chips after Backward, as (kind, width, height) with kind 0 for the
    forward chip and 1 for the gradient's: from a real pass where the graph can run
    one, else from texts as long as a 4-digit negative number would make them.

    ``measure(text, bold)`` gives a text's (width, height) where the caller has the
    fonts (then ``scale`` is theirs already); else the sizes are estimated.
    ``quiz``: a worksheet's ``QuizRun``, its answer lines in place of what it hides
    (wider than most numbers; a wire's value two lines tall, room to write in).
    """
    if measure is None:
        def measure(text, bold):
            lines = 2 if blank_alone(text) else 1
            cap = 320.0 + (CHIP_FONT * HINTED * text_px(BLANK, bold)
                           if text.endswith(BLANK) else 0.0)
            return (min(cap, CHIP_FONT * HINTED * text_px(text, bold)) * scale,
                    lines * CHIP_FONT * HINTED * LINE_PX * scale)
    ev = _backward(model)
    chips = {}
    for edge in model.edges():
        if ev is not None:
            value, local, grad = edge_texts(model, edge, ev.edge(*edge), digits)
        else:
            value = LONGEST
            local = f"∂{model.label(edge[1])}/∂{wrt_name(model, edge)} = {LONGEST}"
            grad = f"← {LONGEST}"
        value, local, grad = blanked(quiz, model, edge, value, local, grad)
        (vw, vh), (lw, lh), (gw, gh) = measure(value, True), measure(local, False), \
            measure(grad, True)
        pad_x, pad_y = 2 * PAD_X * scale, 2 * PAD_Y * scale
        chips[edge] = [(0, max(vw, lw) + pad_x, vh + lh + pad_y), (1, gw + pad_x, gh + pad_y)]
    return chips
