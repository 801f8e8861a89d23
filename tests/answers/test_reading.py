"""Reading typed answers and the tolerance: to the decimals written, never tighter than 1e-4; bad answers say
what to type."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpecError
from convviz.answers import agrees, decimals_written, read_answer, tolerance


@pytest.mark.parametrize("text, decimals", [
    ("[1, 0.25, 3.5]", 2), ("1e-3", 3), ("1.2e-3", 4), ("1.2346e-05", 9), ("8 -3", None), ("4.06", 2),
    (".5", 1), ("2.", 0), ("-0.25e+2", 0), ("8, 0.53", 2), ("1.5e2", -1),
])
def test_decimals_written(text: str, decimals: int | None) -> None:
    assert decimals_written(text) == decimals


@pytest.mark.parametrize("decimals, tol", [(None, 1e-4), (0, 0.5), (1, 0.05), (2, 0.005), (3, 5e-4), (4, 1e-4),
                                           (6, 1e-4), (-1, 5.0)])
def test_tolerance_is_half_the_last_decimal_at_least_1e4(decimals: int | None, tol: float) -> None:
    assert tolerance(decimals) == pytest.approx(tol)


@given(st.floats(-100, 100, allow_nan=False), st.integers(1, 6))
def test_a_value_rounded_to_the_decimals_written_agrees(value: float, decimals: int) -> None:
    text = f"{value:.{decimals}f}"
    read, written = read_answer(text, "value")
    assert written == decimals
    assert agrees(read, np.array([[value]]), tolerance(written)).all(), text
    beyond = float(text) + 2 * max(0.5 * 10.0 ** -decimals, 1e-4) + 1e-4  # more than the tolerance away
    assert not agrees(read, np.array([[beyond]]), tolerance(written)).all(), text


def test_a_whole_number_is_exact() -> None:
    read, written = read_answer("8", "value")
    assert written is None and agrees(read, np.array([[8.00009]]), tolerance(written)).all()
    assert not agrees(read, np.array([[7.6]]), tolerance(written)).all()


def test_complex_parts_are_compared_separately() -> None:
    truth = np.array([[1 + 2j]])
    assert agrees(np.array([[1.00004 + 2.00004j]]), truth, 1e-4).all()
    assert not agrees(np.array([[1 + 2.01j]]), truth, 1e-4).all()
    assert not agrees(np.array([[1.0]]), np.array([[np.nan]]), 1e-4).all()  # a non-finite truth agrees with none


@pytest.mark.parametrize("answer, rows, decimals", [
    ("[[1.5, 2], [3, 4]]", [[1.5, 2], [3, 4]], 1), ("1.5 2", [[1.5, 2]], 1), ("8", [[8]], None),
    ([["1.25", 2]], [[1.25, 2]], 2), (np.array([1, 2]), [[1, 2]], None), (3, [[3]], None),
    ([1.5, "2.125"], [[1.5, 2.125]], 3), ((4, 5), [[4, 5]], None),
])
def test_answers_are_read_as_rows_of_numbers(answer, rows, decimals) -> None:
    values, written = read_answer(answer)
    assert values.real.tolist() == rows and written == decimals and values.shape == (len(rows), len(rows[0]))


@pytest.mark.parametrize("answer, says", [
    ("", "answer is empty"), ("   ", "answer is empty"), ("abc", "cannot read 'abc'"), ("nan", "nan or inf"),
    ("[1, inf]", "nan or inf"), ("[[1, 2], [3]]", "different lengths"), ("1,,2", "missing number"),
    ([[1.0, None]], "is empty"), ([["1", "x"]], "not a number"), ([[[1.0]]], "3 dimensions"),
    ("[[[1]]]", "more than two levels"), (np.array([[np.nan]]), "nan or inf"), ([], "answer is empty"),
    ([["1.5", "2"], ["4"]], "different lengths"), ([[1.0], 2.0], "different lengths"), ([[True]], "not a number"),
])
def test_bad_answers_say_what_to_type(answer, says) -> None:
    with pytest.raises(ConvSpecError) as error:
        read_answer(answer)
    assert says in str(error.value) and ("type" in str(error.value) or "write" in str(error.value)), error.value


@pytest.mark.parametrize("mode, says", [("value", "type one number"), ("row", "type one row of numbers"),
                                        ("output", "type one row per output channel")])
def test_the_hint_follows_what_is_asked(mode: str, says: str) -> None:
    with pytest.raises(ConvSpecError, match=says):
        read_answer("", mode)
