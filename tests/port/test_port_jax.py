"""convviz.port against jax.lax.conv_transpose itself (both transpose_kernel values; 'SAME', 'VALID' and
explicit pads, also with use_consistent_padding) and torch."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from port_oracle import COUNTS, close, crop, reason, rng_arrays, torch_layer, torch_reaches

import convviz
from convviz import ConvSpecError

jax = pytest.importorskip("jax")
lax = jax.lax

LENGTH, C_IN, C_OUT = 5, 2, 3


def lax_run(args: dict, x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """lax.conv_transpose on ``x`` ``(N, C_in, L)`` in its default NHC/HIO layout, returned as ``(N, C, L)``."""
    padding = args["padding"] if isinstance(args["padding"], str) else [tuple(args["padding"][0])]
    y = lax.conv_transpose(x.transpose(0, 2, 1), kernel, strides=tuple(args["strides"]), padding=padding,
                           rhs_dilation=tuple(args["rhs_dilation"]), transpose_kernel=args["transpose_kernel"],
                           use_consistent_padding=args.get("use_consistent_padding", False))
    return np.asarray(y).transpose(0, 2, 1)


def kernel_shape(transpose_kernel: bool, kernel_size: int) -> tuple[int, int, int]:
    return (kernel_size, C_OUT, C_IN) if transpose_kernel else (kernel_size, C_IN, C_OUT)


def lax_grid():
    """Every (kernel, stride, dilation) with 'SAME' and 'VALID' under both transpose_kernel, explicit pads at
    and beyond the edges of what torch reaches, and a few forward-conv paddings (use_consistent_padding)."""
    rng = np.random.default_rng(20)
    for kernel_size in (1, 2, 3, 4):
        for stride in (1, 2, 3):
            for dilation in (1, 2):
                k_eff, reach = dilation * (kernel_size - 1) + 1, max(stride, dilation) - 1
                base = {"kernel_size": kernel_size, "strides": (stride,), "rhs_dilation": (dilation,)}
                for transpose in (False, True):
                    for mode in ("SAME", "VALID"):
                        yield {**base, "padding": mode, "transpose_kernel": transpose}
                for lo in sorted({0, k_eff - 1, k_eff}):  # k_eff: one zero before the first sample
                    for hi in sorted({k_eff - 1, k_eff - 1 + reach, k_eff + reach}):  # the last: one zero too many
                        yield {**base, "padding": [(lo, hi)], "transpose_kernel": bool(rng.integers(2))}
                yield {**base, "padding": [(-1, -1)], "transpose_kernel": bool(rng.integers(2))}
                for lo, hi in rng.integers(-1, 3, size=(3, 2)).tolist():
                    yield {**base, "padding": [(lo, hi)], "transpose_kernel": bool(rng.integers(2)),
                           "use_consistent_padding": True}


def test_every_lax_conv_transpose_is_one_torch_layer_plus_a_crop_or_out_of_torchs_reach():
    counts = COUNTS["jax", "port"]
    for seed, layer in enumerate(lax_grid()):
        k = layer["kernel_size"]
        x, kernel = rng_arrays(seed, (1, C_IN, LENGTH), kernel_shape(layer["transpose_kernel"], k))
        try:
            p = convviz.port("jax", **layer)
        except ConvSpecError as error:
            counts["refused"][reason(str(error))] += 1
            expected = lax_run(layer, x, kernel)
            weight = (kernel.transpose(2, 1, 0) if layer["transpose_kernel"] else
                      kernel[::-1].transpose(1, 2, 0))
            assert not torch_reaches(expected, x, weight, k, layer["strides"][0], layer["rhs_dilation"][0]), layer
            continue
        try:
            n = p.length(LENGTH)
        except ConvSpecError:  # the layer crops more than it makes; lax agrees there is no output
            with contextlib.suppress(TypeError, ValueError):  # lax either fails or returns nothing
                assert lax_run(layer, x, kernel).shape[-1] < 1
            counts["invalid"] += 1
            continue
        expected = lax_run(layer, x, kernel)
        assert expected.shape[-1] == n
        got = crop(torch_layer(p.torch, x, p.weight(kernel)), p.crop)
        assert close(got, expected), (layer, p)
        counts["reproduced"] += 1
    assert counts["reproduced"] == 241 and sum(counts["refused"].values()) == 135


def torch_grid():
    for kernel_size in (1, 2, 3, 4):
        for stride in (1, 2, 3):
            for dilation in (1, 2):
                for padding in (0, 1, 2, 4):
                    for output_padding in range(max(stride, dilation)):
                        yield {"kernel_size": kernel_size, "stride": stride, "padding": padding,
                               "output_padding": output_padding, "dilation": dilation}


def test_every_torch_layer_is_one_lax_conv_transpose():
    counts = COUNTS["jax", "port_to"]
    for seed, args in enumerate(torch_grid()):
        x, weight = rng_arrays(seed, (1, C_IN, LENGTH), (C_IN, C_OUT, args["kernel_size"]))
        if (LENGTH - 1) * args["stride"] + args["dilation"] * (args["kernel_size"] - 1) + 1 \
                + args["output_padding"] - 2 * args["padding"] < 1:
            continue  # torch refuses it too: no output
        expected = torch_layer(args, x, weight)
        for transpose, consistent in ((bool(seed % 2), False), (not seed % 2, True)):
            p = convviz.port_to("jax", **args, transpose_kernel=transpose, use_consistent_padding=consistent)
            assert p.crop == (0, 0)
            got = crop(lax_run(p.args, x, p.kernel(weight)), p.crop)
            assert close(got, expected), (args, p)
            counts["reproduced"] += 1
    with pytest.raises(ConvSpecError, match="feature_group_count"):
        convviz.port_to("jax", kernel_size=3, groups=2)
    counts["refused"][reason("feature_group_count")] += 1  # the one refusal: lax.conv_transpose has no groups
    import inspect
    assert "feature_group_count" not in inspect.signature(lax.conv_transpose).parameters


def test_transpose_kernel_is_the_flip():
    """The two transpose_kernel values differ exactly by the flip and the channel swap Port.weight makes."""
    x, kernel = rng_arrays(3, (1, C_IN, 6), (4, C_IN, C_OUT))
    plain = convviz.port("jax", kernel_size=4, strides=2, padding="SAME")
    swapped = convviz.port("jax", kernel_size=4, strides=2, padding="SAME", transpose_kernel=True)
    flipped = kernel[::-1].transpose(0, 2, 1)  # what transpose_kernel=True needs for the same layer
    assert close(lax_run(plain.args, x, kernel), lax_run(swapped.args, x, flipped))
    np.testing.assert_array_equal(plain.weight(kernel), swapped.weight(flipped))
    assert not np.array_equal(plain.weight(kernel), swapped.weight(kernel))


def test_jax_code_runs_and_matches():
    for p in (convviz.port("jax", kernel_size=3, strides=2, padding=[(1, 0)], rhs_dilation=2, in_channels=2),
              convviz.port_to("jax", kernel_size=3, stride=2, padding=4, output_padding=1, transpose_kernel=True)):
        scope: dict = {}
        exec(compile(p.code, "<port code>", "exec"), scope)
        assert close(scope["y_jax"], scope["y_torch"]), p.code
