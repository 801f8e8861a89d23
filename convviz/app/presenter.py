"""Presenter mode: one screen per step at projector size (1280×720 and up), stepped by buttons or ← →.

The stage (``figures.stage``) is plain HTML whose numbers scale with the column and the window, so the current
step, the numbers it adds and the running sums fit one screen without scrolling.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from ..figures.formatting import short
from ..figures.stage import STYLE, Stage, stage
from ..worksheet import explain, format_number
from .cache import Key, cached_build
from .panels import batch_ui

# Projector layout: less empty space above and beside the content, large high-contrast text.
LARGE = """
<style>
[data-testid="stMain"] { background: #ffffff; color: #000000; }
[data-testid="stMainBlockContainer"] { padding-top: 3.7rem; padding-bottom: 1rem; padding-left: 1rem;
  padding-right: 1rem; max-width: none; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; color: #000000; }
[data-testid="stMain"] button p { font-size: 1.3rem !important; font-weight: 700; }
[data-testid="stMain"] h4 { font-size: clamp(1.1rem, 2.2vw, 1.9rem); padding: 0; }
</style>
"""
# The ← → shortcuts listen on the page; a control that still has the focus (the mode switch just clicked)
# would take the arrow keys for itself, so the focus goes back to the page whenever the presenter is drawn.
FOCUS = "<script>if (document.activeElement && document.activeElement !== document.body) " \
        "{ document.activeElement.blur(); }</script>"


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_stage(key: Key, step: int, batch: int) -> Stage:
    return stage(cached_build(key).trace, step, batch)


def _move(delta: int, last: int) -> None:
    st.session_state["present_step"] = min(max(st.session_state.get("present_step", 0) + delta, 0), last)


def heading(t: Any, step: int, batch: int) -> str:
    """What the counter says: the step and its input element, or the result."""
    last = t.steps_per_batch
    if step == last:
        bias = " + b[o]" if t.bias is not None else " (bias=False)"
        return f"#### Result after all {last} steps: the final output = each sum{bias}"
    channel, index = t.step_element(step)
    where = f"{batch}, " if t.batched else ""
    value = short(t.input[batch, channel, index:index + 1], 4)[0]
    return f"#### Step {step + 1} of {last}: x[{where}{channel}, {index}] = {value} scatters its taps"


def presenter_ui(key: Key, link: Any = None) -> None:
    """Prev / the step / Next / Share, the stage, the table of what the step adds; the full worksheet folded.
    ``link(slot)`` fills the Share popover once the step is known."""
    st.html(LARGE)
    st.html(FOCUS, unsafe_allow_javascript=True)
    built = cached_build(key)
    t = built.trace
    last = t.steps_per_batch  # the extra last step adds the bias and shows the output
    if "present_step" not in st.session_state:  # a link may open on a step (counted from 1, as shown)
        text = str(st.query_params.get("step", ""))
        st.session_state["present_step"] = int(text) - 1 if text.isdigit() and int(text) > 0 else 0
    step = min(int(st.session_state.get("present_step", 0) or 0), last)
    st.session_state["present_step"] = step
    prev, counter, nxt, share = st.columns([1.6, 6, 1.4, 0.5], vertical_alignment="center")
    with share, st.popover("", icon=":material/link:", help="Share a link to this step"):
        link_slot = st.empty()
        st.caption("This link reopens this step of this configuration.")
    prev.button("◀ Previous", on_click=_move, args=(-1, last), shortcut="left", width="stretch",
                disabled=step == 0, help="keyboard: ←")
    nxt.button("Next ▶", on_click=_move, args=(1, last), shortcut="right", width="stretch",
               disabled=step == last, help="keyboard: →", type="primary")
    batch = batch_ui(built, "present_batch")
    counter.markdown(heading(t, step, batch))
    shown = cached_stage(key, step, batch)
    st.html(STYLE + shown.html)
    if shown.note:
        st.caption(shown.note)
    if shown.table and shown.folded:
        with st.expander(f"What this step adds, as a table ({len(shown.rows)} taps)"):
            st.html(STYLE + shown.table)
    elif shown.table:
        st.html(STYLE + shown.table)
    if step == last and t.bias is not None:
        st.markdown("Bias, added to every cell of its row: " + ", ".join(
            f"b[{o}] = {format_number(b)}" for o, b in enumerate(t.bias)) + ". Σ is the sum of what landed.")
    if link is not None:
        link(link_slot)
    if step < last:
        channel, index = t.step_element(step)
        with st.expander("Full hand calculation of the touched outputs"):
            for c, j in sorted({(r.out_channel, r.out_index) for r in t.from_input(channel, index, batch)
                                if r.out_index is not None}):
                st.markdown(explain(t, c, j, batch=batch, fmt="markdown"))
