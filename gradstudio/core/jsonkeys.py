"""Duplicate keys in JSON text: refused, with the place and the line.

``{"id": "a", "id": "b"}`` is valid JSON syntax, but readers disagree on what it
means (Python keeps the last value, others the first), so a graph file that
holds one is refused. Checking every object as it is parsed (an
``object_pairs_hook``) costs ~80 ms on the 18 MB benchmark file, so the check
goes in three steps, each run only when the one before could not decide:

1. A proof from counts, ~10 ms on that file. Every key in JSON text is
   followed by a colon outside any string, so the text's colons (``count(":")``)
   are at least its keys, and those are at least the keys that survive parsing.
   When the parsed keys already reach the colon count, no key was lost: no
   duplicates. Counting only the top level and the node and edge objects
   (``keys_at_least``) is enough for the files gradstudio writes; a colon inside
   a string or a nested object in an unknown key just sends the file to step 2.
2. A second parse whose hook compares each object's pairs with the dict they
   make (C code but for one small call per object).
3. Only for a file that has one: a scan of the text that finds the first
   duplicate in document order, its JSON path and its line (``find``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from gradstudio.core.errors import FileFormatError


@dataclass(frozen=True)
class Duplicate:
    """The first key met a second time in one object."""

    path: str  # JSON path of the key, e.g. nodes[3].id
    key: str
    line: int  # of the second occurrence
    column: int
    first_line: int  # of the first one


def key_text(key: str) -> str:
    """A key as a path shows it: quoted and escaped unless it is plain printable text,
    and cut short when long."""
    shown = key if key.isprintable() and key.strip() == key and key else repr(key)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def refuse_duplicates(text: str, obj, name: str) -> None:
    """FileFormatError naming the first duplicate key of ``text`` (parsed as ``obj``)."""
    if has_duplicates(text, obj):
        found = find(text)
        if found is None:  # cannot happen when step 2 saw one; refuse all the same
            raise FileFormatError(f"{name}: an object holds the same key twice")
        raise FileFormatError(message(found, name))


def has_duplicates(text: str, obj) -> bool:
    """Whether valid JSON ``text``, parsed as ``obj``, holds a duplicate key (steps 1, 2)."""
    return keys_at_least(obj) < text.count(":") and _has_duplicates(text)


def message(found: Duplicate, name: str) -> str:
    lines = (f"line {found.line}" if found.first_line == found.line
             else f"lines {found.first_line} and {found.line}")
    return (f"{name}: {found.path}: duplicate key ({lines}): a key may appear only once "
            "in an object")


def keys_at_least(obj) -> int:
    """A lower bound of the keys in parsed ``obj``: its own and its nodes' and edges'."""
    if type(obj) is not dict:
        return 0
    count = len(obj)
    for part in ("nodes", "edges"):
        items = obj.get(part)
        if type(items) is list and set(map(type, items)) <= {dict}:
            count += sum(map(len, items))
    return count


class _Seen(Exception):
    pass


def _no_duplicates(pairs: list) -> int:
    if len(dict(pairs)) != len(pairs):
        raise _Seen
    return 0  # the parsed result is not kept: a small stand-in for the object


def _has_duplicates(text: str) -> bool:
    try:
        json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=str)
    except _Seen:
        return True
    except (ValueError, RecursionError):  # the caller parsed it: not expected
        return find(text) is not None
    return False


# A string (unrolled: no backtracking on long strings), or one structural character.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]', re.S)


def find(text: str) -> Duplicate | None:
    """The first duplicate key of valid JSON ``text`` in document order, or None.

    A walk over the text's strings and structural characters, keeping the path:
    per open object the keys seen (with their offsets) and the current key, per
    open list the current index. Slow (~1 µs a token), so only for a file known
    to hold a duplicate.
    """
    # frames: [keys seen -> offset, current key] for an object, [None, index] for a list
    stack: list[list] = []
    last = None  # the last string token: a key when a colon follows
    for match in _TOKEN.finditer(text):
        char = match.group()[0]
        if char == '"':
            last = match
        elif char == ":":
            token = last.group()
            key = json.loads(token) if "\\" in token else token[1:-1]
            frame = stack[-1]
            seen = frame[0]
            if key in seen:
                frame[1] = key
                return _duplicate(text, stack, key, last.start(), seen[key])
            seen[key] = last.start()
            frame[1] = key
        elif char == ",":
            if stack and stack[-1][0] is None:
                stack[-1][1] += 1
        elif char == "{":
            stack.append([{}, None])
        elif char == "[":
            stack.append([None, 0])
        else:  # } or ]
            stack.pop()
    return None


def _duplicate(text: str, stack: list, key: str, at: int, first: int) -> Duplicate:
    parts = []
    for seen, current in stack:
        if seen is None:
            parts.append(f"[{current}]")
        else:
            parts.append(("." if parts else "") + key_text(current))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Duplicate("".join(parts), key, line, column, text.count("\n", 0, first) + 1)
