"""File format v1: loading with precise messages, and stable, atomic saving.

A bad file is refused whole with one line naming the file and the JSON place
(``graph.json: nodes[3].op: unknown op 'mul' (known: ...)``). Keys gradstudio
does not know are kept and written back. See docs/file-format.md.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from gradstudio.core import jsonkeys, plaintext
from gradstudio.core.atomic import atomic_write
from gradstudio.core.errors import FileFormatError
from gradstudio.core.columns import (EDGE_KEYS, NODE_KEYS, Columns, is_number, kahn,
                                     paused_gc)
from gradstudio.core.loaded import LoadedGraph
from gradstudio.core.ops import OPS, known_ops_text
from gradstudio.core.bulk import quick_check
from gradstudio.core.plan import topological_order
from gradstudio.core.quiz import pruned as pruned_quiz, read as read_quiz
from gradstudio.core.reading import read_limited

if TYPE_CHECKING:  # the model (and networkx) are imported only when a model is built
    from gradstudio.core.model import GraphModel

FORMAT_NAME = "gradstudio"
VERSION = 1
TOP_KEYS = ("format", "version", "output", "nodes", "edges")


class _Constant:
    """Stands for NaN/Infinity in a file, so validation can say where it was."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def load(path: str | os.PathLike) -> GraphModel:
    return _load_path(path, for_eval=False)


def load_for_eval(path: str | os.PathLike) -> LoadedGraph | GraphModel:
    """``load`` for headless evaluation: the same checks and messages, but a clearly
    valid file becomes columns (a LoadedGraph), without the editor's networkx graph.
    Any file the fast path is not sure about goes through the plain loader."""
    return _load_path(path, for_eval=True)


def _load_path(path, for_eval: bool):
    name = str(path)
    data = read_limited(path, name)  # a regular file, not past the size limit
    holder = [_text(data, name)]
    del data  # big files: keep only one copy of the content alive at a time
    return _load_text(holder, name, for_eval)


def loads(data: bytes | str, name: str = "<graph>") -> GraphModel:
    """Parse and validate a whole file's content; raises FileFormatError."""
    return _load_text([_text(data, name)], name)


def _text(data: bytes | bytearray | str, name: str) -> str:
    if isinstance(data, (bytes, bytearray)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileFormatError(f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} "
                                  f"at offset {exc.start})") from None
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():  # not text.strip(), without copying a big file
        raise FileFormatError(f"{name}: the file is empty")
    return text


def _load_text(holder: list[str], name: str, for_eval: bool = False) -> GraphModel:
    """Parse the one text in ``holder`` (taken out, so it is freed after parsing)."""
    with paused_gc():
        text = holder.pop()
        try:
            obj = json.loads(text, parse_constant=_Constant)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"{name}: line {exc.lineno} column {exc.colno}: "
                                  f"not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise FileFormatError(f"{name}: not a graph file (JSON nested too deeply)") from None
        except ValueError:  # an integer literal too long to convert (Python ≥ 3.11)
            raise FileFormatError(_too_many_digits(text, name)) from None
        jsonkeys.refuse_duplicates(text, obj, name)
        if "\\u" in text or (not text.isascii() and _has_raw_surrogate(text)):
            _refuse_surrogates(obj, name)
        scan = plaintext.may_hold(text)  # else no id or label can break the rule
        del text
        if for_eval:
            return _loaded_graph(obj, name, scan)
        return _from_dict(obj, name, consume=True, scan=scan)


def _too_many_digits(text: str, name: str) -> str:
    """The message for a number literal with more digits than Python converts."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    match = re.search(r"[:\[,]\s*-?(\d{%d,})" % (limit + 1), text)
    if match is None:
        return f"{name}: a number in the file has too many digits to read"
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return (f"{name}: line {line} column {column}: a number with "
            f"{len(match.group(1))} digits is too long to read")


def _has_raw_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(obj, name: str) -> None:
    """A lone surrogate ("\\ud800") is not Unicode text: it could not be saved as UTF-8."""
    stack = [(obj, "")]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            match = _SURROGATE.search(item)
            if match:
                raise FileFormatError(
                    f"{_where(name, place)}text with a lone surrogate "
                    f"\\u{ord(match.group()):04x} is not valid Unicode")
        elif isinstance(item, dict):
            children = []
            for key, value in item.items():
                inner = f"{place}.{_key_text(key)}" if place else _key_text(key)
                if _SURROGATE.search(key):
                    stack.append((key, inner))
                    break
                children.append((value, inner))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(v, f"{place}[{i}]") for i, v in enumerate(item)]))


def _key_text(key: str) -> str:
    """A key as a message shows it: quoted and escaped unless it is plain printable text."""
    return key if key.isprintable() and key.strip() == key and key else repr(key)


def _where(name: str, place: str) -> str:
    return f"{name}: {place}: " if place else f"{name}: "


def _kind(value) -> str:
    if isinstance(value, _Constant):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def from_dict(obj, name: str = "<graph>") -> GraphModel:
    """Validate a parsed file and build its model (``obj`` is left as it was)."""
    with paused_gc():
        return _from_dict(obj, name, consume=False, scan=True)


def _failer(name: str):
    def fail(place: str, message: str):
        raise FileFormatError(_where(name, place) + message)
    return fail


def _loaded_graph(obj, name: str, scan: bool = True) -> LoadedGraph | GraphModel:
    """A clearly valid document as columns; anything else the plain way (its messages)."""
    fail = _failer(name)
    raw_nodes, raw_edges = _header(obj, fail)
    quick = quick_check(raw_nodes, raw_edges)
    if quick is None:
        return _from_dict(obj, name, consume=True)
    if scan:
        _check_texts(raw_nodes, fail)
    output = _checked_output(obj, quick.position, fail)
    extra = _check_extras(obj, set(TOP_KEYS), "", fail)
    order = kahn(len(quick.ids), quick.src, quick.tgt)
    if len(order) != len(quick.ids):  # the plain loader names the nodes on the cycle
        return _from_dict(obj, name, consume=True)
    _check_quiz(extra, quick.position.__contains__,
                _wire_finder(quick.ids, quick.src, quick.tgt, quick.port), fail)
    labels = ({raw["id"]: raw["label"] for raw in raw_nodes if "label" in raw}
              if quick.has_labels else {})
    raw_nodes.clear()  # the parsed file goes now: the columns hold all the eval needs
    raw_edges.clear()
    columns = Columns(quick.ids, quick.op_codes, quick.src, quick.tgt,
                      np.array(quick.port, dtype=np.intp), quick.position,
                      np.array(order, dtype=np.intp))
    params = {key: column for key, column in quick.numbers.items() if key not in ("x", "y")}
    return LoadedGraph(columns, params, labels, output, extra)


def _header(obj, fail) -> tuple:
    """The checks before nodes and edges; returns the raw node and edge lists."""
    if not isinstance(obj, dict):
        fail("", f"the top level must be a JSON object, not {_kind(obj)}")
    if "format" not in obj:
        fail("format", f'missing: not a gradstudio file (expected "format": "{FORMAT_NAME}")')
    if obj["format"] != FORMAT_NAME:
        fail("format", f"{_kind(obj['format'])} is not {FORMAT_NAME!r}: not a gradstudio file")
    version = obj.get("version")
    if "version" not in obj:
        fail("version", "missing")
    if isinstance(version, bool) or not isinstance(version, int):
        fail("version", f"must be an integer, not {_kind(version)}")
    if version > VERSION:
        fail("version", f"{version} is newer than this gradstudio reads (version {VERSION}); "
                        "update gradstudio to open it")
    if version < 1:
        fail("version", f"{version} is not a valid version (this gradstudio reads {VERSION})")

    raw_nodes = obj.get("nodes")
    if "nodes" not in obj:
        fail("nodes", "missing")
    if not isinstance(raw_nodes, list):
        fail("nodes", f"must be a list, not {_kind(raw_nodes)}")
    return raw_nodes, obj.get("edges", [])


def _checked_output(obj, index_of, fail) -> str | None:
    output = obj.get("output")
    if output is not None:
        if not isinstance(output, str):
            fail("output", f"must be a node id (a string), not {_kind(output)}")
        if output not in index_of:
            fail("output", f"no node {output!r}")
    return output


def _from_dict(obj, name: str, consume: bool, scan: bool = True) -> GraphModel:
    """from_dict; with ``consume`` it may take ``obj`` apart to save memory. ``scan``
    False: the text held nothing an id or a label may not (plaintext.may_hold)."""
    from gradstudio.core.model import GraphModel
    fail = _failer(name)
    raw_nodes, raw_edges = _header(obj, fail)
    quick = quick_check(raw_nodes, raw_edges)
    if quick is not None and scan:
        _check_texts(raw_nodes, fail)
    if quick is not None:
        ids = quick.ids
        if consume:  # the parsed dicts become the nodes' own; the edge dicts go now
            for raw in raw_nodes:
                del raw["id"]
            nodes = list(zip(ids, raw_nodes))
            raw_edges.clear()
        else:
            nodes = [(node_id, _without_id(raw)) for node_id, raw in zip(ids, raw_nodes)]
        index_of = quick.position
    else:
        nodes, edges, index_of = _checked_parts(raw_nodes, obj, fail)

    output = _checked_output(obj, index_of, fail)
    extra = _check_extras(obj, set(TOP_KEYS), "", fail)
    order = None
    if quick is not None:
        sources = list(map(ids.__getitem__, quick.src.tolist()))  # the nodes' own strings
        targets = list(map(ids.__getitem__, quick.tgt.tolist()))
        model = GraphModel.from_columns(nodes, sources, targets, quick.port, output, extra)
        del nodes, sources, targets
        order = kahn(len(ids), quick.src, quick.tgt)
        if len(order) != len(ids):
            order = None
    else:
        model = GraphModel.from_checked(nodes, edges, output, extra, own_data=True)
    if order is None:
        _refuse_cycles(model, name)
    else:
        model.remember_order(np.array(order, dtype=np.intp))
    _check_quiz(extra, model.__contains__,
                lambda e: e[1] in model and model.source(e[1], e[2]) == e[0], fail)
    return model


def _check_quiz(extra: dict, has_node, has_edge, fail) -> None:
    """The optional "quiz" key (core/quiz.py), checked; the file keeps it as it is."""
    if "quiz" in extra:
        read_quiz(extra["quiz"], has_node, has_edge, fail)


def _wire_finder(ids, src, tgt, ports):
    """has_edge for columns: the set of wires is made only if a quiz names wires."""
    wires = None

    def has_edge(edge) -> bool:
        nonlocal wires
        if wires is None:
            wires = set(zip(map(ids.__getitem__, src.tolist()),
                            map(ids.__getitem__, tgt.tolist()), list(ports)))
        return edge in wires
    return has_edge


def _check_texts(raw_nodes: list, fail) -> None:
    """Ids and labels of nodes the quick check accepted, by the plaintext rule."""
    search = plaintext.NOT_ALLOWED.search
    for i, raw in enumerate(raw_nodes):
        for key, what in (("id", "an id"), ("label", "a label")):
            text = raw.get(key)
            if type(text) is str and search(text):
                fail(f"nodes[{i}].{key}", plaintext.problem(text, what))


def _without_id(raw: dict) -> dict:
    data = dict(raw)
    del data["id"]
    return data


def _checked_parts(raw_nodes: list, obj: dict, fail) -> tuple[list, list, dict]:
    """Nodes and edges checked one by one, failing with the exact place."""
    index_of: dict[str, int] = {}
    ports_of: dict[str, int] = {}
    nodes = []
    for i, raw in enumerate(raw_nodes):
        place = f"nodes[{i}]"
        if not isinstance(raw, dict):
            fail(place, f"must be an object, not {_kind(raw)}")
        node_id = raw.get("id")
        if "id" not in raw:
            fail(f"{place}.id", "missing")
        if not isinstance(node_id, str) or not node_id:
            fail(f"{place}.id", f"must be a non-empty string, not {_kind(node_id)}")
        if plaintext.NOT_ALLOWED.search(node_id):
            fail(f"{place}.id", plaintext.problem(node_id, "an id"))
        if node_id in index_of:
            fail(f"{place}.id", f"duplicate id {node_id!r} (also nodes[{index_of[node_id]}])")
        op_name = raw.get("op")
        if "op" not in raw:
            fail(f"{place}.op", "missing")
        if not isinstance(op_name, str):
            fail(f"{place}.op", f"must be a string, not {_kind(op_name)}")
        op = OPS.get(op_name)
        if op is None:
            fail(f"{place}.op", f"unknown op {op_name!r} (known: {known_ops_text()})")
        if "label" in raw and not isinstance(raw["label"], str):
            fail(f"{place}.label", f"must be a string, not {_kind(raw['label'])}")
        if "label" in raw and plaintext.NOT_ALLOWED.search(raw["label"]):
            fail(f"{place}.label", plaintext.problem(raw["label"], "a label"))
        for key in ("x", "y"):
            if key in raw and not is_number(raw[key]):
                fail(f"{place}.{key}", f"must be a finite number, not {_kind(raw[key])}")
        for param in op.param_names:
            if param not in raw:
                fail(f"{place}.{param}", f"missing ({op_name} needs {param})")
            if not is_number(raw[param]):
                fail(f"{place}.{param}", f"must be a finite number, not {_kind(raw[param])}")
        _check_extras(raw, set(NODE_KEYS) | set(op.param_names), place, fail)
        index_of[node_id] = i
        ports_of[node_id] = op.ports
        data = dict(raw)
        del data["id"]
        nodes.append((node_id, data))

    raw_edges = obj.get("edges", [])
    if not isinstance(raw_edges, list):
        fail("edges", f"must be a list, not {_kind(raw_edges)}")
    taken: dict[tuple[str, int], int] = {}
    edges = []
    for i, raw in enumerate(raw_edges):
        place = f"edges[{i}]"
        if not isinstance(raw, dict):
            fail(place, f"must be an object, not {_kind(raw)}")
        for key in ("from", "to"):
            if key not in raw:
                fail(f"{place}.{key}", "missing")
            end = raw[key]
            if not isinstance(end, str):
                fail(f"{place}.{key}", f"must be a node id (a string), not {_kind(end)}")
            if end not in index_of:
                fail(f"{place}.{key}", f"no node {end!r}")
        source, target = raw["from"], raw["to"]
        if "port" not in raw:
            fail(f"{place}.port", "missing")
        port = raw["port"]
        if isinstance(port, bool) or not isinstance(port, int):
            fail(f"{place}.port", f"must be an integer, not {_kind(port)}")
        n_ports = ports_of[target]
        if n_ports == 0:
            fail(f"{place}.to", f"{target!r} is an input node: nothing can be connected into it")
        if not 0 <= port < n_ports:
            op_name = nodes[index_of[target]][1]["op"]
            fail(f"{place}.port", f"{port} is out of range for {target!r} "
                                  f"({op_name} has {n_ports} input{'s' if n_ports != 1 else ''})")
        if source == target:
            fail(place, f"{source!r} is connected to itself")
        if (target, port) in taken:
            fail(f"{place}.port", f"port {port} of {target!r} is already taken "
                                  f"by edges[{taken[(target, port)]}]")
        taken[(target, port)] = i
        extra = _check_extras(raw, set(EDGE_KEYS), place, fail)
        edges.append(((source, target, port), extra))

    return nodes, edges, index_of


def _check_extras(raw: dict, known: set, place: str, fail) -> dict:
    """Unknown keys are kept as they are, as long as they hold plain JSON."""
    extra = {}
    for key, value in raw.items():
        if key in known:
            continue
        problem = _extra_problem(value)
        if problem:
            fail(f"{place}.{_key_text(key)}" if place else _key_text(key), problem)
        extra[key] = value
    return extra


#: How deep an unknown key's value may nest: saving writes it back recursively.
MAX_EXTRA_DEPTH = 100


def _extra_problem(value) -> str | None:
    """Why an unknown key's value cannot be kept and written back, or None."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, _Constant) or (type(item) is float and not math.isfinite(item)):
            return "NaN, Infinity and numbers too large for a double are not JSON"
        if isinstance(item, (dict, list)):
            if depth > MAX_EXTRA_DEPTH:
                return f"nested more than {MAX_EXTRA_DEPTH} levels deep"
            values = item.values() if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values)
    return None


def _refuse_cycles(model: GraphModel, name: str) -> None:
    try:
        topological_order(model)
    except Exception:
        import networkx as nx
        cycle = nx.find_cycle(model.graph)
        nodes = [u for u, _v, _k in cycle] + [cycle[0][0]]
        raise FileFormatError(f"{name}: edges: the graph has a cycle: "
                              + " → ".join(nodes)) from None


def to_dict(model: GraphModel) -> dict:
    for doc in to_dict_in_parts(model, batch=sys.maxsize):
        pass
    return doc


def to_dict_in_parts(model: GraphModel, batch: int = 500) -> Iterator[dict]:
    """``to_dict`` built ``batch`` nodes or wires at a time, so a caller can pause
    between parts (the crash-recovery copy of a big graph). Yields the dict being
    filled after each part; it is complete once exhausted, provided the model did
    not change meanwhile (the caller's to watch)."""
    doc = dict(model.extra)
    if "quiz" in doc:  # without the nodes and wires deleted since: the file loads again
        doc["quiz"] = pruned_quiz(doc["quiz"], model)
    doc["format"] = FORMAT_NAME
    doc["version"] = VERSION
    if model.output is not None:
        doc["output"] = model.output
    nodes, edges = doc["nodes"], doc["edges"] = [], []
    node_items = iter(model.graph.nodes(data=True))
    while part := [{"id": node_id, **data} for node_id, data in islice(node_items, batch)]:
        nodes.extend(part)
        yield doc
    edge_keys = iter(model.edges())
    while part := [{**model.edge_extra(e), "from": e[0], "to": e[1], "port": e[2]}
                   for e in islice(edge_keys, batch)]:
        edges.extend(part)
        yield doc
    yield doc


def dumps(model: GraphModel) -> str:
    """Sorted, indented, UTF-8 friendly text: the same graph always gives the same bytes."""
    return json.dumps(to_dict(model), indent=2, sort_keys=True, ensure_ascii=False,
                      allow_nan=False) + "\n"


def save(model: GraphModel, path: str | os.PathLike) -> None:
    """Write atomically; on failure raise SaveError and leave the old file as it was."""
    atomic_write(path, dumps(model).encode("utf-8"))
