"""Presenter mode: one screen per step at projector size (1280×720 and up), stepped by the one stepper (buttons or ← →,
steps counted from 1 as in the link).

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
from .keys import PRESENT_BATCH
from .parts import batch_ui
from .stepper import stepper_ui

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


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_stage(key: Key, step: int, batch: int) -> Stage:
    """The stage of step ``step`` (from 1; the last is the result)."""
    return stage(cached_build(key).trace, step - 1, batch)


def heading(t: Any, step: int, batch: int) -> str:
    """What the counter says for step ``step`` (from 1): the step and its input element, or the result."""
    last = t.steps_per_batch
    if step > last:
        bias = " + b[o]" if t.bias is not None else " (bias=False)"
        return f"#### Result after all {last} steps: the final output = each sum{bias}"
    channel, index = t.step_element(step - 1)
    where = f"{batch}, " if t.batched else ""
    value = short(t.input[batch, channel, index:index + 1], 4)[0]
    return f"#### Step {step} of {last}: x[{where}{channel}, {index}] = {value} scatters its taps"


def presenter_ui(key: Key, link: Any = None) -> None:
    """Prev / the step / Next / Share, the stage, the table of what the step adds; the full worksheet folded.
    ``link(slot)`` fills the Share popover once the step is known."""
    st.html(LARGE)
    built = cached_build(key)
    t = built.trace
    step, columns = stepper_ui(t.steps_per_batch + 1, [1.6, 6, 1.4, 0.5], align="center")
    with columns[3], st.popover("", icon=":material/link:", help="Share a link to this step"):
        link_slot = st.empty()
        st.caption("This link reopens this step of this configuration.")
    batch = batch_ui(built, PRESENT_BATCH)
    columns[1].markdown(heading(t, step, batch))
    shown = cached_stage(key, step, batch)
    st.html(STYLE + shown.html)
    if shown.note:
        st.caption(shown.note)
    if shown.table and shown.folded:
        with st.expander(f"What this step adds, as a table ({len(shown.rows)} taps)"):
            st.html(STYLE + shown.table)
    elif shown.table:
        st.html(STYLE + shown.table)
    result = step > t.steps_per_batch
    if result and t.bias is not None:
        st.markdown("Bias, added to every cell of its row: " + ", ".join(
            f"b[{o}] = {format_number(b)}" for o, b in enumerate(t.bias)) + ". Σ is the sum of what landed.")
    if link is not None:
        link(link_slot)
    if not result:
        channel, index = t.step_element(step - 1)
        with st.expander("Full hand calculation of the touched outputs"):
            for c, j in sorted({(r.out_channel, r.out_index) for r in t.from_input(channel, index, batch)
                                if r.out_index is not None}):
                st.markdown(explain(t, c, j, batch=batch, fmt="markdown"))
