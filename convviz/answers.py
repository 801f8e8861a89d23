"""Check a student's hand calculation cell by cell, and name the mistake behind a wrong answer.

Most wrong answers come from a handful of known mistakes, and each is itself a transposed convolution with
one thing changed (same input, weight and bias otherwise), so the engine computes every mistaken answer
exactly and recognises it:

============================  ===============================================================================
``no_crop``                   ``padding=0``: the full buffer, padding never cropped
``no_bias``                   the bias left out (only when there is one)
``no_output_padding``         ``output_padding=0`` (only when it was not 0)
``kernel_not_flipped``        the weight reversed along its taps, ``w[..., ::-1]`` (gather done without a flip)
``padding_added``             the input zero-padded by ``padding`` on both sides, then ``padding=0`` (Conv1d's)
``no_dilation``               ``dilation=1`` (only when it was more than 1; an addition to the issue's list)
``no_stride``                 ``stride=1`` (only when it was more than 1; an addition to the issue's list)
``stride_dilation_swapped``   stride and dilation exchanged (only when they differ)
``channels_swapped``          the weight read as ``(C_out, C_in, K)``: ``w.transpose(1, 0, 2)`` (only groups 1,
                              ``C_in = C_out > 1``)
============================  ===============================================================================

A mistake whose changed configuration is invalid, or gives the right numbers anyway (``no_crop`` with
padding 0, ``kernel_not_flipped`` with a symmetric kernel), is never named. Two mistakes can give the same
numbers for some configurations (stride 1 and dilation 2: ``no_dilation`` and ``stride_dilation_swapped``);
then both are named, most likely first (the order above), and the message says they coincide. Output lengths
have their own mistakes (:func:`check_length`). ``MISTAKES`` holds every name with the one sentence a teacher
would say: value mistakes first, then length-only ones; ``VALUE_MISTAKES`` and ``LENGTH_MISTAKES`` list each
kind most likely first.
"""
from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import conv_transpose1d
from .errors import ConvSpecError
from .spec import ConvSpec
from .trace import Trace
from .values import parse_number, parse_values

MISTAKES: dict[str, str] = {
    "no_crop": "Padding was not cropped: a transposed convolution removes `padding` cells from each end of the "
               "full buffer, it does not keep them.",
    "no_bias": "The bias was left out: each output channel's bias is added to every value of that channel.",
    "no_output_padding": "output_padding was left out: it adds output_padding cells at the right end of the "
                         "output.",
    "kernel_not_flipped": "The kernel was not flipped: sliding the kernel over the stretched input (the gather "
                          "form) reads its taps in reverse order.",
    "padding_added": "Padding was added to the input as in Conv1d; in a transposed convolution padding crops "
                     "the output instead.",
    "no_dilation": "Dilation was left out: the kernel's taps sit dilation cells apart, so the kernel spans "
                   "dilation·(K - 1) + 1 cells.",
    "no_stride": "The stride was left out: each input element's kernel starts stride cells after the previous "
                 "one's, not one cell.",
    "stride_dilation_swapped": "Stride and dilation were swapped: stride spaces the input elements' landing "
                               "spots, dilation spaces the taps of the kernel.",
    "channels_swapped": "The weight's channel axes were swapped: ConvTranspose1d's weight is (in_channels, "
                        "out_channels/groups, K), the other way round from Conv1d's (out, in, K).",
    "no_plus_one": "The + 1 was left out: L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + "
                   "output_padding + 1.",
    "padding_once": "Padding was subtracted once: it crops both ends, so subtract 2·padding.",
    "length_times_stride": "L·stride was used instead of (L - 1)·stride: the last input element starts one more "
                           "kernel, it adds no stride after it.",
    "conv_formula": "That is Conv1d's length formula ⌊(L + 2·padding - dilation·(K - 1) - 1)/stride⌋ + 1; a "
                    "transposed convolution goes the other way: (L - 1)·stride - 2·padding + dilation·(K - 1) "
                    "+ output_padding + 1.",
}
VALUE_MISTAKES = ("no_crop", "no_bias", "no_output_padding", "kernel_not_flipped", "padding_added", "no_dilation",
                  "no_stride", "stride_dilation_swapped", "channels_swapped")
LENGTH_MISTAKES = ("no_plus_one", "padding_once", "length_times_stride", "no_output_padding", "no_dilation",
                   "no_stride", "conv_formula")
FLOOR = 1e-4  # the tolerance is never tighter than this (float32 and summation order)
RELATIVE = 1e-6  # plus this much of the true value's size (a few float32 ulps)
SHOWN = 6  # cells named in a message before "and N more"


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
    wrong: tuple[tuple[int, int], ...]
    mistakes: tuple[str, ...]
    message: str
    missing: tuple[tuple[int, int], ...] = ()
    extra: tuple[tuple[int, int], ...] = ()
    near: str | None = None

    @property
    def first_wrong(self) -> tuple[int, int] | None:
        """The first cell (channel by channel) where the answer goes wrong, inside the output if any is."""
        inside = [cell for cell in self.wrong if cell not in self.extra]
        return inside[0] if inside else self.wrong[0] if self.wrong else None


# -- reading an answer ------------------------------------------------------------------------------------

_DECIMALS = re.compile(r"(?<![\w.])(?:\d+(\.)(\d*)|(\.)(\d+)|\d+(?=[eE]))(?:[eE]([+-]?\d+))?")


def decimals_written(text: str) -> int | None:
    """The most decimals written in any number of ``text`` that has a point or an exponent (``1.25`` has 2,
    ``1.2e-3`` has 4); None when every number is whole (``8``), which then counts as exact.

    Example::

        >>> decimals_written("[4.06, -0.8, 1]"), decimals_written("1.2346e-05"), decimals_written("8 -3")
        (2, 9, None)
    """
    found = [len(m.group(2) or m.group(4) or "") - int(m.group(5) or 0) for m in _DECIMALS.finditer(text)
             if m.group(1) or m.group(3) or m.group(5)]
    return max(found, default=None)


def _hint(mode: str) -> str:
    return {"value": "type one number, like 0.53 or -2",
            "row": "type one row of numbers, like 0.53, -1.2, 3",
            "output": "type one row per output channel, like [[0.53, -1.2], [3, 4]]"}[mode]


def _leaf(value: Any, where: str, mode: str) -> tuple[complex, int | None]:
    """One cell of a list answer: a number, or text read with the number reader (never evaluated)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ConvSpecError(f"answer: {where} is empty; {_hint(mode)} (a number in every cell)")
    if isinstance(value, str):
        return complex(parse_number(value, f"answer {where}")), decimals_written(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
        raise ConvSpecError(f"answer: {where} is {value!r}, not a number; {_hint(mode)}")
    return complex(value), None  # type: ignore[call-overload]


def read_answer(answer: Any, mode: str = "output") -> tuple[np.ndarray, int | None]:
    """``answer`` as a 2-D complex array (rows = channels) and the decimals written (None for numbers given as
    numbers, not text). ``mode`` (``"value"``, ``"row"`` or ``"output"``) only shapes the hints.

    Raises:
        ConvSpecError: for an empty answer, text that is not numbers, NaN or inf, or rows of different lengths.

    Example::

        >>> read_answer("[[1.5, 2], [3, 4]]")[0].real.tolist(), read_answer("1.5 2")[1]
        ([[1.5, 2.0], [3.0, 4.0]], 1)
    """
    decimals: int | None = None
    if isinstance(answer, str):
        if not answer.strip():
            raise ConvSpecError(f"answer is empty; {_hint(mode)}")
        rows: Any = parse_values(answer, "answer")
        if any(isinstance(v, list) for row in rows for v in row):
            raise ConvSpecError(f"answer has more than two levels of brackets; give one sample's output: "
                                f"{_hint(mode)}")
        decimals = decimals_written(answer)
    else:
        if isinstance(answer, (list, tuple)) and len({len(row) if isinstance(row, (list, tuple, np.ndarray))
                                                      else -1 for row in answer}) > 1:
            raise ConvSpecError(f"answer: rows have different lengths; give every row the same number of values "
                                f"({_hint(mode)})")
        array = answer if isinstance(answer, np.ndarray) else np.array(answer, dtype=object)
        if array.ndim > 2:
            raise ConvSpecError(f"answer has {array.ndim} dimensions (shape {array.shape}); give one sample's "
                                f"output: {_hint(mode)}")
        if array.size == 0:
            raise ConvSpecError(f"answer is empty; {_hint(mode)}")
        grid = np.atleast_2d(array) if array.ndim else array.reshape(1, 1)
        if grid.dtype != object and grid.dtype.kind in "iufc":
            rows = grid.astype(np.complex128).tolist()
        else:
            cells = [[_leaf(v, f"cell [{r}, {c}]" if grid.shape[0] > 1 else f"cell {c}", mode)
                      for c, v in enumerate(row)] for r, row in enumerate(grid.tolist())]
            rows = [[v for v, _ in row] for row in cells]
            written = [d for row in cells for _, d in row if d is not None]
            decimals = max(written) if written else None
    try:
        values = np.array(rows, dtype=np.complex128)
    except (ValueError, TypeError):
        raise ConvSpecError(f"answer: rows have different lengths; give every row the same number of values "
                            f"({_hint(mode)})") from None
    if values.ndim != 2 or values.size == 0:
        raise ConvSpecError(f"answer is empty or ragged; {_hint(mode)}")
    if not np.all(np.isfinite(values)):
        raise ConvSpecError(f"answer has nan or inf; {_hint(mode)} (the number you calculated)")
    return values, decimals


def tolerance(decimals: int | None) -> float:
    """The absolute tolerance for an answer written to ``decimals`` decimals: half a unit of the last
    decimal written, never below 1e-4 (None: numbers given as numbers get 1e-4).

    Example::

        >>> tolerance(2), tolerance(6), tolerance(None)
        (0.005, 0.0001, 0.0001)
    """
    return FLOOR if decimals is None else max(0.5 * 10.0 ** -decimals, FLOOR)


def agrees(answer: np.ndarray, truth: np.ndarray, tol: float) -> np.ndarray:
    """Cell by cell: ``answer`` and ``truth`` (same shape) agree within ``tol`` plus ``RELATIVE·|truth|``, real
    and imaginary parts separately (a non-finite truth agrees with nothing)."""
    truth = truth.astype(np.complex128)
    slack = tol * (1 + 1e-9) + RELATIVE * np.abs(truth)
    with np.errstate(invalid="ignore"):
        return (np.abs(answer.real - truth.real) <= slack) & (np.abs(answer.imag - truth.imag) <= slack)


# -- the mistaken answers ------------------------------------------------------------------------------------

def mistaken_output(trace: Trace, name: str, batch: int = 0) -> np.ndarray | None:
    """What mistake ``name`` gives for sample ``batch``: ``(C_out, L')``, or None where the mistake does not
    apply (its condition fails, or its changed configuration is invalid).

    Example::

        >>> from convviz.trace import trace
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0]]]), stride=2, padding=1)
        >>> t.output, mistaken_output(t, "no_crop")
        (array([[10.,  2.]]), array([[ 1., 10.,  2., 20.]]))
    """
    s = trace.spec
    x, w, b = trace.input[batch], trace.weight, trace.bias  # (C_in, L), (C_in, C_out/groups, K), (C_out,)
    args = {"stride": s.stride, "padding": s.padding, "output_padding": s.output_padding, "groups": s.groups,
            "dilation": s.dilation}
    if name == "no_crop" and s.padding:
        args["padding"] = 0
    elif name == "no_bias" and b is not None:
        b = None
    elif name == "no_output_padding" and s.output_padding:
        args["output_padding"] = 0
    elif name == "kernel_not_flipped" and s.kernel_size > 1:
        w = w[..., ::-1].copy()
    elif name == "padding_added" and s.padding:
        x = np.pad(x, ((0, 0), (s.padding, s.padding)))
        args["padding"] = 0
    elif name == "no_dilation" and s.dilation > 1:
        args["dilation"] = 1
    elif name == "no_stride" and s.stride > 1:
        args["stride"] = 1
    elif name == "stride_dilation_swapped" and s.stride != s.dilation:
        args["stride"], args["dilation"] = s.dilation, s.stride
    elif name == "channels_swapped" and s.groups == 1 and s.in_channels == s.out_channels > 1:
        w = w.transpose(1, 0, 2).copy()
    else:
        return None
    try:
        return conv_transpose1d(x, w, b, **args)
    except ConvSpecError:  # e.g. output_padding no longer below stride or dilation, or nothing left to crop
        return None


# -- the verdicts --------------------------------------------------------------------------------------------

def _cells(cells: list[tuple[int, int]]) -> str:
    names = [f"output[{c}, {i}]" for c, i in cells[:SHOWN]]
    more = f" and {len(cells) - SHOWN} more" if len(cells) > SHOWN else ""
    return ", ".join(names) + more


def _explain_mistakes(found: list[str]) -> str:
    if not found:
        return ""
    first = f" This is the known mistake {found[0]}: {MISTAKES[found[0]]}"
    if len(found) == 1:
        return first
    others = " ".join(f"{name}: {MISTAKES[name]}" for name in found[1:])
    return (f"{first} For this configuration {', '.join(found[1:])} give{'s' * (len(found) == 2)} the same "
            f"numbers ({found[0]} is listed first as the more common mistake). {others}")


def _to_decimals(decimals: int | None) -> str:
    if decimals is None or decimals >= 4:
        return "to within 1e-4"
    if decimals > 0:
        return f"to the {decimals} decimal{'s' * (decimals != 1)} you wrote"
    return f"to the precision you wrote (±{tolerance(decimals):g})"


def check_answer(trace: Trace, answer: Any, out_channel: int | None = None, out_index: int | None = None,
                 batch: int = 0) -> AnswerCheck:
    """Mark a hand-calculated answer cell by cell, and name the known mistake that gives it, if one does.

    Tolerance rule: a value is right when it agrees with the true one to the decimals the student wrote, and
    always at least to 1e-4: ``|answer - true| <= max(½·10⁻ᵈ, 1e-4) + 1e-6·|true|``, where ``d`` is the most
    decimals written in any number of the answer (``4.06`` has 2, ``1.2e-3`` has 4; a row ``8, 0.53`` is read
    to 2 decimals throughout). Whole numbers written without a point (``8``) are exact (1e-4), as are
    numbers passed as numbers rather than text. Complex
    values compare their real and imaginary parts separately. A mistake is named when its mistaken answer
    agrees with every cell of the answer by the same rule.

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
        >>> t.output
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
    batch = _index("batch", batch, trace.batch_size, "the batch")
    truth_all = trace.output[batch] if trace.batched else trace.output  # (C_out, L_out)
    channels = list(range(trace.spec.out_channels))
    if out_channel is not None:
        channels = [_index("out_channel", out_channel, trace.spec.out_channels, "the output's channel axis")]
    values, decimals = read_answer(answer, mode)
    if mode != "output" and values.shape[0] != 1:
        raise ConvSpecError(f"answer has {values.shape[0]} rows but out_channel={out_channel} asks for one; "
                            f"{_hint(mode)}")
    if mode == "value":
        if values.size != 1:
            raise ConvSpecError(f"answer has {values.size} numbers but one value is asked for; {_hint(mode)}")
        index = _index("out_index", out_index, trace.output_length, "the output")
        return _check_value(trace, values[0, 0], decimals, channels[0], index, batch)
    tol = tolerance(decimals)
    truth = truth_all[channels]  # (rows, L_out)
    wrong, missing, extra = _compare(values, truth, channels, tol)
    if not wrong:
        return AnswerCheck(True, (), (), f"Right: all {truth.size} values agree {_to_decimals(decimals)}.")
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
    message = (f"Not quite: {', '.join(p for p in parts if p)} ({_cells(wrong)}), compared "
               f"{_to_decimals(decimals)}.{shape}{_explain_mistakes(found)}")
    if near is not None:
        message += (f" Apart from {_cells(slips)}, your numbers are what the known mistake {near} gives: "
                    f"{MISTAKES[near]}")
    elif not found:
        message += f" No common mistake gives these numbers; start with the first wrong cell, {_cells(wrong[:1])}."
    return AnswerCheck(False, tuple(wrong), tuple(found), message, tuple(missing), tuple(extra), near)


def _near(values: np.ndarray, truth: np.ndarray, mistaken: dict[str, np.ndarray], channels: list[int],
          tol: float) -> tuple[str | None, list[tuple[int, int]]]:
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


def _index(name: str, value: Any, size: int, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ConvSpecError(f"{name}={value!r} must be a whole number (an index); use {name}=0")
    if not 0 <= int(value) < size:
        raise ConvSpecError(f"{name}={value} is out of range: {what} has {size} position{'s' * (size != 1)} "
                            f"(0 to {size - 1}); use {name} between 0 and {size - 1}")
    return int(value)


def _compare(values: np.ndarray, truth: np.ndarray, channels: list[int],
             tol: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
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
    truth = (trace.output[batch] if trace.batched else trace.output)[channel, index]
    tol, given = tolerance(decimals), np.array([[value]])
    cell = f"output[{channel}, {index}]"
    if agrees(given, np.array([[truth]]), tol).all():
        return AnswerCheck(True, (), (), f"Right: {cell} agrees {_to_decimals(decimals)}.")
    found = []
    for name in VALUE_MISTAKES:
        m = mistaken_output(trace, name, batch)
        if m is not None and index < m.shape[1] and agrees(given, m[channel:channel + 1, index:index + 1], tol).all():
            found.append(name)
    message = f"Not quite: {cell} is wrong (compared {_to_decimals(decimals)}).{_explain_mistakes(found)}"
    if not found:
        message += f" No common mistake gives this number; the worksheet of {cell} shows every term."
    return AnswerCheck(False, ((channel, index),), tuple(found), message)


# -- output lengths ------------------------------------------------------------------------------------------

def mistaken_lengths(spec: ConvSpec, length: int) -> dict[str, int]:
    """The output length each length mistake gives (only those that apply and differ from the right one).

    Example::

        >>> mistaken_lengths(ConvSpec(1, 1, 3, stride=2, padding=1), 4)
        {'no_plus_one': 6, 'padding_once': 8, 'length_times_stride': 9, 'no_stride': 4, 'conv_formula': 2}
    """
    s, right = spec, spec.output_length(length)
    base = right - s.output_padding  # without output_padding
    span = s.dilation * (s.kernel_size - 1)
    candidates = {
        "no_plus_one": right - 1,
        "padding_once": right + s.padding if s.padding else None,
        "length_times_stride": right + s.stride,
        "no_output_padding": base if s.output_padding else None,
        "no_dilation": right - span + (s.kernel_size - 1) if s.dilation > 1 and s.kernel_size > 1 else None,
        "no_stride": right - (length - 1) * (s.stride - 1) if s.stride > 1 and length > 1 else None,
        "conv_formula": (length + 2 * s.padding - span - 1) // s.stride + 1,
    }
    return {name: value for name, value in candidates.items() if value is not None and value != right}


def check_length(spec: ConvSpec, length: int, answer: Any) -> AnswerCheck:
    """Check an output length ``answer`` for an input of ``length`` samples, and name the length mistake.

    Known mistakes (most likely first): ``no_plus_one``, ``padding_once`` (−padding instead of −2·padding),
    ``length_times_stride`` (L·stride instead of (L−1)·stride), ``no_output_padding``, ``no_dilation``
    (K−1 instead of dilation·(K−1)), ``no_stride`` (L−1 instead of (L−1)·stride; an addition to the issue's
    list) and ``conv_formula`` (Conv1d's ⌊(L + 2p − d(K−1) − 1)/s⌋ + 1).

    Args:
        spec: the arguments; length: the input length ``L``; answer: a whole number, or text of one.

    Raises:
        ConvSpecError: for an answer that is not one whole number, saying what to type.

    Example::

        >>> spec = ConvSpec(1, 1, kernel_size=3, stride=2, padding=1)
        >>> check_length(spec, 4, 7).correct, check_length(spec, 4, "8").mistakes
        (True, ('padding_once',))
    """
    spec.check_length(length)
    hint = "type one whole number, like 13"
    if isinstance(answer, str):
        if not answer.strip():
            raise ConvSpecError(f"answer is empty; {hint}")
        value: Any = parse_number(answer, "answer")
    elif isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise ConvSpecError(f"answer={answer!r} is not a length; {hint}")
    else:
        value = answer
    if isinstance(value, complex) or not math.isfinite(value) or value != int(value):
        raise ConvSpecError(f"answer={answer!r} is not a whole number; a length counts cells: {hint}")
    value, right = int(value), spec.output_length(length)
    if value == right:
        return AnswerCheck(True, (), (), f"Right: the output has {right} values.")
    found = [name for name, wrong in mistaken_lengths(spec, length).items() if wrong == value]
    message = f"Not quite: {value} is not the output length.{_explain_mistakes(found)}"
    if not found:
        message += (" No common mistake gives this length; fill the numbers into L_out = (L - 1)·stride - "
                    "2·padding + dilation·(K - 1) + output_padding + 1.")
    return AnswerCheck(False, (), tuple(found), message)
