"""Fuzz the classes of issue 12: repeated keys, control characters, long formulas, targets.

    python benchmarks/fuzz_hostile.py [--kind keys|text|formula|targets|all]
                                      [--cases N] [--seed S ...] [--timeout T]
                                      [--subprocess-every K] [--svg-every K] [--only I] [-v]

Four kinds of case, each seeded (case I of seed S is always the same):

- ``keys``: an example file in which one object, at any depth (the top level, a
  node, an edge, or an unknown key nested up to 80 levels), repeats a key; the
  loader must refuse it in one line with the key's JSON path, found here from
  the text on its own (``fuzz_json.first_duplicate``). Half the cases also get
  an ordinary mutation (``fuzz_mutators``), judged by fuzz_loader's rules.
- ``text``: ids and labels holding characters the file format refuses (C0 and C1
  controls, DEL, U+2028/9, U+FFFE/F) or keeps (zero-width, right-to-left,
  ``<&]]>``, private use, emoji...): refused with the first offending node's
  place, by docs/file-format.md's rule written out here, or loaded with the text
  kept; every K-th loaded one (``--svg-every``) is exported to SVG, which must
  parse as XML.
- ``formula``: ``gradstudio new --formula`` on long, deep, huge and forbidden
  formulas (fuzz_formulas.py): built, or refused in one line naming the column;
  every K-th case (``--subprocess-every``) also as a real process.
- ``targets``: ``new -o``, ``export`` and Save onto links, FIFOs, folders,
  /dev/null, loops, trailing slashes and long names (fuzz_targets.py).

Every case runs under a timeout (``--timeout``, default 20 s): a hang is a
failure, like a traceback or a broken rule. Prints one table row per kind and
seed and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fuzz_formulas  # noqa: E402
import fuzz_targets  # noqa: E402
from fuzz_json import Obj, parse, write  # noqa: E402
from fuzz_loader import Failure, check_core, expected_duplicate, one_line  # noqa: E402
from fuzz_mutators import STRUCT, sources  # noqa: E402
from fuzz_values import junk  # noqa: E402

STYLES = [{}, {"sep": ",", "colon": ":"}, {"ascii": True}, {"sep": ",\n  ", "colon": " : "}]


class CaseTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """CaseTimeout when the case runs longer (SIGALRM: it also ends a blocked open())."""
    def expired(_signum, _frame):
        raise CaseTimeout(f"no answer after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------ repeated keys
def _objects(tree, depth=0):
    """Every object of the tree with its depth (iteratively)."""
    found, stack = [], [(tree, 0)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, Obj):
            found.append((item, d))
            stack.extend((v, d + 1) for _k, v in item)
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return found


def make_keys_case(seed: int, index: int, srcs) -> tuple[bytes, str]:
    rng = random.Random(f"keys:{seed}:{index}")
    name, data = rng.choice(srcs)
    tree = parse(data)
    steps = [name]
    if rng.random() < 0.5:  # somewhere deep: an unknown key holding nested objects
        depth = rng.choice([1, 2, 5, 20, 60, 80])
        inner = Obj([("k", 1), ("j", "x")])
        for _ in range(depth):
            inner = Obj([("d", [inner] if rng.random() < 0.5 else inner)])
        hosts = [o for o, _d in _objects(tree)]
        rng.choice(hosts).append((rng.choice(["extra", "note", "x\"y", "é"]), inner))
        steps.append(f"unknown key {depth} deep")
    objects = [(o, d) for o, d in _objects(tree) if o]
    target, depth = rng.choice(objects)
    key, value = rng.choice(list(target))
    target.insert(rng.randint(0, len(target)), (key, junk(rng) if rng.random() < 0.5 else value))
    steps.append(f"key {key!r} repeated at depth {depth}")
    if rng.random() < 0.5:
        what = rng.choice(STRUCT)(tree, rng)
        steps.append(what or "no-op")
    text = write(tree, rng, rng.choice(STYLES))
    return text.encode("utf-8", errors="surrogatepass"), " | ".join(steps)


def check_keys(data: bytes, name: str) -> tuple[str, bool]:
    """check_core judges the repeat (fuzz_loader.expected_duplicate); a repeat that the
    extra mutation took away again ("no repeat") may load."""
    outcome = check_core(data, name)
    return outcome, expected_duplicate(data) is not None


# ------------------------------------------------------------ control characters
REFUSED = ([chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
           + ["\u2028", "\u2029", "\ufffe", "\uffff"])
KEPT = ["a", " ", "é", "\u200b", "\u200e", "\u202e", "\ufeff", "<", "&", "]]>", "\"", "'",
        "\\", "🙂", "\u0301", "\u00a0", "\ue000", "\U0010fffd", "\ufdd0", "日",
        "\U0001f468\u200d"]
# The rule of docs/file-format.md ("Text in ids and labels"), written out on its own.
NOT_ALLOWED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def make_text_case(seed: int, index: int, srcs) -> tuple[bytes, str, list]:
    """An example whose ids or labels hold drawn characters; also the (node index,
    key) places in node order whose text breaks the rule."""
    rng = random.Random(f"text:{seed}:{index}")
    name, data = rng.choice(srcs)
    tree = parse(data)
    nodes = [n for n in tree.get("nodes") if isinstance(n, Obj)]
    pool = REFUSED if rng.random() < 0.5 else KEPT
    steps = [name]
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(nodes))
        node = nodes[i]
        chars = [rng.choice(pool if rng.random() < 0.8 else KEPT) for _ in range(rng.randint(1, 4))]
        text = f"n{index}_{i}" + "".join(chars) + rng.choice(["", "x"])
        if rng.random() < 0.5:
            node.set("label", text)
            steps.append(f"nodes[{i}].label")
        else:
            old = node.get("id")
            node.set("id", text)
            for edge in tree.get("edges") or []:
                for end in ("from", "to"):
                    if edge.get(end) == old:
                        edge.set(end, text)
            if tree.get("output") == old:
                tree.set("output", text)
            steps.append(f"nodes[{i}].id")
    offending = [(i, key) for i, node in enumerate(nodes) for key in ("id", "label")
                 if isinstance(node.get(key), str) and NOT_ALLOWED.search(node.get(key))]
    text = write(tree, rng, rng.choice(STYLES))
    return text.encode("utf-8"), " | ".join(steps), offending


def check_text(data: bytes, name: str, offending: list, svg: bool, folder: Path) -> str:
    from gradstudio.core import fileformat
    from gradstudio.core.errors import FileFormatError
    try:
        model = fileformat.loads(data, name)
    except FileFormatError as exc:
        message = str(exc)
        one_line(message, name)
        if not offending:
            raise Failure(f"refused text the rule keeps: {message[:300]!r}") from None
        i, key = offending[0]
        if not message.startswith(f"{name}: nodes[{i}].{key}: "):
            raise Failure(f"refused at another place than nodes[{i}].{key}: "
                          f"{message[:300]!r}") from None
        return "refused"
    if offending:
        raise Failure(f"loaded a file with a refused character at {offending[0]}")
    if check_core(data, name) != "loaded":  # round trip, both loaders, the passes
        raise Failure("check_core refused what loads")
    if svg:
        from gradstudio.ui.headless import export_file
        source, out = folder / "text.json", folder / "text.svg"
        source.write_bytes(data)
        export_file(source, out, after="backward")
        try:
            ElementTree.fromstring(out.read_bytes())
        except ElementTree.ParseError as exc:
            raise Failure(f"the exported SVG is not XML: {exc}") from None
        out.unlink()
    return "loaded"


# ------------------------------------------------------------------ running
def run(kind: str, cases: int, seed: int, timeout: float = 20.0, subprocess_every: int = 50,
        svg_every: int = 1, only: int | None = None, verbose: bool = False,
        out=print) -> dict:
    """Cases 0..cases-1 of ``seed`` of one kind; counts by outcome, and the failures."""
    srcs = sources()
    counts: dict = {"cases": 0, "failures": 0, "timeouts": 0}
    failures = []
    loaded_seen = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gradstudio-hostile-") as tmp:
        folder = Path(tmp)
        for index in [only] if only is not None else range(cases):
            how = ""
            case_dir = folder / f"case{index}"
            case_dir.mkdir()
            try:
                with time_limit(timeout):
                    if kind == "keys":
                        data, how = make_keys_case(seed, index, srcs)
                        outcome, repeat = check_keys(data, f"case_{index}.json")
                        counts["repeat"] = counts.get("repeat", 0) + repeat
                    elif kind == "text":
                        data, how, offending = make_text_case(seed, index, srcs)
                        svg = False
                        if not offending:
                            loaded_seen += 1
                            svg = svg_every > 0 and loaded_seen % svg_every == 1 % svg_every
                        outcome = check_text(data, f"case_{index}.json", offending, svg,
                                             case_dir)
                        if svg and outcome == "loaded":
                            counts["svg"] = counts.get("svg", 0) + 1
                    elif kind == "formula":
                        text = fuzz_formulas.make_formula(seed, index)
                        how = f"{len(text)} characters: {text[:60]!r}"
                        outcome = fuzz_formulas.check(text, case_dir / "f.json")
                        if subprocess_every and index % subprocess_every == 0:
                            fuzz_formulas.check_subprocess(text, case_dir / "f.json", timeout)
                            counts["subprocess"] = counts.get("subprocess", 0) + 1
                    else:
                        case = fuzz_targets.make_target(seed, index, case_dir)
                        how = case.how
                        outcome = fuzz_targets.check(case)
                counts[outcome] = counts.get(outcome, 0) + 1
            except Exception as exc:  # noqa: BLE001 - every other exception is a finding
                counts["failures"] += 1
                if isinstance(exc, CaseTimeout):
                    counts["timeouts"] += 1
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                failures.append((index, how, detail))
                if verbose:
                    out(f"FAIL {kind} case {index} ({how}): {detail[:400]}")
                    out("".join(traceback.format_exception(exc))[-2000:])
            finally:
                shutil.rmtree(case_dir, ignore_errors=True)
            counts["cases"] += 1
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["failure_list"] = failures
    return counts


GOOD = {"keys": ("loaded", "refused"), "text": ("loaded", "refused"),
        "formula": ("built", "refused"),
        "targets": ("written", "refused")}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", default="all", choices=["keys", "text", "formula", "targets", "all"])
    p.add_argument("--cases", type=int, default=2000)
    p.add_argument("--seed", type=int, nargs="+", default=[1])
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--subprocess-every", type=int, default=50)
    p.add_argument("--svg-every", type=int, default=1)
    p.add_argument("--only", type=int)
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    kinds = ["keys", "text", "formula", "targets"] if args.kind == "all" else [args.kind]
    print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    print("| kind | seed | cases | built/loaded/written | refused | failures (hangs) | "
          "also | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    bad = 0
    for kind in kinds:
        for seed in args.seed:
            counts = run(kind, args.cases, seed, args.timeout, args.subprocess_every,
                         args.svg_every, args.only, args.verbose)
            failures = counts.pop("failure_list")
            bad += len(failures)
            for index, how, detail in failures[:30]:
                print(f"FAIL {kind} seed {seed} case {index} ({how}): {detail[:300]}")
            made = sum(counts.get(k, 0) for k in GOOD[kind] if k != "refused")
            also = {"formula": f"{counts.get('subprocess', 0)} as a process",
                    "text": f"{counts.get('svg', 0)} SVG parsed",
                    "keys": f"{counts.get('repeat', 0)} refused at the repeat",
                    "targets": ""}[kind]
            print(f"| {kind} | {seed} | {counts['cases']:,} | {made:,} | "
                  f"{counts.get('refused', 0):,} | {counts['failures']} ({counts['timeouts']}) | "
                  f"{also} | {counts['seconds']} |", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
