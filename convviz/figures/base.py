"""Views as plain data, one way to make a ``go.Figure`` of them, and the text description every figure carries.

Every view is a frozen ``View`` of plain dicts; ``to_figure`` is the one place a ``go.Figure`` is made. The
tests build each figure again *with* validation to keep the dicts honest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from ..arguments import MODULE_INTS, TORCH_DEFAULTS
from ..trace import Trace
from .typed import with_typed_arrays


@dataclass(frozen=True)
class View:
    """One picture as plain data: Plotly's trace dicts, the layout, the animation frames and the text description
    a screen reader (and the caption under the chart) gets. ``to_figure(view)`` makes the ``go.Figure``.

    Example::

        >>> view = make_figure([{"type": "bar", "y": [1, 2]}], {"height": 300}, "Two bars.")
        >>> describe(view), to_figure(view).layout.height
        ('Two bars.', 300)
    """

    data: tuple[dict[str, Any], ...]
    layout: dict[str, Any]
    frames: tuple[dict[str, Any], ...]
    description: str


def make_figure(data: list[dict[str, Any]], layout: dict[str, Any], description: str,
                frames: list[dict[str, Any]] | None = None) -> View:
    """The ``View`` of these dicts; ``description`` also goes to ``layout.meta`` (so an exported figure keeps
    it), and scatter traces keep their look while a point is selected (``keep_when_selected``)."""
    layout = {**layout, "meta": {"description": description}}
    data = [keep_when_selected(trace) for trace in data]
    return View(tuple(data), layout, tuple(typed_frame(frame, data) for frame in frames or ()), description)


def typed_frame(frame: dict[str, Any], data: list[dict[str, Any]]) -> dict[str, Any]:
    """``frame`` with each of its traces naming the type of the trace it updates (``data[frame["traces"][i]]``):
    plotly.js merges a frame's trace into that trace either way, and Plotly's figure reads a trace without a type
    as a scatter."""
    if "data" not in frame:
        return frame
    targets = frame.get("traces", range(len(frame["data"])))
    typed = [trace if "type" in trace else {"type": data[target].get("type", "scatter"), **trace}
             for trace, target in zip(frame["data"], targets)]
    return {**frame, "data": typed}


def to_figure(view: View | go.Figure, typed_arrays: bool = False) -> go.Figure:
    """The ``go.Figure`` of a view (a figure is returned as it is).

    The dicts, which the tests check with validation on, are taken with validation off (``_validate=False``;
    Plotly still checks the frames). ``typed_arrays=True`` is for a figure made once and sent many times (the
    app's cached charts): its NumPy arrays are turned into Plotly's typed-array form once (``typed.py``, held to
    Plotly's own ``convert_to_base64``), which ``fig.to_dict()`` would otherwise do on every send (20 ms for the
    default animation); ``to_dict()`` gives the same either way, but the figure's properties then read as
    ``{"dtype", "bdata"}`` dicts instead of arrays."""
    if isinstance(view, go.Figure):
        return view
    spec = {"data": [dict(trace) for trace in view.data], "layout": dict(view.layout),
            "frames": [dict(frame) for frame in view.frames]}
    if typed_arrays:
        spec = with_typed_arrays(spec)  # a copy: the view stays as it is
    return go.Figure(spec, _validate=False)


def keep_when_selected(trace: dict[str, Any]) -> dict[str, Any]:
    """A scatter trace that looks the same while the user has clicked (selected) a point.

    A click with ``selection_mode="points"`` makes Plotly dim every unselected point of the subplot, which
    would fade the numbers a student is reading; unselected points here keep full opacity and text colour.
    """
    if trace.get("type") != "scatter" or "unselected" in trace:
        return trace
    colour = trace.get("textfont", {}).get("color")
    keep: dict[str, Any] = {"marker": {"opacity": 1}}
    if isinstance(colour, str):
        keep["textfont"] = {"color": colour}
    return {**trace, "selected": keep, "unselected": keep}


def describe(view: View | go.Figure) -> str:
    """The short text description of a convviz view or figure, for screen readers and ``alt`` text.

    Example::

        >>> describe(make_figure([], {}, "An empty figure."))
        'An empty figure.'
    """
    if isinstance(view, View):
        return view.description
    meta = view.layout.meta
    if isinstance(meta, dict) and isinstance(meta.get("description"), str):
        return meta["description"]
    title = view.layout.title.text
    return str(title) if title else "A Plotly figure."


def signature(trace: Trace) -> str:
    """``ConvTranspose1d(1, 3, kernel_size=3, stride=2, …)`` with only the non-default arguments spelled out."""
    s = trace.spec
    parts = [f"{s.in_channels}", f"{s.out_channels}", f"kernel_size={s.kernel_size}"]
    parts += [f"{name}={getattr(s, name)}" for name in MODULE_INTS[3:] if getattr(s, name) != TORCH_DEFAULTS[name]]
    if not s.bias:
        parts.append("bias=False")
    if s.dtype != "float32":
        parts.append(f"dtype={s.dtype}")
    return f"ConvTranspose1d({', '.join(parts)})"


def check_batch(trace: Trace, batch: int) -> int:
    """``batch`` as an index into ``trace.input``, with a clear error when it is out of range."""
    n = trace.input.shape[0]
    if not -n <= batch < n:
        raise IndexError(f"batch={batch} is out of range: the input holds {n} sample(s); use 0 to {n - 1}")
    return batch % n
