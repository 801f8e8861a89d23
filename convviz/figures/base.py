"""Building a ``go.Figure`` from plain dicts, and the text description every figure carries.

Figures are assembled as dicts and wrapped once with validation off: validating hundreds of animation
frames costs plotly seconds. The tests build each figure again *with* validation to keep the dicts honest.
"""
from __future__ import annotations

import threading
from typing import Any

import plotly.graph_objects as go

from ..arguments import MODULE_INTS, TORCH_DEFAULTS
from ..trace import Trace


def make_figure(data: list[dict[str, Any]], layout: dict[str, Any], description: str,
                frames: list[dict[str, Any]] | None = None) -> go.Figure:
    """Wrap dicts in a ``go.Figure`` (a ``Drawn`` one); ``description`` goes to ``layout.meta`` (see
    ``describe``).

    Validation is off, also for frames: ``go.Figure(frames=…)`` would validate every frame's traces again
    (about 0.5 s for 129 frames), so the frames are made unvalidated and attached directly.
    """
    layout = {**layout, "meta": {"description": description}}
    return Drawn.later([keep_when_selected(trace) for trace in data], layout, frames or [])


_REALIZING = threading.RLock()  # cached figures are shared by every session's thread


class Drawn(go.Figure):
    """A ``go.Figure`` that runs Plotly's own construction only when it is first used as one.

    Until then it holds the dicts it is made from (``parts``), and that is all the app needs: ``wire.encode``
    sends them and ``describe`` reads them. Plotly's construction (about 2.5 ms for the default animation, two
    to three times that on a busy server, for every configuration a student opens) is left to the figures that
    are also exported, tested or changed. Any attribute Plotly's figure has makes it one (under a lock, once).

    Example::

        >>> fig = make_figure([{"type": "bar", "y": [1, 2]}], {"height": 300}, "Two bars.")
        >>> fig.parts is not None, describe(fig)
        (True, 'Two bars.')
        >>> fig.layout.height, fig.data[0].y, fig.parts is None
        (300, (1, 2), True)
    """

    @classmethod
    def later(cls, data: list[dict[str, Any]], layout: dict[str, Any], frames: list[dict[str, Any]]) -> Drawn:
        """A figure of these dicts that Plotly builds on first use (``Drawn(...)`` itself is ``go.Figure(...)``,
        so ``type(fig)(fig)`` still copies a figure)."""
        fig = object.__new__(cls)
        fig.__dict__["_convviz_parts"] = (data, layout, frames)
        return fig

    @property
    def parts(self) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]] | None:
        """``(data, layout, frames)`` as given, while Plotly has not built the figure; None after."""
        return self.__dict__.get("_convviz_parts")

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not have (yet)
        if name.startswith("__"):
            raise AttributeError(name)
        with _REALIZING:
            parts = self.__dict__.pop("_convviz_parts", None)
            if parts is None:  # built already (maybe by another thread meanwhile), or being built right now
                return object.__getattribute__(self, name)
            data, layout, frames = parts
            go.Figure.__init__(self, {"data": data, "layout": layout}, _validate=False)
            if frames:
                self._frame_objs = tuple(Frame(**f, _validate=False) for f in frames)
        return getattr(self, name)


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
    parts = fig.parts if isinstance(fig, Drawn) else None
    meta = parts[1].get("meta") if parts is not None else fig.layout.meta
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
