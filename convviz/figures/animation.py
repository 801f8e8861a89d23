"""The skeleton both animations (``scatter/`` and ``gather/``) share.

Each animation is the same five files: ``plan`` (what will be drawn: frames, rows, sizes, from the trace and
the options), ``stamp`` (the kernel stamp drawn once on axis ``x2``; ``x2_range`` slides it to a frame),
``frames`` (``frame_traces``: the data one frame changes, by trace name), ``static`` (what never changes) and
``view`` (the figure, ``frame(trace, step, options)`` and ``frame_count``). This module holds what they do
alike: the options, the row budget, the white mask over outputs not reached yet, the caption, the axes and
layout, the clickable outputs and the frame dict.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .cells import boxes, ints, pick_markers, texts
from .formatting import full
from .geometry import AWAY, PICK_HOVER_CAP
from .player import play_controls
from .theme import INK, Theme, base_layout

CHROME_PX = 280            # title, axes and player around the rows (the row budget's allowance)
ROOM_ROWS = 4.6            # rows of labels and gaps besides the cell rows (index labels, caption, gaps)
MIN_ROW_PX = 8             # rows never get thinner than this, however many there are
LABELS_PX, RIGHT_PX = 150, 20   # left margin (row labels) and right margin
CONTROLS_PX, STILL_PX = 200, 90  # bottom margin with play / slider under the plot, and without
CAPTION_AT = (-0.5, -1.7)  # where the caption starts (x, y): above the input rows
AXIS = {"showgrid": False, "zeroline": False, "fixedrange": True, "ticks": ""}


@dataclass(frozen=True)
class AnimationOptions:
    """Options every animation takes.

    Args:
        batch: which sample of a batched input to show.
        large: presenter sizes (bigger fonts and rows).
        max_frames: the most single frames (one element, one output cell) before frames are grouped.
    """

    batch: int = 0
    large: bool = False
    max_frames: int = 64


def shrink_rows(theme: Theme, rows: float, row_px: int, font: int, line_ems: float) -> tuple[int, int, bool]:
    """Rows (and their numbers) shrunk so ``rows`` rows fit the theme's height: ``(row_px, font, legible)``,
    ``legible`` False when the font had to go below the theme's smallest (then cells are coloured instead).
    ``line_ems``: a row's height in font sizes."""
    if rows * row_px + CHROME_PX <= theme.max_height:
        return row_px, font, True
    row_px = max(MIN_ROW_PX, int((theme.max_height - CHROME_PX) / rows))
    font = min(font, int(row_px / line_ems))
    return row_px, font, font >= theme.min_cell_font


def slid_range(x_range: list[float], shift: float | None) -> list[float]:
    """The range of ``x2`` that puts a stamp drawn at position 0 under position ``shift`` (None: out of sight)."""
    if shift is None:
        return [r + AWAY for r in x_range]
    return [r - shift for r in x_range]


def mask_corners(corners: list[tuple[float, float, float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """The white mask's path: one box per ``(x0, x1, y0, y1)`` (over the outputs a frame has not reached)."""
    return boxes(*np.array(corners, dtype=float).T)


def mask_style() -> dict[str, Any]:
    """The look of the white mask trace ``"mask"`` (frames send its path)."""
    return {"type": "scatter", "name": "mask", "mode": "lines", "line": {"width": 0}, "fill": "toself",
            "fillcolor": "white", "hoverinfo": "skip"}


def caption_trace(theme: Theme, text: list[str] | None = None) -> dict[str, Any]:
    """The one-line caption above the input rows (frames send its ``text``)."""
    return texts([CAPTION_AT[0]], [CAPTION_AT[1]], text, theme.font_size, INK, name="caption",
                 textposition="middle right", cliponaxis=False)


def output_picks(x: np.ndarray, y: np.ndarray, out_channel: np.ndarray, out_index: np.ndarray,
                 output: np.ndarray, size: float) -> dict[str, Any]:
    """Clickable output cells (trace ``"pick"``, ``customdata = [out_channel, out_index]``) at ``x``, ``y``.
    Hover names the cell and, while there are at most ``PICK_HOVER_CAP`` of them, its value at full precision
    (``output``: ``(C_out, L_out)`` of the sample shown)."""
    customdata = ints(np.stack([out_channel, out_index], axis=1))  # (C_out·L_out, 2)
    if len(out_channel) > PICK_HOVER_CAP:
        trace = pick_markers(x, y, customdata, None, size)
        trace.update(hoverinfo="all", hovertemplate="out[%{customdata[0]}, %{customdata[1]}]<extra></extra>")
        return trace
    hover = [f"out[{a}, {b}] = {v}<br>click to see its sum" for a, b, v in
             zip(out_channel.tolist(), out_index.tolist(), full(output[out_channel, out_index]))]
    return pick_markers(x, y, customdata, hover, size)


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``extra``, nested dicts merged (as Plotly merges frame data into a trace)."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def frame_dict(name: str, data: list[dict[str, Any]], traces: list[int], x2: list[float]) -> dict[str, Any]:
    """A Plotly frame: the data of the traces at ``traces`` and the range of ``x2`` that slides the stamp."""
    return {"name": name, "data": data, "traces": traces, "layout": {"xaxis2": {"range": x2}}}


def check_step(step: int, n_frames: int, result_last: bool) -> None:
    """An IndexError naming the range when ``step`` is not one of the ``n_frames`` frames."""
    if not 0 <= step < n_frames:
        last = ", the last being the result" if result_last else ""
        raise IndexError(f"step={step} is out of range: this animation has {n_frames} frames "
                         f"(0 to {n_frames - 1}{last})")


def corner_label(text: str, **style: Any) -> dict[str, Any]:
    """The annotation at the bottom left corner of the plot that names the x axis's tick rows."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "right", "yanchor": "top",
            "xshift": -8, "showarrow": False, **style}


def animation_layout(theme: Theme, title: str, plot_height: int, top_px: int, x_range: list[float],
                     ticks: tuple[list[Any], list[str]], x2: list[float], y_range: Any,
                     y_labels: list[tuple[float, str]], corner: dict[str, Any],
                     controls_room: bool = True) -> dict[str, Any]:
    """The layout of an animation (or of one still: ``controls_room`` False leaves no room for play / slider):
    x ticks ``(values, texts)``, the stamp's axis ``x2`` at range ``x2``, reversed y rows ``(y, label)``."""
    bottom = CONTROLS_PX if controls_room else STILL_PX
    yv, yt = zip(*y_labels)
    return base_layout(
        theme, title, plot_height + top_px + bottom,
        margin={"l": LABELS_PX, "r": RIGHT_PX, "t": top_px, "b": bottom},
        xaxis={**AXIS, "range": x_range, "tickvals": ticks[0], "ticktext": ticks[1]},
        xaxis2={"overlaying": "x", "range": x2, "visible": False, "fixedrange": True},
        yaxis={**AXIS, "range": list(y_range), "tickvals": list(yv), "ticktext": list(yt)},
        annotations=[corner])


def with_player(layout: dict[str, Any], names: list[str], labels: list[str], theme: Theme) -> dict[str, Any]:
    """``layout`` with play / pause, speed and a slider over the frames ``names`` (slider texts ``labels``)."""
    layout.update(play_controls(names, labels, theme, below=3 * theme.font_size + 10))
    return layout
