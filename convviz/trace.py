"""The contribution trace: one record per (batch, in_channel, in_index, out_channel, tap).

Every view reads this one dependency map, so the animation, the worksheet and the matrix cannot disagree
with the numbers. Records are kept in a vectorised column form; ``Contribution`` objects derive from it.

Records are laid out on the grid ``(N, L, C_in, C_out/groups, K)`` in C order, which is the order the
animation plays: batch, then in_index, then in_channel, then out_channel, then tap. So the row of a record
is plain arithmetic (see :meth:`Trace.row`) and the queries never scan the columns.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from .engine import forward
from .errors import ConvSpecError
from .shapes import output_length
from .spec import ConvSpec, check_bias, check_input, spec_from_weight

COLUMNS = ("batch", "in_channel", "in_index", "out_channel", "tap", "full_index", "out_index")
VALUE_COLUMNS = ("x_value", "w_value", "product")


class Contribution(NamedTuple):
    """``x[batch, in_channel, in_index] · w[in_channel, out_channel % (C_out/groups), tap] = product``,
    landing at ``full_index = in_index·stride + tap·dilation`` and at ``out_index = full_index - padding``
    (None where padding crops it away). Values are Python numbers (float, or complex for complex dtypes)."""

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


def check_index(name: str, value: Any, size: int, what: str) -> int:
    """``value`` as an int in ``[0, size)``, or a ConvSpecError naming ``name``, the range and the fix."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ConvSpecError(f"{name}={value!r} must be a whole number (an index); use {name}=0")
    value = int(value)
    if not 0 <= value < size:
        raise ConvSpecError(f"{name}={value} is out of range: {what} has {size} position{'s' * (size != 1)} "
                            f"(0 to {size - 1}); use {name} between 0 and {size - 1}")
    return value


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything one transposed convolution did, in the order the animation plays it.

    Attributes:
        spec: the validated arguments.
        input: ``(N, C_in, L)`` (N = 1 for unbatched input); weight ``(C_in, C_out/groups, K)``; bias or None.
        batched: whether the input was 3-D (then torch returns a 3-D output; see ``torch_output``).
        full: ``(N, C_out, L_full)`` uncropped buffer before bias.
        output: ``(N, C_out, L_out)``, bias included, equal to ``conv_transpose1d(...)`` (N = 1 for unbatched
            input; ``torch_output`` has torch's shape).
        columns: dict of 1-D arrays, one entry per record: the ints of ``COLUMNS`` (int64; ``out_index`` is
            -1 where cropped), plus ``x_value``, ``w_value``, ``product`` (the input's dtype) and the bool
            ``kept`` (the record lands inside the output).
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
        """Input length ``L``."""
        return int(self.input.shape[2])

    @property
    def batch_size(self) -> int:
        """``N`` (1 for unbatched input)."""
        return int(self.input.shape[0])

    @property
    def output_length(self) -> int:
        return self.spec.output_length(self.length)

    @property
    def full_length(self) -> int:
        return self.spec.full_length(self.length)

    @property
    def records_per_element(self) -> int:
        """Records per input element: ``C_out/groups · K`` (one per out_channel of its group and tap)."""
        return self.spec.weight_shape[1] * self.spec.kernel_size

    @property
    def steps_per_batch(self) -> int:
        """Animation steps per sample: one per input element (in_index, then in_channel)."""
        return self.length * self.spec.in_channels

    def step_element(self, step: int) -> tuple[int, int]:
        """``(in_channel, in_index)`` of animation step ``step`` within a sample."""
        in_index, in_channel = divmod(step, self.spec.in_channels)
        return in_channel, in_index

    def step_rows(self, step: int, batch: int = 0) -> np.ndarray:
        """Row numbers of animation step ``step`` of sample ``batch`` (the taps of one input element)."""
        step = check_index("step", step, self.steps_per_batch, "one sample's animation")
        batch = check_index("batch", batch, self.batch_size, "the batch")
        start = (batch * self.steps_per_batch + step) * self.records_per_element
        return np.arange(start, start + self.records_per_element)

    def running_sums(self, step: int, batch: int = 0) -> np.ndarray:
        """The full buffer of sample ``batch`` after animation steps ``0 … step`` (before bias; ``step=-1``:
        nothing has landed yet). Shape ``(C_out, L_full)``.

        Example::

            >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
            >>> t.running_sums(0).tolist(), t.running_sums(1).tolist()
            ([[1.0, 10.0, 100.0, 0.0, 0.0]], [[1.0, 10.0, 102.0, 20.0, 200.0]])
        """
        if step != -1:
            step = check_index("step", step, self.steps_per_batch, "one sample's animation")
        batch = check_index("batch", batch, self.batch_size, "the batch")
        start = batch * self.steps_per_batch * self.records_per_element
        rows = slice(start, start + (step + 1) * self.records_per_element)  # steps are contiguous in play order
        c = self.columns
        sums = np.zeros((self.spec.out_channels, self.full_length), dtype=c["product"].dtype)  # (C_out, L_full)
        np.add.at(sums, (c["out_channel"][rows], c["full_index"][rows]), c["product"][rows])
        return sums

    def sample_rows(self, batch: int = 0) -> slice:
        """Rows of sample ``batch`` (its records are contiguous, in play order)."""
        batch = check_index("batch", batch, self.batch_size, "the batch")
        per_sample = self.steps_per_batch * self.records_per_element
        return slice(batch * per_sample, (batch + 1) * per_sample)

    @property
    def torch_output(self) -> np.ndarray:
        """The output as torch returns it: ``(N, C_out, L_out)`` for batched input, ``(C_out, L_out)`` for
        unbatched (``output[0]``)."""
        return self.output if self.batched else self.output[0]

    def output_index(self, full_index: Any) -> np.ndarray:
        """The output index of full positions ``full_index``, -1 where padding crops them away.

        Example::

            >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2, padding=1)
            >>> t.output_index(np.arange(5)).tolist()
            [-1, 0, 1, 2, -1]
        """
        return crop_index(np.asarray(full_index), self.spec.padding, self.output_length)

    def landing(self, in_index: int) -> np.ndarray:
        """``(K,)``: the full positions the taps of input position ``in_index`` land on, tap by tap (read off
        its records: ``in_index·stride + tap·dilation``)."""
        rows = self.step_rows(in_index * self.spec.in_channels)[:self.spec.kernel_size]  # out_channel 0's taps
        return self.columns["full_index"][rows]

    def final(self, batch: int = 0) -> np.ndarray:
        """The full buffer of sample ``batch`` as the result shows it: the output (bias included) on the kept
        cells, the sums on the cells padding crops. Shape ``(C_out, L_full)``."""
        shown = self.full[check_index("batch", batch, self.batch_size, "the batch")].copy()
        kept = self.output_index(np.arange(self.full_length)) >= 0
        shown[:, kept] = self.output[batch]
        return shown

    def adds(self, start: int, stop: int, batch: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """What animation steps ``[start, stop)`` of one input position add, by out-channel and tap (tap ``k``
        lands on ``landing(i)[k]``), and where anything landed. Shapes ``(C_out, K)``, ``(C_out, K)`` bool.

        Example::

            >>> t = trace(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[[1.0, 10.0]], [[100.0, 1000.0]]]))
            >>> t.adds(2, 4)[0].tolist()  # position 1: 2·w[0] + 4·w[1]
            [[402.0, 4020.0]]
        """
        if stop <= start or self.step_element(start)[1] != self.step_element(stop - 1)[1]:
            raise ConvSpecError(f"steps {start} to {stop - 1} are not of one input position; "
                                f"use steps of one in_index (in_index·{self.spec.in_channels} onwards)")
        rows = slice(self.step_rows(start, batch)[0], self.step_rows(stop - 1, batch)[-1] + 1)
        c = self.columns
        shape = (self.spec.out_channels, self.spec.kernel_size)
        sums, landed = np.zeros(shape, dtype=c["product"].dtype), np.zeros(shape, dtype=bool)
        np.add.at(sums, (c["out_channel"][rows], c["tap"][rows]), c["product"][rows])
        landed[c["out_channel"][rows], c["tap"][rows]] = True
        return sums, landed

    def position_adds(self, batch: int = 0) -> np.ndarray:
        """What each input position adds (all its in-channels), by out-channel and tap: ``A[i, o, k]`` lands on
        full position ``landing(i)[k]`` of out-channel ``o``. Shape ``(L, C_out, K)``."""
        spec = self.spec
        groups, group_out, k_size = spec.groups, spec.weight_shape[1], spec.kernel_size
        products = self.columns["product"][self.sample_rows(batch)]  # (L·C_in·C_og·K,) in play order
        per_group = products.reshape(self.length, groups, spec.in_channels // groups, group_out, k_size)
        return per_group.sum(axis=2).reshape(self.length, spec.out_channels, k_size)  # (L, C_out, K)

    def window_before(self, batch: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """What earlier input positions have added to the window of position ``i`` before it plays: ``P[i, o, e]``
        at full position ``landing(i)[0] + e``, and ``T[i, e]`` whether any earlier position reached it.
        Shapes ``(L, C_out, E)`` and ``(L, E)``, ``E = dilation·(K-1) + 1``."""
        spec, length, adds = self.spec, self.length, self.position_adds(batch)
        offsets = (self.landing(0) - self.landing(0)[0]).tolist()  # (K,) where each tap lands in the window
        window = offsets[-1] + 1
        sums = np.zeros((length, spec.out_channels, window), dtype=adds.dtype)
        touched = np.zeros((length, window), dtype=bool)
        for k, offset in enumerate(offsets):
            for m in range(1, min(offset // spec.stride, length - 1) + 1):  # position i - m: tap k at i's window e
                e = offset - m * spec.stride
                sums[m:, :, e] += adds[:length - m, :, k]
                touched[m:, e] = True
        return sums, touched

    def tap_sources(self) -> np.ndarray:
        """``S[k, j]``: the input position whose tap ``k`` lands on output ``j``, -1 where none does (from the kept
        records of in-channel 0 and its first out-channel). Shape ``(K, L_out)``."""
        k_size, per_position = self.spec.kernel_size, self.spec.in_channels * self.records_per_element
        rows = (np.arange(self.length)[:, None] * per_position + np.arange(k_size)).ravel()  # sample 0, c 0, o 0
        c = self.columns
        kept = rows[c["kept"][rows]]
        sources = np.full((k_size, self.output_length), -1, dtype=np.int64)
        sources[c["tap"][kept], c["out_index"][kept]] = c["in_index"][kept]
        return sources

    def overlap_counts(self) -> np.ndarray:
        """For each output position, how many (in_index, tap) pairs land there. Shape ``(L_out,)``."""
        return (self.tap_sources() >= 0).sum(axis=0)

    def row(self, batch: int, in_channel: int, in_index: int, out_channel: int, tap: int) -> int:
        """Row number of one record (no checks): C-order position on the grid ``(N, L, C_in, C_og, K)``."""
        group_out = self.spec.weight_shape[1]
        element = (batch * self.length + in_index) * self.spec.in_channels + in_channel
        return (element * group_out + out_channel % group_out) * self.spec.kernel_size + tap

    @cached_property
    def contributions(self) -> list[Contribution]:
        """All records, in order: batch, in_index, in_channel, out_channel, tap."""
        return self.records(slice(None))

    def records(self, rows: Any) -> list[Contribution]:
        """The records at ``rows`` (row numbers, a mask or a slice) as ``Contribution`` objects."""
        c = self.columns
        ints = [c[name][rows].tolist() for name in COLUMNS[:-1]]
        out_index = [o if o >= 0 else None for o in c["out_index"][rows].tolist()]
        values = [c[name][rows].tolist() for name in VALUE_COLUMNS]
        return list(map(Contribution, *ints, out_index, *values))

    def select(self, **where: int) -> np.ndarray:
        """Row numbers of the records whose columns equal the given values, e.g. ``select(batch=0, tap=1)``."""
        mask = np.ones(len(self.columns["tap"]), dtype=bool)
        for name, value in where.items():
            mask &= self.columns[name] == value
        return np.flatnonzero(mask)

    def into_rows(self, out_channel: int, out_index: int, batch: int = 0) -> np.ndarray:
        """Row numbers, in play order, of the records summing into ``output[batch, out_channel, out_index]``."""
        spec = self.spec
        out_channel = check_index("out_channel", out_channel, spec.out_channels, "the output's channel axis")
        out_index = check_index("out_index", out_index, self.output_length, "the output")
        batch = check_index("batch", batch, self.batch_size, "the batch")
        group_in, group_out = spec.in_channels // spec.groups, spec.weight_shape[1]
        tap = np.arange(spec.kernel_size)
        reach = out_index + spec.padding - tap * spec.dilation  # = in_index·stride where a tap lands
        hits = (reach >= 0) & (reach % spec.stride == 0) & (reach < self.length * spec.stride)
        tap, in_index = tap[hits][::-1], reach[hits][::-1] // spec.stride  # ascending in_index
        in_channel = (out_channel // group_out) * group_in + np.arange(group_in)
        element = (batch * self.length + in_index[:, None]) * spec.in_channels + in_channel[None, :]
        rows = (element * group_out + out_channel % group_out) * spec.kernel_size + tap[:, None]  # (taps, C_ig)
        return rows.ravel()

    def from_input_rows(self, in_channel: int, in_index: int, batch: int = 0) -> np.ndarray:
        """Row numbers of the records of input element ``x[batch, in_channel, in_index]``."""
        in_channel = check_index("in_channel", in_channel, self.spec.in_channels, "the input's channel axis")
        in_index = check_index("in_index", in_index, self.length, "the input")
        return self.step_rows(in_index * self.spec.in_channels + in_channel, batch)

    def into(self, out_channel: int, out_index: int, batch: int = 0) -> list[Contribution]:
        """The contributions that sum, with the bias, to ``output[batch, out_channel, out_index]``
        (empty when no tap reaches that cell: then the output there is the bias alone)."""
        return self.records(self.into_rows(out_channel, out_index, batch))

    def from_input(self, in_channel: int, in_index: int, batch: int = 0) -> list[Contribution]:
        """Where the taps of input element ``x[batch, in_channel, in_index]`` land (cropped ones included)."""
        return self.records(self.from_input_rows(in_channel, in_index, batch))


def crop_index(full_index: np.ndarray, padding: int, output_length: int) -> np.ndarray:
    """Output index of each full position: ``full_index - padding``, or -1 where padding crops it away."""
    out_index = full_index - padding
    return np.where((out_index >= 0) & (out_index < output_length), out_index, -1)


def build_columns(x: np.ndarray, weight: np.ndarray, spec: ConvSpec) -> dict[str, np.ndarray]:
    """The column form of the trace, by broadcasting small index tables over the record grid.

    Shape: x ``(N, C_in, L)``; weight ``(C_in, C_og, K)``; every column ``(N·L·C_in·C_og·K,)``.
    """
    n, c_in, length = x.shape
    _, group_out, k_size = weight.shape
    group_in = c_in // spec.groups
    grid = (n, length, c_in, group_out, k_size)  # play order

    def column(table: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        shape = [size if axis in axes else 1 for axis, size in enumerate(grid)]
        return np.broadcast_to(table.reshape(shape), grid).reshape(-1)  # a contiguous copy

    def arange(size: int) -> np.ndarray:
        return np.arange(size, dtype=np.int64)

    full_index = arange(length)[:, None] * spec.stride + arange(k_size)[None, :] * spec.dilation  # (L, K)
    out_index = crop_index(full_index, spec.padding, spec.output_length(length))  # (L, K), -1 where cropped
    kept = out_index >= 0
    out_channel = (arange(c_in)[:, None] // group_in) * group_out + arange(group_out)[None, :]  # (C_in, C_og)
    x_value = x.transpose(0, 2, 1)[:, :, :, None, None]  # (N, L, C_in, 1, 1)
    return {"batch": column(arange(n), (0,)), "in_channel": column(arange(c_in), (2,)),
            "in_index": column(arange(length), (1,)), "out_channel": column(out_channel, (2, 3)),
            "tap": column(arange(k_size), (4,)), "full_index": column(full_index, (1, 4)),
            "out_index": column(out_index, (1, 4)), "kept": column(kept, (1, 4)),
            "x_value": np.broadcast_to(x_value, grid).reshape(-1),
            "w_value": np.broadcast_to(weight, grid).reshape(-1),
            "product": (x_value * weight).reshape(-1)}  # (N, L, C_in, C_og, K) flattened


def trace(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
          groups: Any = 1, dilation: Any = 1, output_size: Any = None) -> Trace:
    """Run the transposed convolution and record every contribution; validated like ``conv_transpose1d``.

    Args:
        input, weight, bias, stride, padding, output_padding, groups, dilation, output_size: as for
            :func:`convviz.conv_transpose1d` (``output_size`` picks ``output_padding``; ``trace.spec`` then
            holds the chosen one).

    Shape:
        input ``(C_in, L)`` or ``(N, C_in, L)``; ``trace.output`` and ``trace.full`` ``(N, C_out, L_out)`` and
        ``(N, C_out, L_full)``; ``trace.torch_output`` as the engine's; ``N·L·C_in·(C_out/groups)·K`` records.

    Example::

        >>> import numpy as np
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> t.torch_output
        array([[  1.,  10., 102.,  20., 200.]])
        >>> [(c.in_index, c.tap, c.product) for c in t.into(0, 2)]
        [(0, 2, 100.0), (1, 0, 2.0)]
        >>> [c.out_index for c in t.from_input(0, 1)]
        [2, 3, 4]
    """
    spec, w = spec_from_weight(weight, bias, stride, padding, output_padding, groups, dilation)
    x, batched = check_input(spec, input, output_size=output_size)
    spec = spec.with_output_size(x.shape[2], output_size, batched=batched)
    spec.check_length(x.shape[2])
    b = check_bias(spec, bias)
    output = forward(x, w, b, spec)  # (N, C_out, L_out)
    full = forward(x, w, None, replace(spec, padding=0, bias=False))  # (N, C_out, L_full)
    return Trace(spec, x, w, b, batched, full, output, build_columns(x, w, spec))


def overlap_counts(length: int, kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                   dilation: int = 1) -> np.ndarray:
    """For each output position, how many (in_index, tap) pairs land there: the checkerboard pattern.

    Args:
        length: input length ``L``; the rest as in ``nn.ConvTranspose1d``.

    Shape:
        ``(L_out,)`` of int64.

    Example::

        >>> overlap_counts(4, kernel_size=3, stride=2)
        array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    """
    spec = ConvSpec(1, 1, kernel_size, stride, padding, output_padding, 1, False, dilation)
    spec.check_length(length)
    records = build_columns(np.zeros((1, 1, length)), np.zeros((1, 1, kernel_size)), spec)  # one per (i, k)
    kept = records["out_index"][records["kept"]]
    return np.bincount(kept, minlength=output_length(length, kernel_size, stride, padding, output_padding, dilation))
