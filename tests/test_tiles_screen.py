"""A big graph presented on 1920 × 1080: the tiles painted ahead show what a repaint
without them draws, at their seams too.

A lecturer saw dotted lines of pure red, blue and yellow pixels down two columns
256 px apart on the canvas: each tile started as whatever its memory held, and the
canvas colour filled its last column at 254/255 coverage, leaving a 255th of that.
"""

from __future__ import annotations

import json
from pathlib import Path

from on_screen import run_probe

PROBE = Path(__file__).resolve().parent / "tiles_probe.py"


def test_every_tile_on_a_full_hd_screen_is_as_a_fresh_repaint(tmp_path):
    shown = json.loads(run_probe(PROBE, 1920, 1080, tmp_path).splitlines()[-1])
    assert shown["tiles"] > 0
    # Before: 995 pixels down columns 75 and 331 up to 255 apart in a channel. (A grid
    # line at the top tile row's edge still lands a row off: 17 apart, rows 12-13.)
    assert shown["most"] <= 17, shown
