"""The rule for text that names or labels a node: one line of printable text.

Ids and labels are drawn on the canvas and in exported SVG, printed in
``eval``'s table and written into other programs' JSON. So they may not hold
the characters that break those: control characters (C0 U+0000-U+001F, DEL
U+007F, C1 U+0080-U+009F; tab and newline included), the line and paragraph
separators U+2028 and U+2029, and U+FFFE and U+FFFF, which XML does not allow.
Lone surrogates are refused by the loader too, as not Unicode. Everything else
(quotes, <, &, any script, emoji, right-to-left text) is kept as it is.
The loader refuses such a file (docs/file-format.md); ``check`` is for editors.
"""

from __future__ import annotations

import re

from gradstudio.core.errors import GraphError

NOT_ALLOWED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def may_hold(json_text: str) -> bool:
    """False when no string in this JSON text can hold a refused character: plain
    ASCII without an escape (no backslash: ``\\u0000``, ``\\t`` ...) and without DEL.
    Cheap on big files (a few ms for 18 MB), so the loader checks ids and labels only
    when this says so; any other text is checked node by node."""
    return "\\" in json_text or not json_text.isascii() or "\x7f" in json_text


def describe(char: str) -> str:
    code = ord(char)
    if code in (0x2028, 0x2029):
        kind = "line separator" if code == 0x2028 else "paragraph separator"
    elif code in (0xFFFE, 0xFFFF):
        kind = "noncharacter"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"


def problem(text: str, what: str) -> str | None:
    """Why ``text`` cannot be ``what`` ("an id", "a label"), or None."""
    match = NOT_ALLOWED.search(text)
    if match is None:
        return None
    return (f"{describe(match.group())} (character {match.start() + 1}) is not allowed in "
            f"{what}: ids and labels are one line of printable text")


def check(text: str, what: str) -> None:
    """Raise GraphError if ``text`` breaks the rule (for an editor's field)."""
    message = problem(text, what)
    if message is not None:
        raise GraphError(message)
