"""Checking an output length: torch's length is right, every teacher's wrong formula is named, other numbers
name nothing, and an answer that is not one whole number says what to type."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from answer_cases import LENGTH_FORMULAS
from hypothesis import given
from hypothesis import strategies as st

from convviz import MISTAKES, AnswerCheck, ConvSpec, ConvSpecError, check_length


def torch_length(L: int, K: int, s: int, p: int, op: int, d: int) -> int | None:
    try:
        return F.conv_transpose1d(torch.zeros(1, 1, L), torch.zeros(1, 1, K), stride=s, padding=p,
                                  output_padding=op, dilation=d).shape[-1] or None
    except RuntimeError:
        return None  # padding crops everything


@st.composite
def length_configs(draw: st.DrawFn) -> tuple[int, ...]:
    L, K, s, d = (draw(st.integers(1, 6)) for _ in range(4))
    return L, K, s, draw(st.integers(0, 3)), draw(st.integers(0, max(s, d) - 1)), d


def test_every_length_mistake_is_named() -> None:
    rng = np.random.default_rng(3)
    named = dict.fromkeys(LENGTH_FORMULAS, 0)
    for _ in range(300):
        L, K, s, d = (int(v) for v in rng.integers(1, 7, size=4))
        args = (L, K, s, int(rng.integers(0, 4)), int(rng.integers(0, max(s, d))), d)
        right = torch_length(*args)
        if right is None:
            continue
        spec = ConvSpec(1, 1, K, stride=s, padding=args[3], output_padding=args[4], dilation=d)
        for name, formula in LENGTH_FORMULAS.items():
            wrong = formula(*args)
            if wrong != right:
                verdict = check_length(spec, L, f"{wrong}")
                assert not verdict.correct and name in verdict.mistakes, (args, name, verdict)
                assert list(verdict.mistakes) == [n for n in LENGTH_FORMULAS if n in verdict.mistakes]
                assert MISTAKES[name] in verdict.message
                named[name] += 1
    assert all(count >= 20 for count in named.values()), named


@given(length_configs(), st.integers(-5, 40))
def test_torchs_length_is_right_and_other_numbers_name_only_their_formulas(args, guess: int) -> None:
    right = torch_length(*args)
    L, K, s, p, op, d = args
    spec = ConvSpec(1, 1, K, stride=s, padding=p, output_padding=op, dilation=d)
    if right is None:
        with pytest.raises(ConvSpecError, match="crops the whole output"):
            check_length(spec, L, guess)
        return
    assert check_length(spec, L, right).correct and check_length(spec, L, str(right)).correct
    if guess != right:
        verdict = check_length(spec, L, guess)
        expected = tuple(name for name, f in LENGTH_FORMULAS.items() if f(*args) == guess)
        assert not verdict.correct and verdict.mistakes == expected, (args, guess, verdict)


@pytest.mark.parametrize("spec, L, answer, names", [
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 7, ()),  # 3·2 - 2 + 2 + 1
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 6, ("no_plus_one",)),
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 8, ("padding_once",)),
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 9, ("length_times_stride",)),
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 4, ("no_stride",)),
    (ConvSpec(1, 1, 3, stride=2, padding=1), 4, 2, ("conv_formula",)),  # ⌊(4 + 2 - 2 - 1)/2⌋ + 1
    (ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3, 10, ()),  # 4 + 4 + 1 + 1
    (ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3, 9, ("no_plus_one", "no_output_padding")),
    (ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3, 8, ("no_dilation", "no_stride")),
    (ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3, 12, ("length_times_stride",)),
    (ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3, 11, ()),
])
def test_board_lengths(spec: ConvSpec, L: int, answer: int, names: tuple[str, ...]) -> None:
    verdict = check_length(spec, L, str(answer))
    assert verdict.correct == (answer == spec.output_length(L)) and verdict.mistakes == names
    if verdict.correct:
        assert verdict.message == f"Right: the output has {answer} values."
    elif not names:
        assert "No common mistake gives this length; fill the numbers into L_out" in verdict.message
    elif len(names) == 2:
        assert f"For this configuration {names[1]} gives the same numbers" in verdict.message


@pytest.mark.parametrize("answer, says", [
    ("", "answer is empty"), ("12.5", "not a whole number"), ("abc", "is not a number"), ("nan", "not a whole number"),
    (1.5, "not a whole number"), (None, "is not a length"), ("1+2j", "not a whole number"), (True, "not a length"),
])
def test_bad_length_answers(answer, says: str) -> None:
    with pytest.raises(ConvSpecError, match="type one whole number|not a number") as error:
        check_length(ConvSpec(1, 1, 3), 4, answer)
    assert says in str(error.value)


def test_whole_numbers_in_other_forms_are_read() -> None:
    spec = ConvSpec(1, 1, 3)  # L = 4: 6
    assert check_length(spec, 4, 6.0).correct and check_length(spec, 4, np.int64(6)).correct
    assert check_length(spec, 4, "6.0").correct


def test_a_length_verdict_is_a_plain_record() -> None:
    verdict = check_length(ConvSpec(1, 1, 3, stride=2), 4, "8")
    assert isinstance(verdict, AnswerCheck) and verdict.mistakes == ("no_plus_one",) and verdict.wrong == ()
    assert verdict.first_wrong is None and "no_plus_one" in verdict.message
