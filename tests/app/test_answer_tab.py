"""The "Check my answer" tab through AppTest: right and wrong answers, the named mistake, the first wrong cell's
worksheet, unreadable input as st.error, and the quiz naming the mistake behind a wrong length."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from apptest import APP, page_trace, shared
from apptest import start as open_page
from streamlit.testing.v1 import AppTest

from convviz import MISTAKES, quiz
from convviz.app.answer_ui import _grid_answer


def start(**query: str) -> AppTest:
    return open_page(tab="Check my answer", **query)


def by_torch(t, weight=None, bias=True, output_padding=None) -> np.ndarray:
    """torch's output for the trace's input with one thing changed, (N, C_out, L): the mistake made by hand."""
    s = t.spec
    w = torch.from_numpy(np.asarray(t.weight if weight is None else weight))
    b = torch.from_numpy(t.bias) if bias and t.bias is not None else None
    x = torch.from_numpy(np.asarray(t.input)).reshape(-1, s.in_channels, t.length)
    return torch.nn.functional.conv_transpose1d(
        x, w, b, s.stride, s.padding, s.output_padding if output_padding is None else output_padding, s.groups,
        s.dilation).numpy()


def text(array: np.ndarray) -> str:
    return "[" + ", ".join("[" + ", ".join(f"{v:.4f}" for v in row) + "]" for row in array) + "]"


def check(at: AppTest, answer: str) -> AppTest:
    at.text_area(key="answer_text").input(answer)
    return [b for b in at.button if b.label == "Check my answer"][0].click().run()


def test_a_right_whole_output_is_marked_right() -> None:
    at = start()
    at.radio(key="answer_what").set_value("The whole output").run()
    check(at, text(page_trace().torch_output))
    assert not at.exception and not at.error
    assert at.success and at.success[0].value.startswith("Right")
    marks = at.dataframe[-1].value.to_numpy()
    assert all(cell.endswith("✓") for cell in marks.ravel()), marks
    assert not [b for b in at.button if b.label.startswith("Show where")]


def test_a_mistake_is_named_and_the_first_wrong_cell_explained() -> None:
    at = start(padding="1", output_padding="1")
    t = page_trace(padding=1, output_padding=1)
    at.radio(key="answer_what").set_value("The whole output").run()
    wrong = by_torch(t, output_padding=0)[0]  # one cell short
    check(at, text(wrong))
    assert not at.exception and not at.error
    verdict = at.warning[0].value
    assert "no_output_padding" in verdict and MISTAKES["no_output_padding"] in verdict
    marks = at.dataframe[-1].value.to_numpy()
    assert marks[0, -1] == "✗ missing" and marks[0, 0].endswith("✓")
    [b for b in at.button if b.label == "Show where it first goes wrong"][0].click().run()
    last = t.output_length - 1
    assert (at.session_state["calc_channel"], at.session_state["calc_index"]) == (0, last)
    shown = " ".join(m.value for m in at.markdown)
    assert f"**output[0, {last}]** is where it first goes wrong" in shown and f"y[o=0, j={last}]" in shown
    [b for b in at.button if b.label == "Open it in the Hand calculation tab"][0].click().run()
    assert shared(at)["tab"] == "Hand calculation" and not at.exception
    assert any(m.value.startswith(f"**y[o=0, j={last}]") for m in at.markdown)
    assert not [b for b in at.button if b.label == "Check my answer"]  # the answer tab is closed


def test_one_value_names_the_forgotten_bias() -> None:
    at = start()
    t = page_trace()
    at.number_input(key="answer_index").set_value(3).run()
    check(at, f"{by_torch(t, bias=False)[0, 0, 3]:.4f}")
    assert "no_bias" in at.warning[0].value and not at.error
    check(at, f"{t.torch_output[0, 3]:.4f}")
    assert at.success[0].value.startswith("Right: output[0, 3]")


def test_one_row_with_a_random_answer_names_no_mistake() -> None:
    at = start()
    at.radio(key="answer_what").set_value("One row").run()
    check(at, "1 2 3")
    assert "No common mistake" in at.warning[0].value
    marks = at.dataframe[-1].value.to_numpy()
    assert list(marks[0, 3:5]) == ["✗ missing", "✗ missing"]


@pytest.mark.parametrize("answer, says", [("abc", "cannot read 'abc'"), ("[[1, 2], [3]]", "different lengths")])
def test_unreadable_answers_are_a_clear_error(answer: str, says: str) -> None:
    at = start()
    at.radio(key="answer_what").set_value("The whole output").run()
    check(at, answer)
    assert not at.exception and len(at.error) == 1 and says in at.error[0].value


def test_the_grid_reads_typed_cells_and_drops_trailing_empties() -> None:
    state = {"edited_rows": {0: {"0": "1.5", "1": "2", "3": ""}, 1: {"0": "4"}}, "added_rows": [], "deleted_rows": []}
    assert _grid_answer(state, 2, 4) == [["1.5", "2"], ["4"]]
    assert _grid_answer(None, 1, 3) == [[]]


def test_the_quiz_names_the_mistake_behind_a_wrong_length() -> None:
    seed = next(s for s in range(100) if quiz.make_question(s).kind == "length")
    q = quiz.make_question(seed)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["mode"] = "Quiz"
    at.session_state["quiz_seed"] = seed
    at.run()
    at.text_input(key="quiz_answer").input(str(q.answer - 1))  # the "+ 1" left out
    [b for b in at.button if b.label == "Check"][0].click().run()
    verdict = at.error[0].value
    assert "no_plus_one" in verdict and f"The answer is {q.answer}" in verdict


def test_a_batched_sample_is_checked_and_opened_in_the_hand_calculation() -> None:
    at = start(batched="true", batch_size="3")
    t = page_trace(batched=True, batch_size=3)
    at.radio(key="answer_what").set_value("The whole output").run()
    at.selectbox(key="answer_batch").set_value(2).run()
    flipped = by_torch(t, weight=np.flip(t.weight, -1).copy())[2]  # the taps in the wrong order
    check(at, text(flipped))
    assert "kernel_not_flipped" in at.warning[0].value and not at.error and not at.exception
    first = next(i for i in range(t.output_length) if abs(t.output[2, 0, i] - flipped[0, i]) > 1e-3)
    [b for b in at.button if b.label == "Show where it first goes wrong"][0].click().run()
    assert "Scatter animation of sample 2" in " ".join(m.value for m in at.markdown)
    [b for b in at.button if b.label == "Open it in the Hand calculation tab"][0].click().run()
    assert at.session_state["calc_batch"] == 2 and at.session_state["calc_index"] == first
    assert any(m.value.startswith(f"**y[n=2, o=0, j={first}]") for m in at.markdown)


def test_the_output_length_names_its_mistake_and_shows_the_formula() -> None:
    at = start(padding="1")
    at.radio(key="answer_what").set_value("The output length").run()
    right = page_trace(padding=1).output_length
    check(at, str(right + 1))  # padding subtracted once
    assert "padding_once" in at.warning[0].value and not at.error
    at.toggle(key="answer_formula").set_value(True).run()
    assert at.latex and f"= {right}" in at.latex[-1].value
    check(at, str(right))
    assert at.success[0].value == f"Right: the output has {right} values."
    check(at, "12.5")
    assert "whole number" in at.error[0].value
