"""Presenter mode: projector-sized text, high contrast, and the animation stepped by hand (buttons or ←/→)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..trace import Trace
from ..worksheet import explain, format_number
from .cache import Key, cached_build, cached_figure
from .panels import batch_ui, chart

LARGE = """
<style>
[data-testid="stMain"] { background: #ffffff; color: #000000; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] td,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] th { font-size: 1.3rem; color: #000000; }
[data-testid="stMain"] button p { font-size: 1.3rem !important; font-weight: 700; }
</style>
"""


def _move(delta: int, last: int) -> None:
    st.session_state["present_step"] = min(max(st.session_state.get("present_step", 0) + delta, 0), last)


def presenter_ui(key: Key) -> None:
    """One input element per step: its scatter on the left, the hand calculation of what it touches beside."""
    st.html(LARGE)
    t = cached_build(key).trace
    last = t.steps_per_batch  # the extra last step adds the bias and shows the output
    batch = batch_ui(cached_build(key), "present_batch")
    step = min(st.session_state.get("present_step", 0), last)
    st.session_state["present_step"] = step
    prev, counter, nxt = st.columns([1.4, 4, 1.4], vertical_alignment="center")
    prev.button("◀ Previous", on_click=_move, args=(-1, last), shortcut="left", width="stretch",
                disabled=step == 0, help="keyboard: ←")
    nxt.button("Next ▶", on_click=_move, args=(1, last), shortcut="right", width="stretch",
               disabled=step == last, help="keyboard: →", type="primary")
    if step < last:
        channel, index = t.step_element(step)
        where = f"{batch}, " if t.batched else ""
        counter.markdown(f"#### Step {step + 1} of {last}: input x[{where}{channel}, {index}] = "
                         f"{t.input[batch, channel, index]:g} scatters its taps")
    else:
        counter.markdown(f"#### Step {last + 1} of {last + 1}: add the bias — the final output")
    chart(cached_figure(key, "present", batch, step))
    if step == last:
        st.markdown("Every contribution has landed; each output is its sum plus the bias.")
        return
    st.markdown(step_table(t, step, batch))
    with st.expander("Full hand calculation of the touched outputs"):
        for c, j in sorted({(r.out_channel, r.out_index) for r in t.from_input(channel, index, batch)
                            if r.out_index is not None}):
            st.markdown(explain(t, c, j, batch=batch, fmt="markdown"))


def step_table(t: Trace, step: int, batch: int = 0) -> str:
    """Markdown: what this step adds to each output it touches, and each running sum so far."""
    cols = t.columns
    order = cols["in_index"] * t.spec.in_channels + cols["in_channel"]  # animation step of every record
    mine = np.flatnonzero((cols["batch"] == batch) & (order == step))
    lines = ["| output | tap | x · w | adds | running sum |", "|---|---|---|---|---|"]
    for r in mine:
        c, i, o, k, j = (int(cols[n][r]) for n in ("in_channel", "in_index", "out_channel", "tap", "out_index"))
        so_far = cols["product"][(cols["batch"] == batch) & (order <= step) & (cols["out_channel"] == o)
                                 & (cols["out_index"] == j)].sum() if j >= 0 else None
        where = f"out[{o}, {j}]" if j >= 0 else f"full[{int(cols['full_index'][r])}] (cropped by padding)"
        lines.append(f"| {where} | k={k} | x[{c}, {i}] · w[{c}, {o % (t.spec.out_channels // t.spec.groups)}, "
                     f"{k}] = {format_number(cols['x_value'][r])} · {format_number(cols['w_value'][r])} | "
                     f"{format_number(cols['product'][r])} | "
                     f"{'—' if so_far is None else format_number(so_far)} |")
    return "\n".join(lines)
