"""Shared caches: one build and one figure per configuration, for every session on the server.

``st.cache_resource`` hands out the same object without pickling; nothing here is mutated after it is built
(a Trace is frozen, and figures are only serialised by ``st.plotly_chart``). In front of each sits a small
``functools.lru_cache`` (``_front``): Streamlit hashes every argument of a cached call (half a millisecond for
a configuration key, and a rerun asks three times), a tuple's own hash takes microseconds.

A rerun should cost little more than an empty app's, so what Streamlit sends is prepared once per figure too:
``sendable(fig)`` is the figure as the dict ``st.plotly_chart`` turns into JSON, plus its text description,
made on first use and kept with the cached figure. Its JSON is made once too (``figures.encode``, straight from
the figure's dicts): Streamlit would otherwise turn the figure into a dict and encode it again on every rerun,
most of a cached rerun's cost for a chart.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import figures
from .model import Built, build

Key = tuple[tuple[str, Any], ...]


STILLS = ("step", "present", "pick")


def _front(maxsize: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A process-wide ``lru_cache`` in front of a ``st.cache_resource`` function (which still makes each value
    once when many sessions ask at the same moment); arguments that cannot be hashed go straight through."""

    def wrap(shared: Callable[..., Any]) -> Callable[..., Any]:
        recent = functools.lru_cache(maxsize=maxsize)(shared)

        @functools.wraps(shared)
        def call(*args: Any) -> Any:
            try:
                return recent(*args)
            except TypeError:  # an unhashable argument
                return shared(*args)

        return call

    return wrap


@_front(128)
@st.cache_resource(max_entries=128, show_spinner=False)
def cached_build(key: Key) -> Built:
    return build(dict(key))


def cached_figure(key: Key, view: str, batch: int = 0, extra: Any = None) -> Any:
    """One of the Plotly views of the configuration ``key`` (stills have a cache of their own)."""
    if view in STILLS:
        return cached_still(key, view, batch, extra)
    return _cached_view(key, view, batch, extra)


@_front(256)
@st.cache_resource(max_entries=256, show_spinner=False)
def _cached_view(key: Key, view: str, batch: int, extra: Any) -> Any:
    t = cached_build(key).trace
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
    raise KeyError(view)


@_front(96)
@st.cache_resource(max_entries=96, show_spinner=False)
def cached_still(key: Key, view: str, batch: int, extra: Any) -> Any:
    """Stills (one per step or clicked cell) have their own cache, so a class clicking around does not push
    the expensive animations out of ``cached_figure``'s."""
    t = cached_build(key).trace
    if view == "pick":  # the result, with the chosen output cell framed
        return figures.scatter_step_figure(t, t.steps_per_batch, batch=batch, highlight=extra)
    return figures.scatter_step_figure(t, extra, batch=batch, large=view == "present")


@functools.cache
def _stand_in(figure_class: Any) -> Any:
    """A subclass of the figure's own class (Plotly is imported in ``figures/`` only) whose ``to_dict()`` is a
    dict computed once: ``st.plotly_chart`` accepts a figure object and calls ``to_dict()`` on it on every rerun
    (a plain dict it would validate again). ``ready(sent, caption)`` makes one without running Plotly's
    ``__init__`` (an empty figure costs about a millisecond): nothing but ``to_dict()`` is ever asked of it."""

    class Sendable(figure_class):
        _sent: dict[str, Any]
        _caption: str

        def to_dict(self) -> dict[str, Any]:
            return self._sent

    def ready(sent: dict[str, Any], caption: str) -> Any:
        stand_in = object.__new__(Sendable)
        stand_in.__dict__.update(_sent=sent, _caption=caption)
        return stand_in

    return ready


def sendable(fig: Any) -> Any:
    """``fig`` ready for ``st.plotly_chart``: a stand-in of the same class whose ``to_dict()`` returns the same
    figure as ``fig.to_dict()`` with its JSON encoded once, on first use (``figures.encode``: Streamlit encodes
    the dict again on every rerun otherwise), and whose ``_caption`` is ``figures.describe(fig)``. It is kept
    on ``fig`` itself, so a cached figure pays for it once for every session (cached figures are never
    mutated).

    Example::

        >>> import plotly.graph_objects as go
        >>> fig = go.Figure(go.Scatter(x=[0, 1], y=[2, 3]), layout={"height": 300})
        >>> ready = sendable(fig)
        >>> ready.to_dict()["layout"] == fig.to_dict()["layout"] and sendable(fig) is ready
        True
    """
    return kept(fig, "_convviz_sendable",
                lambda: _stand_in(fig.__class__)(figures.encode(fig), figures.describe(fig)))


def kept(owner: Any, name: str, make: Callable[[], Any]) -> Any:
    """``make()`` computed once and kept on ``owner`` as attribute ``name``: for payloads derived from a cached,
    never-mutated object (a figure, a ``Built``), so they live and are evicted with it. Writes ``__dict__``
    directly, past a frozen dataclass's or a Plotly figure's ``__setattr__``; two sessions racing on a first use
    both compute it, and either result is the same.

    Example::

        >>> class Box: pass
        >>> box, calls = Box(), []
        >>> [kept(box, "_n", lambda: calls.append(1) or 42) for _ in range(3)], len(calls)
        ([42, 42, 42], 1)
    """
    value = owner.__dict__.get(name)
    if value is None:
        value = owner.__dict__[name] = make()
    return value
