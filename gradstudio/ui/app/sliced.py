"""Long work in the GUI thread, a short slice at a time, so input is never kept waiting.

A Python worker thread would not help with work that is Python itself (encoding a
big graph as JSON): it holds the GIL, and the window's own Python (paints, input)
would wait on it. So the work is a generator, resumed in slices of a few
milliseconds from a zero-interval timer; the event loop runs between slices.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer


class SlicedJob(QObject):
    """Runs ``steps`` (a generator; each ``yield`` is a place it may pause) in slices.

    ``done(last)`` is called with the last value yielded once the generator is
    exhausted, or ``failed(error)`` if it raised one. ``cancel()`` drops the rest
    (the generator is closed).
    """

    SLICE_SECONDS = 0.010  # a step should take well under this (a few hundred µs at most)

    def __init__(self, steps: Iterator, done: Callable, failed: Callable,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps = steps
        self._done, self._failed = done, failed
        self._last = None
        self.longest = 0.0  # seconds of the longest slice so far (for benchmarks)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._steps.close()

    def _slice(self) -> None:
        start = time.perf_counter()
        self._run(start + self.SLICE_SECONDS)
        self.longest = max(self.longest, time.perf_counter() - start)

    def _run(self, deadline: float) -> None:
        steps, clock = self._steps, time.perf_counter
        last = self._last
        try:
            while True:
                last = next(steps)
                if clock() >= deadline:
                    self._last = last
                    return
        except StopIteration:
            self._timer.stop()
            self._done(last)
        except Exception as exc:  # the generator is finished too
            self._timer.stop()
            self._failed(exc)
