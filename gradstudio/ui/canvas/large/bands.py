"""A big picture painted by two processes at once, each a band of its rows.

Painting a 1,300-node graph into a PNG takes most of `gradstudio export`'s time,
one core's worth: Qt strokes the wires and draws the texts, Python lays out each
item. On a second core a forked copy of the process paints the lower band into the
same memory (an anonymous shared mapping) while this one paints the upper band.
Both paint with the whole picture's transform, each clipped to its rows, so the
pixels are the ones a single painting makes.

Only where nothing else is painted meanwhile: without a window system (offscreen,
as the export command runs) on Linux, where a fork is cheap and the copy never
meets a lock another thread held. A copy that fails or is not done in time (see
``patience``) leaves its band to this process: the picture is the same, later.
"""

from __future__ import annotations

import mmap
import os
import signal
import sys
import time

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QImage

FORMAT = QImage.Format_ARGB32_Premultiplied
#: How long the copy may take past this process's own band: its band holds about
#: as much work, so a copy that takes this many times as long is stuck.
PATIENCE = 4.0
#: ...and at least this long, seconds (a loaded machine).
LEAST_WAIT = 10.0


def available() -> bool:
    """Whether this process may fork to paint: Linux, no window system connected."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return False
    return QGuiApplication.platformName() in ("offscreen", "minimal")


def shared_image(size: QSize) -> QImage:
    """An image whose pixels a forked copy of the process paints into as well (a
    null image where the memory is not there)."""
    line = size.width() * 4
    try:
        memory = mmap.mmap(-1, max(1, line * size.height()))
    except (OSError, ValueError, OverflowError):
        return QImage()
    image = QImage(memory, size.width(), size.height(), line, FORMAT)
    image.memory = memory  # kept for as long as the image is
    return image


def seam(rows: np.ndarray, height: int) -> int:
    """The row splitting ``rows`` (where the items lie, in pixel rows) in half: the
    work, not the picture, halved."""
    inside = rows[(rows >= 0) & (rows < height)]
    if not len(inside):
        return height // 2
    return int(min(max(np.median(inside), 1), height - 1))


def paint_in_two(image: QImage, paint, split: int) -> bool:
    """``paint(image, top, bottom)`` for rows [0, split) here and [split, height) in a
    forked copy, into ``image`` from ``shared_image``; ``paint`` fills its rows
    first (a band painted again after a failed copy starts clean). Returns whether
    the copy painted its band (else this process did)."""
    height = image.height()
    pid = os.fork()
    if pid == 0:  # the copy: paint, then leave at once (no cleanup of the parent's things)
        status = 1
        try:
            paint(image, split, height)
            status = 0
        finally:
            os._exit(status)
    started = time.perf_counter()
    try:
        paint(image, 0, split)
    except BaseException:
        _stop(pid)
        raise
    deadline = time.perf_counter() + max(LEAST_WAIT, PATIENCE * (time.perf_counter() - started))
    if _waited(pid, deadline):
        return True
    paint(image, split, height)
    return False


def _waited(pid: int, deadline: float) -> bool:
    """Whether the copy finished its band (exit status 0) by ``deadline``; if not,
    it is stopped."""
    delay = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.perf_counter() >= deadline:
            _stop(pid)
            return False
        time.sleep(delay)
        delay = min(2 * delay, 0.02)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
