"""The contribution trace: one record per (batch, in_channel, in_index, out_channel, tap).

Every view reads this one dependency map, so the animation, the worksheet and the matrix cannot disagree
with the numbers. Records are kept in a vectorised column form; ``Contribution`` objects derive from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from .engine import forward
from .shapes import full_length, output_length
from .spec import ConvSpec, check_bias, check_input, spec_from_weight

COLUMNS = ("batch", "in_channel", "in_index", "out_channel", "tap", "full_index", "out_index")


@dataclass(frozen=True)
class Contribution:
    """``x[batch, in_channel, in_index] · w[in_channel, out_channel % (C_out/groups), tap] = product``,
    landing at ``full_index = in_index·stride + tap·dilation`` and at ``out_index = full_index - padding``
    (None where padding crops it away)."""

    batch: int
    in_channel: int
    in_index: int
    out_channel: int
    tap: int
    full_index: int
    out_index: int | None
    x_value: Any
    w_value: Any
    product: Any


@dataclass(frozen=True)
class Trace:
    """Everything one transposed convolution did, in the order the animation plays it.

    Attributes:
        spec: the validated arguments.
        input: ``(N, C_in, L)`` (N = 1 for unbatched input); weight ``(C_in, C_out/groups, K)``; bias or None.
        batched: whether the input was 3-D (then ``output`` is 3-D too).
        full: ``(N, C_out, L_full)`` uncropped buffer before bias.
        output: identical to ``conv_transpose1d(...)``.
        columns: dict of 1-D arrays, one entry per record: the ints of ``COLUMNS`` (``out_index`` is -1 where
            cropped), plus ``x_value``, ``w_value``, ``product`` and the bool ``kept``.
    """

    spec: ConvSpec
    input: np.ndarray
    weight: np.ndarray
    bias: np.ndarray | None
    batched: bool
    full: np.ndarray
    output: np.ndarray
    columns: dict[str, np.ndarray] = field(repr=False)

    @property
    def length(self) -> int:
        return int(self.input.shape[2])

    @property
    def output_length(self) -> int:
        return self.spec.output_length(self.length)

    @property
    def steps_per_batch(self) -> int:
        """Animation steps per sample: one per input element (in_index, then in_channel)."""
        return self.length * self.spec.in_channels

    def step_element(self, step: int) -> tuple[int, int]:
        """``(in_channel, in_index)`` of animation step ``step`` within a sample."""
        in_index, in_channel = divmod(step, self.spec.in_channels)
        return in_channel, in_index

    @cached_property
    def contributions(self) -> list[Contribution]:
        """All records, in order: batch, in_index, in_channel, out_channel, tap."""
        return self._records(np.arange(len(self.columns["tap"])))

    def _records(self, rows: np.ndarray) -> list[Contribution]:
        c = self.columns
        ints = [c[name][rows].tolist() for name in COLUMNS]
        values = [c[name][rows] for name in ("x_value", "w_value", "product")]
        return [Contribution(b, ci, i, co, k, f, o if o >= 0 else None, *(v[r] for v in values))
                for r, (b, ci, i, co, k, f, o) in enumerate(zip(*ints))]

    def select(self, **where: int) -> np.ndarray:
        """Row numbers of the records whose columns equal the given values, e.g. ``select(batch=0, tap=1)``."""
        mask = np.ones(len(self.columns["tap"]), dtype=bool)
        for name, value in where.items():
            mask &= self.columns[name] == value
        return np.flatnonzero(mask)

    def into(self, out_channel: int, out_index: int, batch: int = 0) -> list[Contribution]:
        """The contributions that sum, with the bias, to ``output[batch, out_channel, out_index]``."""
        return self._records(self.select(batch=batch, out_channel=out_channel, out_index=out_index))

    def from_input(self, in_channel: int, in_index: int, batch: int = 0) -> list[Contribution]:
        """Where the taps of input element ``x[batch, in_channel, in_index]`` land (cropped ones included)."""
        return self._records(self.select(batch=batch, in_channel=in_channel, in_index=in_index))


def build_columns(x: np.ndarray, weight: np.ndarray, spec: ConvSpec) -> dict[str, np.ndarray]:
    """The column form of the trace. Shape: x ``(N, C_in, L)``; weight ``(C_in, C_og, K)``."""
    n, c_in, length = x.shape
    _, group_out, k_size = weight.shape
    group_in = c_in // spec.groups
    grid = np.indices((n, length, c_in, group_out, k_size)).reshape(5, -1)  # (5, records) in play order
    batch, in_index, in_channel, out_local, tap = grid
    out_channel = (in_channel // group_in) * group_out + out_local
    full_index = in_index * spec.stride + tap * spec.dilation
    out_index = full_index - spec.padding
    kept = (out_index >= 0) & (out_index < spec.output_length(length))
    x_value = x[batch, in_channel, in_index]
    w_value = weight[in_channel, out_local, tap]
    return {"batch": batch, "in_channel": in_channel, "in_index": in_index, "out_channel": out_channel,
            "tap": tap, "full_index": full_index, "out_index": np.where(kept, out_index, -1), "kept": kept,
            "x_value": x_value, "w_value": w_value, "product": x_value * w_value}


def trace(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
          groups: Any = 1, dilation: Any = 1) -> Trace:
    """Run the transposed convolution and record every contribution; validated like ``conv_transpose1d``.

    Example::

        >>> import numpy as np
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> t.output
        array([[  1.,  10., 102.,  20., 200.]])
        >>> [(c.in_index, c.tap, c.product) for c in t.into(0, 2)]
        [(0, 2, np.float64(100.0)), (1, 0, np.float64(2.0))]
    """
    spec, w = spec_from_weight(weight, bias, stride, padding, output_padding, groups, dilation)
    x, batched = check_input(spec, input)
    b = check_bias(spec, bias)
    output = forward(x, w, b, spec)  # (N, C_out, L_out)
    full = forward(x, w, None, replace(spec, padding=0, bias=False))  # (N, C_out, L_full)
    return Trace(spec, x, w, b, batched, full, output if batched else output[0], build_columns(x, w, spec))


def overlap_counts(length: int, kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                   dilation: int = 1) -> np.ndarray:
    """For each output position, how many (in_index, tap) pairs land there: the checkerboard pattern.

    Example::

        >>> overlap_counts(4, kernel_size=3, stride=2)
        array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    """
    spec = ConvSpec(1, 1, kernel_size, stride, padding, output_padding, 1, False, dilation)
    spec.check_length(length)
    full_index = (np.arange(length)[:, None] * stride + np.arange(kernel_size)[None, :] * dilation).ravel()
    counts = np.bincount(full_index, minlength=full_length(length, kernel_size, stride, output_padding, dilation))
    return counts[padding:padding + output_length(length, kernel_size, stride, padding, output_padding, dilation)]
