"""The page: sidebar controls, then the output and the views (``main()`` is all ``streamlit_app.py`` calls)."""
from __future__ import annotations

import streamlit as st

from ..errors import ConvSpecError
from .cache import cached_build
from .controls import sidebar_ui
from .model import settings_key
from .panels import summary_ui, tabs_ui


def main() -> None:
    settings = sidebar_ui()
    st.title("ConvTranspose1d, step by step")
    st.caption("Every number is what torch.nn.ConvTranspose1d computes; every picture is drawn from the same "
               "contributions. Set the arguments on the left.")
    key = settings_key(settings)
    try:
        built = cached_build(key)
    except ConvSpecError as error:
        st.error(f"{error}", icon="⚠️")
        st.caption("Change the highlighted argument in the sidebar; nothing else needs to be reset.")
        return
    summary_ui(built)
    tabs_ui(key, settings)
