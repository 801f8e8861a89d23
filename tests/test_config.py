"""The configuration JSON shared by the app's export and ``python -m convviz --config``: exact round trips,
defaults and inference, the seeded parameters, and clear errors."""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpecError, conv_transpose1d
from convviz.config import KEYS, config_from_json, config_to_json, normalize_config, parameters, spec_of
from convviz.init import init_parameters
from convviz.presets import seed_examples

BLOG = {"in_channels": 1, "out_channels": 3, "kernel_size": 1, "seed": 42, "input": [[8, -3, 0, 1, 5, -2]]}


def test_defaults_and_types() -> None:
    c = config_from_json(json.dumps(BLOG))
    assert list(c) == list(KEYS)
    assert (c["stride"], c["padding"], c["output_padding"], c["groups"], c["dilation"]) == (1, 0, 0, 1, 1)
    assert c["dtype"] == "float32" and c["weight"] is None and c["bias"] is True and c["output_size"] is None
    assert c["input"].dtype == np.float32 and c["input"].shape == (1, 6)
    weight, bias, seed = parameters(c)
    expected_weight, expected_bias = init_parameters(1, 3, 1, seed=42)
    assert bias is not None and expected_bias is not None
    assert seed == 42 and np.array_equal(weight, expected_weight) and np.array_equal(bias, expected_bias)
    y = conv_transpose1d(c["input"], weight, bias)
    np.testing.assert_allclose(y, seed_examples()[0]["output"], rtol=1e-6, atol=1e-6)  # the blog's, from torch


def test_seeded_bias_is_the_same_with_a_given_weight() -> None:
    c = normalize_config({**BLOG, "weight": [[[1], [2], [3]]]})
    weight, bias, _ = parameters(c)
    assert weight.ravel().tolist() == [1, 2, 3]
    expected_bias = init_parameters(1, 3, 1, seed=42)[1]
    assert bias is not None and expected_bias is not None and np.array_equal(bias, expected_bias)
    assert parameters(normalize_config({**BLOG, "bias": False}))[1] is None
    assert parameters(normalize_config({**BLOG, "seed": None}))[2] is not None  # a seed is drawn and reported


def test_channels_and_kernel_are_read_off_the_weight() -> None:
    c = normalize_config({"input": [[1, 2], [3, 4]], "weight": np.ones((2, 1, 3)), "groups": 2})
    assert (c["in_channels"], c["out_channels"], c["kernel_size"]) == (2, 2, 3)
    assert spec_of(c).weight_shape == (2, 1, 3)


@given(st.sampled_from(["float32", "float64", "complex64", "complex128"]), st.integers(0, 2**32 - 1),
       st.booleans(), st.booleans())
def test_round_trip_is_bit_exact(dtype: str, seed: int, batched: bool, typed: bool) -> None:
    rng = np.random.default_rng(seed)
    shape = (2, 2, 3) if batched else (2, 3)
    x = rng.standard_normal(shape) * 10.0 ** rng.integers(-8, 8, size=shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    config: dict[str, Any] = {"in_channels": 2, "out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 1,
                              "groups": 2, "dtype": dtype, "seed": seed, "input": x.astype(dtype),
                              "output_size": 6}
    if typed:
        weight, bias = init_parameters(2, 4, 3, 2, True, np.dtype(dtype), seed)
        config |= {"weight": weight, "bias": bias}
    text = config_to_json(config)
    again = config_from_json(text)
    assert config_to_json(again) == text
    assert again["input"].dtype == np.dtype(dtype) and np.array_equal(again["input"], x.astype(dtype))
    if typed:
        assert np.array_equal(again["weight"], config["weight"]) and np.array_equal(again["bias"], config["bias"])
    assert spec_of(again).output_padding == 1  # from output_size 6


def test_complex_numbers_are_strings_and_json_is_readable() -> None:
    text = config_to_json({**BLOG, "dtype": "complex64", "input": [["1+2j", -0.5, "3j"]]})
    data = json.loads(text)
    assert data["input"] == [["1+2j", "-0.5+0j", "3j"]]
    assert data["weight"] is None and data["bias"] is True and data["output_size"] is None
    assert config_from_json(text)["input"].tolist() == [[1 + 2j, -0.5, 3j]]


@pytest.mark.parametrize("config, message", [
    ({"in_channels": 1}, "input is missing"),
    ({**BLOG, "strides": 2}, "unknown key 'strides'"),
    ({**BLOG, "stride": 0}, "stride=0 must be positive"),
    ({**BLOG, "stride": 1.5}, "stride=1.5 must be a whole number"),
    ({**BLOG, "input": [[1, 2], [3]]}, "rows have different lengths"),
    ({**BLOG, "input": [[1, True]]}, "true is not a number"),
    ({**BLOG, "input": [["1+2x"]]}, "'1+2x' is not a number"),
    ({**BLOG, "input": [[1, 2 + 1j]]}, "complex values but dtype=float32"),
    ({**BLOG, "input": [[[[1]]]]}, "input has 4 dimensions"),
    ({**BLOG, "weight": [[[1, 2]]]}, "weight has shape (1, 1, 2) but"),
    ({**BLOG, "bias": [1, 2]}, "bias has 2 values but out_channels=3"),
    ({**BLOG, "bias": 0.5}, "wrap one value in brackets"),
    ({**BLOG, "seed": "42"}, "seed='42' must be a whole number"),
    ({**BLOG, "seed": 2**64}, "outside torch.manual_seed's range"),
    ({**BLOG, "output_size": 9}, "output_size=9 is out of range"),
    ({**BLOG, "padding_mode": "reflect"}, "padding_mode='reflect' is not supported"),
    ({"input": [[1]], "in_channels": 1, "kernel_size": 1}, "out_channels is missing"),
])
def test_bad_configs_name_the_key_and_the_fix(config: dict[str, Any], message: str) -> None:
    with pytest.raises(ConvSpecError) as error:
        normalize_config(config)
    assert message in str(error.value)


def test_not_json_or_not_an_object() -> None:
    with pytest.raises(ConvSpecError, match="config is not valid JSON .* line 1, column 2"):
        config_from_json("{oops")
    with pytest.raises(ConvSpecError, match="config must be a JSON object"):
        config_from_json("[]")


def test_complex_values_with_inf_and_nan_parts_round_trip():
    import numpy as np

    from convviz.config import config_from_json, config_to_json

    x = np.array([[1 + 2j, complex(np.inf, 1), complex(1, np.nan), -0.5j, complex(2, -np.inf)]], np.complex64)
    back = config_from_json(config_to_json({"in_channels": 1, "out_channels": 1, "kernel_size": 1,
                                            "dtype": "complex64", "input": x}))["input"]
    np.testing.assert_array_equal(back, x)  # nan == nan here: assert_array_equal treats NaNs as equal


@pytest.mark.parametrize("seed", [2**32, 2**32 + 42, 2**64 - 1, -1, -2**63, 7 * 2**40 + 3])
def test_a_loaded_seed_wraps_into_the_tables_range_keeping_torchs_parameters(seed: int) -> None:
    import torch

    from convviz.arguments import ARGUMENTS, table_seed

    row = ARGUMENTS["seed"]
    config = config_from_json(json.dumps({"in_channels": 2, "out_channels": 3, "kernel_size": 3, "seed": seed,
                                          "input": [[1, 2], [3, 4]]}))
    wrapped = table_seed(config["seed"])
    assert row.minimum <= wrapped <= row.cap  # the sidebar's seed widget can hold it
    torch.manual_seed(seed)
    layer = torch.nn.ConvTranspose1d(2, 3, 3)
    weight, bias = init_parameters(2, 3, 3, 1, True, np.dtype("float32"), wrapped)
    assert np.array_equal(weight, layer.weight.detach().numpy())  # the wrapped seed draws torch's numbers
    assert bias is not None and np.array_equal(bias, layer.bias.detach().numpy())


def test_a_seed_inside_the_table_is_kept_and_a_bad_one_named() -> None:
    from convviz.arguments import ARGUMENTS, table_seed

    cap = ARGUMENTS["seed"].cap
    assert table_seed(0) == 0 and table_seed(cap) == cap and table_seed(42) == 42
    with pytest.raises(ConvSpecError, match="seed=2.5 must be a whole number"):
        table_seed(2.5)
    with pytest.raises(ConvSpecError, match="outside torch.manual_seed's range"):
        table_seed(2**64)
