"""The page: sidebar controls, then the output and the views (``main()`` is all ``streamlit_app.py`` calls).

The URL has one writer: ``finish`` puts the query that reopens this page (``links.share_query`` of the settings
and ``pages.page_link``) in the address bar and in the Share link, at the end of every run.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from ..errors import ConvSpecError
from .cache import Key, cached_build
from .keys import MODE
from .links import MODES, share_link, share_query
from .model import settings_key
from .pages import Context, View, link_problems, link_refused, open_view, page_link, start_session, views_ui
from .panels import summary_ui
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


def finish(slot: Any, settings: dict[str, Any], mode: str, view: View | None) -> None:
    """The one writer of the URL: the query that reopens exactly this page, into the address bar (when it
    changed) and into the Share link's popover (``slot``; st.code has a copy button)."""
    query = share_query(settings, page_link(mode, view))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    if slot is not None:
        slot.code(share_link(st.context.url or "", query), language=None, wrap_lines=True)


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
    """The title and the Share link's popover; returns the popover's slot (filled by ``finish``)."""
    title, share = st.columns([5, 1], vertical_alignment="bottom")
    title.title("ConvTranspose1d, step by step")
    with share, st.popover("Share link", icon=":material/link:",
                           help="Copy a link that reopens exactly this configuration"):
        slot = st.empty()
        st.caption("This link reopens exactly what the page shows now: every setting, typed values included.")
    return slot


def page() -> None:
    start_session()
    st.session_state.setdefault(MODE, MODES[0])
    mode = st.sidebar.segmented_control("mode", MODES, key=MODE,
                                        help="Explore freely; Quiz hides answers; Presenter is for a projector") \
        or MODES[0]
    if mode == MODES[1]:  # the quiz brings its own configuration; keep the controls (and their values) tucked away
        with st.sidebar.expander("Explore settings (not used by the quiz)"):
            settings, slot = sidebar_ui(inside=True)
    else:
        settings, slot = sidebar_ui()
    load_config_ui()
    for refused in link_refused():
        say_error(refused)
    for problem in link_problems():
        st.warning(problem, icon=":material/link_off:")
    if mode == MODES[1]:
        quiz_ui()
        finish(None, settings, mode, None)
        return
    key: Key = settings_key(settings)
    try:
        built = cached_build(key)
    except ConvSpecError as error:
        in_use_ui(slot, None)
        link_slot = header_ui()
        say_error(str(error))
        st.caption("Change that argument in the sidebar; nothing else needs to be reset.")
        finish(link_slot, settings, mode, None)
        return
    in_use_ui(slot, key)
    if mode == MODES[2]:
        presenter_ui(key, lambda link_slot: finish(link_slot, settings, mode, None))
        return
    link_slot = header_ui()
    st.markdown(INTRO + COMPACT, unsafe_allow_html=True)  # one element: each costs a rerun ~0.2 ms
    context = Context(key, built, settings)
    summary_ui(key, answered=not open_view().hides_output(context))  # hidden where it gives the answer away
    view = views_ui(context)
    finish(link_slot, settings, mode, view)
