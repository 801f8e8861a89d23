"""Geometry both animations share: rows of unit cells, the kernel stamp that slides on axis ``x2``, fitting
numbers into cells and spacing index labels.

Both the scatter and the gather figure draw rows of unit cells (input on top, the kernel stamp, output at the
bottom; the y axis is reversed so row 0 is on top) and a stamp of one tinted, dashed box per tap with arrows,
drawn once relative to position 0 and slid by shifting ``x2``'s range.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..spec import ConvSpec
from ..trace import Trace
from .cells import ints
from .formatting import decimals
from .theme import HIGHLIGHT, INK, TAP_FILL_ALPHA, Theme, tap_colour, tap_dash, tint

HALF = 0.46                # half a cell, less a hair so neighbouring boxes stay apart
AWAY = 1.0e6               # an x2 shift that puts the stamp out of sight (the result frame)
CHAR_EM = 0.6              # width of one character in ems (Arial; a little generous for digits)
MARGIN_PX = 170            # left (row labels) + right margins
BIAS_PX = 110              # room right of the cells for the "+ b[o] = …" labels (gather; scatter measures them)
LEAD_PX = 14               # room left of cell 0 so its index labels clear the row labels
MIN_PICK_PX = 12           # the smallest clickable square over an output cell, however thin the cells
FILL = 0.85                # the share of a cell's width its text may use
PICK_HOVER_CAP = 4000      # cells above which hover names the cell only (no full-precision value), to save bytes


class Channels:
    """Sizes and rows every animated view reads off its trace; a view's plan sets ``trace``, ``row_px`` and
    defines ``cell_px`` and ``y_range``."""

    trace: Trace
    row_px: int

    @property
    def spec(self) -> ConvSpec:
        return self.trace.spec

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
    def window(self) -> int:
        """``E``: how many cells one kernel spans: ``dilation·(K-1) + 1``."""
        return self.trace.spec.dilation * (self.k_size - 1) + 1

    @property
    def cell_px(self) -> float:
        raise NotImplementedError

    @property
    def y_range(self) -> Any:
        raise NotImplementedError

    @property
    def marker_px(self) -> float:
        """Size of a square marker that fits inside one cell."""
        return max(6.0, min(self.row_px, self.cell_px) * 0.92)

    def y_in(self, in_channel: np.ndarray | int) -> np.ndarray:
        """The input rows come first."""
        return np.asarray(in_channel, dtype=float)

    @property
    def plot_height(self) -> int:
        """Pixels of the plot area (the layout adds its margins)."""
        return int((self.y_range[0] - self.y_range[1]) * self.row_px)


def cell_width(theme: Theme, full_length: int, bias_px: float = BIAS_PX, lead_px: float = 0.0) -> float:
    """Width of one of ``full_length`` cells at the theme's fit width, after the margins and label room."""
    return (theme.fit_width - MARGIN_PX - bias_px - lead_px) / (full_length + 0.2)


def rough_text_fit(theme: Theme, cell_px: float, complex_: bool) -> tuple[bool, int, int]:
    """Whether numbers fit in cells; the font size and significant digits to use (a rough count of
    characters; the gather view's rule)."""
    for digits in (3, 2):
        chars = digits + (4 if complex_ else 3)  # sign, point, a leading zero (+ "j" for complex)
        font = min(theme.cell_font, int(cell_px * 0.9 / (CHAR_EM * chars)))
        if font >= theme.min_cell_font:
            return True, font, digits
    return False, theme.min_cell_font, 2


def text_ems(scale: float, digits: int, complex_: bool) -> float:
    """Width in ems (Arial) of the widest number of a family whose largest magnitude is ``scale``, written
    with ``digits`` significant digits as ``formatting.short`` does, with a sign (one line of a complex
    value: real or imaginary part, the latter with its ``j``).

    Example::

        >>> round(text_ems(0.479, 3, False), 2)  # "-0.135": sign, four digits, a point
        3.11
    """
    places = decimals(scale, digits)
    whole = max(1, int(np.floor(np.log10(scale))) + 1) if scale >= 1 else 1
    return 0.59 + 0.56 * (whole + places) + (0.28 if places else 0.0) + (0.5 if complex_ else 0.0)


def fit_text(theme: Theme, cell_px: float, scales: list[float], complex_: bool) -> tuple[bool, int, int]:
    """Whether the numbers of every family (largest magnitudes ``scales``) fit in cells ``cell_px`` wide;
    the font size and significant digits to use. A large font comes first (3 digits, else 2 at no less than
    80 % of ``cell_font``), then a small one (3, else 2 digits at no less than ``min_cell_font``), else no
    numbers at all (cells coloured instead)."""
    for floor in (max(theme.min_cell_font, 0.8 * theme.cell_font), theme.min_cell_font):
        for digits in (3, 2):
            ems = max(text_ems(scale, digits, complex_) for scale in scales)
            font = min(theme.cell_font, int(cell_px * FILL / ems))
            if font >= floor:
                return True, font, digits
    return False, theme.min_cell_font, 2


def label_every(cell_px: float, font_size: int, n: int, step: int = 1) -> int:
    """Label every ``k``-th of ``n`` positions (``step`` cells of ``cell_px`` apart) so labels of up to four
    digits do not collide.

    Example::

        >>> label_every(10.0, 14, 100)  # three digits and a gap need 34 px: every fourth cell
        4
    """
    room = cell_px * step / (0.6 * font_size * (len(str(n)) + 1))
    return max(1, int(np.ceil(1 / room)))


# ---- the kernel stamp: drawn once relative to position 0 on axis x2 ------------------------------------------
def stamp_width(theme: Theme, cell_px: float) -> float:
    """Line width of the stamp's boxes and arrows: thinner for thin cells."""
    return min(theme.line_width, max(1.0, cell_px / 5))


def tap_path(k: int, x: np.ndarray, width: float, **data: Any) -> dict[str, Any]:
    """Tap ``k``'s boxes and arrows as one filled path on ``x2``, in the tap's colour and dash (``data``: its
    ``y``, which frames update)."""
    return {"type": "scatter", "name": f"tap {k}", "xaxis": "x2", "x": x, **data, "mode": "lines",
            "hoverinfo": "skip", "fill": "toself", "fillcolor": tint(tap_colour(k), TAP_FILL_ALPHA),
            "line": {"color": tap_colour(k), "width": width, "dash": tap_dash(k)}}


def arrow_heads(x: np.ndarray, angle: np.ndarray, k_size: int, width: float, **data: Any) -> dict[str, Any]:
    """Two arrowheads per tap (``x``, ``angle`` in screen degrees clockwise from up), in the taps' colours."""
    return {"type": "scatter", "name": "heads", "xaxis": "x2", "x": x, **data, "mode": "markers",
            "hoverinfo": "skip", "marker": {"symbol": "arrow", "size": 4 + 3 * width, "angle": angle,
                                            "color": [tap_colour(k) for k in range(k_size) for _ in (0, 1)]}}


def stamp_text(name: str, x: np.ndarray, y: np.ndarray, theme: Theme, cell_font: int, **data: Any) -> dict[str, Any]:
    """The stamp's ``k`` labels and weights (``data``: ``text`` and ``hovertext``)."""
    return {"type": "scatter", "name": name, "xaxis": "x2", "x": ints(x), "y": y, **data, "mode": "text",
            "hoverinfo": "text", "textfont": {"size": max(theme.min_cell_font, cell_font - 2), "color": INK}}


def highlight_box(name: str, x: np.ndarray, **data: Any) -> dict[str, Any]:
    """A thick box on ``x2`` around the cell(s) being read or written (``data``: its ``y``)."""
    return {"type": "scatter", "name": name, "xaxis": "x2", "x": x.astype(np.float32), **data, "mode": "lines",
            "hoverinfo": "skip", "line": {"width": 4, "color": HIGHLIGHT}}
