"""Named configurations as data: the seed blog's examples plus one demo per idea a teacher explains.

A preset is a dict of app settings (the argument names of ``nn.ConvTranspose1d`` plus ``length``, ``seed``,
``batched``, ``batch_size``, ``output_size`` and an optional typed ``input``); the app fills its widgets
from it. No preset is a code path.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .arguments import ARGUMENTS, MODULE_ARGUMENTS

# A fresh page's settings: the defaults of the one table of arguments (the app's, not torch's: stride 2, seed 42).
DEFAULTS: dict[str, Any] = {**{name: ARGUMENTS[name].default for name in (
    *MODULE_ARGUMENTS, "batched", "batch_size", "length", "output_size", "seed")}, "device": "cpu", "input": None}

DEMOS: list[dict[str, Any]] = [
    {"name": "Checkerboard K3 s2",
     "about": "kernel 3 with stride 2 on 6 ones: odd outputs get one tap and even ones two, except the two ends "
              "(outputs 0 and 12), which get one: the checkerboard artefact",
     "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2, "length": 6,
     "input": [[1, 1, 1, 1, 1, 1]]},
    {"name": "Dilation 2", "about": "taps spread two cells apart: the kernel covers 1 + 2·(K-1) cells",
     "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 1, "dilation": 2, "length": 5},
    {"name": "Groups 2", "about": "two independent halves: in-channels 0-1 feed out-channels 0-1 only",
     "in_channels": 4, "out_channels": 4, "kernel_size": 2, "stride": 2, "groups": 2, "length": 4},
    {"name": "Upsample ×2",
     "about": "K 3, s 2, padding 1 gives 2L-1 outputs; output_padding 1 adds the last cell to make 2L",
     "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1,
     "length": 4},
    {"name": "Pick by output_size",
     "about": "forward(x, output_size=8) chooses output_padding 1 from the valid range [7, 8]",
     "in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2, "padding": 1, "length": 4,
     "output_size": 8},
    {"name": "Padding crops edges",
     "about": "padding 2 removes two cells from each end of the full buffer (greyed out)",
     "in_channels": 1, "out_channels": 1, "kernel_size": 4, "stride": 1, "padding": 2, "length": 5},
]


def _complex_aware(values: Any, dtype: str) -> Any:
    """Turn the seed file's innermost ``[real, imag]`` pairs into complex numbers for complex dtypes."""
    if not dtype.startswith("complex"):
        return values
    if len(values) == 2 and all(isinstance(v, (int, float)) for v in values):
        return complex(*values)
    return [_complex_aware(v, dtype) for v in values]


def seed_examples() -> list[dict[str, Any]]:
    """The seed blog's examples (recomputed with torch 2.13.0), as stored in ``convviz/data``."""
    text = resources.files("convviz").joinpath("data/seed_examples.json").read_text()
    return list(json.loads(text)["examples"])


# Short names fit the sidebar's dropdown; the blog's own titles are in each preset's "about". Older links name
# presets by their former titles, which still open them.
BLOG_NAMES = ("Blog 1: 1→3, kernel 1", "Blog 2: all 12 args", "Blog 3: 2→3 channels", "Blog 4: 6→3 channels",
              "Blog 5: 3→3 batched", "Blog 6: complex64", "Blog 7: 3→1 on Blog 1")
FORMER_NAMES = {"Checkerboard (K 3, s 2)": "Checkerboard K3 s2", "Upsample ×2 with output_padding": "Upsample ×2",
                "output_size picks output_padding": "Pick by output_size",
                "Padding crops the edges": "Padding crops edges"}


@cache
def _presets() -> dict[str, dict[str, Any]]:
    presets: dict[str, dict[str, Any]] = {}
    for number, example in enumerate(seed_examples()):
        shape = example["input_shape"]
        name = BLOG_NAMES[number] if number < len(BLOG_NAMES) else f"Blog {number + 1}"
        FORMER_NAMES[f"Blog: {example['name']}"] = name
        presets[name] = {
            **DEFAULTS, "stride": 1, "kernel_size": 1, **example["module"], "dtype": example["dtype"],
            "seed": example["seed"], "batched": len(shape) == 3, "batch_size": shape[0] if len(shape) == 3 else 2,
            "length": shape[-1], "input": _complex_aware(example["input"], example["dtype"]),
            "about": f"the blog's “{example['name']}”; weights from torch.manual_seed({example['seed']})",
        }
    for demo in DEMOS:
        presets[demo["name"]] = {**DEFAULTS, **{k: v for k, v in demo.items() if k != "name"}}
    return presets


def preset_names() -> list[str]:
    """Names in the order the app lists them."""
    return list(_presets())


def canonical(name: str) -> str | None:
    """The preset's current name for ``name`` (its own, or a former one from an older link); None if unknown.

    Example::

        >>> canonical("Groups 2"), canonical("Checkerboard (K 3, s 2)"), canonical("nope")
        ('Groups 2', 'Checkerboard K3 s2', None)
    """
    presets = _presets()
    name = FORMER_NAMES.get(name, name)
    return name if name in presets else None


def preset(name: str) -> dict[str, Any]:
    """A copy of the settings of preset ``name`` or a former name (``KeyError`` for an unknown name)."""
    return dict(_presets()[canonical(name) or name])
