"""A big graph presented on 1920 × 1080: the tiles painted ahead show what a repaint
without them draws, at their seams too.

A lecturer saw dotted lines of pure red, blue and yellow pixels down two columns
256 px apart on the canvas: each tile started as whatever its memory held, and the
canvas colour filled its last column at 254/255 coverage, leaving a 255th of that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parent / "tiles_probe.py"


def test_every_tile_on_a_full_hd_screen_is_as_a_fresh_repaint(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_RUNTIME_DIR=str(tmp_path))
    run = subprocess.run([sys.executable, str(PROBE), "1920", "1080", str(tmp_path)],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    shown = json.loads(run.stdout.splitlines()[-1])
    assert shown["tiles"] > 0
    # Before: 995 pixels down columns 75 and 331 up to 255 apart in a channel. (A grid
    # line at the top tile row's edge still lands a row off: 17 apart, rows 12-13.)
    assert shown["most"] <= 17, shown
