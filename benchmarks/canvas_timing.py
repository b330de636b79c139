"""Timing the canvas the way a user meets it: one turn of the event loop, or until idle.

Shared by bench_gui.py and bench_big_open.py.
"""

from __future__ import annotations

import time


class CanvasTiming:
    """Event-loop helpers for a shown MainWindow's canvas."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.window = window
        self.viewport = window.view.viewport()

        class PaintWatch(QObject):
            painted = False

            def eventFilter(self, _obj, event) -> bool:
                if event.type() == QEvent.Paint:
                    self.painted = True
                return False

        self.watch = PaintWatch()
        self.viewport.installEventFilter(self.watch)

    def paint(self) -> None:
        """Process what is pending and paint the whole canvas (not timed)."""
        from PySide6.QtWidgets import QApplication
        QApplication.processEvents()
        self.viewport.repaint()

    def painted(self, must_paint: bool = True) -> None:
        """Turns of the event loop until the canvas has painted what the change
        invalidated, as on screen (a forced repaint on top would time two paints):
        one turn usually, two when Qt posts the update from the first. Zoomed out,
        labels are not drawn: a pass then invalidates nothing in sight, and one turn
        (the window taking input again) is the figure."""
        from PySide6.QtWidgets import QApplication
        self.watch.painted = False
        QApplication.processEvents()
        if must_paint and not self.watch.painted:
            QApplication.processEvents()
            if not self.watch.painted:
                raise RuntimeError("the canvas did not paint in two turns")

    def settle(self) -> tuple[float, float]:
        """Run the event loop until the idle slices are done: (total, longest single
        turn), the longest being the longest that input would have waited meanwhile.
        (Zoomed far out, wires wait stale until they come in sight: see StaleItems.)"""
        from PySide6.QtWidgets import QApplication
        start = time.perf_counter()
        longest = 0.0
        while True:
            turn = time.perf_counter()
            QApplication.processEvents()
            longest = max(longest, time.perf_counter() - turn)
            if not self.window.scene.large.stale.idle_work:
                return time.perf_counter() - start, longest
