"""convviz.port against keras.layers.Conv1DTranspose itself (Keras 3 on the JAX backend) and torch."""
from __future__ import annotations

import os

import numpy as np
import pytest
from port_oracle import COUNTS, close, crop, reason, rng_arrays, torch_layer, torch_reaches

import convviz
from convviz import ConvSpecError

keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":  # keras was imported before conftest set KERAS_BACKEND
    pytest.skip(f"keras runs on {keras.backend.backend()}, these tests need KERAS_BACKEND=jax",
                allow_module_level=True)
assert os.environ["KERAS_BACKEND"] == "jax"

LENGTH, C_IN, C_OUT = 5, 2, 3


def keras_run(args: dict, x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The real layer on ``x`` ``(N, C_in, L)``, returned as ``(N, C_out, L_out)``."""
    layer = keras.layers.Conv1DTranspose(kernel.shape[1], args["kernel_size"], strides=args["strides"],
                                         padding=args["padding"], output_padding=args["output_padding"],
                                         dilation_rate=args["dilation_rate"], use_bias=False,
                                         kernel_initializer="zeros")
    layer.build((None, x.shape[-1], x.shape[1]))
    layer.kernel.assign(kernel)
    return np.asarray(layer(x.transpose(0, 2, 1))).transpose(0, 2, 1)


def keras_grid():
    for stride in (1, 2, 3):
        for dilation in ((1, 2, 3) if stride == 1 else (1,)):  # Keras rejects strides > 1 with dilation > 1
            for kernel_size in (1, 2, 3, 4):
                for padding in ("valid", "same"):
                    for output_padding in (None, *range(stride)):
                        yield {"kernel_size": kernel_size, "strides": stride, "padding": padding,
                               "output_padding": output_padding, "dilation_rate": dilation}


def test_every_keras_layer_is_one_torch_layer_plus_a_crop():
    """Every mode with and without output_padding over kernel, stride and dilation: Keras' own output equals
    torch running Port.torch with Port.weight, then Port.crop; and no layer is refused."""
    counts = COUNTS["keras", "port"]
    for seed, layer in enumerate(keras_grid()):
        x, kernel = rng_arrays(seed, (2, C_IN, LENGTH), (layer["kernel_size"], C_OUT, C_IN))
        p = convviz.port("keras", **layer, filters=C_OUT)  # never refused: a failure here fails the test
        expected = keras_run(layer, x, kernel)
        got = crop(torch_layer(p.torch, x, p.weight(kernel)), p.crop)
        assert close(got, expected), (layer, p)
        assert expected.shape[-1] == p.length(LENGTH) == p.produced_length(LENGTH) - sum(p.crop)
        counts["reproduced"] += 1
    assert counts["reproduced"] == 104


def test_keras_own_shape_cases():
    """Keras' tests: kernel 2, stride 2, 'valid': 8 → 16; kernel 2, stride 3, 'same', output_padding 2: 8 → 23."""
    for layer, out in (({"kernel_size": 2, "strides": 2, "padding": "valid", "output_padding": None,
                         "dilation_rate": 1}, 16),
                       ({"kernel_size": 2, "strides": 3, "padding": "same", "output_padding": 2,
                         "dilation_rate": 1}, 23)):
        x, kernel = rng_arrays(1, (1, 1, 8), (2, 1, 1))
        assert keras_run(layer, x, kernel).shape == (1, 1, out)
        p = convviz.port("keras", **layer)
        assert p.length(8) == out
        assert crop(torch_layer(p.torch, x, p.weight(kernel)), p.crop).shape == (1, 1, out)


def torch_grid():
    for stride in (1, 2, 3):
        for dilation in (1, 2):
            for kernel_size in (1, 2, 3, 4):
                for padding in (0, 1, 2):
                    for output_padding in range(max(stride, dilation)):
                        yield {"kernel_size": kernel_size, "stride": stride, "padding": padding,
                               "output_padding": output_padding, "dilation": dilation}


def all_keras_layers(kernel_size: int, stride: int, dilation: int):
    for padding in ("valid", "same"):
        for output_padding in (None, *range(stride)):
            yield {"kernel_size": kernel_size, "strides": stride, "padding": padding,
                   "output_padding": output_padding, "dilation_rate": dilation}


def test_every_torch_layer_in_keras_or_refused_because_no_keras_layer_can():
    """port_to: Keras running Port.args with Port.kernel, then Port.crop, equals torch; a refused layer is
    shown out of reach: Keras itself rejects strides > 1 with dilation > 1, and otherwise no Keras layer
    (every padding, every output_padding) plus any slice gives torch's output."""
    counts = COUNTS["keras", "port_to"]
    for seed, args in enumerate(torch_grid()):
        x, weight = rng_arrays(seed, (1, C_IN, LENGTH), (C_IN, C_OUT, args["kernel_size"]))
        expected = torch_layer(args, x, weight)
        try:
            p = convviz.port_to("keras", **args, in_channels=C_IN, out_channels=C_OUT)
        except ConvSpecError as error:
            counts["refused"][reason(str(error))] += 1
            k, s, d = args["kernel_size"], args["stride"], args["dilation"]
            if s > 1 and d > 1:
                with pytest.raises(ValueError, match="dilation_rate"):
                    keras.layers.Conv1DTranspose(1, k, strides=s, dilation_rate=d)
                continue
            kernel = weight.transpose(2, 1, 0)
            for layer in all_keras_layers(k, s, d):
                out = keras_run(layer, x, kernel)
                n = expected.shape[-1]
                assert not any(close(expected, out[..., i:i + n]) for i in range(out.shape[-1] - n + 1)), layer
            continue
        got = crop(keras_run(p.args, x, p.kernel(weight)), p.crop)
        assert close(got, expected), (args, p)
        counts["reproduced"] += 1
    refused = counts["refused"]
    assert refused == {"strides > 1 with dilation > 1 (Keras rejects it)": 60,
                       "zeros at the end the framework cannot add": 4}, dict(refused)


def test_torch_search_confirms_no_keras_refusal_is_needed():
    """The other half of the proof: every Keras window is one torch layer plus a crop, so an exhaustive torch
    search (every padding and output_padding) reaches each; checked on Keras' own output for the layers
    whose window is uneven (the ones that need the slice)."""
    for seed, layer in enumerate(keras_grid()):
        p = convviz.port("keras", **layer)
        if p.crop == (0, 0):
            continue
        x, kernel = rng_arrays(seed, (1, 1, LENGTH), (layer["kernel_size"], 1, 1))
        assert torch_reaches(keras_run(layer, x, kernel), x, p.weight(kernel), layer["kernel_size"],
                             layer["strides"], layer["dilation_rate"])


def test_keras_code_runs_and_matches():
    for p in (convviz.port("keras", kernel_size=4, strides=1, padding="same", filters=3, in_channels=2),
              convviz.port_to("keras", kernel_size=3, stride=3, padding=2, output_padding=1)):
        scope: dict = {}
        exec(compile(p.code, "<port code>", "exec"), scope)
        assert close(scope["y_keras"], scope["y_torch"]), p.code
