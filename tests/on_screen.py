"""A probe script run in a process of its own, on an offscreen screen of a given size.

The tests' own process has an 800 × 600 screen; what lecturers meet on 1920 × 1080 or
1280 × 720 (first windows, presentation frames, tile seams) needs a screen that size,
which the offscreen platform takes only at its start (``present_screens.start``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_probe(probe: Path, width: int, height: int, folder: Path, timeout: int = 300) -> str:
    """The probe's stdout, run as ``python PROBE W H FOLDER`` with its settings and
    files kept in ``folder``; the test fails with the probe's error if it failed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"),
               XDG_DATA_HOME=str(folder / "data"), XDG_RUNTIME_DIR=str(folder))
    run = subprocess.run([sys.executable, str(probe), str(width), str(height), str(folder)],
                         env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout
