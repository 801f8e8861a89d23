"""convviz.port against the ONNX ConvTranspose operator itself: onnx.reference (the specification) and
onnxruntime, with pads, output_padding, output_shape, every auto_pad, dilations and group; and torch.

Where a runtime departs from the specification the test pins what it does instead (so a fix shows up here)."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from port_oracle import COUNTS, close, crop, reason, rng_arrays, torch_layer, torch_reaches

import convviz
from convviz import ConvSpecError
from convviz.port import onnx_op

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402

ort.set_default_logger_severity(4)  # the pinned failures below would print errors
LENGTH = 5
ATTRIBUTES = ("kernel_shape", "strides", "pads", "output_padding", "output_shape", "dilations", "auto_pad", "group")


def model(attributes: dict) -> onnx.ModelProto:
    given = {k: v for k, v in attributes.items() if k in ATTRIBUTES and v is not None}
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], **given)
    graph = helper.make_graph([node], "port", [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in "xw"],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)], ir_version=10)


def reference(attributes: dict, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return ReferenceEvaluator(model(attributes)).run(None, {"x": x, "w": w})[0]


def runtime(attributes: dict, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model(attributes).SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x, "w": w})[0]


def test_onnx_backend_case_convtranspose_1d():
    """ONNX's own test_convtranspose_1d: x = [0, 1, 2], W ones (1, 2, 3) gives [0, 1, 3, 3, 2] on both channels."""
    x = np.array([[[0.0, 1.0, 2.0]]], dtype=np.float32)
    w = np.ones((1, 2, 3), dtype=np.float32)
    golden = np.array([[[0, 1, 3, 3, 2], [0, 1, 3, 3, 2]]], dtype=np.float32)
    p = convviz.port("onnx", kernel_shape=[3])
    np.testing.assert_array_equal(crop(torch_layer(p.torch, x, p.weight(w)), p.crop), golden)
    np.testing.assert_array_equal(reference({}, x, w), golden)
    np.testing.assert_array_equal(runtime({}, x, w), golden)
    assert p.length(3) == 5 and p.crop == (0, 0)


def onnx_grid():
    rng = np.random.default_rng(22)
    for kernel_size in (1, 2, 3, 4):
        for stride in (1, 2, 3):
            for dilation in (1, 2):
                base = {"kernel_shape": [kernel_size], "strides": [stride], "dilations": [dilation]}
                natural = stride * (LENGTH - 1) + dilation * (kernel_size - 1) + 1
                for output_padding in range(stride):
                    for pads in ([0, 0], [1, 0], [0, 2], [2, 1]):
                        yield {**base, "pads": pads, "output_padding": [output_padding]}
                    for auto_pad in ("VALID", "SAME_UPPER", "SAME_LOWER"):
                        yield {**base, "auto_pad": auto_pad, "output_padding": [output_padding]}
                for auto_pad in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
                    for shift in rng.choice([-3, -2, -1, 0, 1, 2], size=2, replace=False).tolist():
                        yield {**base, "auto_pad": auto_pad, "output_shape": [max(1, natural + shift)],
                               "length": LENGTH}
                yield {**base, "pads": [1, 2], "output_shape": [natural - 2], "length": LENGTH}  # pads ignored


def spec_total(attrs: dict) -> int | None:
    """The specification's total padding where it derives the pads (None: pads are given)."""
    (k,), (s,), (d,) = attrs["kernel_shape"], attrs["strides"], attrs["dilations"]
    op = attrs.get("output_padding", [0])[0]
    if attrs.get("output_shape") is not None:
        return s * (LENGTH - 1) + op + (k - 1) * d + 1 - attrs["output_shape"][0]
    if attrs.get("auto_pad", "NOTSET").startswith("SAME"):
        return (k - 1) * d + 1 + op - s
    return None


def test_every_onnx_conv_transpose_is_one_torch_layer_plus_a_crop_or_out_of_torchs_reach():
    counts = COUNTS["onnx", "port"]
    pinned = {"reference does not derive pads from output_shape (NOTSET/VALID)": 0,
              "reference keeps pads next to output_shape": 0,
              "onnxruntime clamps a negative total to 0 (SAME_*)": 0,
              "onnxruntime rejects output_shape strides or more beyond the full length": 0}
    for seed, attrs in enumerate(onnx_grid()):
        (k,), (s,), (d,) = attrs["kernel_shape"], attrs["strides"], attrs["dilations"]
        x, w = rng_arrays(seed, (1, 2, LENGTH), (2, 3, k))
        total = spec_total(attrs)
        derives = attrs.get("output_shape") is not None and attrs.get("auto_pad", "NOTSET") in ("NOTSET", "VALID")
        ref_implements = not (derives and (attrs.get("pads") or total != 0))
        if not ref_implements:
            if attrs.get("pads"):
                pinned["reference keeps pads next to output_shape"] += 1
            else:  # it keeps pads [0, 0] and cuts or zero-extends the end to output_shape, or fails
                try:
                    out = reference(attrs, x, w)
                except ValueError as error:
                    assert "output_shape" in str(error)
                else:
                    n = attrs["output_shape"][0]
                    full = torch_layer({"stride": s, "padding": 0, "output_padding": 0, "dilation": d}, x, w)
                    assert close(out, np.pad(full, ((0, 0), (0, 0), (0, max(0, n - full.shape[-1]))))[..., :n])
                pinned["reference does not derive pads from output_shape (NOTSET/VALID)"] += 1
        try:
            p = convviz.port("onnx", **attrs)
        except ConvSpecError as error:
            counts["refused"][reason(str(error))] += 1
            assert total is not None and total < 0  # only a negative derived padding is refused
            # the specification's output: the reference itself, or, where it does not derive the pads, the reference
            # given the specification's (negative) pads explicitly
            pads = list(onnx_op.pads_of(onnx_op.normalise(attrs), LENGTH))
            explicit = {**{key: attrs[key] for key in ("kernel_shape", "strides", "dilations")},
                        "output_padding": attrs.get("output_padding", [0]), "pads": pads}
            expected = reference(attrs if ref_implements else explicit, x, w)
            assert expected.shape[-1] == s * (LENGTH - 1) + (k - 1) * d + 1 + explicit["output_padding"][0] - sum(pads)
            assert not torch_reaches(expected, x, w, k, s, d), attrs
            continue
        got = crop(torch_layer(p.torch, x, p.weight(w)), p.crop)
        assert got.shape[-1] == p.length(LENGTH)
        if ref_implements:
            assert close(reference(attrs, x, w), got), (attrs, p)
        if total is not None and -total >= s and attrs.get("output_shape") is not None:  # its Conv check fails
            with pytest.raises(Exception, match="output_shape"):
                runtime(attrs, x, w)
            pinned["onnxruntime rejects output_shape strides or more beyond the full length"] += 1
        elif total is not None and total < 0 and attrs.get("output_shape") is None:  # pads [0, 0]: the full result
            full = torch_layer({**p.torch, "padding": 0, "output_padding": attrs["output_padding"][0]}, x, p.weight(w))
            assert close(runtime(attrs, x, w), full)
            pinned["onnxruntime clamps a negative total to 0 (SAME_*)"] += 1
        else:
            assert close(runtime(attrs, x, w), got), (attrs, p)
        counts["reproduced"] += 1
    assert counts["reproduced"] == 503 and sum(counts["refused"].values()) == 49, dict(counts)
    assert all(pinned.values()), pinned


def test_group():
    """group: depthwise (one channel per group) in both runtimes; 4 → 6 channels in 2 groups in onnxruntime,
    which onnx.reference gets wrong (pinned)."""
    counts = COUNTS["onnx", "port"]
    for seed, (c_in, c_out, group, attrs) in enumerate([
            (3, 3, 3, {"kernel_shape": [3], "strides": [2], "pads": [1, 1], "output_padding": [1]}),
            (4, 6, 2, {"kernel_shape": [3], "strides": [2], "pads": [1, 1], "output_padding": [1]}),
            (4, 6, 2, {"kernel_shape": [4], "strides": [1], "dilations": [2], "auto_pad": "SAME_UPPER"}),
            (2, 4, 2, {"kernel_shape": [2], "strides": [3], "auto_pad": "SAME_LOWER", "output_padding": [1]})]):
        attrs = {**attrs, "group": group}
        x, w = rng_arrays(seed, (2, c_in, LENGTH), (c_in, c_out // group, attrs["kernel_shape"][0]))
        p = convviz.port("onnx", **attrs, in_channels=c_in, out_channels=c_out)
        assert p.torch["groups"] == group
        got = crop(torch_layer(p.torch, x, p.weight(w)), p.crop)
        assert close(runtime(attrs, x, w), got), (attrs, p)
        if c_in == c_out == group:
            assert close(reference(attrs, x, w), got)
        else:
            with contextlib.suppress(ValueError, IndexError):  # the reference's group path fails outright here
                assert not close(reference(attrs, x, w), got)
        counts["reproduced"] += 1


def torch_grid():
    for kernel_size in (1, 2, 3, 4):
        for stride in (1, 2, 3):
            for dilation in (1, 2, 3):
                for padding in (0, 1, 2):
                    for output_padding in range(max(stride, dilation)):
                        yield {"kernel_size": kernel_size, "stride": stride, "padding": padding,
                               "output_padding": output_padding, "dilation": dilation}


def all_onnx_layers(kernel_size: int, stride: int, dilation: int):
    """Every ConvTranspose with this kernel, stride and dilation whose output can reach past the full result's
    end (pads only crop, so the others are windows of these): each output_padding, each auto_pad, small pads."""
    base = {"kernel_shape": [kernel_size], "strides": [stride], "dilations": [dilation]}
    for output_padding in range(stride):
        for auto_pad in ("SAME_UPPER", "SAME_LOWER", "VALID"):
            yield {**base, "output_padding": [output_padding], "auto_pad": auto_pad}
        for begin in range(3):
            for end in range(3):
                yield {**base, "output_padding": [output_padding], "pads": [begin, end]}


def test_every_torch_layer_is_one_onnx_conv_transpose_or_out_of_its_reach():
    counts = COUNTS["onnx", "port_to"]
    for seed, args in enumerate(torch_grid()):
        x, weight = rng_arrays(seed, (1, 2, LENGTH), (2, 3, args["kernel_size"]))
        expected = torch_layer(args, x, weight)
        try:
            p = convviz.port_to("onnx", **args)
        except ConvSpecError as error:
            counts["refused"][reason(str(error))] += 1
            n = expected.shape[-1]
            for attrs in all_onnx_layers(args["kernel_size"], args["stride"], args["dilation"]):
                out = reference(attrs, x, weight)
                assert not any(close(expected, out[..., i:i + n]) for i in range(out.shape[-1] - n + 1)), attrs
            continue
        assert p.crop == (0, 0)
        attrs = {k: v for k, v in p.args.items() if v is not None}
        kernel = p.kernel(weight)
        assert close(reference(attrs, x, kernel), expected), (args, p)
        assert close(runtime(attrs, x, kernel), expected), (args, p)
        counts["reproduced"] += 1
    assert counts["refused"] == {"zeros at the end the framework cannot add": 20}, dict(counts["refused"])
    p = convviz.port_to("onnx", kernel_size=3, stride=2, padding=1, output_padding=1, groups=2, in_channels=4,
                        out_channels=6)
    x, weight = rng_arrays(7, (1, 4, LENGTH), (4, 3, 3))
    assert close(runtime(p.args, x, p.kernel(weight)), torch_layer(p.torch, x, weight))
    counts["reproduced"] += 1


def test_onnx_code_runs_and_matches():
    for p in (convviz.port("onnx", kernel_shape=[2], strides=[3], auto_pad="SAME_LOWER", in_channels=2),
              convviz.port("onnx", kernel_shape=[3], strides=[2], output_shape=[8], length=5),
              convviz.port("onnx", kernel_shape=[3], strides=[2], group=2, in_channels=4, out_channels=2),
              convviz.port_to("onnx", kernel_size=3, stride=1, padding=2, output_padding=2, dilation=3)):
        scope: dict = {}
        exec(compile(p.code, "<port code>", "exec"), scope)
        assert close(scope["y_onnx"], scope["y_torch"]), p.code
