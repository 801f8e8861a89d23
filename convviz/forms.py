"""Equivalent formulations of the transposed convolution, each equal to the engine's output.

- :func:`gather`: insert ``stride - 1`` zeros between the input samples, pad (or crop), and slide the
  flipped, channel-swapped, dilated kernel over it as an ordinary (direct) convolution.
- :func:`matrix`: the ``(C_out·L_out, C_in·L)`` matrix of the linear map, read off the trace's columns.
  Its transpose is the matrix of ``conv1d`` with the same weight: transposed convolution is the adjoint.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .spec import ConvSpec, check_bias, check_input, spec_from_weight
from .trace import Trace, build_columns


@dataclass(frozen=True, eq=False)
class Gather:
    """The gather (direct convolution) view of one transposed convolution.

    Output position ``j`` reads the window ``upsampled[..., j + k·dilation]`` for ``k = 0..K-1`` and takes
    the dot product with ``kernel[o, c_local, k]`` over the input channels of ``o``'s group.

    Attributes:
        spec: the validated arguments.
        batched: whether the input was 3-D.
        output: equal to ``conv_transpose1d(...)``: ``(C_out, L_out)`` or ``(N, C_out, L_out)``.
        upsampled: the zero-inserted, padded (or cropped) input: ``(C_in, L_up)`` or ``(N, C_in, L_up)`` with
            ``L_up = L_out + dilation·(K - 1)``.
        kernel: the flipped, channel-swapped kernel ``(C_out, C_in/groups, K)`` (conv1d's weight layout):
            ``kernel[o, c_local, k] = weight[g·C_in/groups + c_local, o_local, K - 1 - k]``.
        source_index: ``(L_up,)`` the input index at each upsampled position, -1 for an inserted or padded zero.
        left_pad: zeros added on the left, ``dilation·(K - 1) - padding`` (negative: that many cells cropped).
        right_pad: zeros added on the right, ``dilation·(K - 1) - padding + output_padding`` (negative: cropped).
    """

    spec: ConvSpec
    batched: bool
    output: np.ndarray
    upsampled: np.ndarray
    kernel: np.ndarray
    source_index: np.ndarray
    left_pad: int
    right_pad: int

    @property
    def zeros_inserted(self) -> int:
        """Zeros between neighbouring input samples: ``stride - 1``."""
        return self.spec.stride - 1

    @property
    def window_start(self) -> np.ndarray:
        """``(L_out,)``: the upsampled position where output ``j``'s window starts (it is ``j``)."""
        return np.arange(self.output.shape[-1])

    @property
    def window_span(self) -> int:
        """Upsampled positions one window covers: ``dilation·(K - 1) + 1``."""
        return self.spec.dilation * (self.spec.kernel_size - 1) + 1

    def window(self, out_index: int) -> np.ndarray:
        """``(K,)``: the upsampled positions output ``out_index`` reads, tap by tap of ``kernel``."""
        return out_index + np.arange(self.spec.kernel_size) * self.spec.dilation

    @property
    def dilated_kernel(self) -> np.ndarray:
        """``(C_out, C_in/groups, dilation·(K - 1) + 1)``: ``kernel`` with ``dilation - 1`` zeros between taps."""
        c_out, c_local, k_size = self.kernel.shape
        dilated = np.zeros((c_out, c_local, self.window_span), dtype=self.kernel.dtype)
        dilated[:, :, ::self.spec.dilation] = self.kernel
        return dilated


def flipped_kernel(weight: np.ndarray, groups: int) -> np.ndarray:
    """Swap the channel axes per group and reverse the taps: ``(C_in, C_out/g, K)`` → ``(C_out, C_in/g, K)``.

    Example::

        >>> flipped_kernel(np.arange(6.0).reshape(1, 2, 3), groups=1)
        array([[[2., 1., 0.]],
        <BLANKLINE>
               [[5., 4., 3.]]])
    """
    c_in, group_out, k_size = weight.shape
    group_in = c_in // groups
    per_group = weight.reshape(groups, group_in, group_out, k_size).transpose(0, 2, 1, 3)  # (g, C_og, C_ig, K)
    return per_group.reshape(groups * group_out, group_in, k_size)[:, :, ::-1].copy()  # (C_out, C_ig, K)


def upsample(x: np.ndarray, spec: ConvSpec) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Zero-insert, then pad (or crop) both ends: returns ``(upsampled, source_index, left_pad, right_pad)``.

    Shape: x ``(N, C_in, L)`` → ``(N, C_in, L_out + dilation·(K - 1))``.
    """
    n, c_in, length = x.shape
    reach = spec.dilation * (spec.kernel_size - 1)
    left, right = reach - spec.padding, reach - spec.padding + spec.output_padding
    stretched = (length - 1) * spec.stride + 1
    source = np.full(stretched, -1, dtype=np.int64)
    source[::spec.stride] = np.arange(length)
    zero_inserted = np.zeros((n, c_in, stretched), dtype=x.dtype)
    zero_inserted[:, :, ::spec.stride] = x  # (N, C_in, (L-1)·stride + 1)
    pad = [(0, 0), (0, 0), (max(left, 0), max(right, 0))]
    crop = slice(max(-left, 0), stretched + max(left, 0) - max(-right, 0) if right < 0 else None)
    upsampled = np.pad(zero_inserted, pad)[:, :, crop]  # (N, C_in, L_up)
    source = np.pad(source, pad[2], constant_values=-1)[crop]
    return upsampled, source, left, right


def gather(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
           groups: Any = 1, dilation: Any = 1) -> Gather:
    """The transposed convolution as a direct convolution over the zero-inserted, padded input.

    Computed independently of the engine (sliding windows and one contraction per group); validated like
    ``conv_transpose1d``.

    Args:
        input, weight, bias, stride, padding, output_padding, groups, dilation: as for
            :func:`convviz.conv_transpose1d`.

    Shape:
        input ``(C_in, L)`` or ``(N, C_in, L)`` → ``output`` ``(C_out, L_out)`` or ``(N, C_out, L_out)``;
        ``upsampled`` ``(C_in, L_out + dilation·(K - 1))`` (with the batch axis if the input has one).

    Example::

        >>> import numpy as np
        >>> g = gather(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> g.upsampled
        array([[0., 0., 1., 0., 2., 0., 0.]])
        >>> g.kernel
        array([[[100.,  10.,   1.]]])
        >>> g.output
        array([[  1.,  10., 102.,  20., 200.]])
    """
    spec, w = spec_from_weight(weight, bias, stride, padding, output_padding, groups, dilation)
    x, batched = check_input(spec, input)
    b = check_bias(spec, bias)
    upsampled, source, left, right = upsample(x, spec)  # (N, C_in, L_up)
    kernel = flipped_kernel(w, spec.groups)  # (C_out, C_ig, K)
    span = spec.dilation * (spec.kernel_size - 1) + 1
    windows = sliding_window_view(upsampled, span, axis=2)[..., ::spec.dilation]  # (N, C_in, L_out, K)
    n, c_in, l_out, _ = windows.shape
    groups_ = spec.groups
    windows = windows.reshape(n, groups_, c_in // groups_, l_out, spec.kernel_size)  # (N, g, C_ig, L_out, K)
    kernels = kernel.reshape(groups_, spec.out_channels // groups_, c_in // groups_, spec.kernel_size)
    y = np.einsum("ngclk,gock->ngol", windows, kernels).reshape(n, spec.out_channels, l_out)  # (N, C_out, L_out)
    if b is not None:
        y = y + b[:, None]
    y = y.astype(spec.np_dtype, copy=False)
    return Gather(spec, batched, y if batched else y[0], upsampled if batched else upsampled[0], kernel, source,
                  left, right)


def matrix(weight: Any, length: int, stride: Any = 1, padding: Any = 0, output_padding: Any = 0, groups: Any = 1,
           dilation: Any = 1) -> np.ndarray:
    """The matrix ``M`` with ``y.ravel() = M @ x.ravel() + b`` for one sample ``x`` of shape ``(C_in, length)``.

    Read off the trace's columns: each kept record puts its weight at row ``out_channel·L_out + out_index``,
    column ``in_channel·L + in_index`` (at most one tap links an input and an output position).

    Args:
        weight: ``(C_in, C_out/groups, K)``.
        length: input length ``L``; the rest as in ``conv_transpose1d``.

    Shape:
        ``(C_out·L_out, C_in·L)`` of the weight's dtype. Its transpose is the matrix of ``conv1d`` with the same
        weight, stride, padding, dilation and groups.

    Example::

        >>> matrix(np.array([[[1.0, 10.0, 100.0]]]), length=2, stride=2)
        array([[  1.,   0.],
               [ 10.,   0.],
               [100.,   1.],
               [  0.,  10.],
               [  0., 100.]])
    """
    spec, w = spec_from_weight(weight, None, stride, padding, output_padding, groups, dilation)
    spec.check_length(length)
    return matrix_from_columns(build_columns(np.zeros((1, spec.in_channels, length), dtype=w.dtype), w, spec),
                               spec, length)


def matrix_from_columns(columns: dict[str, np.ndarray], spec: ConvSpec, length: int) -> np.ndarray:
    """The matrix of one sample's trace columns (only the rows of batch 0 are read)."""
    kept = columns["kept"] & (columns["batch"] == 0)
    l_out = spec.output_length(length)
    rows = columns["out_channel"][kept] * l_out + columns["out_index"][kept]
    cols = columns["in_channel"][kept] * length + columns["in_index"][kept]
    m = np.zeros((spec.out_channels * l_out, spec.in_channels * length), dtype=columns["w_value"].dtype)
    m[rows, cols] = columns["w_value"][kept]  # (C_out·L_out, C_in·L)
    return m


def matrix_for(trace: Trace) -> np.ndarray:
    """:func:`matrix` of a traced convolution, read off that trace's own columns.

    Example::

        >>> from convviz.trace import trace
        >>> t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> (matrix_for(t) @ t.input[0].ravel()).tolist()
        [1.0, 10.0, 102.0, 20.0, 200.0]
    """
    per_sample = trace.length * trace.spec.in_channels * trace.records_per_element  # batch 0 comes first
    return matrix_from_columns({name: column[:per_sample] for name, column in trace.columns.items()}, trace.spec,
                               trace.length)


def gather_for(trace: Trace) -> Gather:
    """:func:`gather` of a traced convolution (same input, weight, bias and arguments; batched like it)."""
    s = trace.spec
    return gather(trace.input if trace.batched else trace.input[0], trace.weight, trace.bias, s.stride, s.padding,
                  s.output_padding, s.groups, s.dilation)
