"""The Conv1d tab: the Conv1d that this ConvTranspose1d transposes. Lengths there and back (why output_padding
has to choose), the adjoint identity with this page's weight and input, and (in the PyTorch check) autograd's
gradient of conv1d, which is this transposed convolution."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from .. import torch_check
from ..adjoint import adjoint_sides, round_trip
from ..errors import ConvSpecError
from ..shapes import conv1d_length
from ..worksheet import format_number
from .model import Built

SHOWN_TERMS = 8  # products written out in a sum before "…"


def grid(array: np.ndarray, row: str) -> pd.DataFrame:
    """A 2-D array as a small table (rows ``{row} i``, columns positions), 4 decimals, complex as text."""
    cells: Any = [[format_number(v) for v in r] for r in array] if np.iscomplexobj(array) else \
        np.round(array.astype(np.float64), 4)
    return pd.DataFrame(cells, index=[f"{row} {i}" for i in range(array.shape[0])],
                        columns=[str(j) for j in range(array.shape[1])])


def probe(built: Built) -> np.ndarray:
    """A test signal ``a`` in the output space ``(C_out, L_out)``: small whole numbers -3…3 drawn from the seed."""
    t = built.trace
    shape = (t.spec.out_channels, t.output_length)
    rng = np.random.default_rng(int(built.spec.kernel_size * 1_000_003 + t.output_length))
    values = rng.integers(-3, 4, size=shape).astype(np.float64)
    if np.iscomplexobj(t.output):
        values = values + 1j * rng.integers(-3, 4, size=shape)
    return values.astype(t.output.dtype)


def written_sum(left: np.ndarray, right: np.ndarray) -> str:
    """``l0·r0 + l1·r1 + …`` for the nonzero products (the first ``SHOWN_TERMS``), as text."""
    pairs = [(a, b) for a, b in zip(left.ravel().tolist(), right.ravel().tolist()) if a != 0 and b != 0]
    terms = [f"{format_number(a, wrap=True)}·{format_number(b, wrap=True)}" for a, b in pairs[:SHOWN_TERMS]]
    more = f" + … ({len(pairs) - SHOWN_TERMS} more)" if len(pairs) > SHOWN_TERMS else ""
    return " + ".join(terms) + more if terms else "0"


def lengths_ui(built: Built) -> None:
    s, length = built.spec, built.trace.length
    trips = round_trip(length, s.kernel_size, s.stride, s.padding, s.dilation)
    st.markdown(f"**There and back.** `Conv1d({s.out_channels}, {s.in_channels}, kernel_size={s.kernel_size}, "
                f"stride={s.stride}, padding={s.padding}, dilation={s.dilation})` has output length "
                f"⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1. Every output size this transposed "
                f"convolution can make from L = {length} goes back to {length}:")
    st.dataframe(pd.DataFrame({
        "output_size (L_out)": [r.output_size for r in trips],
        "output_padding": [r.output_padding for r in trips],
        "Conv1d length": [f"⌊({r.output_size} + 2·{s.padding} − {s.dilation}·({s.kernel_size} − 1) − 1) / "
                          f"{s.stride}⌋ + 1 = {r.conv1d_length}" for r in trips],
        "this page": ["◀ in use" if r.output_size == built.trace.output_length else "" for r in trips]}),
        hide_index=True, width="stretch")
    if len(trips) > 1:
        st.caption(f"Conv1d cannot tell these {len(trips)} lengths apart, so going the other way is ambiguous: "
                   f"output_padding (or forward(x, output_size=…)) picks one. With stride 1 there is only one.")
    elif built.trace.output_length != trips[0].output_size:
        st.caption(f"output_padding={s.output_padding} reaches past stride: Conv1d gives "
                   f"{conv1d_length(built.trace.output_length, s.kernel_size, s.stride, s.padding, s.dilation)} "
                   f"samples, one more than L (that sample belongs to an input element that does not exist).")
    else:
        st.caption("With stride 1 there is exactly one output size, and Conv1d takes it straight back.")


def adjoint_ui(built: Built) -> None:
    t = built.trace
    x = t.input[0]  # (C_in, L), batch sample 0
    a = probe(built)  # (C_out, L_out)
    s = t.spec
    sides = adjoint_sides(a, x, t.weight, s.stride, s.padding, s.output_padding, s.groups, s.dilation)
    st.markdown("**The adjoint identity** ⟨conv1d(a, w), x⟩ = ⟨a, conv_transpose1d(x, w)⟩ for this page's weight "
                "w and input x" + (" (batch sample 0)" if t.batched else "") + ", and a test signal a of the output's "
                "shape (small numbers drawn for it). Conv1d with the *same* weight is the transpose; the bias is "
                "left out (it is not linear).")
    left, right = st.columns(2)
    left.caption("a (output space)")
    left.dataframe(grid(a, "a"), width="stretch")
    longer = conv1d_length(t.output_length, s.kernel_size, s.stride, s.padding, s.dilation) > t.length
    right.caption("conv1d(a, w) (input space" + (", its first L samples)" if longer else ")"))
    right.dataframe(grid(sides.back, "in"), width="stretch")
    st.markdown(f"⟨conv1d(a, w), x⟩ = {written_sum(sides.back, x)} = **{format_number(sides.left)}**")
    st.markdown(f"⟨a, conv_transpose1d(x, w)⟩ = {written_sum(a, sides.forward)} = **{format_number(sides.right)}**")
    gap = abs(sides.left - sides.right)
    st.caption(f"Both sums are the same products in another order (difference {gap:.3g}, rounding)."
               + (" No complex conjugate: the plain transpose." if np.iscomplexobj(a) else ""))


def conv1d_tab(built: Built) -> None:
    """The round trip of lengths, then the adjoint identity with numbers; autograd is in the PyTorch check."""
    try:
        lengths_ui(built)
    except ConvSpecError as error:
        st.error(str(error), icon=":material/error:")
    adjoint_ui(built)
    st.caption("The PyTorch check tab shows the same fact as backpropagation: torch's gradient of conv1d with "
               "respect to its input is this transposed convolution.")


def autograd_ui(built: Built) -> None:
    """In the PyTorch check: autograd's gradient of conv1d, upstream gradient x, next to the output minus bias."""
    t, s = built.trace, built.spec
    grad = torch_check.conv1d_input_gradient(s, t.input if t.batched else t.input[0], t.weight)
    ours = t.torch_output if t.bias is None else t.torch_output - (t.bias[:, None])
    error = float(np.max(np.abs(grad - ours))) if grad.size else 0.0
    st.markdown("**Autograd.** The gradient of `conv1d(a, w)` with respect to `a`, for the upstream gradient "
                "`x`, is the transposed convolution of `x` (without bias):")
    (st.success if error < 1e-4 else st.warning)(
        f"torch.autograd: gradient of conv1d = this ConvTranspose1d's output − bias (max |difference| {error:.3g})")
    st.dataframe(grid(grad if grad.ndim == 2 else grad[0], "grad"), width="stretch")
    batch = "" if t.batched else "[None]"
    st.code(f"a = torch.zeros({tuple(t.output.shape)}, "
            f"dtype=torch.{s.dtype}, requires_grad=True)\n"
            f"y = torch.nn.functional.conv1d(a, m.weight, None, {s.stride}, {s.padding}, {s.dilation}, {s.groups})\n"
            f"y.backward(torch.nn.functional.pad(x{batch}, (0, y.shape[-1] - x.shape[-1])))"
            f"{'  # (conj in, conj out for complex)' if np.iscomplexobj(grad) else ''}\n"
            f"print(a.grad)  # = {'m(x) - m.bias[:, None]' if s.bias else 'm(x)'}", language="python")
