"""Seeded initialisation of ``nn.ConvTranspose1d``, bit for bit as torch's CPU generator does it (NumPy only).

torch draws from MT19937 (NumPy's ``MT19937`` after ``_legacy_seeding`` gives the same 32-bit words), and
turns each draw into ``x·(hi - lo) + lo`` with ONE rounding (its kernel uses a fused multiply-add), where
``lo``, ``hi`` and ``hi - lo`` are already in the tensor's real dtype. We emulate the single rounding
exactly with error-free transformations and rounding to odd (Boldo & Melquiond, 2008).
"""
from __future__ import annotations

import math
import secrets

import numpy as np
from numpy.typing import DTypeLike, NDArray

from .errors import ConvSpecError

F64 = NDArray[np.float64]


def _fan_in(out_channels: int, kernel_size: int, groups: int) -> int:
    return out_channels // groups * kernel_size  # weight is (C_in, C_out/groups, K): fan_in = size(1)·K


def weight_bound(in_channels: int, out_channels: int, kernel_size: int, groups: int = 1) -> float:
    """Weight bound of ``kaiming_uniform_(w, a=math.sqrt(5))``, the same double torch computes."""
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))  # leaky_relu gain; sqrt(5)**2 is 5.000000000000001
    return math.sqrt(3.0) * (gain / math.sqrt(_fan_in(out_channels, kernel_size, groups)))


def bias_bound(in_channels: int, out_channels: int, kernel_size: int, groups: int = 1) -> float:
    """Bias bound ``1 / math.sqrt(fan_in)`` of ``ConvTranspose1d.reset_parameters``."""
    return 1 / math.sqrt(_fan_in(out_channels, kernel_size, groups))


def _two_sum(a: F64, b: F64) -> tuple[F64, F64]:
    """``a + b == s + e`` exactly, ``s`` the rounded sum (Knuth)."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _two_product(a: F64, b: F64) -> tuple[F64, F64]:
    """``a · b == p + e`` exactly, ``p`` the rounded product (Dekker, Veltkamp splitting)."""
    def split(v: F64) -> tuple[F64, F64]:  # v == high + low, each with at most 26 significant bits
        c = v * 134217729.0  # 2**27 + 1
        high = c - (c - v)
        return high, v - high
    p = a * b
    (a_hi, a_lo), (b_hi, b_lo) = split(a), split(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _add_round_to_odd(a: F64, b: F64) -> F64:
    """``a + b`` rounded to odd: if inexact, the neighbour whose last significand bit is 1."""
    s, e = _two_sum(a, b)
    nudge = (e != 0) & ((s.view(np.int64) & 1) == 0)
    return np.where(nudge, np.nextafter(s, np.copysign(np.inf, e)), s)


def _fma(a: F64, b: F64, c: F64) -> F64:
    """``a·b + c`` rounded once, like C's ``fma`` (Boldo & Melquiond: exact terms, then round to odd)."""
    prod_hi, prod_lo = _two_product(a, b)    # a·b exactly
    sum_hi, sum_lo = _two_sum(c, prod_hi)    # c + prod_hi exactly
    return sum_hi + _add_round_to_odd(sum_lo, prod_lo)


def _uniform(words: NDArray[np.uint64], bound: float, real: np.dtype) -> NDArray[np.floating]:
    """torch's ``uniform_(-bound, bound)`` values for the 32-bit MT19937 ``words`` (one or two per value)."""
    lo, hi = real.type(-bound), real.type(bound)  # torch casts from/to to the dtype first
    span = np.float64(hi - lo)                    # ... and subtracts in the dtype
    if real == np.float32:
        x = (words & 0xFFFFFF).astype(np.float64) * 2.0**-24  # 24-bit uniform, exact
        # x·span has at most 48 bits, exact in float64; round the sum to odd in 53 bits, then to nearest
        # in 24: that double rounding equals a single one (53 >= 24 + 2).
        return _add_round_to_odd(x * span, np.full_like(x, lo)).astype(np.float32)
    pairs = words.reshape(-1, 2)                                       # (n, 2): high word, low word
    x = (((pairs[:, 0] << 32) | pairs[:, 1]) & (2**53 - 1)).astype(np.float64) * 2.0**-53  # (n,) exact
    return _fma(x, np.full_like(x, span), np.full_like(x, lo))


def _mt19937_words(seed: int, count: int) -> NDArray[np.uint64]:
    """The first ``count`` 32-bit words of torch's CPU generator after ``torch.manual_seed(seed)``."""
    generator = np.random.MT19937(0)  # any seed; replaced just below
    generator._legacy_seeding(seed % 2**32)  # torch keeps seed mod 2**64, then seeds MT with its low 32 bits
    return generator.random_raw(count).astype(np.uint64)


def init_parameters(in_channels: int, out_channels: int, kernel_size: int, groups: int = 1,
                    bias: bool = True, dtype: DTypeLike = np.float32, seed: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray | None]:
    """Weight and bias exactly as ``torch.manual_seed(seed)`` then ``nn.ConvTranspose1d(...)`` makes them.

    The weight is ``kaiming_uniform_(a=sqrt(5))``, i.e. ``U(-weight_bound, weight_bound)``, drawn first;
    the bias is ``U(-bias_bound, bias_bound)``, drawn next from the same stream. Complex tensors fill the
    real and imaginary parts interleaved, each with the same bound.

    Args:
        in_channels, out_channels, kernel_size, groups, bias: as in ``nn.ConvTranspose1d``.
        dtype: ``float32``, ``float64``, ``complex64`` or ``complex128`` (anything ``np.dtype`` accepts).
        seed: as for ``torch.manual_seed``: any int in ``[-2**63, 2**64)``, taken mod ``2**64``; only its low
            32 bits reach MT19937, so seeds equal mod ``2**32`` give equal parameters. ``None`` draws a
            fresh 64-bit seed from the OS.

    Shape:
        - weight: ``(in_channels, out_channels // groups, kernel_size)``
        - bias: ``(out_channels,)``, or ``None`` when ``bias=False``

    Example::

        >>> weight, bias = init_parameters(1, 3, 1, seed=42)
        >>> weight.ravel().tolist()
        [0.4414065182209015, 0.47920528054237366, -0.1352572739124298]
        >>> bias.tolist()
        [0.5303604602813721, -0.1264995038509369, 0.11650390923023224]
    """
    if seed is None:
        seed = secrets.randbits(64)
    if not -2**63 <= seed < 2**64:
        raise ConvSpecError(f"seed: {seed} is outside torch.manual_seed's range [-2**63, 2**64); "
                            f"use a seed in that range, e.g. {seed % 2**64}")
    dtype = np.dtype(dtype)
    complex_ = dtype.kind == "c"
    real = np.dtype(np.float32 if dtype in (np.float32, np.complex64) else np.float64)
    per_value = (2 if complex_ else 1) * (2 if real == np.float64 else 1)  # 32-bit words per element
    weight_shape = (in_channels, out_channels // groups, kernel_size)
    n_weight, n_bias = math.prod(weight_shape), out_channels if bias else 0
    words = _mt19937_words(seed, (n_weight + n_bias) * per_value)
    w_bound = weight_bound(in_channels, out_channels, kernel_size, groups)
    weight = _uniform(words[:n_weight * per_value], w_bound, real)  # (n_weight·(2 if complex),)
    weight = (weight.view(dtype) if complex_ else weight).reshape(weight_shape)  # (C_in, C_out/groups, K)
    if not bias:
        return weight, None
    b = _uniform(words[n_weight * per_value:], bias_bound(in_channels, out_channels, kernel_size, groups),
                 real)                                                 # (C_out·(2 if complex),)
    return weight, b.view(dtype) if complex_ else b                    # bias: (C_out,)
