"""One table of arguments (``convviz.arguments``): every consumer reads it, so a row added or a cap changed
reaches validation, configuration files, the CLI, the exports, the quiz and the figures' signature, and this
test fails when one of them falls out of step."""
from __future__ import annotations

import argparse
import inspect

import numpy as np
import pytest

from convviz import config, presets
from convviz.__main__ import make_parser
from convviz.arguments import ARGUMENTS, DEFAULTS, DTYPES, MODULE_ARGUMENTS, MODULE_INTS, SEEDS, TORCH_DEFAULTS
from convviz.errors import ConvSpecError
from convviz.spec import ConvSpec

torch = pytest.importorskip("torch")


def test_the_module_arguments_are_torchs():
    """The table's module arguments and their left-out values are nn.ConvTranspose1d's own (the oracle)."""
    parameters = inspect.signature(torch.nn.ConvTranspose1d.__init__).parameters
    names = [name for name in parameters if name not in ("self", "device")]
    assert list(MODULE_ARGUMENTS) == names
    for name in names:
        default = parameters[name].default
        if default is inspect.Parameter.empty:
            assert TORCH_DEFAULTS[name] is None, name  # required by torch (the CLI infers it)
        elif name == "dtype":
            assert TORCH_DEFAULTS[name] == str(torch.get_default_dtype()).removeprefix("torch.")
        else:
            assert TORCH_DEFAULTS[name] == default, name
    assert tuple(name for name in names if ARGUMENTS[name].kind == "int") == MODULE_INTS
    assert set(DTYPES) >= {"float32", "float64", "complex64", "complex128"}


def test_configuration_files_read_the_table():
    assert config.INT_KEYS == MODULE_INTS
    assert set(config.KEYS) >= {*MODULE_INTS, "dtype", "seed", "output_size", "bias"}
    for name, value in config.DEFAULTS.items():
        if name in TORCH_DEFAULTS:
            assert value == TORCH_DEFAULTS[name], name
    assert config.DEFAULTS["seed"] is None  # a file without a seed draws one (and the CLI prints it)
    low, high = SEEDS
    assert low == -2**63 and high == 2**64  # torch.manual_seed's range
    torch.manual_seed(high - 1), torch.manual_seed(low)
    base = {"in_channels": 1, "out_channels": 1, "kernel_size": 1, "input": [[1.0]]}
    for seed in (low - 1, high):
        with pytest.raises(ConvSpecError, match="seed"):
            config.normalize_config({**base, "seed": seed})
    assert config.normalize_config({**base, "seed": high - 1})["seed"] == high - 1


def test_validation_reads_the_minimums():
    for name in MODULE_INTS:
        minimum = ARGUMENTS[name].minimum
        assert minimum is not None
        good = {n: max(1, ARGUMENTS[n].minimum or 0) for n in MODULE_INTS if n != "output_padding"}
        good["output_padding"] = 0
        ConvSpec(**{**good, name: minimum})
        with pytest.raises(ConvSpecError, match=name):
            ConvSpec(**{**good, name: minimum - 1})


def flags() -> dict[str, argparse.Action]:
    return {action.dest: action for action in make_parser()._actions if action.option_strings}


def test_the_cli_has_a_flag_per_argument():
    found = flags()
    for name in (*MODULE_INTS, "seed", "output_size"):
        assert found[name].type is int and found[name].option_strings == ["--" + name.replace("_", "-")], name
        assert ARGUMENTS[name].help.split(".")[0] in found[name].help
    assert all(dtype in found["dtype"].help for dtype in DTYPES)
    assert found["no_bias"].option_strings == ["--no-bias"]


def test_the_app_defaults_are_the_tables():
    for name, value in presets.DEFAULTS.items():
        if name in ARGUMENTS:
            assert value == DEFAULTS[name], name
    assert {name for name in ARGUMENTS if ARGUMENTS[name].kind != "text"} - set(presets.DEFAULTS) <= {
        "input_mode", "weight_mode"}


def test_the_signature_names_every_argument_that_differs():
    from convviz.figures.base import signature
    from convviz.trace import trace

    values = {"stride": 3, "padding": 1, "output_padding": 2, "groups": 1, "dilation": 2}
    t = trace(np.ones((1, 4), np.float32), np.ones((1, 1, 3), np.float32), None, **values)
    text = signature(t)
    for name in MODULE_INTS:
        if name in values and values[name] != TORCH_DEFAULTS[name]:
            assert f"{name}={values[name]}" in text, name
    assert "bias=False" in text and "groups" not in text


def test_the_exports_and_the_quiz_name_every_module_argument():
    from convviz.app import exports, quiz_ui
    from convviz.app.model import settings_key

    key = settings_key({**presets.DEFAULTS, "input_mode": "random", "weight_mode": "seeded", "preset": "(custom)"})
    exported = exports.config_dict(key)
    assert set(MODULE_INTS) <= set(exported) <= set(config.KEYS) | {"stack"}
    again = config.normalize_config(exported)  # what the CLI and the sidebar's loader read back
    assert {name: again[name] for name in MODULE_INTS} == {name: presets.DEFAULTS[name] for name in MODULE_INTS}
    assert "MODULE_INTS" in inspect.getsource(quiz_ui.quiz_ui)  # the quiz's code line names every int argument
