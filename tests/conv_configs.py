"""Hypothesis strategy for small but complete transposed-convolution configurations (shared by the trace and
forms tests). Every argument varies, including groups, output_padding, padding beyond dilation·(K-1), batched
and unbatched input, and all four dtypes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

DTYPES = ("float32", "float64", "complex64", "complex128")


@dataclass(frozen=True)
class Config:
    x: np.ndarray  # (C_in, L) or (N, C_in, L)
    weight: np.ndarray  # (C_in, C_out/groups, K)
    bias: np.ndarray | None
    stride: int
    padding: int
    output_padding: int
    groups: int
    dilation: int

    @property
    def args(self) -> tuple[Any, ...]:
        return (self.x, self.weight, self.bias, self.stride, self.padding, self.output_padding, self.groups,
                self.dilation)

    @property
    def kwargs(self) -> dict[str, Any]:
        return {"stride": self.stride, "padding": self.padding, "output_padding": self.output_padding,
                "groups": self.groups, "dilation": self.dilation}


def random_array(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    values = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)


@st.composite
def configs(draw: st.DrawFn, dtypes: tuple[str, ...] = DTYPES, max_length: int = 6, batched: bool | None = None,
            bias: bool | None = None) -> Config:
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    in_channels = groups * draw(st.integers(1, 2))
    out_channels = groups * draw(st.integers(1, 2))
    kernel_size = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 4))
    dilation = draw(st.integers(1, 3))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    length = draw(st.integers(1, max_length))
    full = (length - 1) * stride + dilation * (kernel_size - 1) + 1 + output_padding
    padding = draw(st.integers(0, (full - 1) // 2))  # keeps L_out = full - 2·padding >= 1
    is_batched = draw(st.booleans()) if batched is None else batched
    has_bias = draw(st.booleans()) if bias is None else bias
    dtype = draw(st.sampled_from(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (draw(st.integers(1, 3)), in_channels, length) if is_batched else (in_channels, length)
    return Config(random_array(rng, shape, dtype),
                  random_array(rng, (in_channels, out_channels // groups, kernel_size), dtype),
                  random_array(rng, (out_channels,), dtype) if has_bias else None,
                  stride, padding, output_padding, groups, dilation)


def tolerance(dtype: Any) -> dict[str, Any]:
    """assert_allclose tolerances for sums of a few products of standard-normal numbers."""
    single = np.dtype(dtype) in (np.float32, np.complex64)
    return {"rtol": 1e-5, "atol": 1e-5} if single else {"rtol": 1e-12, "atol": 1e-12}
