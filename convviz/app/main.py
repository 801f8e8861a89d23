"""The page: sidebar controls, then the output and the views (``main()`` is all ``streamlit_app.py`` calls)."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..errors import ConvSpecError
from .cache import cached_build
from .controls import load_config_ui, sidebar_ui
from .exports import exports_ui
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


def main() -> None:
    """The whole page; an unexpected error becomes a message, never a traceback, and the sidebar stays."""
    try:
        page()
    except ConvSpecError as error:
        st.error(f"{error}", icon="⚠️")
    except Exception as error:  # noqa: BLE001 - the last line of defence in a classroom
        st.error(f"Something went wrong ({type(error).__name__}: {error}). Change a control or pick a preset "
                 f"to continue; please report this with the share link.", icon="⚠️")


def page() -> None:
    problems = audit(st.query_params.to_dict(), tuple(TABS))  # before widgets drop what they cannot use
    mode = st.sidebar.segmented_control("mode", MODES, default="Explore", key="mode", bind="query-params",
                                        help="Explore freely; Quiz hides answers; Presenter is for a projector")
    settings = sidebar_ui()
    load_config_ui()
    for problem in problems:
        st.warning(problem, icon="🔗")
    if mode == "Quiz":
        quiz_ui()
        return
    key = settings_key(settings)
    try:
        built = cached_build(key)
    except ConvSpecError as error:
        st.title("ConvTranspose1d, step by step")
        st.error(f"{error}", icon="⚠️")
        st.caption("Change that argument in the sidebar; nothing else needs to be reset.")
        return
    if mode == "Presenter":
        presenter_ui(key)
        return
    title, share = st.columns([5, 1], vertical_alignment="bottom")
    title.title("ConvTranspose1d, step by step")
    with share:
        link_ui()
    st.caption("Every number is what torch.nn.ConvTranspose1d computes; every picture is drawn from the same "
               "contributions. Set the arguments on the left.")
    summary_ui(built)
    tab = tabs_ui(key, settings)
    with st.expander("Downloads: animation (HTML), CSV, configuration (JSON), PNG for slides"):
        exports_ui(key, {"Scatter": "scatter", "Hand calculation": "step", "Gather": "gather", "Matrix": "matrix",
                         "Overlap": "overlap", "Groups": "groups"}.get(tab, "scatter"))
