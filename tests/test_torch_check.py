"""The PyTorch check: the snippet the app shows really reproduces the configuration in torch."""
from __future__ import annotations

import random

import numpy as np
import pytest

from convviz import ConvSpec, ConvTranspose1d
from convviz import torch_check as tc

torch = pytest.importorskip("torch")


def run_snippet(code: str) -> np.ndarray:
    scope: dict = {}
    exec(code.replace("print(y)", ""), scope)  # the snippet is ours; this is what a user pastes
    return scope["y"].detach().numpy()


@pytest.mark.parametrize("case", range(16))
def test_snippet_reproduces_seeded_and_typed_configurations(case):
    rng = random.Random(case)
    groups = rng.choice([1, 2])
    stride, dilation = rng.randint(1, 3), rng.randint(1, 2)
    spec = ConvSpec(groups * rng.randint(1, 2), groups * rng.randint(1, 2), rng.randint(1, 4), stride,
                    rng.randint(0, 1), rng.randint(0, max(stride, dilation) - 1), groups, rng.random() < 0.7,
                    dilation, "zeros", rng.choice(["float32", "float64", "complex64", "complex128"]))
    m = ConvTranspose1d(**{k: v for k, v in spec.as_kwargs().items()}, seed=case)
    x = np.random.default_rng(case).normal(size=(spec.in_channels, 5)).astype(spec.dtype)
    ours = m(x)
    typed = case % 2 == 1
    code = tc.pytorch_snippet(spec, x, None if typed else case, None, m.weight if typed else None,
                              m.bias if typed else None)
    theirs = run_snippet(code)
    assert theirs.shape == ours.shape
    tol = 1e-5 if spec.dtype in ("float32", "complex64") else 1e-12
    np.testing.assert_allclose(theirs, ours, rtol=tol, atol=tol * 10)


def test_run_torch_and_compare():
    spec = ConvSpec(2, 3, 3, stride=2, padding=1)
    m = ConvTranspose1d(2, 3, 3, stride=2, padding=1, seed=1)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    theirs = tc.run_torch(spec, x, m.weight, m.bias, output_size=8)
    ours = m(x, output_size=8)
    result = tc.compare(ours, theirs)
    assert result["same_shape"] and result["max_abs_error"] < 1e-5
    assert tc.compare(ours, theirs + 1)["max_abs_error"] == pytest.approx(1.0)
    assert not tc.compare(ours, theirs[:, :-1])["same_shape"]


def test_without_torch_load_torch_says_none(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "torch", None)
    assert tc.load_torch() is None
    with pytest.raises(ImportError, match="pip install torch==2.13.0"):
        tc.run_torch(ConvSpec(1, 1, 1), np.ones((1, 2), np.float32), np.ones((1, 1, 1), np.float32), None)
