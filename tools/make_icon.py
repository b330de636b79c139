"""Render resources/icons/gradstudio.svg to the PNG sizes the desktop and the window use.

Run after changing the SVG: ``QT_QPA_PLATFORM=offscreen python tools/make_icon.py``.
The PNGs are kept in the repository so that installing the desktop entry needs no Qt.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (48, 64, 128, 256)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(ICONS / "gradstudio.svg"))
    if not renderer.isValid():
        print("gradstudio.svg does not parse", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = ICONS / f"gradstudio-{size}.png"
        image.save(str(target))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
