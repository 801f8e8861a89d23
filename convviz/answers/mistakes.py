"""The known mistakes, one row each: its name, the sentence a teacher would say, and what it changes.

A value mistake is the same transposed convolution with one thing changed, so the engine computes the mistaken
answer exactly; a length mistake is a wrong length formula. The table (generated from :data:`TABLE`):

{table}

A mistake whose changed configuration is invalid, or that gives the right numbers anyway (``no_crop`` with
padding 0, ``kernel_not_flipped`` with a symmetric kernel), is never named. Rows are in the order of
likelihood: where two mistakes give the same numbers, the earlier row is named first.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ..engine import conv_transpose1d
from ..errors import ConvSpecError
from ..spec import ConvSpec
from ..trace import Trace


@dataclass(frozen=True)
class Setup:
    """One sample's convolution as ``conv_transpose1d`` is called: what a value mistake changes."""

    x: np.ndarray  # (C_in, L)
    weight: np.ndarray  # (C_in, C_out/groups, K)
    bias: np.ndarray | None  # (C_out,)
    stride: int
    padding: int
    output_padding: int
    groups: int
    dilation: int

    @property
    def square(self) -> bool:
        """groups 1 and ``C_in = C_out > 1``: the weight's two channel axes can be mistaken for each other."""
        return self.groups == 1 and self.weight.shape[0] == self.weight.shape[1] > 1


class Lengths(NamedTuple):
    """The numbers of the length formula: input length ``L``, kernel size ``K`` and the arguments."""

    L: int
    K: int
    stride: int
    padding: int
    output_padding: int
    dilation: int


@dataclass(frozen=True)
class Mistake:
    """One known mistake.

    Attributes:
        name: its name, as the verdict and ``AnswerCheck.mistakes`` give it.
        sentence: what a teacher would say to the student who made it.
        changes: what it changes, in words (the docs table).
        calculation: the mistaken configuration of a ``Setup``, or None where the mistake does not apply (None
            for a length-only mistake).
        length: the mistaken output length (None for a value-only mistake).
    """

    name: str
    sentence: str
    changes: str
    calculation: Callable[[Setup], Setup | None] | None = None
    length: Callable[[Lengths], int] | None = None


TABLE: tuple[Mistake, ...] = (
    Mistake("no_crop", "Padding was not cropped: a transposed convolution removes `padding` cells from each end "
                       "of the full buffer, it does not keep them.",
            "``padding=0``: the full buffer, padding never cropped",
            calculation=lambda c: replace(c, padding=0) if c.padding else None),
    Mistake("no_bias", "The bias was left out: each output channel's bias is added to every value of that channel.",
            "the bias left out (only when there is one)",
            calculation=lambda c: replace(c, bias=None) if c.bias is not None else None),
    Mistake("no_plus_one", "The + 1 was left out: L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + "
                           "output_padding + 1.",
            "length ``(L-1)·stride - 2·padding + dilation·(K-1) + output_padding``",
            length=lambda n: (n.L - 1) * n.stride - 2 * n.padding + n.dilation * (n.K - 1) + n.output_padding),
    Mistake("padding_once", "Padding was subtracted once: it crops both ends, so subtract 2·padding.",
            "length with ``- padding`` instead of ``- 2·padding``",
            length=lambda n: (n.L - 1) * n.stride - n.padding + n.dilation * (n.K - 1) + n.output_padding + 1),
    Mistake("length_times_stride", "L·stride was used instead of (L - 1)·stride: the last input element starts "
                                   "one more kernel, it adds no stride after it.",
            "length with ``L·stride`` instead of ``(L-1)·stride``",
            length=lambda n: n.L * n.stride - 2 * n.padding + n.dilation * (n.K - 1) + n.output_padding + 1),
    Mistake("no_output_padding", "output_padding was left out: it adds output_padding cells at the right end of "
                                 "the output.",
            "``output_padding=0`` (only when it was not 0), in the values and in the length",
            calculation=lambda c: replace(c, output_padding=0) if c.output_padding else None,
            length=lambda n: (n.L - 1) * n.stride - 2 * n.padding + n.dilation * (n.K - 1) + 1),
    Mistake("kernel_not_flipped", "The kernel was not flipped: sliding the kernel over the stretched input (the "
                                  "gather form) reads its taps in reverse order.",
            "the weight reversed along its taps, ``w[..., ::-1]`` (gather done without a flip)",
            calculation=lambda c: replace(c, weight=c.weight[..., ::-1].copy()) if c.weight.shape[-1] > 1 else None),
    Mistake("padding_added", "Padding was added to the input as in Conv1d; in a transposed convolution padding "
                             "crops the output instead.",
            "the input zero-padded by ``padding`` on both sides, then ``padding=0`` (Conv1d's)",
            calculation=lambda c: replace(c, x=np.pad(c.x, ((0, 0), (c.padding, c.padding))), padding=0)
            if c.padding else None),
    Mistake("no_dilation", "Dilation was left out: the kernel's taps sit dilation cells apart, so the kernel spans "
                           "dilation·(K - 1) + 1 cells.",
            "``dilation=1`` (only when it was more than 1), in the values and in the length",
            calculation=lambda c: replace(c, dilation=1) if c.dilation > 1 else None,
            length=lambda n: (n.L - 1) * n.stride - 2 * n.padding + (n.K - 1) + n.output_padding + 1),
    Mistake("no_stride", "The stride was left out: each input element's kernel starts stride cells after the "
                         "previous one's, not one cell.",
            "``stride=1`` (only when it was more than 1), in the values and in the length",
            calculation=lambda c: replace(c, stride=1) if c.stride > 1 else None,
            length=lambda n: (n.L - 1) - 2 * n.padding + n.dilation * (n.K - 1) + n.output_padding + 1),
    Mistake("stride_dilation_swapped", "Stride and dilation were swapped: stride spaces the input elements' "
                                       "landing spots, dilation spaces the taps of the kernel.",
            "stride and dilation exchanged (only when they differ)",
            calculation=lambda c: replace(c, stride=c.dilation, dilation=c.stride) if c.stride != c.dilation
            else None),
    Mistake("channels_swapped", "The weight's channel axes were swapped: ConvTranspose1d's weight is "
                                "(in_channels, out_channels/groups, K), the other way round from Conv1d's (out, "
                                "in, K).",
            "the weight read as ``(C_out, C_in, K)``: ``w.transpose(1, 0, 2)`` (only groups 1, ``C_in = C_out > 1``)",
            calculation=lambda c: replace(c, weight=c.weight.transpose(1, 0, 2).copy()) if c.square else None),
    Mistake("conv_formula", "That is Conv1d's length formula ⌊(L + 2·padding - dilation·(K - 1) - 1)/stride⌋ + 1; "
                            "a transposed convolution goes the other way: (L - 1)·stride - 2·padding + "
                            "dilation·(K - 1) + output_padding + 1.",
            "length ``⌊(L + 2·padding - dilation·(K-1) - 1)/stride⌋ + 1`` (Conv1d's)",
            length=lambda n: (n.L + 2 * n.padding - n.dilation * (n.K - 1) - 1) // n.stride + 1),
)
ROW = {mistake.name: mistake for mistake in TABLE}
VALUE_MISTAKES = tuple(m.name for m in TABLE if m.calculation is not None)  # most likely first
LENGTH_MISTAKES = tuple(m.name for m in TABLE if m.length is not None)  # most likely first
MISTAKES: dict[str, str] = {m.name: m.sentence for m in sorted(TABLE, key=lambda m: m.calculation is None)}
"""Every name with its sentence: value mistakes first, then length-only ones."""


def mistaken_output(trace: Trace, name: str, batch: int = 0) -> np.ndarray | None:
    """What mistake ``name`` gives for sample ``batch``: ``(C_out, L')``, or None where the mistake does not
    apply (its condition fails, or its changed configuration is invalid).

    Example::

        >>> from convviz.trace import trace
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0]]]), stride=2, padding=1)
        >>> t.torch_output, mistaken_output(t, "no_crop")
        (array([[10.,  2.]]), array([[ 1., 10.,  2., 20.]]))
    """
    mistake = ROW.get(name)
    if mistake is None or mistake.calculation is None:
        return None
    s = trace.spec
    right = Setup(trace.input[batch], trace.weight, trace.bias, s.stride, s.padding, s.output_padding, s.groups,
                  s.dilation)
    c = mistake.calculation(right)
    if c is None:
        return None
    try:
        return conv_transpose1d(c.x, c.weight, c.bias, c.stride, c.padding, c.output_padding, c.groups, c.dilation)
    except ConvSpecError:  # e.g. output_padding no longer below stride or dilation, or nothing left to crop
        return None


def mistaken_lengths(spec: ConvSpec, length: int) -> dict[str, int]:
    """The output length each length mistake gives, most likely first (only those that differ from the right one).

    Example::

        >>> mistaken_lengths(ConvSpec(1, 1, 3, stride=2, padding=1), 4)
        {'no_plus_one': 6, 'padding_once': 8, 'length_times_stride': 9, 'no_stride': 4, 'conv_formula': 2}
    """
    right = spec.output_length(length)
    numbers = Lengths(length, spec.kernel_size, spec.stride, spec.padding, spec.output_padding, spec.dilation)
    wrong = {m.name: m.length(numbers) for m in TABLE if m.length is not None}
    return {name: value for name, value in wrong.items() if value != right}


def docs_table(width: int = 110) -> str:
    """The table as reStructuredText: every row's name and what it changes (``width`` characters wide)."""
    left = max(len(m.name) for m in TABLE) + 6
    right = width - left - 2
    rule = f"{'=' * left}  {'=' * right}"
    lines = [rule, f"{'mistake':<{left}}  what it changes", rule]
    for m in TABLE:
        wrapped = textwrap.wrap(m.changes, right, break_on_hyphens=False) or [""]
        lines.append(f"{'``' + m.name + '``':<{left}}  {wrapped[0]}")
        lines += [f"{'':<{left}}  {more}" for more in wrapped[1:]]
    return "\n".join([*lines, rule])


__doc__ = (__doc__ or "").replace("{table}", docs_table())
