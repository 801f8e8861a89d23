"""Shared caches: one build and one figure per configuration, for every session on the server.

``st.cache_resource`` hands out the same object without pickling; nothing here is mutated after it is built
(a Trace is frozen, and figures are only serialised by ``st.plotly_chart``).
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from .. import figures
from .model import Built, build

Key = tuple[tuple[str, Any], ...]


@st.cache_resource(max_entries=128, show_spinner=False)
def cached_build(key: Key) -> Built:
    return build(dict(key))


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_figure(key: Key, view: str, batch: int = 0, extra: Any = None) -> Any:
    """One of the Plotly views of the configuration ``key``."""
    t = cached_build(key).trace
    if view == "scatter":
        return figures.scatter_animation(t, batch=batch)
    if view in ("step", "present", "pick"):
        return cached_still(key, view, batch, extra)
    if view == "gather":
        return figures.gather_animation(t, batch=batch)
    if view == "matrix":
        return figures.matrix_figure(t, batch=batch, highlight=extra)
    if view == "overlap":
        return figures.overlap_figure(t)
    if view == "groups":
        return figures.groups_figure(t)
    raise KeyError(view)


@st.cache_resource(max_entries=96, show_spinner=False)
def cached_still(key: Key, view: str, batch: int, extra: Any) -> Any:
    """Stills (one per step or clicked cell) have their own cache, so a class clicking around does not push
    the expensive animations out of ``cached_figure``'s."""
    t = cached_build(key).trace
    if view == "pick":  # the result, with the chosen output cell framed
        return figures.scatter_step_figure(t, t.steps_per_batch, batch=batch, highlight=extra)
    return figures.scatter_step_figure(t, extra, batch=batch, large=view == "present")
