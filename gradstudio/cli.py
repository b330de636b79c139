"""The command line: `gradstudio [FILE]`, `eval`, `export`, `new`.

Exit status: 0 success, 2 bad input (one line on stderr, no traceback),
3 when `eval --check` finds a gradient that disagrees, 1 only for a bug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import json_number

if TYPE_CHECKING:  # numpy is imported on first use (see _single_threaded_blas)
    import numpy as np

SUBCOMMANDS = ("eval", "export", "new")


class UsageError(Exception):
    """Bad arguments: reported like bad input, in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print usage and exit; we want one line
        raise UsageError(f"{self.prog}: {message}")


def _eval_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio eval",
                description="Run forward and backward on a graph file and print every number.")
    p.add_argument("file", help="a gradstudio .json file")
    p.add_argument("--output", metavar="ID", help="the node to differentiate (default: the file's output or only sink)")
    p.add_argument("--json", action="store_true", help="print strict JSON instead of a table")
    p.add_argument("--tangent", metavar="INPUT", help="also run forward mode from this input node")
    p.add_argument("--check", action="store_true",
                   help="compare every input's gradient with central differences")
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio export",
                description="Render the annotated canvas to PNG or SVG, without a window.")
    p.add_argument("file", help="a gradstudio .json file")
    p.add_argument("out", help="the picture to write: OUT.png or OUT.svg; OUT.json writes "
                              "the drawn geometry (see docs/file-format.md)")
    p.add_argument("--after", choices=("forward", "backward"),
                   help="annotate with the numbers of this pass (default: none)")
    p.add_argument("--scale", type=float, default=1.0, help="PNG pixels per canvas unit")
    p.add_argument("--text-size", type=float, default=100.0, metavar="PERCENT",
                   help="canvas text size in percent, 100 to 300, as View → Text Size "
                        "(nodes and chips grow to fit; default 100)")
    return p


def run_export(args) -> int:
    if not (0 < args.scale <= 16):
        raise UsageError("gradstudio export: --scale must be more than 0 and at most 16")
    if not (100 <= args.text_size <= 300):
        raise UsageError("gradstudio export: --text-size must be from 100 to 300 (percent)")
    from gradstudio.ui.export import at_text_size
    from gradstudio.ui.headless import export_file
    with at_text_size(args.text_size):
        export_file(args.file, args.out, after=args.after, scale=args.scale)
    return 0


def _new_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio new",
                description="Write a laid-out graph file from a formula (see docs/formula.md).")
    p.add_argument("--formula", required=True,
                   help='e.g. "J = 3*(a + b*c)" (values may follow: ", a=5, b=3")')
    p.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE",
                   help="input values, e.g. --set a=5 b=3 c=2 (default 1)")
    p.add_argument("-o", "--out", required=True, metavar="OUT.json",
                   help="the graph file to write")
    return p


def run_new(args) -> int:
    from gradstudio.core import fileformat
    from gradstudio.core.atomic import SaveError
    from gradstudio.core.formula import build, parse_setting

    values: dict[str, float] = {}
    for text in args.set:
        for item in filter(None, text.split(",")):
            name, value = parse_setting(item)
            values[name] = value
    model = build(args.formula, values)
    try:
        fileformat.save(model, args.out)
    except OSError as exc:  # SaveError included: its message is for the user
        message = str(exc) if isinstance(exc, SaveError) else (
            f"cannot save {args.out}: {exc.strerror or exc}")
        raise UsageError(f"gradstudio new: {message}") from None
    return 0


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None  # the `gradstudio` command itself, not a call from Python
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "eval":
            _single_threaded_blas()
            from gradstudio.core.columns import paused_gc
            with paused_gc():  # eval makes no reference cycles worth collecting
                return run_eval(_eval_parser().parse_args(argv[1:]),
                                exit_when_done=as_program)
        if argv and argv[0] == "export":
            return run_export(_export_parser().parse_args(argv[1:]))
        if argv and argv[0] == "new":
            return run_new(_new_parser().parse_args(argv[1:]))
        if argv and argv[0] in SUBCOMMANDS:
            raise UsageError(f"gradstudio {argv[0]}: not available in this version yet")
        return run_window(argv)
    except (UsageError, GraphError) as exc:
        print(str(exc).splitlines()[0] if str(exc) else "bad input", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _single_threaded_blas() -> None:
    """No BLAS thread pool for eval, which does no linear algebra.

    Importing numpy starts OpenBLAS's worker threads, one per core; on a 2-core
    machine that alone costs about 0.05-0.1 s of start-up. Only before numpy is
    imported (numpy is imported lazily here for that reason), and a value the
    user set is kept.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run_window(argv: list[str]) -> int:
    from gradstudio.ui.app import run
    return run(argv)


def run_eval(args, exit_when_done: bool = False) -> int:
    from gradstudio.core import evaluate, fileformat
    from gradstudio.core.check import check_gradients
    from gradstudio.core.numbers import format_number

    # Columns and a plan, no networkx graph, when the file is clearly valid (the
    # plain loader, with every message, otherwise): both answer what follows.
    model = fileformat.load_for_eval(args.file)
    name = args.file
    missing = model.missing_port()
    if missing is not None:
        node_id, port = missing
        op = model.op_of(node_id).name
        place = model.nodes().index(node_id)
        raise UsageError(f"{name}: nodes[{place}] {node_id!r}: {op} has nothing "
                         f"connected to input port {port}")
    if args.output is not None and args.output not in model:
        raise UsageError(f"--output: no node {args.output!r} in {name}")
    if args.tangent is not None:
        if args.tangent not in model:
            raise UsageError(f"--tangent: no node {args.tangent!r} in {name}")
        if model.node_data(args.tangent)["op"] != "input":
            raise UsageError(f"--tangent: {args.tangent!r} is not an input node")
    try:
        output = model.resolve_output(args.output)
    except GraphError as exc:
        raise UsageError(f"{name}: output: {exc}") from None
    result = evaluate(model, output, tangent=args.tangent)
    for node_id, reason in result.problems.items():
        print(f"warning: {name}: node {node_id!r} gives {format_number(result.value(node_id))}"
              f" ({reason})", file=sys.stderr)

    if args.json:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (tests may swap one in)
            write_eval_json(model, result, sys.stdout.write)
            sys.stdout.write("\n")
        else:  # big UTF-8 chunks straight to the byte stream
            sys.stdout.flush()
            write_eval_json(model, result, lambda text: buffer.write(text.encode("utf-8")))
            buffer.write(b"\n")
    else:
        print_table(model, result)
    code = 0
    if args.check:
        rows = check_gradients(model, output)
        print_check(rows)
        code = 0 if all(r.agrees for r in rows) else 3
    if exit_when_done and code == 0:
        # Success, and everything is written: flush, then leave without freeing the
        # heap object by object (for a big graph that takes a noticeable fraction of
        # a second and gives nothing back). Only here: the eval command run as a
        # program (not main() called in process), only on success, only after flushing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return code


def eval_json(model, result) -> str:
    """The exact `--json` shape of the design, as one string."""
    parts: list[str] = []
    write_eval_json(model, result, parts.append)
    return "".join(parts)


_CHUNK = 32_768  # entries formatted and written at a time

#: Bits of the numbers written most often (add's local, the output's and a sum tree's
#: gradients, unreached gradients): one shared text each instead of a repr each.
_COMMON = ((0x3FF0000000000000, "1.0"), (0, "0.0"))


def _json_numbers(values: np.ndarray) -> np.ndarray:
    """Each number as json.dumps(json_number(x)) writes it, as an object array of str.

    Finite floats are their repr (what json writes for a float); inf, -inf and nan
    are the quoted strings of ``json_number``.
    """
    import numpy as np
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
    import numpy as np
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
    import numpy as np
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
    from json.encoder import encode_basestring  # json.dumps(str, ensure_ascii=False)
    import numpy as np
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
    for start in range(0, n_nodes, _CHUNK):
        stop = min(start + _CHUNK, n_nodes)
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
    for start in range(0, n_edges, _CHUNK):
        stop = min(start + _CHUNK, n_edges)
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
    from gradstudio.core.numbers import format_number as fmt
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
    from gradstudio.core.numbers import format_number as fmt
    print()
    table = [[r.input, fmt(r.value), fmt(r.analytic, 8), fmt(r.numeric, 8),
              fmt(r.relative_difference, 2), "ok" if r.agrees else "DISAGREES"] for r in rows]
    _print_rows(["input", "value", "analytic", "central diff.", "rel. diff.", ""], table)
    bad = sum(not r.agrees for r in rows)
    print(f"\n{len(rows) - bad} of {len(rows)} gradients agree with central differences")


def _print_rows(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
