"""Shareable links: the controls live in the URL (widgets bound with ``bind="query-params"``).

Streamlit silently drops a bound parameter it cannot use; ``audit`` names each one so the page can say so.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..presets import preset_names
from ..spec import DTYPES
from .model import CAPS

INTS = {"in_channels": (1, CAPS["in_channels"]), "out_channels": (1, CAPS["out_channels"]),
        "kernel_size": (1, CAPS["kernel_size"]), "stride": (1, CAPS["stride"]), "padding": (0, CAPS["padding"]),
        "output_padding": (0, CAPS["output_padding"]), "groups": (1, 16), "dilation": (1, CAPS["dilation"]),
        "length": (1, CAPS["length"]), "batch_size": (1, CAPS["batch_size"]), "seed": (0, 2**32 - 1),
        "output_size": (1, 2048)}
CHOICES = {"dtype": DTYPES, "input_mode": ("random", "typed"), "weight_mode": ("seeded", "typed"),
           "bias": ("true", "false"), "batched": ("true", "false"), "mode": ("Explore", "Quiz", "Presenter")}
TEXTS = ("input_text", "weight_text", "bias_text", "tab", "preset")


def audit(params: Mapping[str, Any], tabs: tuple[str, ...] = ()) -> list[str]:
    """One message per URL parameter that is unknown or invalid (the app falls back to the default).

    Example::

        >>> audit({"stride": "0", "dtype": "float16", "colour": "red"})  # doctest: +NORMALIZE_WHITESPACE
        ['stride=0 in the link must be a whole number from 1 to 8; using the default',
         'dtype=float16 in the link must be one of float32, float64, complex64, complex128; using the default',
         'colour in the link is not a setting of this app; ignored']
    """
    problems = []
    for name, value in params.items():
        value = value[-1] if isinstance(value, list) else value
        text = str(value)
        if name in INTS:
            low, high = INTS[name]
            if not (text.lstrip("-").isdigit() and low <= int(text) <= high):
                problems.append(f"{name}={text} in the link must be a whole number from {low} to {high}; "
                                f"using the default")
        elif name in CHOICES:
            if text.lower() not in {c.lower() for c in CHOICES[name]}:
                problems.append(f"{name}={text} in the link must be one of {', '.join(CHOICES[name])}; using the "
                                f"default")
        elif name == "preset":
            if text not in preset_names() and text != "(custom)":
                problems.append(f"preset={text} in the link is not a preset of this app; using the default")
        elif name == "tab":
            if tabs and text not in tabs:
                problems.append(f"tab={text} in the link is not a tab; showing the first tab")
        elif name not in TEXTS:
            problems.append(f"{name} in the link is not a setting of this app; ignored")
    return problems
