"""``conv_transpose1d`` in NumPy, with the semantics, shapes and dtypes of torch's.

Each input element ``x[n, c, i]`` scatters ``x · w[c, o, k]`` to full position ``i·stride + k·dilation``;
the output is the full buffer cropped to ``[padding : padding + L_out]``, plus bias.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .spec import ConvSpec, check_bias, check_input, spec_from_weight


def scatter_full(x: np.ndarray, weight: np.ndarray, spec: ConvSpec, out: np.ndarray | None = None,
                 offset: int = 0) -> np.ndarray:
    """Scatter every tap of a real input into a buffer: one GEMM per group, then one strided add per tap.

    ``out`` defaults to the full (uncropped) buffer; pass a cropped view with ``offset=-padding`` to write the
    output directly (taps landing outside ``out`` are dropped).

    Shape:
        x: ``(N, C_in, L)``; weight: ``(C_in, C_out // groups, K)``; returns ``(N, C_out, L_full)`` or ``out``.
    """
    n, c_in, length = x.shape
    group_in, group_out, k_size = weight.shape[0] // spec.groups, weight.shape[1], weight.shape[2]
    if out is None:
        out = np.zeros((n, spec.out_channels, spec.full_length(length)), dtype=x.dtype)
    stride, size = spec.stride, out.shape[2]
    for g in range(spec.groups):
        taps = weight[g * group_in:(g + 1) * group_in].reshape(group_in, group_out * k_size).T  # (C_og·K, C_ig)
        cols = np.matmul(taps, x[:, g * group_in:(g + 1) * group_in])  # (N, C_og·K, L)
        cols = cols.reshape(n, group_out, k_size, length)  # (N, C_og, K, L)
        target = out[:, g * group_out:(g + 1) * group_out]  # (N, C_og, L_out)
        for tap in range(k_size):
            start = tap * spec.dilation + offset  # where input 0 lands, in out's coordinates
            first = max(0, -(-(-start) // stride))  # first input index landing at >= 0
            last = min(length, (size - 1 - start) // stride + 1) if size - 1 >= start else 0
            if last > first:
                begin = start + first * stride
                target[:, :, begin:begin + (last - first - 1) * stride + 1:stride] += cols[:, :, tap, first:last]
    return out


def _real_forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, spec: ConvSpec) -> np.ndarray:
    n, _, length = x.shape
    y = np.zeros((n, spec.out_channels, spec.output_length(length)), dtype=x.dtype)  # (N, C_out, L_out)
    scatter_full(x, weight, spec, out=y, offset=-spec.padding)
    if bias is not None:
        y += bias[:, None]
    return y


def forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, spec: ConvSpec) -> np.ndarray:
    """Transposed convolution of validated arrays; complex inputs use torch's three real convolutions
    (Gauss's trick) so results agree with torch's closely.

    Shape: x ``(N, C_in, L)`` → ``(N, C_out, L_out)``.
    """
    if not np.iscomplexobj(x):
        return _real_forward(x, weight, bias, spec)
    xr, xi, wr, wi = x.real, x.imag, weight.real, weight.imag
    a = _real_forward(xr, wr, None if bias is None else bias.real, spec)
    b = _real_forward(xi, wi, None, spec)
    c = _real_forward(xr + xi, wr + wi, None if bias is None else bias.real + bias.imag, spec)
    y = np.empty(a.shape, dtype=x.dtype)
    y.real = a - b
    y.imag = c - a - b
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
    x, batched = check_input(spec, input)
    spec = spec.with_output_size(x.shape[2], output_size)
    spec.check_length(x.shape[2])
    y = forward(x, w, check_bias(spec, bias), spec)  # (N, C_out, L_out)
    return y if batched else y[0]
