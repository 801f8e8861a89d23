"""The overlap view: how many (input position, tap) pairs land on each output position — the checkerboard.

One stacked bar per output position, one segment per tap (tap colour, hatch pattern and ``x[i]·k`` label),
so the bar heights are ``overlap_counts`` and each segment says which input element put it there.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..trace import Trace
from .base import make_figure, signature
from .theme import INK, base_layout, pick, readable_on, tap_colour

PATTERNS = ("", "/", "\\", "x", "-", "|", "+", ".")


def verdict(trace: Trace, counts: np.ndarray) -> str:
    """A sentence on whether the overlap is even away from the edges (no checkerboard) or uneven."""
    s = trace.spec
    f = np.arange(len(counts)) + s.padding
    inner = counts[(f >= s.dilation * (s.kernel_size - 1)) & (f <= (trace.length - 1) * s.stride)]
    inner = inner if len(inner) else counts
    if inner.min() == inner.max():
        return f"even: {inner.min()} per position away from the edges, so no checkerboard"
    pattern = ", ".join(map(str, inner[:min(len(inner), 2 * s.stride)].tolist()))
    if inner.min() == 0:
        return f"uneven: {pattern}, … some positions are never reached (they hold only the bias)"
    why = f" (kernel_size {s.kernel_size} is not a multiple of stride {s.stride})" if s.dilation == 1 else ""
    return f"uneven: {pattern}, …{why}: the checkerboard artefact"


def overlap_figure(trace: Trace, large: bool = False) -> go.Figure:
    """Stacked bars of how many (input position, tap) pairs land on each output position.

    Traces ``"tap k"`` (bars, ``y`` 1 where tap ``k`` lands, 0 elsewhere) sum to ``overlap_counts(...)``; the
    ``"count"`` trace writes each total above its bar.
    """
    theme = pick(large)
    s = trace.spec
    source = trace.tap_sources()  # (K, L_out): the input position each tap brings to j, -1 for none
    hit, counts = source >= 0, trace.overlap_counts()
    j = np.arange(trace.output_length)
    readable = trace.output_length <= 40
    thin = trace.output_length > 150
    bars: list[dict[str, Any]] = []
    for k in range(s.kernel_size):
        label = [f"x[{i}]" if i >= 0 else "" for i in source[k].tolist()]
        bars.append({"type": "bar", "name": f"tap {k}", "x": j, "y": hit[k].astype(np.int8),
                     "marker": {"color": tap_colour(k), "line": {"color": "white", "width": 0 if thin else 1},
                                "pattern": {"shape": PATTERNS[k % len(PATTERNS)], "fgcolor": "white",
                                            "fillmode": "overlay", "solidity": 0.3} if not thin else {}},
                     "text": label if readable else None, "textposition": "inside", "insidetextanchor": "middle",
                     "textfont": {"size": theme.font_size - 3, "color": readable_on(tap_colour(k))},
                     "hovertext": [f"out j={jj}: x[c, {i}] · w[c, o, {k}] lands here (full index {jj + s.padding})"
                                   if i >= 0 else "" for jj, i in zip(j.tolist(), source[k].tolist())],
                     "hoverinfo": "text"})
    bars.append({"type": "scatter", "name": "count", "x": j, "y": counts + 0.08, "mode": "text",
                 "text": [str(c) for c in counts.tolist()] if readable else None, "textposition": "top center",
                 "textfont": {"size": theme.font_size, "color": INK}, "hoverinfo": "skip", "showlegend": False})
    per = s.in_channels // s.groups
    title = (f"{signature(trace)}: how many input·tap products land on each output position<br><sup>overlap is "
             f"{verdict(trace, counts)}</sup><br><sup>each count means {per} product(s) per out-channel "
             f"(one per in-channel of its group)</sup>")
    top = int(counts.max()) if len(counts) else 1
    layout = base_layout(
        theme, title, 460 if not large else 620, barmode="stack", bargap=0 if thin else 0.15,
        showlegend=s.kernel_size <= 8, margin={"l": 70, "r": 20, "t": 140, "b": 60},
        legend={"orientation": "h", "y": 1.0, "x": 1, "xanchor": "right", "yanchor": "bottom", "traceorder": "normal"},
        xaxis={"title": {"text": "output index j"}, "showgrid": False, "zeroline": False, "fixedrange": True,
               "range": [-0.5, trace.output_length - 0.5], "tick0": 0, "dtick": max(1, -(-trace.output_length // 30))},
        yaxis={"title": {"text": "overlap count"}, "range": [0, top + 0.7], "dtick": 1, "gridcolor": "#e5e5e5",
               "zeroline": False, "fixedrange": True})
    description = (f"Overlap counts of {signature(trace)} for an input of length {trace.length}: "
                   f"{', '.join(map(str, counts[:16].tolist()))}{', …' if len(counts) > 16 else ''}; "
                   f"the overlap is {verdict(trace, counts)}.")
    return make_figure(bars, layout, description)
