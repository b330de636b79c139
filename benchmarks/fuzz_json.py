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


_REPEATED = object()  # marks, on the walk's stack, the place of a repeated key


def first_duplicate(tree) -> list | None:
    """The place of the first key repeated in one object, in the order the text has
    them, as a list of keys and indices (``["nodes", 3, "id"]``); None if no object
    repeats a key. (A repeat inside the value of an earlier key comes first.)"""
    stack = [(tree, [])]
    while stack:
        item, place = stack.pop()
        if item is _REPEATED:
            return place
        if isinstance(item, Obj):
            seen, later = set(), []
            for key, value in item:
                if key in seen:
                    later.append((_REPEATED, place + [key]))
                    break
                seen.add(key)
                later.append((value, place + [key]))
            stack.extend(reversed(later))
        elif isinstance(item, list):
            stack.extend(reversed([(v, place + [i]) for i, v in enumerate(item)]))
    return None


def path_text(place: list) -> str:
    """A place as the loader's messages write it: ``nodes[3].id``."""
    text = ""
    for part in place:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
