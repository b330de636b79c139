"""The read-only guard of the presentation: the graph cannot be edited while presenting.

Kept apart from the mode itself (``present.py``) because which keys, shortcuts and mouse
events count as edits grows with the editor (each new edit action belongs on the list),
while the mode's keys do not. ``GuardParts`` is a mixin of ``Presentation``: its state
(``_editing``, ``_held``...) is set there, and its event filter asks it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence

#: The window's actions that change the graph: their shortcuts do nothing while presenting
#: (the editor's and the arrange tools' attributes; the teaching tools' Nudge).
EDITING = (("act_undo", "act_redo", "act_cut", "act_paste", "act_duplicate", "act_delete",
            "act_select_all", "act_new_formula"),
           ("arrange", ("act_auto_layout", "act_snap", "act_align_left", "act_align_top")),
           ("teaching", ("act_nudge",)))
#: Keys the canvas itself turns into edits (Tab: quick add).
EDITING_KEYS = frozenset({Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Delete, Qt.Key_Backspace,
                          Qt.Key_F2})
DRAGS = (QEvent.DragEnter, QEvent.DragMove, QEvent.Drop)


class GuardParts:
    """Presentation's read-only guard: the edit shortcuts and keys swallowed, the mouse a
    pointer (a quiz's ``?`` still answers a click)."""

    def _editing_shortcuts(self) -> list[QKeySequence]:
        editor, keys = self.editor, []
        plain, *others = EDITING
        owners = [(editor, plain)] + [(getattr(editor, name, None), attrs)
                                      for name, attrs in others]
        for owner, attrs in owners:
            for attr in attrs:
                action = getattr(owner, attr, None) if owner is not None else None
                if action is not None:
                    keys += [k for k in action.shortcuts() if not k.isEmpty()]
        return keys

    def _edits(self, event) -> bool:
        """A key press that would change the graph (an edit action's shortcut, or a key
        the canvas turns into an edit)."""
        if event.key() in EDITING_KEYS:
            return True
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(k) == QKeySequence.ExactMatch for k in self._editing)

    def _quiz_chip(self, point) -> bool:
        """A quiz's ``?`` under ``point`` (viewport pixels): a click there reveals it."""
        quiz = getattr(self.editor, "quiz_mode", None)
        if quiz is None or getattr(self.doc, "quiz", None) is None:
            return False
        key = quiz.hit(self.view.mapToScene(point))
        return key is not None and quiz.asked_here(key)

    def _mouse(self, event) -> bool:
        """The canvas's mouse while presenting: True where the event is swallowed."""
        kind = event.type()
        if kind in DRAGS:  # a node dropped from the palette (or anything else)
            event.ignore()
            return True
        if kind == QEvent.ContextMenu:  # its menu edits
            return True
        if kind == QEvent.MouseButtonDblClick:  # a rename, quick add: not here
            return not self._quiz_chip(event.position().toPoint())
        if kind == QEvent.MouseButtonPress:
            if event.button() == Qt.LeftButton and self._quiz_chip(event.position().toPoint()):
                return False  # the quiz reveals it
            # The mouse is a pointer: no node moves, no wire is drawn, the view stays
            # (the middle button's pan and Space-drag too: J stays in sight).
            self._held = True
            return True
        if kind == QEvent.MouseMove:
            return self._held or bool(event.buttons())
        if kind == QEvent.MouseButtonRelease and self._held:
            self._held = bool(event.buttons())
            return True
        return False
