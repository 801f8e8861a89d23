"""Shareable links: what the page shows, written as a query string; and an audit of links coming in.

The link is a pure function of the settings the page was drawn from (``share_query``), built at the end of
the script run, so it can never lag behind the screen. Streamlit silently drops a bound parameter it cannot
use; ``audit`` names each one so the page can say so, and knows every parameter ``share_query`` writes.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ..arguments import ARGUMENTS
from ..errors import ConvSpecError
from ..presets import canonical
from ..stack import parse_stack

MODES = ("Explore", "Quiz", "Presenter")
# Parameters of the page itself (not arguments of the convolution): whole numbers with their range, and texts.
PAGE_INTS = {"calc_channel": (0, 2047), "calc_index": (0, 4095), "step": (0, 65_535)}
PAGE_TEXTS = ("tab", "preset", "stack")
CUSTOM = "(custom)"


def _text(value: Any) -> str:
    """A value as the link writes it (bools as true/false, as Streamlit's bound widgets read them)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def share_query(settings: Mapping[str, Any], page: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The query parameters that reopen exactly this page: every setting that differs from the table's
    default (typed values always), then the page's own state (``mode``, ``tab``, a chosen cell …).

    Example::

        >>> share_query({"stride": 2, "kernel_size": 4, "bias": False, "output_size": None, "preset": "(custom)"},
        ...             {"tab": "Overlap", "mode": "Explore"})
        {'kernel_size': '4', 'bias': 'false', 'tab': 'Overlap'}
    """
    query: dict[str, str] = {}
    for name, value in settings.items():
        if name == "preset":
            if value and value != CUSTOM:
                query[name] = str(value)
            continue
        row = ARGUMENTS.get(name)
        if value is None or row is None or (row.kind != "text" and value == row.default):
            continue
        query[name] = _text(value)
    for name, value in (page or {}).items():
        if value is None or (name == "mode" and value == MODES[0]):
            continue
        query[name] = _text(value)
    return query


def share_link(base: str, settings: Mapping[str, Any], page: Mapping[str, Any] | None = None) -> str:
    """``base?query`` for :func:`share_query` (``base`` alone when everything is at its default)."""
    query = urlencode(share_query(settings, page))
    return f"{base}?{query}" if query else base


def audit(params: Mapping[str, Any], tabs: tuple[str, ...] = ()) -> list[str]:
    """One message per URL parameter that is unknown or invalid (the app falls back to the default).

    Example::

        >>> audit({"stride": "0", "dtype": "float16", "colour": "red", "calc_index": "3"})
        ... # doctest: +NORMALIZE_WHITESPACE
        ['stride=0 in the link must be a whole number from 1 to 8; using the default',
         'dtype=float16 in the link must be one of float32, float64, complex64, complex128; using the default',
         'colour in the link is not a setting of this app; ignored']
    """
    problems = []
    for name, value in params.items():
        text = str(value[-1] if isinstance(value, list) else value)
        row = ARGUMENTS.get(name)
        bounds = PAGE_INTS.get(name) or ((row.minimum or 0, row.cap or 0) if row is not None and row.kind == "int"
                                         else None)
        choices = ("true", "false") if row is not None and row.kind == "bool" else \
            row.choices if row is not None and row.kind == "choice" else MODES if name == "mode" else None
        if bounds is not None:
            low, high = bounds
            if not (text.lstrip("-").isdigit() and low <= int(text) <= high):
                problems.append(f"{name}={text} in the link must be a whole number from {low} to {high}; "
                                f"using the default")
        elif choices is not None:
            if text.lower() not in {c.lower() for c in choices}:
                problems.append(f"{name}={text} in the link must be one of {', '.join(choices)}; using the default")
        elif name == "preset":
            if canonical(text) is None and text != CUSTOM:
                problems.append(f"preset={text} in the link is not a preset of this app; using the default")
        elif name == "tab":
            if tabs and text not in tabs:
                problems.append(f"tab={text} in the link is not a tab; showing the first tab")
        elif name == "stack":
            try:
                parse_stack(text)
            except ConvSpecError as error:
                problems.append(f"stack={text} in the link: {error}; showing the default stack")
        elif not (name in PAGE_TEXTS or (row is not None and row.kind == "text")):
            problems.append(f"{name} in the link is not a setting of this app; ignored")
    return problems
