"""Fuzz the file loader: every mutated file loads and round-trips, or is refused in one line.

    python benchmarks/fuzz_loader.py [--cases N] [--seed S] [--window-every K]
                                     [--only I] [--save-failures DIR] [-v]

Each case starts from one of the example files in resources/examples/ and
mutates it, either at byte level (flip, insert, delete, duplicate, truncate
bytes; random UTF-8 and invalid bytes) or at JSON-structure level (drop,
duplicate and retype keys; swap values for huge, tiny, negative-zero, NaN,
strings, booleans, nested junk; reorder and duplicate nodes and edges; wire
random ports; close cycles; nest deeply), one to four mutations per case.
Case I of seed S is always the same bytes (``--only I`` replays it).

A case passes when the core either

- loads it, and then ``dumps`` gives UTF-8-encodable text that loads again to
  the same text (the same graph, byte for byte), the slow validating loader
  (the fast path switched off) gives the same text too, and Forward/Backward
  either run or refuse with a GraphError; or
- refuses it with FileFormatError whose message is one line starting with the
  file's name and ": ".

Anything else (another exception, a multi-line message, a round trip that
changes the graph) is a failure. Every K-th case (``--window-every``, 0 to
skip) is also opened through the window's File → Open (``MainWindow.open_path``
with the error dialog captured): a refused file must show the same one-line
message and leave the document open before exactly as it was (same model, same
bytes, same path, still dirty); a loaded one must be what the core loads.

Prints the counts (loaded / refused / failures) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "resources" / "examples"

# ------------------------------------------------------------------ JSON tree
# Objects are kept as Obj (a list of key/value pairs) so that duplicate keys and
# key order survive; Raw is a literal token written as it is (NaN, 1e999, 007).


class Obj(list):
    def get(self, key, default=None):
        for k, v in self:
            if k == key:
                return v
        return default

    def set(self, key, value):
        for i, (k, _v) in enumerate(self):
            if k == key:
                self[i] = (key, value)
                return
        self.append((key, value))


class Raw(str):
    pass


def parse(data: bytes):
    return json.loads(data, object_pairs_hook=Obj)


def write(value, rng: random.Random, style: dict, depth: int = 0) -> str:
    """JSON text of a tree, iteratively for deep nesting."""
    out: list[str] = []
    stack = [("v", value)]
    sep = style.get("sep", ", ")
    colon = style.get("colon", ": ")
    ascii_ = style.get("ascii", False)
    while stack:
        kind, item = stack.pop()
        if kind == "s":
            out.append(item)
            continue
        if isinstance(item, Raw):
            out.append(str(item))
        elif isinstance(item, Obj):
            out.append("{")
            parts = []
            for i, (k, v) in enumerate(item):
                if i:
                    parts.append(("s", sep))
                parts.append(("s", json.dumps(k, ensure_ascii=ascii_) + colon))
                parts.append(("v", v))
            parts.append(("s", "}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            out.append("[")
            parts = []
            for i, v in enumerate(item):
                if i:
                    parts.append(("s", sep))
                parts.append(("v", v))
            parts.append(("s", "]"))
            stack.extend(reversed(parts))
        elif isinstance(item, float):
            if math.isnan(item):
                out.append("NaN")
            elif math.isinf(item):
                out.append("Infinity" if item > 0 else "-Infinity")
            else:
                out.append(repr(item))
        else:
            out.append(json.dumps(item, ensure_ascii=ascii_))
    return "".join(out)


# ------------------------------------------------------------------ junk values
OPS_KNOWN = ["input", "add", "multiply", "scale", "subtract", "divide", "power", "exp",
             "log", "tanh", "sigmoid", "relu", "sin", "cos"]
WEIRD_TEXT = ["", " ", "a", "J", "u", "x\"y", "quote'd", 'back\\slash', "naïve", "∂J/∂a",
              "日本語", "🙂", "\u2028", "\x00", "\n", "\t", "\ud800", "\udfff", "a\ud83d",
              "\u202eevil", "x" * 10_000, "NaN", "Infinity", "1e999", "__proto__",
              "<b>bold</b>", "%s%n", "{0}", "a" * 41]
WEIRD_NUMBERS = [0, 1, -1, 2, 3, 0.5, -0.0, 0.0, 1e308, -1e308, 5e-324, -5e-324,
                 1.7976931348623157e308, 2.2250738585072014e-308, 1e-300, 123456789012345678,
                 2 ** 53 + 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1, 10 ** 30, 10 ** 400,
                 float("nan"), float("inf"), float("-inf")]
RAW_TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "-0", "-0.0",
              "0e0", "1E+2", "4.9e-324", "2.4e-324", "1.7976931348623159e308",
              "9" * 400, "9" * 5000, "-" + "1" * 4301, "0.1e-400", "00", "01", "1.", ".5",
              "+1", "0x10", "true", "false", "null", "tru", "nul", '"\\ud800"',
              '"\\udc00\\ud800"', '"\\u0000"', '"\\uZZZZ"', "[]", "{}", '""']


def junk(rng: random.Random, depth: int = 0):
    r = rng.random()
    if r < 0.35:
        return rng.choice(WEIRD_NUMBERS)
    if r < 0.5:
        return Raw(rng.choice(RAW_TOKENS))
    if r < 0.65:
        return rng.choice(WEIRD_TEXT)
    if r < 0.72:
        return rng.choice([True, False, None])
    if r < 0.8:
        return rng.choice(OPS_KNOWN + ["mul", "Input", "", "ADD"])
    if depth > 3:
        return None
    if r < 0.9:
        return [junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    obj = Obj()
    for _ in range(rng.randint(0, 3)):
        obj.append((rng.choice(["id", "op", "value", "factor", "x", "from", "to", "port",
                                "color", "", "nodes"]), junk(rng, depth + 1)))
    return obj


def nested(rng: random.Random):
    depth = rng.choice([5, 50, 200, 400, 600, 800, 990, 1000, 2000, 100_000])
    inner = rng.choice([0, "x", None, Raw("NaN")])
    if rng.random() < 0.5:
        return _nest_list(depth, inner)
    return _nest_obj(depth, inner)


def _nest_list(depth, inner):
    value = inner
    for _ in range(depth):
        value = [value]
    return value


def _nest_obj(depth, inner):
    value = inner
    for _ in range(depth):
        value = Obj([("k", value)])
    return value


# ------------------------------------------------------------------ mutations
def containers(tree):
    """Every (container, key-or-index) place in the tree, iteratively."""
    places = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Obj):
            for i, (_k, v) in enumerate(node):
                places.append((node, i))
                if isinstance(v, list):
                    stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                places.append((node, i))
                if isinstance(v, list):
                    stack.append(v)
        if len(places) > 5000:
            break
    return places


def _get(container, i):
    return container[i][1] if isinstance(container, Obj) else container[i]


def _put(container, i, value):
    if isinstance(container, Obj):
        container[i] = (container[i][0], value)
    else:
        container[i] = value


def _nodes(tree):
    nodes = tree.get("nodes") if isinstance(tree, Obj) else None
    return nodes if type(nodes) is list else None


def _edges(tree):
    edges = tree.get("edges") if isinstance(tree, Obj) else None
    return edges if type(edges) is list else None


def _ids(tree):
    nodes = _nodes(tree) or []
    return [n.get("id") for n in nodes if isinstance(n, Obj) and isinstance(n.get("id"), str)]


def m_drop_key(tree, rng):
    places = [(c, i) for c, i in containers(tree) if isinstance(c, Obj)]
    if places:
        c, i = rng.choice(places)
        del c[i]
        return "drop key"
    return None


def m_duplicate_key(tree, rng):
    places = [(c, i) for c, i in containers(tree) if isinstance(c, Obj)]
    if places:
        c, i = rng.choice(places)
        k, _v = c[i]
        c.insert(rng.randint(0, len(c)), (k, junk(rng) if rng.random() < 0.7 else _get(c, i)))
        return f"duplicate key {k!r}"
    return None


def m_retype(tree, rng):
    places = containers(tree)
    if places:
        c, i = rng.choice(places)
        _put(c, i, junk(rng))
        return "retype value"
    return None


def m_param(tree, rng):
    """A node's number (value, factor, x, y, exponent) becomes a hostile one."""
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    if not nodes:
        return None
    node = rng.choice(nodes)
    key = rng.choice(["value", "factor", "exponent", "x", "y", "label", "id", "op"])
    value = rng.choice(WEIRD_NUMBERS) if rng.random() < 0.6 else junk(rng)
    node.set(key, value)
    return f"node {key} = {value!r:.40}"


def m_rename_id(tree, rng):
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    if not nodes:
        return None
    node = rng.choice(nodes)
    old = node.get("id")
    new = rng.choice(WEIRD_TEXT + _ids(tree))
    node.set("id", new)
    if rng.random() < 0.7:  # keep the wiring: rename the ends too
        for edge in _edges(tree) or []:
            if isinstance(edge, Obj):
                for end in ("from", "to"):
                    if edge.get(end) == old:
                        edge.set(end, new)
        if tree.get("output") == old:
            tree.set("output", new)
    return f"rename id {old!r:.20} -> {new!r:.20}"


def m_change_op(tree, rng):
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    if not nodes:
        return None
    node = rng.choice(nodes)
    op = rng.choice(OPS_KNOWN + ["mul", "", "Add"])
    node.set("op", op)
    if rng.random() < 0.5:
        node.set(rng.choice(["value", "factor", "exponent"]), rng.choice(WEIRD_NUMBERS[:12]))
    return f"op -> {op}"


def m_shuffle(tree, rng):
    lists = [x for x in (_nodes(tree), _edges(tree)) if x]
    if not lists:
        return None
    target = rng.choice(lists)
    rng.shuffle(target)
    return "shuffle"


def m_duplicate_item(tree, rng):
    lists = [x for x in (_nodes(tree), _edges(tree)) if x]
    if not lists:
        return None
    target = rng.choice(lists)
    item = rng.choice(target)
    copy = Obj(item) if isinstance(item, Obj) else item
    target.insert(rng.randint(0, len(target)), copy)
    return "duplicate node/edge"


def m_drop_item(tree, rng):
    lists = [x for x in (_nodes(tree), _edges(tree)) if x]
    if not lists:
        return None
    target = rng.choice(lists)
    del target[rng.randrange(len(target))]
    return "drop node/edge"


def m_wire(tree, rng):
    edges = _edges(tree)
    ids = _ids(tree)
    if edges is None or not ids:
        return None
    edge = Obj([("from", rng.choice(ids)), ("to", rng.choice(ids)),
                ("port", rng.choice([0, 0, 1, 1, 2, -1, 3, 10 ** 20, True, 0.0, "0"]))])
    if rng.random() < 0.2:
        edge.append((rng.choice(["style", "port", "from", "bend"]), junk(rng)))
    edges.insert(rng.randint(0, len(edges)), edge)
    return "random wire"


def m_rewire(tree, rng):
    edges = [e for e in _edges(tree) or [] if isinstance(e, Obj)]
    ids = _ids(tree)
    if not edges or not ids:
        return None
    edge = rng.choice(edges)
    key = rng.choice(["from", "to", "port"])
    edge.set(key, rng.choice(ids) if key != "port" else rng.choice([0, 1, 2, -1]))
    return f"rewire {key}"


def m_cycle(tree, rng):
    edges = [e for e in _edges(tree) or [] if isinstance(e, Obj)]
    if not edges:
        return None
    edge = rng.choice(edges)
    back = Obj([("from", edge.get("to")), ("to", edge.get("from")),
                ("port", rng.choice([0, 1]))])
    _edges(tree).append(back)
    return "close a cycle"


def m_output(tree, rng):
    if not isinstance(tree, Obj):
        return None
    value = rng.choice(_ids(tree) + [None, "", "nope", 3, ["J"]]) if rng.random() < 0.8 \
        else junk(rng)
    tree.set("output", value)
    return f"output = {value!r:.20}"


def m_version(tree, rng):
    if not isinstance(tree, Obj):
        return None
    tree.set(rng.choice(["version", "format"]),
             rng.choice([0, 1, 2, -1, 1.0, "1", True, None, 10 ** 30, "gradstudio", "Gradstudio"]))
    return "version/format"


def m_nest(tree, rng):
    places = [(c, i) for c, i in containers(tree)]
    if isinstance(tree, Obj) and rng.random() < 0.5:
        tree.append(("deep", nested(rng)))
        return "deep nesting (top)"
    if places:
        c, i = rng.choice(places)
        if isinstance(c, Obj) and rng.random() < 0.6:
            c.append(("deep", nested(rng)))
        else:
            _put(c, i, nested(rng))
        return "deep nesting"
    return None


def m_extra_key(tree, rng):
    places = [c for c, _i in containers(tree) if isinstance(c, Obj)] + [tree]
    target = rng.choice(places)
    if isinstance(target, Obj):
        target.append((rng.choice(["color", "note", "", "∂", "x\"y", "\ud800", "nodes", "a\nb",
                                   "\u2028", " pad "]),
                       junk(rng)))
        return "extra key"
    return None


LEGAL_NUMBERS = [0, -0.0, 1e308, -1e308, 5e-324, -5e-324, 1.7976931348623157e308, 0.1,
                 2.2250738585072014e-308, 2 ** 53 + 1, 123456789, -7, 1e-300, 3.0]


def m_legal_number(tree, rng):
    """A hostile but legal number where a number belongs."""
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    if not nodes:
        return None
    node = rng.choice(nodes)
    keys = [k for k, _v in node if k in ("value", "factor", "exponent", "x", "y")]
    if not keys:
        return None
    key, value = rng.choice(keys), rng.choice(LEGAL_NUMBERS)
    node.set(key, value)
    return f"{key} = {value!r}"


def m_legal_text(tree, rng):
    """A hostile but legal label, or an id renamed everywhere it is used."""
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    if not nodes:
        return None
    node = rng.choice(nodes)
    text = rng.choice([t for t in WEIRD_TEXT
                       if t.strip() and not any("\ud800" <= c <= "\udfff" for c in t)])
    if rng.random() < 0.5:
        node.set("label", text)
        return "label = weird"
    old = node.get("id")
    if text in _ids(tree):
        return None
    node.set("id", text)
    for edge in _edges(tree) or []:
        if isinstance(edge, Obj):
            for end in ("from", "to"):
                if edge.get(end) == old:
                    edge.set(end, text)
    if tree.get("output") == old:
        tree.set("output", text)
    return "id = weird (renamed everywhere)"


def m_legal_extra(tree, rng):
    places = [c for c, _i in containers(tree) if isinstance(c, Obj)] + [tree]
    target = rng.choice(places)
    value = rng.choice([None, True, "text", "x" * 10_000, [1, [2, {"k": -0.0}]], 10 ** 30,
                        Obj([("a", 1), ("a", 2)]), 5e-324, _nest_list(90, 0), "日本語 🙂"])
    if not isinstance(target, Obj):
        return None
    target.append((rng.choice(["color", "note", "", "∂", "x\"y", "a\nb", "\u2028"]), value))
    return "legal extra key"


def m_legal_order(tree, rng):
    lists = [x for x in (_nodes(tree), _edges(tree)) if x]
    if not lists:
        return None
    rng.shuffle(rng.choice(lists))
    return "shuffle"


MILD = [m_legal_number, m_legal_number, m_legal_text, m_legal_extra, m_legal_order]

STRUCT = [m_drop_key, m_duplicate_key, m_retype, m_param, m_param, m_rename_id, m_change_op,
          m_shuffle, m_duplicate_item, m_drop_item, m_wire, m_wire, m_rewire, m_cycle,
          m_output, m_version, m_nest, m_extra_key]

BYTE_JUNK = [b"\x00", b"\xff", b"\xfe", b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80",
             b"\xf4\x90\x80\x80", b"\xef\xbb\xbf", b"\x80", "é".encode(), "🙂".encode(),
             "\u2028".encode(), b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u",
             b"-", b"e", b"0", b"9", b"NaN", b"1e999", b" ", b"\n", b"\r", b"\t"]


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    buf = bytearray(data)
    kind = rng.choice(["flip", "insert", "delete", "truncate", "dup", "replace", "junk",
                       "digit", "bom"])
    n = len(buf)
    if kind == "flip" and n:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "insert":
        i = rng.randint(0, n)
        buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    elif kind == "delete" and n:
        i = rng.randrange(n)
        del buf[i:i + rng.randint(1, 40)]
    elif kind == "truncate":
        del buf[rng.randint(0, n):]
    elif kind == "dup" and n:
        i = rng.randrange(n)
        piece = buf[i:i + rng.randint(1, 200)]
        j = rng.randint(0, n)
        buf[j:j] = piece
    elif kind == "replace" and n:
        i = rng.randrange(n)
        buf[i] = rng.randrange(256)
    elif kind == "junk":
        i = rng.randint(0, n)
        buf[i:i] = rng.choice(BYTE_JUNK)
    elif kind == "digit":
        digits = [i for i, b in enumerate(buf) if 48 <= b <= 57]
        if digits:
            i = rng.choice(digits)
            buf[i:i + 1] = rng.choice([b"9" * 400, b"1e400", b"-0", b".", b"e-", b"0.0",
                                       str(rng.randrange(10)).encode()])
    elif kind == "bom":
        buf[0:0] = b"\xef\xbb\xbf"
    return bytes(buf), f"bytes:{kind}"


def make_case(seed: int, index: int, sources: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    rng = random.Random(f"{seed}:{index}")
    name, data = rng.choice(sources)
    steps = [name]
    r = rng.random()
    if r < 0.3:
        for _ in range(rng.randint(1, 3)):
            data, what = mutate_bytes(data, rng)
            steps.append(what)
        return data, " | ".join(steps)
    tree = parse(data)
    mild = rng.random() < 0.35  # only changes a valid file may have: these mostly load
    for _ in range(rng.randint(1, 4)):
        what = rng.choice(MILD if mild else STRUCT)(tree, rng)
        if what:
            steps.append(what)
    if rng.random() < 0.03:
        tree = junk(rng)
        steps.append("root replaced")
    style = rng.choice([{}, {"sep": ",", "colon": ":"}, {"ascii": True},
                        {"sep": ",\n  ", "colon": " : "}])
    text = write(tree, rng, style)
    data = text.encode("utf-8", errors="surrogatepass")
    if rng.random() < 0.1:
        data, what = mutate_bytes(data, rng)
        steps.append(what)
    return data, " | ".join(steps)


def sources() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.json"))]


# ------------------------------------------------------------------ checking
class Failure(Exception):
    pass


def one_line(message: str, name: str) -> None:
    if message.splitlines() != [message] or "\r" in message or "\n" in message:
        raise Failure(f"message is not one line: {message[:300]!r}")
    if not message.startswith(f"{name}: "):
        raise Failure(f"message does not start with the file name: {message[:300]!r}")


def check_core(data: bytes, name: str) -> str:
    """'loaded' or 'refused'; raises Failure (or anything else) on a bug."""
    from gradstudio.core import fileformat
    from gradstudio.core.errors import FileFormatError, GraphError
    from gradstudio.core.passes import Evaluation

    try:
        model = fileformat.loads(data, name)
    except FileFormatError as exc:
        one_line(str(exc), name)
        return "refused"
    text = fileformat.dumps(model)
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Failure(f"saved text is not UTF-8 encodable: {exc}") from None
    again = fileformat.loads(encoded, name)
    if fileformat.dumps(again) != text:
        raise Failure("save → reload changed the graph")
    slow = slow_load(data, name)
    if fileformat.dumps(slow) != text:
        raise Failure("the fast loader and the validating loader disagree")
    try:
        evaluation = Evaluation(model)
        evaluation.backward()
    except GraphError as exc:
        if "\n" in str(exc):
            raise Failure(f"pass message is not one line: {str(exc)[:200]!r}") from None
    return "loaded"


def slow_load(data: bytes, name: str):
    from gradstudio.core import fileformat
    original = fileformat.quick_check
    fileformat.quick_check = lambda nodes, edges: None
    try:
        return fileformat.loads(data, name)
    finally:
        fileformat.quick_check = original


class WindowProbe:
    """A window with a dirty document open, answering its dialogs itself."""

    def __init__(self, folder: Path, window=None) -> None:
        from PySide6.QtWidgets import QApplication
        if window is None:  # a window of our own, writing nothing outside ``folder``
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            os.environ["XDG_DATA_HOME"] = str(folder / "data")  # recovery files stay here
            from PySide6.QtCore import QSettings
            app = QApplication.instance() or QApplication([])
            QSettings.setDefaultFormat(QSettings.IniFormat)
            QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
            app.setOrganizationName("gradstudio-fuzz")
            app.setApplicationName("gradstudio-fuzz")
            from gradstudio.ui.mainwindow import MainWindow
            window = MainWindow()
        self.app = QApplication.instance()
        self.folder = folder
        self.win = window
        self.win.errors = []
        self.win.show_error = lambda title, message: self.win.errors.append((title, message))
        self.win.ask_unsaved = lambda: "discard"
        self.baseline = folder / "baseline.json"
        self.baseline.write_bytes((EXAMPLES / "chain_rule.json").read_bytes())
        self.reset()

    def reset(self) -> None:
        assert self.win.open_path(self.baseline, ask=False)
        self.win.doc.set_param("a", "value", 7.0)  # unsaved changes to keep
        self.win.errors.clear()

    def check(self, data: bytes, index: int, expected: str) -> None:
        from gradstudio.core import fileformat
        win, doc = self.win, self.win.doc
        path = self.folder / f"case_{index}.json"
        path.write_bytes(data)
        before = (doc.model, fileformat.dumps(doc.model), doc.path, doc.dirty,
                  doc.undo_stack.index(), win.windowTitle(), len(win.scene.nodes))
        try:
            opened = win.open_path(path, ask=False)
            self.app.processEvents()
            if opened != (expected == "loaded"):
                raise Failure(f"the window {'opened' if opened else 'refused'} a file "
                              f"the core {expected}")
            if not opened:
                if len(win.errors) != 1:
                    raise Failure(f"expected one error dialog, got {win.errors!r:.300}")
                one_line(win.errors[0][1], str(path))
                after = (doc.model, fileformat.dumps(doc.model), doc.path, doc.dirty,
                         doc.undo_stack.index(), win.windowTitle(), len(win.scene.nodes))
                if after != before:
                    raise Failure("a refused file changed the open document")
            else:
                if win.errors:
                    raise Failure(f"an opened file showed an error: {win.errors!r:.300}")
                if fileformat.dumps(doc.model) != fileformat.dumps(fileformat.load(path)):
                    raise Failure("the window holds another graph than the core loads")
                if set(win.scene.nodes) != set(doc.model.nodes()) or doc.dirty:
                    raise Failure("the canvas does not mirror the opened file")
        finally:
            path.unlink()
            if win.errors or doc.path != self.baseline or not doc.dirty:
                self.reset()


# ------------------------------------------------------------------ running
def run(cases: int, seed: int, window_every: int = 0, only: int | None = None,
        save_failures: Path | None = None, verbose: bool = False, out=print,
        window=None) -> dict:
    """Run cases 0..cases-1 of ``seed``; ``window``: an existing MainWindow to open them in."""
    srcs = sources()
    counts = {"loaded": 0, "refused": 0, "failures": 0, "window": 0}
    failures = []
    probe = None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gradstudio-fuzz-") as tmp:
        own_window = window is None
        if window_every:
            probe = WindowProbe(Path(tmp), window)
        indices = [only] if only is not None else range(cases)
        for index in indices:
            data, how = make_case(seed, index, srcs)
            name = f"case_{index}.json"
            try:
                outcome = check_core(data, name)
                counts[outcome] += 1
                if probe is not None and (index % window_every == 0 or only is not None):
                    probe.check(data, index, outcome)
                    counts["window"] += 1
            except Exception as exc:  # noqa: BLE001 - every other exception is a finding
                counts["failures"] += 1
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                failures.append((index, how, detail))
                if verbose:
                    out(f"FAIL case {index} ({how}): {detail[:400]}")
                    out("".join(traceback.format_exception(exc))[-2000:])
                if save_failures is not None:
                    save_failures.mkdir(parents=True, exist_ok=True)
                    (save_failures / f"seed{seed}_case{index}.json").write_bytes(data)
        if probe is not None and own_window:
            probe.win.doc.undo_stack.setClean()
            probe.win.doc.undo_stack.blockSignals(True)  # quiet teardown
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["failure_list"] = failures
    return counts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--window-every", type=int, default=25,
                   help="open every K-th case through the window too (0: never)")
    p.add_argument("--only", type=int, help="replay one case")
    p.add_argument("--save-failures", type=Path, help="write failing cases into this folder")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    counts = run(args.cases, args.seed, args.window_every, args.only, args.save_failures,
                 args.verbose)
    failures = counts.pop("failure_list")
    for index, how, detail in failures[:50]:
        print(f"FAIL case {index} ({how}): {detail[:300]}")
    total = counts["loaded"] + counts["refused"] + counts["failures"]
    print(f"fuzz_loader seed {args.seed}: {total} cases in {counts['seconds']} s: "
          f"{counts['loaded']} loaded, {counts['refused']} refused, "
          f"{counts['failures']} failures ({counts['window']} also opened in the window)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
