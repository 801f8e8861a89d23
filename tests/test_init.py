"""Seeded initialisation: golden values, properties, and torch as the bit-for-bit oracle."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.errors import ConvSpecError
from convviz.init import _add_round_to_odd, _fma, bias_bound, init_parameters, weight_bound
from convviz.presets import seed_examples

DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


def random_config(rng: random.Random) -> tuple[int, int, int, int, bool, int]:
    """(in_channels, out_channels, kernel_size, groups, bias, seed), channels 1..16, groups dividing both."""
    groups = rng.choice([1, 1, 1, 2, 3, 4, 5, 8, 16])
    in_channels = groups * rng.randint(1, 16 // groups)
    out_channels = groups * rng.randint(1, 16 // groups)
    seed = rng.choice([0, 42, 2**32 - 1, rng.randrange(2**32), rng.randrange(2**32, 2**63),
                       rng.randrange(2**63, 2**64), -rng.randrange(1, 2**63 + 1)])
    return in_channels, out_channels, rng.randint(1, 16), groups, rng.random() < 0.7, seed


def test_fused_multiply_add_rounds_once() -> None:
    # a·b = 2**-53 + 2**-106 - 2**-158, so a·b + 1 lies just above the midpoint 1 + 2**-53 and rounds up;
    # rounding a·b first (or the low terms to nearest) lands exactly on the midpoint and rounds to 1.0
    a, b, c = np.array([1 + 2.0**-52]), np.array([2.0**-53 - 2.0**-106]), np.array([1.0])
    assert (a * b + c)[0] == 1.0
    assert _fma(a, b, c)[0] == 1 + 2.0**-52
    assert _add_round_to_odd(np.array([1.0]), np.array([2.0**-60]))[0] == 1 + 2.0**-52   # inexact, even: nudge
    assert _add_round_to_odd(np.array([1 + 2.0**-52]), np.array([2.0**-60]))[0] == 1 + 2.0**-52  # already odd
    assert _add_round_to_odd(np.array([1.0]), np.array([2.0**-52]))[0] == 1 + 2.0**-52   # exact: unchanged



def test_seed_42_golden_values() -> None:
    weight, bias = init_parameters(1, 3, 1, seed=42)
    assert weight.dtype == np.float32 and weight.shape == (1, 3, 1)
    blog = seed_examples()[0]  # torch 2.13.0's numbers after torch.manual_seed(42)
    assert (blog["seed"], blog["module"]) == (42, {"in_channels": 1, "out_channels": 3, "kernel_size": 1})
    expected_weight = np.array(blog["weight"], dtype=np.float32)
    expected_bias = np.array(blog["bias"], dtype=np.float32)
    assert bias is not None
    assert weight.tobytes() == expected_weight.tobytes()
    assert bias.tobytes() == expected_bias.tobytes()


@pytest.mark.parametrize("dtype", DTYPES)
def test_shapes_dtypes_and_no_bias(dtype: type) -> None:
    weight, bias = init_parameters(6, 4, 5, groups=2, bias=False, dtype=dtype, seed=0)
    assert weight.shape == (6, 2, 5) and weight.dtype == np.dtype(dtype) and bias is None
    _, bias = init_parameters(6, 4, 5, groups=2, dtype=np.dtype(dtype), seed=0)
    assert bias is not None and bias.shape == (4,) and bias.dtype == np.dtype(dtype)


def test_seed_none_draws_fresh_values_within_bounds() -> None:
    w1, b1 = init_parameters(4, 8, 3, seed=None)
    w2, b2 = init_parameters(4, 8, 3, seed=None)
    assert b1 is not None and b2 is not None
    assert not np.array_equal(w1, w2) and not np.array_equal(b1, b2)
    assert np.all(np.abs(w1) <= np.float32(weight_bound(4, 8, 3)))
    assert np.all(np.abs(b1) <= np.float32(bias_bound(4, 8, 3)))


def test_seed_is_taken_like_torch_manual_seed() -> None:
    # only the low 32 bits reach MT19937; negative seeds wrap mod 2**64
    same = [init_parameters(2, 2, 2, seed=s)[0].tobytes() for s in (7, 7 + 2**32, 7 + 2**40)]
    assert len(set(same)) == 1
    assert init_parameters(2, 2, 2, seed=-1)[0].tobytes() == init_parameters(2, 2, 2, seed=2**64 - 1)[0].tobytes()
    for bad_seed in (2**64, -2**63 - 1):
        with pytest.raises(ConvSpecError, match="seed"):
            init_parameters(2, 2, 2, seed=bad_seed)


@settings(max_examples=50, deadline=None)
@given(in_per_group=st.integers(1, 4), out_per_group=st.integers(1, 4), groups=st.integers(1, 4),
       kernel_size=st.integers(1, 16), seed=st.integers(0, 2**64 - 1), dtype=st.sampled_from(DTYPES))
def test_values_lie_within_bounds(in_per_group: int, out_per_group: int, groups: int, kernel_size: int,
                                  seed: int, dtype: type) -> None:
    in_channels, out_channels = in_per_group * groups, out_per_group * groups
    weight, bias = init_parameters(in_channels, out_channels, kernel_size, groups, dtype=dtype, seed=seed)
    assert bias is not None
    real = np.float32 if np.dtype(dtype) in (np.float32, np.complex64) else np.float64
    for values, bound in ((weight, weight_bound(in_channels, out_channels, kernel_size, groups)),
                          (bias, bias_bound(in_channels, out_channels, kernel_size, groups))):
        parts = values.view(real)  # real and imaginary parts interleaved: (2·size,) for complex
        assert np.all(np.abs(parts) <= real(bound))


@pytest.mark.parametrize("fan", [(1, 1), (3, 1), (1, 7), (16, 16), (5, 3), (12, 11)])
def test_bounds_equal_torchs(fan: tuple[int, int]) -> None:
    torch = pytest.importorskip("torch")
    out_channels, kernel_size = fan
    weight = torch.empty(2, out_channels, kernel_size)  # (C_in, C_out/groups, K)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(weight)
    gain = torch.nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    assert weight_bound(2, out_channels, kernel_size) == math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    assert weight_bound(4, 2 * out_channels, kernel_size, groups=2) == weight_bound(2, out_channels, kernel_size)
    assert bias_bound(2, out_channels, kernel_size) == 1 / math.sqrt(fan_in)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bit_identical_to_torch(dtype: type) -> None:
    torch = pytest.importorskip("torch")
    torch_dtype = getattr(torch, np.dtype(dtype).name)  # torch.float32, ..., torch.complex128
    rng = random.Random(f"init-{np.dtype(dtype).name}")
    for _ in range(200):
        in_channels, out_channels, kernel_size, groups, bias, seed = random_config(rng)
        torch.manual_seed(seed)
        module = torch.nn.ConvTranspose1d(in_channels, out_channels, kernel_size, groups=groups, bias=bias,
                                          dtype=torch_dtype)
        weight, b = init_parameters(in_channels, out_channels, kernel_size, groups, bias, dtype, seed)
        config = (in_channels, out_channels, kernel_size, groups, bias, seed)
        expected_weight = module.weight.detach().numpy()
        assert weight.dtype == expected_weight.dtype and weight.shape == expected_weight.shape, config
        assert weight.tobytes() == expected_weight.tobytes(), config
        if bias:
            assert b is not None and b.tobytes() == module.bias.detach().numpy().tobytes(), config
        else:
            assert b is None and module.bias is None, config
