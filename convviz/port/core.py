"""What every port shares: a layer as a window on the full transposed convolution, and the one
``nn.ConvTranspose1d`` plus slice that reproduces a window.

Every framework's 1-D transposed convolution (the kernel laid out its own way) computes the same full
buffer as PyTorch, ``full[j] = Σ x[i]·w[k]`` over ``j = i·stride + k·dilation``, of length
``N = (L − 1)·stride + dilation·(K − 1) + 1``, and keeps a window of it: it drops ``start`` cells at the
start and ``end`` at the end (a negative number adds that many zeros instead). PyTorch's window is
``start = padding``, ``end = padding − output_padding`` with ``0 <= output_padding < max(stride, dilation)``;
a slice after the layer drops more. So a window is one PyTorch layer plus a crop exactly when
``start >= 0`` and ``end >= −(max(stride, dilation) − 1)``: PyTorch cannot put zeros before the first
sample, and adds at most ``max(stride, dilation) − 1`` after the last (with the framework's kernel: a kernel
padded with zero taps could, and the error says so).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConvSpecError
from ..shapes import full_length
from ..spec import ConvSpec, as_int

FRAMEWORKS = ("keras", "jax", "onnx")
NAMES = {"keras": "Keras", "jax": "JAX", "onnx": "ONNX", "torch": "PyTorch"}


@dataclass(frozen=True)
class Window:
    """Cells a layer drops from each end of the full buffer (negative: zeros it adds there)."""

    start: int
    end: int

    def length(self, full: int) -> int:
        return full - self.start - self.end


@dataclass(frozen=True)
class Layout:
    """How a framework stores the kernel: ``torch_weight = (w[::-1] if flip else w).transpose(axes)``.

    Example::

        >>> keras = Layout("(kernel_size, filters, in_channels)", False, (2, 1, 0))
        >>> keras.to_torch(np.zeros((4, 3, 2))).shape, keras.expression("w")
        ((2, 3, 4), 'w.transpose(2, 1, 0)')
    """

    shape: str
    flip: bool
    axes: tuple[int, int, int]

    def to_torch(self, kernel: np.ndarray) -> np.ndarray:
        w = np.asarray(kernel)
        return (w[::-1] if self.flip else w).transpose(self.axes).copy()  # a copy: torch refuses negative strides

    def from_torch(self, weight: np.ndarray) -> np.ndarray:
        w = np.asarray(weight).transpose(np.argsort(self.axes))
        return (w[::-1] if self.flip else w).copy()

    def expression(self, name: str) -> str:
        """The NumPy expression of :meth:`to_torch` on a variable ``name``."""
        text = f"{name}[::-1]" if self.flip else name
        return text if self.axes == (0, 1, 2) else f"{text}.transpose{self.axes}"

    def inverse_expression(self, name: str) -> str:
        """The NumPy expression of :meth:`from_torch` on a variable ``name``."""
        axes = tuple(int(a) for a in np.argsort(self.axes))
        text = name if axes == (0, 1, 2) else f"{name}.transpose{axes}"
        return f"{text}[::-1]" if self.flip else text


TORCH_LAYOUT = Layout("(in_channels, out_channels/groups, kernel_size)", False, (0, 1, 2))


def refusal(framework: str, window: Window, reach: int, fix_kernel: bool = True) -> str | None:
    """Why no ``nn.ConvTranspose1d`` with this kernel plus a slice gives ``window`` (None when one does).

    ``reach`` is ``max(stride, dilation) − 1``, the most zeros ``output_padding`` can add at the end.
    """
    name = NAMES[framework]
    if window.start < 0:
        zeros = -window.start
        return (f"this {name} layer puts {zeros} zero{'s' * (zeros > 1)} before the first sample, and "
                f"nn.ConvTranspose1d never adds cells at the start (padding only crops); nearest fix: "
                f"torch.nn.functional.pad(y, ({zeros}, 0)) after the layer"
                + (" (or zero taps prepended to the kernel)" if fix_kernel else ""))
    if window.end < -reach:
        zeros = -window.end
        return (f"this {name} layer puts {zeros} zeros after the last sample, and output_padding adds at most "
                f"max(stride, dilation) − 1 = {reach}; nearest fix: torch.nn.functional.pad(y, (0, "
                f"{zeros - reach})) after a layer with output_padding={reach}")
    return None


def torch_layer(window: Window, reach: int) -> tuple[int, int, tuple[int, int]]:
    """``(padding, output_padding, crop)`` of the PyTorch layer and slice that keep ``window``: exact
    (crop ``(0, 0)``) when ``0 <= start − end <= reach``, else the smallest crop.

    Example::

        >>> torch_layer(Window(1, 2), reach=0)  # Keras 'same', K 4, stride 1: the extra cell at the end
        (1, 0, (0, 1))
    """
    a, b = window.start, window.end
    if 0 <= a - b <= reach:
        return a, a - b, (0, 0)
    if a < b:  # more to drop at the end: crop it there
        return a, 0, (0, b - a)
    padding = b + reach  # more to drop at the start: output_padding as large as it goes
    return padding, reach, (a - padding, 0)


def torch_window(padding: int, output_padding: int) -> Window:
    return Window(padding, padding - output_padding)


def crop_for(produced: Window, wanted: Window) -> tuple[int, int] | None:
    """The slice that turns the produced layer's window into the wanted one (None: it would have to add)."""
    crop = (wanted.start - produced.start, wanted.end - produced.end)
    return crop if min(crop) >= 0 else None


def crop_text(crop: tuple[int, int]) -> str:
    """``[:, :, start:-end]`` (or ``""`` for no crop): the slice on an ``(N, C, L)`` output."""
    start, end = crop
    if crop == (0, 0):
        return ""
    return f"[:, :, {start or ''}:{f'-{end}' if end else ''}]"


def check_choice(name: str, value: Any, choices: tuple[str, ...], fold: Callable[[str], str] = str) -> str:
    """``value`` as one of ``choices`` (after ``fold``, e.g. ``str.lower``), or a ConvSpecError naming them."""
    if isinstance(value, str) and fold(value) in choices:
        return fold(value)
    near = [c for c in choices if isinstance(value, str) and c.lower() == value.lower()]
    fix = f"{name}={near[0]!r}" if near else f"one of {', '.join(map(repr, choices))}"
    raise ConvSpecError(f"{name}={value!r} is not one of {', '.join(map(repr, choices))}; use {fix}")


def one_int(name: str, value: Any, minimum: int) -> int:
    """An int, or a 1-element list/tuple of one (the frameworks' per-axis form), ``>= minimum``."""
    return as_int(name, list(value) if isinstance(value, tuple) else value, minimum)


def check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ConvSpecError(f"{name}={value!r} must be True or False; use {name}=False")
    return bool(value)


def channels(args: Mapping[str, Any], groups: int = 1) -> tuple[int, int]:
    """``(in_channels, out_channels)`` for the code (the port itself does not depend on them)."""
    c_in = one_int("in_channels", args.get("in_channels") or groups, 1)
    c_out = one_int("out_channels", args.get("out_channels") or groups, 1)
    for name, value in (("in_channels", c_in), ("out_channels", c_out)):
        if value % groups:
            raise ConvSpecError(f"{name}={value} must be a multiple of groups ({groups}); use {name}={groups}")
    return c_in, c_out


@dataclass(frozen=True)
class Port:
    """One transposed convolution in another framework and in PyTorch, and how they line up.

    Attributes:
        framework: ``"keras"``, ``"jax"`` or ``"onnx"``.
        direction: ``"port"`` (that framework's layer → PyTorch) or ``"port_to"`` (PyTorch → that framework).
        torch: keyword arguments of ``nn.ConvTranspose1d`` (``kernel_size, stride, padding,
            output_padding, dilation``, and ``groups`` where given).
        crop: ``(start, end)``: elements to drop from each end of the output of the layer the port produces
            (the PyTorch layer for ``port``, the other framework's for ``port_to``); ``(0, 0)`` when exact.
        args: the other framework's arguments (normalised; for ``port``, the ones given).
        note: one plain sentence on what differs.
        code: a runnable script that builds both layers on one random input and prints their largest
            difference.
    """

    framework: str
    direction: str
    torch: dict[str, int]
    crop: tuple[int, int]
    args: dict[str, Any]
    note: str
    code: str = field(repr=False)
    layout: Layout = field(repr=False)
    source: Window = field(repr=False)          # the window of the layer given (framework's or PyTorch's)
    fixed_length: int | None = field(default=None, repr=False)  # the one input length (ONNX output_shape)
    formula: Callable[[int], str] | None = field(default=None, repr=False, compare=False)

    @property
    def produced(self) -> str:
        """Which layer the crop is on: ``"torch"`` for ``port``, the framework for ``port_to``."""
        return "torch" if self.direction == "port" else self.framework

    def _check(self, length: int) -> int:
        length = as_int("length", length, 1)
        if self.fixed_length is not None and length != self.fixed_length:
            raise ConvSpecError(f"length={length}: this port was made for input length {self.fixed_length} "
                                f"(output_shape fixes the output's length, so the padding depends on it); "
                                f"port again with length={length}")
        return length

    def full_length(self, length: int) -> int:
        t = self.torch
        return full_length(self._check(length), t["kernel_size"], t["stride"], 0, t["dilation"])

    def length(self, length: int) -> int:
        """The output length for input length ``length``, as the layer given computes it (the same on both
        sides once ``crop`` is applied).

        Example::

            >>> import convviz
            >>> convviz.port("keras", kernel_size=4, strides=2, padding="same").length(8)
            16
        """
        out = self.source.length(self.full_length(length))
        if out < 1:
            raise ConvSpecError(f"length={length}: the layer's output would have {out} samples (it crops more "
                                f"than it makes); use a longer input")
        return out

    def produced_length(self, length: int) -> int:
        """The output length of the produced layer, before ``crop``."""
        return self.length(length) + sum(self.crop)

    def weight(self, kernel: Any) -> np.ndarray:
        """The other framework's kernel, in its own layout (see ``layout.shape``), as PyTorch's weight
        ``(in_channels, out_channels/groups, kernel_size)``."""
        w = np.asarray(kernel)
        if w.ndim != 3 or w.shape[self.layout.axes[2]] != self.torch["kernel_size"]:
            raise ConvSpecError(f"kernel of shape {w.shape} must be 3-D {self.layout.shape} with kernel_size "
                                f"{self.torch['kernel_size']}; reshape it")
        return self.layout.to_torch(w)

    def kernel(self, weight: Any) -> np.ndarray:
        """PyTorch's weight ``(in_channels, out_channels/groups, kernel_size)`` in the other framework's
        layout (the inverse of :meth:`weight`)."""
        w = np.asarray(weight)
        if w.ndim != 3 or w.shape[2] != self.torch["kernel_size"]:
            raise ConvSpecError(f"weight of shape {w.shape} must be 3-D (in_channels, out_channels/groups, "
                                f"kernel_size={self.torch['kernel_size']}); reshape it")
        return self.layout.from_torch(w)

    def formulas(self, length: int) -> tuple[str, str]:
        """The two length formulas with the numbers filled in: the other framework's, then PyTorch's
        (with the slice when there is one)."""
        t = self.torch
        length = self._check(length)
        out = full_length(length, t["kernel_size"], t["stride"], t["output_padding"], t["dilation"]) \
            - 2 * t["padding"]
        torch_text = (f"(L−1)·stride − 2·padding + dilation·(K−1) + output_padding + 1 = ({length}−1)·{t['stride']} "
                      f"− 2·{t['padding']} + {t['dilation']}·({t['kernel_size']}−1) + {t['output_padding']} + 1 "
                      f"= {out}")
        if self.crop != (0, 0) and self.produced == "torch":
            torch_text += f", then the slice: {out} − {self.crop[0]} − {self.crop[1]} = {out - sum(self.crop)}"
        assert self.formula is not None
        other = self.formula(length)
        if self.crop != (0, 0) and self.produced != "torch":
            n = self.produced_length(length)
            other += f", then the slice: {n} − {self.crop[0]} − {self.crop[1]} = {n - sum(self.crop)}"
        return other, torch_text


def torch_signature(torch_args: Mapping[str, int], c_in: int, c_out: int) -> str:
    """``torch.nn.ConvTranspose1d(2, 3, kernel_size=4, stride=2, padding=1, bias=False)``: defaults left out."""
    defaults = {"stride": 1, "padding": 0, "output_padding": 0, "dilation": 1, "groups": 1}
    parts = [str(c_in), str(c_out), f"kernel_size={torch_args['kernel_size']}"]
    parts += [f"{k}={v}" for k, v in torch_args.items() if k in defaults and v != defaults[k]]
    return f"torch.nn.ConvTranspose1d({', '.join(parts)}, bias=False)"


def script(framework: str, direction: str, torch_args: Mapping[str, int], crop: tuple[int, int], layout: Layout,
           c_in: int, c_out: int, length: int, other: list[str], note: str) -> str:
    """A runnable script: one random input and kernel, the other framework's layer (``other``: lines that set
    ``y_<framework>`` as an ``(N, C_out, L)`` array from ``x`` and ``kernel``), the PyTorch layer, the slice,
    and the largest difference."""
    groups = torch_args.get("groups", 1)
    torch_shape = (c_in, c_out // groups, torch_args["kernel_size"])
    name = NAMES[framework]
    if direction == "port":  # the kernel is the framework's; PyTorch's weight is made from it
        kernel_shape = tuple(int(n) for n in layout.from_torch(np.empty(torch_shape)).shape)
        lines = [f"kernel = rng.standard_normal({kernel_shape}).astype(np.float32)  # {name}: {layout.shape}",
                 f"weight = {layout.expression('kernel')}  # PyTorch: {TORCH_LAYOUT.shape}"]
    else:  # the weight is PyTorch's; the framework's kernel is made from it
        lines = [f"weight = rng.standard_normal({torch_shape}).astype(np.float32)  # PyTorch: {TORCH_LAYOUT.shape}",
                 f"kernel = {layout.inverse_expression('weight')}  # {name}: {layout.shape}"]
    torch_crop = crop_text(crop) if direction == "port" else ""
    other_crop = crop_text(crop) if direction == "port_to" else ""
    y = f"y_{framework}"
    return "\n".join([
        f"# {note}",
        "import numpy as np",
        "import torch",
        "",
        "rng = np.random.default_rng(0)",
        f"x = rng.standard_normal((1, {c_in}, {length})).astype(np.float32)  # (N, C_in, L), PyTorch's layout",
        *lines,
        "",
        f"# {name}",
        *other,
        *([f"{y} = {y}{other_crop}  # the slice: drop {crop[0]} at the start, {crop[1]} at the end"]
          if other_crop else []),
        "",
        "# PyTorch",
        f"layer = {torch_signature(torch_args, c_in, c_out)}",
        "with torch.no_grad():",
        "    layer.weight.copy_(torch.from_numpy(weight.copy()))  # a copy: a flipped view has negative strides",
        f"y_torch = layer(torch.from_numpy(x)).numpy(force=True){torch_crop}"
        + (f"  # the slice: drop {crop[0]} at the start, {crop[1]} at the end" if torch_crop else ""),
        "",
        f"print({y}.shape, y_torch.shape, float(np.abs({y} - y_torch).max()))  # the same shape, "
        f"difference ~1e-6",
    ])


def exact_or_sliced(crop: tuple[int, int], produced: str) -> str:
    """The part of a note that says whether one layer is exact."""
    if crop == (0, 0):
        return "one layer is exact"
    return (f"the {NAMES[produced]} output needs a slice: drop {crop[0]} at the start and {crop[1]} at the end")


def ceil_half(n: int) -> int:
    return math.ceil(n / 2)


TORCH_KEYS = ("kernel_size", "stride", "padding", "output_padding", "dilation", "groups", "in_channels",
              "out_channels")


def check_keys(what: str, given: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [key for key in given if key not in allowed]
    if unknown:
        raise ConvSpecError(f"{what}: unknown argument {unknown[0]!r}; use only {', '.join(allowed)}")


def check_torch(args: Mapping[str, Any], extra: tuple[str, ...] = ()) -> tuple[dict[str, int], int, int]:
    """``nn.ConvTranspose1d`` keyword arguments, validated as torch does: ``(torch, in_channels, out_channels)``.

    ``groups`` is kept in ``torch`` only when given; the channel counts default to ``groups``.
    """
    check_keys("port_to", args, (*TORCH_KEYS, *extra))
    if "kernel_size" not in args:
        raise ConvSpecError("kernel_size is missing; give the PyTorch layer's kernel_size, e.g. kernel_size=4")
    if isinstance(args.get("padding"), str):
        raise ConvSpecError(f"padding={args['padding']!r}: nn.ConvTranspose1d takes no padding strings "
                            f"(pytorch/pytorch#80301); give a number, or port the layer that has it: "
                            f"convviz.port('keras', padding={args['padding']!r}, ...)")
    groups = one_int("groups", args.get("groups", 1), 1)
    c_in, c_out = channels(args, groups)
    spec = ConvSpec(c_in, c_out, one_int("kernel_size", args["kernel_size"], 1),
                    stride=one_int("stride", args.get("stride", 1), 1),
                    padding=one_int("padding", args.get("padding", 0), 0),
                    output_padding=one_int("output_padding", args.get("output_padding", 0), 0),
                    groups=groups, bias=False, dilation=one_int("dilation", args.get("dilation", 1), 1))
    torch = {"kernel_size": spec.kernel_size, "stride": spec.stride, "padding": spec.padding,
             "output_padding": spec.output_padding, "dilation": spec.dilation}
    if "groups" in args:
        torch["groups"] = groups
    return torch, c_in, c_out


def port_from(framework: str, window: Window, kernel_size: int, stride: int, dilation: int, groups: int | None,
              args: dict[str, Any], layout: Layout, note: str, other: list[str], c_in: int, c_out: int,
              length: int, formula: Callable[[int], str], fixed_length: int | None = None) -> Port:
    """The ``Port`` of a framework's layer whose window is ``window`` (raises when no PyTorch layer with
    this kernel plus a slice gives it)."""
    reach = max(stride, dilation) - 1
    why = refusal(framework, window, reach)
    if why is not None:
        given = ", ".join(f"{k}={v!r}" for k, v in args.items() if v is not None)
        raise ConvSpecError(f"{NAMES[framework]} layer ({given}) has no PyTorch port: {why}")
    padding, output_padding, crop = torch_layer(window, reach)
    torch = {"kernel_size": kernel_size, "stride": stride, "padding": padding, "output_padding": output_padding,
             "dilation": dilation, **({"groups": groups} if groups is not None else {})}
    sentence = f"{note}; {exact_or_sliced(crop, 'torch')}."
    code = script(framework, "port", torch, crop, layout, c_in, c_out, length, other, sentence)
    return Port(framework, "port", torch, crop, args, sentence, code, layout, window, fixed_length, formula)


def port_into(framework: str, torch: dict[str, int], crop: tuple[int, int], args: dict[str, Any],
              layout: Layout, note: str, other: list[str], c_in: int, c_out: int, length: int,
              formula: Callable[[int], str]) -> Port:
    """The ``Port`` of a PyTorch layer made in ``framework`` (``args``, then ``crop`` on its output)."""
    sentence = f"{note}; {exact_or_sliced(crop, framework)}."
    code = script(framework, "port_to", torch, crop, layout, c_in, c_out, length, other, sentence)
    window = torch_window(torch["padding"], torch["output_padding"])
    return Port(framework, "port_to", torch, crop, args, sentence, code, layout, window, None, formula)


def window_phrase(window: Window) -> str:
    """What a window does to the full result, in words: ``drops 1 cell at the start and 2 at the end``."""
    def side(n: int, where: str) -> str:
        return (f"drops {n} cell{'s' * (n != 1)} at the {where}" if n >= 0 else
                f"adds {-n} zero{'s' * (n != -1)} at the {where}")
    if window.start == window.end == 0:
        return "keeps the full result"
    return f"{side(window.start, 'start')} and {side(window.end, 'end')} of the full result"


def signed(n: int) -> str:
    """A number for a formula: ``(−1)`` for a negative one, so that ``− (−1)`` reads right."""
    return f"(−{-n})" if n < 0 else str(n)
