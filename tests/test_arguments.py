"""One table of arguments (``convviz.arguments``): every consumer reads it. These tests check what each
consumer *does* with an argument against torch (the oracle), so a row added, a cap or a default changed, or a
consumer that stops reading the table makes one of them fail."""
from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

from convviz import config
from convviz.__main__ import run
from convviz.arguments import ARGUMENTS, MODULE_ARGUMENTS, MODULE_INTS, SEEDS, TORCH_DEFAULTS
from convviz.errors import ConvSpecError
from convviz.spec import ConvSpec

torch = pytest.importorskip("torch")

# A configuration in which every int argument differs from torch's default and all are valid together.
NON_DEFAULT = {"in_channels": 2, "out_channels": 4, "kernel_size": 3, "stride": 3, "padding": 1,
               "output_padding": 1, "groups": 2, "dilation": 2}


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
    assert {n for n in names if ARGUMENTS[n].kind == "int"} == set(MODULE_INTS) == set(NON_DEFAULT)


def torch_output(values: dict[str, int], x: np.ndarray, seed: int) -> np.ndarray:
    torch.manual_seed(seed)
    layer = torch.nn.ConvTranspose1d(**values)
    with torch.no_grad():
        return layer(torch.from_numpy(x)).numpy()


@pytest.mark.parametrize("name", MODULE_INTS)
def test_each_cli_flag_reaches_the_layer(name):
    """``--<name>`` changes the CLI's output exactly as the argument changes torch's (the rest at torch's defaults
    where they allow it): a flag that is ignored, misspelled or read into another argument fails here."""
    values = {"in_channels": 2, "out_channels": 2, "kernel_size": 3}
    if name in ("padding", "groups", "dilation", "stride"):
        values[name] = NON_DEFAULT[name]
    if name == "output_padding":
        values.update(stride=3, output_padding=1)
    if name in ("in_channels", "out_channels", "kernel_size"):
        values[name] = NON_DEFAULT[name]
    x = np.arange(values["in_channels"] * 5, dtype=np.float32).reshape(values["in_channels"], 5) - 4
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in values.items()]
    printed = json.loads(run([*flags, "--seed", "7", "--input", json.dumps(x.tolist()), "--json"]))
    expected = torch_output(values, x, 7)
    assert np.array(printed["output"]).shape == expected.shape
    np.testing.assert_allclose(np.array(printed["output"]), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", MODULE_INTS)
def test_validation_accepts_the_minimum_and_names_the_argument_below_it(name):
    """Every int argument has a minimum that torch accepts and one below it that convviz rejects by name."""
    minimum = ARGUMENTS[name].minimum
    assert minimum is not None, name
    good = {**NON_DEFAULT, "output_padding": 0, name: minimum}
    if name == "in_channels" or name == "out_channels":
        good["groups"] = 1
    ConvSpec(**good)
    if name not in ("output_padding",):
        torch.nn.ConvTranspose1d(**good)  # torch builds the layer at that minimum too
    with pytest.raises(ConvSpecError, match=name):
        ConvSpec(**{**good, name: minimum - 1})


def test_configuration_files_carry_every_argument(tmp_path):
    """A configuration file with every argument off its default reads back to those values, and the CLI gives
    torch's output for it; a seed outside torch.manual_seed's range is refused by name."""
    x = np.linspace(-2, 2, 2 * 4).reshape(2, 4)
    file = {**NON_DEFAULT, "bias": False, "dtype": "float64", "seed": 11, "input": x.tolist()}
    read = config.normalize_config(file)
    assert {name: read[name] for name in NON_DEFAULT} == NON_DEFAULT
    path = tmp_path / "layer.json"
    path.write_text(json.dumps(file))
    printed = json.loads(run(["--config", str(path), "--json"]))
    expected = torch_output({**NON_DEFAULT, "bias": False, "dtype": torch.float64}, x, 11)
    np.testing.assert_allclose(np.array(printed["output"]), expected, rtol=1e-12, atol=1e-12)
    low, high = SEEDS
    torch.manual_seed(high - 1), torch.manual_seed(low)  # torch's own range, both ends
    for outside in (low - 1, high):
        with pytest.raises((RuntimeError, ValueError)):
            torch.manual_seed(outside)
    base = {"in_channels": 1, "out_channels": 1, "kernel_size": 1, "input": [[1.0]]}
    for seed in (low - 1, high):
        with pytest.raises(ConvSpecError, match="seed"):
            config.normalize_config({**base, "seed": seed})
    assert config.normalize_config({**base, "seed": high - 1})["seed"] == high - 1


def test_the_signature_names_every_argument_that_differs():
    from convviz.figures.base import signature
    from convviz.trace import trace

    values = {"stride": 3, "padding": 1, "output_padding": 2, "groups": 1, "dilation": 2}
    t = trace(np.ones((1, 4), np.float32), np.ones((1, 1, 3), np.float32), None, **values)
    text = signature(t)
    for name, value in values.items():
        assert (f"{name}={value}" in text) == (value != TORCH_DEFAULTS[name]), name
    assert "bias=False" in text
    # the signature is Python torch runs: the layer it names has this trace's output length
    layer = eval(text, {"ConvTranspose1d": torch.nn.ConvTranspose1d})  # noqa: S307 - our own text
    assert layer(torch.ones(1, 4)).shape[-1] == t.output_length
