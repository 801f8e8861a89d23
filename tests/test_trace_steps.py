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
