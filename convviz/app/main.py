"""The page: sidebar controls, then the output and the views (``main()`` is all ``streamlit_app.py`` calls)."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..errors import ConvSpecError
from .cache import cached_build
from .controls import load_config_ui, sidebar_ui
from .links import audit
from .model import settings_key
from .panels import TABS, summary_ui, tabs_ui
from .presenter import presenter_ui
from .quiz_ui import quiz_ui

MODES = ["Explore", "Quiz", "Presenter"]


def link_ui() -> None:
    """The link that reopens exactly this state (st.code has a copy button)."""
    base = st.context.url or ""
    query = urlencode(st.query_params.to_dict())
    with st.popover("Share link", icon=":material/link:", help="Copy a link that reopens exactly this configuration"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption("Every control lives in the link; changing a control updates it.")


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


def header_ui() -> None:
    title, share = st.columns([5, 1], vertical_alignment="bottom")
    title.title("ConvTranspose1d, step by step")
    with share:
        link_ui()


def page() -> None:
    problems = audit(st.query_params.to_dict(), tuple(TABS))  # before widgets drop what they cannot use
    mode = st.sidebar.segmented_control("mode", MODES, default="Explore", key="mode", bind="query-params",
                                        help="Explore freely; Quiz hides answers; Presenter is for a projector")
    if mode == "Quiz":  # the quiz brings its own configuration; keep the controls (and their values) tucked away
        with st.sidebar.expander("Explore settings (not used by the quiz)"):
            settings = sidebar_ui(inside=True)
    else:
        settings = sidebar_ui()
    load_config_ui()
    for problem in problems:
        st.warning(problem, icon=":material/link_off:")
    if mode == "Quiz":
        quiz_ui()
        return
    key = settings_key(settings)
    try:
        built = cached_build(key)
    except ConvSpecError as error:
        header_ui()
        say_error(str(error))
        st.caption("Change that argument in the sidebar; nothing else needs to be reset.")
        return
    if mode == "Presenter":
        presenter_ui(key)
        return
    header_ui()
    st.caption("Every number is what torch.nn.ConvTranspose1d computes; every picture is drawn from the same "
               "contributions. Set the arguments on the left.")
    summary_ui(built)
    tabs_ui(key, settings)
