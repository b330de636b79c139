"""A seeded sample of the loader fuzz (benchmarks/fuzz_loader.py) in the default suite.

Each mutated example file either loads, saves and reloads to the same bytes, or
is refused with one line naming the file; a sample is also opened through the
window's File → Open, which must leave the document open before as it was.
The full run (10,000+ cases) is ``python benchmarks/fuzz_loader.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import fuzz_loader  # noqa: E402
from fuzz_mutators import make_case, sources  # noqa: E402


def test_core_sample_loads_or_refuses_in_one_line():
    counts = fuzz_loader.run(cases=400, seed=20240501)
    assert counts["failure_list"] == []
    assert counts["loaded"] >= 60 and counts["refused"] >= 200  # both kinds exercised


def test_window_sample_keeps_the_open_document_on_refusal(window):
    counts = fuzz_loader.run(cases=60, seed=7, window_every=1, window=window)
    assert counts["failure_list"] == []
    assert counts["window"] == 60
    assert counts["loaded"] and counts["refused"]


def test_cases_are_reproducible():
    srcs = sources()
    assert make_case(3, 17, srcs) == make_case(3, 17, srcs)
    assert make_case(3, 17, srcs) != make_case(3, 18, srcs)


def test_eval_fast_path_says_what_the_plain_loader_says(tmp_path, monkeypatch, capsys):
    """`gradstudio eval` on a mutated file: with the column fast path (quick check,
    LoadedGraph) and with the plain loader alone, the same exit code, the same
    --json bytes and the same one-line message; and every number printed is the
    scalar reference evaluator's (tests/oracle.py)."""
    import json

    from gradstudio.cli import main
    from gradstudio.core import fileformat
    from gradstudio.core.reference import evaluate_reference
    from oracle import assert_numbers_match, fast_numbers_of_json
    srcs = sources()
    path = tmp_path / "case.json"

    def run() -> tuple:
        code = main(["eval", str(path), "--json"])
        out = capsys.readouterr()
        return code, out.out, out.err

    loaded = 0
    for index in range(300):
        data, _how = make_case(20240502, index, srcs)
        path.write_bytes(data)
        fast = run()
        with monkeypatch.context() as m:
            m.setattr(fileformat, "load_for_eval", fileformat.load)
            m.setattr(fileformat, "quick_check", lambda nodes, edges: None)
            plain = run()
        assert fast == plain, f"case {index}"
        if fast[0] == 0:
            loaded += 1
            model = fileformat.load(path)
            assert_numbers_match(model, fast_numbers_of_json(json.loads(fast[1])),
                                 evaluate_reference(model))
    assert loaded >= 30  # both kinds exercised
