"""The presentation's view carried to a step's node over a quarter of a second.

A step that follows its node moved the view some 650 px in one frame and the class
lost its place; an eased pan shows where the view went. It always lands exactly
where the jump went (the same ``centerOn``), and a key pressed meanwhile lands it
at once before its own step, so a presenter pressing quickly never falls behind.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QPointF, QRectF, QVariantAnimation

GLIDE_MS = 250


class Glide(QObject):
    """Pans ``view`` to a centre; ``landed()`` runs once the view is there."""

    def __init__(self, view, landed) -> None:
        super().__init__(view)
        self.view, self.landed = view, landed
        self.target: QPointF | None = None  # where the running glide goes
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(GLIDE_MS)
        self._anim.setEasingCurve(QEasingCurve.InOutCubic)
        self._anim.valueChanged.connect(self._frame)
        self._anim.finished.connect(self.finish)

    @property
    def running(self) -> bool:
        return self.target is not None

    def centre(self) -> QPointF:
        """The scene point at the middle of the view (not a pixel off, as
        ``viewport().rect().center()`` is)."""
        view = self.view
        return view.viewportTransform().inverted()[0].map(QRectF(view.viewport().rect()).center())

    def to(self, centre: QPointF, glides: bool = True) -> None:
        """The view centred on ``centre``: at once if not ``glides``, else eased
        from where it is (a glide under way is landed first)."""
        self.finish()
        self.target = QPointF(centre)
        if not glides:
            self.finish()
            return
        self._anim.setStartValue(self.centre())
        self._anim.setEndValue(self.target)
        self._anim.start()

    def finish(self) -> None:
        """A glide under way lands on its target now."""
        target = self.target
        if target is None:
            return
        self.stop()
        self.view.centerOn(target)
        self.landed()

    def stop(self) -> None:
        """A glide under way ends where it is (the view is framed anew after)."""
        self.target = None
        self._anim.stop()

    def _frame(self, centre) -> None:
        if self.target is not None:
            self.view.centerOn(centre)
