"""Presents a generated 1,000-node graph on a W × H screen and compares what the
screen shows once every tile is painted with a repaint without tiles, as JSON.

Run by test_tiles_screen.py in a process of its own (``python tiles_probe.py W H
FOLDER``): the offscreen screen is that size there, and the tiles' seams fall where
a lecturer saw them on 1920 × 1080.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "benchmarks"))
from present_screens import settle, start  # noqa: E402


def most_apart(a, b) -> int:
    """The most two pictures' pixels differ in a colour channel (0 to 255)."""
    import numpy as np
    from PySide6.QtGui import QImage

    def rows(image):
        image = image.convertToFormat(QImage.Format_ARGB32)
        return np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(
            image.height(), -1).astype(int)
    return int(np.abs(rows(a) - rows(b)).max())


def main() -> None:
    width, height, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    app = start(width, height, folder)
    from graphgen import generate
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from stale_view import difference, shown

    from gradstudio.ui.app.window import MainWindow
    path = folder / "big.json"
    path.write_text(json.dumps(generate(1000, seed=1, layout=True)), encoding="utf-8")
    window = MainWindow()
    window.ask_unsaved = lambda: "discard"
    window.show()
    window.open_path(str(path))
    settle(app)
    QTest.keyClick(window, Qt.Key_F11)
    settle(app)
    view, tiles = window.view, window.scene.tiles
    tiles.flush()
    view.viewport().repaint()
    settle(app)
    with_tiles = shown(view)
    tiles.on = False
    view.viewport().repaint()
    settle(app)
    without = shown(view)
    count, box = difference(with_tiles, without)
    print(json.dumps({"tiles": tiles.count, "differ": count, "box": str(box),
                      "most": most_apart(with_tiles, without)}), flush=True)
    os._exit(0)  # (as the app leaves: a big canvas's teardown is not what is tested)


if __name__ == "__main__":
    main()
