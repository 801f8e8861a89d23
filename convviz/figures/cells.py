"""Small builders of Plotly trace dicts shared by the views: cell grids, boxes, texts and pick markers."""
from __future__ import annotations

from typing import Any

import numpy as np

from .theme import GRID, INK

TRANSPARENT = "rgba(0,0,0,0)"


def discrete_scale(colours: list[str]) -> list[list[Any]]:
    """A colourscale that maps the integer code ``n`` to ``colours[n]`` (use ``zmin=-0.5``,
    ``zmax=len(colours) - 0.5``)."""
    n = len(colours)
    scale: list[list[Any]] = []
    for code, colour in enumerate(colours):
        scale += [[code / n, colour], [(code + 1) / n, colour]]
    return scale


def boxes(x0: Any, x1: Any, y0: Any, y1: Any) -> tuple[np.ndarray, np.ndarray]:
    """Closed rectangles as one path, broken by NaN (a gap), for ``fill="toself"`` or outlines.

    Shape: each argument broadcasts to ``(n,)``; returns two ``(6·n,)`` arrays.
    """
    a, b, c, d = (np.asarray(v, dtype=float) for v in (x0, x1, y0, y1))
    n = max(a.size, b.size, c.size, d.size)
    if any(v.ndim > 1 or v.size not in (1, n) for v in (a, b, c, d)):  # the general case: NumPy broadcasts
        a, b, c, d = np.broadcast_arrays(a, b, c, d)
        n = a.size
    a, b, c, d = (v.ravel() for v in (a, b, c, d))
    xs, ys = np.empty((n, 6)), np.empty((n, 6))  # filled column by column: a figure asks ~50 times
    xs[:, 0] = xs[:, 3] = xs[:, 4] = a
    xs[:, 1] = xs[:, 2] = b
    ys[:, 0] = ys[:, 1] = ys[:, 4] = c
    ys[:, 2] = ys[:, 3] = d
    xs[:, 5] = ys[:, 5] = np.nan
    return xs.ravel(), ys.ravel()  # (6·n,)


def segments(x0: Any, y0: Any, x1: Any, y1: Any) -> tuple[np.ndarray, np.ndarray]:
    """Straight segments as one path broken by NaN. Shape: ``(n,)`` each → two ``(3·n,)`` arrays."""
    a, b, c, d = (np.asarray(v, dtype=float) for v in np.broadcast_arrays(x0, y0, x1, y1))
    nan = np.full(a.shape, np.nan)
    return np.stack([a, c, nan], axis=-1).ravel(), np.stack([b, d, nan], axis=-1).ravel()


def grid_lines(columns: int, rows: np.ndarray, vertical: bool = True, **trace: Any) -> dict[str, Any]:
    """Cell borders of a band of unit cells centred on ``x = 0 … columns-1`` and on ``y = rows`` (only the
    outer vertical borders when ``vertical`` is False: too many lines would hide thin cells)."""
    rows = np.asarray(rows, dtype=float)
    top, bottom = rows.min() - 0.5, rows.max() + 0.5
    edges_x = np.arange(columns + 1) - 0.5 if vertical else np.array([-0.5, columns - 0.5])
    edges_y = np.concatenate([rows - 0.5, [bottom]])
    vx, vy = segments(edges_x, top, edges_x, bottom)
    hx, hy = segments(-0.5, edges_y, columns - 0.5, edges_y)
    return {"type": "scatter", "x": np.concatenate([vx, hx]).astype(np.float32),
            "y": np.concatenate([vy, hy]).astype(np.float32), "mode": "lines", "hoverinfo": "skip",
            "line": {"color": GRID, "width": 1}, **trace}


def texts(x: Any, y: Any, text: Any, size: int, colour: Any = INK, **trace: Any) -> dict[str, Any]:
    """A scatter trace of text only (no markers)."""
    return {"type": "scatter", "x": x, "y": y, "mode": "text", "text": text,
            "textfont": {"size": size, "color": colour}, "hoverinfo": "skip", **trace}


def pick_markers(x: np.ndarray, y: np.ndarray, customdata: np.ndarray, hovertext: Any, size: float,
                 name: str = "pick") -> dict[str, Any]:
    """Transparent, clickable squares over cells: ``customdata`` rows are what the app reads on a click
    (``st.plotly_chart(on_select="rerun", selection_mode="points")`` reports scatter points, not heatmap
    cells). A selection leaves every other trace as it was (no dimming)."""
    trace: dict[str, Any] = {
        "type": "scatter", "name": name, "x": x, "y": y, "mode": "markers", "customdata": customdata,
        "marker": {"symbol": "square", "size": size, "color": TRANSPARENT, "line": {"width": 0}},
        "selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 1}}}
    if hovertext is None:
        trace["hoverinfo"] = "skip"
    else:
        trace.update(hovertext=hovertext, hoverinfo="text")
    return trace


def ints(values: Any) -> np.ndarray:
    """Integers in the smallest dtype that holds them (Plotly sends arrays as compact binary)."""
    array = np.asarray(values)
    low, high = (int(array.min()), int(array.max())) if array.size else (0, 0)
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return array.astype(dtype)
    return array.astype(np.int64)
