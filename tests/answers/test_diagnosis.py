"""Marking an answer: every mistake made with torch (or written on the board) is named; right answers are right;
random wrong answers name nothing; a slip on top of a mistake is called near it; bad requests say what to do."""
from __future__ import annotations

import numpy as np
import pytest
from answer_cases import CASES, VALUE_NAMES, as_text, board, cases, differs, torch_mistake, torch_output, trace_of
from hypothesis import given
from hypothesis import strategies as st

from convviz import MISTAKES, AnswerCheck, ConvSpecError, check_answer


def assert_named(case: dict, name: str, wrong: np.ndarray, truth: np.ndarray) -> None:
    """Whole answers (as an array and as 4-decimal text), one row and one value: ``name`` is named."""
    t, batch = trace_of(case), case["batch"]
    verdict = check_answer(t, wrong, batch=batch)
    assert not verdict.correct and name in verdict.mistakes, (name, verdict)
    assert name in verdict.message and MISTAKES[name] in verdict.message, name
    assert list(verdict.mistakes) == [n for n in VALUE_NAMES if n in verdict.mistakes]  # most likely first
    typed = check_answer(t, as_text(wrong), batch=batch)
    assert name in typed.mistakes, (name, typed)
    channel = int(np.argmax([differs(wrong[c], truth[c]) for c in range(len(truth))]))
    row = check_answer(t, wrong[channel], out_channel=channel, batch=batch)
    assert name in row.mistakes and {c for c, _ in row.wrong} == {channel}, (name, row)
    size = min(wrong.shape[1], truth.shape[1])
    cells = np.argwhere(np.abs(wrong[:, :size] - truth[:, :size]) > 3e-4)
    if len(cells):
        c, i = map(int, cells[0])
        value = check_answer(t, wrong[c, i], out_channel=c, out_index=i, batch=batch)
        assert name in value.mistakes and value.wrong == ((c, i),), (name, value)


def test_every_mistake_made_with_torch_is_named() -> None:
    named = dict.fromkeys(VALUE_NAMES, 0)
    for case in CASES:
        truth = torch_output(case)
        for name in VALUE_NAMES:
            wrong = torch_mistake(case, name)
            if wrong is not None and differs(wrong, truth):
                assert_named(case, name, wrong, truth)
                named[name] += 1
    assert all(count >= 10 for count in named.values()), named  # every mistake really was exercised


@given(cases(), st.sampled_from(VALUE_NAMES))
def test_a_mistake_made_with_torch_is_named_on_drawn_configurations(case: dict, name: str) -> None:
    truth, wrong = torch_output(case), torch_mistake(case, name)
    if wrong is not None and differs(wrong, truth):
        assert_named(case, name, wrong, truth)


BOARD = board([[1, 2]], [[[1, 10]]], [0.5], stride=2, padding=1)  # full [1, 10, 2, 20], output [10.5, 2.5]
DILATED = board([[1, 2]], [[[1, 10]]], stride=2, dilation=2, output_padding=1)  # output [1, 0, 12, 0, 20, 0]
SQUARE = board([[1], [2]], [[[1], [2]], [[3], [4]]])  # output [[1 + 6], [2 + 8]]


@pytest.mark.parametrize("case, answer, names", [
    (BOARD, "10.5, 2.5", ()),
    (BOARD, "1.5, 10.5, 2.5, 20.5", ("no_crop",)),
    (BOARD, "10, 2", ("no_bias",)),
    (BOARD, "1.5, 20.5", ("kernel_not_flipped",)),  # w reversed: full [10, 1, 20, 2]
    (BOARD, "0.5, 0.5, 1.5, 10.5, 2.5, 20.5, 0.5, 0.5", ("padding_added",)),  # x padded to [0, 1, 2, 0]
    (BOARD, "12.5", ("no_stride",)),  # stride 1: full [1, 12, 20]
    (BOARD, "2.5, 10.5", ("stride_dilation_swapped",)),  # stride 1, dilation 2: full [1, 2, 10, 20]
    (DILATED, "1, 0, 12, 0, 20, 0", ()),
    (DILATED, "1, 0, 12, 0, 20", ("no_output_padding",)),
    (DILATED, "1, 10, 2, 20, 0", ("no_dilation",)),  # taps side by side
    (DILATED, "1, 2, 10, 20, 0", ("no_stride",)),
    (DILATED, "10, 0, 21, 0, 2, 0", ("kernel_not_flipped",)),
    (SQUARE, "[[7], [10]]", ()),
    (SQUARE, "[[5], [11]]", ("channels_swapped",)),  # w read as [[1, 3], [2, 4]]
    # coincidences, most likely first: stride 1 and dilation 2 without the dilation, or with the two swapped
    (board([[1]], [[[1, -1]]], dilation=2), "1, -1", ("no_dilation", "stride_dilation_swapped")),
    (board([[-1, 1]], [[[0, 1]]], [-2], padding=1), "-1", ("no_bias", "kernel_not_flipped")),
    (board([[1, -1]], [[[0]]], [2], stride=2, padding=1, output_padding=1), "2",
     ("no_output_padding", "stride_dilation_swapped")),
])
def test_board_answers(case: dict, answer: str, names: tuple[str, ...]) -> None:
    """Golden vectors a teacher works out on the board; each is torch's answer for the mistake too."""
    row = [[float(v) for v in answer.replace("[", "").replace("]", "").split(",")]]
    typed = np.array(row).reshape(-1, 1) if answer.startswith("[[") else np.array(row)
    for name in names:
        np.testing.assert_array_equal(torch_mistake(case, name), typed, err_msg=name)
    if not names:
        np.testing.assert_array_equal(torch_output(case), typed)
    verdict = check_answer(trace_of(case), answer)
    assert verdict.correct == (not names) and verdict.mistakes == names, verdict
    if len(names) > 1:
        assert f"This is the known mistake {names[0]}" in verdict.message
        assert f"For this configuration {names[1]} gives the same numbers" in verdict.message
        assert "listed first as the more common mistake" in verdict.message


def test_a_slip_on_top_of_a_mistake_is_called_near_it() -> None:
    """A torch-made mistake with one cell changed: no exact match, but ``near`` names the mistake and the slip."""
    rng = np.random.default_rng(11)
    near = dict.fromkeys(VALUE_NAMES, 0)
    for seed, case in enumerate(CASES):
        t, truth = trace_of(case), torch_output(case)
        for name in VALUE_NAMES:
            wrong = torch_mistake(case, name)
            if wrong is None:
                continue
            telling = np.abs(wrong - truth) > 1e-3 if wrong.shape == truth.shape else np.ones(wrong.shape, bool)
            if telling.sum() < 4:
                continue
            slipped = wrong.copy()
            c, i = map(int, np.argwhere(telling)[rng.integers(telling.sum())])
            slipped[c, i] += 7.5
            verdict = check_answer(t, slipped, batch=case["batch"])
            assert verdict.mistakes == () and verdict.near is not None, (seed, name, verdict)
            assert f"Apart from output[{c}, {i}], your numbers are what the known mistake" in verdict.message
            near[name] += verdict.near == name
    assert all(count >= 5 for count in near.values()), near


def test_a_slip_on_the_board() -> None:
    """x = [1], w = [1, 2, 3], padding 1: the output is [2], the uncropped buffer [1, 2, 3]."""
    t = trace_of(board([[1]], [[[1, 2, 3]]], padding=1))
    slip = check_answer(t, "1, 2, 9")  # follows no_crop on 2 of its 3 cells
    assert slip.mistakes == () and slip.near == "no_crop" and slip.wrong == ((0, 0), (0, 1), (0, 2))
    assert slip.message.endswith(f"Apart from output[0, 2], your numbers are what the known mistake no_crop "
                                 f"gives: {MISTAKES['no_crop']}")
    assert check_answer(t, "1, 5, 9").near is None  # two slips in three cells: too many
    wide = trace_of(board([[1]], [[[1, 2, 3, 4, 5]]], padding=2))  # output [3], uncropped [1, 2, 3, 4, 5]
    assert check_answer(wide, "1, 2, 3, 4, 9").near == "no_crop"
    assert check_answer(wide, "1, 2, 9, 9, 5").near is None  # two slips in five: more than a quarter


@given(cases())
def test_right_answers_are_right_from_torch_and_as_typed(case: dict) -> None:
    t, truth = trace_of(case), torch_output(case)
    for answer in (truth, as_text(truth), truth.tolist()):
        verdict = check_answer(t, answer, batch=case["batch"])
        assert verdict.correct and verdict.wrong == () and verdict.mistakes == (), verdict
        assert verdict.message.startswith("Right")
    assert check_answer(t, truth[-1], out_channel=len(truth) - 1, batch=case["batch"]).correct
    assert check_answer(t, as_text(truth[:1, -1:]), out_channel=0, out_index=truth.shape[1] - 1,
                        batch=case["batch"]).correct


@given(cases(), st.integers(0, 2**32 - 1))
def test_random_wrong_answers_name_no_mistake(case: dict, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t, truth = trace_of(case), torch_output(case)
    noise = rng.standard_normal(truth.shape) * 3 + 50  # far from every mistake's numbers
    verdict = check_answer(t, noise.astype(truth.real.dtype), batch=case["batch"])
    assert not verdict.correct and verdict.mistakes == () and verdict.near is None, verdict
    assert "No common mistake" in verdict.message
    off = truth.copy()  # right but for one cell
    c, i = int(rng.integers(truth.shape[0])), int(rng.integers(truth.shape[1]))
    off[c, i] += rng.choice([-1, 1]) * rng.uniform(0.01, 2)
    verdict = check_answer(t, off, batch=case["batch"])
    assert verdict.wrong == ((c, i),) and verdict.mistakes == () and verdict.first_wrong == (c, i)
    assert verdict.near is None and "what the known mistake" not in verdict.message
    if truth.shape[1] > 1:
        short = check_answer(t, truth[0, :-1], out_channel=0, batch=case["batch"])
        assert short.missing == ((0, truth.shape[1] - 1),) and short.wrong == short.missing
    long = check_answer(t, np.append(truth[0], 5.0), out_channel=0, batch=case["batch"])
    assert long.extra == ((0, truth.shape[1]),) and not long.correct and long.first_wrong == (0, truth.shape[1])


def test_the_message_names_the_cells_and_the_comparison() -> None:
    t = trace_of(BOARD)
    assert check_answer(t, "10.5 2.5").message == "Right: all 2 values agree to the 1 decimal you wrote."
    assert check_answer(t, "10.5 2.5 0.5").extra == ((0, 2),)
    assert check_answer(t, "7 7").message == (
        "Not quite: 2 of 2 values wrong (output[0, 0], output[0, 1]), compared to within 1e-4. No common mistake "
        "gives these numbers; start with the first wrong cell, output[0, 0].")
    assert check_answer(t, "10", 0, 0).message == (
        f"Not quite: output[0, 0] is wrong (compared to within 1e-4). This is the known mistake no_bias: "
        f"{MISTAKES['no_bias']}")
    many = check_answer(trace_of(board([[1] * 8], [[[1]]])), "0 0 0 0 0 0 0 0")
    assert "output[0, 5] and 2 more)" in many.message


def test_tolerance_follows_the_decimals_written() -> None:
    t = trace_of(board([[1]], [[[4.0616]]]))
    assert check_answer(t, "4.06", 0, 0).correct  # 2 decimals: within 0.005
    assert check_answer(t, "4.1", 0, 0).correct
    assert not check_answer(t, "4.07", 0, 0).correct
    assert not check_answer(t, "4.0", 0, 0).correct
    assert not check_answer(t, "4", 0, 0).correct  # a whole number is exact
    assert check_answer(t, "4.0616", 0, 0).correct and check_answer(t, "4.06163", 0, 0).correct
    assert check_answer(t, 4.06165, 0, 0).correct and not check_answer(t, 4.0618, 0, 0).correct  # 1e-4
    row = trace_of(board([[1, 1]], [[[8, 0.5304]]]))
    assert row.torch_output.tolist() == [[8.0, pytest.approx(8.5304), pytest.approx(0.5304)]]
    assert check_answer(row, "8, 8.53, 0.53").correct  # 2 decimals throughout
    assert not check_answer(row, "8, 9, 1").correct


def test_bad_value_and_row_requests() -> None:
    t = trace_of(board([[1, 2]], [[[1], [2]]]))
    with pytest.raises(ConvSpecError, match="one value is asked for"):
        check_answer(t, "1 2", out_channel=0, out_index=0)
    with pytest.raises(ConvSpecError, match="asks for one"):
        check_answer(t, "[[1, 2], [3, 4]]", out_channel=0)
    with pytest.raises(ConvSpecError, match="needs out_channel"):
        check_answer(t, "1", out_index=0)
    with pytest.raises(ConvSpecError, match=r"out_index=5 is out of range: the output has 2 positions"):
        check_answer(t, "1", out_channel=0, out_index=5)
    with pytest.raises(ConvSpecError, match="out_channel=2 is out of range"):
        check_answer(t, "1 2", out_channel=2)
    with pytest.raises(ConvSpecError, match="batch=1 is out of range"):
        check_answer(t, "1 2", out_channel=0, batch=1)
    with pytest.raises(ConvSpecError, match=r"batch=0\.5 must be a whole number \(an index\); use batch=0"):
        check_answer(t, "1 2", out_channel=0, batch=0.5)
    with pytest.raises(ConvSpecError, match="answer is empty"):
        check_answer(t, "")
    whole = check_answer(t, "[[1, 2]]")  # one row given, two channels: the second row is missing
    assert whole.missing == ((1, 0), (1, 1)) and not whole.correct


def test_one_channel_needs_no_out_channel() -> None:
    assert check_answer(trace_of(BOARD), "2.5", out_index=1).correct


def test_answer_check_is_a_plain_record() -> None:
    verdict = check_answer(trace_of(BOARD), "10.5 2.5 9")
    assert isinstance(verdict, AnswerCheck) and verdict.extra == ((0, 2),) and verdict.first_wrong == (0, 2)
    assert AnswerCheck(False, ((0, 3), (0, 1)), (), "", extra=((0, 3),)).first_wrong == (0, 1)
    assert AnswerCheck(True, (), (), "").first_wrong is None
