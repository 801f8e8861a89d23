"""The Conv1d a ConvTranspose1d transposes, against torch: conv1d_length, the round trip of every valid
output_size, the NumPy conv1d, the adjoint identity with numbers, and autograd's gradient of conv1d."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from conv_configs import Config, configs, random_array, tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

import convviz
from convviz.adjoint import adjoint_sides, conv1d, round_trip
from convviz.engine import conv_transpose1d
from convviz.errors import ConvSpecError
from convviz.spec import ConvSpec
from convviz.torch_check import conv1d_input_gradient


@given(st.integers(1, 40), st.integers(1, 6), st.integers(1, 5), st.integers(0, 6), st.integers(1, 4))
def test_conv1d_length_is_torch(length, kernel, stride, padding, dilation):
    x = torch.zeros(1, 1, length)
    w = torch.zeros(1, 1, kernel)
    if length + 2 * padding < dilation * (kernel - 1) + 1:
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv1d(x, w, None, stride, padding, dilation)
        with pytest.raises(ConvSpecError, match=f"^length={length}: Conv1d needs the padded input"):
            convviz.conv1d_length(length, kernel, stride, padding, dilation)
        return
    out = torch.nn.functional.conv1d(x, w, None, stride, padding, dilation)
    assert convviz.conv1d_length(length, kernel, stride, padding, dilation) == out.shape[-1]


def test_conv1d_length_golden_and_errors():
    assert convviz.conv1d_length(13, kernel_size=3, stride=2) == 6  # the default's output goes back to 6
    assert convviz.conv1d_length(np.int64(5), 3) == 3
    for args, start in [((0, 3), "length=0 must be positive"), ((5, 3, 0), "stride=0 must be positive"),
                        ((5, 3, 1, -1), "padding=-1 must be zero or more"),
                        ((5, 2.5), "kernel_size=2.5 must be a whole number"), ((5, True), "kernel_size=True")]:
        with pytest.raises(ConvSpecError) as error:
            convviz.conv1d_length(*args)
        assert str(error.value).startswith(start) and "use " in str(error.value)


@settings(max_examples=30)
@given(st.integers(1, 8), st.integers(1, 5), st.integers(1, 4), st.integers(0, 5), st.integers(1, 3))
def test_every_valid_output_size_maps_back_to_the_input_length(length, kernel, stride, padding, dilation):
    spec = ConvSpec(1, 1, kernel, stride, padding, dilation=dilation, bias=False)
    try:
        low, high = spec.output_size_range(length)
    except ConvSpecError:
        return  # padding crops every size
    trips = round_trip(length, kernel, stride, padding, dilation)
    assert [r.output_size for r in trips] == list(range(low, high + 1))
    module = torch.nn.ConvTranspose1d(1, 1, kernel, stride, padding, dilation=dilation, bias=False)
    for r in trips:
        y = module(torch.zeros(1, 1, length), output_size=[r.output_size])
        assert y.shape[-1] == r.output_size
        assert ConvSpec(1, 1, kernel, stride, padding, r.output_padding, dilation=dilation).output_length(length) \
            == r.output_size
        back = torch.nn.functional.conv1d(y, module.weight, None, stride, padding, dilation)
        assert back.shape[-1] == r.conv1d_length == length


@settings(max_examples=25)
@given(configs(), st.integers(0, 2**32 - 1))
def test_numpy_conv1d_is_torch_conv1d(cfg: Config, seed: int):
    y_shape = conv_transpose1d(*cfg.args).shape  # (C_out, L_out) or (N, C_out, L_out)
    a = random_array(np.random.default_rng(seed), y_shape, str(cfg.x.dtype))
    ours = conv1d(a, cfg.weight, cfg.stride, cfg.padding, cfg.dilation, cfg.groups)
    theirs = torch.nn.functional.conv1d(torch.from_numpy(a), torch.from_numpy(cfg.weight), None, cfg.stride,
                                        cfg.padding, cfg.dilation, cfg.groups).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, **tolerance(cfg.x.dtype))


def test_numpy_conv1d_golden():
    """Stride 2 reads every other window of the output: taps 1, 10, 100 against [1, 10, 102, 20, 200]."""
    y = np.array([[1.0, 10.0, 102.0, 20.0, 200.0]])
    assert conv1d(y, np.array([[[1.0, 10.0, 100.0]]]), stride=2).tolist() == [[1 + 100 + 10200, 102 + 200 + 20000]]
    with pytest.raises(ConvSpecError, match="input has 2 channels but this weight reads 1"):
        conv1d(np.zeros((2, 5)), np.ones((1, 1, 3)))


@settings(max_examples=25)
@given(configs(bias=False), st.integers(0, 2**32 - 1))
def test_adjoint_identity_with_torch_on_both_sides(cfg: Config, seed: int):
    y_shape = conv_transpose1d(*cfg.args).shape
    a = random_array(np.random.default_rng(seed), y_shape, str(cfg.x.dtype))
    sides = adjoint_sides(a, cfg.x, cfg.weight, cfg.stride, cfg.padding, cfg.output_padding, cfg.groups,
                          cfg.dilation)
    forward = torch.nn.functional.conv_transpose1d(torch.from_numpy(cfg.x), torch.from_numpy(cfg.weight), None,
                                                   cfg.stride, cfg.padding, cfg.output_padding, cfg.groups,
                                                   cfg.dilation).numpy()
    back = torch.nn.functional.conv1d(torch.from_numpy(a), torch.from_numpy(cfg.weight), None, cfg.stride,
                                      cfg.padding, cfg.dilation, cfg.groups).numpy()[..., :cfg.x.shape[-1]]
    scale = 1 + np.sum(np.abs(a)) * np.sum(np.abs(cfg.weight)) * np.max(np.abs(cfg.x))
    rtol = 1e-5 if cfg.x.dtype in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(sides.left, np.sum(back.astype(np.complex128) * cfg.x), atol=rtol * scale)
    np.testing.assert_allclose(sides.right, np.sum(a.astype(np.complex128) * forward), atol=rtol * scale)
    np.testing.assert_allclose(sides.left, sides.right, atol=rtol * scale)


def test_adjoint_golden():
    """By hand: x = [1, 2], taps 1, 10, 100, stride 2 → y = [1, 10, 102, 20, 200]; a picks y[0] + 2·y[4]."""
    s = adjoint_sides(np.array([[1.0, 0, 0, 0, 2]]), np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]),
                      stride=2)
    assert s.forward.tolist() == [[1, 10, 102, 20, 200]]
    assert s.back.tolist() == [[1, 200]] and s.left == s.right == 401.0


@settings(max_examples=25)
@given(configs())
def test_autograd_of_conv1d_is_the_transposed_convolution(cfg: Config):
    spec = ConvSpec(cfg.x.shape[-2], cfg.weight.shape[1] * cfg.groups, cfg.weight.shape[2], cfg.stride, cfg.padding,
                    cfg.output_padding, cfg.groups, False, cfg.dilation, dtype=str(cfg.x.dtype))
    grad = conv1d_input_gradient(spec, cfg.x, cfg.weight)
    ours = conv_transpose1d(cfg.x, cfg.weight, None, **cfg.kwargs)
    theirs = torch.nn.functional.conv_transpose1d(torch.from_numpy(cfg.x), torch.from_numpy(cfg.weight), None,
                                                  cfg.stride, cfg.padding, cfg.output_padding, cfg.groups,
                                                  cfg.dilation).numpy()
    assert grad.shape == ours.shape == theirs.shape and grad.dtype == ours.dtype
    np.testing.assert_allclose(grad, ours, **tolerance(cfg.x.dtype))
    np.testing.assert_allclose(grad, theirs, **tolerance(cfg.x.dtype))
