"""Building a ``go.Figure`` from plain dicts, and the text description every figure carries.

Figures are assembled as dicts and wrapped once with validation off: validating hundreds of animation
frames costs plotly seconds. The tests build each figure again *with* validation to keep the dicts honest.
"""
from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ..arguments import MODULE_INTS, TORCH_DEFAULTS
from ..trace import Trace


def make_figure(data: list[dict[str, Any]], layout: dict[str, Any], description: str,
                frames: list[dict[str, Any]] | None = None) -> go.Figure:
    """Wrap dicts in a ``go.Figure``; ``description`` goes to ``layout.meta`` (see ``describe``).

    Validation is off, also for frames: ``go.Figure(frames=…)`` would validate every frame's traces again
    (about 0.5 s for 129 frames), so the frames are made unvalidated and attached directly.
    """
    layout = {**layout, "meta": {"description": description}}
    fig = go.Figure({"data": [keep_when_selected(trace) for trace in data], "layout": layout}, _validate=False)
    if frames:
        fig._frame_objs = tuple(Frame(**f, _validate=False) for f in frames)
    return fig


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


class Frame(go.Frame):
    """A ``go.Frame`` made without validation whose ``data`` still reads back as trace objects (plotly's own
    lazy path fails for unvalidated frames). Serialisation is unchanged: it reads the raw dicts."""

    @property
    def data(self) -> tuple[Any, ...]:
        raw = (self._props or {}).get("data", [])
        return tuple(getattr(go, TRACE_CLASSES[d.get("type", "scatter")])(d, _validate=False) for d in raw)

    @data.setter
    def data(self, value: Any) -> None:
        go.Frame.data.fset(self, value)


TRACE_CLASSES = {"scatter": "Scatter", "heatmap": "Heatmap", "bar": "Bar"}


def describe(fig: go.Figure) -> str:
    """The short text description of a convviz figure, for screen readers and ``alt`` text.

    Example::

        >>> describe(make_figure([], {}, "An empty figure."))
        'An empty figure.'
    """
    meta = fig.layout.meta
    if isinstance(meta, dict) and isinstance(meta.get("description"), str):
        return meta["description"]
    title = fig.layout.title.text
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
