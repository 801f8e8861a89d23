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

from ...trace import Trace
from ..animation import ROOM_ROWS, AnimationOptions, shrink_rows
from ..base import check_batch
from ..formatting import scale_of, short
from ..geometry import BIAS_PX, CHAR_EM, LEAD_PX, MIN_PICK_PX, Channels, cell_width, fit_text
from ..theme import Theme, pick

RECORD_CAP = 4096          # records per sample above which frames are grouped by input position
WINDOW_CAP = 60_000        # frames × window cells above which frames draw only the cells they change
HOVER_CAP = 8_000          # landing cells over all frames above which landing hover text is left out


@dataclass(frozen=True)
class ScatterOptions(AnimationOptions):
    """Options of the scatter animation: ``batch``, ``large`` and ``max_frames`` (the most element frames
    ``"auto"`` allows before grouping) as for every animation, and

    Args:
        group: ``"auto"`` (one frame per element while it fits, else one per input position),
            ``"element"`` or ``"position"``.
        still: one frame will be drawn, not an animation (size budgets count that one frame only).
    """

    group: str = "auto"
    still: bool = False


@dataclass
class Plan(Channels):
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
    bias_px: float = BIAS_PX         # room right of the cells for the "+ b[o] = …" labels, at the fit width
    lead_px: float = 0.0             # extra room left of cell 0, at the fit width
    stamp_hidden: bool = False       # a still of the result: no weight stamp rows between input and output

    # ---- sizes ---------------------------------------------------------------------------------------
    @property
    def full_length(self) -> int:
        return self.trace.spec.full_length(self.trace.length)

    @property
    def cell_px(self) -> float:
        """Width of one cell in pixels at the theme's fit width (the narrowest the figure must read at)."""
        return cell_width(self.theme, self.full_length, self.bias_px, self.lead_px)

    @property
    def x_range(self) -> list[float]:
        return [-0.6 - self.lead_px / self.cell_px, self.full_length - 0.4 + self.bias_px / self.cell_px]

    @property
    def pick_px(self) -> float:
        """Size of the clickable square over an output cell: the cell, but never smaller than ``MIN_PICK_PX``
        (neighbouring squares may then overlap; a click picks the nearest)."""
        return max(float(MIN_PICK_PX), min(self.row_px, self.cell_px) * 0.92)

    @property
    def input_span(self) -> int:
        """Cells one input element's box spans: 1 (above full position ``i·stride``), or ``stride`` when
        numbers do not fit and the cells are coloured (a one-cell box would be a hairline)."""
        return 1 if self.show_text else self.trace.spec.stride

    @property
    def n_frames(self) -> int:
        return len(self.spans) + 1

    @property
    def complex(self) -> bool:
        return np.iscomplexobj(self.trace.full)

    # ---- rows (the y axis is reversed: row 0 on top) ---------------------------------------------------
    @property
    def stamp_rows(self) -> int:
        """Rows of the weight stamp: one per out-channel of a group when one element plays, else one (none
        in a still of the result, which has no stamp)."""
        if self.stamp_hidden:
            return 0
        return self.group_out if self.weights_shown else 1

    @property
    def weights_shown(self) -> bool:
        """The stamp shows weight values: one element plays (or there is only one in-channel anyway), and
        numbers fit in cells (else one ``taps k`` row; the weights are on hover of the input cells' frames)."""
        return (self.per_element or self.c_in == 1) and self.show_text

    def y_stamp(self, row: np.ndarray | int) -> np.ndarray:
        return self.c_in + 1.0 + np.asarray(row, dtype=float)

    def y_out(self, out_channel: np.ndarray | int) -> np.ndarray:
        gap = 1.2 if self.stamp_hidden else 2.0 + self.stamp_rows
        return self.c_in + gap + np.asarray(out_channel, dtype=float)

    @property
    def y_range(self) -> tuple[float, float]:
        return float(self.y_out(self.c_out - 1)) + 0.6, -2.0  # reversed: bottom first

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
        rows = self.step_rows(0, self.trace.steps_per_batch)
        return max(scale_of(self.trace.full[self.batch]), scale_of(self.trace.output[self.batch]),
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
        """``A[i, o, k]``: what position ``i`` adds (all its channels) at out-channel ``o`` through tap ``k``
        (``Trace.position_adds``). Shape ``(L, C_out, K)``."""
        return self.trace.position_adds(self.batch)

    @cached_property
    def before(self) -> tuple[np.ndarray, np.ndarray]:
        """Window sums from earlier positions (``Trace.window_before``): ``(L, C_out, E)`` and ``(L, E)``."""
        return self.trace.window_before(self.batch)


def _label_px(theme: Theme, trace: Trace, batch_scale: float) -> float:
    """Room for the widest ``+ b[o] = …`` label (a small gap when there is no bias)."""
    if trace.bias is None:
        return 24.0
    text = short(trace.bias, 3, "", batch_scale)
    longest = max(len(v) for v in text.tolist()) + len(f"incl. b[{trace.spec.out_channels - 1}] = ")
    return longest * CHAR_EM * theme.cell_font + 16


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
    complex_ = np.iscomplexobj(trace.full)
    per_step = trace.spec.out_channels // trace.spec.groups * trace.spec.kernel_size
    products = trace.columns["product"][batch * steps * per_step:(batch + 1) * steps * per_step]
    value_scale = max(scale_of(trace.full[batch]), scale_of(trace.output[batch]), scale_of(products))
    bias_px = _label_px(theme, trace, value_scale)
    index_px = 0.6 * (theme.font_size - 2) * len(str(max(trace.length, full_length) - 1)) / 2 + LEAD_PX
    lead_px = max(0.0, index_px - 0.6 * cell_width(theme, full_length, bias_px))
    cell_px = cell_width(theme, full_length, bias_px, lead_px)
    scales = [scale_of(trace.input[batch]), scale_of(trace.weight), value_scale]
    show_text, font, digits = fit_text(theme, cell_px, [v or 1.0 for v in scales], complex_)
    lines = 2 if complex_ else 1
    row_px = max(theme.row_px, int((2.6 * lines + (1.2 if complex_ else 0.8)) * font))
    weights = per_element or c_in == 1
    for _ in range(2):  # again when shrunk rows lose their numbers (the stamp then folds into one row)
        stamp_rows = trace.spec.out_channels // trace.spec.groups if weights and show_text else 1
        rows = trace.spec.in_channels + stamp_rows + trace.spec.out_channels + ROOM_ROWS
        row_px, font, legible = shrink_rows(theme, rows, row_px, font, 2.6 * lines + 0.8)
        if legible:
            break
        show_text = False
    window = trace.spec.dilation * (trace.spec.kernel_size - 1) + 1
    drawn = 1 if options.still else len(spans)  # frames that will be sent
    landings = drawn * (trace.spec.out_channels // trace.spec.groups if per_element else trace.spec.out_channels) \
        * trace.spec.kernel_size
    return Plan(trace, options, theme, batch, per_element, spans, show_text, digits, font, row_px,
                full_window=drawn * trace.spec.out_channels * window <= WINDOW_CAP,
                landing_hover=landings <= HOVER_CAP, bias_px=bias_px, lead_px=lead_px)
