"""Presents each example on a projector-sized screen and reports what is drawn.

Run by test_present_legible.py in its own process, as ``python present_screens.py W H
FOLDER``: the offscreen platform's screen is W × H there (the tests' own process has
an 800 × 600 one, too small to show the problems lecturers meet on 1920 × 1080). Real
key presses on the window (F11, then PageDown through every step, then End); after
each, what the screen shows, in screen pixels, as JSON on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = ("chain_rule", "colah_paths", "square", "logistic_neuron", "tanh_neuron")


def start(width: int, height: int, folder: Path):
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [
        {"name": "projector", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    sys.path.insert(0, str(HERE.parent))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
    from gradstudio.ui.app import recovery
    recovery.FOLDER_OVERRIDE = folder / "recovery"
    return app


def settle(app) -> None:
    """The window at rest: its queued work done and the view landed where a step's
    glide takes it (presentation's glide, 250 ms)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    for _ in range(200):
        for _ in range(15):
            app.processEvents()
            QTest.qWait(5)
        if not any(getattr(getattr(w, "presentation", None), "glide", None) is not None
                   and w.presentation.glide.running for w in QApplication.topLevelWidgets()):
            return


def digits_on_screen(view, item, font) -> float:
    """How high ``item`` draws the digits of ``font``, in screen pixels."""
    from PySide6.QtGui import QFontMetricsF
    scale = item.deviceTransform(view.viewportTransform()).m22()
    return QFontMetricsF(font).tightBoundingRect("0123456789").height() * scale


def first_line_ink(window) -> list[int]:
    """On the pixels: how many rows of ink the first line (a wire's value, in bold) of
    each chip in sight takes, counted in a grab of the canvas."""
    from PySide6.QtCore import QRectF
    from gradstudio.ui.theme import THEME
    view = window.view
    image = view.viewport().grab().toImage()
    room = QRectF(view.viewport().rect())
    inks = []
    for wire in window.scene.edges.values():
        chip = wire.above
        if not chip.isVisible() or not chip.lines:
            continue
        line = QRectF(chip.PAD_X, chip.PAD_Y, chip.rect().width() - 2 * chip.PAD_X,
                      THEME.metrics(0.9, chip.lines[0][2]).height())
        box = chip.deviceTransform(view.viewportTransform()).mapRect(line).toAlignedRect()
        if not room.contains(QRectF(box)):
            continue
        inks.append(sum(1 for y in range(box.top(), box.bottom() + 1)
                        if any(image.pixelColor(x, y).lightness() < 160
                               for x in range(box.left(), box.right() + 1))))
    return inks


def what_is_shown(window) -> dict:
    """The chips' and nodes' digit heights in sight, where the drawn graph lies on the
    canvas's part of the screen, the step's node, and the explanation line."""
    from PySide6.QtCore import QRectF
    from gradstudio.ui.theme import THEME
    view, scene, stepper = window.view, window.scene, window.stepping.stepper
    room = QRectF(view.viewport().rect())
    chips, nodes, drawn, cut = [], [], QRectF(), []
    for item in [*scene.nodes.values(),
                 *(c for e in scene.edges.values() for c in (e.above, e.below))]:
        if not item.isVisible():
            continue
        box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        seen = QRectF(box).intersected(room)
        if seen.isEmpty():
            continue
        if seen.width() < box.width() - 1 or seen.height() < box.height() - 1:
            cut.append(getattr(item, "node_id", None) or " ".join(item.texts))
        drawn = drawn.united(seen)
        if item in scene.nodes.values():
            nodes.append(digits_on_screen(view, item, THEME.font(1.0)))
        elif room.contains(QRectF(box)):
            bold = item.lines[0][2]
            chips.append((digits_on_screen(view, item, THEME.font(0.9, bold=bold)),
                          [box.x(), box.y(), box.width(), box.height()]))
    step = None
    if stepper.active and stepper.position > 0:
        node = scene.nodes[stepper.steps.step(stepper.position - 1).node]
        box = view.mapFromScene(node.sceneBoundingRect()).boundingRect()
        step = [box.x(), box.y(), box.width(), box.height()]
    line = window.presentation.line
    line.grab()  # painted: what it wrote
    return {"position": stepper.position if stepper.active else 0,
            "chips": chips, "nodes": nodes, "step": step, "cut": cut,
            "room": [room.width(), room.height()],
            "drawn": [drawn.top(), drawn.bottom()] if not drawn.isEmpty() else None,
            "line": line.text, "line_drawn": line.drawn[-1][0] if line.drawn else None,
            # the drawn texts' left and right edges: the counter's first, then the line's
            "line_edges": [[d[2].left(), d[2].right()] for d in line.drawn],
            "line_px": line.px}


def present(app, name: str) -> list[dict]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from gradstudio.ui.app.window import MainWindow
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    assert window.open_path(HERE.parent / "resources" / "examples" / f"{name}.json")
    settle(app)
    QTest.keyClick(window, Qt.Key_F11)
    settle(app)
    QTest.qWait(350)  # (the presentation covers the screen after 300 ms)
    settle(app)
    states = [what_is_shown(window)]
    stepper = window.stepping.stepper
    while not (stepper.active and stepper.position >= len(stepper.steps)):
        QTest.keyClick(window, Qt.Key_PageDown)
        settle(app)
        states.append(what_is_shown(window))
    QTest.keyClick(window, Qt.Key_End)
    settle(app)
    end = what_is_shown(window)
    end["ink"] = first_line_ink(window)
    states.append(end)
    QTest.keyClick(window, Qt.Key_Escape)
    window.doc.undo_stack.setClean()
    window.close()
    window.deleteLater()
    settle(app)
    return states


def main() -> None:
    width, height, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    app = start(width, height, folder)
    print(json.dumps({name: present(app, name) for name in EXAMPLES}))


if __name__ == "__main__":
    main()
