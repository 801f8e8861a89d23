"""The page: sidebar controls, then the output and the views (``main()`` is all ``streamlit_app.py`` calls)."""
from __future__ import annotations

from typing import Any

import streamlit as st

from ..errors import ConvSpecError
from .cache import cached_build
from .links import MODES, audit, share_link
from .model import Built, settings_key
from .panels import TABS, summary_ui, tabs_ui
from .presenter import presenter_ui
from .quiz_ui import quiz_ui
from .sidebar import in_use_ui, load_config_ui, sidebar_ui

INTRO = ("**What this is:** `nn.ConvTranspose1d` computed exactly as PyTorch does, with every step drawn: each "
         "input number is multiplied by the kernel and the products land, spaced by the stride, in a longer "
         "output. **Start here:** press **▶ Play** at the top right of the animation below, then change "
         "`stride` or `kernel_size` on the left and play it again.")


# Less empty space above the title, so that the animation's Play button is on screen at 1440×900 (sent with
# INTRO, as one element).
COMPACT = "<style>[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }</style>"


def page_state(tab: str | None) -> dict[str, Any]:
    """The page's own state that a link carries besides the settings: mode, open tab, chosen cell, step."""
    state = st.session_state
    page: dict[str, Any] = {"mode": state.get("mode") or MODES[0]}
    if tab and tab != TABS[0]:
        page["tab"] = tab
    if tab == "Hand calculation":
        page["calc_channel"] = state.get("calc_channel") or None
        page["calc_index"] = state.get("calc_index") or None
    if page["mode"] == "Presenter":  # steps in links count from 1, as the page shows them
        page["step"] = state.get("present_step", 0) + 1 if state.get("present_step") else None
    elif tab in (None, TABS[0]) and state.get("scatter_view") == "Step by step":
        page["step"] = state.get("scatter_step") or None
    if tab == "Stack":
        page["stack"] = state.get("stack")
    return page


def link_ui(slot: Any, settings: dict[str, Any], tab: str | None) -> None:
    """Fill the Share link's popover at the end of the run, from the settings this page was drawn from: the
    link can never lag behind the screen (st.code has a copy button)."""
    link = share_link(st.context.url or "", settings, page_state(tab))
    slot.code(link, language=None, wrap_lines=True)


def say_error(text: str) -> None:
    """``st.error`` with the text shown literally (typed input like ``__x__`` is not turned into bold)."""
    st.error(escape_markdown(text), icon=":material/error:")


def escape_markdown(text: str) -> str:
    r"""Backslash-escape Markdown's emphasis and code characters.

    Example::

        >>> escape_markdown("input: cannot read '__import__'")
        "input: cannot read '\\_\\_import\\_\\_'"
    """
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def main() -> None:
    """The whole page; an unexpected error becomes a message, never a traceback, and the sidebar stays."""
    try:
        page()
    except ConvSpecError as error:
        say_error(str(error))
    except Exception as error:  # noqa: BLE001 - the last line of defence in a classroom
        say_error(f"Something went wrong ({type(error).__name__}: {error}). Change a control or pick a preset "
                  f"to continue; please report this with the share link.")


def header_ui() -> Any:
    """The title and the Share link's popover; returns the popover's slot (filled by ``link_ui``)."""
    title, share = st.columns([5, 1], vertical_alignment="bottom")
    title.title("ConvTranspose1d, step by step")
    with share, st.popover("Share link", icon=":material/link:",
                           help="Copy a link that reopens exactly this configuration"):
        slot = st.empty()
        st.caption("This link reopens exactly what the page shows now: every setting, typed values included.")
    return slot


def page() -> None:
    problems = audit(st.query_params.to_dict(), tuple(TABS))  # before widgets drop what they cannot use
    mode = st.sidebar.segmented_control("mode", MODES, default="Explore", key="mode", bind="query-params",
                                        help="Explore freely; Quiz hides answers; Presenter is for a projector")
    if mode == "Quiz":  # the quiz brings its own configuration; keep the controls (and their values) tucked away
        with st.sidebar.expander("Explore settings (not used by the quiz)"):
            settings, slot = sidebar_ui(inside=True)
    else:
        settings, slot = sidebar_ui()
    load_config_ui()
    for problem in problems:
        st.warning(problem, icon=":material/link_off:")
    if mode == "Quiz":
        quiz_ui()
        return
    key = settings_key(settings)
    built: Built | None = None
    try:
        built = cached_build(key)
    except ConvSpecError as error:
        link_slot = header_ui()
        say_error(str(error))
        st.caption("Change that argument in the sidebar; nothing else needs to be reset.")
        link_ui(link_slot, settings, None)
        return
    finally:
        in_use_ui(slot, built)
    if mode == "Presenter":
        presenter_ui(key, lambda slot: link_ui(slot, settings, None))
        return
    link_slot = header_ui()
    st.markdown(INTRO + COMPACT, unsafe_allow_html=True)  # one element: each costs a rerun ~0.2 ms
    summary_ui(built)
    tab = tabs_ui(key, settings)
    link_ui(link_slot, settings, tab)
