"""Answers typed as a person writes numbers: a decimal comma (``0,53``) and a Unicode minus (``−1``) are read as
meant by Check my answer's reader and by the quiz, against torch's output; a comma that could mean two things is
named as such."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from answer_cases import random_case

from convviz import quiz, trace
from convviz.answers import check_answer, read_answer
from convviz.errors import ConvSpecError

MINUS = "\u2212"


def as_a_person_types(value: float, decimals: int = 4) -> str:
    """``value`` with a decimal comma and a Unicode minus: ``−0,5300``."""
    return f"{value:.{decimals}f}".replace(".", ",").replace("-", MINUS)


def torch_output(case: dict) -> np.ndarray:
    """``(C_out, L_out)`` of the case's sample, computed by torch."""
    x = torch.from_numpy(case["x"][case["batch"]] if case["x"].ndim == 3 else case["x"])[None]
    b = None if case["b"] is None else torch.from_numpy(case["b"])
    return F.conv_transpose1d(x, torch.from_numpy(case["w"]), b, case["stride"], case["padding"],
                              case["output_padding"], case["groups"], case["dilation"])[0].numpy()


def real_cases(count: int) -> list[dict]:
    """Real cases whose rows have two values or more (a row of one is a list, so ``0,5`` there is two values)."""
    rng, found = np.random.default_rng(21), []
    while len(found) < count:
        case = random_case(rng)
        if not np.iscomplexobj(case["x"]) and torch_output(case).shape[1] >= 2:
            found.append(case)
    return found


@pytest.mark.parametrize("case", real_cases(12))
def test_a_value_with_a_decimal_comma_and_a_unicode_minus_is_read_as_meant(case: dict) -> None:
    t = trace(case["x"], case["w"], case["b"], case["stride"], case["padding"], case["output_padding"],
              case["groups"], case["dilation"])
    y = torch_output(case).astype(np.float64)
    channel, index = np.unravel_index(int(np.argmax(np.abs(y))), y.shape)  # the largest: its sign matters
    typed = as_a_person_types(float(y[channel, index]))
    assert ("," in typed) and (y[channel, index] >= 0 or typed.startswith(MINUS))
    values, decimals = read_answer(typed, "value")
    assert decimals == 4 and abs(values[0, 0].real - y[channel, index]) < 1e-4
    assert check_answer(t, typed, int(channel), int(index), case["batch"]).correct
    off = as_a_person_types(float(y[channel, index]) + 0.5)  # read as one number, so a wrong one is wrong
    assert not check_answer(t, off, int(channel), int(index), case["batch"]).correct


@pytest.mark.parametrize("case", real_cases(6))
def test_a_row_with_semicolons_reads_its_commas_as_decimal_marks(case: dict) -> None:
    t = trace(case["x"], case["w"], case["b"], case["stride"], case["padding"], case["output_padding"],
              case["groups"], case["dilation"])
    row = torch_output(case)[0].astype(np.float64)
    typed = "; ".join(as_a_person_types(float(v)) for v in row)
    values, _ = read_answer(typed, "row")
    np.testing.assert_allclose(values.real[0], row, atol=1e-4)
    assert check_answer(t, typed, 0, None, case["batch"]).correct


@pytest.mark.parametrize("seed", range(20))
def test_the_quiz_reads_a_decimal_comma_and_a_unicode_minus(seed: int) -> None:
    q = quiz.make_question(seed, "value")
    t = quiz.question_trace(q)
    x, w = torch.from_numpy(t.input.reshape(-1, t.input.shape[-1])), torch.from_numpy(t.weight)  # (C_in, L)
    b = None if t.bias is None else torch.from_numpy(t.bias)
    s = t.spec
    y = F.conv_transpose1d(x[None], w, b, s.stride, s.padding, s.output_padding, s.groups, s.dilation)[0]
    value = float(y[q.target].item())
    right, verdict = quiz.check(q, as_a_person_types(value))
    assert right, verdict
    assert not quiz.check(q, as_a_person_types(value + 1))[0]
    length = quiz.make_question(seed, "length")
    assert quiz.check(length, f"{quiz.question_trace(length).output_length},0")[0]


def test_a_comma_that_could_mean_two_things_is_named() -> None:
    with pytest.raises(ConvSpecError, match=r"'1,234' could be 1.234 \(a decimal comma\) or 1234"):
        read_answer("1,234", "value")
    right, verdict = quiz.check(quiz.make_question(0, "value"), "1,234")
    assert not right and "could be 1.234 (a decimal comma) or 1234 (a thousands separator)" in verdict


def test_touched_positions_stay_a_list_and_read_a_unicode_minus() -> None:
    q = next(q for q in map(lambda s: quiz.make_question(s, "touches"), range(50)) if len(q.answer) >= 2)
    assert quiz.check(q, ", ".join(map(str, q.answer)))[0]
    assert not quiz.check(q, f"{MINUS}{q.answer[0] or 1}")[0]  # -1 (or -k) is not a position, not k
