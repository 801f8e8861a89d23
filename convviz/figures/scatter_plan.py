"""What the scatter animation will draw: frame grouping, row geometry, text sizes and size budgets.

A ``Plan`` is computed once per figure from the trace and the options; frames and static traces read it.

Frames. Frame ``k`` shows animation step ``k`` (one input element, in the trace's order: in_index, then
in_channel). When a sample has more steps than ``max_frames`` (or so many records that hover text would
not fit the size budget), frames are grouped: one frame per input position, all channels at once. The
last frame is always the result: bias added, output equal to ``trace.output``.

Running sums. A frame is self-contained (the slider can jump anywhere), yet it must not repeat the whole
output, or the figure grows with steps × cells. The order makes this possible: after the elements at
position ``i``, every full position below ``i·stride`` is final, and nothing above
``i·stride + dilation·(K-1)`` has been touched. So a static layer holds the final sums, a per-frame white
mask hides them from ``i·stride`` on, and each frame draws only its window of ``dilation·(K-1) + 1`` cells.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..trace import Trace
from .base import check_batch
from .formatting import scale_of, short
from .theme import Theme, pick

RECORD_CAP = 4096          # records per sample above which frames are grouped by input position
WINDOW_CAP = 60_000        # frames × window cells above which frames draw only the cells they change
HOVER_CAP = 8_000          # landing cells over all frames above which landing hover text is left out
CHAR_EM = 0.6              # width of one digit in ems (Arial)
MARGIN_PX = 170            # left (row labels) + right margins
BIAS_PX = 110              # room right of the cells for the "+ b[o] = …" labels


@dataclass(frozen=True)
class ScatterOptions:
    """Options of the scatter animation.

    Args:
        batch: which sample of a batched input to show.
        group: ``"auto"`` (one frame per element while it fits, else one per input position),
            ``"element"`` or ``"position"``.
        max_frames: the most element frames ``"auto"`` allows before grouping.
        large: presenter sizes (bigger fonts and rows).
        still: one frame will be drawn, not an animation (size budgets count that one frame only).
    """

    batch: int = 0
    group: str = "auto"
    max_frames: int = 64
    large: bool = False
    still: bool = False


@dataclass
class Plan:
    """Geometry and grouping of one scatter figure. Shapes: N samples, C_in, C_out, L, K, ``E`` window."""

    trace: Trace
    options: ScatterOptions
    theme: Theme
    batch: int
    per_element: bool               # one frame per element (else per input position)
    spans: list[tuple[int, int]]     # per frame (before the result): steps [start, stop) of the sample
    show_text: bool                  # numbers inside cells (else colour, and numbers on hover)
    digits: int
    cell_font: int
    row_px: int
    full_window: bool                # each frame redraws its whole window (else only the cells it changes)
    landing_hover: bool

    # ---- sizes ---------------------------------------------------------------------------------------
    @property
    def c_in(self) -> int:
        return self.trace.spec.in_channels

    @property
    def c_out(self) -> int:
        return self.trace.spec.out_channels

    @property
    def group_in(self) -> int:
        return self.c_in // self.trace.spec.groups

    @property
    def group_out(self) -> int:
        return self.c_out // self.trace.spec.groups

    @property
    def k_size(self) -> int:
        return self.trace.spec.kernel_size

    @property
    def full_length(self) -> int:
        return self.trace.spec.full_length(self.trace.length)

    @property
    def window(self) -> int:
        """``E``: how many full positions one input position's taps span."""
        return self.trace.spec.dilation * (self.k_size - 1) + 1

    @property
    def cell_px(self) -> float:
        """Width of one cell in pixels at the theme's width."""
        return cell_width(self.theme, self.full_length)

    @property
    def x_range(self) -> list[float]:
        return [-0.6, self.full_length - 0.4 + BIAS_PX / self.cell_px]

    @property
    def marker_px(self) -> float:
        """Size of a square marker that fits inside one cell."""
        return max(6.0, min(self.row_px, self.cell_px) * 0.92)

    @property
    def n_frames(self) -> int:
        return len(self.spans) + 1

    @property
    def complex(self) -> bool:
        return np.iscomplexobj(self.trace.full)

    # ---- rows (the y axis is reversed: row 0 on top) ---------------------------------------------------
    @property
    def stamp_rows(self) -> int:
        """Rows of the weight stamp: one per out-channel of a group when one element plays, else one."""
        return self.group_out if self.weights_shown else 1

    @property
    def weights_shown(self) -> bool:
        """The stamp shows weight values: one element plays (or there is only one in-channel anyway)."""
        return self.per_element or self.c_in == 1

    def y_in(self, in_channel: np.ndarray | int) -> np.ndarray:
        return np.asarray(in_channel, dtype=float)

    def y_stamp(self, row: np.ndarray | int) -> np.ndarray:
        return self.c_in + 1.0 + np.asarray(row, dtype=float)

    def y_out(self, out_channel: np.ndarray | int) -> np.ndarray:
        return self.c_in + 2.0 + self.stamp_rows + np.asarray(out_channel, dtype=float)

    @property
    def y_range(self) -> tuple[float, float]:
        return float(self.y_out(self.c_out - 1)) + 0.6, -2.0  # reversed: bottom first

    @property
    def plot_height(self) -> int:
        """Pixels of the plot area (the layout adds its margins)."""
        return int((self.y_range[0] - self.y_range[1]) * self.row_px)

    # ---- number families (one decimal-places choice each, see formatting.short) --------------------------
    @cached_property
    def x_scale(self) -> float:
        return scale_of(self.trace.input[self.batch])

    @cached_property
    def w_scale(self) -> float:
        return scale_of(self.trace.weight)

    @cached_property
    def value_scale(self) -> float:
        """Products, running sums and outputs share one rounding."""
        output = self.trace.output if self.trace.batched else self.trace.output[None]
        rows = self.step_rows(0, self.trace.steps_per_batch)
        return max(scale_of(self.trace.full[self.batch]), scale_of(output[self.batch]),
                   scale_of(self.trace.columns["product"][rows]))

    def short(self, values: object, family: str = "value", stacked: bool = True) -> np.ndarray:
        """Cell text of ``values`` from ``family`` ``"x"``, ``"w"`` or ``"value"``; complex parts stacked."""
        scale = {"x": self.x_scale, "w": self.w_scale, "value": self.value_scale}[family]
        return short(values, self.digits, "<br>" if stacked and self.complex else "", scale)

    # ---- sample data ------------------------------------------------------------------------------------
    @cached_property
    def rows_per_step(self) -> int:
        return self.group_out * self.k_size

    def step_rows(self, start: int, stop: int) -> slice:
        """Rows of ``trace.columns`` for steps ``[start, stop)`` of this sample (they are contiguous)."""
        base = self.batch * self.trace.steps_per_batch
        return slice((base + start) * self.rows_per_step, (base + stop) * self.rows_per_step)

    @cached_property
    def by_position(self) -> np.ndarray:
        """``A[i, o, k]``: what position ``i`` adds (all its channels) at out-channel ``o`` through tap ``k``.
        Shape ``(L, C_out, K)``."""
        x = self.trace.input[self.batch]  # (C_in, L)
        w = self.trace.weight             # (C_in, C_out/groups, K)
        parts = [np.einsum("ci,cok->iok", x[g * self.group_in:(g + 1) * self.group_in],
                           w[g * self.group_in:(g + 1) * self.group_in])
                 for g in range(self.trace.spec.groups)]
        return np.concatenate(parts, axis=1)  # (L, C_out, K)

    @cached_property
    def before(self) -> tuple[np.ndarray, np.ndarray]:
        """Window sums from earlier positions: ``P[i, o, e]`` at full position ``i·stride + e`` before
        position ``i`` plays, and ``T[i, e]`` whether any earlier position touched it. Shapes
        ``(L, C_out, E)`` and ``(L, E)``."""
        s, d = self.trace.spec.stride, self.trace.spec.dilation
        length, a = self.trace.length, self.by_position
        sums = np.zeros((length, self.c_out, self.window), dtype=a.dtype)
        touched = np.zeros((length, self.window), dtype=bool)
        for k in range(self.k_size):
            for m in range(1, k * d // s + 1):  # position i - m lands tap k at i·s + (k·d - m·s)
                if m >= length:
                    break
                e = k * d - m * s
                sums[m:, :, e] += a[:length - m, :, k]
                touched[m:, e] = True
        return sums, touched


def cell_width(theme: Theme, full_length: int) -> float:
    return (theme.width - MARGIN_PX - BIAS_PX) / (full_length + 0.2)


def _text_fit(theme: Theme, cell_px: float, complex_: bool) -> tuple[bool, int, int]:
    """Whether numbers fit in cells; the font size and significant digits to use."""
    for digits in (3, 2):
        chars = digits + (4 if complex_ else 3)  # sign, point, a leading zero (+ "j" for complex)
        font = min(theme.cell_font, int(cell_px * 0.9 / (CHAR_EM * chars)))
        if font >= theme.min_cell_font:
            return True, font, digits
    return False, theme.min_cell_font, 2


def make_plan(trace: Trace, options: ScatterOptions) -> Plan:
    """Decide grouping, text and budgets for ``trace`` (see the module docstring)."""
    theme = pick(options.large)
    batch = check_batch(trace, options.batch)
    if options.group not in ("auto", "element", "position"):
        raise ValueError(f"group={options.group!r} is not one of 'auto', 'element', 'position'; use 'auto'")
    steps, c_in = trace.steps_per_batch, trace.spec.in_channels
    records = steps * trace.spec.out_channels // trace.spec.groups * trace.spec.kernel_size
    per_element = options.group == "element" or (
        options.group == "auto" and steps <= options.max_frames and records <= RECORD_CAP)
    spans = ([(k, k + 1) for k in range(steps)] if per_element
             else [(i * c_in, (i + 1) * c_in) for i in range(trace.length)])
    full_length = trace.spec.full_length(trace.length)
    cell_px = cell_width(theme, full_length)
    complex_ = np.iscomplexobj(trace.full)
    show_text, font, digits = _text_fit(theme, cell_px, complex_)
    lines = 2 if complex_ else 1
    row_px = max(theme.row_px, int((2.6 * lines + (1.2 if complex_ else 0.8)) * font))
    stamp_rows = trace.spec.out_channels // trace.spec.groups if per_element or c_in == 1 else 1
    units = trace.spec.in_channels + stamp_rows + trace.spec.out_channels + 4.6
    if units * row_px + 280 > theme.max_height:  # many rows: shrink them, and the numbers with them
        row_px = max(8, int((theme.max_height - 280) / units))
        font = min(font, int(row_px / (2.6 * lines + 0.8)))
        show_text = show_text and font >= theme.min_cell_font
    window = trace.spec.dilation * (trace.spec.kernel_size - 1) + 1
    drawn = 1 if options.still else len(spans)  # frames that will be sent
    landings = drawn * (stamp_rows if per_element else trace.spec.out_channels) * trace.spec.kernel_size
    return Plan(trace, options, theme, batch, per_element, spans, show_text, digits, font, row_px,
                full_window=drawn * trace.spec.out_channels * window <= WINDOW_CAP,
                landing_hover=landings <= HOVER_CAP)
