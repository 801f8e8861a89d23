"""The gather animation's stamp on axis ``x2``: the window each frame reads, the flipped kernel and the arrow to
the output it writes, drawn relative to output position 0 (``figures.geometry`` builds the shared pieces)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..animation import slid_range
from ..cells import boxes
from ..formatting import full
from ..geometry import HALF, arrow_heads, highlight_box, stamp_text, stamp_width, tap_path
from .plan import Plan


def x2_range(plan: Plan, index: int) -> list[float]:
    """Range of ``x2`` that puts the stamp under frame ``index``'s first output position."""
    return slid_range(plan.x_range, plan.frames[index][0])


def _frame_rows(plan: Plan, index: int) -> tuple[int, int, int, int]:
    """``(first_in, last_in, first_out, last_out)`` rows the frame reads and writes."""
    _, _, o = plan.frames[index]
    if o < 0:
        return 0, plan.c_in - 1, 0, plan.c_out - 1
    g = o // plan.group_out
    return g * plan.group_in, (g + 1) * plan.group_in - 1, o, o


def _tap_y(plan: Plan, rows: tuple[int, int, int, int]) -> np.ndarray:
    """y of a tap's path: window box, drop arrow, kernel box, arrow to the output (x never changes)."""
    first_in, last_in, first_out, _ = rows
    top, bottom = float(plan.y_stamp(0)) - HALF, float(plan.y_stamp(plan.stamp_rows - 1)) + HALF
    band = float(plan.y_in(plan.c_in - 1)) + 0.5
    _, wy = boxes(0.0, 1.0, float(plan.y_in(first_in)) - HALF, float(plan.y_in(last_in)) + HALF)
    _, ky = boxes(0.0, 1.0, top, bottom)
    out_top = float(plan.y_out(0)) - HALF - 0.04  # arrows stop above the band; a box marks the target cell
    return np.concatenate([wy, [band, top - 0.04, np.nan], ky, [bottom, out_top, np.nan]]).astype(np.float32)


def _tap_x(plan: Plan, k: int) -> np.ndarray:
    x = float(k * plan.spec.dilation)
    wx, _ = boxes(x - HALF, x + HALF, 0.0, 1.0)
    return np.concatenate([wx, [x, x, np.nan], wx, [x, plan.out_offset, np.nan]]).astype(np.float32)


def _kernel_text(plan: Plan, index: int) -> dict[str, Any]:
    r, k = np.divmod(np.arange(plan.stamp_rows * plan.k_size), plan.k_size)
    _, _, o = plan.frames[index]
    if o < 0:
        return {"text": [f"k{kk}" for kk in k.tolist()] if plan.show_text else None,
                "hovertext": [f"tap k={kk} of every flipped kernel" for kk in k.tolist()]}
    w = plan.form.kernel[o, r, k]
    c = (o // plan.group_out) * plan.group_in + r
    sep = " " if plan.complex else "<br>"
    text = [f"k{kk}{sep}{v}" for kk, v in zip(k.tolist(), plan.short(w, "w"))]
    hover = [f"w̃[{o}, {rr}, {kk}] = w[{cc}, {o % plan.group_out}, {plan.k_size - 1 - kk}] = {v}"
             for rr, kk, cc, v in zip(r.tolist(), k.tolist(), c.tolist(), full(w))]
    return {"text": text if plan.show_text else None, "hovertext": hover}


def stamp_frame(plan: Plan, index: int) -> dict[str, dict[str, Any]]:
    rows = _frame_rows(plan, index)
    data: dict[str, dict[str, Any]] = {f"tap {k}": {"y": _tap_y(plan, rows)} for k in range(plan.k_size)}
    out_top = float(plan.y_out(0)) - HALF - 0.04
    data["heads"] = {"y": np.tile([float(plan.y_stamp(0)) - HALF - 0.04, out_top], plan.k_size).astype(np.float32)}
    data["kernel"] = _kernel_text(plan, index)
    _, ay = boxes(0.0, 1.0, float(plan.y_out(rows[2])) - HALF, float(plan.y_out(rows[3])) + HALF)
    data["target"] = {"y": ay.astype(np.float32)}
    return data


def stamp_traces(plan: Plan) -> list[dict[str, Any]]:
    """The sliding window and kernel on ``x2``, relative to output position 0."""
    now, width = stamp_frame(plan, 0), stamp_width(plan.theme, plan.cell_px)
    out = [tap_path(k, _tap_x(plan, k), width, **now[f"tap {k}"]) for k in range(plan.k_size)]
    x = np.arange(plan.k_size) * plan.spec.dilation
    out_top = float(plan.y_out(0)) - HALF
    bottom = float(plan.y_stamp(plan.stamp_rows - 1)) + HALF
    angle = np.degrees(np.arctan2((plan.out_offset - x) * plan.cell_px, -(out_top - bottom) * plan.row_px))
    heads_x = np.stack([x, np.full(plan.k_size, plan.out_offset)], axis=1).ravel()  # (2·K,): two per tap
    heads_angle = np.stack([np.full(plan.k_size, 180.0), angle], axis=1).ravel()
    out.append(arrow_heads(heads_x.astype(np.float32), heads_angle.astype(np.float32), plan.k_size, width,
                           **now["heads"]))
    r, k = np.divmod(np.arange(plan.stamp_rows * plan.k_size), plan.k_size)
    out.append(stamp_text("kernel", k * plan.spec.dilation, plan.y_stamp(r), plan.theme, plan.cell_font,
                          **now["kernel"]))
    tx, _ = boxes(plan.out_offset - HALF, plan.out_offset + HALF, 0.0, 1.0)
    out.append(highlight_box("target", tx, **now["target"]))
    return out
