"""Presenter mode: projector-sized text, high contrast, and the animation stepped by hand (buttons or ←/→)."""
from __future__ import annotations

import streamlit as st

from ..worksheet import explain
from .cache import Key, cached_build, cached_figure
from .panels import chart

LARGE = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stMarkdownContainer"] td, [data-testid="stMarkdownContainer"] th { font-size: 1.15rem; }
button p { font-size: 1.2rem !important; font-weight: 700; }
</style>
"""


def _move(delta: int, last: int) -> None:
    st.session_state["present_step"] = min(max(st.session_state.get("present_step", 0) + delta, 0), last)


def presenter_ui(key: Key) -> None:
    """One input element per step: its scatter on the left, the hand calculation of what it touches beside."""
    st.html(LARGE)
    t = cached_build(key).trace
    last = t.steps_per_batch  # the extra last step adds the bias and shows the output
    step = min(st.session_state.get("present_step", 0), last)
    st.session_state["present_step"] = step
    prev, counter, nxt = st.columns([1, 3, 1])
    prev.button("◀ Previous", on_click=_move, args=(-1, last), shortcut="left", width="stretch",
                disabled=step == 0, help="keyboard: ←")
    nxt.button("Next ▶", on_click=_move, args=(1, last), shortcut="right", width="stretch",
               disabled=step == last, help="keyboard: →", type="primary")
    if step < last:
        channel, index = t.step_element(step)
        counter.markdown(f"#### Step {step + 1} of {last}: input x[{channel}, {index}] = "
                         f"{t.input[0, channel, index]:g} scatters its taps")
    else:
        counter.markdown(f"#### Step {last + 1} of {last + 1}: add the bias — the final output")
    figure, sheet = st.columns([3, 2])
    with figure:
        chart(cached_figure(key, "present", 0, step))
    with sheet:
        if step < last:
            touched = sorted({(r.out_channel, r.out_index) for r in t.from_input(channel, index)
                              if r.out_index is not None})
            st.markdown(f"**Touched outputs:** {', '.join(f'out[{c}, {j}]' for c, j in touched) or 'none (cropped)'}")
            for c, j in touched[:3]:
                st.markdown(explain(t, c, j, fmt="markdown"))
            if len(touched) > 3:
                st.caption(f"{len(touched) - 3} more: pick them in the Hand calculation tab in Explore mode.")
        else:
            st.markdown("Every contribution has landed; each output is its sum plus the bias.")
