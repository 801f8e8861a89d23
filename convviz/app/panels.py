"""The main area: the output (with the length formula) above the views, and the views of one configuration
that are charts or worksheets: Scatter, Gather, Matrix, Overlap, Groups, Hand calculation, PyTorch check."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import pyarrow as pa
import streamlit as st

from .. import torch_check
from ..worksheet import explain, length_formula
from .cache import Key, cached_build, cached_chart
from .conv1d_ui import autograd_ui
from .keys import (
    CALC_BATCH,
    CALC_CHANNEL,
    CALC_INDEX,
    GATHER_BATCH,
    INPUTS_OPEN,
    MATRIX_BATCH,
    PICK,
    SCATTER_BATCH,
    SCATTER_VIEW,
    STEP,
)
from .model import Built
from .parts import CHART_CONFIG, arrow, batch_ui, chart, samples, table
from .stepper import stepper_ui

WATCH = ("Animation", "Step by step")  # the Scatter view's two ways to watch
HIDDEN = "hidden until you have answered below (it would give the answer away)."


@dataclass(frozen=True)
class Summary:
    """What ``summary_ui`` shows for one configuration (made once per configuration, for every session)."""

    formula: str  # LaTeX
    shapes: str  # Markdown
    outputs: list[tuple[str, pa.Table, Any]]  # (caption, table, height), one per batch sample


@dataclass(frozen=True)
class Details:
    """The input, weight and bias tables (made once per configuration, when first opened)."""

    inputs: list[tuple[str, pa.Table]]
    weight: pa.Table
    bias: pa.Table | None


@st.cache_resource(max_entries=128, show_spinner=False)
def cached_summary(key: Key) -> Summary:
    built = cached_build(key)
    t, spec = built.trace, built.spec
    outputs = []
    for caption, y in samples(t.output, t.batched):
        shown = table(y, "out")
        outputs.append((caption, arrow(shown), "content" if len(shown) <= 10 else "auto"))
    return Summary(
        formula=length_formula(spec, t.length, fmt="latex"),
        shapes=f"**input** `{tuple(built.input.shape)}` → **output** `{tuple(t.torch_output.shape)}` · weight "
               f"`{tuple(built.weight.shape)}` · dtype `{spec.dtype}`" + ("" if built.seeded else " · typed weights")
               + f" · L_out {length_formula(spec, t.length, fmt='text').splitlines()[-1].strip()}",
        outputs=outputs)


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_details(key: Key) -> Details:
    built = cached_build(key)
    return Details(
        inputs=[(f"input{', ' + caption if caption else ''}", arrow(table(x, "in")))
                for caption, x in samples(built.input, built.trace.batched)],
        weight=arrow(table(built.weight.reshape(-1, built.weight.shape[2]), "w")),
        bias=None if built.bias is None else arrow(table(built.bias[None], "bias")))


def summary_ui(key: Key, answered: bool = True) -> None:
    """The shapes (with the length formula's numbers) and the output values. The formula and the tables of the
    input, weight and bias are sent only while their expander is open (opening it reruns). Not ``answered``: the
    output, its shape and the formula are left out (a view asks for them), the input and weights stay."""
    s = cached_summary(key)
    if answered:
        st.markdown(s.shapes + "\n\n**Output**")
        for caption, shown, height in s.outputs:
            if caption:
                st.caption(caption)
            st.dataframe(shown, width="stretch", height=height)
    else:
        st.markdown(f"**Output:** {HIDDEN}")
    more = st.expander("The length formula; input, weight and bias", expanded=False, key=INPUTS_OPEN,
                       on_change="rerun")
    if not more.open:
        return
    d = cached_details(key)
    with more:
        if answered:
            st.latex(s.formula)
        else:
            st.caption(f"The length formula: {HIDDEN}")
        for caption, x in d.inputs:
            st.caption(caption)
            st.dataframe(x, width="stretch")
        st.dataframe(d.weight, width="stretch")
        st.caption("weight rows: (in_channel, out_channel within group) in order; columns: taps")
        if d.bias is not None:
            st.dataframe(d.bias, width="stretch")


def scatter_view(key: Key, built: Built) -> None:
    """The animation, or the same steps by hand (the stepper: buttons, slider, ← →, ``?step=`` in the link)."""
    st.session_state.setdefault(SCATTER_VIEW, WATCH[0])
    watch = st.segmented_control("Watch", WATCH, key=SCATTER_VIEW,
                                 help="The animation plays in your browser; step by step uses buttons, a slider "
                                      "and the ← → keys, and the link keeps the step") or WATCH[0]
    batch = batch_ui(built, SCATTER_BATCH)
    if watch == WATCH[1]:
        steps_ui(key, built, batch)
        return
    chart(cached_chart(key, "scatter", batch), note="Keyboard: choose Step by step above to move with ← and → "
                                                     "(Presenter mode does the same at projector size).")


def steps_ui(key: Key, built: Built, batch: int) -> int:
    """The stepper with its slider, the still of that step and what it adds, announced to screen readers
    (``role="status"``). Returns the step shown (from 1)."""
    count = built.trace.steps_per_batch + 1  # every input element, then the result
    number, _ = stepper_ui(count, [1.3, 6, 1.3], slider_help=f"Steps 1 to {count - 1} scatter one input element "
                                                              f"each; step {count} adds the bias: the result")
    shown = cached_chart(key, "step", batch, number)
    st.plotly_chart(shown.figure, width="stretch", theme=None, config=CHART_CONFIG)
    st.html(f'<div role="status" aria-live="polite" data-testid="scatter-step-status" style="font-size: 0.95rem">'
            f'{escape(shown.caption)}</div>')
    st.caption("Keyboard: ← and → move one step (or drag the slider); the page's link keeps this step.")
    return number


def scatter_link() -> dict[str, Any]:
    """The Scatter view's link parameters: the step, while it is watched step by step."""
    state = st.session_state
    return {STEP: state.get(STEP)} if state.get(SCATTER_VIEW) == WATCH[1] else {}


def clicked_cell(point: Any) -> tuple[int, int] | None:
    """``(out_channel, out_index)`` from a clicked point's customdata: a list, or (for typed arrays) an object
    keyed "0", "1"; None for anything else.

    Example::

        >>> clicked_cell({"customdata": [0, 5]}), clicked_cell({"customdata": {"1": 5, "0": 2}})
        ((0, 5), (2, 5))
        >>> clicked_cell({"x": 1}) is None
        True
    """
    data = point.get("customdata") if isinstance(point, dict) else None
    if isinstance(data, dict):
        data = [data[k] for k in sorted(data, key=lambda k: int(k))] if all(str(k).isdigit() for k in data) \
            else None
    try:
        return (int(data[0]), int(data[1])) if data is not None and len(data) >= 2 else None
    except (TypeError, ValueError):
        return None


def pick_from_click() -> None:
    """Copy a clicked output cell into the hand-calculation pickers."""
    event = st.session_state.get(PICK) or {}
    for point in (event.get("selection") or {}).get("points") or []:
        cell = clicked_cell(point)
        if cell is not None:
            st.session_state[CALC_CHANNEL], st.session_state[CALC_INDEX] = cell


def hand_calculation_view(key: Key, built: Built) -> None:
    t = built.trace
    batch = batch_ui(built, CALC_BATCH)
    state = st.session_state
    state[CALC_CHANNEL] = min(int(state.get(CALC_CHANNEL) or 0), t.spec.out_channels - 1)
    state[CALC_INDEX] = min(int(state.get(CALC_INDEX) or 0), t.output_length - 1)
    left, right = st.columns(2)
    channel = int(left.number_input("out_channel", 0, t.spec.out_channels - 1, key=CALC_CHANNEL))
    index = int(right.number_input("out_index", 0, t.output_length - 1, key=CALC_INDEX))
    chart(cached_chart(key, "pick", batch, (channel, index)), key=PICK, on_select=pick_from_click,
          selection_mode="points")
    st.caption("Click an output cell above, or choose it with the numbers, to see its hand calculation.")
    st.markdown(explain(t, channel, index, batch=batch, fmt="markdown"))


def hand_calculation_link() -> dict[str, Any]:
    """The chosen cell (left out at 0, its default)."""
    state = st.session_state
    return {CALC_CHANNEL: state.get(CALC_CHANNEL) or None, CALC_INDEX: state.get(CALC_INDEX) or None}


def gather_view(key: Key, built: Built) -> None:
    chart(cached_chart(key, "gather", batch_ui(built, GATHER_BATCH)))


def matrix_view(key: Key, built: Built) -> None:
    chart(cached_chart(key, "matrix", batch_ui(built, MATRIX_BATCH)))


def overlap_view(key: Key, built: Built) -> None:
    chart(cached_chart(key, "overlap"))


def groups_view(key: Key, built: Built) -> None:
    chart(cached_chart(key, "groups"))


def torch_view(built: Built, settings: dict[str, Any]) -> None:
    with st.spinner("Loading PyTorch for the side-by-side check (a few seconds the first time)…"):
        torch = torch_check.load_torch()
    spec, size = built.spec, settings.get("output_size")
    snippet = torch_check.pytorch_snippet(spec, built.input, settings["seed"] if built.seeded else None, size,
                                          None if built.seeded else built.weight,
                                          None if built.seeded else built.bias)
    if torch is None:
        st.info(f"PyTorch is not installed, so there is nothing to compare with. Add it with "
                f"`{torch_check.INSTALL_HINT}`; everything else works without it.")
        st.code(snippet, language="python", wrap_lines=True)
        return
    theirs = torch_check.run_torch(spec, built.input, built.weight, built.bias, size)
    ours = built.trace.torch_output
    result = torch_check.compare(ours, theirs)
    verdict = "bit-identical" if result["bit_identical"] else (
        f"equal up to rounding: max |error| = {result['max_abs_error']:.3g} (torch adds the same products in "
        f"another order)")
    (st.success if result["bit_identical"] or result["max_abs_error"] < 1e-4 else st.warning)(
        f"torch {torch.__version__}: {verdict} · shapes {ours.shape} and {theirs.shape}")
    for (caption, a), (_, b) in zip(samples(ours, built.trace.batched), samples(theirs, built.trace.batched)):
        st.markdown(f"**convviz (NumPy)** {caption}")
        st.dataframe(table(a, "out"), width="stretch")
        st.markdown(f"**PyTorch** {caption}")
        st.dataframe(table(b, "out"), width="stretch")
    st.markdown("Reproduce this configuration in PyTorch:")
    st.code(snippet, language="python", wrap_lines=True)
    autograd_ui(built)
