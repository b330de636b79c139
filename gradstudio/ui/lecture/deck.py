"""Step-by-step decks: the passes unfolding, one page per step, for slides.

A deck is the bare graph, then one page per Step Forward and one per Step
Backward in the window's order (the real ``Stepper`` walks the passes, so the
canvas on each page is what the window draws at that step, highlight included,
and the text is what the Explanation panel writes), then the fully annotated
graph. Every page is a 16:9 slide: the canvas fitted above, the step's
explanation in large type under it. All pages share one frame (the union of
every page's picture), so flipping through them the graph does not jump.

Written as one PDF (Qt's PDF writer: vector, text selectable) or as a numbered
series of PNG or SVG files (``OUT-01.png`` …), all or none: a failure leaves
every file that was there as it was. Used by ``gradstudio export --steps``
(through ``ui/headless.py``) and by File → Export Steps… (``deck_action``).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize,
                           QPainter, QPdfWriter, QPen)

from gradstudio.core.atomic import AtomicFiles, atomic_write
from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import shown_number as format_number  # −, as the chips
from gradstudio.core.passes import Evaluation
from gradstudio.core.steps import PassSteps
from gradstudio.ui.canvas import export
from gradstudio.ui.teaching.stepper import Stepper
from gradstudio.ui.theme import THEME

KINDS = ("pdf", "png", "svg")
# A slide in its own units: full HD, so a PNG page at --scale 1 is 1920 × 1080 pixels.
SLIDE_W, SLIDE_H = 1920.0, 1080.0
PDF_PAGE_MM = (338.67, 190.5)  # 13.33 × 7.5 inches: a widescreen slide
MARGIN = 40.0  # at the slide's sides
EDGE = 28.0  # at its top and bottom
GAP = 24.0  # between the picture and the text under it
FRAME_PAD = 10.0  # canvas units around the drawing (a selection outline, a leader's end)
BODY_PX = 40.0  # the explanation's size at Text Size 100 %
BODY_GROWTH = 0.75  # it grows as the text size to this power: 200 % is 1.68 × as big
HEADING_SHARE = 0.8  # the heading line, of the body's size
MOST_BAND = 0.3  # of the slide's height at most for the text; past it the type shrinks
MIN_BODY_PX = 14.0
MOST_ZOOM = 4.0  # a tiny graph is magnified at most this much
MOST_SUMMED = 8  # gradients listed on the last page
LIST = ",  "  # between the items of a list (the last page's gradients)
INDENT = "\u2003\u2003"  # two em spaces: the continued stages of a long working


class Cancelled(Exception):
    """The progress callback asked to stop: nothing was written."""


@dataclass(frozen=True)
class Page:
    heading: str
    text: str


def series_paths(out: str | os.PathLike, count: int) -> list[str]:
    """``OUT-01.png`` … for ``count`` pages: as many digits as the count needs, two at least."""
    base, suffix = os.path.splitext(os.fspath(out))
    digits = max(2, len(str(count)))
    return [f"{base}-{i:0{digits}d}{suffix}" for i in range(1, count + 1)]


def series_leftovers(out: str | os.PathLike, names: list[str]) -> list[str]:
    """The files of an earlier series beside ``out`` that the new one does not write:
    named exactly ``OUT-NN.ext`` (two digits or more, the same suffix), not among
    ``names``; an earlier, longer export's pages past the new count."""
    base, suffix = os.path.splitext(os.fspath(out))
    folder, stem = os.path.split(base)
    pattern = re.compile(re.escape(stem) + r"-(\d{2,})" + re.escape(suffix))
    keep = {os.path.basename(n) for n in names}
    try:
        listed = os.listdir(folder or ".")
    except OSError:
        return []
    return sorted(os.path.join(folder, name) for name in listed
                  if pattern.fullmatch(name) and name not in keep
                  and os.path.isfile(os.path.join(folder or ".", name)))


def kind_of(out: str | os.PathLike) -> str:
    suffix = os.path.splitext(os.fspath(out))[1].lower().lstrip(".")
    if suffix not in KINDS:
        raise GraphError(f"{out}: a step deck is written as .pdf, or as a series of .png "
                         f"or .svg files, not {('.' + suffix) if suffix else 'no suffix'!r}")
    return suffix


def check_steppable(model, name: str = "graph") -> None:
    """Refuse a graph the passes cannot step through, in Forward's and Backward's words."""
    try:
        evaluation = Evaluation(model)
    except GraphError as exc:
        raise GraphError(f"{name}: cannot run forward: {exc}") from None
    node = evaluation.first_problem
    if node is not None:
        raise GraphError(f"{name}: cannot run forward: {model.label(node)} gives "
                         f"{format_number(evaluation.value(node))} "
                         f"({evaluation.problems[node]})")
    try:
        evaluation.backward()
    except GraphError as exc:
        raise GraphError(f"{name}: cannot run backward: {exc}") from None


class Deck:
    """Walks a document through its pages; ``write`` renders them to a file or a series.

    ``doc`` and ``scene`` are a document and its canvas used for nothing else
    meanwhile (the window makes a copy of its own): the walk changes what they show.
    """

    def __init__(self, doc, scene) -> None:
        self.doc, self.scene = doc, scene
        if getattr(doc, "quiz", None) is not None:
            doc.quiz = None  # a deck shows every number: a quiz's hidden ones too
        self.stepper = Stepper(doc)
        self.removed: list[str] = []  # an earlier series' files the last write removed
        self._entries: list = []
        self.stepper.entryAdded.connect(self._entries.append)

    # ------------------------------------------------------------------ the walk
    def walk(self):
        """Put the document in each page's state in turn, yielding that page."""
        doc, stepper = self.doc, self.stepper
        check_steppable(doc.model)
        doc.clear_annotations()
        yield self._first_page()
        self._entries.clear()
        while stepper.step_forward():
            yield self._entry_page()
        while stepper.step_backward():
            yield self._entry_page()
        if not doc.run("backward"):  # (check_steppable said it would)
            raise GraphError("graph: cannot run backward")
        yield self._last_page()

    def _entry_page(self) -> Page:
        entry = self._entries[-1]
        return Page(entry.heading, entry.text)

    def _output_label(self) -> str:
        model = self.doc.model
        return model.label(model.resolve_output())

    def _first_page(self) -> Page:
        out = self._output_label()
        return Page("The graph, before the passes",
                    f"Forward computes each node from its inputs, one at a time; "
                    f"Backward then works out ∂{out}/∂node for every node, from {out} back.")

    def _last_page(self) -> Page:
        model, ev = self.doc.model, self.doc.evaluation
        out = self._output_label()
        inputs = [n for n in model.inputs() if n != ev.output]
        grads = [f"∂{out}/∂{model.label(n)} = {format_number(ev.grad(n))}"
                 for n in inputs[:MOST_SUMMED]]
        more = len(inputs) - MOST_SUMMED
        text = f"Every value and every gradient ∂{out}/∂node."
        if grads:
            text += "\n" + LIST.join(grads) + (f"{LIST}… ({more} more)" if more > 0 else "")
        return Page("Both passes done", text)

    # ----------------------------------------------------------------- writing
    def page_count(self) -> int:
        """How many pages the deck has: the bare graph, each step, the annotated graph."""
        return len(PassSteps(Evaluation(self.doc.model).backward())) + 2

    def pages_and_frame(self, measuring=None) -> tuple[list[Page], QRectF]:
        """Every page, and the frame they share: the union of their pictures.
        ``measuring(done, total)`` after each page; returning False cancels."""
        pages, frame = [], QRectF()
        total = self.page_count() if measuring is not None else 0
        for page in self.walk():
            pages.append(page)
            export.source_rect(self.scene)  # (its texts refreshed and drawn in full)
            frame = frame.united(self.scene.content_rect())
            if measuring is not None and measuring(len(pages), max(total, len(pages))) is False:
                raise Cancelled()
        return pages, frame.adjusted(-FRAME_PAD, -FRAME_PAD, FRAME_PAD, FRAME_PAD)

    def write(self, out, scale: float = 1.0, transparent: bool = False,
              progress=None, measuring=None) -> list[str]:
        """Write the deck: ``out`` a .pdf, or the first name of a .png/.svg series.

        ``progress(done, total)`` after each page written, ``measuring(done, total)``
        after each page walked first to find the shared frame; either returning
        False cancels (``Cancelled``, nothing written). Returns the files written.
        ValueError or SaveError (an OSError) with a message on failure.
        """
        kind = kind_of(out)
        if kind == "png":
            _check_png_size(scale)
        labels = self.scene.labels
        labels.memo = {}  # each page's chips placed once, found again on the second walk
        try:
            return self._write(out, kind, scale, transparent, progress, measuring)
        finally:
            labels.memo = None

    def _write(self, out, kind: str, scale: float, transparent: bool, progress,
               measuring) -> list[str]:
        pages, frame = self.pages_and_frame(measuring)
        layout = Layout(pages, frame)
        total = len(pages)

        def report(done: int) -> None:
            if progress is not None and progress(done, total) is False:
                raise Cancelled()

        if kind == "pdf":
            data = self._pdf(layout, report)
            atomic_write(out, data)
            return [os.fspath(out)]
        names = series_paths(out, total)
        with AtomicFiles() as files:
            # An earlier, longer series' pages past this one's go with the write.
            self.removed = series_leftovers(out, names)
            for name in self.removed:
                files.remove(name)
            for done, (page, name) in enumerate(zip(self.walk(), names), 1):
                files.add(name, self._picture(kind, layout, page, done, total, scale,
                                              transparent))
                report(done)
        return names

    def _pdf(self, layout: "Layout", report) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(round(export._screen_dpi()))  # fonts sized as on screen
        writer.setPageLayout(QPageLayout(QPageSize(QSizeF(*PDF_PAGE_MM), QPageSize.Millimeter,
                                                   "Slide"),
                                         QPageLayout.Landscape if PDF_PAGE_MM[0] < PDF_PAGE_MM[1]
                                         else QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setTitle(f"{self.doc.model.label(self.doc.model.resolve_output())}: "
                        "the passes step by step")
        writer.setCreator("gradstudio")
        painter = QPainter(writer)
        try:
            factor = writer.width() / SLIDE_W
            total = len(layout.pages)
            for done, page in enumerate(self.walk(), 1):
                if done > 1:
                    writer.newPage()
                painter.save()
                painter.scale(factor, factor)
                self._paint(painter, layout, page, done, total, transparent=False)
                painter.restore()
                report(done)
        finally:
            painter.end()
            buffer.close()
        return bytes(data)

    def _picture(self, kind: str, layout: "Layout", page: Page, number: int, total: int,
                 scale: float, transparent: bool) -> bytes:
        if kind == "svg":
            from PySide6.QtSvg import QSvgGenerator
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.WriteOnly)
            generator = QSvgGenerator()
            generator.setOutputDevice(buffer)
            generator.setSize(QSizeF(SLIDE_W, SLIDE_H).toSize())
            generator.setViewBox(QRectF(0, 0, SLIDE_W, SLIDE_H))
            generator.setResolution(round(export._screen_dpi()))
            generator.setTitle(page.heading)
            generator.setDescription("Made with gradstudio")
            painter = QPainter(generator)
            self._paint(painter, layout, page, number, total, transparent)
            painter.end()
            buffer.close()
            return export.valid_xml(bytes(data))
        width, height = round(SLIDE_W * scale), round(SLIDE_H * scale)
        image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
        if image.isNull():
            raise ValueError(f"the pages would be {width} × {height} pixels, too big to "
                             "make: export at a smaller scale, or as PDF or SVG")
        image.fill(Qt.transparent)
        painter = QPainter(image)
        painter.scale(width / SLIDE_W, height / SLIDE_H)
        self._paint(painter, layout, page, number, total, transparent)
        painter.end()
        return export.png_bytes(image, transparent)

    def _paint(self, painter: QPainter, layout: "Layout", page: Page, number: int,
               total: int, transparent: bool) -> None:
        """One slide, in slide units: the canvas in its frame, a rule, the texts."""
        painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing
                               | QPainter.SmoothPixmapTransform)
        if not transparent:
            painter.fillRect(QRectF(0, 0, SLIDE_W, SLIDE_H), THEME.background)
        scene = self.scene
        scene.flush_annotations()
        scene.set_detail(True)
        with export.clean_canvas(scene, transparent, False):
            scene.render(painter, layout.picture, layout.frame, Qt.KeepAspectRatio)
        rule = QColor(THEME.pending)
        rule.setAlpha(110)
        painter.setPen(QPen(rule, 2.0))
        y = layout.band.top() - GAP / 2
        painter.drawLine(layout.band.left(), y, layout.band.right(), y)
        painter.setFont(layout.heading_font)
        painter.setPen(THEME.wire_active)
        painter.drawText(layout.heading_rect, Qt.AlignLeft | Qt.AlignTop | Qt.TextSingleLine,
                         page.heading)
        painter.setPen(THEME.pending)
        painter.drawText(layout.heading_rect, Qt.AlignRight | Qt.AlignTop | Qt.TextSingleLine,
                         f"{number} / {total}")
        font, text = layout.body(page)
        painter.setFont(font)
        painter.setPen(THEME.header_text)
        painter.drawText(layout.body_rect, Qt.AlignLeft | Qt.AlignTop, text)


def staged(text: str, font: QFont, width: float) -> str:
    """The text as drawn, broken into lines that fit the width where a reader would
    break them: a long working at its equals signs (each stage on a line of its
    own: ``= 2 × 1 + 3 × 1``, ``= 5``), a long stage before a ``+``, never inside a
    product (``2 × 1``) or a derivative (``∂J/∂b``); plain words between words, the
    lines after the first of a sentence not indented."""
    metrics = QFontMetricsF(font)

    def fits(line: str) -> bool:
        return metrics.horizontalAdvance(line) <= width

    lines: list[str] = []
    for line in text.split("\n"):
        if fits(line):
            lines.append(line)
            continue
        if LIST in line:  # a list (the last page's gradients): items kept whole
            current = ""
            for item in line.split(LIST):
                if current and not fits(current + LIST + item + ","):
                    lines.append(current + ",")
                    current = item
                else:
                    current = current + LIST + item if current else item
            lines.append(current)
            continue
        if " = " not in line:  # words (the first page's sentence): no working to indent
            lines.extend(_broken(line, fits, " ", ""))
            continue
        first, *rest = line.split(" = ")
        stages = [f"{first} = {rest[0]}"]
        stages += [f"{INDENT}= {part}" for part in rest[1:]]
        for stage in stages:
            lines.extend(_broken(stage, fits, " + ", f"{INDENT}{INDENT}+ "))
    return "\n".join(lines)


def _broken(line: str, fits, at: str, again: str) -> list[str]:
    """``line`` in pieces that fit, broken before each ``at`` that must be (the
    pieces after the first start with ``again``); then between words."""
    if fits(line) or at not in line:
        return [line] if fits(line) or at == " " else _broken(line, fits, " ", INDENT)
    parts = line.split(at)
    out, current = [], parts[0]
    for part in parts[1:]:
        if fits(current + at + part):
            current += at + part
        else:
            out.append(current)
            current = again + part
    out.append(current)
    result = []
    for piece in out:
        result.extend(_broken(piece, fits, " ", INDENT) if not fits(piece) and at != " "
                      else [piece])
    return result


class Layout:
    """Where everything goes on every page, the same on every page: one band for
    the text at the foot of the slide and the picture filling the room above it.
    The band is tall enough for the longest explanation at the full size, up to a
    share of the slide; a page whose text is longer than that has its type made
    smaller, alone. The shared frame is fitted to the room above the band (the
    whole width, or the whole height), so the graph is as big as the slide lets it
    be and stands at the same place on every page."""

    def __init__(self, pages: list[Page], frame: QRectF) -> None:
        self.pages, self.frame = pages, frame
        width = self.width = SLIDE_W - 2 * MARGIN
        # Bigger with the text size, a little less than the canvas's texts: at 300 %
        # the explanation would otherwise leave the picture half the slide.
        self.size = size = BODY_PX * THEME.text_scale ** BODY_GROWTH
        self.heading_font = _font(size * HEADING_SHARE, bold=True)
        heading_h = QFontMetricsF(self.heading_font).height() * 1.3
        body = _font(size)
        need = max(_text_height(body, staged(p.text, body, width), width) for p in pages)
        body_h = min(need, SLIDE_H * MOST_BAND - heading_h)
        self.body_h = body_h
        band = heading_h + body_h
        bottom = SLIDE_H - EDGE
        self.band = QRectF(MARGIN, bottom - band, width, band)
        room = self.room = QRectF(MARGIN, EDGE, width, self.band.top() - GAP - EDGE)
        zoom = min(room.width() / frame.width(), room.height() / frame.height(), MOST_ZOOM)
        w, h = frame.width() * zoom, frame.height() * zoom
        self.zoom = zoom
        self.picture = QRectF(room.left() + (room.width() - w) / 2,
                              room.top() + (room.height() - h) / 2, w, h)
        self.heading_rect = QRectF(MARGIN, self.band.top(), width, heading_h)
        self.body_rect = QRectF(MARGIN, self.band.top() + heading_h, width, body_h + 4)

    def body(self, page: Page) -> tuple[QFont, str]:
        """The page's explanation as drawn, and its font: the full size if it fits the
        band, else the largest that does."""
        size = self.size
        while True:
            font = _font(size)
            text = staged(page.text, font, self.width)
            if _text_height(font, text, self.width) <= self.body_h or size <= MIN_BODY_PX:
                return font, text
            size *= 0.94


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont(THEME.font_family)
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold or THEME.all_bold)
    return font


def _text_height(font: QFont, text: str, width: float) -> float:
    metrics = QFontMetricsF(font)
    rect = metrics.boundingRect(QRectF(0, 0, width, 1e6), Qt.AlignLeft, text)
    return math.ceil(rect.height())


def _check_png_size(scale: float) -> None:
    width, height = SLIDE_W * scale, SLIDE_H * scale
    if not (width * height <= export.MAX_PIXELS):
        raise ValueError(f"the pages would be {width:,.0f} × {height:,.0f} pixels, too big "
                         "to make: export at a smaller scale, or as PDF or SVG")
    if min(width, height) < export.MIN_SIDE:
        raise ValueError(f"the pages would be {width:.3g} × {height:.3g} pixels, too small "
                         f"to read: export at a bigger scale")
