"""Output length arithmetic of ``nn.ConvTranspose1d`` (stdlib only).

``L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1``
"""
from __future__ import annotations

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
