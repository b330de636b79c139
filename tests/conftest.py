"""Shared test set-up: Qt runs offscreen, and example files are one call away."""

import os
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
