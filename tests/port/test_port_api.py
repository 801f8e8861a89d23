"""convviz.port without any framework: arguments, errors, layouts, length formulas, the CLI (torch as oracle)."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from port_oracle import crop, rng_arrays, torch_layer

import convviz
from convviz import ConvSpecError
from convviz.__main__ import main, run_port
from convviz.port.core import Window
from convviz.port.core import torch_layer as torch_for_window

LAYERS = [("keras", {"kernel_size": 4, "strides": 1, "padding": "same"}),
          ("keras", {"kernel_size": 3, "strides": 3, "padding": "valid", "output_padding": 2}),
          ("jax", {"kernel_size": 3, "strides": 2, "padding": [(1, 0)], "rhs_dilation": 2}),
          ("jax", {"kernel_size": 4, "strides": 2, "padding": "SAME", "transpose_kernel": True}),
          ("onnx", {"kernel_shape": [3], "strides": [2], "auto_pad": "SAME_UPPER"}),
          ("onnx", {"kernel_shape": [3], "strides": [2], "output_shape": [8], "length": 5})]


def last_number(text: str) -> int:
    return int(re.findall(r"= (\d+)", text)[-1])


@pytest.mark.parametrize("framework, layer", LAYERS)
def test_formulas_end_in_the_lengths_torch_computes(framework, layer):
    p = convviz.port(framework, **layer)
    length = layer.get("length", 6)
    other, torch_text = p.formulas(length)
    x, kernel = rng_arrays(0, (1, 1, length), p.layout.from_torch(np.zeros((1, 1, p.torch["kernel_size"]))).shape)
    produced = torch_layer(p.torch, x, p.weight(kernel))
    assert last_number(torch_text) == crop(produced, p.crop).shape[-1] == p.length(length) == last_number(other)
    assert int(re.findall(r"= (\d+)", torch_text)[0 if p.crop == (0, 0) else -2]) == produced.shape[-1]


@pytest.mark.parametrize("framework, layer", LAYERS)
def test_weight_and_kernel_are_inverse_layouts(framework, layer):
    p = convviz.port(framework, **layer)
    k = p.torch["kernel_size"]
    weight = np.arange(2 * 3 * k, dtype=np.float32).reshape(2, 3, k)
    np.testing.assert_array_equal(p.weight(p.kernel(weight)), weight)
    with pytest.raises(ConvSpecError, match="kernel"):
        p.weight(np.zeros((k + 1, k + 1, k + 1)))


@pytest.mark.parametrize("framework, layer", LAYERS[:4])
def test_port_to_of_the_ported_layer_keeps_the_same_output(framework, layer):
    """framework → PyTorch → framework: the PyTorch layer (before its crop) made in the framework again has
    that layer's length, and where the first port was exact the way back is the same layer."""
    there = convviz.port(framework, **layer)
    back = convviz.port_to(framework, **there.torch)
    assert back.length(6) == there.produced_length(6) == back.produced_length(6) - sum(back.crop)
    if there.crop == (0, 0):
        assert back.crop == (0, 0) and back.torch == there.torch


def test_torch_layer_for_every_reachable_window_is_exact_where_possible():
    """The solver against brute force: for every window torch reaches, its layer is valid for torch and gives
    the window, and its crop is the smallest any (padding, output_padding) allows."""
    for stride in (1, 2, 3):
        for dilation in (1, 2, 3):
            reach = max(stride, dilation) - 1
            for start in range(0, 5):
                for end in range(-reach, 5):
                    padding, output_padding, (a, b) = torch_for_window(Window(start, end), reach)
                    convviz.ConvSpec(1, 1, 3, stride, padding, output_padding, dilation=dilation)  # torch-valid
                    assert (padding + a, padding - output_padding + b) == (start, end)
                    best = min(s + e for p in range(0, 6) for op in range(reach + 1)
                               for s, e in [(start - p, end - p + op)] if s >= 0 and e >= 0)
                    assert a + b == best


@pytest.mark.parametrize("framework, layer, match", [
    ("keras", {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, "dilation_rate > 1"),
    ("keras", {"kernel_size": 3, "strides": 2, "output_padding": 2}, "smaller than strides"),
    ("keras", {"kernel_size": 3, "padding": "full"}, "'valid', 'same'"),
    ("keras", {"kernel_size": 3, "stride": 2}, "unknown argument 'stride'"),
    ("jax", {"kernel_size": 3, "padding": "same"}, "padding='SAME'"),
    ("jax", {"kernel_size": 3, "padding": (1, 1)}, r"\[\(lo, hi\)\]"),
    ("jax", {"kernel_size": 2, "padding": [(2, 0)]}, "before the first sample"),
    ("onnx", {"kernel_shape": [3], "output_shape": [8]}, "give length=L"),
    ("onnx", {"kernel_shape": [3], "pads": [1, 1], "auto_pad": "SAME_UPPER"}, "drop pads"),
    ("onnx", {"kernel_shape": [3], "strides": [2], "output_padding": [2]}, "smaller than strides"),
    ("onnx", {"kernel_shape": [1], "strides": [3], "auto_pad": "SAME_LOWER"}, r"pad\(y, \(1, 0\)\)"),
    ("tensorflow", {"kernel_size": 3}, "one of 'keras', 'jax', 'onnx'"),
])
def test_errors_name_the_argument_and_the_fix(framework, layer, match):
    with pytest.raises(ConvSpecError, match=match) as error:
        convviz.port(framework, **layer)
    assert "; " in str(error.value) or "fix" in str(error.value)


def test_port_to_errors():
    with pytest.raises(ConvSpecError, match="80301"):
        convviz.port_to("onnx", kernel_size=3, padding="same")
    with pytest.raises(ConvSpecError, match="output_padding=2 must be smaller"):
        convviz.port_to("onnx", kernel_size=3, stride=2, output_padding=2)
    with pytest.raises(ConvSpecError, match="ZeroPadding1D"):
        convviz.port_to("keras", kernel_size=3, dilation=2, output_padding=1)


def test_output_shape_port_holds_for_its_length_only():
    p = convviz.port("onnx", kernel_shape=[3], strides=[2], output_shape=[8], length=5)
    assert p.length(5) == 8
    with pytest.raises(ConvSpecError, match="port again with length=6"):
        p.length(6)


def test_cli_prints_the_pytorch_layer_and_code(capsys):
    assert main(["port", "--from", "keras", "--kernel-size", "4", "--strides", "2", "--padding", "same"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PyTorch: torch.nn.ConvTranspose1d(1, 1, kernel_size=4, stride=2, padding=1, bias=False)\n")
    assert "keras.layers.Conv1DTranspose(1, 4, strides=2, padding='same'" in out
    text = run_port(["--to", "onnx", "--kernel-size", "4", "--stride", "2", "--padding", "1", "--json"])
    data = json.loads(text)
    assert data["args"]["pads"] == [1, 1] and data["crop"] == [0, 0] and data["length"]["output"] == 16


@pytest.mark.parametrize("argv, message", [
    (["port", "--from", "keras", "--kernel-size", "4", "--stride", "2"], "--stride is not an argument of keras"),
    (["port", "--to", "keras", "--kernel-size", "3", "--padding", "same"], "80301"),
    (["port", "--from", "jax", "--kernel-size", "3", "--padding", "1,x"], "two whole numbers"),
    (["port", "--kernel-size", "3"], "one of the arguments --from --to is required"),
])
def test_cli_errors_are_one_line_and_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("framework, layer", LAYERS)
def test_link_text_round_trips_to_the_same_port(framework, layer):
    from convviz.port.text import format_args, parse_args
    p = convviz.port(framework, **layer)
    again = convviz.port(framework, **parse_args(framework, format_args(p.args)),
                         **({"length": layer["length"]} if "length" in layer else {}))
    assert (again.torch, again.crop, again.args) == (p.torch, p.crop, p.args)


@pytest.mark.parametrize("text, match", [("kernel_size=4;x", "not a whole number"), ("4", "not name=value"),
                                         ("stride=2", "not an argument"),
                                         ("padding=__import__('os')", "not a whole number")])
def test_link_text_rejects_what_it_cannot_read(text, match):
    from convviz.port.text import parse_args
    with pytest.raises(ConvSpecError, match=match):
        parse_args("keras", text)
