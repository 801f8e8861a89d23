"""``ConvSpec``: every argument of ``nn.ConvTranspose1d``, validated once, with clear messages.

Every rule torch enforces (in the constructor or the forward) is checked here, so the engine, the trace
and the app can trust a ``ConvSpec`` and never see an obscure failure deeper down.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .arguments import ARGUMENTS, DTYPES, MODULE_INTS
from .errors import ConvSpecError
from .shapes import full_length, output_length, output_size_range

NP_DTYPES = {name: np.dtype(name) for name in DTYPES}
PADDING_MODES = ("zeros",)


def as_int(name: str, value: Any, minimum: int, hint: int | None = None) -> int:
    """``value`` as a plain int ``>= minimum``; accepts an int or a 1-element tuple/list of one (torch's
    ``_single``). Rejects bools, floats, NaN and strings with a message naming ``name`` (suggesting ``hint``,
    or the nearest sensible int)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ConvSpecError(f"{name}={value!r} must be an int or a 1-element tuple for a 1-D convolution; "
                                f"use {name}=({value[0] if value else minimum},)")
        value = value[0]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if hint is None:
            hint = (int(value) if isinstance(value, float) and math.isfinite(value) else
                    int(value) if isinstance(value, str) and value.strip().lstrip("+-").isdigit() else minimum)
        raise ConvSpecError(f"{name}={value!r} must be a whole number (an int, not "
                            f"{type(value).__name__}); use {name}={max(hint, minimum)}")
    value = int(value)
    if value < minimum:
        rule = "positive" if minimum == 1 else "zero or more"
        raise ConvSpecError(f"{name}={value} must be {rule}; use {name}>={minimum}")
    return value


def as_dtype(value: Any, name: str = "dtype") -> np.dtype:
    """A supported dtype from ``"float32"``, ``"torch.float32"``, ``torch.float32``, ``np.float32`` or a NumPy
    dtype (torch's dtypes are read by name: torch is never imported here)."""
    text = value if isinstance(value, str) else str(value) if type(value).__module__ == "torch" else None
    if text is not None:
        text = text.removeprefix("torch.")
        text = {"float": "float32", "double": "float64", "cfloat": "complex64", "cdouble": "complex128"}.get(
            text, text)
    try:
        dtype = np.dtype(text if text is not None else value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.name not in DTYPES:
        raise ConvSpecError(f"{name}={value!r} is not supported; use one of {', '.join(DTYPES)}")
    return dtype


def as_device(value: Any) -> str:
    """``None`` or ``"cpu"`` (convviz computes with NumPy on the CPU)."""
    if value is None or str(value) == "cpu":
        return "cpu"
    raise ConvSpecError(f"device={value!r} is not supported: convviz computes on the CPU; use device='cpu' or None")


@dataclass(frozen=True)
class ConvSpec:
    """All arguments of ``nn.ConvTranspose1d``, validated on construction.

    Example::

        >>> spec = ConvSpec(1, 3, kernel_size=3, stride=2)
        >>> spec.kernel_size, spec.output_length(6)
        (3, 13)
    """

    in_channels: int
    out_channels: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    output_padding: int = 0
    groups: int = 1
    bias: bool = True
    dilation: int = 1
    padding_mode: str = "zeros"
    dtype: Any = "float32"

    def __post_init__(self) -> None:
        fix = object.__setattr__
        for name in MODULE_INTS:  # the minimums of the one table of arguments
            fix(self, name, as_int(name, getattr(self, name), ARGUMENTS[name].minimum or 0))
        if not isinstance(self.bias, (bool, np.bool_)):
            raise ConvSpecError(f"bias={self.bias!r} must be True or False; use bias=True")
        fix(self, "bias", bool(self.bias))
        fix(self, "dtype", as_dtype(self.dtype).name)
        if self.padding_mode not in PADDING_MODES:
            raise ConvSpecError(f"padding_mode={self.padding_mode!r} is not supported by transposed convolution "
                                f"(torch only pads with zeros there); use padding_mode='zeros'")
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) % self.groups:
                both = math.gcd(self.in_channels, self.out_channels)
                fits = " or ".join(f"groups={g}" for g in range(1, both + 1) if both % g == 0)
                raise ConvSpecError(f"groups={self.groups} must divide {name} ({getattr(self, name)}); use "
                                    f"{fits} (a groups that divides both in_channels and out_channels)")
        if self.output_padding >= max(self.stride, self.dilation):
            raise ConvSpecError(
                f"output_padding={self.output_padding} must be smaller than stride ({self.stride}) or dilation "
                f"({self.dilation}); use output_padding <= {max(self.stride, self.dilation) - 1} or raise stride")

    @property
    def np_dtype(self) -> np.dtype:
        return NP_DTYPES[self.dtype]

    @property
    def weight_shape(self) -> tuple[int, int, int]:
        """``(in_channels, out_channels // groups, kernel_size)``."""
        return self.in_channels, self.out_channels // self.groups, self.kernel_size

    def full_length(self, length: int) -> int:
        """Length of the uncropped buffer (before padding crops it)."""
        return full_length(length, self.kernel_size, self.stride, self.output_padding, self.dilation)

    def output_length(self, length: int) -> int:
        """``L_out`` for an input of ``length`` samples (may be < 1 for an invalid combination)."""
        return output_length(length, self.kernel_size, self.stride, self.padding, self.output_padding,
                             self.dilation)

    def output_size_range(self, length: int) -> tuple[int, int]:
        return output_size_range(length, self.kernel_size, self.stride, self.padding, self.dilation)

    def check_length(self, length: int) -> None:
        """Raise unless an input of ``length`` samples gives an output of at least one sample."""
        if length < 1:
            raise ConvSpecError(f"input length={length} must be at least 1; give the input at least one sample")
        out = self.output_length(length)
        if out < 1:
            raise ConvSpecError(
                f"padding={self.padding} crops the whole output: for input length {length} the output length "
                f"({length}-1)·{self.stride} - 2·{self.padding} + {self.dilation}·({self.kernel_size}-1) + "
                f"{self.output_padding} + 1 = {out} is below 1; reduce padding or use a longer input")

    def with_output_size(self, length: int, output_size: Any, batched: bool | None = None) -> ConvSpec:
        """This spec with ``output_padding`` chosen so the output has ``output_size`` samples (torch's rule:
        the module's ``output_padding`` is ignored then). Accepts an int, ``(L,)``, or the full output shape
        (``(N, C, L)`` for batched input, ``(C, L)`` for unbatched; either when ``batched`` is None)."""
        if output_size is None:
            return self
        if isinstance(output_size, (tuple, list)) and len(output_size) != 1:
            full = (3,) if batched else (2,) if batched is not None else (2, 3)
            if len(output_size) not in full:
                shape = "(N, C_out, L)" if batched else "(C_out, L)" if batched is not None else "a full shape"
                length_hint = output_size[-1] if len(output_size) else "L"
                raise ConvSpecError(f"output_size={output_size!r} must be the output length L, (L,) or {shape}; "
                                    f"use output_size=({length_hint},)")
            output_size = output_size[-1]
        low, high = self.output_size_range(length)
        size = as_int("output_size", output_size, 1, hint=low)
        if not low <= size <= high:
            valid = f"is {low}; use output_size={low}" if low == high else \
                f"are {low} to {high}; use output_size between {low} and {high}"
            raise ConvSpecError(f"output_size={size} is out of range: for input length {length} the valid "
                                f"{'size' if low == high else 'sizes'} {valid}")
        smallest = self.output_length(length) - self.output_padding
        return ConvSpec(**{**self.__dict__, "output_padding": size - smallest})

    def as_kwargs(self) -> dict[str, Any]:
        """The arguments as a dict, named as ``nn.ConvTranspose1d`` names them (dtype as a string)."""
        return dict(self.__dict__)


def check_input(spec: ConvSpec, input: Any, *, convert: bool = False,
                output_size: Any = None) -> tuple[np.ndarray, bool]:
    """``input`` as an ``(N, C_in, L)`` array and whether it was batched (3-D).

    With ``convert=True`` a non-array (a nested list) is converted to ``spec``'s dtype; an array must already
    have it, as in torch. The output length is checked here unless an ``output_size`` will choose it (then
    ``spec.with_output_size`` checks it).
    """
    if convert and not isinstance(input, np.ndarray):
        try:
            input = np.asarray(input, dtype=spec.np_dtype)
        except (TypeError, ValueError) as error:
            raise ConvSpecError(f"input could not be read as numbers ({error}); give a nested list of numbers "
                                f"shaped (in_channels, length) or (batch, in_channels, length)") from None
    array = np.asarray(input)
    if array.ndim not in (2, 3):
        raise ConvSpecError(f"input of shape {tuple(array.shape)} must be 2-D (in_channels, length) or 3-D "
                            f"(batch, in_channels, length); reshape it, e.g. x[None] adds a channel axis")
    if array.dtype != spec.np_dtype:
        raise ConvSpecError(f"input dtype {array.dtype} must match the weight dtype {spec.dtype}; convert the "
                            f"input with .astype('{spec.dtype}') or set dtype='{array.dtype}'"
                            if array.dtype.name in DTYPES else
                            f"input dtype {array.dtype} is not supported; convert it with .astype('{spec.dtype}')")
    batched = array.ndim == 3
    x = array if batched else array[None]  # (N, C_in, L)
    if x.shape[1] != spec.in_channels:
        raise ConvSpecError(f"input has {x.shape[1]} channels (shape {tuple(array.shape)}) but in_channels="
                            f"{spec.in_channels}; give the input {spec.in_channels} channels along dim "
                            f"{1 if batched else 0} or set in_channels={x.shape[1]}")
    if output_size is None or x.shape[2] < 1:
        spec.check_length(x.shape[2])
    return x, batched


def check_bias(spec: ConvSpec, bias: Any) -> np.ndarray | None:
    """``bias`` as a ``(C_out,)`` array of ``spec``'s dtype, or None."""
    if bias is None:
        return None
    array = np.asarray(bias)
    if array.shape != (spec.out_channels,):
        raise ConvSpecError(f"bias of shape {tuple(array.shape)} must have shape ({spec.out_channels},), one "
                            f"value per out_channel; give {spec.out_channels} values or bias=None")
    if array.dtype != spec.np_dtype:
        raise ConvSpecError(f"bias dtype {array.dtype} must match the weight dtype {spec.dtype}; convert it "
                            f"with .astype('{spec.dtype}')")
    return array


def spec_from_weight(weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                     groups: Any = 1, dilation: Any = 1) -> tuple[ConvSpec, np.ndarray]:
    """The functional API's arguments as a ``ConvSpec`` (channels and kernel read off the weight).

    Calls with plain ints (the common case) reuse the spec validated for the same shapes and arguments, so
    validation costs little on tiny inputs.
    """
    w = np.asarray(weight)
    args = (stride, padding, output_padding, groups, dilation)
    if type(stride) is type(padding) is type(output_padding) is type(groups) is type(dilation) is int:
        return _cached_spec(w.shape, w.dtype, bias is not None, *args), w  # not for bools, tuples, np.int64
    return _weight_spec(w.shape, w.dtype, bias is not None, *args), w


def _weight_spec(shape: tuple[int, ...], dtype: np.dtype, has_bias: bool, stride: Any, padding: Any,
                 output_padding: Any, groups: Any, dilation: Any) -> ConvSpec:
    if len(shape) != 3 or 0 in shape:
        raise ConvSpecError(f"weight of shape {shape} must be 3-D (in_channels, out_channels // groups, "
                            f"kernel_size) with no empty axis; reshape it")
    dtype = as_dtype(dtype, "weight dtype")
    groups = as_int("groups", groups, 1)
    if shape[0] % groups:
        raise ConvSpecError(f"groups={groups} must divide in_channels ({shape[0]}, the weight's first axis); "
                            f"use a groups that divides {shape[0]}")
    return ConvSpec(shape[0], shape[1] * groups, shape[2], stride, padding, output_padding, groups, has_bias,
                    dilation, "zeros", dtype.name)


_cached_spec = lru_cache(maxsize=256)(_weight_spec)
