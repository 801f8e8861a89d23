"""One stepper for Scatter's *Step by step* and the Presenter: ◀ Previous / Next ▶ (and the ← → keys), with an
optional slider between them.

Steps count from 1, on screen, in the session (``keys.STEP``) and in the link (``?step=3``): steps 1 … count − 1
scatter one input element each and the last, ``count = steps_per_batch + 1``, is the result with the bias.
Figures and the stage count from 0: their callers pass ``step - 1``.
"""
from __future__ import annotations

from typing import Any, Literal

import streamlit as st

from .keys import STEP, STEP_NEXT, STEP_PREV, STEP_SLIDER

# The ← → shortcuts listen on the page; a control that keeps the focus (the switch just clicked) would take the
# arrow keys for itself, so the focus goes back to the page whenever the stepper is drawn (a slider keeps it:
# its own arrow keys move it too).
FOCUS = "<script>if (document.activeElement && document.activeElement.getAttribute('role') !== 'slider' && " \
        "document.activeElement !== document.body) { document.activeElement.blur(); }</script>"


def clamp(number: Any, count: int) -> int:
    """``number`` as a step from 1 to ``count`` (1 for anything that is not a whole number).

    Example::

        >>> clamp(0, 7), clamp(5, 7), clamp(99, 7), clamp(None, 7)
        (1, 5, 7, 1)
    """
    return min(max(int(number), 1), count) if isinstance(number, int) else 1


def current_step(count: int) -> int:
    """The session's step, kept within 1 … ``count`` (a new configuration may have fewer steps)."""
    number = clamp(st.session_state.get(STEP), count)
    st.session_state[STEP] = number
    return number


def _move(delta: int, count: int) -> None:
    st.session_state[STEP] = clamp(clamp(st.session_state.get(STEP), count) + delta, count)


def _slide() -> None:
    st.session_state[STEP] = st.session_state[STEP_SLIDER]


def stepper_ui(count: int, widths: list[float], slider_help: str | None = None,
               align: Literal["top", "center", "bottom"] = "bottom") -> tuple[int, list[Any]]:
    """◀ Previous | middle | Next ▶ [| more columns]: returns the step shown (from 1) and the columns (``[1]`` is
    the middle: the slider when ``slider_help`` is given, else the caller's to fill)."""
    number = current_step(count)
    st.html(FOCUS, unsafe_allow_javascript=True)
    columns = st.columns(widths, vertical_alignment=align)
    columns[0].button("◀ Previous", key=STEP_PREV, on_click=_move, args=(-1, count), shortcut="left",
                      width="stretch", disabled=number == 1, help="keyboard: ←")
    if slider_help is not None:
        st.session_state[STEP_SLIDER] = number
        columns[1].slider("step", 1, count, key=STEP_SLIDER, on_change=_slide, help=slider_help)
    columns[2].button("Next ▶", key=STEP_NEXT, on_click=_move, args=(1, count), shortcut="right",
                      width="stretch", disabled=number == count, help="keyboard: →", type="primary")
    return number, columns
