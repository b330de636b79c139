"""A JSON tree for the loader fuzz that keeps what ``json`` would lose.

Objects are kept as Obj (a list of key/value pairs) so that duplicate keys and
key order survive; Raw is a literal token written as it is (NaN, 1e999, 007).
``parse`` reads bytes into such a tree; ``write`` gives its text back in one of
a few spacing styles, iteratively so that 100,000-deep nesting can be written.
"""

from __future__ import annotations

import json
import math
import random


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
