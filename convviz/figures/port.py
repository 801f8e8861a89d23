"""The Port view: the output row of the layer a port produces, with the cells its slice removes marked, over
the output of the layer it reproduces (cell for cell, the same numbers once the slice is applied).

``port_parts`` is the pure part (trace and layout dicts); ``port_figure`` wraps them like every other view.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..port import Port
from ..port.core import NAMES
from .base import make_figure
from .cells import boxes, ints, texts
from .theme import CROPPED, GRID, INK, MUTED, base_layout, pick, tint

KEPT = "#0072B2"  # Okabe–Ito blue: the cells both layers share


def row_names(port: Port) -> tuple[str, str]:
    """(the produced layer's row, the given layer's row), in the user's words."""
    other = NAMES[port.framework]
    if port.direction == "port":
        return f"PyTorch (ConvTranspose1d, padding={port.torch['padding']})", f"{other} (the layer given)"
    return f"{other} (the port)", "PyTorch (the layer given)"


def port_parts(port: Port, length: int, large: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    """Trace and layout dicts of the Port view for an input of ``length`` samples, and its description.

    Row ``y = 1`` is the produced layer's output, ``produced_length(length)`` cells ``i``; the ``crop[0]`` first and
    ``crop[1]`` last are marked as removed (trace ``"removed"``). Row ``y = 0`` is the given layer's output,
    ``length(length)`` cells drawn under the cells they equal (``i − crop[0]``).
    """
    theme = pick(large)
    produced, given = port.produced_length(length), port.length(length)
    start, end = port.crop
    i = np.arange(produced)
    removed = (i < start) | (i >= produced - end)  # (produced,)
    top_name, bottom_name = row_names(port)
    data: list[dict[str, Any]] = []
    for name, mask, fill in (("kept", ~removed, tint(KEPT, 0.25)), ("removed", removed, CROPPED)):
        x, y = boxes(i[mask] - 0.45, i[mask] + 0.45, 0.6, 1.4)
        data.append({"type": "scatter", "name": name, "x": x, "y": y, "mode": "lines", "fill": "toself",
                     "fillcolor": fill, "line": {"color": GRID, "width": 1}, "hoverinfo": "skip"})
    j = np.arange(given)
    x, y = boxes(j + start - 0.45, j + start + 0.45, -0.4, 0.4)
    data.append({"type": "scatter", "name": "given", "x": x, "y": y, "mode": "lines", "fill": "toself",
                 "fillcolor": tint(KEPT, 0.25), "line": {"color": GRID, "width": 1}, "hoverinfo": "skip"})
    small = theme.cell_font - (3 if produced > 24 else 0)
    readable = produced <= 64
    data.append(texts(i, np.ones(produced), [("✂" if r else str(n)) for n, r in zip(i.tolist(), removed.tolist())]
                      if readable else None, small, [MUTED if r else INK for r in removed.tolist()], name="index"))
    data.append(texts(j + start, np.zeros(given), [str(n) for n in j.tolist()] if readable else None, small,
                      name="given index"))
    top, bottom = top_name.split(" (")[0], bottom_name.split(" (")[0]
    hover = [f"{top} out[{n}]: removed by the slice" if r else f"{top} out[{n}] = {bottom} out[{n - start}]"
             for n, r in zip(i.tolist(), removed.tolist())]
    data.append({"type": "scatter", "name": "hover", "x": ints(i), "y": np.ones(produced), "mode": "markers",
                 "marker": {"symbol": "square", "size": 18, "color": "rgba(0,0,0,0)"}, "hovertext": hover,
                 "hoverinfo": "text"})
    cut = f"the slice removes {start} at the start and {end} at the end" if (start or end) else "no slice: exact"
    title = (f"{top} output: {produced} cells, {cut}<br><sup>below it, the {bottom} output ({given} cells) for an "
             f"input of {length} samples: the same numbers cell for cell</sup>")
    layout = base_layout(
        theme, title, 2 * theme.row_px + 170,
        margin={"l": 20, "r": 20, "t": 90, "b": 50},
        xaxis={"title": {"text": "output index"}, "range": [-0.7, produced - 0.3], "showgrid": False,
               "zeroline": False, "fixedrange": True, "tick0": 0, "dtick": max(1, -(-produced // 30))},
        yaxis={"range": [-0.6, 1.6], "tickvals": [1, 0], "ticktext": [top_name, bottom_name], "showgrid": False,
               "zeroline": False, "fixedrange": True, "automargin": True},
        shapes=[{"type": "line", "x0": x0, "x1": x0, "y0": -0.5, "y1": 1.5, "line": {"color": INK, "width": 2,
                                                                                    "dash": "dash"}}
                for x0, show in ((start - 0.5, start > 0), (produced - end - 0.5, end > 0)) if show])
    description = (f"Port view: the {top_name} output has {produced} cells; {cut}. The remaining {given} cells equal "
                   f"the {bottom_name} output, cell for cell, for an input of {length} samples.")
    return data, layout, description


def port_figure(port: Port, length: int, large: bool = False) -> go.Figure:
    """The Port view as a figure (see :func:`port_parts`)."""
    return make_figure(*port_parts(port, length, large))
