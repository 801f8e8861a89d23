"""AppTest of the Conv1d tab (lengths there and back, the adjoint identity with numbers) and of autograd's
gradient of conv1d in the PyTorch check, with torch recomputing every number shown."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from apptest import start
from streamlit.testing.v1 import AppTest

from convviz.app.conv1d_ui import probe
from convviz.app.model import build
from convviz.arguments import DEFAULTS


def settings(**changes):
    return {**DEFAULTS, "input_mode": "random", "weight_mode": "seeded", **changes}


def bold_numbers(at: AppTest) -> list[float]:
    return [float(m) for t in at.markdown for m in re.findall(r"= \*\*([-0-9.e+]+)\*\*$", t.value)]


@pytest.mark.parametrize("changes", [{}, {"stride": 3, "padding": 1, "out_channels": 2},
                                     {"in_channels": 2, "out_channels": 2, "groups": 2, "dilation": 2, "stride": 1,
                                      "kernel_size": 2}])
def test_round_trip_and_adjoint_with_torch(changes):
    at = start(tab="Conv1d", **{k: str(v) for k, v in changes.items()})
    assert [e.value for e in at.exception] == [] and [e.value for e in at.error] == []
    built = build(settings(**changes))
    s, length = built.spec, built.trace.length
    trips = at.dataframe[-3].value  # the lengths table (then the two grids of the adjoint)
    module = torch.nn.ConvTranspose1d(s.in_channels, s.out_channels, s.kernel_size, s.stride, s.padding,
                                      groups=s.groups, dilation=s.dilation)
    sizes = list(trips["output_size (L_out)"])
    assert len(sizes) == s.stride  # one per output_padding 0 … stride - 1
    for size, text in zip(sizes, trips["Conv1d length"]):
        y = module(torch.zeros(1, s.in_channels, length), output_size=[size])
        back = torch.nn.functional.conv1d(y, module.weight, None, s.stride, s.padding, s.dilation, s.groups)
        assert back.shape[-1] == length and text.endswith(f"= {length}")
    a = probe(built)
    w = torch.from_numpy(built.weight)
    x = built.input
    back = torch.nn.functional.conv1d(torch.from_numpy(a)[None], w, None, s.stride, s.padding, s.dilation,
                                      s.groups)[0].numpy()[:, :length]
    forward = torch.nn.functional.conv_transpose1d(torch.from_numpy(x)[None], w, None, s.stride, s.padding,
                                                   s.output_padding, s.groups, s.dilation)[0].numpy()
    left, right = bold_numbers(at)
    want = float(np.sum(back.astype(np.float64) * x))
    assert left == pytest.approx(want, abs=1e-3) and right == pytest.approx(float(np.sum(a * forward)), abs=1e-3)
    np.testing.assert_allclose(at.dataframe[-1].value.to_numpy(dtype=float), back, atol=1e-4)


def test_autograd_in_the_pytorch_check():
    at = start(tab="PyTorch check", stride="3", padding="1")
    assert [e.value for e in at.exception] == []
    assert any("gradient of conv1d = this ConvTranspose1d's output − bias" in s.value for s in at.success)
    built = build(settings(stride=3, padding=1))
    s = built.spec
    want = torch.nn.functional.conv_transpose1d(torch.from_numpy(built.input)[None], torch.from_numpy(built.weight),
                                                None, s.stride, s.padding, s.output_padding)[0].numpy()
    shown = next(d.value for d in at.dataframe if str(d.value.index[0]).startswith("grad"))
    np.testing.assert_allclose(shown.to_numpy(dtype=float), want, atol=1e-4)
    assert any("y.backward(" in c.value and "a.grad" in c.value for c in at.code)
