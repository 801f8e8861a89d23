"""The kernel stamp of the scatter animation, drawn once and slid by moving an axis.

Everything that travels with the playing input position — the arrows, the tinted boxes of the stamp and of
the landing cells (one colour and dash per tap), the arrowheads, the weights in the stamp and the box
around the active element — is drawn relative to position 0 on a second x axis, ``x2``. A frame moves it
to position ``i`` by shifting ``x2``'s range by ``i·stride``: a few bytes per frame instead of every path.
Only what depends on the element (its group's rows, its weights) is sent per frame, and only when frames
play single elements.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..animation import slid_range
from ..cells import boxes
from ..formatting import full
from ..geometry import HALF, arrow_heads, highlight_box, stamp_text, stamp_width, tap_path
from .plan import Plan


def x2_range(plan: Plan, index: int) -> list[float]:
    """Range of ``x2`` that puts the stamp under frame ``index``'s position (or out of sight)."""
    if index == len(plan.spans):  # the result: no stamp
        return slid_range(plan.x_range, None)
    return slid_range(plan.x_range, plan.spans[index][0] // plan.c_in * plan.trace.spec.stride)


def element_rows(plan: Plan, start: int) -> tuple[int, int, int, int]:
    """``(first_in, last_in, first_out, last_out)``: the input rows boxed and the output rows landed on."""
    if not plan.per_element:
        return 0, plan.c_in - 1, 0, plan.c_out - 1
    c = plan.trace.step_element(start)[0]
    g = c // plan.group_in
    return c, c, g * plan.group_out, (g + 1) * plan.group_out - 1


def _start(plan: Plan, last_in: int) -> tuple[float, float]:
    """Where every arrow leaves from: the bottom middle of the playing element's own cell (of the lowest
    in-channel boxed, when a whole position plays), relative to its position."""
    return (plan.input_span - 1) / 2, float(plan.y_in(last_in)) + 0.5


def _tap_y(plan: Plan, k: int, last_in: int, first_out: int, last_out: int) -> np.ndarray:
    """The y of tap ``k``'s path: fan arrow, drop arrow, stamp box, landing box (x never changes)."""
    y0 = _start(plan, last_in)[1]
    stamp_top, stamp_bottom = float(plan.y_stamp(0)) - HALF, float(plan.y_stamp(plan.stamp_rows - 1)) + HALF
    land_top, land_bottom = float(plan.y_out(first_out)) - HALF, float(plan.y_out(last_out)) + HALF
    _, ys = boxes(0.0, 1.0, [stamp_top, land_top], [stamp_bottom, land_bottom])
    return np.concatenate([[y0, stamp_top - 0.04, np.nan, stamp_bottom, land_top - 0.04, np.nan], ys]
                          ).astype(np.float32)


def _tap_x(plan: Plan, k: int) -> np.ndarray:
    f = float(k * plan.trace.spec.dilation)
    xs, _ = boxes(f - HALF, f + HALF, [0.0, 0.0], [1.0, 1.0])
    return np.concatenate([[_start(plan, 0)[0], f, np.nan, f, f, np.nan], xs]).astype(np.float32)


def _heads(plan: Plan, last_in: int, first_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrowheads (two per tap: end of the fan arrow, end of the drop arrow): x, y, screen angle."""
    x0, y0 = _start(plan, last_in)
    fan_y = float(plan.y_stamp(0)) - HALF - 0.04
    drop_y = float(plan.y_out(first_out)) - HALF - 0.04
    f = np.arange(plan.k_size) * plan.trace.spec.dilation
    fan_angle = np.degrees(np.arctan2((f - x0) * plan.cell_px, -(fan_y - y0) * plan.row_px))  # clockwise from up
    x = np.stack([f, f], axis=1).ravel()
    y = np.tile([fan_y, drop_y], plan.k_size)
    angle = np.stack([fan_angle, np.full(plan.k_size, 180.0)], axis=1).ravel()
    return x.astype(np.float32), y.astype(np.float32), angle.astype(np.float32)


def _stamp_text(plan: Plan, start: int) -> dict[str, Any]:
    """Weights in the stamp (``k`` and ``w[c, r, k]``), or just ``k`` when a whole position plays."""
    t = plan.trace
    r, k = np.divmod(np.arange(plan.stamp_rows * plan.k_size), plan.k_size)
    if plan.weights_shown:
        c = t.step_element(start)[0]
        w = t.weight[c, r, k]
        text = [f"k{kk}<br>{v}" for kk, v in zip(k.tolist(), plan.short(w, "w"))]
        hover = [f"w[{c}, {rr}, {kk}] = {v}" for rr, kk, v in zip(r.tolist(), k.tolist(), full(w))]
    else:
        text = [f"k{kk}" for kk in k.tolist()]
        hover = [f"tap k={kk}: every w[c, :, {kk}]" for kk in k.tolist()]
    return {"text": text if plan.show_text else None, "hovertext": hover}


def stamp_frame(plan: Plan, start: int) -> dict[str, dict[str, Any]]:
    """Per-frame data of the stamp traces, by name (only what depends on the element playing)."""
    first_in, last_in, first_out, last_out = element_rows(plan, start)
    data: dict[str, dict[str, Any]] = {f"tap {k}": {"y": _tap_y(plan, k, last_in, first_out, last_out)}
                                       for k in range(plan.k_size)}
    _, heads_y, angle = _heads(plan, last_in, first_out)
    data["heads"] = {"y": heads_y, "marker": {"angle": angle}}
    data["stamp"] = _stamp_text(plan, start)
    _, ay = boxes(-HALF, HALF, float(plan.y_in(first_in)) - HALF, float(plan.y_in(last_in)) + HALF)
    data["active"] = {"y": ay.astype(np.float32)}
    return data


def stamp_traces(plan: Plan, start: int) -> list[dict[str, Any]]:
    """The stamp traces on ``x2`` (taps, heads, stamp, active), showing the element at step ``start``."""
    now, width = stamp_frame(plan, start), stamp_width(plan.theme, plan.cell_px)
    out = [tap_path(k, _tap_x(plan, k), width, **now[f"tap {k}"]) for k in range(plan.k_size)]
    _, last_in, first_out, _ = element_rows(plan, start)
    hx, hy, angle = _heads(plan, last_in, first_out)
    out.append(arrow_heads(hx, angle, plan.k_size, width, y=hy))
    row, tap = np.divmod(np.arange(plan.stamp_rows * plan.k_size), plan.k_size)
    out.append(stamp_text("stamp", tap * plan.trace.spec.dilation, plan.y_stamp(row), plan.theme, plan.cell_font,
                          **now["stamp"]))
    ax, _ = boxes(-HALF, plan.input_span - 1 + HALF, 0.0, 1.0)
    out.append(highlight_box("active", ax, **now["active"]))
    return out

