"""Faded worked examples: every level's steps against torch, mistaken steps named, the next layer chosen for the
mistake, and ``python -m convviz --practice`` driven end to end through stdin."""
from __future__ import annotations

import random
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

from convviz.answers import mistaken_output
from convviz.errors import ConvSpecError
from convviz.practice import (
    LEVELS,
    Exercise,
    StepCheck,
    blanks,
    check_step,
    level_exercise,
    needs_of,
    next_exercise,
    steps,
)


def torch_layer(ex: Exercise, **changed) -> torch.nn.ConvTranspose1d:
    """torch's ConvTranspose1d with the exercise's weight and bias (and ``changed`` arguments)."""
    args = {"stride": ex.stride, "padding": ex.padding, "output_padding": ex.output_padding, "groups": ex.groups,
            "dilation": ex.dilation, **changed}
    c_in, c_og, k = ex.weight.shape
    layer = torch.nn.ConvTranspose1d(c_in, c_og * ex.groups, k, bias=ex.bias is not None, dtype=torch.float64,
                                     **args)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(ex.weight, dtype=torch.float64))
        if ex.bias is not None:
            layer.bias.copy_(torch.tensor(ex.bias, dtype=torch.float64))
    return layer


def torch_run(ex: Exercise, x: np.ndarray, weight: np.ndarray | None = None, bias: bool = False,
              **changed) -> np.ndarray:
    layer = torch_layer(ex, **changed)
    with torch.no_grad():
        if weight is not None:
            layer.weight.copy_(torch.tensor(weight, dtype=torch.float64))
        if not bias and layer.bias is not None:
            layer.bias.zero_()
        return layer(torch.tensor(x, dtype=torch.float64)).numpy()


def onehot(shape: tuple[int, ...], *index: int) -> np.ndarray:
    a = np.zeros(shape)
    a[index] = 1.0
    return a


def random_exercise(case: int) -> Exercise:
    """A random configuration with random (not whole) numbers and a random cell."""
    rng = random.Random(case)
    groups = rng.choice([1, 1, 2])
    stride, dilation, k = rng.randint(1, 3), rng.randint(1, 2), rng.randint(1, 4)
    length = rng.randint(2, 5)
    padding = rng.randint(0, min(2, ((length - 1) * stride + dilation * (k - 1)) // 2))
    gen = np.random.default_rng(case)
    c_in, c_og = groups * rng.randint(1, 2), rng.randint(1, 2)
    x = gen.standard_normal((c_in, length)).astype(np.float32)
    w = gen.standard_normal((c_in, c_og, k)).astype(np.float32)
    b = gen.standard_normal(c_og * groups).astype(np.float32) if rng.random() < 0.6 else None
    ex = Exercise(x, w, b, stride, padding, rng.randint(0, max(stride, dilation) - 1), groups, dilation)
    length_out = ex.trace.output_length
    return Exercise(x, w, b, stride, padding, ex.output_padding, groups, dilation, rng.randrange(c_og * groups),
                    rng.randrange(length_out))


def torch_cell(ex: Exercise) -> dict:
    """The cell worked out by torch alone: which (i, k) land there (one-hot input and one-hot weight), what each
    input element adds (one-hot input), and the value."""
    c_in, c_og, k_size = ex.weight.shape
    length = ex.input.shape[-1]
    o, j = ex.out_channel, ex.out_index
    group = o // c_og
    first = group * (c_in // ex.groups)
    pairs = {(i, k) for i in range(length) for k in range(k_size)
             if torch_run(ex, onehot((c_in, length), first, i), onehot(ex.weight.shape, first, o % c_og, k))[o, j]}
    adds = {(c, i): torch_run(ex, ex.input * onehot((c_in, length), c, i))[o, j]
            for c in range(c_in) for i in range(length)}
    with torch.no_grad():
        value = torch_layer(ex)(torch.tensor(ex.input, dtype=torch.float64)).numpy()[o, j]
    return {"pairs": tuple(sorted(pairs)), "adds": adds, "value": value}


LABEL = re.compile(r"x\[c=(\d+), i=(\d+)\] · w\[c=(\d+), o=(\d+), k=(\d+)\]")


@pytest.mark.parametrize("case", range(24))
def test_every_level_shows_and_hides_torchs_steps(case):
    ex = random_exercise(case)
    truth = torch_cell(ex)
    for level in LEVELS:
        level_steps = steps(ex, level)
        kinds = [s.kind for s in level_steps]
        assert kinds == ["taps"] + ["product"] * (len(kinds) - 2) + ["sum"]
        hidden = {s.kind for s in level_steps if s.blank}
        assert hidden == [set(), {"sum"}, {"sum", "product"} & set(kinds), set(kinds)][level]
        taps, *products, total = level_steps
        assert taps.answer == truth["pairs"]  # which input elements and taps reach the cell
        reaching = {(c, i) for (c, i), add in truth["adds"].items()
                    if any(pi == i for pi, _ in truth["pairs"]) and ex.groups * c // ex.weight.shape[0]
                    == ex.out_channel // ex.weight.shape[1]}
        assert len(products) == len(reaching)
        for step in products:
            c, i, c_w, o_local, k = map(int, LABEL.search(step.prompt).groups())
            assert c == c_w and o_local == ex.out_channel % ex.weight.shape[1] and (i, k) in truth["pairs"]
            assert step.answer == pytest.approx(truth["adds"][c, i], rel=1e-5, abs=1e-5)  # x[c, i]'s part
            assert step.blank == (level >= 2) and "= ?" in step.prompt and "= ?" not in step.text
        assert total.answer == pytest.approx(truth["value"], rel=1e-5, abs=1e-5)
        assert [s.kind for s in blanks(ex, level)] == [s.kind for s in level_steps if s.blank]


@pytest.mark.parametrize("case", range(24))
def test_the_right_steps_are_right_and_a_decimal_comma_is_read(case):
    ex = random_exercise(case)
    truth = torch_cell(ex)
    taps, *products, total = steps(ex, 3)
    assert check_step(ex, taps, " ".join(f"({i}, {k})" for i, k in reversed(truth["pairs"])) or "none").correct
    for step in products:
        c, i = map(int, LABEL.search(step.prompt).groups()[:2])
        assert check_step(ex, step, f"{truth['adds'][c, i]:.4f}").correct
    verdict = check_step(ex, total, f"{truth['value']:.4f}".replace(".", ",").replace("-", "\u2212"))
    assert verdict.correct and verdict.mistakes == () and verdict.message.startswith("Right")


def padded_exercise(case: int) -> Exercise:
    """A random exercise with padding, stride 2, bias and a kernel of 3 (so the named mistakes can happen)."""
    gen = np.random.default_rng(100 + case)
    x = (gen.integers(1, 4, (1, 5)) * gen.choice([-1, 1], (1, 5))).astype(np.float32)
    w = (np.array([[[1.0, 2.0, -3.0]]]) * gen.integers(1, 3)).astype(np.float32)
    ex = Exercise(x, w, np.array([0.5], np.float32), stride=2, padding=1)
    return Exercise(x, w, ex.bias, stride=2, padding=1, out_index=int(gen.integers(1, ex.trace.output_length - 1)))


@pytest.mark.parametrize("case", range(6))
def test_a_mistaken_step_is_named_and_the_correct_step_shown(case):
    ex = padded_exercise(case)
    taps, *products, total = steps(ex, 3)
    o, j, c_in, length = ex.out_channel, ex.out_index, 1, ex.input.shape[1]
    uncropped = {(i, k) for i in range(length) for k in range(3)  # where torch lands each tap without padding
                 if torch_run(ex, onehot((c_in, length), 0, i), onehot(ex.weight.shape, 0, 0, k), padding=0)[o, j]}
    verdict = check_step(ex, taps, " ".join(f"{i} {k}" for i, k in sorted(uncropped)) or "none")
    assert not verdict.correct and "no_crop" in verdict.mistakes and verdict.shown == taps.text
    assert taps.text in verdict.message and "Padding was not cropped" in verdict.message
    without_stride = {(i, k) for i in range(length) for k in range(3)  # torch's full buffer, at j + padding
                      if torch_run(ex, onehot((c_in, length), 0, i), onehot(ex.weight.shape, 0, 0, k), stride=1,
                                   padding=0)[o, j + ex.padding:j + ex.padding + 1].any()}
    if without_stride != set(taps.answer):
        assert "no_stride" in check_step(ex, taps, " ".join(f"{i} {k}" for i, k in without_stride) or "none").mistakes
    no_bias = torch_run(ex, ex.input)[o, j]  # torch's value without the bias
    verdict = check_step(ex, total, f"{no_bias:.4f}")
    assert not verdict.correct and verdict.mistakes[:1] == ("no_bias",) and total.text in verdict.message
    for step in products:
        c, i, _, _, k = map(int, LABEL.search(step.prompt).groups())
        flipped = torch_run(ex, ex.input * onehot((c_in, length), c, i), ex.weight[..., ::-1].copy())
        if flipped[o, j] != step.answer:
            verdict = check_step(ex, step, f"{flipped[o, j]:g}")
            assert verdict.mistakes == ("kernel_not_flipped",) and "not flipped" in verdict.message
        slip = check_step(ex, step, f"{step.answer + 0.5:g}")  # an arithmetic slip: wrong, no known mistake
        assert isinstance(slip, StepCheck) and not slip.correct and slip.mistakes == ()
        assert slip.shown == step.text and step.text in slip.message


@pytest.mark.parametrize("text, kind", [("abc", 2), ("1 2 3", 0), ("0,5,6", 2), ("", 2)])
def test_an_unreadable_step_says_what_to_type(text, kind):
    ex = padded_exercise(0)
    step = steps(ex, 3)[kind]
    with pytest.raises(ConvSpecError, match="type|write"):
        check_step(ex, step, text)


NEEDED = {  # a mistake, and what the next layer must have so that the mistake shows there
    "no_crop": lambda ex, before: ex.padding > before.padding or ex.padding == 3,
    "no_stride": lambda ex, before: ex.stride > max(1, before.stride) or ex.stride == 4,
    "no_dilation": lambda ex, before: ex.dilation >= 2,
    "stride_dilation_swapped": lambda ex, before: ex.stride != ex.dilation and min(ex.stride, ex.dilation) > 1,
    "kernel_not_flipped": lambda ex, before: ex.weight.shape[2] >= 3,
    "no_bias": lambda ex, before: ex.bias is not None,
    "no_output_padding": lambda ex, before: ex.output_padding >= 1,
    "channels_swapped": lambda ex, before: ex.weight.shape[0] == ex.weight.shape[1] * ex.groups == 2,
}


@pytest.mark.parametrize("mistake", sorted(NEEDED))
@pytest.mark.parametrize("seed", range(6))
def test_the_next_layer_needs_what_was_wrong_and_is_the_same_for_the_same_seed(mistake, seed):
    before = next_exercise(seed)
    ex = next_exercise(seed + 1, [mistake], before)
    again = next_exercise(seed + 1, [mistake], next_exercise(seed))
    assert np.array_equal(ex.input, again.input) and np.array_equal(ex.weight, again.weight)
    assert (ex.out_channel, ex.out_index, ex.stride, ex.padding) == (again.out_channel, again.out_index,
                                                                       again.stride, again.padding)
    assert NEEDED[mistake](ex, before), (mistake, ex.stride, ex.padding, ex.dilation)
    wrong = mistaken_output(ex.trace, mistake)  # the mistake changes the layer's numbers here
    right = ex.trace.output
    assert wrong is not None and (wrong.shape != right.shape or not np.allclose(wrong, right))
    assert ex.trace.into_rows(ex.out_channel, ex.out_index).size >= 1  # some tap reaches the cell
    if mistake == "no_output_padding":
        assert ex.out_index >= ex.trace.output_length - ex.output_padding  # a cell output_padding adds


def test_needs_of_keeps_one_need_per_kind():
    assert needs_of(["no_crop", "padding_added", "product", "no_bias", "sum"]) == ("padding", "products", "bias")


def cli(stdin: str, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "convviz", "--practice", *flags], input=stdin, capture_output=True,
                          text=True, timeout=60)


def answers_for(ex: Exercise, level: int, wrong_sum: bool = False) -> list[str]:
    truth = torch_cell(ex)
    lines = []
    for step in blanks(ex, level):
        if step.kind == "taps":
            lines.append(", ".join(f"{i} {k}" for i, k in truth["pairs"]) or "none")
        elif step.kind == "product":
            c, i = map(int, LABEL.search(step.prompt).groups()[:2])
            lines.append(f"{truth['adds'][c, i]:g}")
        else:
            lines.append(f"{truth['value'] + (7 if wrong_sum else 0):g}")
    return lines


def test_the_cli_goes_through_every_level_with_feedback_at_each_step():
    seed = 11
    first = level_exercise(seed, 0)
    one = level_exercise(seed, 1, first)
    lines = answers_for(one, 1, wrong_sum=True)  # level 1: a sum no known mistake gives
    two = level_exercise(seed, 2, one, ["sum"])  # chosen for more products
    lines += ["not a number"] + answers_for(two, 2)  # an unreadable line is named and asked again
    three = level_exercise(seed, 3, two, [])
    lines += answers_for(three, 3)
    done = cli("\n".join(lines) + "\n", "--seed", str(seed))
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for level, ex in enumerate([first, one, two, three]):
        assert f"Level {level} of 3" in out and f"Work out {ex.target}" in out
    assert "Not quite" in out and steps(one, 1)[-1].text in out  # the wrong sum, answered with the step
    assert "chosen for: products" in out
    assert "Cannot read that" in out
    total = sum(len(blanks(ex, level)) for level, ex in enumerate([first, one, two, three]))
    assert f"All 4 levels done: {total - 1} of {total} steps right." in out


def test_the_cli_names_a_mistake_on_a_typed_layer_and_stops_when_input_ends():
    flags = ["--input", "1 2 3", "--weight", "[[[1, 10, 100]]]", "--bias", "[0.5]", "--stride", "2", "--padding", "1",
             "--at", "0,3", "--seed", "1"]
    first = Exercise(np.array([[1.0, 2.0, 3.0]], np.float32), np.array([[[1.0, 10.0, 100.0]]], np.float32),
                     np.array([0.5], np.float32), stride=2, padding=1, out_index=3)
    one = level_exercise(1, 1, first)  # no mistake yet: the same layer, another cell
    assert np.array_equal(one.weight, first.weight) and one.out_index != first.out_index
    with torch.no_grad():
        value = torch_layer(one)(torch.tensor(one.input, dtype=torch.float64))[0, one.out_index].item()
    done = cli(f"{value - 0.5:g}\n", *flags)  # level 1: the sum without its bias, then the input ends
    assert done.returncode == 1
    assert "Work out y[o=0, j=3]" in done.stdout and f"Work out {one.target}" in done.stdout
    assert "no_bias" in done.stdout and "Stopped at level 2" in done.stdout
    bad = cli("", "--input", "1 2", "--kernel-size", "2", "--out-channels", "1", "--at", "0,9", "--seed", "1")
    assert bad.returncode == 2 and "out_index=9 is out of range" in bad.stderr
