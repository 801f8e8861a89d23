"""Predict-then-reveal questions, generated from a seed: output length, one output value, touched cells.

Numbers are small integers so a student can answer with pencil and paper; the answer comes from the trace.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .answers import AnswerCheck, check_answer, check_length
from .errors import ConvSpecError
from .limits import check_text_size
from .presets import DEFAULTS, DEMOS
from .shapes import output_length
from .trace import Trace, trace
from .values import format_values, parse_values, plain_numbers

KINDS = ("length", "value", "touches")


@dataclass(frozen=True)
class Question:
    """One question: the app settings that show its configuration, the prompt and the answer."""

    kind: str
    settings: dict[str, Any]
    prompt: str
    answer: Any  # int (length), float (value) or tuple of out_index (touches)
    target: tuple[int, int]  # (out_channel, out_index) for "value"; (in_channel, in_index) for "touches"


def _config(rng: random.Random) -> dict[str, Any]:
    """A demo preset's arguments (a third of the time) or a small random configuration."""
    if rng.random() < 1 / 3:
        demo = rng.choice(DEMOS)
        return {**DEFAULTS, **{k: v for k, v in demo.items() if k in DEFAULTS}, "input": None,
                "output_size": None, "bias": rng.random() < 0.5}
    groups = rng.choice([1, 1, 1, 2])
    stride, dilation = rng.randint(1, 3), rng.choice([1, 1, 2])
    kernel = rng.randint(1, 4)
    return {**DEFAULTS, "in_channels": groups * rng.randint(1, 2), "out_channels": groups, "groups": groups,
            "kernel_size": kernel, "stride": stride, "dilation": dilation, "padding": rng.randint(0, 1),
            "output_padding": rng.randint(0, max(stride, dilation) - 1), "bias": rng.random() < 0.5,
            "length": rng.randint(2, 5)}


def _arrays(rng: random.Random, s: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    x = np.array([[rng.randint(-3, 3) for _ in range(s["length"])] for _ in range(s["in_channels"])], float)
    w = np.array([[[rng.randint(-2, 2) for _ in range(s["kernel_size"])]
                   for _ in range(s["out_channels"] // s["groups"])] for _ in range(s["in_channels"])], float)
    b = np.array([rng.randint(-2, 2) for _ in range(s["out_channels"])], float) if s["bias"] else None
    return x.astype(np.float32), w.astype(np.float32), None if b is None else b.astype(np.float32)


def make_question(seed: int, kind: str | None = None) -> Question:
    """A reproducible question for ``seed`` (``kind`` one of ``KINDS``, or chosen by the seed).

    Example::

        >>> q = make_question(3, "length")
        >>> q.kind, isinstance(q.answer, int)
        ('length', True)
    """
    rng = random.Random(seed)
    kind = kind or rng.choice(KINDS)
    while True:
        s = _config(rng)
        if output_length(s["length"], s["kernel_size"], s["stride"], s["padding"], s["output_padding"],
                         s["dilation"]) >= 2:
            break
    x, w, b = _arrays(rng, s)
    t: Trace = trace(x, w, b, s["stride"], s["padding"], s["output_padding"], s["groups"], s["dilation"])
    s.update(input=x.tolist(), input_mode="typed", input_text=format_values(x), weight_mode="typed",
             weight_text=format_values(w), bias_text=format_values(b if b is not None else np.zeros(1)))
    if kind == "length":
        return Question(kind, s, f"An input of length {s['length']} goes in. How long is the output?",
                        t.output_length, (0, 0))
    if kind == "value":
        channel, index = rng.randrange(s["out_channels"]), rng.randrange(t.output_length)
        return Question(kind, s, f"Compute output[{channel}, {index}] by hand.", float(t.output[0, channel, index]),
                        (channel, index))
    channel, index = rng.randrange(s["in_channels"]), rng.randrange(s["length"])
    touched = sorted({r.out_index for r in t.from_input(channel, index) if r.out_index is not None})
    return Question(kind, s, f"Which output positions does input x[{channel}, {index}] touch? List the indices "
                             f"(empty if padding crops them all).", tuple(touched), (channel, index))


def question_trace(question: Question) -> Trace:
    """The question's convolution, rebuilt from its settings (the numbers the student sees)."""
    s = question.settings
    x = np.asarray(s["input"], dtype=np.float32)
    w = np.asarray(parse_values(s["weight_text"]), dtype=np.float32)
    b = np.asarray(parse_values(s["bias_text"])[0], dtype=np.float32) if s["bias"] else None
    return trace(x, w, b, s["stride"], s["padding"], s["output_padding"], s["groups"], s["dilation"])


def diagnose(question: Question, text: str) -> AnswerCheck:
    """The answer check of a "length" or "value" question, naming the mistake behind a wrong answer.

    Raises:
        ConvSpecError: for text that is not one number, saying what to type.
    """
    t = question_trace(question)
    if question.kind == "length":
        return check_length(t.spec, t.length, text)
    return check_answer(t, text, *question.target)


def check(question: Question, text: str) -> tuple[bool, str]:
    """Whether ``text`` answers ``question``, and a verdict that names the mistake behind a wrong length or
    value (see :func:`convviz.answers.check_answer` for the tolerance: to the decimals written, at least 1e-4).

    Numbers are read as a person types them (:func:`convviz.values.plain_numbers`): ``−1`` is -1; a length or a
    value is one number, so ``0,53`` is 0.53 (``1,234``, which could be either, is named as such); the touched
    positions are a list, so ``0, 2, 4`` is three of them.

    Example::

        >>> q = make_question(3, "value")
        >>> check(q, f"{q.answer:.4f}".replace(".", ",").replace("-", "\u2212"))[0]
        True
    """
    try:
        check_text_size("answer", text)
        plain = plain_numbers(text, single=question.kind != "touches", name="answer")
    except ConvSpecError as error:
        return False, f"Type {'the positions' if question.kind == 'touches' else 'one number'}, like " \
                      f"{'0, 2, 4' if question.kind == 'touches' else '13'} ({error})."
    if question.kind == "touches":
        numbers = re.findall(r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?", plain)
        given = tuple(sorted({int(float(n)) for n in numbers}))
        right = given == question.answer
        return right, f"{'Right' if right else 'Not quite'}: the taps land at {list(question.answer)}."
    try:
        verdict = diagnose(question, plain)
    except ConvSpecError as error:
        return False, f"Type one number, like 13 ({error})."
    shown = f"{question.answer:g}"
    if verdict.correct:
        return True, f"Right: the answer is {shown}."
    return False, f"{verdict.message} The answer is {shown}."
