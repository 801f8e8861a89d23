"""The gather animation: the same result as a direct convolution over the zero-inserted, padded input.

Top: the upsampled input (``stride - 1`` zeros inserted between samples, then ``dilation·(K-1) - padding``
zeros on the left and that plus ``output_padding`` on the right; negative means cropped). Middle: the
flipped, channel-swapped kernel ``w̃[o, c', k] = w[c, o', K-1-k]`` sliding one output position per frame.
Bottom: the outputs, each revealed when its window has been read (equal to ``trace.output``).
The stamp is drawn once on axis ``x2`` and slid by shifting that axis (``figures.geometry`` holds what the
scatter and gather stamps share).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ...trace import Trace
from ..base import make_figure, signature
from ..cells import TRANSPARENT, boxes, discrete_scale, grid_lines, ints, pick_markers, texts
from ..formatting import full
from ..geometry import AWAY, PICK_HOVER_CAP, label_every
from ..player import play_controls
from ..theme import (
    CROPPED,
    DIVERGING,
    INK,
    MUTED,
    base_layout,
    factor,
    group_colour,
    row_label,
    tint,
)
from .plan import GatherPlan, make_gather_plan
from .stamp import stamp_frame, stamp_traces


def _input_traces(p: GatherPlan) -> list[dict[str, Any]]:
    """Upsampled input: samples tinted by group, inserted zeros white, padding zeros grey."""
    groups = p.spec.groups
    c = np.arange(p.c_in)
    codes = np.where(p.kinds[None, :] == 2, (c // p.group_in + 2)[:, None], p.kinds[None, :])  # (C_in, L_up)
    colours = [CROPPED, "white"] + [tint(group_colour(g), 0.28) for g in range(groups)]
    heat = {"type": "heatmap", "name": "upsampled cells", "z": ints(codes), "x": np.arange(p.up_length),
            "y": p.y_in(c), "colorscale": discrete_scale(colours), "zmin": -0.5, "zmax": len(colours) - 0.5,
            "showscale": False, "xgap": 2, "ygap": 2, "hoverinfo": "skip"}
    cc, pp = np.divmod(np.arange(p.c_in * p.up_length), p.up_length)
    kind = p.kinds[pp]
    if not p.show_text and len(cc) > PICK_HOVER_CAP:  # only the input samples get hover text
        cc, pp, kind = cc[kind == 2], pp[kind == 2], kind[kind == 2]
    values = p.upsampled[cc, pp]
    src = p.form.source_index[pp]
    what = np.where(kind == 2, "", np.where(kind == 1, " (inserted zero)", " (padding zero)"))
    hover = [f"u[{a}, {b}] = {v}{w}" + (f" = x[{a}, {s}]" if s >= 0 else "")
             for a, b, v, w, s in zip(cc.tolist(), pp.tolist(), full(values), what.tolist(), src.tolist())]
    text = p.short(values, "x") if p.show_text else None
    colour = np.where(kind == 2, INK, MUTED).tolist() if p.show_text else INK
    cells = texts(ints(pp), ints(p.y_in(cc)), text, p.cell_font, colour, name="upsampled values", hovertext=hover,
                  hoverinfo="text")
    if not p.show_text:
        cells.update(mode="markers", marker={"size": 4, "color": TRANSPARENT})
    every = label_every(p.cell_px, p.theme.font_size, p.up_length)
    shown = np.arange(0, p.up_length, every)
    labels = texts(shown, np.full(shown.shape, -0.85), [str(v) for v in shown.tolist()], p.theme.font_size - 2,
                   MUTED, name="position")
    return [heat, cells, labels]


def _output_traces(p: GatherPlan) -> list[dict[str, Any]]:
    """Final outputs (revealed by the per-frame mask), their grid and the clickable picks."""
    l_out = p.trace.output_length
    x = np.arange(l_out) + p.shift
    layer: dict[str, Any] = {"type": "heatmap", "name": "outputs", "x": x, "y": p.y_out(np.arange(p.c_out)),
                             "showscale": False, "hoverinfo": "skip"}
    if p.show_text:
        layer.update(z=np.zeros(p.output.shape, dtype=np.int8), colorscale=[[0, TRANSPARENT], [1, TRANSPARENT]],
                     text=p.short(p.output), texttemplate="%{text}", textfont={"size": p.cell_font})
    else:
        top = float(np.abs(p.output).max()) or 1.0
        z = np.abs(p.output) if p.complex else p.output.real
        layer.update(z=z.astype(np.float32), colorscale=DIVERGING, zmin=-top, zmax=top)
    grid = grid_lines(l_out, p.y_out(np.arange(p.c_out)), vertical=p.cell_px >= 6, name="grid")
    grid["x"] = (grid["x"] + p.shift).astype(np.float32)
    o, j = np.divmod(np.arange(p.c_out * l_out), l_out)
    hover = None
    if len(o) <= PICK_HOVER_CAP:
        hover = [f"out[{a}, {b}] = {v}<br>click to see its sum"
                 for a, b, v in zip(o.tolist(), j.tolist(), full(p.output[o, j]))]
    picks = pick_markers((j + p.shift).astype(np.float32), ints(p.y_out(o)), ints(np.stack([o, j], axis=1)), hover,
                         p.marker_px)
    if hover is None:
        picks.update(hoverinfo="all", hovertemplate="out[%{customdata[0]}, %{customdata[1]}]<extra></extra>")
    return [layer, grid, picks]


def _mask(p: GatherPlan, index: int) -> dict[str, Any]:
    """White boxes over the outputs not computed yet."""
    j0, j1, o = p.frames[index]
    top, bottom = float(p.y_out(0)) - 0.5, float(p.y_out(p.c_out - 1)) + 0.5
    end = p.trace.output_length - 0.5 + p.shift
    corners = [(j1 - 0.5 + p.shift, end, top, bottom)]
    if 0 <= o < p.c_out - 1:  # the rest of this column
        corners.append((j0 - 0.5 + p.shift, j1 - 0.5 + p.shift, float(p.y_out(o)) + 0.5, bottom))
    x, y = boxes(*np.array(corners).T)
    return {"x": x.astype(np.float32), "y": y.astype(np.float32)}


def _caption(p: GatherPlan, index: int) -> str:
    j0, j1, o = p.frames[index]
    if o < 0:
        where = f"out[:, {j0}]" if j1 == j0 + 1 else f"out[:, {j0}…{j1 - 1}]"
        return f"{where}: every out-channel reads the window u[:, j + k·{p.spec.dilation}] through its flipped kernel"
    g = o // p.group_out
    cs = range(g * p.group_in, (g + 1) * p.group_in)
    terms = [(c, k) for c in cs for k in range(p.k_size)]
    u = p.upsampled
    parts = [f"{factor(p.short(u[c, j0 + k * p.spec.dilation], 'x', False).item())}·"
             f"{factor(p.short(p.form.kernel[o, c - cs[0], k], 'w', False).item())}" for c, k in terms[:4]]
    more = " + …" if len(terms) > 4 else ""
    bias = f" + {factor(p.short(p.trace.bias[o], stacked=False).item())}" if p.trace.bias is not None else ""
    value = p.short(p.output[o, j0], stacked=False).item()
    b = f" + b[{o}]" if p.trace.bias is not None else ""
    return (f"out[{o}, {j0}] = Σ u[c, {j0} + k·{p.spec.dilation}] · w̃[{o}, c, k]{b} = {' + '.join(parts)}{more}{bias}"
            f" = {value}")


def _dynamic_names(p: GatherPlan) -> list[str]:
    stamp = [f"tap {k}" for k in range(p.k_size)] + ["heads", "kernel", "target"] if p.per_cell else []
    return ["mask", *stamp, "caption"]


def _frame_data(p: GatherPlan, index: int) -> dict[str, dict[str, Any]]:
    data = {"mask": _mask(p, index), "caption": {"text": [_caption(p, index)]}}
    if p.per_cell:
        data.update(stamp_frame(p, index))
    return data


def _x2_range(p: GatherPlan, index: int) -> list[float]:
    return [r - p.frames[index][0] for r in p.x_range] if index < len(p.frames) else [r + AWAY for r in p.x_range]


def _layout(p: GatherPlan) -> dict[str, Any]:
    theme, s = p.theme, p.spec
    groups = s.groups
    y_labels = [(-0.85, "position")]
    y_labels += [(float(p.y_in(c)), row_label(f"u[{c}, :]", c // p.group_in, groups)) for c in range(p.c_in)]
    y_labels += [(float(p.y_kernel(r)), f"w̃[o, {r}, k]" if p.per_cell else "taps k") for r in range(p.kernel_rows)]
    y_labels += [(float(p.y_out(o)), row_label(f"out[{o}, :]", o // p.group_out, groups)) for o in range(p.c_out)]
    every = label_every(p.cell_px, theme.font_size, p.up_length)
    ticks = np.arange(0, p.trace.output_length, every)
    yv, yt = zip(*y_labels)
    crop = (f"; padding crops {-p.form.left_pad} cells" if p.form.left_pad < 0 else "")
    sub = (f"u: x with stride − 1 = {s.stride - 1} zero(s) inserted between samples, {max(p.form.left_pad, 0)} "
           f"padded left and {max(p.form.right_pad, 0)} right{crop}; w̃ = the kernel flipped, in/out swapped")
    if p.per_cell:
        note = f"{len(p.frames)} frames, one per output value (out_index, then out_channel)"
    else:
        per = p.frames[0][1] - p.frames[0][0]
        note = (f"{len(p.frames)} frames, one per output position (all out-channels)" if per == 1 else
                f"{len(p.frames)} frames, one per {per} output positions")
    title = f"{signature(p.trace)} as a direct convolution<br><sup>{sub}</sup><br><sup>{note}</sup>"
    top = int(theme.title_size * 7)
    axis = {"showgrid": False, "zeroline": False, "fixedrange": True, "ticks": ""}
    return base_layout(
        theme, title, p.plot_height + top + 200, margin={"l": 150, "r": 20, "t": top, "b": 200},
        xaxis={**axis, "range": p.x_range, "tickvals": (ticks + p.shift).tolist(),
               "ticktext": [str(v) for v in ticks.tolist()]},
        xaxis2={"overlaying": "x", "range": _x2_range(p, 0), "visible": False, "fixedrange": True},
        yaxis={**axis, "range": p.y_range, "tickvals": list(yv), "ticktext": list(yt)},
        annotations=[{"text": "out j", "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "right",
                      "yanchor": "top", "xshift": -8, "showarrow": False}])


def _traces(p: GatherPlan) -> tuple[list[dict[str, Any]], list[int]]:
    """Every trace as frame 0 shows it; and where the ones each frame updates are in the list."""
    captions = texts([-0.5], [-1.7], [_caption(p, 0)], p.theme.font_size, INK, name="caption",
                     textposition="middle right", cliponaxis=False)
    mask = {"type": "scatter", "name": "mask", **_mask(p, 0), "mode": "lines", "line": {"width": 0},
            "fill": "toself", "fillcolor": "white", "hoverinfo": "skip"}
    outputs, grid, picks = _output_traces(p)
    traces = [*_input_traces(p), outputs, mask, grid, *stamp_traces(p), captions, picks]
    order = [t["name"] for t in traces]
    return traces, [order.index(name) for name in _dynamic_names(p)]


def _frame(p: GatherPlan, index: int, traces: list[int]) -> dict[str, Any]:
    data = _frame_data(p, index)
    return {"name": str(index), "data": [data[name] for name in _dynamic_names(p)], "traces": traces,
            "layout": {"xaxis2": {"range": _x2_range(p, index)}}}


def frame(trace: Trace, step: int, batch: int = 0, large: bool = False) -> dict[str, Any]:
    """Frame ``step`` of the gather animation of sample ``batch`` as a Plotly frame dict (``name``, ``data``,
    ``traces``): a pure function of the trace, equal to ``gather_animation(...).frames[step]``.

    Example::

        >>> import numpy as np
        >>> from convviz.trace import trace as run
        >>> t = run(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> frame(t, 2)["data"][-1]["text"]  # the caption: out[0, 2] reads the window u[0, 2 … 4]
        ['out[0, 2] = Σ u[c, 2 + k·1] · w̃[0, c, k] = 1·100 + 0·10 + 2·1 = 102']
    """
    p = make_gather_plan(trace, batch, large)
    if not 0 <= step < len(p.frames):
        raise IndexError(f"step={step} is out of range: this animation has {len(p.frames)} frames "
                         f"(0 to {len(p.frames) - 1})")
    return _frame(p, step, _traces(p)[1])


def gather_animation(trace: Trace, batch: int = 0, large: bool = False) -> go.Figure:
    """The gather (direct convolution) view of sample ``batch``, animated one output per frame.

    Trace names: ``"pick"`` (clickable outputs, ``customdata = [out_channel, out_index]``), ``"outputs"``
    (heatmap of ``trace.output``; its ``text`` holds the cell texts), ``"upsampled cells"`` /
    ``"upsampled values"`` (the zero-inserted, padded input).
    """
    p = make_gather_plan(trace, batch, large)
    traces, dynamic = _traces(p)
    frames = [_frame(p, k, dynamic) for k in range(len(p.frames))]
    layout = _layout(p)
    labels = [f"out[{o}, {j0}]" if o >= 0 else f"out[:, {j0}]" for j0, _, o in p.frames]
    layout.update(play_controls([f["name"] for f in frames], labels, p.theme, below=3 * p.theme.font_size + 10))
    s = p.spec
    description = (f"Gather view of {signature(trace)}: the input with {s.stride - 1} zeros inserted between samples "
                   f"and padded to length {p.up_length}, read by the flipped kernel one output at a time; "
                   f"{len(p.frames)} frames; the outputs equal the scatter form's.")
    return make_figure(traces, layout, description, frames)
