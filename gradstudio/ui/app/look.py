"""Lecture look: View → Theme, Text Size, Show and Precision, kept in QSettings.

The theme is the global ``THEME`` (changed in place), and so is the text size
(``THEME.text_scale``, see ``textsize``); precision and the shown kinds belong to the scene.
Every change re-renders all items (``GraphScene.apply_look``). See
docs/lecture-look.md for the decisions.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup

from gradstudio.ui.app import chrome, textsize
from gradstudio.ui.theme import THEME, THEMES

THEME_NAMES = {"light": "&Light", "dark": "&Dark", "high-contrast": "&High Contrast"}
TEXT_SIZES = (100, 125, 150, 200, 250, 300)  # percent
KINDS = (("values", "&Values"), ("locals", "&Local Derivatives"),
         ("grads", "&Gradients"), ("tangents", "&Tangents (forward mode)"))
PRECISIONS = (2, 3, 4, 5, 6, 8)  # significant digits


class Look:
    def __init__(self, window) -> None:
        self.window = window
        self.text_size = textsize.TextSize(window)
        settings = window.settings
        view_menu = window.menus["view"]
        view_menu.addSeparator()

        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(window)
        self.act_theme = {}
        for name, text in THEME_NAMES.items():
            action = self._choice(group, text, lambda _=False, n=name: self.set_theme(n))
            theme_menu.addAction(action)
            self.act_theme[name] = action

        size_menu = view_menu.addMenu("Text &Size")
        group = QActionGroup(window)
        self.act_text_size = {}
        for percent in TEXT_SIZES:
            action = self._choice(group, f"{percent} %",
                                  lambda _=False, p=percent: self.set_text_size(p))
            size_menu.addAction(action)
            self.act_text_size[percent] = action

        show_menu = view_menu.addMenu("S&how")
        self.act_show = {}
        for kind, text in KINDS:
            action = QAction(text, window)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, k=kind: self.set_shown(k, on))
            show_menu.addAction(action)
            self.act_show[kind] = action

        precision_menu = view_menu.addMenu("&Precision")
        group = QActionGroup(window)
        self.act_precision = {}
        for digits in PRECISIONS:
            action = self._choice(group, f"{digits} significant digits",
                                  lambda _=False, d=digits: self.set_precision(d))
            precision_menu.addAction(action)
            self.act_precision[digits] = action

        # What the last session chose; unreadable settings fall back to the defaults.
        theme = str(settings.value("look/theme", "light"))
        size = _int(settings.value("look/text_size", 100), 100)
        digits = _int(settings.value("look/digits", 4), 4)
        hidden = str(settings.value("look/hidden", "") or "")
        self._loading = True
        self.act_theme.get(theme if theme in THEMES else "light").trigger()
        self.act_text_size.get(size if size in TEXT_SIZES else 100).trigger()
        self.act_precision.get(digits if digits in PRECISIONS else 4).trigger()
        for kind in hidden.split(","):
            if kind in self.act_show:
                self.act_show[kind].setChecked(False)
        self._loading = False

    def _choice(self, group, text, slot) -> QAction:
        action = QAction(text, self.window)
        action.setCheckable(True)
        group.addAction(action)
        action.triggered.connect(slot)
        return action

    def _save(self, key: str, value) -> None:
        if not self._loading:
            self.window.settings.setValue(key, value)

    # ---------------------------------------------------------------- changes
    def set_theme(self, name: str) -> None:
        fitted = self.window.view.is_fitted()
        THEME.apply(name)
        chrome.apply(name)  # the panels, menus, toolbars and dialogs follow the canvas
        self.act_theme[name].setChecked(True)
        self.window.scene.apply_look()
        if fitted:  # (a new style can widen the docks: the graph stays whole)
            self.window.view.fit_again()
        self._save("look/theme", name)

    def set_text_size(self, percent: int) -> None:
        # A view Fit View left is fitted again for the new sizes (at 100 % after
        # 300 % the graph was a third of the canvas until Ctrl+0); one zoomed or
        # scrolled by hand keeps its zoom and its centre (TextSize.apply).
        fitted = self.window.view.is_fitted()
        self.act_text_size[percent].setChecked(True)
        self.text_size.apply(percent / 100)  # canvas fonts, boxes, chips, panels
        if fitted:
            self.window.view.fit_again()
        self._save("look/text_size", percent)

    def set_precision(self, digits: int) -> None:
        self.act_precision[digits].setChecked(True)
        self.window.scene.digits = digits
        self.window.scene.apply_look()
        self._save("look/digits", digits)

    def set_shown(self, kind: str, on: bool) -> None:
        hidden = self.window.scene.hidden
        if on:
            hidden.discard(kind)
        else:
            hidden.add(kind)
        self.window.scene.apply_look()
        self._save("look/hidden", ",".join(k for k, _ in KINDS if k in hidden))


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def install(window) -> Look:
    return Look(window)
