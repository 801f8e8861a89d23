"""The parts of the gather figure that never change between frames: the upsampled input, the outputs (the
per-frame mask reveals them), their grid and the clickable picks."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..animation import output_picks
from ..cells import TRANSPARENT, discrete_scale, grid_lines, ints, texts
from ..formatting import full
from ..geometry import PICK_HOVER_CAP, label_every
from ..theme import CROPPED, DIVERGING, INK, MUTED, group_colour, tint
from .plan import Plan


def input_traces(plan: Plan) -> list[dict[str, Any]]:
    """Upsampled input: samples tinted by group, inserted zeros white, padding zeros grey."""
    groups = plan.spec.groups
    c = np.arange(plan.c_in)
    codes = np.where(plan.kinds[None, :] == 2, (c // plan.group_in + 2)[:, None],
                     plan.kinds[None, :])  # (C_in, L_up)
    colours = [CROPPED, "white"] + [tint(group_colour(g), 0.28) for g in range(groups)]
    heat = {"type": "heatmap", "name": "upsampled cells", "z": ints(codes), "x": np.arange(plan.up_length),
            "y": plan.y_in(c), "colorscale": discrete_scale(colours), "zmin": -0.5, "zmax": len(colours) - 0.5,
            "showscale": False, "xgap": 2, "ygap": 2, "hoverinfo": "skip"}
    cc, pp = np.divmod(np.arange(plan.c_in * plan.up_length), plan.up_length)
    kind = plan.kinds[pp]
    if not plan.show_text and len(cc) > PICK_HOVER_CAP:  # only the input samples get hover text
        cc, pp, kind = cc[kind == 2], pp[kind == 2], kind[kind == 2]
    values = plan.upsampled[cc, pp]
    src = plan.form.source_index[pp]
    what = np.where(kind == 2, "", np.where(kind == 1, " (inserted zero)", " (padding zero)"))
    hover = [f"u[{a}, {b}] = {v}{w}" + (f" = x[{a}, {s}]" if s >= 0 else "")
             for a, b, v, w, s in zip(cc.tolist(), pp.tolist(), full(values), what.tolist(), src.tolist())]
    text = plan.short(values, "x") if plan.show_text else None
    colour = np.where(kind == 2, INK, MUTED).tolist() if plan.show_text else INK
    cells = texts(ints(pp), ints(plan.y_in(cc)), text, plan.cell_font, colour, name="upsampled values",
                  hovertext=hover, hoverinfo="text")
    if not plan.show_text:
        cells.update(mode="markers", marker={"size": 4, "color": TRANSPARENT})
    every = label_every(plan.cell_px, plan.theme.font_size, plan.up_length)
    shown = np.arange(0, plan.up_length, every)
    labels = texts(shown, np.full(shown.shape, -0.85), [str(v) for v in shown.tolist()], plan.theme.font_size - 2,
                   MUTED, name="position")
    return [heat, cells, labels]


def output_traces(plan: Plan) -> list[dict[str, Any]]:
    """Final outputs (revealed by the per-frame mask), their grid and the clickable picks."""
    l_out = plan.trace.output_length
    x = np.arange(l_out) + plan.out_offset
    layer: dict[str, Any] = {"type": "heatmap", "name": "outputs", "x": x,
                             "y": plan.y_out(np.arange(plan.c_out)), "showscale": False, "hoverinfo": "skip"}
    if plan.show_text:
        layer.update(z=np.zeros(plan.output.shape, dtype=np.int8),  # (C_out, L_out)
                     colorscale=[[0, TRANSPARENT], [1, TRANSPARENT]], text=plan.short(plan.output),
                     texttemplate="%{text}", textfont={"size": plan.cell_font})
    else:
        top = float(np.abs(plan.output).max()) or 1.0
        z = np.abs(plan.output) if plan.complex else plan.output.real
        layer.update(z=z.astype(np.float32), colorscale=DIVERGING, zmin=-top, zmax=top)
    grid = grid_lines(l_out, plan.y_out(np.arange(plan.c_out)), vertical=plan.cell_px >= 6, name="grid")
    grid["x"] = (grid["x"] + plan.out_offset).astype(np.float32)
    o, j = np.divmod(np.arange(plan.c_out * l_out), l_out)
    picks = output_picks((j + plan.out_offset).astype(np.float32), ints(plan.y_out(o)), o, j, plan.output,
                         plan.marker_px)
    return [layer, grid, picks]
