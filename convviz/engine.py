"""``conv_transpose1d`` in NumPy, with the semantics, shapes and dtypes of torch's.

Each input element ``x[n, c, i]`` scatters ``x · w[c, o, k]`` to full position ``i·stride + k·dilation``;
the output is the full buffer cropped to ``[padding : padding + L_out]``, plus bias.

Two ways to compute the same sums, both "one GEMM, then place the columns":

* big problems: per block of the batch (and of the input length, if need be), one GEMM per group fills a
  bounded ``(C_out·K, L)`` column buffer, then one strided add per tap places it (``scatter_full``);
* tiny problems, where NumPy's per-call overhead is the whole cost: one batched GEMM for all groups, then one
  GEMM with a cached 0/1 placement matrix does every tap's placement at once.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from .spec import ConvSpec, check_bias, check_input, spec_from_weight

BLOCK = 1 << 21  # elements of the column buffer (8 MiB of float32: it stays in L3; whole rows keep adds fast)
SMALL = 1 << 18  # multiply-adds of the placement GEMM below which the tiny-problem path is used


def scatter_full(x: np.ndarray, weight: np.ndarray, spec: ConvSpec, out: np.ndarray | None = None,
                 offset: int = 0) -> np.ndarray:
    """Scatter every tap of a real input into a buffer: a GEMM per block and group, then a strided add per tap.

    ``out`` defaults to the full (uncropped) buffer of zeros; pass a cropped view with ``offset=-padding`` to
    write the output directly (taps landing outside ``out`` are dropped). Taps are added onto what ``out``
    holds, so it may start from the bias.

    Shape:
        x: ``(N, C_in, L)``; weight: ``(C_in, C_out // groups, K)``; returns ``(N, C_out, L_full)`` or ``out``.
    """
    n, c_in, length = x.shape
    groups, k_size, stride, dilation = spec.groups, weight.shape[2], spec.stride, spec.dilation
    group_in, group_out = c_in // groups, weight.shape[1]
    rows = group_out * k_size
    if out is None:
        out = np.zeros((n, spec.out_channels, spec.full_length(length)), dtype=x.dtype)
    size = out.shape[2]
    taps = weight.reshape(groups, group_in, rows).transpose(0, 2, 1).copy()  # (G, C_og·K, C_ig)
    budget = min(BLOCK, out.size)  # column buffer: bounded, and no bigger than the output
    span = min(length, max(1, budget // rows))  # input positions per block
    items = max(1, min(n, budget // (rows * span)))  # batch items per block
    buffer = np.empty(items * rows * span, dtype=x.dtype)
    for n0 in range(0, n, items):
        n1 = min(n, n0 + items)
        for i0 in range(0, length, span):
            i1 = min(length, i0 + span)
            cols = buffer[:(n1 - n0) * rows * (i1 - i0)].reshape(n1 - n0, rows, i1 - i0)  # (n, C_og·K, i)
            for g in range(groups):
                np.matmul(taps[g], x[n0:n1, g * group_in:(g + 1) * group_in, i0:i1], out=cols)
                by_tap = cols.reshape(n1 - n0, group_out, k_size, i1 - i0)  # (n, C_og, K, i)
                target = out[n0:n1, g * group_out:(g + 1) * group_out]  # (n, C_og, size)
                for tap in range(k_size):
                    start = i0 * stride + tap * dilation + offset  # where input i0 lands, in out's coordinates
                    first = max(0, -(start // stride))  # first block index landing at >= 0
                    last = min(i1 - i0, (size - 1 - start) // stride + 1) if size > start else 0
                    if last > first:
                        begin = start + first * stride
                        target[:, :, begin:begin + (last - first - 1) * stride + 1:stride] += by_tap[:, :, tap,
                                                                                                     first:last]
    return out


@lru_cache(maxsize=64)
def _placement(length: int, k_size: int, stride: int, dilation: int, offset: int, size: int,
               dtype: np.dtype) -> np.ndarray:
    """``(K·L, size)`` 0/1 matrix: row ``tap·L + i`` has a 1 at ``i·stride + tap·dilation + offset`` if inside."""
    tap, index = np.divmod(np.arange(k_size * length), length)
    column = index * stride + tap * dilation + offset
    keep = (column >= 0) & (column < size)
    placement = np.zeros((k_size * length, size), dtype=dtype)
    placement[np.flatnonzero(keep), column[keep]] = 1
    placement.flags.writeable = False
    return placement


def _place_small(x: np.ndarray, weight: np.ndarray, spec: ConvSpec, size: int) -> np.ndarray | None:
    """The cropped output of a tiny problem by two GEMMs, or None if a column is not finite."""
    n, c_in, length = x.shape
    groups, k_size = spec.groups, spec.kernel_size
    if groups == 1:
        cols = weight.reshape(c_in, -1).T @ x  # (N, C_out·K, L)
    else:
        taps = weight.reshape(groups, c_in // groups, -1).transpose(0, 2, 1)  # (G, C_og·K, C_ig)
        cols = taps @ x.reshape(n, groups, c_in // groups, length)  # (N, G, C_og·K, L)
    # An inf times a 0 of the placement would give NaN where torch has none: leave non-finite columns to
    # scattering. (Their sum of squares is finite only if every column is; if it overflows, scattering is
    # merely slower. It is cheaper to ask for than np.isfinite(cols).all().)
    if not math.isfinite(np.vdot(cols, cols)):
        return None
    placement = _placement(length, k_size, spec.stride, spec.dilation, -spec.padding, size, x.dtype)
    return cols.reshape(n, spec.out_channels, k_size * length) @ placement  # (N, C_out, L_out)


def _real_forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, spec: ConvSpec) -> np.ndarray:
    n, _, length = x.shape
    size = spec.output_length(length)
    if n * spec.out_channels * spec.kernel_size * length * size <= SMALL:
        y = _place_small(x, weight, spec, size)
        if y is not None:
            if bias is not None:
                y += bias[:, None]
            return y
    if bias is None:
        y = np.zeros((n, spec.out_channels, size), dtype=x.dtype)  # (N, C_out, L_out)
    else:
        y = np.empty((n, spec.out_channels, size), dtype=x.dtype)
        y[...] = bias[:, None]  # start from the bias: saves a pass over the output
    return scatter_full(x, weight, spec, out=y, offset=-spec.padding)


def forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, spec: ConvSpec) -> np.ndarray:
    """Transposed convolution of validated arrays; complex inputs use torch's three real convolutions
    (Gauss's trick) so results agree with torch's closely.

    Shape: x ``(N, C_in, L)`` → ``(N, C_out, L_out)``.
    """
    if x.dtype.kind != "c":
        return _real_forward(x, weight, bias, spec)
    xr, xi, wr, wi = x.real, x.imag, weight.real, weight.imag
    a = _real_forward(xr, wr, None if bias is None else bias.real, spec)  # (N, C_out, L_out) real
    b = _real_forward(xi, wi, None, spec)
    c = _real_forward(xr + xi, wr + wi, None if bias is None else bias.real + bias.imag, spec)
    y = np.empty(a.shape, dtype=x.dtype)
    np.subtract(a, b, out=y.real)
    np.subtract(c, a, out=c)
    np.subtract(c, b, out=y.imag)  # (c - a) - b, in torch's order
    return y


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: Any = 1, dilation: Any = 1,
                     output_size: Any = None) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Args:
        input: ``(C_in, L)`` or ``(N, C_in, L)`` array of float32, float64, complex64 or complex128.
        weight: ``(C_in, C_out // groups, K)`` array of the input's dtype.
        bias: ``(C_out,)`` array or None.
        stride, padding, output_padding, groups, dilation: ints or 1-element tuples, as in torch.
        output_size: optional wanted output length (``L``, ``(L,)`` or a full shape); it picks
            ``output_padding`` as ``nn.ConvTranspose1d.forward`` does.

    Shape:
        ``(C_in, L)`` → ``(C_out, L_out)``; ``(N, C_in, L)`` → ``(N, C_out, L_out)`` with
        ``L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1``.

    Raises:
        ConvSpecError: for any argument torch would reject, with the rule and the fix.

    Example::

        >>> import numpy as np
        >>> x = np.array([[1.0, 2.0]], dtype=np.float32)
        >>> w = np.array([[[1.0, 10.0, 100.0]]], dtype=np.float32)
        >>> conv_transpose1d(x, w, stride=2)
        array([[  1.,  10., 102.,  20., 200.]], dtype=float32)
    """
    spec, w = spec_from_weight(weight, bias, stride, padding, output_padding, groups, dilation)
    x, batched = check_input(spec, input, output_size=output_size)
    spec = spec.with_output_size(x.shape[2], output_size, batched=batched)
    y = forward(x, w, check_bias(spec, bias), spec)  # (N, C_out, L_out)
    return y if batched else y[0]
