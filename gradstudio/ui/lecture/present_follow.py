"""Fitting the graph to the presentation screen and following the steps on it.

Kept apart from the mode itself (``present.py``) because the view's moves carry the
big-graph paint costs (one full repaint a pan, not two) and the rules of when the view
stays still and where it stops (no node or chip cut by the screen's edge); they are
tuned and tested on their own. ``FollowParts`` is a mixin of
``Presentation``: its state (``view``, ``_sight``, ``_bounds``...) is set there.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.lecture.present_uncut import uncut_start
from gradstudio.ui.theme import NUMBER_SCALE, THEME

# The chips' digits are drawn at least this part of the screen's height high (15 px
# on 1920 x 1080, 10 on 1280 x 720), and never under LEGIBLE_PX: the share of the
# projected picture is what the back of a room sees. Fitted whole, logistic_neuron's
# digits were 9 px on a 1920 x 1080 screen, which a lecturer found unreadable.
LEGIBLE_PART = 0.014
LEGIBLE_PX = 9.0
ROOM = 80  # canvas units left around the graph when fitted (chips to come)
FOLLOW_MARGIN = 48  # pixels a step's node keeps from the screen's edges, or the view pans
CUT_GAP = 12  # pixels a node or chip shown whole keeps from the screen's edge (or out past it)


def digits_height() -> float:
    """The height of the chips' digits at 100 % zoom (canvas units), at the text size."""
    return THEME.metrics(NUMBER_SCALE).tightBoundingRect("0123456789").height()


class FollowParts:
    """Presentation's view: the graph fitted to the screen above the line, and panned
    (the zoom kept) to keep each step's node comfortably in sight."""

    def fit(self) -> None:
        """The graph fitted to the screen above the explanation line, which is as big
        as the node text the fit gives: fitted again while the line's new height
        changes the room (twice at most)."""
        for _ in range(3):
            self._fit()
            px = self._line_px()
            if px == self.line.px:
                break
            self.line.set_px(px, self._line_floor())
            self._place_line()

    def least_zoom(self) -> float:
        """The zoom that draws the chips' digits LEGIBLE_PART of the screen's height
        high (LEGIBLE_PX at the least)."""
        screen = self.editor.screen()
        height = screen.geometry().height() if screen is not None else 800
        return max(LEGIBLE_PART * height, LEGIBLE_PX) / digits_height()

    def _fit(self) -> None:
        """The graph fitted to the screen. A class should see the whole graph: shown
        whole, with room around it for the chips steps will add, while its digits
        stay legible (``least_zoom``; not blown up past 100 % beyond that). A graph too
        big for that is shown at that zoom (Fit View's least readable one if bigger)
        from its inputs, and the view follows the steps across it."""
        view, rect = self.view, self.editor.scene.itemsBoundingRect()
        self.glide.stop()  # (framed anew here)
        room = view.viewport().rect()
        self._fitted_to = room.size()
        self._bounds = rect.adjusted(-ROOM, -ROOM, ROOM, ROOM)
        if rect.isEmpty() or room.isEmpty():
            return
        whole = min(room.width() / self._bounds.width(),
                    room.height() / self._bounds.height())
        least = self.least_zoom()
        self._whole = whole >= least
        zoom = min(whole, max(1.0, least)) if self._whole \
            else max(least, view.min_fit_zoom())
        view.resetTransform()
        view.scale(zoom, zoom)
        if self._whole:
            view.centerOn(rect.center())
        else:  # from its start (the inputs, on the left; the top), by its nodes alone
            start = self._bounds.topLeft()
            view.centerOn(self._framed(start, chips=False))
        self._moved_view()

    def _framed(self, centre: QPointF, chips: bool = True,
                keep: QRectF | None = None) -> QPointF:
        """Where to centre the view to show ``centre`` at the present zoom without
        empty screen beside the graph. Across, no further than the graph's edge (a
        graph narrower than the screen is centred). Down, on the graph's part in
        the columns shown (its nodes and, if ``chips``, the chips shown there, with
        ROOM for chips to come): centred on that part when it fits, else no further
        than its edge. Centred on the whole graph's height, steps 5-10 of
        logistic_neuron showed its right-hand chain low under an empty top 40 % of
        the screen. Then moved the least that leaves no node or chip cut by the
        screen's edges (``_uncut``), ``keep`` whole in sight."""
        shown, bounds = self._shown(), self._bounds
        half_w, half_h = shown.width() / 2, shown.height() / 2
        x = _along(centre.x(), half_w, bounds.left(), bounds.right())
        y = self._down(centre.y(), x, half_w, half_h, chips)
        if self.editor.scene.large.lazy:
            return QPointF(x, y)
        x = self._uncut(x, y, keep, chips, across=True)
        y = self._down(centre.y(), x, half_w, half_h, chips)
        return QPointF(x, self._uncut(x, y, keep, chips, across=False))

    def _down(self, y: float, x: float, half_w: float, half_h: float, chips: bool) -> float:
        part = self._part_in_columns(x - half_w, x + half_w, chips)
        part = part.adjusted(0, -ROOM, 0, ROOM) if not part.isEmpty() else self._bounds
        return _along(y, half_h, part.top(), part.bottom())

    def _uncut(self, x: float, y: float, keep: QRectF | None, chips: bool,
               across: bool) -> float:
        """The view's centre along one side (``across`` or down), moved the least (a
        quarter of the screen at most) that leaves every node and chip near the
        screen's edges on that side whole in sight or wholly out of it (a graph
        shown in part: End on logistic_neuron cut ``a`` or its chip at the right
        edge). Where no such frame is near, a cut stays."""
        shown = self._shown()
        width, height = shown.width(), shown.height()
        span = width if across else height
        reach = span / 4
        near = QRectF(x - width / 2, y - height / 2, width, height).adjusted(
            *((-reach, 0, reach, 0) if across else (0, -reach, 0, reach)))
        side = (lambda r: (r.left(), r.right())) if across else (lambda r: (r.top(), r.bottom()))
        centre = x if across else y
        start = centre - span / 2
        moved = uncut_start(start, span, [side(box) for box in self._boxes_in(near, chips)],
                            CUT_GAP / self.view.zoom(), reach,
                            side(keep) if keep is not None else None)
        return centre if moved == start else moved + span / 2

    def _boxes_in(self, rect: QRectF, chips: bool) -> list[QRectF]:
        """The boxes of the nodes (and, if ``chips``, the chips shown) meeting ``rect``."""
        boxes = [node.sceneBoundingRect() for node in self.editor.scene.node_boxes.meeting(rect)]
        return boxes + self._chip_boxes(rect) if chips else boxes

    def _chip_boxes(self, rect: QRectF) -> list[QRectF]:
        """The boxes of the chips shown meeting ``rect``, from Qt's index."""
        return [item.sceneBoundingRect() for item in self.editor.scene.items(rect)
                if isinstance(item, ChipItem) and item.isVisible()]

    def _part_in_columns(self, left: float, right: float, chips: bool) -> QRectF:
        """The boxes of the nodes (and shown chips) that meet the columns from
        ``left`` to ``right`` (canvas units). The nodes from the scene's arrays of
        their boxes; the chips from Qt's index, not on a big graph: a strip of it
        holds thousands of items, 10-16 ms a panned step on the 1,000-node graph
        (the nodes' boxes with ROOM around them frame it)."""
        scene, bounds = self.editor.scene, self._bounds
        strip = QRectF(left, bounds.top() - 1, right - left, bounds.height() + 2)
        part = scene.node_boxes.extent(strip)
        if chips and not scene.large.lazy:
            for box in self._chip_boxes(strip):
                part = part.united(box)
        return part

    def _moved_view(self) -> None:
        """After the view scrolled or zoomed: Qt marks every item to be painted again
        at its new place on the next change of any item, and does so then, a turn
        later. Told of a change now, it does it with this repaint, not on the next
        step (on the 1,000-node benchmark graph, a whole screen of nodes: 30-60 ms)."""
        item = next(iter(self.editor.scene.nodes.values()), None)
        if item is not None:
            item.update()
        self.view.viewport().update()

    def _shown(self) -> QRectF:
        return self.view.shown_rect()

    def _keep_in_sight(self) -> None:
        """After a step. A big graph's view follows at once, before the step's chips
        are painted: one paint, of the whole screen, where a pan a turn later painted
        the step's part first and then the whole screen again (on the 1,000-node
        benchmark graph, a second full repaint: 30-60 ms). A graph shown whole waits a
        turn: its chips' sizes, which the fit checks, are settled then."""
        if not self.presenting or self._priming:
            return
        if self.editor.scene.large.lazy:
            self._sight.stop()
            self.follow()
        else:
            self._sight.start(0)

    def _fit_if_out(self) -> None:
        """After a step: chips that grew out of the screen bring a graph shown whole
        back into sight (not a big one's: its chips are written lazily, and the
        bounds of every item asked each step; nor one shown in part, which would
        jump back to its inputs each step); then the view follows the step."""
        scene = self.editor.scene
        if not self.presenting:
            return
        if not scene.large.lazy and self._whole:
            near = ROOM / 4  # chips grew to the screen's edge (or past it): fitted again
            whole = scene.itemsBoundingRect()
            if not self._shown().contains(whole.adjusted(-near, -near, near, near)):
                self.fit()
            if self._shown().contains(whole):
                return  # every node in sight: nothing to follow
        self.follow()

    def follow(self) -> bool:
        """Pan (the zoom kept) so the step's node is comfortably in sight: FOLLOW_MARGIN
        pixels or more inside the canvas's part of the screen (above the explanation
        line). A node already so stays where it is: the view does not jump each step
        (unless a node or chip is cut at the screen's edge, ``_uncut``). A node out
        of it comes to the middle, where the steps after it are near. True if the
        view moves."""
        stepper, view = self.stepper, self.view
        if not (stepper.active and stepper.position > 0):
            return False
        step = stepper.steps.step(stepper.position - 1)
        item = self.editor.scene.nodes.get(step.node)
        if item is None:
            return False
        room = QRectF(view.viewport().rect())
        margin = min(FOLLOW_MARGIN, room.width() / 8, room.height() / 8)
        comfortable = view.mapToScene(
            room.adjusted(margin, margin, -margin, -margin).toRect()).boundingRect()
        target = self._step_rect(item, step.edges, comfortable)
        if comfortable.contains(target):
            # Still, unless a node or chip the step grew is cut at the screen's edge.
            if self.editor.scene.large.lazy:
                return False
            here = self.glide.centre()
            x = self._uncut(here.x(), here.y(), target, True, across=True)
            centre = QPointF(x, self._uncut(x, here.y(), target, True, across=False))
            if centre == here:
                return False
        else:
            # To the middle, but no further than the graph's edge where the graph is
            # bigger than the screen (a node on its top row is not shown under an empty
            # half), and with the graph's part in those columns centred down the screen
            # where it fits (``_framed``).
            centre = self._framed(target.center(), keep=target)
        # Glided there, on a graph people teach with; a big one's screen in one jump,
        # painted whole once (``_moved_view``).
        self.glide.to(centre, self.editor.scene.large.glides)
        return True

    def _step_rect(self, item, edges, comfortable: QRectF) -> QRectF:
        """The step's node with the chips of the wires its line names (at step 10 of
        logistic_neuron the line read ∂L/∂z = ∂L/∂a · ∂a/∂z with ∂a/∂z's chip past
        the screen's right edge), where they fit in sight together; else the node.
        A big graph's chips are written after the view follows: its node alone."""
        scene = self.editor.scene
        target = item.sceneBoundingRect()
        if scene.large.lazy:
            return target
        named = QRectF(target)
        for edge in edges:
            wire = scene.edges.get(edge)
            for chip in (wire.above, wire.below) if wire is not None else ():
                if chip.isVisible():
                    named = named.united(chip.sceneBoundingRect())
        fits = named.width() <= comfortable.width() and named.height() <= comfortable.height()
        return named if fits else target

    def in_sight(self, node_id: str) -> bool:
        """Whether the node is drawn whole on the canvas's part of the screen."""
        item = self.editor.scene.nodes.get(node_id)
        return item is not None and self._shown().contains(item.sceneBoundingRect())


def _along(value: float, half: float, low: float, high: float) -> float:
    """The view's centre along one side for ``value``: the middle of ``low``-``high``
    when that fits in ``2 * half``, else ``value`` kept ``half`` inside them."""
    if high - low <= 2 * half:
        return (low + high) / 2
    return min(max(value, low + half), high - half)
