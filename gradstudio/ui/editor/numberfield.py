"""A spin box for graph numbers: full precision, steps by the precision shown."""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale, QSize, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QSizePolicy

from gradstudio.core.numbers import editable_text, parse_number


def decimal_comma() -> bool:
    return QLocale().decimalPoint() == ","


def step_for(text: str) -> float:
    """The place value of the last digit shown: 5 → 1, 5.25 → 0.01, 1.5e-05 → 1e-06."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


class NumberField(QDoubleSpinBox):
    refused = Signal(str)  # a message: what was typed is not a finite number

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDecimals(323)  # no rounding: every double survives an edit
        self.setRange(-1.7976931348623157e308, 1.7976931348623157e308)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        # A spin box's width hint (the range's ends written out) is its least width
        # by default (Minimum): it may be narrower, down to minimumSizeHint.
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def minimumSizeHint(self) -> QSize:
        """Room for ten digits and the arrows, not for the range's ends (±1.8e308
        written out asked 310 px at Text Size 200 %, and widened the Properties
        panel's column over the canvas whenever a node was selected); a longer
        number scrolls in the field."""
        hint = super().minimumSizeHint()
        least = (self.fontMetrics().horizontalAdvance("0" * 10)
                 + self.fontMetrics().height())
        return QSize(min(hint.width(), least), hint.height())

    def textFromValue(self, value: float) -> str:
        return editable_text(value)

    def valueFromText(self, text: str) -> float:
        try:
            return parse_number(text, decimal_comma())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        try:
            parse_number(text, decimal_comma())
            return QValidator.Acceptable, text, pos
        except ValueError:
            return QValidator.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        try:
            parse_number(text, decimal_comma())
        except ValueError as exc:
            self.refused.emit(f"{exc}; kept {editable_text(self.value())}")
        return editable_text(self.value())

    def stepBy(self, steps: int) -> None:
        step = step_for(editable_text(self.value()))
        value = self.value() + steps * step
        # Round to the step so that 0.1 + 0.1 + 0.1 reads 0.3, not 0.30000000000000004.
        places = max(0, -int(math.floor(math.log10(step))))
        self.setValue(round(value, places) if places < 300 else value)
        self.editingFinished.emit()
