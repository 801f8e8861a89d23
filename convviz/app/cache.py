"""Shared caches: one build and one figure per configuration, for every session on the server.

``st.cache_resource`` hands out the same object without pickling; nothing here is mutated after it is built
(a Trace is frozen, and figures are only serialised by ``st.plotly_chart``). In front of each sits a small
``functools.lru_cache`` (``_front``): Streamlit hashes every argument of a cached call (half a millisecond for
a configuration key, and a rerun asks three times), a tuple's own hash takes microseconds.

A rerun should cost little more than an empty app's, so what Streamlit sends is prepared once per figure too:
``sendable(fig)`` is the figure as the dict ``st.plotly_chart`` turns into JSON, plus its text description,
made on first use and kept with the cached figure. The dict is ``fig.to_dict()`` without its base64 pass over
every array (``plain_dict``): that pass was most of a chart's cost (20 ms of 23 for the default scatter), and
plotly.js draws plain lists the same (the JSON is even smaller for classroom-sized figures).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
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
    """``fig`` ready for ``st.plotly_chart``: an empty figure of the same class whose ``to_dict()`` returns
    ``fig.to_dict()`` computed on first use, with its JSON encoded once (``figures.Encoded``: Streamlit encodes
    the dict again on every rerun otherwise), and whose ``_caption`` is ``figures.describe(fig)``. It is kept on
    ``fig`` itself, so a cached figure pays for it once for every session (cached figures are never mutated).

    Example::

        >>> import plotly.graph_objects as go
        >>> fig = go.Figure(go.Scatter(x=[0, 1], y=[2, 3]), layout={"height": 300})
        >>> ready = sendable(fig)
        >>> ready.to_dict()["layout"] == fig.to_dict()["layout"] and sendable(fig) is ready
        True
    """
    return kept(fig, "_convviz_sendable",
                lambda: _stand_in(fig.__class__)(figures.Encoded(plain_dict(fig)), figures.describe(fig)))


def plain_dict(fig: Any) -> dict[str, Any]:
    """``fig.to_dict()`` with every array as a plain JSON list instead of a base64 typed array: the same figure
    for plotly.js, without the pass that validates and encodes every array again, and ready for the standard
    library's C encoder (``figures.Encoded``). It is read from the figure's own property dicts and built anew
    all the way down, so encoding it never touches the cached figure. float32 values are widened to float64, so
    plotly.js reads exactly the numbers a Float32Array gave it before (``0.4000000059604645``, not ``0.4``). NaN
    (the gaps between line segments) becomes null, which plotly.js treats the same; a figure with an infinite
    value (typed ``inf``) is sent as ``fig.to_dict()``, since JSON has no infinity."""
    sent = {"data": [dict(trace) for trace in fig._data], "layout": fig._layout}
    if fig.frames:
        sent["frames"] = [frame._props for frame in fig._frame_objs]
    infinite: list[bool] = []
    sent = _listed(sent, infinite)
    return fig.to_dict() if infinite else sent


def _listed(value: Any, infinite: list[bool]) -> Any:
    """``value`` rebuilt (dicts, lists, tuples as lists) with every NumPy array inside as a list: floats widened
    to float64 with NaN as None, strings as str; appends to ``infinite`` when a float array holds an infinity.
    Lists of plain numbers are copied as they are."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            if np.isinf(value).any():
                infinite.append(True)
            missing = np.isnan(value)
            if missing.any():
                held = value.astype(np.float64).astype(object)
                held[missing] = None
                return held.tolist()
            return value.astype(np.float64).tolist()
        return value.tolist()
    if isinstance(value, dict):  # scalars are most of the nodes: no call for them
        return {k: _listed(v, infinite) if isinstance(v, _NESTED) else v for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], _NESTED):
            return [_listed(v, infinite) for v in value]
        return list(value)
    return value


_NESTED = (dict, list, tuple, np.ndarray)


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
