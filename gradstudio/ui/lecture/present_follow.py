"""Fitting the graph to the presentation screen and following the steps on it.

Kept apart from the mode itself (``present.py``) because the view's moves carry the
big-graph paint costs (one full repaint a pan, not two) and the rules of when the view
stays still; they are tuned and tested on their own. ``FollowParts`` is a mixin of
``Presentation``: its state (``view``, ``_sight``, ``_bounds``...) is set there.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from gradstudio.ui.theme import number_px

WHOLE_PX = 9.0  # a graph is shown whole while its numbers are this many pixels high
ROOM = 80  # canvas units left around the graph when fitted (chips to come)
FOLLOW_MARGIN = 48  # pixels a step's node keeps from the screen's edges, or the view pans


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

    def _fit(self) -> None:
        """The graph fitted to the screen. A class should see the whole graph: shown
        whole, with room around it for the chips steps will add, while its numbers
        stay WHOLE_PX high or more (never blown up past 100 %); a graph too big for
        that as Fit View shows it, from its inputs at the least readable zoom."""
        view, rect = self.view, self.editor.scene.itemsBoundingRect()
        room = view.viewport().rect()
        self._fitted_to = room.size()
        self._bounds = rect.adjusted(-ROOM, -ROOM, ROOM, ROOM)
        if rect.isEmpty() or room.isEmpty():
            return
        zoom = min(room.width() / (rect.width() + 2 * ROOM),
                   room.height() / (rect.height() + 2 * ROOM), 1.0)
        if zoom * number_px() < WHOLE_PX:
            view.show_readable()
        else:
            view.resetTransform()
            view.scale(zoom, zoom)
            view.centerOn(rect.center())
        self._moved_view()

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
        bounds of every item asked each step); then the view follows the step."""
        scene = self.editor.scene
        if not self.presenting:
            return
        if not scene.large.lazy:
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
        line). A node already so stays where it is: the view does not jump each step.
        A node out of it comes to the middle, where the steps after it are near.
        True if the view moved."""
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
            return False
        # To the middle, but no further than the graph's edge where the graph is bigger
        # than the screen (a node on its top row is not shown under an empty half);
        # along a side the graph fits, the graph stays centred (End on logistic_neuron
        # at 1280 x 800 put its first input mid-screen: the top half empty, its lower
        # rows under the explanation line).
        centre, shown, bounds = target.center(), self._shown(), self._bounds
        for axis, half, low, high in (("x", shown.width() / 2, bounds.left(), bounds.right()),
                                      ("y", shown.height() / 2, bounds.top(), bounds.bottom())):
            if high - low > 2 * half:
                value = min(max(getattr(centre, axis)(), low + half), high - half)
            else:
                value = (low + high) / 2
            getattr(centre, "set" + axis.upper())(value)
        view.centerOn(centre)
        self._moved_view()  # the whole screen painted now, once
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
