"""Crash recovery: unsaved work is written aside a few seconds after each edit.

While a document has unsaved changes, a ``RecoveryWriter`` writes it (atomically,
as an ordinary v1 graph file) to ``recovery-<pid>-<n>.json`` in the user's data
folder (QStandardPaths.AppDataLocation), two seconds after the last edit. The
file carries one extra top-level key, ``"gradstudio_recovery"``: which file the
graph belongs to, its shown name, when it was written and by which process.

A clean save, undoing back to the saved state, New/Open after Discard and a
normal exit remove the file. On the next launch ``pending()`` lists the files
whose process is gone (several windows and processes never clobber or offer
each other's files), and the window asks Restore / Discard for each.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from gradstudio.core import fileformat
from gradstudio.core.atomic import SaveError, atomic_write
from gradstudio.core.errors import GraphError
from gradstudio.core.reading import read_limited
from gradstudio.core.model import GraphModel
from gradstudio.ui.app.sliced import SlicedJob

KEY = "gradstudio_recovery"
PREFIX = "recovery-"
DELAY_MS = 2000

#: Tests point this at their own folder; None means the user's data folder.
FOLDER_OVERRIDE: Path | None = None

_serials = itertools.count(1)


def folder() -> Path:
    if FOLDER_OVERRIDE is not None:
        return Path(FOLDER_OVERRIDE)
    location = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(location or Path.home() / ".gradstudio") / "recovery"


def _process_start(pid: int) -> str:
    """The process's start time (Linux /proc), so a reused pid is not taken for ours."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22, counted after "comm"


def _alive(pid: int, start: str) -> bool:
    if pid == os.getpid():
        return start == _process_start(pid) or not start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return False
    return not start or _process_start(pid) in ("", start)


@dataclass
class RecoveryInfo:
    file: Path  # the recovery file
    path: str | None  # the graph's own file, or None for an untitled graph
    name: str  # the name shown in the title
    saved_at: float  # seconds since the epoch
    pid: int

    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))

    def describe(self) -> str:
        where = self.path or f"{self.name} (never saved)"
        return f"{where}, unsaved changes from {self.when()}"

    def load(self) -> GraphModel:
        """The recovered graph (without the recovery key); FileFormatError if damaged."""
        model = fileformat.load(self.file)
        model.extra.pop(KEY, None)
        return model

    def discard(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


def pending(where: Path | None = None) -> list[RecoveryInfo]:
    """Recovery files left by processes that are gone, newest first."""
    found = []
    base = where or folder()
    try:
        files = sorted(base.glob(f"{PREFIX}*.json"))
    except OSError:
        return []
    host = socket.gethostname()
    for file in files:
        try:
            meta = json.loads(read_limited(file)).get(KEY)  # (no FIFO, no endless file)
            pid = int(meta["pid"])
            if meta.get("host", host) == host and _alive(pid, str(meta.get("start", ""))):
                continue
            found.append(RecoveryInfo(file, meta.get("path"), str(meta.get("name", file.name)),
                                      float(meta.get("saved_at", file.stat().st_mtime)), pid))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, GraphError):
            continue  # not ours, half-written by an old version, or unreadable: leave it
    found.sort(key=lambda info: info.saved_at, reverse=True)
    return found


class RecoveryWriter(QObject):
    """Keeps one document's recovery file up to date while it has unsaved changes.

    The timer's write runs in slices (``SlicedJob``): a 20,000-node graph takes a
    few hundred ms to encode, which must not freeze the window. The graph is read
    from the model as the slices go, so any change to the model meanwhile drops the
    write (the file would mix two moments) and starts the wait again; the file is
    replaced atomically only once all of it is encoded. That last part, the disk's
    (write, fsync, rename: milliseconds here, far more on a slow disk), runs in a
    thread, which holds no GIL meanwhile; anything else that touches the file first
    waits for it (``_wait_for_disk``), so a removal is never undone by a late write.
    """

    failed = Signal(str)  # a write failed: the message, once per failure streak
    _written = Signal()  # from the disk thread: it is done

    def __init__(self, doc, parent: QObject | None = None, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.doc = doc
        self.file = folder() / f"{PREFIX}{os.getpid()}-{next(_serials)}.json"
        self._start = _process_start(os.getpid())
        self._failing = False
        self.job: SlicedJob | None = None  # the write under way, if any
        self._job_model: GraphModel | None = None
        self._disk: threading.Thread | None = None  # the last write's disk part
        self._disk_error: Exception | None = None  # what it ran into
        self._written.connect(self._wait_for_disk)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.start_write)
        doc.undo_stack.indexChanged.connect(self._edited)
        doc.undo_stack.cleanChanged.connect(self._edited)
        doc.modelReset.connect(self._edited)

    def _edited(self, *_args) -> None:
        try:
            dirty = self.doc.dirty
        except RuntimeError:  # the undo stack is being destroyed with its window
            return
        self._drop_job()
        if dirty:
            self.timer.start()  # restarts: written once the edits pause
        else:
            self.remove()

    def start_write(self) -> None:
        """Begin writing the recovery file in idle slices (if there is anything unsaved)."""
        self.timer.stop()
        self._drop_job()
        if not self.doc.dirty:
            self.remove()
            return
        model = self._job_model = self.doc.model
        model.subscribe(self._model_changed)
        self.job = SlicedJob(self._encoded(model), self._job_done, self._job_failed, self)
        self.job.start()

    def write_now(self) -> bool:
        """Write the recovery file now (if there is anything unsaved); True if written."""
        self.timer.stop()
        self._drop_job()
        if not self.doc.dirty:
            self.remove()
            return False
        try:
            for text in self._encoded(self.doc.model):
                pass
        except ValueError as exc:
            return self._fail(exc)
        self._wait_for_disk()
        try:
            self._write(text.encode("utf-8"))
        except (SaveError, OSError) as exc:
            return self._fail(exc)
        self._failing = False
        return True

    def remove(self) -> None:
        self.timer.stop()
        self._drop_job()
        self._wait_for_disk()
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass

    def _encoded(self, model: GraphModel):
        """The file's text, made in small steps: yields None between steps, the text last."""
        meta = {"path": str(self.doc.path) if self.doc.path is not None else None,
                "name": self.doc.display_name(), "saved_at": time.time(),
                "pid": os.getpid(), "start": self._start, "host": socket.gethostname()}
        for graph in fileformat.to_dict_in_parts(model, batch=200):
            yield None
        graph[KEY] = meta
        # What json.dumps(graph, indent=1, ...) writes (with an indent it is the same
        # pure-Python encoder), a few hundred pieces per step.
        pieces = json.JSONEncoder(indent=1, sort_keys=True, ensure_ascii=False,
                                  allow_nan=False).iterencode(graph)
        parts = []
        while batch := list(islice(pieces, 400)):
            parts.append("".join(batch))
            yield None
        yield "".join(parts)

    def _write(self, data: bytes) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.file, data)

    def _write_in_thread(self, data: bytes) -> None:
        try:
            self._write(data)
        except (SaveError, OSError) as exc:
            self._disk_error = exc
        try:
            self._written.emit()  # delivered in the GUI thread
        except RuntimeError:  # the writer went with its window meanwhile
            pass

    def _wait_for_disk(self) -> None:
        """Wait for the disk thread, if one is running or has not been heard of, and
        take its result (once: the thread's own signal may come after)."""
        disk, self._disk = self._disk, None
        if disk is None:
            return
        disk.join()
        if self._disk_error is None:
            self._failing = False
        else:
            self._fail(self._disk_error)

    def _fail(self, exc: Exception) -> bool:
        if not self._failing:
            self.failed.emit(f"Crash-recovery copy not written: {exc}")
        self._failing = True
        return False

    def _model_changed(self, _event) -> None:
        """The model changed under a write: drop it, write once the edits pause."""
        try:
            self._drop_job()
            self.timer.start()
        except RuntimeError:  # this writer was destroyed with its window
            pass

    def _job_done(self, text: str) -> None:
        self._drop_job()
        self._wait_for_disk()
        self._disk_error = None
        self._disk = threading.Thread(target=self._write_in_thread, args=(text.encode("utf-8"),),
                                      name="gradstudio-recovery")
        self._disk.start()

    def _job_failed(self, exc: Exception) -> None:
        self._drop_job()
        if not isinstance(exc, ValueError):
            raise exc
        self._fail(exc)

    def _drop_job(self) -> None:
        if self._job_model is not None:
            model, self._job_model = self._job_model, None
            try:
                model.unsubscribe(self._model_changed)
            except ValueError:
                pass
        if self.job is not None:
            self.job.cancel()
            self.job.deleteLater()
            self.job = None


def restore(doc, info: RecoveryInfo) -> None:
    """Open the recovered graph in ``doc``: its original file, marked unsaved."""
    model = info.load()
    doc.set_model(model, info.path)
    if info.path is None:
        doc.untitled_name = info.name
    doc.undo_stack.resetClean()  # nothing on disk matches it: it is unsaved work
    doc.titleChanged.emit()
