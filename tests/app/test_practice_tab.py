"""The Practice view through AppTest: all four levels typed with the right values (from torch and from the
layer's own arrays, not from the worksheet), a wrong sum answered with its named mistake and the step, the next
layer chosen by next_exercise for that mistake; the output table hidden above Check my answer until answered."""
from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn.functional as F
from apptest import page_trace, problems, start
from streamlit.testing.v1 import AppTest

from convviz.app.keys import ANSWER_TEXT, PRACTICE, QUIZ_PRACTICE, practice_button, practice_step
from convviz.app.panels import HIDDEN
from convviz.practice import Exercise, next_exercise

FACTORS = re.compile(r"^x\[(?:n=\d+, )?c=(\d+), i=(\d+)\] · w\[c=\d+, o=(\d+), k=(\d+)\] = \?")
MINUS = "\u2212"


def torch_value(ex: Exercise, bias: bool = True) -> float:
    """The exercise's cell computed by torch (``bias=False``: the layer without its bias)."""
    x = torch.from_numpy(np.asarray(ex.input).reshape(-1, *np.shape(ex.input)[-2:])[ex.batch])[None]
    b = None if ex.bias is None or not bias else torch.from_numpy(ex.bias)
    y = F.conv_transpose1d(x, torch.from_numpy(ex.weight), b, ex.stride, ex.padding, ex.output_padding, ex.groups,
                           ex.dilation)
    return float(y[0, ex.out_channel, ex.out_index])


def reaching_pairs(ex: Exercise) -> list[tuple[int, int]]:
    """The (i, k) with i·stride + k·dilation - padding = j, by brute force over the layer's sizes."""
    length, k_size = np.shape(ex.input)[-1], ex.weight.shape[-1]
    return sorted({(i, k) for i in range(length) for k in range(k_size)
                   if i * ex.stride + k * ex.dilation - ex.padding == ex.out_index})


def product(ex: Exercise, prompt: str) -> float:
    """The product a step's prompt asks for, from the layer's arrays."""
    c, i, o_local, k = map(int, FACTORS.match(prompt).groups())  # type: ignore[union-attr]
    x = np.asarray(ex.input).reshape(-1, *np.shape(ex.input)[-2:])[ex.batch]
    return float(x[c, i]) * float(ex.weight[c, o_local, k])


def typed(value: float) -> str:
    return f"{value:.6f}"


def path(at: AppTest, prefix: str = PRACTICE):
    return at.session_state[prefix]


def boxes(at: AppTest, prefix: str = PRACTICE) -> list:
    p = path(at, prefix)
    return [box for box in at.text_input if box.key.startswith(f"{prefix}_step_{p.serial}_")]


def fill(at: AppTest, box, text: str) -> AppTest:
    return box.input(text).run()


def verdicts(at: AppTest) -> list[str]:
    return [s.value for s in at.success] + [w.value for w in at.warning]


def right_answer(ex: Exercise, box) -> str:
    if box.label.startswith("which (i, k)"):
        return ", ".join(f"{i} {k}" for i, k in reaching_pairs(ex)) or "none"
    if box.label.startswith("y["):
        return typed(torch_value(ex))
    return typed(product(ex, box.label))


def finish_level(at: AppTest, prefix: str = PRACTICE) -> AppTest:
    """Type every blank of the level right, in order (the products appear once the landing pairs are typed)."""
    done: set[str] = set()
    while True:
        todo = [box for box in boxes(at, prefix) if box.key not in done]
        if not todo:
            return at
        box = todo[0]
        at = fill(at, box, right_answer(path(at, prefix).exercise, box))
        done.add(box.key)
        assert not problems(at), problems(at)


def test_the_practice_view_goes_through_every_level_with_a_named_mistake() -> None:
    at = start(tab="Practice")
    assert not problems(at), problems(at)
    p = path(at)
    ex = p.exercise
    assert p.level == 0 and not boxes(at)  # level 0: the complete worked example, nothing to type
    texts = "\n".join(m.value for m in at.markdown)
    for i, k in reaching_pairs(ex):
        assert f"(i={i}, k={k})" in texts
    assert f"{torch_value(ex):.4f}"[:5] in texts.replace("−", "-")  # the value is shown (first digits)
    assert len(at.dataframe) == 1  # the value is on screen, so is the output table

    at.button(key=practice_button(PRACTICE, "next")).click().run()  # level 1: the sum to fill in
    p = path(at)
    assert p.level == 1 and [box.label.startswith("y[") for box in boxes(at)] == [True]
    assert not at.dataframe and any(HIDDEN in m.value for m in at.markdown)  # the table would give it away
    first = p.exercise
    assert first.bias is not None  # the sidebar's default layer has a bias: leaving it out is a named mistake
    at = fill(at, boxes(at)[0], typed(torch_value(first, bias=False)))
    said = verdicts(at)
    assert len(said) == 1 and "known mistake no_bias" in said[0] and "The step: " in said[0], said
    assert path(at).mistakes == ["no_bias"]
    at = fill(at, boxes(at)[0], typed(torch_value(first)).replace(".", ",").replace("-", MINUS))
    assert verdicts(at)[0].startswith("Right"), verdicts(at)
    assert len(at.dataframe) == 1  # answered: the table is back

    at.button(key=practice_button(PRACTICE, "next")).click().run()  # level 2: the products too
    p = path(at)
    want = next_exercise(p.seed + 2, ["no_bias"], first)  # chosen for the mistake, as the module chooses
    assert p.level == 2 and np.array_equal(p.exercise.input, want.input) and p.exercise.bias is not None
    assert (p.exercise.out_channel, p.exercise.out_index) == (want.out_channel, want.out_index)
    labels = [box.label for box in boxes(at)]
    assert len(labels) == len(p.exercise.records) + 1 and all(FACTORS.match(label) for label in labels[:-1])
    at = finish_level(at)
    assert len(verdicts(at)) == len(labels) and all(v.startswith("Right") for v in verdicts(at)), verdicts(at)

    at.button(key=practice_button(PRACTICE, "next")).click().run()  # level 3: the landing pairs too
    p = path(at)
    assert p.level == 3 and [box.label.startswith("which (i, k)") for box in boxes(at)] == [True]  # products later
    at = finish_level(at)
    assert len(boxes(at)) == len(path(at).exercise.records) + 2
    assert all(v.startswith("Right") for v in verdicts(at)) and len(verdicts(at)) == len(boxes(at)), verdicts(at)
    assert not problems(at)


def test_a_wrong_landing_pair_names_its_mistake_and_shows_the_step() -> None:
    at = start(tab="Practice", padding="1")  # with nothing got wrong, the path keeps the layer (and its padding)
    for _ in range(3):
        at.button(key=practice_button(PRACTICE, "next")).click().run()
    ex = path(at).exercise
    no_crop = sorted({(i, k) for i in range(np.shape(ex.input)[-1]) for k in range(ex.weight.shape[-1])
                      if i * ex.stride + k * ex.dilation == ex.out_index})  # padding not cropped
    assert path(at).level == 3 and ex.padding == 1 and no_crop != reaching_pairs(ex)
    at = fill(at, boxes(at)[0], ", ".join(f"({i}, {k})" for i, k in no_crop) or "none")
    said = verdicts(at)
    assert len(said) == 1 and said[0].startswith("Not quite") and "The step: " in said[0], said
    assert "no_crop" in said[0], said
    assert len(boxes(at)) > 1  # the step is shown, so the products are asked now


def test_an_unreadable_step_says_what_to_type() -> None:
    at = start(tab="Practice")
    at.button(key=practice_button(PRACTICE, "next")).click().run()
    at = fill(at, boxes(at)[0], "twelve")
    assert not at.exception and len(at.error) == 1 and "Cannot read that" in at.error[0].value
    assert at.text_input(key=practice_step(PRACTICE, path(at).serial, len(path(at).exercise.records) + 1)).value \
        == "twelve"  # the sum's box (after the landing pairs and the products) keeps what was typed


def test_quiz_mode_practises_from_the_quiz_seed() -> None:
    at = start(mode="Quiz")
    at.segmented_control(key="quiz_kind").set_value("Practice, step by step").run()
    assert not problems(at), problems(at)
    p = path(at, QUIZ_PRACTICE)
    seed = at.session_state["quiz_seed"]
    assert p.level == 0 and np.array_equal(p.exercise.input, next_exercise(seed).input)
    assert not at.dataframe  # nothing gives the value away before the worksheet shows it
    at.button(key=practice_button(QUIZ_PRACTICE, "next")).click().run()
    at = finish_level(at, QUIZ_PRACTICE)
    assert [v[:5] for v in verdicts(at)] == ["Right"], verdicts(at)


def test_check_my_answer_hides_the_output_table_until_answered() -> None:
    at = start(tab="Check my answer")
    assert not problems(at), problems(at)
    assert not at.dataframe and any(HIDDEN in m.value for m in at.markdown)
    t = page_trace()
    assert not any(f"{t.output_length})" in m.value for m in at.markdown)  # nor the output's shape
    at.text_area(key=ANSWER_TEXT).input(f"{float(t.torch_output[0, 0]):.4f}")
    at.button[[b.label for b in at.button].index("Check my answer")].click().run()
    assert at.success and at.success[0].value.startswith("Right"), [s.value for s in at.success]
    assert len(at.dataframe) == 1
    np.testing.assert_allclose(at.dataframe[0].value.to_numpy(dtype=float), np.round(t.torch_output, 4), atol=1e-4)
    at.radio(key="answer_what").set_value("The output length").run()  # a new question: hidden again
    assert not at.dataframe
