"""`gradstudio export --steps`: the step-by-step deck as a PDF or a numbered series.

The pages are read back from the files: the PDF's page objects are counted in the
file, its text read with poppler's pdftotext where installed; the series' pictures
are decoded and looked at (the highlight, the frame). The explanations are the
hand-worked chain rule of J = 3(a + b·c) at a=5, b=3, c=2.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import example_path
from PySide6.QtGui import QColor, QImage

from gradstudio.cli import ProgressLine, main
from gradstudio.core.atomic import AtomicFiles, SaveError
from gradstudio.ui.lecture import deck
from gradstudio.ui.theme import THEME

CHAIN = str(example_path("chain_rule"))
# The window's order: F7 × 3 (u, v, J), then F8 × 5 (J is the output: v, u, c, b, a).
HEADINGS = ["The graph, before the passes",
            "Step 1 of 8 · Forward: u", "Step 2 of 8 · Forward: v", "Step 3 of 8 · Forward: J",
            "Step 4 of 8 · Backward: v", "Step 5 of 8 · Backward: u",
            "Step 6 of 8 · Backward: c", "Step 7 of 8 · Backward: b",
            "Step 8 of 8 · Backward: a", "Both passes done"]
# Worked by hand: u = 6, v = 11, J = 33; ∂J/∂v = 3, ∂J/∂u = 3, ∂J/∂c = 3·3 = 9,
# ∂J/∂b = 3·2 = 6, ∂J/∂a = 3·1 = 3.
SAYS = {2: "u = b × c = 3 × 2 = 6", 3: "v = a + u = 5 + 6 = 11",
        5: "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 × 3 = 3", 7: "∂J/∂c = ∂J/∂u · ∂u/∂c = 3 × 3 = 9",
        8: "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6", 9: "∂J/∂a = ∂J/∂v · ∂v/∂a = 3 × 1 = 3",
        10: "∂J/∂a = 3, ∂J/∂b = 6, ∂J/∂c = 9"}
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def write_graph(folder: Path, name: str, nodes, edges, output=None) -> str:
    data = {"format": "gradstudio", "version": 1, "nodes": nodes,
            "edges": [{"from": s, "to": t, "port": p} for s, t, p in edges]}
    if output:
        data["output"] = output
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def pdf_text(path: Path, page: int) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_the_pdf_has_a_page_per_step_with_its_explanation(tmp_path, qapp):
    out = tmp_path / "deck.pdf"
    assert main(["export", CHAIN, str(out), "--steps"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(PAGE.findall(data)) == len(HEADINGS) == 10  # bare, 3 forward, 5 backward, done
    assert b"/Font" in data and b"/Subtype /Image" not in data  # vector, the text as text
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert {(float(w), float(h)) for w, h in boxes} == {(960, 540)}  # 16:9, 13.33 × 7.5 in
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the text is not read back")
    for number, heading in enumerate(HEADINGS, 1):
        text = " ".join(pdf_text(out, number).split())
        assert heading in text, (number, text)
        assert f"{number} / 10" in text
        if number in SAYS:
            assert SAYS[number] in text, (number, text)


def test_the_pages_walk_the_passes_as_the_window_steps(qapp):
    """Each page's canvas: the numbers known and the step's highlight, as after the
    same presses of F7/F8 in the window (see test_gui_steps)."""
    from gradstudio.core import fileformat
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    doc = Document(fileformat.load(CHAIN), CHAIN)
    scene = GraphScene(doc, indexed=False)
    seen = []
    for page in deck.Deck(doc, scene).walk():
        active = {n for n, item in scene.nodes.items() if item.active}
        seen.append((page.heading, active, scene.nodes["u"].value_text,
                     scene.nodes["b"].grad_text))
    assert [s[0] for s in seen] == HEADINGS
    assert [s[1] for s in seen] == [set(), {"u"}, {"v"}, {"J"}, {"v"}, {"u"}, {"c"}, {"b"},
                                    {"a"}, set()]
    assert seen[0][2] == "= ?" and seen[1][2] == "= 6"
    assert seen[6][3] == "" and seen[7][3].endswith("= 6") and seen[9][3].endswith("= 6")


def test_a_quiz_in_the_file_hides_nothing_in_the_deck(tmp_path, qapp):
    data = json.loads(Path(CHAIN).read_text(encoding="utf-8"))
    data["quiz"] = {"hide": ["value", "local", "grad"]}
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    from gradstudio.core import fileformat
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    doc = Document(fileformat.load(path), path)
    assert doc.quiz is not None  # the window would show ? chips
    scene = GraphScene(doc, indexed=False)
    pages = list(zip(deck.Deck(doc, scene).walk(), range(10)))
    assert len(pages) == 10
    assert "u = b × c = 3 × 2 = 6" in pages[1][0].text  # the explanation keeps its numbers
    assert "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6" in pages[7][0].text
    assert scene.nodes["b"].grad_text.endswith("= 6") and scene.nodes["u"].value_text == "= 6"
    assert scene.edges[("b", "u", 0)].above.texts == ["3", "∂u/∂b = 2"]


def _image(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    return image


def _box_of(image: QImage, color: QColor, area=None) -> tuple | None:
    """The bounding box (left, top, right, bottom) of the pixels of this colour."""
    import numpy as np
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rgb = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    rgb = rgb.reshape(h, image.bytesPerLine())[:, :w * 3].reshape(h, w, 3).astype(int)
    if area is not None:
        left, top, right, bottom = area
        rgb = rgb[top:bottom, left:right]
    else:
        left = top = 0
    near = (np.abs(rgb - [color.red(), color.green(), color.blue()]).sum(axis=2) <= 6)
    ys, xs = np.nonzero(near)
    if len(xs) == 0:
        return None
    return (left + xs.min(), top + ys.min(), left + xs.max(), top + ys.max())


def test_the_png_series_is_numbered_and_the_graph_does_not_jump(tmp_path, qapp):
    out = tmp_path / "slides.png"
    assert main(["export", CHAIN, str(out), "--steps", "--scale", "0.5"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"slides-{i:02d}.png" for i in range(1, 11)]  # and no temporary file
    pages = [_image(tmp_path / n) for n in names]
    assert {(p.width(), p.height()) for p in pages} == {(960, 540)}  # 1920 × 1080 at 0.5
    # The input boxes (their fill colour) stand at the same place on every page (but
    # page 9, where the top one, a, is the step's and drawn in its colour).
    corners = {_box_of(p, THEME.input_fill)[:2] for i, p in enumerate(pages, 1) if i != 9}
    assert len(corners) == 1, corners
    # The highlight (the step's colour) is drawn on the canvas from the first step on,
    # not before: above the text band, where the heading in that colour is not.
    canvas = (0, 0, 960, 330)
    assert _box_of(pages[0], THEME.wire_active, canvas) is None
    assert _box_of(pages[1], THEME.wire_active, canvas) is not None
    assert _box_of(pages[5], THEME.wire_active, canvas) is not None


def test_an_svg_series_gets_as_many_digits_as_it_needs(tmp_path, qapp):
    assert deck.series_paths("d/out.svg", 9)[-1] == "d/out-09.svg"
    assert deck.series_paths("out.png", 99)[0] == "out-01.png"
    assert deck.series_paths("out.png", 100)[:2] == ["out-001.png", "out-002.png"]
    assert deck.series_paths("out.png", 100)[-1] == "out-100.png"
    out = tmp_path / "chain.svg"
    assert main(["export", CHAIN, str(out), "--steps"]) == 0
    files = sorted(tmp_path.glob("chain-*.svg"))
    assert [f.name for f in files] == [f"chain-{i:02d}.svg" for i in range(1, 11)]
    import xml.etree.ElementTree as ET
    root = ET.parse(files[7]).getroot()
    text = "".join(root.itertext())
    assert "Step 7 of 8 · Backward: b" in text and "3 × 2 = 6" in text


@pytest.mark.parametrize("case", ["missing", "no output", "domain", "empty"])
def test_bad_graphs_exit_2_with_forwards_message_and_write_nothing(case, tmp_path, qapp, capsys):
    inp = {"id": "a", "op": "input", "value": 1}
    if case == "missing":  # an add with its second port open
        path = write_graph(tmp_path, "g.json", [inp, {"id": "p", "op": "add"}], [("a", "p", 0)])
        after = "forward"
    elif case == "no output":  # two sinks, none chosen
        path = write_graph(tmp_path, "g.json", [inp, {"id": "p", "op": "exp"},
                                                {"id": "q", "op": "sin"}],
                           [("a", "p", 0), ("a", "q", 0)])
        after = "backward"
    elif case == "domain":  # log(-1)
        path = write_graph(tmp_path, "g.json", [dict(inp, value=-1), {"id": "L", "op": "log"}],
                           [("a", "L", 0)])
        after = None
    else:
        path = write_graph(tmp_path, "g.json", [], [])
        after = "forward"
    old = tmp_path / "deck.pdf"
    old.write_bytes(b"old deck")
    assert main(["export", path, str(old), "--steps"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert old.read_bytes() == b"old deck"
    assert not (tmp_path / "deck-01.png").exists()
    if after is not None:  # the very line export --after gives
        assert main(["export", path, str(tmp_path / "x.png"), "--after", after]) == 2
        assert err == capsys.readouterr().err
    else:  # Forward's words for it: "L gives nan (log of a number ≤ 0)"
        assert err.startswith(f"{path}: cannot run forward: L gives nan (log of")


def test_usage_errors(tmp_path, capsys):
    assert main(["export", CHAIN, str(tmp_path / "x.gif"), "--steps"]) == 2
    assert ".pdf" in capsys.readouterr().err
    assert main(["export", CHAIN, str(tmp_path / "x.pdf"), "--steps", "--after", "forward"]) == 2
    assert "--steps" in capsys.readouterr().err
    assert main(["export", CHAIN, str(tmp_path / "x.pdf"), "--steps", "--quiz"]) == 2
    assert "--quiz" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 384 KiB tmpfs: a series of 100 KB pictures runs out of room part-way."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=384k,mode=0755", "tmpfs",
                           str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_full_disk_part_way_through_a_series_loses_nothing(small_disk, qapp, capsys):
    old = {small_disk / f"deck-{i:02d}.png": f"old page {i}".encode() for i in range(1, 11)}
    for path, data in old.items():
        path.write_bytes(data)
    assert main(["export", CHAIN, str(small_disk / "deck.png"), "--steps"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cannot save") and "No space left" in err and err.count("\n") == 1
    assert {p: p.read_bytes() for p in small_disk.iterdir()} == old  # no temporary file either


def test_a_folder_in_the_way_keeps_the_series_as_it_was(tmp_path, qapp, capsys):
    for i in (1, 2, 3, 4, 11, 12):  # 11 and 12: an earlier, longer series
        (tmp_path / f"deck-{i:02d}.png").write_bytes(b"old")
    (tmp_path / "deck-05.png").mkdir()  # page 5 cannot be written
    assert main(["export", CHAIN, str(tmp_path / "deck.png"), "--steps", "--scale", "0.25"]) == 2
    assert "deck-05.png: it is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"deck-{i:02d}.png"
                                                          for i in (*range(1, 6), 11, 12)]
    assert all((tmp_path / f"deck-{i:02d}.png").read_bytes() == b"old" for i in (1, 2, 3, 4))
    assert main(["export", CHAIN, str(tmp_path / "nowhere" / "deck.pdf"), "--steps"]) == 2
    assert "No such file or directory" in capsys.readouterr().err


def test_a_shorter_series_removes_the_pages_of_a_longer_one_before(tmp_path, qapp):
    """A 14-page series (and one of 100 pages: three digits) exported before; the
    10-page deck of chain_rule replaces them: no stale page 11 left to project."""
    old = [f"slides-{i:02d}.png" for i in range(1, 15)] + ["slides-007.png", "slides-100.png"]
    kept = ["slides-1.png", "slides-15.png.bak", "slides-99.svg", "other-12.png",
            "slides-ab.png", "slides.png", "my slides-12.png"]
    for name in old + kept:
        (tmp_path / name).write_bytes(b"old")
    (tmp_path / "slides-13.png").unlink()
    (tmp_path / "slides-13.png").mkdir()  # a folder of that name is no page: left alone
    assert main(["export", CHAIN, str(tmp_path / "slides.png"), "--steps", "--scale",
                 "0.25"]) == 0
    new = [f"slides-{i:02d}.png" for i in range(1, 11)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(new + kept + ["slides-13.png"])
    assert all((tmp_path / n).read_bytes().startswith(b"\x89PNG") for n in new)
    assert all((tmp_path / n).read_bytes() == b"old" for n in kept)
    assert deck.series_leftovers(tmp_path / "slides.png", new) == []


def test_a_cancelled_series_writes_nothing(tmp_path, qapp):
    from gradstudio.core import fileformat
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    (tmp_path / "deck-01.png").write_bytes(b"old")
    (tmp_path / "deck-11.png").write_bytes(b"old 11")  # an earlier, longer series: kept
    doc = Document(fileformat.load(CHAIN), CHAIN)
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 3  # Cancel pressed while page 3 was written

    with pytest.raises(deck.Cancelled):
        deck.Deck(doc, GraphScene(doc, indexed=False)).write(tmp_path / "deck.png", 0.25,
                                                             progress=progress)
    assert seen == [(1, 10), (2, 10), (3, 10)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck-01.png", "deck-11.png"]
    assert (tmp_path / "deck-01.png").read_bytes() == b"old"


def test_atomic_files_all_or_none(tmp_path):
    (tmp_path / "a").write_bytes(b"old a")
    with pytest.raises(RuntimeError):
        with AtomicFiles() as files:
            files.add(tmp_path / "a", b"new a")
            files.add(tmp_path / "b", b"new b")
            raise RuntimeError("stop")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert (tmp_path / "a").read_bytes() == b"old a"
    with AtomicFiles() as files:
        files.add(tmp_path / "a", b"new a")
        files.add(tmp_path / "b", b"new b")
    assert (tmp_path / "a").read_bytes() == b"new a" and (tmp_path / "b").read_bytes() == b"new b"
    with pytest.raises(SaveError):
        with AtomicFiles() as files:
            files.add(tmp_path / "c", b"c")
            files.add(tmp_path, b"a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.text, self.tty = "", tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def test_the_progress_line_waits_then_reports_at_most_twice_a_second():
    now = [0.0]
    stream = _Stream(tty=False)
    line = ProgressLine("gradstudio export", "deck.pdf", stream=stream, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] = done * 0.05  # 20 pages a second, 5 s in all
        assert line(done, 100) is True
    line.finish()
    lines = stream.text.splitlines()
    assert lines[0] == "gradstudio export: deck.pdf: page 20 of 100"  # after 1 s
    assert lines[-1] == "gradstudio export: deck.pdf: page 100 of 100"
    assert 8 <= len(lines) <= 10  # 4 s at most twice a second, and the last page
    tty = _Stream(tty=True)
    line = ProgressLine("p", "x", stream=tty, clock=lambda: now[0], after=0)
    line(1, 2)
    line(2, 2)
    line.finish()
    assert tty.text == "\rp: x: page 1 of 2\rp: x: page 2 of 2\n"
    # A deck's first walk, then its pages: the shorter line blanks the longer's end.
    tty = _Stream(tty=True)
    line = ProgressLine("p", "x", stream=tty, clock=lambda: now[0], after=0, every=0)
    line.preparing(2, 2)
    line(2, 2)
    line.finish()
    assert tty.text == ("\rp: x: preparing page 2 of 2\rp: x: page 2 of 2" + " " * 10 + "\n")


def test_fifty_nodes_in_time_with_a_progress_line(tmp_path):
    """The ~100-page deck through the real command, in a process of its own."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from graphgen import generate
    graph = tmp_path / "g50.json"
    graph.write_text(json.dumps(generate(50, seed=1, layout=True)), encoding="utf-8")
    out = tmp_path / "g50.pdf"
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export", str(graph), str(out),
                           "--steps"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pages = len(PAGE.findall(out.read_bytes()))
    assert 90 <= pages <= 110
    assert f"page {pages} of {pages}" in done.stderr
    assert f"preparing page {pages} of {pages}" in done.stderr  # the first walk, first
    assert done.stderr.index("preparing page") < done.stderr.index(": page ")


def test_atomic_files_remove_only_with_a_commit(tmp_path):
    (tmp_path / "old-11").write_bytes(b"11")
    with pytest.raises(RuntimeError):
        with AtomicFiles() as files:
            files.add(tmp_path / "new", b"new")
            files.remove(tmp_path / "old-11")
            raise RuntimeError("cancelled")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old-11"]
    with pytest.raises(SaveError):  # a new file cannot go in: the old one comes back
        with AtomicFiles() as files:
            files.remove(tmp_path / "old-11")
            files.add(tmp_path / "a", b"a")
            (tmp_path / "a-folder").mkdir()
            files._pending.append((str(tmp_path / "missing-temp"), str(tmp_path / "a-folder"),
                                   "a-folder"))
    assert (tmp_path / "old-11").read_bytes() == b"11"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "a-folder", "old-11"]
    with AtomicFiles() as files:
        files.add(tmp_path / "b", b"b")
        files.remove(tmp_path / "old-11")
        files.remove(tmp_path / "never-there")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "a-folder", "b"]


def pdf_words(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Every word poppler reads on a page: (text, left, top, right, bottom) in points."""
    done = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">([^<]*)</word>', done.stdout)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def _deck_of(name: str, tmp_path: Path, text_size: int = 100) -> Path:
    out = tmp_path / f"{name}-{text_size}.pdf"
    assert main(["export", str(example_path(name)), str(out), "--steps",
                 "--text-size", str(text_size)]) == 0
    return out


@pytest.mark.parametrize("name", ["chain_rule", "tanh_neuron", "logistic_neuron"])
def test_the_picture_fills_the_slide_above_the_text(name, tmp_path, qapp):
    """The shared frame fitted to the room above the explanation: the whole width
    (a wide graph) or the whole height; the text at the slide's foot, so no page
    leaves a blank quarter under it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from gradstudio.core import fileformat
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    path = example_path(name)
    doc = Document(fileformat.load(path), path)
    pages, frame = deck.Deck(doc, GraphScene(doc, indexed=False)).pages_and_frame()
    layout = deck.Layout(pages, frame)
    room, picture = layout.room, layout.picture
    assert room.contains(picture.adjusted(1, 1, -1, -1))
    assert (abs(picture.width() - room.width()) < 1 or abs(picture.height() - room.height()) < 1)
    assert room.width() >= 0.95 * deck.SLIDE_W and layout.band.bottom() >= 0.97 * deck.SLIDE_H
    # Read back: on the page with the longest explanation, its last line is near the
    # foot of the slide (540 pt high); the graph's words reach the picture's sides.
    out = _deck_of(name, tmp_path)
    longest = max(range(len(pages)), key=lambda i: len(pages[i].text.splitlines())) + 1
    words = pdf_words(out, longest)
    assert max(bottom for *_w, bottom in words) >= 0.9 * 540, name
    canvas = [w for w in words if w[4] < layout.band.top() / 2]
    left = min(w[1] for w in canvas) * 2  # in slide units (1920 wide: 2 per point)
    right = max(w[3] for w in canvas) * 2
    top = min(w[2] for w in canvas) * 2
    bottom = max(w[4] for w in canvas) * 2
    assert left - picture.left() < 60 and picture.right() - right < 60 or \
        top - picture.top() < 60 and picture.bottom() - bottom < 60, (name, left, right)


@pytest.mark.parametrize("name", ["chain_rule", "tanh_neuron", "logistic_neuron"])
def test_text_size_200_makes_the_pages_texts_bigger(name, tmp_path, qapp):
    """The canvas's words (an input's "input") and the explanation's (the heading's
    "Step") as poppler reads their heights on page 2, at 100 % and at 200 %. (The
    canvas's grow less than twice: at 200 % the graph spreads as far as its chips
    need, logistic_neuron 1.5 times, and the wider graph is fitted to the same slide.
    Before, tanh_neuron's grew 1.29 times, chain_rule's 1.46.)"""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")

    def heights(out):
        words = pdf_words(out, 2)
        canvas = max(b - t for w, _l, t, _r, b in words if w == "input")
        step = max(b - t for w, _l, t, _r, b in words if w == "Step")
        return canvas, step

    canvas_100, step_100 = heights(_deck_of(name, tmp_path, 100))
    canvas_200, step_200 = heights(_deck_of(name, tmp_path, 200))
    assert canvas_200 >= 1.28 * canvas_100, (name, canvas_100, canvas_200)
    assert step_200 >= 1.6 * step_100, (name, step_100, step_200)


def test_the_last_pages_list_of_gradients_breaks_between_its_items(qapp):
    """At 200 % logistic_neuron's five gradients do not fit one line: broken after a
    comma, never inside ``∂L/∂w1 = -0.7551`` (its type stays full size)."""
    from PySide6.QtGui import QFontMetricsF
    font = deck._font(80)
    items = ["∂L/∂w1 = -0.7551", "∂L/∂x1 = -0.1888", "∂L/∂w2 = -0.3775",
             "∂L/∂x2 = 0.3775", "∂L/∂b = -0.3775"]
    width = QFontMetricsF(font).horizontalAdvance(deck.LIST.join(items[:2]) + ",") + 5
    lines = deck.staged("Every value.\n" + deck.LIST.join(items), font, width).splitlines()
    assert lines == ["Every value.", "∂L/∂w1 = -0.7551,  ∂L/∂x1 = -0.1888,",
                     "∂L/∂w2 = -0.3775,  ∂L/∂x2 = 0.3775,", "∂L/∂b = -0.3775"]


def test_a_sentence_too_long_for_a_line_goes_on_without_an_indent(qapp):
    """The first page's sentence (no working in it) broken between words, its second
    line at the margin as in a paragraph; a working's later stages stay indented."""
    from PySide6.QtGui import QFontMetricsF
    font = deck._font(40)
    sentence = ("Forward computes each node from its inputs, one at a time; Backward then "
                "works out ∂J/∂node for every node, from J back.")
    width = QFontMetricsF(font).horizontalAdvance(sentence[:60])
    lines = deck.staged(sentence, font, width).splitlines()
    assert len(lines) >= 2 and " ".join(lines) == sentence
    assert not any(line.startswith((" ", deck.INDENT[0])) for line in lines)
    working = "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"
    narrow = QFontMetricsF(font).horizontalAdvance("∂J/∂b = ∂J/∂u · ∂u/∂b") + 5
    assert deck.staged(working, font, narrow).splitlines() == [
        "∂J/∂b = ∂J/∂u · ∂u/∂b", f"{deck.INDENT}= 3 × 2", f"{deck.INDENT}= 6"]
