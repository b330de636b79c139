"""The one way to reach files under resources/, installed or from a checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def resource(*parts: str) -> Path:
    """Path of a resource file, e.g. ``resource("examples", "chain_rule.json")``."""
    try:
        base = importlib.resources.files("gradstudio.resources")
    except ModuleNotFoundError:  # running from a source checkout without installing
        base = Path(__file__).resolve().parent.parent / "resources"
    return Path(str(base.joinpath(*parts)))


def example(name: str) -> Path:
    return resource("examples", f"{name}.json")
