"""Make the loader fuzz's cases: mutated copies of the example files.

Each case starts from one of the example files in resources/examples/ and
mutates it, either at byte level (flip, insert, delete, duplicate, truncate
bytes; random UTF-8 and invalid bytes) or at JSON-structure level (drop,
duplicate and retype keys; swap values for huge, tiny, negative-zero, NaN,
strings, booleans, nested junk; reorder and duplicate nodes and edges; wire
random ports; close cycles; nest deeply), one to four mutations per case.
``make_case(seed, index, sources())`` is always the same bytes for the same
seed and index.
"""

from __future__ import annotations

import random
from pathlib import Path

from fuzz_json import Obj, parse, write
from fuzz_values import (LEGAL_NUMBERS, OPS_KNOWN, WEIRD_NUMBERS, WEIRD_TEXT, junk,
                         nest_list, nested)

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


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


def _random_node(tree, rng):
    """One of the tree's node objects, or None (drawing nothing) if it has none."""
    nodes = [n for n in _nodes(tree) or [] if isinstance(n, Obj)]
    return rng.choice(nodes) if nodes else None


def _rename_ends(tree, old, new):
    """Edge ends and the output naming ``old`` name ``new`` instead."""
    for edge in _edges(tree) or []:
        if isinstance(edge, Obj):
            for end in ("from", "to"):
                if edge.get(end) == old:
                    edge.set(end, new)
    if tree.get("output") == old:
        tree.set("output", new)


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
    node = _random_node(tree, rng)
    if node is None:
        return None
    key = rng.choice(["value", "factor", "exponent", "x", "y", "label", "id", "op"])
    value = rng.choice(WEIRD_NUMBERS) if rng.random() < 0.6 else junk(rng)
    node.set(key, value)
    return f"node {key} = {value!r:.40}"


def m_rename_id(tree, rng):
    node = _random_node(tree, rng)
    if node is None:
        return None
    old = node.get("id")
    new = rng.choice(WEIRD_TEXT + _ids(tree))
    node.set("id", new)
    if rng.random() < 0.7:  # keep the wiring: rename the ends too
        _rename_ends(tree, old, new)
    return f"rename id {old!r:.20} -> {new!r:.20}"


def m_change_op(tree, rng):
    node = _random_node(tree, rng)
    if node is None:
        return None
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


def m_legal_number(tree, rng):
    """A hostile but legal number where a number belongs."""
    node = _random_node(tree, rng)
    if node is None:
        return None
    keys = [k for k, _v in node if k in ("value", "factor", "exponent", "x", "y")]
    if not keys:
        return None
    key, value = rng.choice(keys), rng.choice(LEGAL_NUMBERS)
    node.set(key, value)
    return f"{key} = {value!r}"


def m_legal_text(tree, rng):
    """A hostile but legal label, or an id renamed everywhere it is used."""
    node = _random_node(tree, rng)
    if node is None:
        return None
    text = rng.choice([t for t in WEIRD_TEXT
                       if t.strip() and not any("\ud800" <= c <= "\udfff" for c in t)])
    if rng.random() < 0.5:
        node.set("label", text)
        return "label = weird"
    old = node.get("id")
    if text in _ids(tree):
        return None
    node.set("id", text)
    _rename_ends(tree, old, text)
    return "id = weird (renamed everywhere)"


def m_legal_extra(tree, rng):
    places = [c for c, _i in containers(tree) if isinstance(c, Obj)] + [tree]
    target = rng.choice(places)
    value = rng.choice([None, True, "text", "x" * 10_000, [1, [2, {"k": -0.0}]], 10 ** 30,
                        Obj([("a", 1), ("a", 2)]), 5e-324, nest_list(90, 0), "日本語 🙂"])
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
