"""The stack view: the compounded overlap after each layer of a stack of transposed convolutions.

One row per layer: a bar per position with how many paths (one tap per layer) reach it, the endless-input
count as a stepped line, and the uneven positions (the checkerboard) in vermillion with a hatch and a mark
above, so colour is never the only cue. Each row's title gives the layer, its output length and a verdict.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..stack import LayerOverlap
from .base import make_figure
from .theme import INK, MUTED, OKABE_ITO, base_layout, pick

EVEN = OKABE_ITO["blue"]
UNEVEN = OKABE_ITO["vermillion"]
EDGE = "#A0A0A0"
ROW_PX = 200
HEAD_PX = 110  # the figure's title
LABEL_PX = 70  # each row's title above it (up to three lines)
TICKS_PX = 34  # each row's tick labels below it


def layer_name(layer: LayerOverlap) -> str:
    """``ConvTranspose1d(k=16, s=8, p=4)`` with only the arguments that are not torch's defaults after k."""
    s = layer.spec
    parts = [f"kernel_size={s.kernel_size}"]
    parts += [f"{name}={getattr(s, name)}" for name, default in
              (("stride", 1), ("padding", 0), ("output_padding", 0), ("dilation", 1)) if getattr(s, name) != default]
    return f"ConvTranspose1d({', '.join(parts)})"


def wrap(verdict: str, width: int = 90) -> str:
    """A long verdict broken after its semicolons (Plotly does not wrap annotation text)."""
    return verdict.replace("; ", ";<br>") if len(verdict) > width else verdict


def stack_figure(report: Sequence[LayerOverlap], length: int, large: bool = False) -> go.Figure:
    """Bars of the overlap counts after every layer of a stack (from :func:`convviz.stack.stack_report`).

    Traces per layer ``n``: ``"layer n"`` (bars: counts, coloured by kind), ``"layer n endless"`` (the
    endless-input counts) and ``"layer n uneven"`` (a mark above each uneven position).
    """
    theme = pick(large)
    rows = len(report)
    inner = rows * (LABEL_PX + ROW_PX + TICKS_PX)  # the plotting area's height ("paper" coordinates)
    height = HEAD_PX + inner + 40
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    layout_axes: dict[str, Any] = {}
    for row, layer in enumerate(report):
        axis = "" if row == 0 else str(row + 1)
        xref, yref = f"x{axis}", f"y{axis}"
        top_px = row * (LABEL_PX + ROW_PX + TICKS_PX) + LABEL_PX  # within the plotting area (paper)
        domain = [1 - (top_px + ROW_PX) / inner, 1 - top_px / inner]
        j = np.arange(layer.length)
        thin = layer.length > 150
        kinds = np.where(layer.uneven, "uneven", np.where(layer.edge, "edge", "even"))
        colours = np.where(layer.uneven, UNEVEN, np.where(layer.edge, EDGE, EVEN))
        data.append({
            "type": "bar", "name": f"layer {layer.number}", "x": j, "y": layer.counts, "xaxis": xref, "yaxis": yref,
            "marker": {"color": colours.tolist(), "line": {"width": 0},
                       "pattern": {"shape": np.where(layer.uneven, "x", "").tolist(), "fgcolor": "white",
                                   "solidity": 0.35} if not thin else {}},
            "customdata": np.stack([layer.steady, kinds], axis=1) if layer.length else None,
            "hovertemplate": "position %{x}: %{y} paths (endless input: %{customdata[0]}; %{customdata[1]})"
                             "<extra></extra>"})
        data.append({
            "type": "scatter", "name": f"layer {layer.number} endless", "x": j, "y": layer.steady, "mode": "lines",
            "line": {"shape": "hvh", "color": INK, "width": 1.2, "dash": "dot"}, "xaxis": xref, "yaxis": yref,
            "hoverinfo": "skip"})
        marks = np.flatnonzero(layer.uneven)
        data.append({
            "type": "scatter", "name": f"layer {layer.number} uneven", "x": marks,
            "y": np.full(len(marks), layer.steady.max() + 0.45), "mode": "markers", "xaxis": xref, "yaxis": yref,
            "marker": {"symbol": "triangle-down", "size": 7 if not thin else 4, "color": UNEVEN},
            "hoverinfo": "skip"})
        top = float(max(layer.steady.max(), layer.counts.max(), 1))
        layout_axes[f"xaxis{axis}"] = {
            "anchor": yref, "domain": [0, 1], "range": [-0.5, layer.length - 0.5], "showgrid": False,
            "zeroline": False, "fixedrange": True,
            "title": {"text": "position" if row == rows - 1 else "", "standoff": 4},
            "tickfont": {"size": theme.font_size - 3}}
        layout_axes[f"yaxis{axis}"] = {
            "anchor": xref, "domain": domain, "range": [0, top + 1.0], "gridcolor": "#e5e5e5", "zeroline": False,
            "fixedrange": True, "title": {"text": "paths"}, "rangemode": "tozero",
            "dtick": max(1, int(np.ceil(top / 5)))}
        annotations.append({
            "xref": "paper", "yref": "paper", "x": 0, "y": domain[1] + 6 / inner, "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "align": "left",
            "text": f"<b>layer {layer.number}</b>: {layer_name(layer)} → length {layer.length}<br>"
                    f"<span style='color:{UNEVEN if layer.uneven.any() else MUTED}'>{wrap(layer.verdict)}</span>",
            "font": {"size": theme.font_size - 1, "color": INK}})
    title = (f"A stack of {rows} transposed convolution{'s' if rows != 1 else ''} on {length} input samples: "
             f"how many paths reach each position<br><sup>vermillion, hatched and marked ▼: fewer paths than the "
             f"most-reached positions (the checkerboard) · grey: the input's ends · dotted: an endless input</sup>")
    layout = base_layout(theme, title, height, barmode="overlay", bargap=0 if len(report) and
                         max(layer.length for layer in report) > 150 else 0.1,
                         margin={"l": 70, "r": 20, "t": HEAD_PX, "b": 40}, annotations=annotations, **layout_axes)
    lengths = " → ".join([str(length)] + [str(layer.length) for layer in report])
    description = (f"Overlap of a stack of {rows} layer(s), lengths {lengths}. " +
                   " ".join(f"Layer {layer.number} ({layer_name(layer)}): {layer.verdict}." for layer in report))
    return make_figure(data, layout, description)
