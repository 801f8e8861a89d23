"""The groups view: which in-channels feed which out-channels, as a bipartite diagram coloured by group.

Each group has a colour, a marker shape and a ``g`` label (colour is never the only cue); every edge is one
``(C_in, C_out/groups, K)`` weight slice ``w[c, o', :]``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..trace import Trace
from .base import make_figure, signature
from .cells import segments
from .theme import DEFAULT, INK, base_layout, group_colour, group_symbol, pick

DASHES = ("solid", "dash", "dot", "dashdot")


def edges(trace: Trace) -> np.ndarray:
    """``(C_in·C_out/groups, 3)`` rows ``(in_channel, out_channel, group)``: who feeds whom."""
    s = trace.spec
    group_in, group_out = s.in_channels // s.groups, s.out_channels // s.groups
    c, local = np.divmod(np.arange(s.in_channels * group_out), group_out)
    g = c // group_in
    return np.stack([c, g * group_out + local, g], axis=1)


def _y(n: int, most: int) -> np.ndarray:
    """Rows spread over the height of the larger side."""
    return np.linspace(0, most - 1, n) if n > 1 else np.array([(most - 1) / 2])


def groups_figure(trace: Trace, large: bool = False) -> go.Figure:
    """In-channels (left) to out-channels (right); an edge per weight slice, coloured and dashed by group.

    Traces: ``"group g"`` (edges of group ``g``), ``"in"`` / ``"out"`` (channel nodes, ``customdata`` =
    channel index), ``"weights"`` (hover on each edge's middle: ``w[c, o', :]``).
    """
    theme = pick(large) if large else DEFAULT
    s = trace.spec
    most = max(s.in_channels, s.out_channels)
    y_in, y_out = _y(s.in_channels, most), _y(s.out_channels, most)
    pairs = edges(trace)
    data: list[dict[str, Any]] = []
    for g in range(s.groups):
        mine = pairs[pairs[:, 2] == g]
        xs, ys = segments(0.0, y_in[mine[:, 0]], 1.0, y_out[mine[:, 1]])
        data.append({"type": "scatter", "name": f"group {g}", "x": xs, "y": ys, "mode": "lines",
                     "line": {"color": group_colour(g), "width": 2, "dash": DASHES[g % len(DASHES)]},
                     "hoverinfo": "skip"})
    group_out = s.out_channels // s.groups
    mid = {"type": "scatter", "name": "weights", "x": np.full(len(pairs), 0.5),
           "y": (y_in[pairs[:, 0]] + y_out[pairs[:, 1]]) / 2, "mode": "markers",
           "marker": {"size": 7, "color": [group_colour(g) for g in pairs[:, 2].tolist()], "opacity": 0.6},
           "hovertext": [f"w[{c}, {o % group_out}, :] ({s.kernel_size} taps): x[{c}] → out[{o}] · group {g}"
                         for c, o, g in pairs.tolist()], "hoverinfo": "text"}
    data.append(mid)
    size = theme.font_size + 10
    for side, n, ys, x, per in (("in", s.in_channels, y_in, 0.0, s.in_channels // s.groups),
                                ("out", s.out_channels, y_out, 1.0, group_out)):
        group = np.arange(n) // per
        label = "x" if side == "in" else "out"
        data.append({"type": "scatter", "name": side, "x": np.full(n, x), "y": ys, "mode": "markers+text",
                     "customdata": np.arange(n), "textposition": "middle left" if side == "in" else "middle right",
                     "text": [f"{label}[{c}] · g{gg}" if s.groups > 1 else f"{label}[{c}]"
                              for c, gg in zip(range(n), group.tolist())],
                     "textfont": {"size": theme.font_size, "color": INK},
                     "marker": {"size": size, "color": [group_colour(gg) for gg in group.tolist()],
                                "symbol": [group_symbol(gg) for gg in group.tolist()],
                                "line": {"color": "white", "width": 1.5}},
                     "hovertext": [f"{'in' if side == 'in' else 'out'}-channel {c}, group {gg}"
                                   for c, gg in zip(range(n), group.tolist())], "hoverinfo": "text"})
    gi, go_ = s.in_channels // s.groups, group_out
    title = (f"{signature(trace)}: groups={s.groups}<br><sup>each group's {gi} in-channel(s) feed only its {go_} "
             f"out-channel(s); weight shape ({s.in_channels}, {go_}, {s.kernel_size}) = (C_in, C_out/groups, K), "
             f"{len(pairs)} slices</sup>")
    height = int(min(theme.max_height, max(380, most * (size + 12) + 200)))
    layout = base_layout(
        theme, title, height, width=min(theme.width, 900), margin={"l": 40, "r": 40, "t": 100, "b": 40},
        xaxis={"range": [-0.45, 1.45], "visible": False, "fixedrange": True},
        yaxis={"range": [most - 0.4, -0.8], "visible": False, "fixedrange": True},
        annotations=[
            {"text": "<b>in-channels</b>", "x": 0, "y": -0.7, "xref": "x", "yref": "y", "showarrow": False},
            {"text": "<b>out-channels</b>", "x": 1, "y": -0.7, "xref": "x", "yref": "y", "showarrow": False}])
    description = (f"Groups of {signature(trace)}: {s.groups} group(s); in-channels "
                   + "; ".join(f"{g * gi}–{(g + 1) * gi - 1} feed out-channels {g * go_}–{(g + 1) * go_ - 1}"
                               for g in range(min(s.groups, 8)))
                   + ("; …" if s.groups > 8 else "") + ".")
    return make_figure(data, layout, description)
