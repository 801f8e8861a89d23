"""Configurations and mistaken answers for the answer tests, made without the code under test.

A mistaken answer is torch's ``conv_transpose1d`` with the one argument the mistake changes (the teacher's
definition: no conditions, torch rejects what cannot be computed); a length mistake is the teacher's formula.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from convviz import trace

DTYPES = ("float32", "float64", "float32", "float64", "complex64")
VALUE_NAMES = ("no_crop", "no_bias", "no_output_padding", "kernel_not_flipped", "padding_added", "no_dilation",
               "no_stride", "stride_dilation_swapped", "channels_swapped")  # most likely first
LENGTH_FORMULAS = {  # the teacher's formulas, most likely first
    "no_plus_one": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + d * (K - 1) + op,
    "padding_once": lambda L, K, s, p, op, d: (L - 1) * s - p + d * (K - 1) + op + 1,
    "length_times_stride": lambda L, K, s, p, op, d: L * s - 2 * p + d * (K - 1) + op + 1,
    "no_output_padding": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + d * (K - 1) + 1,
    "no_dilation": lambda L, K, s, p, op, d: (L - 1) * s - 2 * p + (K - 1) + op + 1,
    "no_stride": lambda L, K, s, p, op, d: (L - 1) - 2 * p + d * (K - 1) + op + 1,
    "conv_formula": lambda L, K, s, p, op, d: math.floor((L + 2 * p - d * (K - 1) - 1) / s) + 1,
}
ARGS = ("stride", "padding", "output_padding", "groups", "dilation")


def make_case(rng: np.random.Generator, c_in: int, c_out: int, groups: int, k: int, stride: int, dilation: int,
              output_padding: int, length: int, padding: int, dtype: str, batch: int | None, bias: bool) -> dict:
    """Arrays drawn from ``rng`` for one configuration; ``batch`` None for an unbatched input."""
    def draw(*shape: int) -> np.ndarray:
        values = rng.standard_normal(shape)
        if dtype.startswith("complex"):
            values = values + 1j * rng.standard_normal(shape)
        return values.astype(dtype)

    x = draw(*((batch,) if batch else ()), c_in, length)
    return {"x": x, "w": draw(c_in, c_out // groups, k), "b": draw(c_out) if bias else None, "stride": stride,
            "padding": padding, "output_padding": output_padding, "groups": groups, "dilation": dilation,
            "batch": int(rng.integers(0, batch)) if batch else 0}


def random_case(rng: np.random.Generator) -> dict:
    """A small random configuration; a third have groups 1 and C_in = C_out = 2 (for channels_swapped)."""
    square = rng.random() < 1 / 3
    groups = 1 if square else int(rng.choice([1, 1, 2]))
    c_in = 2 if square else groups * int(rng.integers(1, 3))
    c_out = 2 if square else groups * int(rng.integers(1, 3))
    k, stride, dilation = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    output_padding = int(rng.integers(0, max(stride, dilation)))
    length = int(rng.integers(1, 6))
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    padding = int(rng.integers(0, (full - 1) // 2 + 1))
    dtype = str(rng.choice(DTYPES))
    batch = int(rng.integers(1, 3)) if rng.random() < 0.3 else None
    return make_case(rng, c_in, c_out, groups, k, stride, dilation, output_padding, length, padding, dtype, batch,
                     bool(rng.random() < 0.7))


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """The same family as :func:`random_case`, drawn by Hypothesis (arrays from a drawn seed)."""
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k, stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    length = draw(st.integers(1, 5))
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    padding = draw(st.integers(0, (full - 1) // 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return make_case(rng, c_in, c_out, groups, k, stride, dilation, output_padding, length, padding,
                     draw(st.sampled_from(DTYPES)), draw(st.sampled_from([None, None, 1, 2])), draw(st.booleans()))


def torch_mistake(case: dict, name: str) -> np.ndarray | None:
    """Sample ``case["batch"]`` computed by torch with the one thing mistake ``name`` changes: ``(C_out', L')``,
    or None where torch rejects the changed arguments or nothing is left of the output."""
    x = torch.from_numpy(case["x"][case["batch"]] if case["x"].ndim == 3 else case["x"])[None]
    w = torch.from_numpy(case["w"])
    b = None if case["b"] is None else torch.from_numpy(case["b"])
    kw = {k: case[k] for k in ARGS}
    if name == "no_crop":
        kw["padding"] = 0
    elif name == "no_bias":
        b = None
    elif name == "no_output_padding":
        kw["output_padding"] = 0
    elif name == "kernel_not_flipped":
        w = torch.flip(w, dims=[2])
    elif name == "padding_added":  # Conv1d's padding: zeros around the input, none cropped
        x, kw["padding"] = F.pad(x, (case["padding"], case["padding"])), 0
    elif name == "no_dilation":
        kw["dilation"] = 1
    elif name == "no_stride":
        kw["stride"] = 1
    elif name == "stride_dilation_swapped":
        kw["stride"], kw["dilation"] = kw["dilation"], kw["stride"]
    elif name == "channels_swapped":  # read as Conv1d's (out, in, K); with groups > 1 that is another shape
        if case["groups"] != 1:
            return None
        w = w.transpose(0, 1).contiguous()
    else:
        raise AssertionError(name)
    try:
        y = F.conv_transpose1d(x, w, b, **kw)[0].numpy()
    except RuntimeError:
        return None
    return y if y.shape[-1] >= 1 else None


def torch_output(case: dict) -> np.ndarray:
    """The right answer for sample ``case["batch"]``, from torch: ``(C_out, L_out)``."""
    x = torch.from_numpy(case["x"] if case["x"].ndim == 3 else case["x"][None])
    b = None if case["b"] is None else torch.from_numpy(case["b"])
    return F.conv_transpose1d(x, torch.from_numpy(case["w"]), b, **{k: case[k] for k in ARGS})[case["batch"]].numpy()


def trace_of(case: dict):
    return trace(case["x"], case["w"], case["b"], *(case[k] for k in ARGS))


def board(x: list, w: list, b: list | None = None, **kwargs: int) -> dict:
    """A case from small lists a teacher writes on the board (float32, unbatched)."""
    return {"x": np.array(x, np.float32), "w": np.array(w, np.float32),
            "b": None if b is None else np.array(b, np.float32), "batch": 0,
            **{"stride": 1, "padding": 0, "output_padding": 0, "groups": 1, "dilation": 1, **kwargs}}


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=3e-4)


def as_text(array: np.ndarray) -> str:
    """A 2-D array as a student types it, 4 decimals (complex as a+bj)."""
    def one(v: complex) -> str:
        return f"{v.real:.4f}{v.imag:+.4f}j" if np.iscomplexobj(array) else f"{v.real:.4f}"
    return "[" + ", ".join("[" + ", ".join(one(v) for v in row) + "]" for row in array) + "]"


CASES = [random_case(np.random.default_rng(seed)) for seed in range(150)]
