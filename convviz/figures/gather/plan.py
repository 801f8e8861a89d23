"""What the gather animation will draw: frames, rows and sizes (``view.py`` describes the picture).

A ``Plan`` is computed once per figure from the trace and the options; frames and static traces read it.

Frames. One per output cell ``(out_index, out_channel)``, ``out_index`` first, while there are at most
``max_frames`` of them; else one per output position (all out-channels), and beyond ``MAX_POSITIONS``
positions, one per block of consecutive positions. Every frame computes outputs: there is no result frame.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ...forms import Gather, flipped_kernel, upsample
from ...trace import Trace
from ..animation import ROOM_ROWS, AnimationOptions, shrink_rows
from ..base import check_batch
from ..formatting import scale_of, short
from ..geometry import BIAS_PX, MARGIN_PX, Channels, rough_text_fit
from ..theme import Theme, pick

MAX_POSITIONS = 128  # output positions above which frames play blocks of positions


@dataclass(frozen=True)
class GatherOptions(AnimationOptions):
    """Options of the gather animation: ``batch``, ``large`` and ``max_frames`` (the most single-cell frames
    before frames play whole output positions), as for every animation."""


@dataclass
class Plan(Channels):
    """Geometry of one gather figure. ``frames``: per frame ``(first_out_index, stop_out_index, out_channel)``
    with ``out_channel = -1`` when every out-channel plays at once."""

    trace: Trace
    form: Gather  # of the shown sample only (unbatched); its output is ``trace.output[batch]``
    theme: Theme
    batch: int
    per_cell: bool
    frames: list[tuple[int, int, int]]
    show_text: bool
    digits: int
    cell_font: int
    row_px: int

    @property
    def up_length(self) -> int:
        """``L_up``: length of the zero-inserted, padded input."""
        return int(self.form.upsampled.shape[-1])

    @property
    def n_frames(self) -> int:
        return len(self.frames)

    @property
    def out_offset(self) -> float:
        """Output ``j`` is drawn under the middle of its window: at ``x = j + out_offset``."""
        return (self.window - 1) / 2

    @property
    def cell_px(self) -> float:
        return (self.theme.width - MARGIN_PX - BIAS_PX) / (self.up_length + 0.2)

    @property
    def x_range(self) -> list[float]:
        return [-0.6, self.up_length - 0.4 + BIAS_PX / self.cell_px]

    @property
    def complex(self) -> bool:
        return bool(np.iscomplexobj(self.form.upsampled))

    # rows (reversed y axis)
    @property
    def stamp_rows(self) -> int:
        """Rows of the flipped kernel: one per in-channel of a group when one output cell plays, else one."""
        return self.group_in if self.per_cell else 1

    def y_stamp(self, row: np.ndarray | int) -> np.ndarray:
        return self.c_in + 1.0 + np.asarray(row, dtype=float)

    def y_out(self, out_channel: np.ndarray | int) -> np.ndarray:
        return self.c_in + 2.0 + self.stamp_rows + np.asarray(out_channel, dtype=float)

    @property
    def y_range(self) -> list[float]:
        return [float(self.y_out(self.c_out - 1)) + 0.6, -2.0]

    # data of the sample shown
    @property
    def upsampled(self) -> np.ndarray:
        """``(C_in, L_up)`` of the sample shown."""
        return self.form.upsampled

    @property
    def output(self) -> np.ndarray:
        """``(C_out, L_out)`` of the sample shown (equal to the engine's)."""
        return self.form.output

    @cached_property
    def kinds(self) -> np.ndarray:
        """``(L_up,)``: 0 for a padding zero, 1 for an inserted zero, 2 for an input sample."""
        stretched = (self.trace.length - 1) * self.spec.stride + 1
        q = np.arange(self.up_length) - self.form.left_pad  # index in the zero-inserted input
        inside = (q >= 0) & (q < stretched)
        return np.where(self.form.source_index >= 0, 2, np.where(inside, 1, 0))

    def short(self, values: object, family: str = "value", stacked: bool = True) -> np.ndarray:
        scale = {"x": scale_of(self.upsampled), "w": scale_of(self.form.kernel),
                 "value": scale_of(self.output)}[family]
        return short(values, self.digits, "<br>" if stacked and self.complex else "", scale)


def make_plan(trace: Trace, options: GatherOptions) -> Plan:
    """Decide frames, text and row sizes for ``trace`` (see the module docstring)."""
    theme = pick(options.large)
    batch = check_batch(trace, options.batch)
    s = trace.spec
    upsampled, source, left, right = upsample(trace.input[batch:batch + 1], s)  # (1, C_in, L_up): the sample shown
    form = Gather(s, False, trace.output[batch], upsampled[0], flipped_kernel(trace.weight, s.groups), source,
                  left, right)  # the numbers shown are the trace's: only the layout comes from the gather form
    c_out, l_out = trace.spec.out_channels, trace.output_length
    per_cell = c_out * l_out <= options.max_frames
    if per_cell:
        frames = [(j, j + 1, o) for j in range(l_out) for o in range(c_out)]
    else:
        block = -(-l_out // MAX_POSITIONS)
        frames = [(j, min(j + block, l_out), -1) for j in range(0, l_out, block)]
    up_length = int(form.upsampled.shape[-1])
    cell_px = (theme.width - MARGIN_PX - BIAS_PX) / (up_length + 0.2)
    complex_ = bool(np.iscomplexobj(form.upsampled))
    show_text, font, digits = rough_text_fit(theme, cell_px, complex_)
    lines = 2 if complex_ else 1
    row_px = max(theme.row_px, int((1.3 * lines + 0.8) * font))
    rows = trace.spec.in_channels + (trace.spec.in_channels // trace.spec.groups if per_cell else 1) + c_out \
        + ROOM_ROWS
    row_px, font, legible = shrink_rows(theme, rows, row_px, font, 1.3 * lines + 0.5)
    return Plan(trace, form, theme, batch, per_cell, frames, show_text and legible, digits, font, row_px)
