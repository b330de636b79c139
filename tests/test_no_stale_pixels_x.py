"""No stale pixels in a real X11 window: the pixels the X server holds for the canvas
after each action are those of a full repaint (see stale_view.py, run here as a script
on Xvfb, the keys and drags sent as X input by xdotool)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from stale_view import ACTIONS
from test_desktop_launch import pytestmark, xserver  # noqa: F401  (the Xvfb fixture)

SCRIPT = Path(__file__).resolve().parent / "stale_view.py"


def test_under_x_the_canvas_after_each_action_is_what_a_full_repaint_draws(xserver, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(DISPLAY=xserver, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path))
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(SCRIPT), str(out)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(out.read_text())
    assert list(results) == list(ACTIONS)
    stale = {action: (count, box) for action, (count, box) in results.items() if count}
    assert not stale, f"pixels differing from a full repaint (count, box): {stale}; " \
                      f"pictures in {tmp_path}"
