"""Output length arithmetic of ``nn.ConvTranspose1d`` (stdlib only).

``L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1``
"""
from __future__ import annotations

import math
import numbers

from .errors import ConvSpecError


def full_length(length: int, kernel_size: int, stride: int = 1, output_padding: int = 0,
                dilation: int = 1) -> int:
    """Length of the uncropped buffer every tap scatters into, before padding crops it.

    Example::

        >>> full_length(6, kernel_size=3, stride=2)
        13
    """
    return (length - 1) * stride + dilation * (kernel_size - 1) + 1 + output_padding


def output_length(length: int, kernel_size: int, stride: int = 1, padding: int = 0,
                  output_padding: int = 0, dilation: int = 1) -> int:
    """Output length of ``nn.ConvTranspose1d`` for an input of ``length`` samples.

    Args:
        length: input length ``L``.
        kernel_size, stride, padding, output_padding, dilation: as in ``nn.ConvTranspose1d``.

    Example::

        >>> output_length(6, kernel_size=3, stride=2, padding=1, output_padding=1)
        12
    """
    return full_length(length, kernel_size, stride, output_padding, dilation) - 2 * padding


def output_size_range(length: int, kernel_size: int, stride: int = 1, padding: int = 0,
                      dilation: int = 1) -> tuple[int, int]:
    """Smallest and largest ``output_size`` that ``forward(input, output_size=...)`` accepts.

    torch's rule: ``output_size`` picks ``output_padding = output_size - smallest`` with
    ``0 <= output_padding <= stride - 1``. Sizes below 1 are never valid.

    Example::

        >>> output_size_range(6, kernel_size=3, stride=2, padding=1)
        (11, 12)
    """
    smallest = output_length(length, kernel_size, stride, padding, 0, dilation)
    largest = smallest + stride - 1
    if largest < 1:
        raise ConvSpecError(
            f"output_size: no valid output size for length={length}, kernel_size={kernel_size}, "
            f"stride={stride}, padding={padding}, dilation={dilation} (the largest, {largest}, is below 1); "
            f"reduce padding or use a longer input")
    return max(smallest, 1), largest


def conv1d_length(length: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of ``nn.Conv1d``: ``⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1``.

    The Conv1d with the same arguments maps every length in :func:`output_size_range` back to ``length``.

    Raises:
        ConvSpecError: for an argument that is not a whole number in range, or an input shorter than the
            dilated kernel (torch: "Calculated output size ... is too small").

    Example::

        >>> [conv1d_length(size, kernel_size=3, stride=2, padding=1) for size in output_size_range(6, 3, 2, 1)]
        [6, 6]
    """
    checked: list[int] = []
    for name, value, minimum in (("length", length, 1), ("kernel_size", kernel_size, 1), ("stride", stride, 1),
                                 ("padding", padding, 0), ("dilation", dilation, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            hint = int(value) if isinstance(value, float) and math.isfinite(value) else minimum
            raise ConvSpecError(f"{name}={value!r} must be a whole number (an int, not {type(value).__name__}); "
                                f"use {name}={max(minimum, hint)}")
        if value < minimum:
            raise ConvSpecError(f"{name}={value} must be {'positive' if minimum else 'zero or more'}; "
                                f"use {name}>={minimum}")
        checked.append(int(value))
    length, kernel_size, stride, padding, dilation = checked
    span = dilation * (kernel_size - 1) + 1
    if length + 2 * padding < span:
        raise ConvSpecError(f"length={length}: Conv1d needs the padded input (length + 2·padding = "
                            f"{length + 2 * padding}) to be at least as long as the dilated kernel "
                            f"(dilation·(kernel_size − 1) + 1 = {span}); use a longer input or more padding")
    return (length + 2 * padding - span) // stride + 1
