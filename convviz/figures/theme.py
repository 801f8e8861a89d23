"""Colours, cues and sizes shared by every figure: readable from the back of a classroom, colour-blind safe.

Colour is never the only cue: taps also differ by line dash and by the ``k0``, ``k1`` … labels; groups
also differ by the ``g0``, ``g1`` … labels; cropped cells are hatched and labelled, not only grey.

Numbers are always near-black (``INK``) on light tints: a tap's colour marks its box border, arrow and
fill, never its text (orange or green text on a tint is unreadable on a projector). ``contrast`` computes the
WCAG contrast ratio the tests hold text to (at least 4.5:1).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
# Tap order: strong colours first; yellow last (weak on white, so it also gets a dash and a label).
TAP_COLOURS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
TAP_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GROUP_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "hexagon", "star", "cross")
INK = "#1a1a1a"         # text
MUTED = "#6b6b6b"       # secondary text (cropped values, notes)
GRID = "#9a9a9a"        # cell borders
CROPPED = "rgba(120,120,120,0.22)"  # grey veil over cells that padding crops away
CROPPED_HATCH = "rgba(90,90,90,0.35)"  # its hatching lines (thin and light: numbers stay readable on them)
TAP_FILL_ALPHA = 0.22   # opacity of a tap's colour inside its stamp and landing boxes
HIGHLIGHT = "#000000"   # the active input element / highlighted row
DIVERGING = [[0.0, "#2166AC"], [0.5, "#F7F7F7"], [1.0, "#B2182B"]]  # blue–white–red, with a neutral middle
SEQUENTIAL = [[0.0, "#F7F7F7"], [1.0, "#2166AC"]]


@dataclass(frozen=True)
class Theme:
    """Sizes in pixels. ``DEFAULT`` for a laptop, ``PRESENTER`` for a projector."""

    font_size: int = 15       # axis labels, legends
    title_size: int = 18
    cell_font: int = 15       # numbers inside cells (shrunk to fit narrow cells, never below min_cell_font)
    min_cell_font: int = 10
    width: int = 1100         # the width figures are laid out for (the app may stretch them)
    fit_width: int = 1000     # the narrowest width cell text must still fit (the app's column may be narrower)
    row_px: int = 46          # height of one cell row
    line_width: float = 2.5
    max_height: int = 1500

    def scaled(self, factor: float) -> Theme:
        return replace(self, font_size=round(self.font_size * factor), title_size=round(self.title_size * factor),
                       cell_font=round(self.cell_font * factor), min_cell_font=round(self.min_cell_font * factor),
                       row_px=round(self.row_px * factor), line_width=self.line_width * factor)


DEFAULT = Theme()
PRESENTER = replace(DEFAULT.scaled(1.35), width=1400, fit_width=1200, max_height=2000)


def pick(large: bool) -> Theme:
    """``PRESENTER`` when ``large`` else ``DEFAULT``."""
    return PRESENTER if large else DEFAULT


def tap_colour(tap: int) -> str:
    return TAP_COLOURS[tap % len(TAP_COLOURS)]


def tap_dash(tap: int) -> str:
    return TAP_DASHES[tap % len(TAP_DASHES)]


def group_colour(group: int) -> str:
    return GROUP_COLOURS[group % len(GROUP_COLOURS)]


def group_symbol(group: int) -> str:
    return GROUP_SYMBOLS[group % len(GROUP_SYMBOLS)]


def tint(colour: str, alpha: float) -> str:
    """``#RRGGBB`` as ``rgba(r,g,b,alpha)``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def rgb(colour: str) -> tuple[float, float, float, float]:
    """``#RRGGBB`` or ``rgba(r,g,b,a)`` as ``(r, g, b, alpha)`` with channels 0…255."""
    if colour.startswith("#"):
        return (*(float(int(colour[i:i + 2], 16)) for i in (1, 3, 5)), 1.0)  # type: ignore[return-value]
    parts = [float(v) for v in colour[colour.index("(") + 1:-1].split(",")]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def over(*layers: str) -> str:
    """The opaque colour of ``layers`` painted in order on white (later layers on top), as ``#RRGGBB``."""
    r = g = b = 255.0
    for layer in layers:
        lr, lg, lb, a = rgb(layer)
        r, g, b = lr * a + r * (1 - a), lg * a + g * (1 - a), lb * a + b * (1 - a)
    return "#" + "".join(f"{round(v):02X}" for v in (r, g, b))


def contrast(text: str, fill: str) -> float:
    """WCAG 2 contrast ratio of opaque colours ``text`` on ``fill`` (1 to 21; body text needs 4.5).

    Example::

        >>> round(contrast("#000000", "#FFFFFF"), 1), round(contrast(INK, over(tint(TAP_COLOURS[0], 0.22))), 1)
        (21.0, 14.6)
    """
    def luminance(colour: str) -> float:
        channels = [v / 255 for v in rgb(colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(text), luminance(fill)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(fill: str) -> str:
    """``INK`` or white, whichever reads better on ``fill`` (for text on saturated bars)."""
    return INK if contrast(INK, over(fill)) >= contrast("#FFFFFF", over(fill)) else "#FFFFFF"


def base_layout(theme: Theme, title: str, height: int, **extra: Any) -> dict[str, Any]:
    """A plain white layout with large fonts (no default template: it adds ~9 kB to every figure)."""
    layout: dict[str, Any] = {
        "template": {"layout": {}},
        "title": {"text": title, "font": {"size": theme.title_size}, "x": 0.01, "xanchor": "left"},
        "font": {"family": "Arial, Helvetica, sans-serif", "size": theme.font_size, "color": INK},
        "paper_bgcolor": "white", "plot_bgcolor": "white", "width": theme.width, "height": height,
        "hoverlabel": {"font": {"size": theme.font_size, "family": "monospace"}, "bgcolor": "white"},
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def row_label(text: str, group: int, groups: int) -> str:
    """A y-axis row label; with several groups, a square in the group's colour and ``· g<group>``."""
    if groups == 1:
        return text
    return f"<span style='color:{group_colour(group)}'>■</span> {text} · g{group}"


def factor(text: str) -> str:
    """``text`` ready to multiply: negative and complex numbers in parentheses."""
    return f"({text})" if text.startswith("-") or "j" in text else text
