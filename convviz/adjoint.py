"""The Conv1d that a ConvTranspose1d transposes: lengths there and back, and the adjoint identity in numbers.

``conv1d(a, weight)`` here is ``torch.nn.functional.conv1d(a, weight, ...)`` with the transposed convolution's
own weight ``(C_in, C_out/groups, K)``, read as Conv1d's ``(out_channels, in_channels/groups, K)``: it maps the
transposed convolution's output space ``(C_out, L_out)`` back to its input space. It is the plain transpose
(no complex conjugate) of the matrix in :func:`convviz.forms.matrix`, so for every ``a`` and ``b``:

    ⟨conv1d(a, w), b⟩ = ⟨a, conv_transpose1d(b, w)⟩        (⟨u, v⟩ = Σ u·v)

and the gradient of ``conv1d`` with respect to its input, for an upstream gradient ``b``, is
``conv_transpose1d(b, w)`` (see :func:`convviz.torch_check.conv1d_input_gradient`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .engine import conv_transpose1d
from .errors import ConvSpecError
from .shapes import conv1d_length, output_length, output_size_range
from .spec import spec_from_weight


def conv1d(input: Any, weight: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: Any = 1) -> np.ndarray:
    """``torch.nn.functional.conv1d(input, weight, None, stride, padding, dilation, groups)`` in NumPy.

    Args:
        input: ``(C_out, L_out)`` or ``(N, C_out, L_out)``: a signal in the transposed convolution's output space.
        weight: the transposed convolution's weight ``(C_in, C_out/groups, K)``.

    Shape:
        ``(C_in, conv1d_length(L_out, K, stride, padding, dilation))`` (with the batch axis if the input has one).

    Example::

        >>> conv1d(np.array([[1.0, 10.0, 102.0, 20.0, 200.0]]), np.array([[[1.0, 0.0, 0.0]]]), stride=2)
        array([[  1., 102.]])
    """
    spec, w = spec_from_weight(weight, None, stride, padding, 0, groups, dilation)
    a = np.asarray(input)
    if a.dtype.kind not in "iufc" or a.ndim not in (2, 3):
        raise ConvSpecError(f"input of shape {a.shape} must be numbers of shape (C_out, L_out) or (N, C_out, L_out)")
    batched = a.ndim == 3
    a = (a if batched else a[None]).astype(np.result_type(a.dtype, w.dtype), copy=False)  # (N, C_out, L_out)
    if a.shape[1] != spec.out_channels:
        raise ConvSpecError(f"input has {a.shape[1]} channels but this weight reads {spec.out_channels} "
                            f"(weight.shape[1]·groups); give an input of shape ({spec.out_channels}, L_out)")
    length = conv1d_length(a.shape[2], spec.kernel_size, spec.stride, spec.padding, spec.dilation)
    padded = np.pad(a, [(0, 0), (0, 0), (spec.padding, spec.padding)])  # (N, C_out, L_out + 2·padding)
    span = spec.dilation * (spec.kernel_size - 1) + 1
    windows = sliding_window_view(padded, span, axis=2)[:, :, ::spec.stride][:, :, :length, ::spec.dilation]
    n, g = a.shape[0], spec.groups
    windows = windows.reshape(n, g, spec.out_channels // g, length, spec.kernel_size)  # (N, g, C_og, L, K)
    kernels = w.reshape(g, spec.in_channels // g, spec.out_channels // g, spec.kernel_size)  # (g, C_ig, C_og, K)
    out = np.einsum("ngolk,gcok->ngcl", windows, kernels).reshape(n, spec.in_channels, length)  # (N, C_in, L)
    return out if batched else out[0]


@dataclass(frozen=True)
class RoundTrip:
    """One ``output_size`` the transposed convolution can make from ``length``, and where Conv1d takes it back."""

    output_size: int
    output_padding: int
    conv1d_length: int


def round_trip(length: int, kernel_size: int, stride: int = 1, padding: int = 0,
               dilation: int = 1) -> list[RoundTrip]:
    """Every valid ``output_size`` for an input of ``length`` with its ``output_padding``, and the length Conv1d
    with the same arguments gives back: always ``length`` (``output_padding = output_size − smallest`` only adds
    cells that Conv1d's last stride step does not reach), so Conv1d cannot tell them apart; that is why
    ``output_padding`` (or ``output_size``) has to pick one.

    Example::

        >>> [(r.output_size, r.output_padding, r.conv1d_length) for r in round_trip(6, 3, stride=2, padding=1)]
        [(11, 0, 6), (12, 1, 6)]
    """
    low, high = output_size_range(length, kernel_size, stride, padding, dilation)
    smallest = output_length(length, kernel_size, stride, padding, 0, dilation)  # output_padding 0 (may be < 1)
    return [RoundTrip(size, size - smallest, conv1d_length(size, kernel_size, stride, padding, dilation))
            for size in range(low, high + 1)]


@dataclass(frozen=True)
class Adjoint:
    """Both sides of ⟨conv1d(a, w), b⟩ = ⟨a, conv_transpose1d(b, w)⟩ for one ``a`` and ``b``."""

    back: np.ndarray  # conv1d(a, w), cropped to b's length: (C_in, L) or (N, C_in, L)
    forward: np.ndarray  # conv_transpose1d(b, w), no bias: (C_out, L_out) or (N, C_out, L_out)
    left: complex | float  # Σ back · b
    right: complex | float  # Σ a · forward


def adjoint_sides(a: Any, b: Any, weight: Any, stride: int = 1, padding: int = 0, output_padding: int = 0,
                  groups: int = 1, dilation: int = 1) -> Adjoint:
    """The adjoint identity with the numbers filled in (bilinear sums: no complex conjugate on either side).

    Conv1d's output may be one sample longer than ``b`` when ``output_padding >= stride`` (possible when
    ``dilation > stride``); that sample belongs to an input element that does not exist, so it is cropped.

    Example::

        >>> w = np.array([[[1.0, 10.0, 100.0]]])
        >>> s = adjoint_sides(np.array([[1.0, 0, 0, 0, 2]]), np.array([[1.0, 2.0]]), w, stride=2)
        >>> s.left, s.right
        (401.0, 401.0)
    """
    forward = conv_transpose1d(b, weight, None, stride, padding, output_padding, groups, dilation)
    a = np.asarray(a)
    if a.shape != forward.shape:
        raise ConvSpecError(f"a has shape {a.shape} but the transposed convolution's output has shape "
                            f"{forward.shape}; give a of that shape")
    b = np.asarray(b)
    back = conv1d(a, weight, stride, padding, dilation, groups)[..., :b.shape[-1]]
    wide = np.complex128 if np.iscomplexobj(forward) else np.float64  # sum in double precision
    left, right = np.sum(back.astype(wide) * b), np.sum(a.astype(wide) * forward)
    return Adjoint(back, forward, left.item(), right.item())
