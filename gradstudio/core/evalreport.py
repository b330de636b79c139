"""What `gradstudio eval` prints: the strict `--json` document and the readable tables.

Kept beside the file format in the core (no Qt, no networkx) so that the CLI only
parses arguments and calls, and so that scripts and tests write the same report
the command does. numpy is imported here at the top: the CLI imports this module
only after choosing its BLAS threads (see cli._single_threaded_blas).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # json.dumps(str, ensure_ascii=False)

import numpy as np

from gradstudio.core.numbers import format_number as fmt, json_number


def write_json_to(stream, model, result) -> None:
    """The `--json` document and a newline on a text stream (stdout): big UTF-8
    chunks straight to its byte buffer when it has one."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (tests may swap one in)
        write_eval_json(model, result, stream.write)
        stream.write("\n")
    else:
        stream.flush()
        write_eval_json(model, result, lambda text: buffer.write(text.encode("utf-8")))
        buffer.write(b"\n")


def eval_json(model, result) -> str:
    """The exact `--json` shape of the design, as one string."""
    parts: list[str] = []
    write_eval_json(model, result, parts.append)
    return "".join(parts)


CHUNK = 32_768  # entries formatted and written at a time (tests make it small)

#: Bits of the numbers written most often (add's local, the output's and a sum tree's
#: gradients, unreached gradients): one shared text each instead of a repr each.
_COMMON = ((0x3FF0000000000000, "1.0"), (0, "0.0"))


def _json_numbers(values: np.ndarray) -> np.ndarray:
    """Each number as json.dumps(json_number(x)) writes it, as an object array of str.

    Finite floats are their repr (what json writes for a float); inf, -inf and nan
    are the quoted strings of ``json_number``.
    """
    values = np.ascontiguousarray(values, dtype=float)
    texts = np.empty(len(values), dtype=object)
    bits = values.view(np.int64)
    rest = np.ones(len(values), dtype=bool)
    for common_bits, text in _COMMON:
        same = bits == common_bits
        texts[same] = text
        rest &= ~same
    other = np.flatnonzero(rest)
    numbers = values[other]
    texts[other] = list(map(float.__repr__, numbers.tolist()))
    for i in other[~np.isfinite(numbers)].tolist():
        texts[i] = json.dumps(json_number(values[i]))
    return texts


def _json_numbers_like(values: np.ndarray, candidates: list[tuple]) -> np.ndarray:
    """``_json_numbers(values)``, taking a text already made wherever a candidate number
    has the same bits. ``candidates``: (numbers, texts, usable) arrays aligned with
    ``values``, tried in turn (``usable`` None, or a mask of the rows to try)."""
    values = np.ascontiguousarray(values, dtype=float)
    texts = np.empty(len(values), dtype=object)
    bits = values.view(np.int64)
    left = np.arange(len(values))
    for numbers, known, usable in candidates:
        same = bits[left] == np.ascontiguousarray(numbers[left], dtype=float).view(np.int64)
        if usable is not None:
            same &= usable[left]
        texts[left[same]] = known[left[same]]
        left = left[~same]
    texts[left] = _json_numbers(values[left])
    return texts


def _other_inputs(plan) -> np.ndarray:
    """Per edge, the node position feeding the target's neighbouring port (0 <-> 1,
    2 <-> 3 ...), or -1: a product's local derivative is its other factor's value."""
    src, tgt = plan.edge_positions
    ports = plan.e_port
    if not len(ports):
        return np.empty(0, dtype=np.intp)
    table = np.full((len(plan.node_ids), (int(ports.max()) | 1) + 1), -1, dtype=np.intp)
    table[tgt, ports] = src
    return table[tgt, ports ^ 1]


def _joined(columns: list, n_rows: int, last: str | None) -> str:
    """The rows' pieces, row by row, as one string: ``columns`` holds, per piece of a
    row, either a constant str or an object array of n_rows str. With ``last``, the
    final piece of the final row is ``last`` instead."""
    width = len(columns)
    parts = [c if type(c) is str else None for c in columns] * n_rows
    for j, column in enumerate(columns):
        if type(column) is not str:
            parts[j::width] = column.tolist()
    if last is not None:
        parts[-1] = last
    return "".join(parts)


def write_eval_json(model, result, write) -> None:
    """Write the `--json` document piece by piece (big graphs need no giant string).

    The text is exactly ``json.dumps`` of ``{"output": ID, "nodes": {ID: {"value": x,
    "grad": g[, "tangent": t]}}, "edges": [{"from", "to", "port", "value", "local",
    "grad"}]}`` with the default separators, non-finite numbers as "inf"/"-inf"/"nan",
    node ids written as they are (ensure_ascii=False). Nodes and edges come in file
    order. Number texts are reused where they repeat: an edge's value is its
    source's value, its local derivative is often the value of its target's other
    input (a product), its grad often its target's grad (local 1) or its source's
    grad (a node used once); a text is reused only for the very same bits. Every
    entry is put together from columns of texts (numpy object arrays), so there is
    no Python-level work per entry but the float reprs.
    """
    plan = result.plan
    n_nodes = len(plan.node_ids)
    quoted = np.empty(n_nodes, dtype=object)  # node (file) order
    quoted[:] = list(map(encode_basestring, plan.node_ids))
    slots = plan.slot_of_position  # node order -> slot
    node_values = result.slot_values[slots]  # node order
    values = _json_numbers(node_values)
    node_grads = result.node_grads[slots]
    grads = _json_numbers(node_grads)

    write('{"output": ' + encode_basestring(result.output) + ', "nodes": {')
    for start in range(0, n_nodes, CHUNK):
        stop = min(start + CHUNK, n_nodes)
        columns = [quoted[start:stop], ': {"value": ', values[start:stop],
                   ', "grad": ', grads[start:stop]]
        if result.node_tangents is not None:
            columns += [', "tangent": ', _json_numbers(result.node_tangents[slots[start:stop]])]
        columns.append("}, ")
        write(_joined(columns, stop - start, "}" if stop == n_nodes else None))
    write('}, "edges": [')
    src, tgt = plan.edge_positions  # node positions, edge (file) order
    n_edges = len(src)
    ports = plan.e_port
    # ', "port": p, "value": ' for every port number there is
    port_texts = np.empty(int(ports.max()) + 1 if n_edges else 0, dtype=object)
    port_texts[:] = [f', "port": {p}, "value": ' for p in range(len(port_texts))]
    if n_edges:
        write('{"from": ')
        other = _other_inputs(plan)
    for start in range(0, n_edges, CHUNK):
        stop = min(start + CHUNK, n_edges)
        s, t, o = src[start:stop], tgt[start:stop], other[start:stop]
        locals_ = _json_numbers_like(result.edge_locals[start:stop],
                                     [(node_values[o], values[o], o >= 0)])
        edge_grads = _json_numbers_like(result.edge_grads[start:stop],
                                        [(node_grads[t], grads[t], None),
                                         (node_grads[s], grads[s], None)])
        columns = [quoted[s], ', "to": ', quoted[t], port_texts[ports[start:stop]],
                   values[s], ', "local": ', locals_, ', "grad": ', edge_grads,
                   '}, {"from": ']
        write(_joined(columns, stop - start, "}" if stop == n_edges else None))
    write("]}")


def print_table(model, result) -> None:
    """The readable table of `eval` without --json, on stdout: nodes, then edges."""
    out = result.output
    out_label = model.label(out)
    print(f"output: {out_label} = {fmt(result.value(out))}")
    print()
    header = ["node", "op", "value", f"∂{out_label}/∂node"]
    if result.tangent_input is not None:
        header.append(f"∂node/∂{model.label(result.tangent_input)}")
    rows = []
    for node_id in model.nodes():
        row = [node_id if model.label(node_id) == node_id else f"{node_id} ({model.label(node_id)})",
               model.op_of(node_id).name, fmt(result.value(node_id)), fmt(result.grad(node_id))]
        if result.tangent_input is not None:
            row.append(fmt(result.node_tangent(node_id)))
        rows.append(row)
    _print_rows(header, rows)
    print()
    rows = []
    for edge in result.plan.edges:
        numbers = result.edge(*edge)
        rows.append([f"{edge[0]} → {edge[1]}", str(edge[2]), fmt(numbers.value),
                     fmt(numbers.local), fmt(numbers.grad)])
    _print_rows(["edge", "port", "value", "local", "grad"], rows)


def print_check(rows) -> None:
    """The table of `eval --check` (rows from check.check_gradients), on stdout."""
    print()
    table = [[r.input, fmt(r.value), fmt(r.analytic, 8), fmt(r.numeric, 8),
              fmt(r.relative_difference, 2), "ok" if r.agrees else "DISAGREES"] for r in rows]
    _print_rows(["input", "value", "analytic", "central diff.", "rel. diff.", ""], table)
    bad = sum(not r.agrees for r in rows)
    print(f"\n{len(rows) - bad} of {len(rows)} gradients agree with central differences")


def _print_rows(header: list[str], rows: list[list[str]]) -> None:
    """Columns left-aligned, two spaces apart, no trailing blanks."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
