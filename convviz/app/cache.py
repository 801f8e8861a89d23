"""Shared caches: one build and one chart per configuration, for every session on the server.

``st.cache_resource`` hands every session the same object, without copying; nothing here is changed after it
is made (a ``Built`` and a ``Trace`` are frozen, a cached figure is only read by ``st.plotly_chart``, which
converts it with ``to_dict()``). Figures are plain views (``convviz.figures``) turned into a ``go.Figure`` by
``figures.to_figure`` once per configuration, view, batch sample and step.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from .. import figures
from ..trace import Trace
from .model import Built, build

Key = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Chart:
    """What the page shows of one view: the figure and its text description (colour is never the only cue)."""

    figure: Any  # plotly.graph_objects.Figure (Plotly is imported in figures/ only)
    caption: str


def chart_of(view: Any) -> Chart:
    """A view (or a figure) as the page shows it."""
    return Chart(figures.to_figure(view, typed_arrays=True), figures.describe(view))


@st.cache_resource(max_entries=128, show_spinner=False)
def cached_build(key: Key) -> Built:
    return build(dict(key))


def _view(t: Trace, view: str, batch: int, extra: Any) -> Any:
    if view == "scatter":
        return figures.scatter_animation(t, batch=batch)
    if view == "gather":
        return figures.gather_animation(t, batch=batch)
    if view == "matrix":
        return figures.matrix_figure(t, batch=batch, highlight=extra)
    if view == "overlap":
        return figures.overlap_figure(t)
    if view == "groups":
        return figures.groups_figure(t)
    if view == "step":  # extra: the step, from 1 (steps_per_batch + 1 is the result)
        return figures.scatter_step_figure(t, int(extra) - 1, batch=batch)
    if view == "pick":  # the result, with the chosen output cell framed
        return figures.scatter_step_figure(t, t.steps_per_batch, batch=batch, highlight=extra)
    raise KeyError(view)


STILLS = ("step", "pick")


def cached_chart(key: Key, view: str, batch: int = 0, extra: Any = None) -> Chart:
    """One of the Plotly views of the configuration ``key``: ``scatter``, ``gather``, ``matrix``, ``overlap``,
    ``groups``, or a still: ``step`` (``extra``: the step, from 1) or ``pick`` (``extra``: the output cell)."""
    if view in STILLS:
        return _cached_still(key, view, batch, extra)
    return _cached_animation(key, view, batch, extra)


@st.cache_resource(max_entries=256, show_spinner=False)
def _cached_animation(key: Key, view: str, batch: int, extra: Any) -> Chart:
    return chart_of(_view(cached_build(key).trace, view, batch, extra))


@st.cache_resource(max_entries=96, show_spinner=False)
def _cached_still(key: Key, view: str, batch: int, extra: Any) -> Chart:
    """Stills (one per step or clicked cell) have their own cache, so a class clicking around does not push
    the expensive animations out of the other one."""
    return chart_of(_view(cached_build(key).trace, view, batch, extra))
