"""Check my answer: every catalogued mistake made independently with torch (the issue's table, not our code)
must be named; right answers are right; random wrong answers name nothing; bad answers say what to type."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convviz import MISTAKES, AnswerCheck, ConvSpec, ConvSpecError, check_answer, check_length, trace
from convviz.answers import LENGTH_MISTAKES, VALUE_MISTAKES, decimals_written, tolerance

DTYPES = ("float32", "float64", "float32", "float64", "complex64")


def random_case(rng: np.random.Generator) -> dict:
    """A small random configuration; a third have groups 1 and C_in = C_out = 2 (for channels_swapped)."""
    square = rng.random() < 1 / 3
    groups = 1 if square else int(rng.choice([1, 1, 2]))
    c_in = 2 if square else groups * int(rng.integers(1, 3))
    c_out = 2 if square else groups * int(rng.integers(1, 3))
    k, stride, dilation = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    output_padding = int(rng.integers(0, max(stride, dilation)))
    length = int(rng.integers(1, 6))
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    padding = int(rng.integers(0, (full - 1) // 2 + 1))
    dtype = str(rng.choice(DTYPES))
    batch = int(rng.integers(1, 3)) if rng.random() < 0.3 else None

    def draw(*shape: int) -> np.ndarray:
        values = rng.standard_normal(shape)
        if dtype.startswith("complex"):
            values = values + 1j * rng.standard_normal(shape)
        return values.astype(dtype)

    x = draw(*((batch,) if batch else ()), c_in, length)
    return {"x": x, "w": draw(c_in, c_out // groups, k), "b": draw(c_out) if rng.random() < 0.7 else None,
            "stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups,
            "dilation": dilation, "batch": int(rng.integers(0, batch)) if batch else 0}


def torch_mistake(case: dict, name: str) -> np.ndarray | None:
    """The mistaken answer made straight from the issue's table with torch (None if the table's condition fails
    or torch rejects the changed arguments). One sample: ``(C_out, L')``."""
    x = torch.from_numpy(np.asarray(case["x"])[case["batch"]] if case["x"].ndim == 3 else case["x"])[None]
    w = torch.from_numpy(case["w"])
    b = None if case["b"] is None else torch.from_numpy(case["b"])
    kw = {k: case[k] for k in ("stride", "padding", "output_padding", "groups", "dilation")}
    c_in, c_out = w.shape[0], w.shape[1] * case["groups"]
    if name == "no_crop":
        kw["padding"] = 0
    elif name == "no_output_padding":
        if not kw["output_padding"]:
            return None
        kw["output_padding"] = 0
    elif name == "no_bias":
        if b is None:
            return None
        b = None
    elif name == "stride_dilation_swapped":
        if kw["stride"] == kw["dilation"]:
            return None
        kw["stride"], kw["dilation"] = kw["dilation"], kw["stride"]
    elif name == "kernel_not_flipped":
        w = torch.flip(w, dims=[2])
    elif name == "padding_added":
        x = F.pad(x, (case["padding"], case["padding"]))
        kw["padding"] = 0
    elif name == "channels_swapped":
        if not (case["groups"] == 1 and c_in == c_out > 1):
            return None
        w = w.transpose(0, 1).contiguous()
    elif name == "no_dilation":
        if kw["dilation"] == 1:
            return None
        kw["dilation"] = 1
    elif name == "no_stride":
        if kw["stride"] == 1:
            return None
        kw["stride"] = 1
    else:
        raise AssertionError(name)
    try:
        y = F.conv_transpose1d(x, w, b, **kw)[0].numpy()
    except RuntimeError:
        return None
    return y if y.shape[-1] >= 1 else None  # torch may return an empty output where nothing is left


def torch_output(case: dict) -> np.ndarray:
    x = torch.from_numpy(case["x"] if case["x"].ndim == 3 else case["x"][None])
    b = None if case["b"] is None else torch.from_numpy(case["b"])
    kw = {k: case[k] for k in ("stride", "padding", "output_padding", "groups", "dilation")}
    return F.conv_transpose1d(x, torch.from_numpy(case["w"]), b, **kw)[case["batch"]].numpy()


def trace_of(case: dict):
    return trace(case["x"], case["w"], case["b"], case["stride"], case["padding"], case["output_padding"],
                 case["groups"], case["dilation"])


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=3e-4)


def as_text(array: np.ndarray) -> str:
    """A 2-D array as a student types it, 4 decimals (complex as a+bj)."""
    def one(v: complex) -> str:
        return f"{v.real:.4f}{v.imag:+.4f}j" if np.iscomplexobj(array) else f"{v.real:.4f}"
    return "[" + ", ".join("[" + ", ".join(one(v) for v in row) + "]" for row in array) + "]"


CASES = [random_case(np.random.default_rng(seed)) for seed in range(150)]


def test_every_mistake_made_with_torch_is_named() -> None:
    """Whole answers (as arrays and as 4-decimal text), rows and single values: the mistake is named."""
    named = dict.fromkeys(VALUE_MISTAKES, 0)
    for seed, case in enumerate(CASES):
        t, truth = trace_of(case), torch_output(case)
        for name in VALUE_MISTAKES:
            wrong = torch_mistake(case, name)
            if wrong is None or not differs(wrong, truth):
                continue
            where = f"seed {seed}, {name}"
            verdict = check_answer(t, wrong, batch=case["batch"])
            assert not verdict.correct and name in verdict.mistakes, (where, verdict)
            assert name in verdict.message and MISTAKES[name] in verdict.message, where
            typed = check_answer(t, as_text(wrong), batch=case["batch"])
            assert name in typed.mistakes, (where, typed)
            channel = int(np.argmax([differs(wrong[c], truth[c]) for c in range(len(truth))]))
            row = check_answer(t, wrong[channel], out_channel=channel, batch=case["batch"])
            assert name in row.mistakes and {c for c, _ in row.wrong} == {channel}, (where, row)
            size = min(wrong.shape[1], truth.shape[1])
            cells = np.argwhere(np.abs(wrong[:, :size] - truth[:, :size]) > 3e-4)
            if len(cells):
                c, i = map(int, cells[0])
                value = check_answer(t, wrong[c, i], out_channel=c, out_index=i, batch=case["batch"])
                assert name in value.mistakes and value.wrong == ((c, i),), (where, value)
            named[name] += 1
    assert all(count >= 10 for count in named.values()), named  # every mistake really was exercised


@pytest.mark.parametrize("x, w, b, kwargs, answer, names", [
    # stride 1, dilation 2: truth [1, 0, -1]; without dilation, and with the two swapped, both give [1, -1]
    ([[1.0]], [[[1.0, -1.0]]], None, {"dilation": 2}, "1, -1", ("no_dilation", "stride_dilation_swapped")),
    # truth -3: without the bias -1, and with the kernel not flipped also -1
    ([[-1.0, 1.0]], [[[0.0, 1.0]]], [-2.0], {"padding": 1}, "-1", ("no_bias", "kernel_not_flipped")),
    # truth [2, 2]: output_padding left out gives [2]; stride and dilation swapped give [2] too
    ([[1.0, -1.0]], [[[0.0]]], [2.0], {"stride": 2, "padding": 1, "output_padding": 1}, "2",
     ("no_output_padding", "stride_dilation_swapped")),
])
def test_coinciding_mistakes_are_all_named_most_likely_first(x, w, b, kwargs, answer, names) -> None:
    case = {"x": np.array(x, np.float32), "w": np.array(w, np.float32), "b": None if b is None else
            np.array(b, np.float32), "stride": 1, "padding": 0, "output_padding": 0, "groups": 1, "dilation": 1,
            "batch": 0, **kwargs}
    for name in names:  # the coincidence, from torch
        np.testing.assert_array_equal(torch_mistake(case, name), [parse_row(answer)])
    verdict = check_answer(trace_of(case), answer)
    assert verdict.mistakes == names and list(names) == [n for n in VALUE_MISTAKES if n in names]
    assert f"This is the known mistake {names[0]}" in verdict.message
    assert f"For this configuration {names[1]} gives the same numbers" in verdict.message
    assert "listed first as the more common mistake" in verdict.message


def parse_row(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def test_a_slip_on_top_of_a_mistake_is_called_near_it() -> None:
    """A torch-made mistake with one cell changed: no exact match, but ``near`` names the mistake and the slip."""
    rng = np.random.default_rng(11)
    near = dict.fromkeys(VALUE_MISTAKES, 0)
    for seed, case in enumerate(CASES):
        t, truth = trace_of(case), torch_output(case)
        for name in VALUE_MISTAKES:
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


def test_right_answers_are_right_from_torch_and_as_typed() -> None:
    for seed, case in enumerate(CASES[:80]):
        t, truth = trace_of(case), torch_output(case)
        for answer in (truth, as_text(truth), truth.tolist()):
            verdict = check_answer(t, answer, batch=case["batch"])
            assert verdict.correct and verdict.wrong == () and verdict.mistakes == (), (seed, verdict)
            assert verdict.message.startswith("Right")
        assert check_answer(t, truth[-1], out_channel=len(truth) - 1, batch=case["batch"]).correct
        assert check_answer(t, as_text(truth[:1, -1:]), out_channel=0, out_index=truth.shape[1] - 1,
                            batch=case["batch"]).correct


def test_random_wrong_answers_name_no_mistake() -> None:
    rng = np.random.default_rng(7)
    for seed, case in enumerate(CASES):
        t, truth = trace_of(case), torch_output(case)
        noise = rng.standard_normal(truth.shape) * 3
        verdict = check_answer(t, noise.astype(truth.real.dtype), batch=case["batch"])
        assert not verdict.correct and verdict.mistakes == (), (seed, verdict)
        assert "No common mistake" in verdict.message
        off = truth.copy()  # right but for one cell
        c, i = int(rng.integers(truth.shape[0])), int(rng.integers(truth.shape[1]))
        off[c, i] += rng.choice([-1, 1]) * rng.uniform(0.01, 2)
        verdict = check_answer(t, off, batch=case["batch"])
        assert verdict.wrong == ((c, i),) and verdict.mistakes == () and verdict.first_wrong == (c, i), seed
        assert verdict.near is None and "what the known mistake" not in verdict.message
        if truth.shape[1] > 1:
            short = check_answer(t, truth[0, :-1], out_channel=0, batch=case["batch"])
            assert short.missing == ((0, truth.shape[1] - 1),) and short.wrong == short.missing
        long = check_answer(t, np.append(truth[0], 5.0), out_channel=0, batch=case["batch"])
        assert long.extra == ((0, truth.shape[1]),) and not long.correct


def test_golden_board_example() -> None:
    """x = [1, 2], w = [1, 10], bias 0.5, stride 2, padding 1: full buffer [1, 10, 2, 20], output [10, 2] + 0.5."""
    t = trace(np.array([[1.0, 2.0]], dtype=np.float32), np.array([[[1.0, 10.0]]], dtype=np.float32),
              np.array([0.5], dtype=np.float32), stride=2, padding=1)
    assert check_answer(t, "10.5 2.5").correct
    assert check_answer(t, "[1.5, 10.5, 2.5, 20.5]").mistakes == ("no_crop",)
    assert check_answer(t, "10 2").mistakes == ("no_bias",)
    assert check_answer(t, "1.5 20.5").mistakes == ("kernel_not_flipped",)  # w reversed: full [10, 1, 20, 2]
    assert check_answer(t, "0.5 0.5 1.5 10.5 2.5 20.5 0.5 0.5").mistakes == ("padding_added",)  # x [0, 1, 2, 0]
    assert check_answer(t, "10.5 2.5 0.5").extra == ((0, 2),)


def test_tolerance_follows_the_decimals_written() -> None:
    t = trace(np.array([[1.0]], dtype=np.float32), np.array([[[4.0616]]], dtype=np.float32))
    assert check_answer(t, "4.06", 0, 0).correct  # 2 decimals: within 0.005
    assert check_answer(t, "4.1", 0, 0).correct
    assert not check_answer(t, "4.07", 0, 0).correct
    assert not check_answer(t, "4.0", 0, 0).correct
    assert not check_answer(t, "4", 0, 0).correct  # a whole number is exact
    assert check_answer(t, "4.0616", 0, 0).correct and check_answer(t, "4.06163", 0, 0).correct
    assert check_answer(t, 4.06165, 0, 0).correct and not check_answer(t, 4.0618, 0, 0).correct  # 1e-4
    assert decimals_written("[1, 0.25, 3.5]") == 2 and decimals_written("1e-3") == 3
    assert tolerance(decimals_written("8 -3")) == 1e-4
    row = trace(np.array([[1.0, 1.0]], dtype=np.float32), np.array([[[8.0, 0.5304]]], dtype=np.float32))
    assert row.output.tolist() == [[8.0, pytest.approx(8.5304), pytest.approx(0.5304)]]
    assert check_answer(row, "8, 8.53, 0.53").correct  # 2 decimals throughout
    assert not check_answer(row, "8, 9, 1").correct


@pytest.mark.parametrize("answer, says", [
    ("", "answer is empty"), ("   ", "answer is empty"), ("abc", "cannot read 'abc'"), ("nan", "nan or inf"),
    ("[1, inf]", "nan or inf"), ("[[1, 2], [3]]", "different lengths"), ("1,,2", "missing number"),
    ([[1.0, None]], "is empty"), ([["1", "x"]], "not a number"), ([[[1.0]]], "3 dimensions"),
    ("[[[1]]]", "more than two levels"), (np.array([[np.nan]]), "nan or inf"), ([], "answer is empty"),
    ([["1.5", "2"], ["4"]], "different lengths"), ([[1.0], 2.0], "different lengths"), ([[True]], "not a number"),
])
def test_bad_answers_say_what_to_type(answer, says) -> None:
    t = trace(np.array([[1.0, 2.0]], dtype=np.float32), np.array([[[1.0, 10.0]]], dtype=np.float32))
    with pytest.raises(ConvSpecError, match=None) as error:
        check_answer(t, answer)
    assert says in str(error.value) and ("type" in str(error.value) or "write" in str(error.value)), error.value


def test_bad_value_and_row_requests() -> None:
    t = trace(np.array([[1.0, 2.0]], dtype=np.float32), np.array([[[1.0], [2.0]]], dtype=np.float32))
    with pytest.raises(ConvSpecError, match="one value is asked for"):
        check_answer(t, "1 2", out_channel=0, out_index=0)
    with pytest.raises(ConvSpecError, match="asks for one"):
        check_answer(t, "[[1, 2], [3, 4]]", out_channel=0)
    with pytest.raises(ConvSpecError, match="needs out_channel"):
        check_answer(t, "1", out_index=0)
    with pytest.raises(ConvSpecError, match="out_index=5 is out of range"):
        check_answer(t, "1", out_channel=0, out_index=5)
    with pytest.raises(ConvSpecError, match="batch=1 is out of range"):
        check_answer(t, "1 2", out_channel=0, batch=1)
    whole = check_answer(t, "[[1, 2]]")  # one row given, two channels: the second row is missing
    assert whole.missing == ((1, 0), (1, 1)) and not whole.correct


# --- output lengths -----------------------------------------------------------------------------------------

LENGTH_FORMULAS = {  # independent of convviz: the definitions, written out
    "length_times_stride": lambda L, K, s, p, op, d: L * s - 2 * p + d * (K - 1) + op + 1,
    "no_dilation": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + (K - 1) + op + 1,
    "no_stride": lambda L, K, s, p, op, d: (L - 1) - 2 * p + d * (K - 1) + op + 1,
    "padding_once": lambda L, K, s, p, op, d: (L - 1) * s - p + d * (K - 1) + op + 1,
    "no_plus_one": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + d * (K - 1) + op,
    "no_output_padding": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + d * (K - 1) + 1,
    "conv_formula": lambda L, K, s, p, op, d: math.floor((L + 2 * p - d * (K - 1) - 1) / s) + 1,
}


def test_every_length_mistake_is_named() -> None:
    assert set(LENGTH_FORMULAS) == set(LENGTH_MISTAKES)
    rng = np.random.default_rng(3)
    named = dict.fromkeys(LENGTH_MISTAKES, 0)
    for _ in range(300):
        L, K, s, d = (int(v) for v in rng.integers(1, 7, size=4))
        op = int(rng.integers(0, max(s, d)))
        p = int(rng.integers(0, 4))
        x = torch.zeros(1, 1, L)
        try:
            right = F.conv_transpose1d(x, torch.zeros(1, 1, K), stride=s, padding=p, output_padding=op,
                                       dilation=d).shape[-1]
        except RuntimeError:
            continue  # padding crops everything
        spec = ConvSpec(1, 1, K, stride=s, padding=p, output_padding=op, dilation=d)
        assert check_length(spec, L, right).correct and check_length(spec, L, str(right)).correct
        if L + 2 * p >= d * (K - 1) + 1:  # Conv1d's length, from torch itself
            conv = F.conv1d(torch.zeros(1, 1, L), torch.zeros(1, 1, K), stride=s, padding=p, dilation=d).shape[-1]
            assert conv == LENGTH_FORMULAS["conv_formula"](L, K, s, p, op, d)
        for name, formula in LENGTH_FORMULAS.items():
            wrong = formula(L, K, s, p, op, d)
            if wrong == right:
                continue
            verdict = check_length(spec, L, f"{wrong}")
            assert not verdict.correct and name in verdict.mistakes, (L, K, s, p, op, d, name, verdict)
            assert list(verdict.mistakes) == [n for n in LENGTH_MISTAKES if n in verdict.mistakes]
            named[name] += 1
        for guess in rng.integers(-5, 40, size=3):
            if int(guess) != right and all(f(L, K, s, p, op, d) != guess for f in LENGTH_FORMULAS.values()):
                assert check_length(spec, L, int(guess)).mistakes == ()
    assert all(count >= 20 for count in named.values()), named


@pytest.mark.parametrize("answer", ["", "12.5", "abc", "nan", 1.5, None, "1+2j", True])
def test_bad_length_answers(answer) -> None:
    with pytest.raises(ConvSpecError, match="type one whole number|not a number"):
        check_length(ConvSpec(1, 1, 3), 4, answer)


def test_answer_check_is_a_plain_record() -> None:
    verdict = check_length(ConvSpec(1, 1, 3, stride=2), 4, "8")
    assert isinstance(verdict, AnswerCheck) and verdict.mistakes == ("no_plus_one",) and verdict.wrong == ()
    assert verdict.first_wrong is None and "no_plus_one" in verdict.message


# --- the CLI ------------------------------------------------------------------------------------------------

CLI = ["--input", "1 2", "--weight", "[[[1, 10]]]", "--bias", "[0.5]", "--stride", "2", "--padding", "1"]


@pytest.mark.parametrize("answer, at, status, says", [
    ("10.5 2.5", None, 0, "check: Right"),
    ("[1.5, 10.5, 2.5, 20.5]", None, 1, "no_crop"),
    ("10 2", None, 1, "no_bias"),
    ("10", "0,0", 1, "no_bias"),
    ("2.5", "0,1", 0, "check: Right"),
    ("7 7", None, 1, "No common mistake"),
    ("ten", None, 2, "cannot read"),
    ("", None, 2, "answer is empty"),
])
def test_cli_check_exit_codes(capsys, answer, at, status, says) -> None:
    from convviz.__main__ import main
    args = [*CLI, "--check", answer, *(["--at", at] if at else [])]
    try:
        code = main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == status and says in (out + err), (out, err)


def test_cli_check_json(capsys) -> None:
    import json

    from convviz.__main__ import main
    assert main([*CLI, "--check", "10 2", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)["check"]
    assert result["mistakes"] == ["no_bias"] and result["wrong"] == [[0, 0], [0, 1]] and not result["correct"]


# --- the quiz uses the same diagnosis -----------------------------------------------------------------------


def test_the_quiz_names_the_mistake_behind_wrong_values_and_lengths() -> None:
    from convviz import quiz

    named = {"value": 0, "length": 0}
    for seed in range(40):
        for kind in ("value", "length"):
            q = quiz.make_question(seed, kind)
            s = q.settings
            assert quiz.check(q, f"{q.answer}")[0]
            if kind == "length":
                args = (s["length"], s["kernel_size"], s["stride"], s["padding"], s["output_padding"], s["dilation"])
                for name, formula in LENGTH_FORMULAS.items():
                    if formula(*args) != q.answer:
                        right, verdict = quiz.check(q, str(formula(*args)))
                        assert not right and name in verdict and f"The answer is {q.answer}" in verdict, verdict
                        named["length"] += 1
                continue
            case = {"x": np.asarray(s["input"], np.float32), "w": quiz.question_trace(q).weight,
                    "b": quiz.question_trace(q).bias, "batch": 0,
                    **{k: s[k] for k in ("stride", "padding", "output_padding", "groups", "dilation")}}
            channel, index = q.target
            for name in VALUE_MISTAKES:
                wrong = torch_mistake(case, name)
                if wrong is None or wrong.shape[1] <= index or abs(wrong[channel, index] - q.answer) < 1e-3:
                    continue
                right, verdict = quiz.check(q, f"{wrong[channel, index]:g}")
                assert not right and (f"known mistake {name}" in verdict or f"{name}: " in verdict), (seed, verdict)
                named["value"] += 1
    assert named["value"] >= 30 and named["length"] >= 60, named
    right, verdict = quiz.check(quiz.make_question(0, "value"), "twelve")
    assert not right and verdict.startswith("Type one number") and "cannot read 'twelve'" in verdict
