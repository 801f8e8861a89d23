"""Equivalent formulations: the gather (direct convolution) form and the matrix form equal the engine; the matrix
is the transpose of conv1d's, and the adjoint identity holds, with torch's conv1d as the oracle."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from conv_configs import Config, configs, random_array, tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz import ConvSpecError, conv_transpose1d, trace
from convviz.forms import flipped_kernel, gather, gather_for, matrix, matrix_for

# --- gather --------------------------------------------------------------------------------------------------


def test_gather_golden_zero_insert_and_pad() -> None:
    g = gather(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
    np.testing.assert_array_equal(g.upsampled, [[0, 0, 1, 0, 2, 0, 0]])  # pad 2 | 1 0 2 | pad 2
    assert g.source_index.tolist() == [-1, -1, 0, -1, 1, -1, -1]
    assert (g.left_pad, g.right_pad, g.zeros_inserted, g.window_span) == (2, 2, 1, 3)
    np.testing.assert_array_equal(g.kernel, [[[100, 10, 1]]])
    np.testing.assert_array_equal(g.output, [[1, 10, 102, 20, 200]])
    assert g.window_start.tolist() == [0, 1, 2, 3, 4] and g.window(2).tolist() == [2, 3, 4]


def test_gather_golden_crops_when_padding_exceeds_the_kernel_reach() -> None:
    # K = 2, dilation 1: reach 1 < padding 3, so the zero-inserted input is cropped by 2 on each side
    x, w = np.array([[1.0, 2.0, 3.0]]), np.array([[[1.0, 10.0]]])
    g = gather(x, w, stride=3, padding=3, output_padding=2)
    assert (g.left_pad, g.right_pad) == (-2, 0)
    np.testing.assert_array_equal(g.upsampled, [[0, 2, 0, 0, 3]])  # 1 0 0 2 0 0 3 with 2 cropped on the left
    assert g.source_index.tolist() == [-1, 1, -1, -1, 2]
    expected = conv_transpose1d(x, w, stride=3, padding=3, output_padding=2)
    np.testing.assert_array_equal(g.output, expected)


def test_gather_dilated_kernel_has_gaps() -> None:
    g = gather(np.ones((1, 2)), np.array([[[1.0, 2.0, 3.0]]]), dilation=2)
    np.testing.assert_array_equal(g.dilated_kernel, [[[3, 0, 2, 0, 1]]])
    np.testing.assert_array_equal(g.window(1), [1, 3, 5])


def test_flipped_kernel_swaps_channels_within_each_group() -> None:
    w = np.arange(2 * 3 * 2, dtype=float).reshape(2, 3, 2)  # C_in 2, C_out/g 3, K 2; groups 2 → C_out 6
    k = flipped_kernel(w, groups=2)
    assert k.shape == (6, 1, 2)
    for o in range(6):
        group, o_local = divmod(o, 3)
        np.testing.assert_array_equal(k[o, 0], w[group, o_local, ::-1])


@given(configs())
def test_gather_equals_the_engine(cfg: Config) -> None:
    g = gather(*cfg.args)
    engine = conv_transpose1d(*cfg.args)
    assert g.output.dtype == engine.dtype and g.output.shape == engine.shape and g.batched == (cfg.x.ndim == 3)
    np.testing.assert_allclose(g.output, engine, **tolerance(engine.dtype))
    s = g.spec
    reach = s.dilation * (s.kernel_size - 1)
    assert g.upsampled.shape[:-1] == cfg.x.shape[:-1]
    assert g.upsampled.shape[-1] == engine.shape[-1] + reach == len(g.source_index)
    assert (g.left_pad, g.right_pad) == (reach - s.padding, reach - s.padding + s.output_padding)
    present = g.source_index >= 0
    np.testing.assert_array_equal(g.upsampled[..., present], cfg.x[..., g.source_index[present]])
    assert not np.any(g.upsampled[..., ~present])
    assert np.all(np.diff(np.flatnonzero(present)) == s.stride)  # stride - 1 zeros between samples


@given(configs(max_length=4), st.data())
def test_gather_window_dot_kernel_is_the_output(cfg: Config, data: st.DataObject) -> None:
    g = gather(*cfg.args)
    s = g.spec
    up = g.upsampled if g.batched else g.upsampled[None]  # (N, C_in, L_up)
    y = g.output if g.batched else g.output[None]
    o = data.draw(st.integers(0, s.out_channels - 1))
    j = data.draw(st.integers(0, y.shape[-1] - 1))
    group_in = s.in_channels // s.groups
    group = o // (s.out_channels // s.groups)
    window = up[:, group * group_in:(group + 1) * group_in, g.window(j)]  # (N, C_ig, K)
    by_hand = np.sum(window * g.kernel[o][None], axis=(1, 2)) + (0 if cfg.bias is None else cfg.bias[o])
    np.testing.assert_allclose(by_hand, y[:, o, j], **tolerance(y.dtype))


def test_gather_validates_like_the_engine() -> None:
    with pytest.raises(ConvSpecError, match="output_padding"):
        gather(np.ones((1, 3)), np.ones((1, 1, 2)), output_padding=1)


# --- matrix --------------------------------------------------------------------------------------------------


def test_matrix_golden() -> None:
    m = matrix(np.array([[[1.0, 10.0, 100.0]]]), length=2, stride=2)
    np.testing.assert_array_equal(m, [[1, 0], [10, 0], [100, 1], [0, 10], [0, 100]])
    m = matrix(np.array([[[1.0, 10.0, 100.0]]]), length=2, stride=2, padding=1)  # crops the first and last rows
    np.testing.assert_array_equal(m, [[10, 0], [100, 1], [0, 10]])


@given(configs(batched=False))
def test_matrix_times_input_plus_bias_is_the_engine(cfg: Config) -> None:
    s = cfg.kwargs
    m = matrix(cfg.weight, cfg.x.shape[1], **s)
    engine = conv_transpose1d(*cfg.args)  # (C_out, L_out)
    assert m.shape == (engine.size, cfg.x.size) and m.dtype == cfg.weight.dtype
    y = m @ cfg.x.ravel() + (0 if cfg.bias is None else np.repeat(cfg.bias, engine.shape[1]))
    np.testing.assert_allclose(y, engine.ravel(), **tolerance(engine.dtype))


def conv1d_matrix(weight: np.ndarray, out_length: int, stride: int, padding: int, groups: int,
                  dilation: int) -> np.ndarray:
    """torch's conv1d as a matrix, column by column: apply it to every basis vector of (C_out, L_out)."""
    c_out = weight.shape[1] * groups
    basis = torch.eye(c_out * out_length, dtype=torch.from_numpy(weight).dtype).reshape(-1, c_out, out_length)
    images = torch.nn.functional.conv1d(basis, torch.from_numpy(weight), None, stride, padding, dilation, groups)
    return images.reshape(c_out * out_length, -1).T.numpy()  # (C_in·L', C_out·L_out)


@settings(max_examples=30)
@given(configs(dtypes=("float64", "complex128"), batched=False, bias=False))
def test_matrix_transpose_is_conv1d(cfg: Config) -> None:
    c_in, length = cfg.x.shape
    m = matrix(cfg.weight, length, **cfg.kwargs)  # (C_out·L_out, C_in·L)
    out_length = m.shape[0] // (cfg.weight.shape[1] * cfg.groups)
    theirs = conv1d_matrix(cfg.weight, out_length, cfg.stride, cfg.padding, cfg.groups, cfg.dilation)
    # conv1d's output is L long, or longer when output_padding >= stride (possible when dilation > stride): the
    # extra positions belong to input samples that do not exist. The first L of each channel are the adjoint.
    rows = theirs.reshape(c_in, -1, theirs.shape[1])
    assert rows.shape[1] >= length
    exact = not np.iscomplexobj(m)  # torch's complex conv1d uses three real ones (Gauss): not exact then
    np.testing.assert_allclose(m.T, rows[:, :length].reshape(c_in * length, -1), rtol=0, atol=0 if exact else 1e-14)


@settings(max_examples=30)
@given(configs(dtypes=("float64", "complex128"), bias=False), st.integers(0, 2**32 - 1))
def test_adjoint_identity_against_torch_conv1d(cfg: Config, seed: int) -> None:
    y_shape = conv_transpose1d(*cfg.args).shape
    y = random_array(np.random.default_rng(seed), y_shape, str(cfg.x.dtype))
    back = torch.nn.functional.conv1d(torch.from_numpy(y if y.ndim == 3 else y[None]),
                                      torch.from_numpy(cfg.weight), None, cfg.stride, cfg.padding, cfg.dilation,
                                      cfg.groups).numpy()  # (N, C_in, L')
    back = back[..., :cfg.x.shape[-1]] if y.ndim == 3 else back[0, :, :cfg.x.shape[-1]]
    left = np.sum(conv_transpose1d(*cfg.args) * y)  # bilinear: no conjugation on either side
    right = np.sum(cfg.x * back)
    np.testing.assert_allclose(left, right, rtol=1e-10, atol=1e-10)


@settings(max_examples=30)
@given(configs())
def test_forms_of_a_trace_match_the_standalone_ones(cfg: Config) -> None:
    t = trace(*cfg.args)
    np.testing.assert_array_equal(matrix_for(t), matrix(cfg.weight, t.length, **cfg.kwargs))
    g = gather_for(t)
    np.testing.assert_array_equal(g.output, gather(*cfg.args).output)
    assert g.batched == t.batched and g.output.shape == t.torch_output.shape


def test_matrix_validates() -> None:
    with pytest.raises(ConvSpecError, match="padding"):
        matrix(np.ones((1, 1, 1)), length=1, padding=1)
