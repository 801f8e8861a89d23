"""Helpers the port tests share: torch running a Port, the crop, and the exhaustive search that shows a refused
layer is out of reach of every ``nn.ConvTranspose1d`` with its kernel plus any slice."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import torch

# (framework, direction) -> {"reproduced": n, "refused": {reason: n}, "invalid": n (the framework rejects it too)}
COUNTS: dict[tuple[str, str], dict[str, Any]] = defaultdict(
    lambda: {"reproduced": 0, "refused": defaultdict(int), "invalid": 0})


def torch_layer(torch_args: dict[str, int], x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``nn.ConvTranspose1d(**torch_args)`` (no bias) with ``weight`` on ``x`` ``(N, C_in, L)``."""
    t = torch_args
    y = torch.nn.functional.conv_transpose1d(torch.from_numpy(x.copy()),
                                             torch.from_numpy(weight.copy()), stride=t["stride"],
                                             padding=t["padding"], output_padding=t["output_padding"],
                                             groups=t.get("groups", 1), dilation=t["dilation"])
    return y.numpy()


def crop(y: np.ndarray, cut: tuple[int, int]) -> np.ndarray:
    start, end = cut
    return y[..., start:y.shape[-1] - end]


def close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-5))


def window_of(y: np.ndarray, candidate: np.ndarray) -> bool:
    """Whether ``y`` is ``candidate[..., i:i + n]`` for some ``i`` (a slice after the layer)."""
    n = y.shape[-1]
    return any(close(y, candidate[..., i:i + n]) for i in range(candidate.shape[-1] - n + 1))


def torch_reaches(y: np.ndarray, x: np.ndarray, weight: np.ndarray, kernel_size: int, stride: int, dilation: int,
                  groups: int = 1) -> bool:
    """Whether ANY ``nn.ConvTranspose1d`` with this weight, stride and dilation (every padding, every
    output_padding torch accepts) plus any slice gives ``y``: each candidate is run by torch itself."""
    length = x.shape[-1]
    full = (length - 1) * stride + dilation * (kernel_size - 1) + 1
    for padding in range(0, full // 2 + 1):
        for output_padding in range(max(stride, dilation)):
            if full + output_padding - 2 * padding < y.shape[-1]:
                continue
            args = {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation,
                    "groups": groups}
            if window_of(y, torch_layer(args, x, weight)):
                return True
    return False


def rng_arrays(seed: int, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(x_shape).astype(np.float32), rng.standard_normal(w_shape).astype(np.float32))


def reason(message: str) -> str:
    """A short name for why a port was refused, for the counts."""
    for key, name in (("before the first sample", "zeros before the first sample"),
                      ("after the last sample", "more zeros after the last sample than output_padding adds"),
                      ("ends with", "zeros at the end the framework cannot add"),
                      ("no groups", "groups (none in the framework)"), ("feature_group_count", "groups (none in lax)"),
                      ("together with dilation_rate", "strides > 1 with dilation > 1 (Keras rejects it)")):
        if key in message:
            return name
    return message
