"""Starts the window for the first time on a W × H screen and reports it, as JSON.

Run by test_first_window.py in a process of its own, as ``python first_window_probe.py
W H FOLDER`` (the offscreen platform's screen is that size there): the window's frame
and size, then tanh_neuron opened and Run → Backward triggered, Fit View's zoom and
the height its node texts' digits are drawn at, in screen pixels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from present_screens import digits_on_screen, settle, start  # noqa: E402


def main() -> None:
    width, height, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    app = start(width, height, folder)
    from gradstudio.ui.app.window import MainWindow
    from gradstudio.ui.theme import THEME
    window = MainWindow()
    window.ask_unsaved = lambda: "discard"
    window.show()
    settle(app)
    frame = window.frameGeometry().getRect()
    size = [window.width(), window.height()]
    window.open_example("tanh_neuron")
    window.act_backward.trigger()
    settle(app)
    node = window.scene.nodes["o"]
    print(json.dumps({"frame": frame, "size": size, "zoom": window.view.transform().m11(),
                      "digits": digits_on_screen(window.view, node, THEME.font()),
                      "grad": node.grad_text}))


if __name__ == "__main__":
    main()
