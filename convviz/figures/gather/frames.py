"""One frame of the gather animation as data: a pure function of the plan and the frame number.

Per frame: ``mask`` (white boxes over the outputs not computed yet), ``caption`` (the sum being computed) and,
when frames play single output cells, the stamp's per-cell data (``stamp.py``: its rows and flipped weights).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..animation import mask_corners
from ..theme import factor
from .plan import Plan
from .stamp import stamp_frame


def mask(plan: Plan, index: int) -> dict[str, Any]:
    """White boxes over the outputs not computed yet."""
    j0, j1, o = plan.frames[index]
    top, bottom = float(plan.y_out(0)) - 0.5, float(plan.y_out(plan.c_out - 1)) + 0.5
    end = plan.trace.output_length - 0.5 + plan.out_offset
    corners = [(j1 - 0.5 + plan.out_offset, end, top, bottom)]
    if 0 <= o < plan.c_out - 1:  # the rest of this column
        corners.append((j0 - 0.5 + plan.out_offset, j1 - 0.5 + plan.out_offset, float(plan.y_out(o)) + 0.5,
                        bottom))
    x, y = mask_corners(corners)
    return {"x": x.astype(np.float32), "y": y.astype(np.float32)}


def caption(plan: Plan, index: int) -> str:
    """What frame ``index`` computes: ``out[o, j] = Σ u · w̃ (+ b) = value``, or which positions play."""
    j0, j1, o = plan.frames[index]
    if o < 0:
        where = f"out[:, {j0}]" if j1 == j0 + 1 else f"out[:, {j0}…{j1 - 1}]"
        return (f"{where}: every out-channel reads the window u[:, j + k·{plan.spec.dilation}] through its flipped "
                f"kernel")
    g = o // plan.group_out
    cs = range(g * plan.group_in, (g + 1) * plan.group_in)
    terms = [(c, k) for c in cs for k in range(plan.k_size)]
    u = plan.upsampled
    parts = [f"{factor(plan.short(u[c, j0 + k * plan.spec.dilation], 'x', False).item())}·"
             f"{factor(plan.short(plan.form.kernel[o, c - cs[0], k], 'w', False).item())}" for c, k in terms[:4]]
    more = " + …" if len(terms) > 4 else ""
    bias, b = "", ""
    if plan.trace.bias is not None:
        bias, b = f" + {factor(plan.short(plan.trace.bias[o], stacked=False).item())}", f" + b[{o}]"
    value = plan.short(plan.output[o, j0], stacked=False).item()
    return (f"out[{o}, {j0}] = Σ u[c, {j0} + k·{plan.spec.dilation}] · w̃[{o}, c, k]{b} = {' + '.join(parts)}"
            f"{more}{bias} = {value}")


def dynamic_names(plan: Plan) -> list[str]:
    """Names of the traces each frame updates, in ``fig.data`` order."""
    stamp = [f"tap {k}" for k in range(plan.k_size)] + ["heads", "kernel", "target"] if plan.per_cell else []
    return ["mask", *stamp, "caption"]


def frame_traces(plan: Plan, index: int) -> dict[str, dict[str, Any]]:
    """The data of every dynamic trace at frame ``index``, by name, in ``dynamic_names`` order."""
    data = {"mask": mask(plan, index), "caption": {"text": [caption(plan, index)]}}
    if plan.per_cell:
        data.update(stamp_frame(plan, index))
    return {name: data[name] for name in dynamic_names(plan)}
