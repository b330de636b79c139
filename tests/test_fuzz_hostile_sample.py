"""A seeded sample of benchmarks/fuzz_hostile.py (issue 12's classes) in the default suite.

Repeated keys at any depth, control characters in ids and labels (with SVG
exports parsed as XML), hostile formulas through ``gradstudio new``, and
``new -o``/export/Save onto links and special files: every case passes its rule
within its time limit. The full run (20,000+ cases) is
``python benchmarks/fuzz_hostile.py --cases 3000 --seed 1 2``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import fuzz_hostile  # noqa: E402
from fuzz_loader import expected_duplicate  # noqa: E402


def sample(kind: str, cases: int, **options) -> dict:
    counts = fuzz_hostile.run(kind, cases, seed=20261206, timeout=30.0, **options)
    assert counts["failure_list"] == [], counts["failure_list"][:3]
    return counts


def test_repeated_keys_are_refused_where_they_are():
    counts = sample("keys", 150)
    assert counts["repeat"] >= 120  # most cases still hold their repeat when written


def test_control_characters_are_refused_and_kept_text_exports_as_xml():
    counts = sample("text", 120, svg_every=2)
    assert counts["loaded"] >= 20 and counts["refused"] >= 20
    assert counts["svg"] >= 10


def test_hostile_formulas_build_or_are_refused_with_a_column():
    counts = sample("formula", 40, subprocess_every=0)
    assert counts["built"] >= 5 and counts["refused"] >= 10


def test_links_and_special_targets_are_written_through_or_refused():
    counts = sample("targets", 120)
    assert counts["written"] >= 20 and counts["refused"] >= 20


def test_the_repeat_oracle_reads_the_text_on_its_own():
    assert expected_duplicate(b'{"a": {"b": 1, "c": [{}, {"k": 1, "k": 2}]}}') == \
        "a.c[1].k: duplicate key ("
    assert expected_duplicate(b'{"a": 1, "a": {"b": 1, "b": 2}}') == "a: duplicate key ("
    assert expected_duplicate(b'{"a b": {"x": 1, "x": 2}}') == ""  # some place
    assert expected_duplicate(b'{"a": 1, "b": {"a": 2}}') is None
    assert expected_duplicate(b'{"a": 1, "a": 2') is None  # not JSON: refused before
