"""Running sums after each animation step, against torch on the input with the later elements zeroed."""
from __future__ import annotations

import numpy as np
import torch
from conv_configs import Config, configs, tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.trace import trace


def torch_full(cfg: Config, x: np.ndarray) -> np.ndarray:
    """torch's full buffer (padding 0, no bias) for input ``x``: (N, C_out, L_full)."""
    out = torch.nn.functional.conv_transpose1d(
        torch.from_numpy(x), torch.from_numpy(cfg.weight), None, stride=cfg.stride, padding=0,
        output_padding=cfg.output_padding, groups=cfg.groups, dilation=cfg.dilation)
    return out.numpy()


@settings(max_examples=60, deadline=None)
@given(cfg=configs(), data=st.data())
def test_running_sums_equal_torch_on_the_elements_played_so_far(cfg, data):
    t = trace(*cfg.args)
    x = t.input  # (N, C_in, L)
    batch = data.draw(st.integers(0, x.shape[0] - 1))
    step = data.draw(st.integers(-1, t.steps_per_batch - 1))
    order = np.arange(t.length)[None, :] * t.spec.in_channels + np.arange(t.spec.in_channels)[:, None]  # (C_in, L)
    played = np.where(order <= step, x[batch], 0).astype(x.dtype)
    want = torch_full(cfg, played[None])[0]
    got = t.running_sums(step, batch)
    assert got.shape == want.shape == (t.spec.out_channels, t.full_length)
    np.testing.assert_allclose(got, want, **tolerance(x.dtype))


def test_running_sums_by_hand():
    # x = [1, 2], w = [1, 10, 100], stride 2: x[0] lands at 0, 1, 2; x[1] at 2, 3, 4.
    t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
    assert t.running_sums(-1).tolist() == [[0, 0, 0, 0, 0]]
    assert t.running_sums(0).tolist() == [[1, 10, 100, 0, 0]]
    assert t.running_sums(1).tolist() == [[1, 10, 102, 20, 200]]


def played_mask(t, batch: int, keep) -> np.ndarray:
    """Sample ``batch``'s input with only the elements ``keep(in_channel, in_index)`` left: (1, C_in, L)."""
    c, i = np.indices((t.spec.in_channels, t.length))
    return np.where(keep(c, i), t.input[batch], 0).astype(t.input.dtype)[None]


@settings(max_examples=40, deadline=None)
@given(cfg=configs(), data=st.data())
def test_what_steps_and_positions_add_equals_torch(cfg, data):
    t = trace(*cfg.args)
    batch = data.draw(st.integers(0, t.batch_size - 1))
    i = data.draw(st.integers(0, t.length - 1))
    first, last = sorted(data.draw(st.lists(st.integers(0, t.spec.in_channels - 1), min_size=2, max_size=2)))
    spec, taps = t.spec, np.arange(t.spec.kernel_size)
    lands = i * spec.stride + taps * spec.dilation  # the rule, written here as the oracle
    assert t.landing(i).tolist() == lands.tolist()
    want = torch_full(cfg, played_mask(t, batch, lambda c, ii: (ii == i) & (c >= first) & (c <= last)))[0]
    got, landed = t.adds(i * spec.in_channels + first, i * spec.in_channels + last + 1, batch)
    np.testing.assert_allclose(got, want[:, lands], **tolerance(t.input.dtype))
    group_in, group_out = spec.in_channels // spec.groups, spec.out_channels // spec.groups
    groups_played = {c // group_in for c in range(first, last + 1)}
    assert landed.tolist() == [[o // group_out in groups_played] * spec.kernel_size for o in range(spec.out_channels)]
    whole = torch_full(cfg, played_mask(t, batch, lambda c, ii: ii == i))[0]
    np.testing.assert_allclose(t.position_adds(batch)[i], whole[:, lands], **tolerance(t.input.dtype))
    earlier = torch_full(cfg, played_mask(t, batch, lambda c, ii: ii < i))[0]  # (C_out, L_full)
    sums, touched = t.window_before(batch)
    window = np.arange(spec.dilation * (spec.kernel_size - 1) + 1) + i * spec.stride
    inside = window < t.full_length
    np.testing.assert_allclose(sums[i][:, inside], earlier[:, window[inside]], **tolerance(t.input.dtype))
    ones = torch.nn.functional.conv_transpose1d(  # reached by an earlier position, whatever the values
        torch.from_numpy((np.arange(t.length) < i).astype(np.float64)[None, None]),
        torch.ones((1, 1, spec.kernel_size), dtype=torch.float64), stride=spec.stride, dilation=spec.dilation,
        output_padding=spec.output_padding).numpy()[0, 0]
    assert touched[i][inside].tolist() == (ones[window[inside]] > 0).tolist()


@settings(max_examples=40, deadline=None)
@given(cfg=configs())
def test_final_overlap_and_tap_sources_equal_torch(cfg):
    t = trace(*cfg.args)
    spec = t.spec
    batch = t.batch_size - 1
    x = torch.from_numpy(t.input[batch])
    out = torch.nn.functional.conv_transpose1d(
        x, torch.from_numpy(cfg.weight), None if cfg.bias is None else torch.from_numpy(cfg.bias), **cfg.kwargs)
    full = torch_full(cfg, t.input[batch][None])[0]
    want = full.copy()
    want[:, spec.padding:spec.padding + t.output_length] = out.numpy()
    np.testing.assert_allclose(t.final(batch), want, **tolerance(t.input.dtype))
    np.testing.assert_allclose(t.output[batch], out.numpy(), **tolerance(t.input.dtype))
    position = torch.arange(1, t.length + 1, dtype=torch.float64)[None, None]  # input i holds i + 1
    for k in range(spec.kernel_size):  # one tap at a time: output j then holds (source + 1), or 0
        tap = torch.zeros((1, 1, spec.kernel_size), dtype=torch.float64)
        tap[0, 0, k] = 1
        got = torch.nn.functional.conv_transpose1d(position, tap, stride=spec.stride, padding=spec.padding,
                                                   output_padding=spec.output_padding, dilation=spec.dilation)
        assert t.tap_sources()[k].tolist() == (got[0, 0].numpy().astype(int) - 1).tolist()
    counts = torch.nn.functional.conv_transpose1d(
        torch.ones((1, 1, t.length), dtype=torch.float64), torch.ones((1, 1, spec.kernel_size), dtype=torch.float64),
        stride=spec.stride, padding=spec.padding, output_padding=spec.output_padding, dilation=spec.dilation)
    assert t.overlap_counts().tolist() == counts[0, 0].numpy().astype(int).tolist()
    kept = np.arange(t.full_length) - spec.padding
    kept[(kept < 0) | (kept >= t.output_length)] = -1
    assert t.output_index(np.arange(t.full_length)).tolist() == kept.tolist()
