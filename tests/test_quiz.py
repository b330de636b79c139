"""The quiz without a window: the file's "quiz" key (read, refused, kept, pruned),
guesses marked to 4 significant digits, the order Reveal Next follows, and
`gradstudio export --quiz` (a worksheet: hidden numbers left blank)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import example_path
from gradstudio.core import fileformat, quiz as quizzes
from gradstudio.core.errors import FileFormatError
from gradstudio.core.passes import Evaluation


def chain_rule(quiz=None) -> dict:
    doc = json.loads(example_path("chain_rule").read_text(encoding="utf-8"))
    if quiz is not None:
        doc["quiz"] = quiz
    return doc


def load(doc: dict):
    return fileformat.loads(json.dumps(doc), "graph.json")


@pytest.mark.parametrize("quiz, message", [
    ([], "graph.json: quiz: must be an object, not a list"),
    ({"hide": "grad"}, 'graph.json: quiz.hide: must be a list of value, local, grad, '
                       "not 'grad'"),
    ({"hide": ["values"]}, "graph.json: quiz.hide[0]: unknown kind 'values' "
                           "(known: value, local, grad)"),
    ({"hide": ["grad", "grad"]}, "graph.json: quiz.hide[1]: 'grad' is listed twice "
                                 "(also hide[0])"),
    ({"nodes": ["u", "k"]}, "graph.json: quiz.nodes[1]: no node 'k'"),
    ({"nodes": "some"}, 'graph.json: quiz.nodes: must be "all" or a list of node ids, '
                        "not 'some'"),
    ({"edges": [{"from": "b", "to": "u", "port": 1}]},
     "graph.json: quiz.edges[0]: no wire 'b' → 'u' at port 1"),
    ({"edges": [{"from": "b", "to": "u"}]}, "graph.json: quiz.edges[0].port: missing"),
    ({"edges": [["b", "u", 0]]}, 'graph.json: quiz.edges[0]: must be a wire '
                                 '{"from", "to", "port"}, not a list'),
])
def test_a_bad_quiz_is_refused_with_one_line(quiz, message):
    with pytest.raises(FileFormatError) as info:
        load(chain_rule(quiz))
    assert str(info.value) == message
    # The headless evaluation's loader refuses it the same way.
    with pytest.raises(FileFormatError) as info:
        fileformat._load_text([json.dumps(chain_rule(quiz))], "graph.json", for_eval=True)
    assert str(info.value) == message


def test_the_cli_refuses_a_bad_quiz_in_one_line_with_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(chain_rule({"nodes": ["k"]})), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "gradstudio", "eval", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"{bad}: quiz.nodes[0]: no node 'k'"]


def test_a_quiz_is_kept_as_written_and_written_back_byte_for_byte():
    quiz = {"edges": [{"from": "v", "port": 0, "to": "J"}], "hide": ["grad", "value"],
            "nodes": ["u"], "note": "for week 3"}  # a key a later version may add: kept
    model = load(chain_rule(quiz))
    assert model.extra["quiz"] == quiz
    text = fileformat.dumps(model)
    assert json.loads(text)["quiz"] == quiz
    assert fileformat.dumps(fileformat.loads(text)) == text
    read = quizzes.lenient(quiz)
    assert read.hide == ("value", "grad") and read.nodes == ("u",)
    assert read.edges == (("v", "J", 0),)


def test_a_file_without_a_quiz_is_unchanged():
    text = example_path("chain_rule").read_text(encoding="utf-8")
    model = fileformat.loads(text)
    assert "quiz" not in model.extra
    again = fileformat.dumps(model)
    assert "quiz" not in again and fileformat.dumps(fileformat.loads(again)) == again


def test_what_a_quiz_asks():
    model = load(chain_rule())
    everything = quizzes.Quiz()
    assert not everything.asks(model, "value", "b")  # the inputs are the question
    assert not everything.asks(model, "value", ("b", "u", 0))  # so is what they carry
    assert everything.asks(model, "value", ("u", "v", 1))
    assert everything.asks(model, "grad", "b") and everything.asks(model, "local", ("b", "u", 0))
    assert not everything.asks(model, "local", "u")  # a node has no local derivative
    some = quizzes.Quiz(("grad",), ("b",), (("u", "v", 1),))
    assert some.asks(model, "grad", "b") and not some.asks(model, "grad", "c")
    assert some.asks(model, "grad", ("u", "v", 1)) and not some.asks(model, "grad", ("v", "J", 0))
    assert not some.asks(model, "value", "u")


@pytest.mark.parametrize("guess, truth, right", [
    (6, 6.0, True), (6.0004, 6, True), (6.001, 6, False), (5.9996, 6, True),
    (0.105, 0.104993585, True),  # σ'(2) = 0.1050 to four digits
    (0.1049, 0.104993585, False), (33, 33, True), (33.01, 33, False),
    (-3, -3, True), (3, -3, False), (0, 0, True), (1e-9, 0, False),
    (1234.5, 1234.4, True), (1235, 1234.4, False), (float("inf"), float("inf"), True),
])
def test_a_guess_is_right_within_four_significant_digits(guess, truth, right):
    assert quizzes.is_right(guess, truth) is right


def test_guesses_read_as_students_type_them():
    assert quizzes.parse_guess(" 6 ") == 6
    assert quizzes.parse_guess("\u22120,5") == -0.5
    assert quizzes.parse_guess("1/3") == pytest.approx(1 / 3)
    assert quizzes.parse_guess("1e-3") == 0.001
    for bad in ("", "six", "1/0", "nan"):
        with pytest.raises(ValueError):
            quizzes.parse_guess(bad)


def test_marks():
    assert quizzes.marked(6, 6) == ("6 ✓", True)
    assert quizzes.marked(5, 6) == ("6 (✗ 5)", False)


def test_reveal_next_follows_the_passes():
    model = load(chain_rule())
    ev = Evaluation(model).backward()
    order = quizzes.answer_order(ev, "backward")
    forward = quizzes.answer_order(ev, "forward")
    assert order[: len(forward)] == forward
    assert forward[:5] == [("value", ("b", "u", 0)), ("local", ("b", "u", 0)),
                           ("value", ("c", "u", 1)), ("local", ("c", "u", 1)), ("value", "u")]
    assert forward[-1] == ("value", "J")
    backward = order[len(forward):]
    assert backward[0] == ("grad", "J")  # ∂J/∂J = 1 first, then from the output back
    assert backward.index(("grad", ("u", "v", 1))) < backward.index(("grad", "u"))
    assert backward.index(("grad", "u")) < backward.index(("grad", ("b", "u", 0)))
    # Every number the canvas shows, once.
    assert len(order) == len(set(order)) == 3 * 5 + 2 * 6 - 3


def test_a_sitting_reveals_and_marks_without_touching_the_quiz():
    model = load(chain_rule())
    run = quizzes.QuizRun(quizzes.Quiz())
    assert run.state(model, "grad", "b") == quizzes.HIDDEN
    run.reveal(("grad", "b"))
    assert run.state(model, "grad", "b") is None
    run.guess(("local", ["b", "u", 0]), 2)
    assert run.state(model, "local", ("b", "u", 0)) == 2.0
    run.hide_again()
    assert run.is_hidden(model, ("grad", "b")) and run.is_hidden(model, ("local", ("b", "u", 0)))


def test_pruned_drops_what_is_gone_and_nothing_else():
    model = load(chain_rule())
    raw = {"hide": ["grad"], "nodes": ["u", "b"],
           "edges": [{"from": "b", "to": "u", "port": 0}, {"from": "u", "to": "v", "port": 1}]}
    assert quizzes.pruned(raw, model) is raw
    model.remove_node("u")
    assert quizzes.pruned(raw, model) == {"hide": ["grad"], "nodes": ["b"], "edges": []}


# -------------------------------------------------------------- the worksheet
HIDDEN_TEXTS = ("= 6", "= 11", "= 33", "∂J/∂a = 3", "∂J/∂b = 6", "∂J/∂c = 9",
                "∂u/∂b = 2", "∂u/∂c = 3", "∂v/∂a = 1", "← 6", "← 9")


def export(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "gradstudio", "export", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def test_export_quiz_svg_leaves_the_hidden_numbers_blank(tmp_path):
    out = tmp_path / "sheet.svg"
    done = export(example_path("chain_rule"), out, "--quiz")
    assert done.returncode == 0, done.stderr
    texts = [t for t in ET.parse(out).getroot().itertext() if t.strip()]
    joined = "\n".join(texts)
    for hidden in HIDDEN_TEXTS:
        assert hidden not in joined, hidden
    assert "?" not in joined  # blanks to write in, not question marks
    # The questions are there: the inputs' values and the names of what is asked.
    for given in ("= 5", "= 3", "= 2", "∂J/∂b =", "∂u/∂b =", "←"):
        assert given in joined, given
    # Each blank is a line to write the answer on, in the nodes and in the chips too.
    # (room for "−0.7071": ten underscores in a node, nine in a smaller chip)
    for blank in ("∂J/∂b = " + "_" * 10, "= " + "_" * 10, "∂u/∂b = " + "_" * 9,
                  "← " + "_" * 9):
        assert blank in texts, blank
    assert texts.count("_" * 9) == 2  # the values carried by u → v and v → J
    # Without --quiz, the same export is the answer key.
    key = tmp_path / "key.svg"
    assert export(example_path("chain_rule"), key, "--after", "backward").returncode == 0
    answers = "\n".join(ET.parse(key).getroot().itertext())
    assert all(number in answers for number in ("∂J/∂b = 6", "∂u/∂b = 2", "← 9", "= 33"))


def test_export_quiz_blanks_only_what_the_file_hides(tmp_path):
    src = tmp_path / "exercise.json"
    src.write_text(json.dumps(chain_rule({"hide": ["grad"], "nodes": ["b", "c"],
                                          "edges": []})), encoding="utf-8")
    out = tmp_path / "sheet.svg"
    assert export(src, out, "--quiz").returncode == 0
    joined = "\n".join(ET.parse(out).getroot().itertext())
    assert "∂J/∂b = 6" not in joined and "∂J/∂c = 9" not in joined
    assert "∂J/∂a = 3" in joined and "∂u/∂b = 2" in joined and "← 6" in joined


def test_a_step_explained_keeps_its_formula_and_hides_the_numbers():
    from gradstudio.core.steps import PassSteps
    model = load(chain_rule())
    steps = PassSteps(Evaluation(model).backward())
    u, v = steps.step(0), steps.step(1)  # forward: u = b·c, then v = a + u
    run = quizzes.QuizRun(quizzes.Quiz())
    assert quizzes.explained(None, model, u) == u.text
    # b and c are inputs (given): u's substitution shows, its value does not.
    assert quizzes.explained(run, model, u).splitlines() == [
        "u = b × c = 3 × 2 = ?", "∂u/∂b = c = ?", "∂u/∂c = b = ?"]
    # u's value is hidden: v's substitution would give it away.
    assert quizzes.explained(run, model, v).splitlines()[0] == "v = a + u = ?"
    run.reveal(("value", "u"))
    run.reveal(("value", ("u", "v", 1)))
    assert quizzes.explained(run, model, v).splitlines()[0] == "v = a + u = 5 + 6 = ?"
    run.reveal(("value", "v"))
    assert quizzes.explained(run, model, v).splitlines()[0] == "v = a + u = 5 + 6 = 11"
    # Backward: ∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6, by hand.
    b = next(steps.step(i) for i in range(len(steps))
             if steps.step(i).kind == "backward" and steps.step(i).node == "b")
    assert b.text == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"
    assert quizzes.explained(run, model, b) == "∂J/∂b = ∂J/∂u · ∂u/∂b = ?"
    run.reveal(("grad", "u"))
    run.reveal(("local", ("b", "u", 0)))
    assert quizzes.explained(run, model, b) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = ?"
    only_values = quizzes.QuizRun(quizzes.Quiz(("value",)))
    assert quizzes.explained(only_values, model, b) == b.text \
        == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6"


def test_a_hidden_factor_is_a_question_mark_in_place_when_the_result_shows():
    from gradstudio.core.steps import PassSteps
    model = load(chain_rule())
    steps = PassSteps(Evaluation(model).backward())
    b = next(steps.step(i) for i in range(len(steps))
             if steps.step(i).kind == "backward" and steps.step(i).node == "b")
    only_u = quizzes.QuizRun(quizzes.Quiz(nodes=("u",), edges=()))
    assert quizzes.explained(only_u, model, b) == "∂J/∂b = ∂J/∂u · ∂u/∂b = ? × 2 = 6"
    wire = quizzes.QuizRun(quizzes.Quiz(("local",), nodes=(), edges=(("b", "u", 0),)))
    assert quizzes.explained(wire, model, b) == "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × ? = 6"


def test_on_the_selection_adds_the_wires_between_selected_nodes():
    model = load(chain_rule())
    nodes, wires = quizzes.on_selection(model, ["u", "v"], [])
    assert nodes == ("u", "v") and wires == (("u", "v", 1),)
    nodes, wires = quizzes.on_selection(model, ["b"], [("b", "u", 0)])
    assert wires == (("b", "u", 0),)  # b alone: no wire between, the one selected
    assert quizzes.on_selection(model, ["a", "b", "c"], [])[1] == ()


def test_a_hidden_operand_is_a_question_mark_in_place_when_the_value_shows():
    from gradstudio.core.steps import PassSteps
    model = load(chain_rule())
    steps = PassSteps(Evaluation(model).backward())
    u, v, j = steps.step(0), steps.step(1), steps.step(2)
    assert v.text.splitlines()[0] == "v = a + u = 5 + 6 = 11"
    only_u = quizzes.QuizRun(quizzes.Quiz(nodes=("u",), edges=()))
    assert quizzes.explained(only_u, model, v).splitlines()[0] == "v = a + u = 5 + ? = 11"
    assert quizzes.explained(only_u, model, u).splitlines()[0] == "u = b × c = 3 × 2 = ?"
    # J = 3v = 3 × 11 = 33 and ∂J/∂v = 3, by hand: nothing of u in J's step to hide.
    assert quizzes.explained(only_u, model, j) == j.text \
        == "J = 3 × v = 3 × 11 = 33\n∂J/∂v = 3"
    only_v = quizzes.QuizRun(quizzes.Quiz(nodes=("v",), edges=()))
    assert quizzes.explained(only_v, model, j).splitlines()[0] == "J = 3 × v = 3 × ? = 33"
    # v and the wire u → v: v's own value is asked, so its line is cut as before.
    both = quizzes.QuizRun(quizzes.Quiz(nodes=("u", "v"), edges=(("u", "v", 1),)))
    assert quizzes.explained(both, model, v).splitlines()[0] == "v = a + u = ?"
