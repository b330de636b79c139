"""Advance widths of DejaVu Sans, the canvas font, at 10 pt on a 96 dpi screen.

Measured once with Qt (``THEME.text_width`` of each character alone; the font
has no kerning there), so the layout can size nodes and chips without Qt.
Widths are in sixteenths of a pixel.
"""


CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~∂←→₀₁₂₃₄₅₆₇₈₉−…·×"

REGULAR = (
    66, 83, 96, 174, 132, 198, 162, 57, 81, 81, 104, 174, 66, 75, 66, 70, 132, 132, 132,
    132, 132, 132, 132, 132, 132, 132, 70, 70, 174, 174, 174, 110, 208, 142, 142, 145, 160,
    131, 120, 161, 156, 61, 61, 136, 116, 179, 156, 164, 125, 164, 144, 132, 127, 152, 142,
    206, 142, 127, 142, 81, 70, 81, 174, 104, 104, 127, 132, 114, 132, 128, 73, 132, 132,
    58, 58, 120, 58, 202, 132, 127, 132, 132, 86, 108, 82, 132, 123, 170, 123, 123, 109,
    132, 70, 132, 174, 108, 174, 174, 83, 83, 83, 83, 83, 83, 83, 83, 83, 83, 174, 208, 66,
    174,
)

BOLD = (
    72, 95, 108, 174, 144, 208, 181, 64, 95, 95, 109, 174, 79, 86, 79, 76, 144, 144, 144,
    144, 144, 144, 144, 144, 144, 144, 83, 83, 174, 174, 174, 120, 208, 161, 158, 152, 172,
    142, 142, 170, 174, 77, 77, 161, 132, 207, 174, 177, 152, 177, 160, 150, 142, 169, 161,
    229, 160, 150, 151, 95, 76, 95, 174, 104, 104, 140, 149, 123, 149, 141, 90, 149, 148,
    71, 71, 138, 71, 216, 148, 143, 149, 149, 102, 124, 99, 148, 136, 192, 134, 136, 121,
    148, 76, 148, 174, 113, 174, 174, 91, 91, 91, 91, 91, 91, 91, 91, 91, 91, 174, 208, 79,
    174,
)

LINE_PX = 15.125  # the height of a line at 10 pt


def text_px(text: str, bold: bool = False) -> float:
    """Width of ``text`` in pixels at 10 pt (an unknown character counts as an 'n')."""
    table = _BOLD if bold else _REGULAR
    unknown = table["n"]
    return sum(table.get(c, unknown) for c in text) / 16


_REGULAR = dict(zip(CHARS, REGULAR))
_BOLD = dict(zip(CHARS, BOLD))
