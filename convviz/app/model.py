"""From the app's settings to arrays and a trace: pure functions, no Streamlit (easy to test and cache)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..arguments import CAPS, MODULE_ARGUMENTS
from ..errors import ConvSpecError
from ..init import init_parameters
from ..spec import ConvSpec
from ..trace import Trace, trace
from ..values import parse_values, to_array

MAX_CONTRIBUTIONS = 65_536  # batch · length · in_channels · out_channels/groups · kernel_size
ARGUMENTS = MODULE_ARGUMENTS


@dataclass(frozen=True)
class Built:
    """Everything the panels show for one configuration."""

    spec: ConvSpec  # with output_padding as output_size chose it
    input: np.ndarray  # (C_in, L) or (N, C_in, L), as typed or drawn
    weight: np.ndarray  # (C_in, C_out/groups, K)
    bias: np.ndarray | None  # (C_out,)
    trace: Trace
    seeded: bool  # weights from torch.manual_seed(seed) rather than typed
    random_input: bool = False  # input drawn from the seed rather than typed


def random_input(seed: int, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Small integers -5..5 (easy to check by hand), drawn reproducibly from ``seed``."""
    rng = np.random.default_rng(seed)
    values = rng.integers(-5, 6, size=shape).astype(np.float64)
    if dtype.startswith("complex"):
        values = values + 1j * rng.integers(-5, 6, size=shape)
    return values.astype(dtype)


def check_caps(settings: dict[str, Any], length: int, batch: int) -> None:
    """Keep one configuration from stalling a shared server; say which cap and what to change."""
    for name, cap in CAPS.items():
        value = length if name == "length" else batch if name == "batch_size" else settings.get(name, 0)
        if value > cap:
            raise ConvSpecError(f"{name}={value} is above this server's cap of {cap}; use {name} <= {cap}")
    spec_groups = max(1, settings["groups"])
    work = batch * length * settings["in_channels"] * (settings["out_channels"] // spec_groups) * \
        settings["kernel_size"]
    if work > MAX_CONTRIBUTIONS:
        raise ConvSpecError(f"this configuration has {work:,} contributions (batch·length·in_channels·"
                            f"out_channels/groups·kernel_size), above the cap of {MAX_CONTRIBUTIONS:,}; "
                            f"use fewer channels, a shorter input or a smaller kernel")


def build(settings: dict[str, Any]) -> Built:
    """Validate the settings, make the input and weights, and trace the convolution.

    Raises:
        ConvSpecError: with the argument, the value, the rule and the fix.
    """
    spec = ConvSpec(**{name: settings[name] for name in ARGUMENTS})
    if settings.get("input_mode") == "typed":
        x = to_array(parse_values(settings["input_text"], "input"), spec.dtype, "input")
    else:
        shape = (settings["in_channels"], settings["length"])
        x = random_input(settings["seed"], (settings["batch_size"], *shape) if settings["batched"] else shape,
                         spec.dtype)
    check_caps(settings, x.shape[-1], x.shape[0] if x.ndim == 3 else 1)
    seeded = settings.get("weight_mode") != "typed"
    if seeded:
        weight, bias = init_parameters(spec.in_channels, spec.out_channels, spec.kernel_size, spec.groups,
                                       spec.bias, spec.np_dtype, settings["seed"])
    else:
        weight = to_array(parse_values(settings["weight_text"], "weight"), spec.dtype, "weight", (3,))
        bias = to_array(parse_values(settings["bias_text"], "bias")[0], spec.dtype, "bias", (1,)) \
            if spec.bias else None
        if weight.shape != spec.weight_shape:
            raise ConvSpecError(f"weight has shape {weight.shape} but in_channels, out_channels/groups and "
                                f"kernel_size need {spec.weight_shape}; type {spec.weight_shape[0]} blocks of "
                                f"{spec.weight_shape[1]} rows of {spec.weight_shape[2]} values")
    spec = spec.with_output_size(x.shape[-1], settings.get("output_size"))
    t = trace(x, weight, bias, spec.stride, spec.padding, spec.output_padding, spec.groups, spec.dilation)
    return Built(spec, x, weight, bias, t, seeded, settings.get("input_mode") != "typed")


def settings_key(settings: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A hashable, order-independent key for caching on the settings (the preset's name changes nothing)."""
    return tuple(sorted((k, v) for k, v in settings.items() if k != "preset"))
