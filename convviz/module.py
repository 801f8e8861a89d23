"""``ConvTranspose1d``: the module form, with torch's attributes, repr and seeded initialisation."""
from __future__ import annotations

from typing import Any

import numpy as np

from .engine import forward
from .errors import ConvSpecError
from .init import init_parameters
from .spec import ConvSpec, as_device, as_int, check_bias, check_input


class ConvTranspose1d:
    """NumPy twin of ``torch.nn.ConvTranspose1d``.

    With ``seed=s`` the weight and bias are bit-identical to ``torch.manual_seed(s)`` followed by
    ``torch.nn.ConvTranspose1d(...)``; with ``seed=None`` they are a fresh draw from the same distribution.

    Args:
        in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
        padding_mode: as in torch.
        device: None or ``"cpu"``.
        dtype: ``"float32"`` (default), ``"float64"``, ``"complex64"``, ``"complex128"`` or a NumPy dtype.
        seed: the ``torch.manual_seed`` to reproduce, or None.

    Shape:
        weight ``(in_channels, out_channels // groups, kernel_size)``; bias ``(out_channels,)`` or None;
        input ``(C_in, L)`` or ``(N, C_in, L)``.

    Example::

        >>> m = ConvTranspose1d(1, 3, kernel_size=1, seed=42)
        >>> m
        ConvTranspose1d(1, 3, kernel_size=(1,), stride=(1,))
        >>> print(m([[8.0, -3.0, 0.0, 1.0, 5.0, -2.0]]).round(4)[0])
        [ 4.0616 -0.7939  0.5304  0.9718  2.7374 -0.3525]
    """

    def __init__(self, in_channels: Any, out_channels: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: Any = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None, *,
                 seed: int | None = None) -> None:
        as_device(device)
        self.spec = ConvSpec(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups,
                             bias, dilation, padding_mode, "float32" if dtype is None else dtype)
        s = self.spec
        self.in_channels, self.out_channels, self.groups = s.in_channels, s.out_channels, s.groups
        self.kernel_size, self.stride, self.padding = (s.kernel_size,), (s.stride,), (s.padding,)
        self.output_padding, self.dilation, self.padding_mode = (s.output_padding,), (s.dilation,), s.padding_mode
        if seed is not None:
            seed = as_int("seed", seed, -2**63)  # torch.manual_seed's range; init checks the top
        self.weight: np.ndarray
        self.bias: np.ndarray | None
        self.weight, self.bias = init_parameters(s.in_channels, s.out_channels, s.kernel_size, s.groups, s.bias,
                                                 s.np_dtype, seed)

    def forward(self, input: Any, output_size: Any = None) -> np.ndarray:
        """Apply the transposed convolution; a nested list is converted to the module's dtype."""
        x, batched = check_input(self.spec, input, convert=True, output_size=output_size)
        spec = self.spec.with_output_size(x.shape[2], output_size, batched=batched)
        if self.weight.shape != spec.weight_shape or self.weight.dtype != spec.np_dtype:
            raise ConvSpecError(f"weight of shape {self.weight.shape} and dtype {self.weight.dtype} must have "
                                f"shape {spec.weight_shape} and dtype {spec.dtype}; assign a weight like that")
        y = forward(x, self.weight, check_bias(spec, self.bias), spec)  # (N, C_out, L_out)
        return y if batched else y[0]

    __call__ = forward

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,):
            s += f", padding={self.padding}"
        if self.dilation != (1,):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s

    def __repr__(self) -> str:
        return f"ConvTranspose1d({self.extra_repr()})"
