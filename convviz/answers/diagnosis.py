"""Marking an answer cell by cell against the trace, naming the known mistake that gives it, and the verdict text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConvSpecError
from ..trace import Trace, check_index
from .mistakes import MISTAKES, VALUE_MISTAKES, mistaken_output
from .reading import FLOOR, agrees, hint, read_answer, to_decimals, tolerance

SHOWN = 6  # cells named in a message before "and N more"
Cell = tuple[int, int]  # (out_channel, out_index)


@dataclass(frozen=True)
class AnswerCheck:
    """The verdict on one answer.

    Attributes:
        correct: every cell is right (and none is missing or extra).
        wrong: the ``(out_channel, out_index)`` cells that are wrong, missing or extra, channel by channel
            (``()`` for a length).
        mistakes: names from ``MISTAKES`` whose mistaken answer matches, most likely first (empty when the
            answer is right or no known mistake gives it).
        message: what to tell the student, naming the cells and the mistake.
        missing, extra: the cells of ``wrong`` the answer left out, or has beyond the output.
        near: a mistake the answer follows in all but a few cells (a slip on top of it; ``mistakes`` is then
            empty), or None.
    """

    correct: bool
    wrong: tuple[Cell, ...]
    mistakes: tuple[str, ...]
    message: str
    missing: tuple[Cell, ...] = ()
    extra: tuple[Cell, ...] = ()
    near: str | None = None

    @property
    def first_wrong(self) -> Cell | None:
        """The first cell (channel by channel) where the answer goes wrong, inside the output if any is."""
        inside = [cell for cell in self.wrong if cell not in self.extra]
        return inside[0] if inside else self.wrong[0] if self.wrong else None


# -- the verdict text ----------------------------------------------------------------------------------------

def cells(wrong: list[Cell]) -> str:
    """The first ``SHOWN`` cells by name, then how many more."""
    names = [f"output[{c}, {i}]" for c, i in wrong[:SHOWN]]
    more = f" and {len(wrong) - SHOWN} more" if len(wrong) > SHOWN else ""
    return ", ".join(names) + more


def explain_mistakes(found: list[str]) -> str:
    """The sentence of each mistake found (most likely first), saying when several give the same numbers."""
    if not found:
        return ""
    first = f" This is the known mistake {found[0]}: {MISTAKES[found[0]]}"
    if len(found) == 1:
        return first
    others = " ".join(f"{name}: {MISTAKES[name]}" for name in found[1:])
    return (f"{first} For this configuration {', '.join(found[1:])} give{'s' * (len(found) == 2)} the same "
            f"numbers ({found[0]} is listed first as the more common mistake). {others}")


# -- the diagnosis -------------------------------------------------------------------------------------------

def _sample_output(trace: Trace, batch: int) -> np.ndarray:
    return trace.output[batch]  # (C_out, L_out)


def check_answer(trace: Trace, answer: Any, out_channel: int | None = None, out_index: int | None = None,
                 batch: int = 0) -> AnswerCheck:
    """Mark a hand-calculated answer cell by cell, and name the known mistake that gives it, if one does.

    Each value is marked by the tolerance rule of :mod:`convviz.answers.reading` (to the decimals written, at
    least 1e-4). A mistake of :data:`convviz.answers.mistakes.TABLE` is named when its mistaken answer agrees
    with every cell of the answer by the same rule.

    Args:
        trace: the traced convolution (the true output and the arguments).
        answer: one number (with ``out_channel`` and ``out_index``), one row (with ``out_channel``; its length
            may differ from the true row's), or the whole ``(C_out, L_out')`` output of sample ``batch``
            (rows may be missing or extra). A number, a (nested) list or array, or text read with
            :func:`convviz.values.parse_values` (never evaluated); list cells may be text too.
        out_channel, out_index: which value or row is answered (None: the whole output).
        batch: the sample of a batched input.

    Raises:
        ConvSpecError: for an unreadable answer (empty, text, NaN, ragged rows), or a bad index, saying what
            to type.

    Example::

        >>> from convviz.trace import trace
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0]]]), np.array([0.5]), stride=2, padding=1)
        >>> t.torch_output
        array([[10.5,  2.5]])
        >>> check_answer(t, "10.5, 2.5").correct
        True
        >>> c = check_answer(t, "[1.5, 10.5, 2.5, 20.5]")
        >>> c.correct, c.wrong, c.mistakes
        (False, ((0, 0), (0, 1), (0, 2), (0, 3)), ('no_crop',))
        >>> check_answer(t, "10", out_channel=0, out_index=0).mistakes  # 10.5 without its bias
        ('no_bias',)
    """
    if out_index is not None and out_channel is None:
        if trace.spec.out_channels != 1:
            raise ConvSpecError(f"out_index={out_index} needs out_channel too: the output has "
                                f"{trace.spec.out_channels} channels; pass out_channel=0 to "
                                f"{trace.spec.out_channels - 1}")
        out_channel = 0
    mode = "output" if out_channel is None else "row" if out_index is None else "value"
    batch = check_index("batch", batch, trace.batch_size, "the batch")
    channels = list(range(trace.spec.out_channels))
    if out_channel is not None:
        channels = [check_index("out_channel", out_channel, trace.spec.out_channels, "the output's channel axis")]
    values, decimals = read_answer(answer, mode)  # (R, n)
    if mode != "output" and values.shape[0] != 1:
        raise ConvSpecError(f"answer has {values.shape[0]} rows but out_channel={out_channel} asks for one; "
                            f"{hint(mode)}")
    if mode == "value":
        if values.size != 1:
            raise ConvSpecError(f"answer has {values.size} numbers but one value is asked for; {hint(mode)}")
        index = check_index("out_index", out_index, trace.output_length, "the output")
        return _check_value(trace, values[0, 0], decimals, channels[0], index, batch)
    tol = tolerance(decimals)
    truth = _sample_output(trace, batch)[channels]  # (rows, L_out)
    wrong, missing, extra = _compare(values, truth, channels, tol)
    if not wrong:
        return AnswerCheck(True, (), (), f"Right: all {truth.size} values agree {to_decimals(decimals)}.")
    mistaken = {name: m[channels] for name in VALUE_MISTAKES
                if (m := mistaken_output(trace, name, batch)) is not None and m[channels].shape == values.shape
                and not (m.shape[1] == truth.shape[1] and agrees(m[channels], truth, FLOOR).all())}
    found = [name for name, m in mistaken.items() if agrees(values, m, tol).all()]
    near, slips = (None, []) if found else _near(values, truth, mistaken, channels, tol)
    shape = "" if values.shape == truth.shape else (
        f" You gave {values.shape[0]}×{values.shape[1]} values; the "
        f"{'row' if mode == 'row' else 'output'} is {truth.shape[0]}×{truth.shape[1]}.")
    counted = len(wrong) - len(missing) - len(extra)
    parts = [f"{counted} of {truth.size} values wrong" if counted else "",
             f"{len(missing)} missing" if missing else "", f"{len(extra)} extra" if extra else ""]
    message = (f"Not quite: {', '.join(p for p in parts if p)} ({cells(wrong)}), compared "
               f"{to_decimals(decimals)}.{shape}{explain_mistakes(found)}")
    if near is not None:
        message += (f" Apart from {cells(slips)}, your numbers are what the known mistake {near} gives: "
                    f"{MISTAKES[near]}")
    elif not found:
        message += f" No common mistake gives these numbers; start with the first wrong cell, {cells(wrong[:1])}."
    return AnswerCheck(False, tuple(wrong), tuple(found), message, tuple(missing), tuple(extra), near)


def _near(values: np.ndarray, truth: np.ndarray, mistaken: dict[str, np.ndarray], channels: list[int],
          tol: float) -> tuple[str | None, list[Cell]]:
    """The first mistake the answer follows in all but a few cells (a slip on top of a known mistake): it must
    agree with the mistake on at least 2 cells where the mistake differs from the right answer, and differ from
    it on at most a quarter of those (at least 1). Returns the name (or None) and the slipped cells."""
    for name, m in mistaken.items():  # (rows, L') each, the answer's shape
        telling = ~agrees(m, truth, FLOOR) if m.shape == truth.shape else np.ones(m.shape, bool)  # it shows here
        follows = agrees(values, m, tol)
        slipped = np.argwhere(~follows)
        if (follows & telling).sum() >= 2 and 1 <= len(slipped) <= max(1, int(telling.sum()) // 4):
            return name, [(channels[r] if r < len(channels) else channels[0] + r, int(i)) for r, i in slipped]
    return None, []


def _compare(values: np.ndarray, truth: np.ndarray, channels: list[int],
             tol: float) -> tuple[list[Cell], list[Cell], list[Cell]]:
    """Wrong, missing and extra cells of ``values`` ``(R, n)`` against ``truth`` ``(rows, L)``."""
    rows, length = truth.shape
    wrong, missing, extra = [], [], []
    for r in range(max(rows, values.shape[0])):
        channel = channels[r] if r < rows else channels[0] + r  # rows past the output: extra channels
        given = values.shape[1] if r < values.shape[0] else 0
        shared = min(given, length) if r < rows else 0
        ok = agrees(values[r, :shared], truth[r, :shared], tol) if shared else np.ones(0, bool)
        for i in range(max(given, length if r < rows else 0)):
            if i < shared:
                if not ok[i]:
                    wrong.append((channel, i))
            elif r >= rows or i >= length:
                extra.append((channel, i))
                wrong.append((channel, i))
            else:
                missing.append((channel, i))
                wrong.append((channel, i))
    return wrong, missing, extra


def _check_value(trace: Trace, value: complex, decimals: int | None, channel: int, index: int,
                 batch: int) -> AnswerCheck:
    truth = _sample_output(trace, batch)[channel, index]
    tol, given = tolerance(decimals), np.array([[value]])
    cell = f"output[{channel}, {index}]"
    if agrees(given, np.array([[truth]]), tol).all():
        return AnswerCheck(True, (), (), f"Right: {cell} agrees {to_decimals(decimals)}.")
    found = []
    for name in VALUE_MISTAKES:
        m = mistaken_output(trace, name, batch)
        if m is not None and index < m.shape[1] and agrees(given, m[channel:channel + 1, index:index + 1], tol).all():
            found.append(name)
    message = f"Not quite: {cell} is wrong (compared {to_decimals(decimals)}).{explain_mistakes(found)}"
    if not found:
        message += f" No common mistake gives this number; the worksheet of {cell} shows every term."
    return AnswerCheck(False, ((channel, index),), tuple(found), message)
