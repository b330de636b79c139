"""A big graph's picture made by two processes at once, each a band of its rows.

Building a 1,300-node canvas and painting it into a PNG take most of `gradstudio
export`'s time, one core's worth: Python makes and lays out each item, Qt strokes
the wires and draws the texts. Here the process forks once the graph is loaded:
each process builds the canvas of the nodes and wires that may paint into its
band (``GraphScene(band=...)``) and runs the pass, the two tell each other what
their canvases cover, so both know the whole picture's rectangle, and each paints
its rows, with the whole picture's transform clipped to them, into one shared
image, and compresses them: the copy sends its part of the PNG's stream. The
pixels are the ones a single painting of the whole canvas makes.

Only where nothing else is painted meanwhile: without a window system (offscreen,
as the export command runs) on Linux, where a fork is cheap and the copy never
meets a lock another thread held; and only with a core free for the copy. A copy
that fails or is not done in time (see ``PATIENCE``) is stopped, and
``CopyFailed`` says to make the picture the usual way: the same picture, later.
"""

from __future__ import annotations

import mmap
import os
import select
import signal
import struct
import sys
import time

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QGuiApplication, QImage

FORMAT = QImage.Format_ARGB32_Premultiplied
#: How long the copy may take past this process's own share: it has about as much
#: work, so a copy that takes this many times as long is stuck...
PATIENCE = 4.0
#: ...and at least this long, seconds (a loaded machine).
LEAST_WAIT = 10.0
_RECT = struct.Struct("4d")


class CopyFailed(Exception):
    """The forked copy failed, hung or left: make the picture in this process."""


def available() -> bool:
    """Whether two processes make the picture: Linux, no window system connected,
    and a second core free now (else the copy would only take turns with this
    process, and the work both do twice would make the picture later)."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")
            and hasattr(os, "memfd_create")):
        return False
    return QGuiApplication.platformName() in ("offscreen", "minimal") and core_free()


def core_free() -> bool:
    """Whether fewer processes are running now (this one among them: the kernel's
    count in /proc/loadavg) than there are cores this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
        with open("/proc/loadavg", encoding="ascii") as file:
            running = int(file.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return False
    return running < cores


def in_band(top: dict, edges, low: float, high: float, spare: float) -> tuple[list, list]:
    """The nodes and wires (``edges``) that may paint between ``low`` and ``high``
    (file y's), by their nodes' tops (``top``) with ``spare`` around them (two node
    heights: a node's "output" tag and a wire's chips reach less far, even spread),
    and the nodes those wires end at; in the order given."""
    kept = [e for e in edges if min(top[e[0]], top[e[1]]) - spare <= high
            and max(top[e[0]], top[e[1]]) + spare >= low]
    ends = {n for e in kept for n in e[:2]}
    return [n for n in top if n in ends or low - spare <= top[n] <= high + spare], kept


class Pair:
    """This process (the upper band) and a forked copy of it (the lower band).

    Use as a context: in the copy, leaving it ends the process (status 0 when the
    band was painted, else 1); in this process, it waits for the copy's band
    (``CopyFailed`` if it does not come), with what the copy ``send``s in
    ``received``, and stops the copy on any error.
    """

    def __init__(self) -> None:
        # The picture's memory, sized once both know the picture (``image``), and a
        # pipe each way for the rectangles.
        self._memory = os.memfd_create("gradstudio-picture")
        down, up = os.pipe(), os.pipe()
        self._started = time.perf_counter()
        self.received = b""
        self._pid = os.fork()
        self.is_copy = self._pid == 0
        if self.is_copy:
            self._read, self._write = down[0], up[1]
            os.close(down[1]), os.close(up[0])
        else:
            self._read, self._write = up[0], down[1]
            os.close(up[1]), os.close(down[0])

    def __enter__(self) -> "Pair":
        return self

    def __exit__(self, kind, error, _trace) -> bool:
        if self.is_copy:
            os._exit(0 if kind is None else 1)  # nothing of the parent's is cleaned up
        try:
            if kind is None:
                self._wait_exit()
        finally:
            self._stop()  # (when it did not finish: failed here, or stuck)
            os.close(self._read), os.close(self._write), os.close(self._memory)
        return False

    def whole(self, mine: QRectF) -> QRectF:
        """The rectangle covering both bands' (``mine``; the other's comes from the
        other process). The copy sends its own first; this process sends its own
        once the shared picture's memory is there (``image``)."""
        if self.is_copy:
            os.write(self._write, _RECT.pack(*mine.getRect()))
        else:
            self._mine = mine
        return mine.united(QRectF(*self._receive()))

    def image(self, size: QSize) -> QImage:
        """The shared picture of ``size``, after ``whole``: this process makes its
        memory, then tells the copy its rectangle (so the copy finds it there)."""
        line = size.width() * 4
        nbytes = max(1, line * size.height())
        if not self.is_copy:
            os.ftruncate(self._memory, nbytes)
            os.write(self._write, _RECT.pack(*self._mine.getRect()))
        memory = mmap.mmap(self._memory, nbytes)
        image = QImage(memory, size.width(), size.height(), line, FORMAT)
        image.memory = memory  # kept for as long as the image is
        return image

    def send(self, data: bytes) -> None:
        """In the copy: ``data`` for this process, which reads it while waiting for
        the copy to leave (``received``)."""
        view = memoryview(data)
        while view:
            view = view[os.write(self._write, view):]

    def _deadline(self) -> float:
        spent = time.perf_counter() - self._started
        return time.perf_counter() + max(LEAST_WAIT, PATIENCE * spent)

    def _receive(self) -> tuple:
        deadline = self._deadline()
        data = b""
        while len(data) < _RECT.size:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise CopyFailed("the other process did not answer")
            chunk = os.read(self._read, _RECT.size - len(data))
            if not chunk:
                raise CopyFailed("the other process left")
            data += chunk
        return _RECT.unpack(data)

    def _wait_exit(self) -> None:
        """What the copy sends, until it has left (its end of the pipe closes with
        it), then reaped."""
        deadline = self._deadline()
        chunks = []
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise CopyFailed("the other process did not finish")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        self.received = b"".join(chunks)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None  # reaped: never signalled again
        if os.waitstatus_to_exitcode(status) != 0:
            raise CopyFailed("the other process failed")

    def _stop(self) -> None:
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self._pid = None
