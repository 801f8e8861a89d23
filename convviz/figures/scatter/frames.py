"""One frame of the scatter animation as data: a pure function of the plan and the frame number.

Per frame, on the main x axis: ``mask`` (hides the final sums the sweep has not reached), ``sums``
(running sums in the window of the playing position), ``landing`` (what lands in each cell, written in
the tap's colour; its points are the landing cells), ``caption`` and ``bias`` (the result frame's
``+ b[o]``). The stamp (``stamp.py``) adds its per-element data when frames play single elements.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..animation import caption_trace, mask_corners, mask_style
from ..cells import ints, texts
from ..formatting import full
from ..theme import INK
from .plan import Plan
from .stamp import stamp_frame
from .static import colour_range

OWN = ("mask", "sums", "landing", "caption", "bias")
STAMP = ("heads", "stamp", "active")


def dynamic_names(plan: Plan) -> list[str]:
    """Names of the traces each frame updates, in ``fig.data`` order."""
    if not plan.per_element:
        return list(OWN)
    return ["mask", *(f"tap {k}" for k in range(plan.k_size)), *STAMP, *OWN[1:]]


@dataclass
class Landings:
    """The cells one frame's taps land on. Shapes ``(n,)``; ``value`` is the product (or, for a whole
    position, the sum over its in-channels) and ``hover`` its full-precision description."""

    out_channel: np.ndarray
    tap: np.ndarray
    full_index: np.ndarray
    value: np.ndarray
    hover: list[str] | None


def _where(plan: Plan, out_channel: np.ndarray, full_index: np.ndarray) -> list[str]:
    """``out[o, j]`` for each landing, or ``cropped`` where padding crops it."""
    j = plan.trace.output_index(full_index)
    return [f"out[{o}, {jj}]" if jj >= 0 else f"cropped (full index {f})"
            for o, jj, f in zip(out_channel.tolist(), j.tolist(), full_index.tolist())]


def landings(plan: Plan, start: int, stop: int) -> Landings:
    """Where steps ``[start, stop)`` land: one record per tap (per element), or summed over the in-channels
    of a whole position."""
    cols, rows = plan.trace.columns, plan.step_rows(start, stop)
    if plan.per_element:
        o, k, f = cols["out_channel"][rows], cols["tap"][rows], cols["full_index"][rows]
        product = cols["product"][rows]
        hover = None
        if plan.landing_hover:
            hover = [f"{x} · {w} = {p} → {at}<br>tap k={kk}" for x, w, p, at, kk in zip(
                full(cols["x_value"][rows]), full(cols["w_value"][rows]), full(product), _where(plan, o, f),
                k.tolist())]
        return Landings(o, k, f, product, hover)
    i = start // plan.c_in
    o, k = np.divmod(np.arange(plan.c_out * plan.k_size), plan.k_size)
    f = plan.trace.landing(i)[k]
    value = plan.by_position[i].ravel()  # (C_out·K,)
    hover = None
    if plan.landing_hover:
        hover = [f"Σ over {plan.group_in} in-channel(s) of x[c, {i}] · w[c, {oo % plan.group_out}, {kk}] = {v}"
                 f" → {at}<br>tap k={kk}"
                 for oo, kk, v, at in zip(o.tolist(), k.tolist(), full(value), _where(plan, o, f))]
    return Landings(o, k, f, value, hover)


def window_sums(plan: Plan, start: int, stop: int, hit: Landings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Running sums (before bias) after steps ``[start, stop)``, in the window of the position playing:
    ``(out_channel, full_index, value)`` of every touched cell there (or only the landing cells, when the
    plan's budget says so)."""
    s = plan.trace.spec
    i = start // plan.c_in
    earlier, touched = (a[i] for a in plan.before)  # (C_out, E), (E,)
    sums = earlier.copy()
    seen = np.broadcast_to(touched, sums.shape).copy()
    taps = np.arange(plan.k_size) * s.dilation  # window offsets of the taps
    if plan.per_element:  # channels up to the last one played at this position
        added, landed = plan.trace.adds(i * plan.c_in, stop, plan.batch)  # (C_out, K) each
        sums[:, taps] += added
        seen[:, taps] |= landed
    else:
        sums[:, taps] += plan.by_position[i]
        seen[:, taps] = True
    if not plan.full_window:
        seen[:] = False
        seen[hit.out_channel, hit.full_index - i * s.stride] = True
    o, e = np.nonzero(seen)
    return o, i * s.stride + e, sums[o, e]


def _caption(plan: Plan, start: int, hit: Landings) -> str:
    t, s = plan.trace, plan.trace.spec
    i = start // plan.c_in
    f = np.unique(hit.full_index)
    span = f"{f[0]}…{f[-1]}" if len(f) > 4 else ", ".join(map(str, f.tolist()))
    where = f"full index {i}·{s.stride} + k·{s.dilation} = {span}"
    if plan.per_element:
        c, _ = t.step_element(start)
        x = plan.short(t.input[plan.batch, c, i], "x", stacked=False).item()
        return (f"step {start + 1} of {t.steps_per_batch}: x[{c}, {i}] = {x}, times each tap w[{c}, :, k], "
                f"lands at {where}")
    if plan.c_in == 1:
        x = plan.short(t.input[plan.batch, 0, i], "x", stacked=False).item()
        return f"position {i + 1} of {t.length}: x[0, {i}] = {x}, times each tap w[0, :, k], lands at {where}"
    return f"position {i + 1} of {t.length}: x[:, {i}] (all {plan.c_in} in-channels) times each tap lands at {where}"


def _landing(plan: Plan, hit: Landings) -> dict[str, Any]:
    """What lands in each cell, in the top half of the cell: dark text (the tap shows in the box's colour,
    dash and the stamp's ``k`` label)."""
    if not plan.show_text:
        return {"x": ints(hit.full_index), "y": ints(plan.y_out(hit.out_channel)), "hovertext": hit.hover,
                "hoverinfo": "text" if hit.hover is not None else "skip"}
    offset = 0.25 if plan.complex else 0.2
    text = plan.short(hit.value)
    return {"x": ints(hit.full_index), "y": (plan.y_out(hit.out_channel) - offset).astype(np.float32),
            "text": [v if v.startswith("-") else f"+{v}" for v in text], "hovertext": hit.hover,
            "hoverinfo": "text" if hit.hover is not None else "skip"}


def _sums(plan: Plan, o: np.ndarray, f: np.ndarray, value: np.ndarray, below: bool = True) -> dict[str, Any]:
    """Sums as text in the lower half of their cells (under the products), or centred; or as colour."""
    if not plan.show_text:
        return {"x": ints(f), "y": ints(plan.y_out(o)),
                "marker": {"color": (np.abs(value) if plan.complex else value.real).astype(np.float32)}}
    offset = (0.25 if plan.complex else 0.2) if below else 0.0
    return {"x": ints(f), "y": (plan.y_out(o) + offset).astype(np.float32), "text": plan.short(value)}


def _mask(plan: Plan, first: int) -> dict[str, Any]:
    """A white box over the output cells from full position ``first`` on."""
    top, bottom = float(plan.y_out(0)) - 0.5, float(plan.y_out(plan.c_out - 1)) + 0.5
    x, y = mask_corners([(first - 0.5, plan.full_length - 0.5, top, bottom)])
    return {"x": x, "y": y}


def frame_traces(plan: Plan, index: int) -> dict[str, dict[str, Any]]:
    """The data of every dynamic trace at frame ``index``, by name (the last frame is the result)."""
    if index == len(plan.spans):
        return result_traces(plan)
    start, stop = plan.spans[index]
    hit = landings(plan, start, stop)
    o, f, value = window_sums(plan, start, stop, hit)
    own = {"mask": _mask(plan, start // plan.c_in * plan.trace.spec.stride), "sums": _sums(plan, o, f, value),
           "landing": _landing(plan, hit), "caption": {"text": [_caption(plan, start, hit)]},
           "bias": {"text": [""] * plan.c_out}}
    if plan.per_element:
        own.update(stamp_frame(plan, start))
    return {name: own[name] for name in dynamic_names(plan)}


def result_traces(plan: Plan) -> dict[str, dict[str, Any]]:
    """The last frame: every cell's final value; kept cells with the bias added (equal to ``trace.output``).
    The stamp is moved out of sight by the frame's layout, so its traces are left as they were."""
    t, s = plan.trace, plan.trace.spec
    value = t.final(plan.batch).ravel()  # (C_out·L_full,): the output on kept cells, sums where cropped
    o, f = np.divmod(np.arange(plan.c_out * plan.full_length), plan.full_length)
    bias = [""] * plan.c_out
    if t.bias is not None:
        bias = [f"incl. b[{oo}] = {v}" for oo, v in enumerate(plan.short(t.bias, stacked=False))]
    caption = ("result: each output = its sum + its row's bias (already added to every cell shown)"
               if t.bias is not None else "result: output = sums (bias=False)")
    if s.padding:
        caption += "; the hatched columns are cropped by padding"
    own = {"mask": _mask(plan, 0), "sums": _sums(plan, o, f, value, below=False),
           "landing": {"x": [], "y": [], "text": [], "hovertext": [], "hoverinfo": "skip"},
           "caption": {"text": [caption]}, "bias": {"text": bias}}
    if plan.per_element:
        own.update(stamp_frame(plan, plan.spans[-1][0]))
    return {name: own[name] for name in dynamic_names(plan)}


def own_styles(plan: Plan) -> dict[str, dict[str, Any]]:
    """The unchanging style of the main-axis dynamic traces (frames only send data)."""
    theme = plan.theme
    _, scale = colour_range(plan)
    sums: dict[str, Any] = {"type": "scatter", "name": "sums", "hoverinfo": "skip"}
    if plan.show_text:
        sums.update(mode="text", textfont={"size": plan.cell_font, "color": INK})
    else:
        sums.update(mode="markers", marker={"symbol": "square", "size": plan.marker_px, **scale})
    landing: dict[str, Any] = {"type": "scatter", "name": "landing"}
    if plan.show_text:
        landing.update(mode="text", textfont={"size": max(theme.min_cell_font, plan.cell_font - 2), "color": INK})
    else:
        landing.update(mode="markers", marker={"size": plan.marker_px, "color": "rgba(0,0,0,0)"})
    return {
        "mask": mask_style(), "sums": sums, "landing": landing, "caption": caption_trace(theme),
        "bias": texts(np.full(plan.c_out, plan.full_length - 0.45), plan.y_out(np.arange(plan.c_out)), None,
                      plan.cell_font, INK, name="bias", textposition="middle right", cliponaxis=False),
    }
