"""The Scatter tab's two ways to watch: Plotly's client-side animation, or step by step with Streamlit's own
controls (◀ / a step slider / ▶, and the ← → keys), which a keyboard reaches and a link keeps (``?step=5``).

Steps in the link and on screen count from 1; the last one (``steps_per_batch + 1``) is the result, with the bias.
"""
from __future__ import annotations

from html import escape

import streamlit as st

from .cache import Key, cached_figure, sendable
from .model import Built

VIEWS = ("Animation", "Step by step")
# The ← → shortcuts listen on the page; a control that keeps the focus (the view switch just clicked) would take
# the arrow keys for itself, so the focus goes back to the page whenever the steps are drawn (as in presenter.py).
FOCUS = "<script>if (document.activeElement && document.activeElement.getAttribute('role') !== 'slider' && " \
        "document.activeElement !== document.body) { document.activeElement.blur(); }</script>"


def step_from_link(count: int) -> int | None:
    """The link's ``?step=`` (1 … ``count``) when the session starts, else None (the link audit names a bad one)."""
    text = st.query_params.get("step")
    if text is None or not text.isdigit():
        return None
    return min(max(int(text), 1), count)


def _move(delta: int, count: int) -> None:
    st.session_state["scatter_step"] = min(max(int(st.session_state.get("scatter_step", 1)) + delta, 1), count)


def _forget_step() -> None:
    if st.session_state.get("scatter_view") != VIEWS[1] and "step" in st.query_params:
        del st.query_params["step"]


def scatter_view_ui(built: Built) -> str:
    """The switch between the animation and step by step; a link with ``?step=`` opens step by step."""
    state = st.session_state
    if "scatter_view" not in state:
        linked = step_from_link(built.trace.steps_per_batch + 1)
        state["scatter_view"] = VIEWS[1] if linked is not None else VIEWS[0]
        if linked is not None:
            state["scatter_step"] = linked
    view = st.segmented_control("Watch", VIEWS, key="scatter_view", on_change=_forget_step,
                                help="The animation plays in your browser; step by step uses buttons, a slider "
                                     "and the ← → keys, and the link keeps the step")
    return view or VIEWS[0]


def steps_ui(key: Key, built: Built, batch: int) -> int:
    """◀ Previous / the step slider / Next ▶ (← →), the still of that step and what it adds, announced to screen
    readers (``role="status"``). Returns the step shown (from 1)."""
    t = built.trace
    count = t.steps_per_batch + 1  # every input element, then the result
    number = min(max(int(st.session_state.get("scatter_step", 1)), 1), count)
    st.session_state["scatter_step"] = number
    st.html(FOCUS, unsafe_allow_javascript=True)
    prev, slider, nxt = st.columns([1.3, 6, 1.3], vertical_alignment="bottom")
    prev.button("◀ Previous", key="scatter_prev", on_click=_move, args=(-1, count), shortcut="left",
                width="stretch", disabled=number == 1, help="keyboard: ←")
    slider.slider("step", 1, count, key="scatter_step",
                  help=f"Steps 1 to {count - 1} scatter one input element each; step {count} adds the bias: the "
                       f"result")
    nxt.button("Next ▶", key="scatter_next", on_click=_move, args=(1, count), shortcut="right", width="stretch",
               disabled=number == count, help="keyboard: →", type="primary")
    if st.query_params.get("step") != str(number):
        st.query_params["step"] = str(number)
    ready = sendable(cached_figure(key, "step", batch, number - 1))
    st.plotly_chart(ready, width="stretch", theme=None, config={"displaylogo": False})
    st.html(f'<div role="status" aria-live="polite" data-testid="scatter-step-status" style="font-size: 0.95rem">'
            f'{escape(ready._caption)}</div>')
    st.caption("Keyboard: ← and → move one step (or drag the slider); the page's link keeps this step.")
    return number
