"""The parts of the scatter figure that never change between frames: cells, labels, final sums, picks."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..animation import output_picks
from ..cells import TRANSPARENT, boxes, discrete_scale, grid_lines, ints, texts
from ..formatting import full, scale_of
from ..geometry import label_every
from ..theme import CROPPED, CROPPED_HATCH, DIVERGING, MUTED, SEQUENTIAL, group_colour, tint
from .plan import Plan


def colour_range(plan: Plan) -> tuple[np.ndarray, dict[str, Any]]:
    """What colours the cells when numbers do not fit: the value (or its magnitude if complex) and the
    colour-axis settings shared by the final layer and the per-frame sums."""
    values = plan.trace.full[plan.batch]  # (C_out, L_full)
    output = plan.trace.output[plan.batch]  # (C_out, L_out)
    top = max(float(np.abs(values).max()), float(np.abs(output).max())) or 1.0
    if plan.complex:
        return np.abs(values), {"colorscale": SEQUENTIAL, "cmin": 0.0, "cmax": top}
    return values.real, {"colorscale": DIVERGING, "cmin": -top, "cmax": top}


def input_traces(plan: Plan) -> list[dict[str, Any]]:
    """Input cells (tinted by group, or coloured by value when numbers do not fit), their values and the
    ``i`` labels above them."""
    t, s = plan.trace, plan.trace.spec
    groups = s.groups
    c, i = np.divmod(np.arange(plan.c_in * t.length), t.length)
    values = t.input[plan.batch, c, i]
    columns = np.arange(t.length) * s.stride
    if plan.show_text:
        codes = np.zeros((plan.c_in, plan.full_length), dtype=np.int8)  # (C_in, L_full): 0 = no cell
        codes[:, columns] = (np.arange(plan.c_in) // plan.group_in + 1)[:, None]
        colours = [TRANSPARENT] + [tint(group_colour(g), 0.28) for g in range(groups)]
        background = {"type": "heatmap", "name": "input cells", "z": codes, "x": np.arange(plan.full_length),
                      "y": plan.y_in(np.arange(plan.c_in)), "colorscale": discrete_scale(colours), "zmin": -0.5,
                      "zmax": len(colours) - 0.5, "showscale": False, "xgap": 2, "ygap": 2, "hoverinfo": "skip"}
    else:  # one box ``stride`` cells wide per element, coloured by its value (a one-cell box is a hairline)
        x = t.input[plan.batch]  # (C_in, L)
        top = scale_of(x) or 1.0
        z, scale = ((np.abs(x), {"colorscale": SEQUENTIAL, "zmin": 0.0}) if plan.complex else
                    (x.real, {"colorscale": DIVERGING, "zmin": -top}))
        gap = 1 if plan.cell_px * s.stride >= 6 else 0
        background = {"type": "heatmap", "name": "input cells", "z": z.astype(np.float32), "x0": (s.stride - 1) / 2,
                      "dx": s.stride, "y": plan.y_in(np.arange(plan.c_in)), **scale, "zmax": top,
                      "showscale": False, "xgap": gap, "ygap": 2, "hoverinfo": "skip"}
    hover = [f"x[{ci}, {ii}] = {v}" for ci, ii, v in zip(c.tolist(), i.tolist(), full(values))]
    cells = texts(columns[i] + (plan.input_span - 1) / 2, plan.y_in(c),
                  plan.short(values, "x") if plan.show_text else None,
                  plan.cell_font, name="input values", hovertext=hover, hoverinfo="text")
    if not plan.show_text:
        cells.update(mode="markers", marker={"size": plan.pick_px, "color": TRANSPARENT})
    every = label_every(plan.cell_px, plan.theme.font_size, t.length, s.stride)
    shown = np.arange(0, t.length, every)
    labels = texts(shown * s.stride + (plan.input_span - 1) / 2, np.full(shown.shape, -0.85),
                   [str(v) for v in shown.tolist()], plan.theme.font_size - 2, MUTED, name="input index")
    return [background, cells, labels]


def final_layer(plan: Plan) -> dict[str, Any]:
    """Every full position's final sum before bias, as a heatmap the per-frame mask hides where the sweep
    has not finished yet."""
    values = plan.trace.full[plan.batch]  # (C_out, L_full)
    layer: dict[str, Any] = {"type": "heatmap", "name": "final sums", "x": np.arange(plan.full_length),
                             "y": plan.y_out(np.arange(plan.c_out)), "showscale": False, "hoverinfo": "skip",
                             "xgap": 0, "ygap": 0}
    if plan.show_text:
        layer.update(z=np.zeros(values.shape, dtype=np.int8), colorscale=[[0, TRANSPARENT], [1, TRANSPARENT]],
                     text=plan.short(values),
                     texttemplate="%{text}", textfont={"size": plan.cell_font})
    else:
        z, scale = colour_range(plan)
        layer.update(z=z.astype(np.float32), colorscale=scale["colorscale"], zmin=scale["cmin"], zmax=scale["cmax"])
    return layer


def veils(plan: Plan) -> list[dict[str, Any]]:
    """Static layers drawn over the mask: group tints, the cropped columns and the output_padding cells."""
    s, t = plan.trace.spec, plan.trace
    top, bottom = float(plan.y_out(0)) - 0.5, float(plan.y_out(plan.c_out - 1)) + 0.5
    layers = []
    for g in range(s.groups):
        first, last = g * plan.group_out, (g + 1) * plan.group_out - 1
        xs, ys = boxes(-0.5, plan.full_length - 0.5, float(plan.y_out(first)) - 0.5, float(plan.y_out(last)) + 0.5)
        layers.append({"type": "scatter", "name": f"group {g}", "x": xs, "y": ys, "mode": "none",
                       "fill": "toself", "fillcolor": tint(group_colour(g), 0.08), "hoverinfo": "skip"})
    kept = np.flatnonzero(t.output_index(np.arange(plan.full_length)) >= 0)  # the full positions the output keeps
    start, stop = int(kept[0]), int(kept[-1]) + 1
    left = [(-0.5, start - 0.5)] if start > 0 else []
    right = [(stop - 0.5, plan.full_length - 0.5)] if stop < plan.full_length else []
    if left or right:
        x0, x1 = np.array(left + right, dtype=float).T
        xs, ys = boxes(x0, x1, top, bottom)
        layers.append({"type": "scatter", "name": "cropped", "x": xs, "y": ys, "mode": "lines",
                       "line": {"width": 0}, "fill": "toself", "fillcolor": CROPPED, "hoverinfo": "skip",
                       "fillpattern": {"shape": "/", "fgcolor": CROPPED_HATCH, "size": 14,
                                       "solidity": 0.08, "bgcolor": CROPPED}})
    if s.output_padding:
        xs, ys = boxes(stop - s.output_padding - 0.5, stop - 0.5, top, bottom)
        layers.append({"type": "scatter", "name": "output_padding", "x": xs, "y": ys, "mode": "lines",
                       "line": {"color": "#000000", "width": 2.5, "dash": "dot"}, "hoverinfo": "skip"})
    layers.append(grid_lines(plan.full_length, plan.y_out(np.arange(plan.c_out)), vertical=plan.cell_px >= 6,
                             name="grid"))
    marks = [((a + b) / 2, "cropped", "top center") for a, b in left + right]
    if s.output_padding:
        marks.append((stop - 0.5, "output_padding", "top left"))
    if marks:
        x, text, where = zip(*marks)
        layers.append(texts(np.array(x), np.full(len(x), top - 0.3), list(text), plan.theme.font_size - 2, MUTED,
                            name="crop labels", textposition=list(where)))
    return layers


def picks(plan: Plan) -> dict[str, Any]:
    """Clickable output cells over the kept full positions (``animation.output_picks``)."""
    t, s = plan.trace, plan.trace.spec
    o, j = np.divmod(np.arange(plan.c_out * t.output_length), t.output_length)
    y = plan.y_out(o)
    y = ints(y) if np.all(y == np.round(y)) else y.astype(np.float32)
    return output_picks(ints(j + s.padding), y, o, j, t.output[plan.batch], plan.pick_px)
