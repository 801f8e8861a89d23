"""The table of mistakes: each row's mistaken answer is torch's with the changed argument, each length row is the
teacher's formula, and the docs table lists every row."""
from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn.functional as F
from answer_cases import (
    CASES,
    LENGTH_FORMULAS,
    VALUE_NAMES,
    board,
    cases,
    differs,
    torch_mistake,
    torch_output,
    trace_of,
)
from hypothesis import given

import convviz.answers
from convviz import MISTAKES, ConvSpec
from convviz.answers import LENGTH_MISTAKES, TABLE, VALUE_MISTAKES, mistaken_lengths, mistaken_output
from convviz.answers import mistakes as mistakes_module

NAMES = ("no_crop", "no_bias", "no_plus_one", "padding_once", "length_times_stride", "no_output_padding",
         "kernel_not_flipped", "padding_added", "no_dilation", "no_stride", "stride_dilation_swapped",
         "channels_swapped", "conv_formula")  # the catalogue, in the order of likelihood


def test_the_catalogue() -> None:
    assert tuple(m.name for m in TABLE) == NAMES
    assert VALUE_MISTAKES == VALUE_NAMES and tuple(LENGTH_FORMULAS) == LENGTH_MISTAKES
    assert list(MISTAKES) == [*VALUE_NAMES, "no_plus_one", "padding_once", "length_times_stride", "conv_formula"]
    assert all(sentence.endswith(".") and len(sentence) > 40 for sentence in MISTAKES.values())


def test_the_docs_table_lists_every_row() -> None:
    for doc in (convviz.answers.__doc__, mistakes_module.__doc__):
        assert "{table}" not in doc
        rows = re.findall(r"^``(\w+)``\s{2,}(.+)$", doc, flags=re.M)  # the table's first lines
        assert [name for name, _ in rows] == list(NAMES), rows
        for (name, first), mistake in zip(rows, TABLE, strict=True):
            assert mistake.changes.startswith(first.strip()), (name, first)


def check_against_torch(case: dict) -> dict[str, bool]:
    """Every value row against torch: the same numbers where the mistake shows; otherwise nothing or the right
    answer. Returns which mistakes showed."""
    t, truth = trace_of(case), torch_output(case)
    shown = {}
    for name in VALUE_NAMES:
        ours, theirs = mistaken_output(t, name, case["batch"]), torch_mistake(case, name)
        shown[name] = theirs is not None and differs(theirs, truth)
        if shown[name]:
            assert ours is not None and ours.shape == theirs.shape, name
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5, err_msg=name)
        else:
            assert ours is None or not differs(ours, truth), name
    return shown


def test_every_value_mistake_is_torch_with_the_changed_argument() -> None:
    counts = dict.fromkeys(VALUE_NAMES, 0)
    for case in CASES:
        for name, shown in check_against_torch(case).items():
            counts[name] += shown
    assert all(count >= 10 for count in counts.values()), counts  # each row really was exercised


@given(cases())
def test_value_mistakes_match_torch_on_drawn_configurations(case: dict) -> None:
    check_against_torch(case)


def test_mistaken_outputs_on_the_board() -> None:
    """x = [1, 2], w = [1, 10], bias 0.5, stride 2, padding 1: the full buffer is [1, 10, 2, 20]."""
    t = trace_of(board([[1, 2]], [[[1, 10]]], [0.5], stride=2, padding=1))
    golden = {"no_crop": [1.5, 10.5, 2.5, 20.5], "no_bias": [10, 2], "kernel_not_flipped": [1.5, 20.5],
              "padding_added": [0.5, 0.5, 1.5, 10.5, 2.5, 20.5, 0.5, 0.5], "no_stride": [12.5],
              "stride_dilation_swapped": [2.5, 10.5]}
    for name in VALUE_NAMES:
        ours = mistaken_output(t, name)
        assert (ours is None) == (name not in golden), name
        if ours is not None:
            assert ours.tolist() == [golden[name]], name


def test_unknown_names_give_nothing() -> None:
    t = trace_of(board([[1, 2]], [[[1, 10]]]))
    assert mistaken_output(t, "no_plus_one") is None and mistaken_output(t, "typo") is None


def test_length_rows_are_the_teachers_formulas() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        L, K, s, d = (int(v) for v in rng.integers(1, 7, size=4))
        op, p = int(rng.integers(0, max(s, d))), int(rng.integers(0, 4))
        spec = ConvSpec(1, 1, K, stride=s, padding=p, output_padding=op, dilation=d)
        right = spec.output_length(L)
        expected = {name: f(L, K, s, p, op, d) for name, f in LENGTH_FORMULAS.items()}
        assert mistaken_lengths(spec, L) == {name: v for name, v in expected.items() if v != right}
        assert list(mistaken_lengths(spec, L)) == [n for n in LENGTH_MISTAKES if expected[n] != right]


def test_length_rows_agree_with_torch_where_torch_can_say() -> None:
    """Leaving out output_padding, dilation or stride is torch's length with that argument changed; Conv1d's
    formula is torch's conv1d length."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        L, K, s, d = (int(v) for v in rng.integers(1, 6, size=4))
        op, p = int(rng.integers(0, max(s, d))), int(rng.integers(0, 3))
        x = torch.zeros(1, 1, L)
        args = (L, K, s, p, op, d)
        for name, changed in {"no_output_padding": {"output_padding": 0}, "no_dilation": {"dilation": 1},
                              "no_stride": {"stride": 1}}.items():
            kw = {"stride": s, "padding": p, "output_padding": op, "dilation": d, **changed}
            try:
                length = F.conv_transpose1d(x, torch.zeros(1, 1, K), **kw).shape[-1]
            except RuntimeError:
                continue
            assert LENGTH_FORMULAS[name](*args) == length, (name, args)
        if L + 2 * p >= d * (K - 1) + 1:
            conv = F.conv1d(x, torch.zeros(1, 1, K), stride=s, padding=p, dilation=d).shape[-1]
            assert LENGTH_FORMULAS["conv_formula"](*args) == conv


def test_mistaken_lengths_on_the_board() -> None:
    """K = 3, stride 2, padding 1, L = 4: L_out = 3·2 - 2 + 2 + 1 = 7."""
    assert mistaken_lengths(ConvSpec(1, 1, 3, stride=2, padding=1), 4) == {
        "no_plus_one": 6, "padding_once": 8, "length_times_stride": 9, "no_stride": 4, "conv_formula": 2}
    # K = 3, stride 2, dilation 2, output_padding 1, L = 3: L_out = 4 + 4 + 1 + 1 = 10
    assert mistaken_lengths(ConvSpec(1, 1, 3, stride=2, dilation=2, output_padding=1), 3) == {
        "no_plus_one": 9, "length_times_stride": 12, "no_output_padding": 9, "no_dilation": 8, "no_stride": 8,
        "conv_formula": 0}
