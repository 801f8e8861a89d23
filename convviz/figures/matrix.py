"""The matrix view: ``y = M · x + b`` with ``M`` from ``convviz.forms``.

``M`` is ``(C_out·L_out, C_in·L)``: row ``o·L_out + j`` is output ``out[o, j]``, column ``c·L + i`` is input
``x[c, i]``. The input ``x`` is drawn as a row above ``M`` (aligned with the columns it multiplies); ``b`` and
``y`` as columns to its right (aligned with the rows). A matrix too large to send is shown block-reduced
(each pixel the largest-magnitude entry of its block) and the title says so.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..forms import matrix_for
from ..trace import Trace
from .base import check_batch, make_figure, signature
from .cells import ints, pick_markers
from .formatting import full, scale_of, short
from .theme import DIVERGING, GRID, HIGHLIGHT, SEQUENTIAL, base_layout, pick

EXACT_CELLS = 40_000   # larger matrices are block-reduced
BLOCKS = 160           # at most this many blocks per side when reduced
TEXT_CELLS = 26        # cell numbers shown while both sides are at most this
HOVER_CELLS = 4_000    # x, b, y entries above which hover shows the plotted value instead of full text


def block_magnitude(trace: Trace, rows: int, cols: int) -> np.ndarray:
    """The largest ``|M[r, c]|`` of each ``rows × cols`` block, read off the trace's columns without building
    the dense ``M`` (which would be hundreds of megabytes for the largest configuration).
    Shape ``(ceil(R/rows), ceil(C/cols))`` for ``M`` of shape ``(R, C)``."""
    s, length, l_out = trace.spec, trace.length, trace.output_length
    per_sample = trace.steps_per_batch * trace.records_per_element  # sample 0's records come first
    cols_ = {name: trace.columns[name][:per_sample] for name in ("kept", "out_channel", "out_index",
                                                                  "in_channel", "in_index", "w_value")}
    kept = cols_["kept"]
    r = (cols_["out_channel"][kept] * l_out + cols_["out_index"][kept]) // rows
    c = (cols_["in_channel"][kept] * length + cols_["in_index"][kept]) // cols
    shape = (-(-s.out_channels * l_out // rows), -(-s.in_channels * length // cols))
    out = np.zeros(shape[0] * shape[1])
    np.maximum.at(out, r * shape[1] + c, np.abs(cols_["w_value"][kept]))
    return out.reshape(shape)


def _labels(count: int, length: int, name: str, most: int = 40) -> tuple[list[float], list[str]]:
    every = max(1, -(-count // most))
    ticks = np.arange(0, count, every)
    return ticks.astype(float).tolist(), [f"{name}[{t // length}, {t % length}]" for t in ticks.tolist()]


def _hover(trace: Trace, m: np.ndarray) -> np.ndarray:
    """Per-cell hover text of the exact matrix: which output, input and tap each nonzero links (read off the
    kept records of sample 0: one per nonzero entry)."""
    s, length, l_out = trace.spec, trace.length, trace.output_length
    text = np.array([[f"M[{r}, {q}] = 0" for q in range(m.shape[1])] for r in range(m.shape[0])], dtype=object)
    cols_ = trace.columns
    records = np.flatnonzero(cols_["kept"][trace.sample_rows(0)])  # sample 0's rows come first
    o, j, c, i, tap = (cols_[name][records] for name in ("out_channel", "out_index", "in_channel", "in_index", "tap"))
    rows, cols = o * l_out + j, c * length + i
    nonzero = m[rows, cols] != 0
    rows, cols, o, j, c, i, tap = (a[nonzero] for a in (rows, cols, o, j, c, i, tap))
    for r, q, oo, jj, cc, ii, k, v in zip(rows.tolist(), cols.tolist(), o.tolist(), j.tolist(), c.tolist(),
                                         i.tolist(), tap.tolist(), full(m[rows, cols])):
        text[r, q] = (f"M[{r}, {q}]: out[{oo}, {jj}] ← x[{cc}, {ii}] via tap k={k}<br>"
                      f"w[{cc}, {oo % (s.out_channels // s.groups)}, {k}] = {v}")
    return text


def matrix_figure(trace: Trace, batch: int = 0, highlight: tuple[int, int] | None = None,
                  large: bool = False) -> go.Figure:
    """Heatmap of ``M`` beside ``x``, ``b`` and ``y = M·x + b`` for sample ``batch``.

    Args:
        highlight: ``(out_channel, out_index)``: box that row of ``M``, ``b`` and ``y``, and the inputs it reads.

    Traces: ``"M"`` (heatmap; ``z`` equals ``forms.matrix`` unless the title says it is block-reduced),
    ``"x"``, ``"b"``, ``"y"`` (heatmaps), ``"pick"`` (clickable ``y`` cells, ``customdata =
    [out_channel, out_index]``).
    """
    theme = pick(large)
    batch = check_batch(trace, batch)
    s, length, l_out = trace.spec, trace.length, trace.output_length
    x = trace.input[batch].ravel()  # (C_in·L,)
    out = trace.output[batch].ravel()  # (C_out·L_out,)
    bias = np.repeat(trace.bias, l_out) if trace.bias is not None else np.zeros_like(out)
    n_rows, n_cols = s.out_channels * l_out, s.in_channels * length
    exact = n_rows * n_cols <= EXACT_CELLS
    show = exact and n_rows <= TEXT_CELLS and n_cols <= TEXT_CELLS
    complex_ = np.iscomplexobj(trace.weight)
    top = scale_of(trace.weight) or 1.0
    heat: dict[str, Any] = {"type": "heatmap", "name": "M", "colorscale": DIVERGING, "zmin": -top, "zmax": top,
                            "showscale": False, "xgap": 1 if show else 0, "ygap": 1 if show else 0}
    if exact:
        m = matrix_for(trace)  # (C_out·L_out, C_in·L)
        heat.update(z=m.real if complex_ else m, x=np.arange(n_cols), y=np.arange(n_rows),
                    hovertext=_hover(trace, m), hoverinfo="text")
        if show:
            heat.update(text=np.where(m != 0, short(m), ""), texttemplate="%{text}",
                        textfont={"size": theme.font_size - 1})
        note = "zero entries white; row o·L_out + j is out[o, j], column c·L + i is x[c, i]"
    else:
        br, bc = -(-n_rows // BLOCKS), -(-n_cols // BLOCKS)
        heat.update(z=block_magnitude(trace, br, bc).astype(np.float32), x0=(bc - 1) / 2, dx=bc, y0=(br - 1) / 2,
                    dy=br, colorscale=SEQUENTIAL, zmin=0, zmax=scale_of(trace.weight) or 1.0,
                    hovertemplate="block near M[%{y}, %{x}]: largest |entry| %{z}<extra></extra>")
        note = (f"{n_rows}×{n_cols} is too large to send: each pixel is the largest |entry| of a {br}×{bc} "
                f"block")
    cells = _vectors(x, bias, out, n_rows, theme.font_size - 3, show)
    picks = _picks(trace, n_rows, l_out)
    layout = _layout(trace, theme, n_rows, n_cols, show, note, complex_)
    if highlight is not None:
        layout["shapes"] += _highlight(trace, highlight, n_cols)
    description = (f"Matrix of {signature(trace)} for an input of length {length}: y = M·x + b with M of shape "
                   f"{n_rows}×{n_cols}; each column holds one input element's kernel taps, shifted by the stride "
                   f"from column to column.")
    return make_figure([heat, *cells, picks], layout, description)


def _vectors(x: np.ndarray, bias: np.ndarray, out: np.ndarray, n_rows: int, font: int,
             show: bool) -> list[dict[str, Any]]:
    """``x`` as a row above ``M``; ``b`` and ``y`` as columns beside it."""
    def strip(name: str, values: np.ndarray, axes: dict[str, str], row: bool) -> dict[str, Any]:
        z = (values.real if np.iscomplexobj(values) else values)[None, :] if row else \
            (values.real if np.iscomplexobj(values) else values)[:, None]
        top = scale_of(values) or 1.0
        trace = {"type": "heatmap", "name": name, "z": z, "colorscale": DIVERGING, "zmin": -top, "zmax": top,
                 "showscale": False, "xgap": 1 if show else 0, "ygap": 1 if show else 0, **axes,
                 **_strip_hover(name, values, row)}
        if row:
            trace.update(x=np.arange(len(values)), y=[0])
        else:
            trace.update(x=[0], y=np.arange(len(values)))
        if show:  # complex b and y columns stack the real and imaginary parts (full values on hover)
            text = short(values, sep="" if row else "<br>")
            trace.update(texttemplate="%{text}", textfont={"size": font},
                         text=text[None, :] if row else text[:, None])
        return trace
    return [strip("x", x, {"xaxis": "x", "yaxis": "y2"}, True),
            strip("b", bias, {"xaxis": "x2", "yaxis": "y"}, False),
            strip("y", out, {"xaxis": "x3", "yaxis": "y"}, False)]


def _strip_hover(name: str, values: np.ndarray, row: bool) -> dict[str, Any]:
    """Full-precision hover text while it is small; beyond that, the (real part of the) value."""
    if len(values) > HOVER_CELLS:
        return {"hovertemplate": f"{name}[%{{{'x' if row else 'y'}}}] = %{{z}}<extra></extra>"}
    text = np.array([f"{name}[{k}] = {v}" for k, v in enumerate(full(values))], dtype=object)
    return {"hoverinfo": "text", "hovertext": text[None, :] if row else text[:, None]}


def _picks(trace: Trace, n_rows: int, l_out: int) -> dict[str, Any]:
    o, j = np.divmod(np.arange(n_rows), l_out)
    marker = pick_markers(np.zeros(n_rows, dtype=np.int8), ints(np.arange(n_rows)), ints(np.stack([o, j], axis=1)),
                          None, 12)
    marker.update(xaxis="x3", yaxis="y", hoverinfo="all",
                  hovertemplate="out[%{customdata[0]}, %{customdata[1]}]: click for its sum<extra></extra>")
    return marker


def _highlight(trace: Trace, highlight: tuple[int, int], n_cols: int) -> list[dict[str, Any]]:
    o, j = highlight
    if not (0 <= o < trace.spec.out_channels and 0 <= j < trace.output_length):
        raise IndexError(f"highlight={highlight} is outside the output: use (out_channel, out_index) with "
                         f"out_channel < {trace.spec.out_channels} and out_index < {trace.output_length}")
    row = o * trace.output_length + j
    line = {"color": HIGHLIGHT, "width": 3}
    shapes: list[dict[str, Any]] = [
        {"type": "rect", "xref": ref, "yref": "y", "x0": x0, "x1": x1, "y0": row - 0.5, "y1": row + 0.5,
         "line": line} for ref, x0, x1 in (("x", -0.5, n_cols - 0.5), ("x2", -0.5, 0.5), ("x3", -0.5, 0.5))]
    rows = trace.into_rows(o, j)  # the records summing into out[o, j]: the inputs this output reads
    reads = trace.columns["in_channel"][rows] * trace.length + trace.columns["in_index"][rows]
    for col in np.unique(reads).tolist():
        shapes.append({"type": "rect", "xref": "x", "yref": "y2", "x0": col - 0.5, "x1": col + 0.5, "y0": -0.5,
                       "y1": 0.5, "line": line})
    return shapes


def _layout(trace: Trace, theme: Any, n_rows: int, n_cols: int, show: bool, note: str,
            complex_: bool) -> dict[str, Any]:
    s = trace.spec
    row_px = max(2.0, min(34.0, 760 / n_rows))
    height = int(min(1200, max(360, n_rows * row_px + 60 / 0.13))) + 150
    yv, yt = _labels(n_rows, trace.output_length, "out", 40 if show or n_rows <= 60 else 24)
    xv, xt = _labels(n_cols, trace.length, "x", 30 if show or n_cols <= 30 else 12)
    colour = " (colour: real part; hover: the complex value)" if complex_ else ""
    title = (f"{signature(trace)} as a matrix: y = M · x + b<br><sup>{note}{colour}</sup>")
    blocks = []
    for r in range(1, s.out_channels):  # separators between out-channel blocks
        blocks.append({"type": "line", "xref": "x", "yref": "y", "x0": -0.5, "x1": n_cols - 0.5,
                       "y0": r * trace.output_length - 0.5, "y1": r * trace.output_length - 0.5,
                       "line": {"color": GRID, "width": 1, "dash": "dot"}})
    for c in range(1, s.in_channels):
        blocks.append({"type": "line", "xref": "x", "yref": "y", "y0": -0.5, "y1": n_rows - 0.5,
                       "x0": c * trace.length - 0.5, "x1": c * trace.length - 0.5,
                       "line": {"color": GRID, "width": 1, "dash": "dot"}})
    axis = {"showgrid": False, "zeroline": False, "fixedrange": True, "ticks": ""}
    return base_layout(
        theme, title, height, margin={"l": 110, "r": 30, "t": 110, "b": 90}, shapes=blocks,
        xaxis={**axis, "domain": [0, 0.78], "range": [-0.5, n_cols - 0.5], "tickvals": xv, "ticktext": xt,
               "title": {"text": "M: columns = input elements x[c, i]"}, "tickangle": -45 if n_cols > 8 else 0},
        yaxis={**axis, "domain": [0, 0.86], "range": [n_rows - 0.5, -0.5], "tickvals": yv, "ticktext": yt},
        yaxis2={**axis, "domain": [0.89, 0.95], "range": [-0.5, 0.5], "tickvals": [0], "ticktext": ["x"],
                "anchor": "x"},
        xaxis2={**axis, "domain": [0.81, 0.885], "range": [-0.5, 0.5], "tickvals": [0], "ticktext": ["b"],
                "anchor": "y"},
        xaxis3={**axis, "domain": [0.915, 1.0], "range": [-0.5, 0.5], "tickvals": [0], "ticktext": ["y"],
                "anchor": "y"},
        annotations=[{"text": sign, "xref": "paper", "yref": "paper", "x": x, "y": 0.43, "showarrow": False,
                      "font": {"size": theme.title_size + 6}} for sign, x in (("+", 0.795), ("=", 0.9))])
