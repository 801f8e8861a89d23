"""The gather animation's stamp on axis ``x2``: the window each frame reads, the flipped kernel and the arrow to
the output it writes, drawn relative to output position 0 (``figures.geometry`` builds the shared pieces)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..cells import boxes
from ..formatting import full
from ..geometry import HALF, arrow_heads, highlight_box, stamp_text, stamp_width, tap_path
from .plan import GatherPlan


def _frame_rows(p: GatherPlan, index: int) -> tuple[int, int, int, int]:
    """``(first_in, last_in, first_out, last_out)`` rows the frame reads and writes."""
    _, _, o = p.frames[index]
    if o < 0:
        return 0, p.c_in - 1, 0, p.c_out - 1
    g = o // p.group_out
    return g * p.group_in, (g + 1) * p.group_in - 1, o, o


def _tap_y(p: GatherPlan, rows: tuple[int, int, int, int]) -> np.ndarray:
    """y of a tap's path: window box, drop arrow, kernel box, arrow to the output (x never changes)."""
    first_in, last_in, first_out, _ = rows
    top, bottom = float(p.y_kernel(0)) - HALF, float(p.y_kernel(p.kernel_rows - 1)) + HALF
    band = float(p.y_in(p.c_in - 1)) + 0.5
    _, wy = boxes(0.0, 1.0, float(p.y_in(first_in)) - HALF, float(p.y_in(last_in)) + HALF)
    _, ky = boxes(0.0, 1.0, top, bottom)
    out_top = float(p.y_out(0)) - HALF - 0.04  # arrows stop above the band; a box marks the target cell
    return np.concatenate([wy, [band, top - 0.04, np.nan], ky, [bottom, out_top, np.nan]]).astype(np.float32)


def _tap_x(p: GatherPlan, k: int) -> np.ndarray:
    x = float(k * p.spec.dilation)
    wx, _ = boxes(x - HALF, x + HALF, 0.0, 1.0)
    return np.concatenate([wx, [x, x, np.nan], wx, [x, p.shift, np.nan]]).astype(np.float32)


def _kernel_text(p: GatherPlan, index: int) -> dict[str, Any]:
    r, k = np.divmod(np.arange(p.kernel_rows * p.k_size), p.k_size)
    _, _, o = p.frames[index]
    if o < 0:
        return {"text": [f"k{kk}" for kk in k.tolist()] if p.show_text else None,
                "hovertext": [f"tap k={kk} of every flipped kernel" for kk in k.tolist()]}
    w = p.form.kernel[o, r, k]
    c = (o // p.group_out) * p.group_in + r
    sep = " " if p.complex else "<br>"
    text = [f"k{kk}{sep}{v}" for kk, v in zip(k.tolist(), p.short(w, "w"))]
    hover = [f"w̃[{o}, {rr}, {kk}] = w[{cc}, {o % p.group_out}, {p.k_size - 1 - kk}] = {v}"
             for rr, kk, cc, v in zip(r.tolist(), k.tolist(), c.tolist(), full(w))]
    return {"text": text if p.show_text else None, "hovertext": hover}


def stamp_frame(p: GatherPlan, index: int) -> dict[str, dict[str, Any]]:
    rows = _frame_rows(p, index)
    data: dict[str, dict[str, Any]] = {f"tap {k}": {"y": _tap_y(p, rows)} for k in range(p.k_size)}
    out_top = float(p.y_out(0)) - HALF - 0.04
    data["heads"] = {"y": np.tile([float(p.y_kernel(0)) - HALF - 0.04, out_top], p.k_size).astype(np.float32)}
    data["kernel"] = _kernel_text(p, index)
    _, ay = boxes(0.0, 1.0, float(p.y_out(rows[2])) - HALF, float(p.y_out(rows[3])) + HALF)
    data["target"] = {"y": ay.astype(np.float32)}
    return data


def stamp_traces(p: GatherPlan) -> list[dict[str, Any]]:
    """The sliding window and kernel on ``x2``, relative to output position 0."""
    now, width = stamp_frame(p, 0), stamp_width(p.theme, p.cell_px)
    out = [tap_path(k, _tap_x(p, k), width, **now[f"tap {k}"]) for k in range(p.k_size)]
    x = np.arange(p.k_size) * p.spec.dilation
    out_top = float(p.y_out(0)) - HALF
    bottom = float(p.y_kernel(p.kernel_rows - 1)) + HALF
    angle = np.degrees(np.arctan2((p.shift - x) * p.cell_px, -(out_top - bottom) * p.row_px))
    out.append(arrow_heads(np.stack([x, np.full(p.k_size, p.shift)], axis=1).ravel().astype(np.float32),
                           np.stack([np.full(p.k_size, 180.0), angle], axis=1).ravel().astype(np.float32), p.k_size,
                           width, **now["heads"]))
    r, k = np.divmod(np.arange(p.kernel_rows * p.k_size), p.k_size)
    out.append(stamp_text("kernel", k * p.spec.dilation, p.y_kernel(r), p.theme, p.cell_font, **now["kernel"]))
    tx, _ = boxes(p.shift - HALF, p.shift + HALF, 0.0, 1.0)
    out.append(highlight_box("target", tx, **now["target"]))
    return out
