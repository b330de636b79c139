"""A seeded sample of the loader fuzz (benchmarks/fuzz_loader.py) in the default suite.

Each mutated example file either loads, saves and reloads to the same bytes, or
is refused with one line naming the file; a sample is also opened through the
window's File → Open, which must leave the document open before as it was.
The full run (10,000+ cases) is ``python benchmarks/fuzz_loader.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz_loader.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("fuzz_loader", FUZZ)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_core_sample_loads_or_refuses_in_one_line(fuzz):
    counts = fuzz.run(cases=400, seed=20240501)
    assert counts["failure_list"] == []
    assert counts["loaded"] >= 60 and counts["refused"] >= 200  # both kinds exercised


def test_window_sample_keeps_the_open_document_on_refusal(fuzz, window):
    counts = fuzz.run(cases=60, seed=7, window_every=1, window=window)
    assert counts["failure_list"] == []
    assert counts["window"] == 60
    assert counts["loaded"] and counts["refused"]


def test_cases_are_reproducible(fuzz):
    sources = fuzz.sources()
    assert fuzz.make_case(3, 17, sources) == fuzz.make_case(3, 17, sources)
    assert fuzz.make_case(3, 17, sources) != fuzz.make_case(3, 18, sources)
