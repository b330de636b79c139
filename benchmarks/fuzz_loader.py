"""Fuzz the file loader: every mutated file loads and round-trips, or is refused in one line.

    python benchmarks/fuzz_loader.py [--cases N] [--seed S] [--window-every K]
                                     [--only I] [--save-failures DIR] [-v]

The cases are made by fuzz_mutators.py: each is an example file from
resources/examples/ with one to four byte-level or JSON-structure mutations.
Case I of seed S is always the same bytes (``--only I`` replays it).

A case passes when the core either

- loads it, and then ``dumps`` gives UTF-8-encodable text that loads again to
  the same text (the same graph, byte for byte), the slow validating loader
  (the fast path switched off) gives the same text too, and Forward/Backward
  either run or refuse with a GraphError; or
- refuses it with FileFormatError whose message is one line starting with the
  file's name and ": ".

A file whose JSON repeats a key in one object must be refused, and with that
key's path (``nodes[3].id: duplicate key (...``), worked out from the text by
``expected_duplicate`` on its own.

Anything else (another exception, a multi-line message, a round trip that
changes the graph) is a failure. Every K-th case (``--window-every``, 0 to
skip) is also opened through the window's File → Open (``MainWindow.open_path``
with the error dialog captured): a refused file must show the same one-line
message and leave the document open before exactly as it was (same model, same
bytes, same path, still dirty); a loaded one must be what the core loads.

Prints the counts (loaded / refused / failures) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fuzz_json import Obj, first_duplicate, path_text  # noqa: E402
from fuzz_mutators import EXAMPLES, make_case, sources  # noqa: E402


# ------------------------------------------------------------------ checking
class Failure(Exception):
    pass


def one_line(message: str, name: str) -> None:
    if message.splitlines() != [message] or "\r" in message or "\n" in message:
        raise Failure(f"message is not one line: {message[:300]!r}")
    if not message.startswith(f"{name}: "):
        raise Failure(f"message does not start with the file name: {message[:300]!r}")


def check_core(data: bytes, name: str) -> str:
    """'loaded' or 'refused'; raises Failure (or anything else) on a bug."""
    from gradstudio.core import fileformat
    from gradstudio.core.errors import FileFormatError, GraphError
    from gradstudio.core.passes import Evaluation

    repeated = expected_duplicate(data)
    try:
        model = fileformat.loads(data, name)
    except FileFormatError as exc:
        one_line(str(exc), name)
        deep = str(exc).endswith("(JSON nested too deeply)")  # near the stack's limit,
        # one parse may get through where another, a few frames deeper, does not
        if repeated is not None and not deep and not str(exc).startswith(f"{name}: {repeated}"):
            raise Failure(f"a repeated key at {repeated or 'some place'} was refused "
                          f"with another message: {str(exc)[:300]!r}") from None
        return "refused"
    if repeated is not None:
        raise Failure(f"loaded a file that repeats a key at {repeated or 'some place'}")
    text = fileformat.dumps(model)
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Failure(f"saved text is not UTF-8 encodable: {exc}") from None
    again = fileformat.loads(encoded, name)
    if fileformat.dumps(again) != text:
        raise Failure("save → reload changed the graph")
    slow = slow_load(data, name)
    if fileformat.dumps(slow) != text:
        raise Failure("the fast loader and the validating loader disagree")
    try:
        evaluation = Evaluation(model)
        evaluation.backward()
    except GraphError as exc:
        if "\n" in str(exc):
            raise Failure(f"pass message is not one line: {str(exc)[:200]!r}") from None
    return "loaded"


def expected_duplicate(data: bytes) -> str | None:
    """Where the loader must report a repeated key, worked out from the text on its own
    (fuzz_json's tree keeps repeats): its path and ": duplicate key" when every key on
    the way is a plain word, else just "" (some place). None: no repeat, or the file is
    refused before keys are looked at (not UTF-8, not JSON, too deep)."""
    try:
        text = data.decode("utf-8")
        tree = json.loads(text[1:] if text.startswith("\ufeff") else text,
                          object_pairs_hook=Obj)
    except (ValueError, RecursionError):
        return None
    place = first_duplicate(tree)
    if place is None:
        return None
    if all(isinstance(p, int) or re.fullmatch(r"\w+", p, re.ASCII) for p in place):
        return f"{path_text(place)}: duplicate key ("
    return ""


def slow_load(data: bytes, name: str):
    from gradstudio.core import fileformat
    original = fileformat.quick_check
    fileformat.quick_check = lambda nodes, edges: None
    try:
        return fileformat.loads(data, name)
    finally:
        fileformat.quick_check = original


class WindowProbe:
    """A window with a dirty document open, answering its dialogs itself."""

    def __init__(self, folder: Path, window=None) -> None:
        from PySide6.QtWidgets import QApplication
        if window is None:  # a window of our own, writing nothing outside ``folder``
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            os.environ["XDG_DATA_HOME"] = str(folder / "data")  # recovery files stay here
            from PySide6.QtCore import QSettings
            app = QApplication.instance() or QApplication([])
            QSettings.setDefaultFormat(QSettings.IniFormat)
            QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
            app.setOrganizationName("gradstudio-fuzz")
            app.setApplicationName("gradstudio-fuzz")
            from gradstudio.ui.app.window import MainWindow
            window = MainWindow()
        self.app = QApplication.instance()
        self.folder = folder
        self.win = window
        self.win.errors = []
        self.win.show_error = lambda title, message: self.win.errors.append((title, message))
        self.win.ask_unsaved = lambda: "discard"
        self.baseline = folder / "baseline.json"
        self.baseline.write_bytes((EXAMPLES / "chain_rule.json").read_bytes())
        self.reset()

    def reset(self) -> None:
        assert self.win.open_path(self.baseline, ask=False)
        self.win.doc.set_param("a", "value", 7.0)  # unsaved changes to keep
        self.win.errors.clear()

    def check(self, data: bytes, index: int, expected: str) -> None:
        from gradstudio.core import fileformat
        win, doc = self.win, self.win.doc
        path = self.folder / f"case_{index}.json"
        path.write_bytes(data)
        before = (doc.model, fileformat.dumps(doc.model), doc.path, doc.dirty,
                  doc.undo_stack.index(), win.windowTitle(), len(win.scene.nodes))
        try:
            opened = win.open_path(path, ask=False)
            self.app.processEvents()
            if opened != (expected == "loaded"):
                raise Failure(f"the window {'opened' if opened else 'refused'} a file "
                              f"the core {expected}")
            if not opened:
                if len(win.errors) != 1:
                    raise Failure(f"expected one error dialog, got {win.errors!r:.300}")
                one_line(win.errors[0][1], str(path))
                after = (doc.model, fileformat.dumps(doc.model), doc.path, doc.dirty,
                         doc.undo_stack.index(), win.windowTitle(), len(win.scene.nodes))
                if after != before:
                    raise Failure("a refused file changed the open document")
            else:
                if win.errors:
                    raise Failure(f"an opened file showed an error: {win.errors!r:.300}")
                if fileformat.dumps(doc.model) != fileformat.dumps(fileformat.load(path)):
                    raise Failure("the window holds another graph than the core loads")
                if set(win.scene.nodes) != set(doc.model.nodes()) or doc.dirty:
                    raise Failure("the canvas does not mirror the opened file")
        finally:
            path.unlink()
            if win.errors or doc.path != self.baseline or not doc.dirty:
                self.reset()


# ------------------------------------------------------------------ running
def run(cases: int, seed: int, window_every: int = 0, only: int | None = None,
        save_failures: Path | None = None, verbose: bool = False, out=print,
        window=None) -> dict:
    """Run cases 0..cases-1 of ``seed``; ``window``: an existing MainWindow to open them in."""
    srcs = sources()
    counts = {"loaded": 0, "refused": 0, "failures": 0, "window": 0}
    failures = []
    probe = None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gradstudio-fuzz-") as tmp:
        own_window = window is None
        if window_every:
            probe = WindowProbe(Path(tmp), window)
        indices = [only] if only is not None else range(cases)
        for index in indices:
            data, how = make_case(seed, index, srcs)
            name = f"case_{index}.json"
            try:
                outcome = check_core(data, name)
                counts[outcome] += 1
                if probe is not None and (index % window_every == 0 or only is not None):
                    probe.check(data, index, outcome)
                    counts["window"] += 1
            except Exception as exc:  # noqa: BLE001 - every other exception is a finding
                counts["failures"] += 1
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                failures.append((index, how, detail))
                if verbose:
                    out(f"FAIL case {index} ({how}): {detail[:400]}")
                    out("".join(traceback.format_exception(exc))[-2000:])
                if save_failures is not None:
                    save_failures.mkdir(parents=True, exist_ok=True)
                    (save_failures / f"seed{seed}_case{index}.json").write_bytes(data)
        if probe is not None and own_window:
            probe.win.doc.undo_stack.setClean()
            probe.win.doc.undo_stack.blockSignals(True)  # quiet teardown
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["failure_list"] = failures
    return counts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--window-every", type=int, default=25,
                   help="open every K-th case through the window too (0: never)")
    p.add_argument("--only", type=int, help="replay one case")
    p.add_argument("--save-failures", type=Path, help="write failing cases into this folder")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    counts = run(args.cases, args.seed, args.window_every, args.only, args.save_failures,
                 args.verbose)
    failures = counts.pop("failure_list")
    for index, how, detail in failures[:50]:
        print(f"FAIL case {index} ({how}): {detail[:300]}")
    total = counts["loaded"] + counts["refused"] + counts["failures"]
    print(f"fuzz_loader seed {args.seed}: {total} cases in {counts['seconds']} s: "
          f"{counts['loaded']} loaded, {counts['refused']} refused, "
          f"{counts['failures']} failures ({counts['window']} also opened in the window)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
