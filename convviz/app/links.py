"""Links: what the page shows, written as a query string; and the link a session opens with, read back.

Pure functions (no Streamlit). ``share_query`` is the page's one writer of the URL: ``main`` puts its result in
the address bar and in the Share link at the end of every run, so neither can lag behind the screen.
``read_link`` is the one reader: the values a link sets (typed, validated) and one sentence for each parameter
it ignores; ``audit`` is those sentences alone. Before either reads a value, ``sized`` measures it against its
field's limit (``convviz.limits``): one pasted link must not stall a class on a shared server.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ..arguments import ARGUMENTS
from ..errors import ConvSpecError
from ..limits import check_text_size
from ..presets import canonical
from ..stack import format_stack, parse_stack
from .keys import CALC_CHANNEL, CALC_INDEX, CUSTOM, MODE, PORT_ARGS, PORT_FROM, PRESET, STACK, STEP, TAB

MODES = ("Explore", "Quiz", "Presenter")
# Parameters of the page itself (not arguments of the convolution): whole numbers with their range, and texts.
PAGE_INTS = {CALC_CHANNEL: (0, 2047), CALC_INDEX: (0, 4095), STEP: (0, 65_535)}
PAGE_TEXTS = (TAB, PRESET, STACK, PORT_FROM, PORT_ARGS)  # the Port view checks its own
# The field (convviz.limits) whose limit a link parameter's value is measured against; any other is one value.
LINK_FIELDS = {"input_text": "input", "weight_text": "weight", "bias_text": "bias", STACK: "stack",
               PORT_ARGS: "layer"}


def _text(value: Any) -> str:
    """A value as the link writes it (bools as true/false)."""
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
        if name == PRESET:
            if value and value != CUSTOM:
                query[name] = str(value)
            continue
        row = ARGUMENTS.get(name)
        if value is None or row is None or (row.kind != "text" and value == row.default):
            continue
        query[name] = _text(value)
    for name, value in (page or {}).items():
        if value is None or (name == MODE and value == MODES[0]):
            continue
        query[name] = _text(value)
    return query


def share_link(base: str, query: Mapping[str, str]) -> str:
    """``base?query`` (``base`` alone for an empty query)."""
    text = urlencode(dict(query))
    return f"{base}?{text}" if text else base


def _read(name: str, text: str, tabs: tuple[str, ...]) -> tuple[Any, str | None]:
    """(the value ``name=text`` sets, None) or (None, why it is ignored)."""
    row = ARGUMENTS.get(name)
    bounds = PAGE_INTS.get(name) or ((row.minimum or 0, row.cap or 0) if row is not None and row.kind == "int"
                                     else None)
    choices = ("true", "false") if row is not None and row.kind == "bool" else \
        row.choices if row is not None and row.kind == "choice" else MODES if name == MODE else None
    if bounds is not None:
        low, high = bounds
        if not (text.lstrip("-").isdigit() and low <= int(text) <= high):
            return None, f"{name}={text} in the link must be a whole number from {low} to {high}; using the default"
        return int(text), None
    if choices is not None:
        chosen = [c for c in choices if c.lower() == text.lower()]
        if not chosen:
            return None, f"{name}={text} in the link must be one of {', '.join(choices)}; using the default"
        return (chosen[0] == "true") if choices == ("true", "false") else chosen[0], None
    if name == PRESET:
        found = CUSTOM if text == CUSTOM else canonical(text)
        if found is None:
            return None, f"preset={text} in the link is not a preset of this app; using the default"
        return found, None
    if name == TAB:
        if tabs and text not in tabs:
            return None, f"tab={text} in the link is not a tab; showing the first tab"
        return text, None
    if name == STACK:
        try:
            return format_stack(*parse_stack(text)), None
        except ConvSpecError as error:
            return None, f"stack={text} in the link: {error}; showing the default stack"
    if name in PAGE_TEXTS or (row is not None and row.kind == "text"):
        return text, None
    return None, f"{name} in the link is not a setting of this app; ignored"


def _last(value: Any) -> str:
    """A parameter's value as the page reads it (the last of a repeated one)."""
    return str(value[-1] if isinstance(value, list) else value)


def sized(params: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parameters whose values are no longer than their field allows, and one sentence for each that is,
    naming it, its size, the limit and why (those are dropped unread: the page uses the default for them).

    Example::

        >>> kept, refused = sized({"stride": "2", "input_text": "1" * 600_000})
        >>> kept, refused[0].split(" (")[0]
        ({'stride': '2'}, 'input_text in the link: 600,000 characters is more than the 524,544 this field accepts')
    """
    kept: dict[str, Any] = {}
    refused = []
    for name, value in params.items():
        try:
            check_text_size(LINK_FIELDS.get(name, "value"), _last(value), f"{name} in the link")
        except ConvSpecError as error:
            refused.append(f"{error}; using the default")
            continue
        kept[name] = value
    return kept, refused


def read_link(params: Mapping[str, Any], tabs: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[str]]:
    """The values a link sets (typed: ints, bools, the canonical choice or preset name) and one message per
    parameter that is unknown or invalid (the page falls back to the default for it).

    Example::

        >>> read_link({"stride": "3", "bias": "false", "dtype": "Float64", "colour": "red"})
        ({'stride': 3, 'bias': False, 'dtype': 'float64'}, ['colour in the link is not a setting of this app; ignored'])
    """
    values: dict[str, Any] = {}
    problems = []
    for name, value in params.items():
        read, problem = _read(name, _last(value), tabs)
        if problem is None:
            values[name] = read
        else:
            problems.append(problem)
    return values, problems


def audit(params: Mapping[str, Any], tabs: tuple[str, ...] = ()) -> list[str]:
    """One message per URL parameter that is unknown or invalid (the app falls back to the default).

    Example::

        >>> audit({"stride": "0", "dtype": "float16", "colour": "red", "calc_index": "3"})
        ... # doctest: +NORMALIZE_WHITESPACE
        ['stride=0 in the link must be a whole number from 1 to 8; using the default',
         'dtype=float16 in the link must be one of float32, float64, complex64, complex128; using the default',
         'colour in the link is not a setting of this app; ignored']
    """
    return read_link(params, tabs)[1]
