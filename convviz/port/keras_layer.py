"""``keras.layers.Conv1DTranspose`` ↔ ``nn.ConvTranspose1d``.

Keras 3 computes its transposed convolution on the JAX backend as ``lax.conv_transpose`` of the
stride-dilated input padded by ``(lo, hi)`` (``keras.src.backend.common.backend_utils``), with the effective
kernel ``K_eff = dilation_rate·(K − 1) + 1``:

- ``"valid"``: ``lo = K_eff − 1``, ``hi = K_eff − 1 + output_padding`` (None: ``max(K_eff, strides) − K_eff``);
- ``"same"``: ``pad = strides + K_eff − 2`` (None) or ``K_eff + K_eff mod 2 − 2 + output_padding``,
  ``lo = min(⌈pad/2⌉, K_eff − 1)``, ``hi = pad − lo``: an odd total is cropped more at the end, which one
  ``nn.ConvTranspose1d`` (the same crop at both ends) cannot do, hence the slice.

The window on the full buffer is ``start = K_eff − 1 − lo``, ``end = K_eff − 1 − hi``. The kernel is
``(kernel_size, filters, in_channels)``, used transposed (``transpose_kernel=True``), so PyTorch's weight is
``kernel.transpose(2, 1, 0)``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ConvSpecError
from .core import (
    Layout,
    Port,
    Window,
    ceil_half,
    channels,
    check_choice,
    check_keys,
    check_torch,
    crop_for,
    one_int,
    port_from,
    port_into,
    torch_window,
    window_phrase,
)

LAYOUT = Layout("(kernel_size, filters, in_channels)", False, (2, 1, 0))
KEYS = ("kernel_size", "strides", "padding", "output_padding", "dilation_rate", "filters", "in_channels")


def lax_pads(k_eff: int, strides: int, padding: str, output_padding: int | None) -> tuple[int, int]:
    """Keras' padding of the stride-dilated input for ``lax.conv_transpose`` (its JAX backend's rule)."""
    if padding == "valid":
        extra = max(k_eff, strides) - k_eff if output_padding is None else output_padding
        return k_eff - 1, k_eff - 1 + extra
    total = strides + k_eff - 2 if output_padding is None else k_eff + k_eff % 2 - 2 + output_padding
    lo = min(ceil_half(total), k_eff - 1)
    return lo, total - lo


def window(k_eff: int, strides: int, padding: str, output_padding: int | None) -> Window:
    lo, hi = lax_pads(k_eff, strides, padding, output_padding)
    return Window(k_eff - 1 - lo, k_eff - 1 - hi)


def normalise(layer: dict[str, Any]) -> dict[str, Any]:
    """The layer's arguments checked as Keras checks them, with its defaults filled in."""
    check_keys("keras.layers.Conv1DTranspose", layer, KEYS)
    if "kernel_size" not in layer:
        raise ConvSpecError("kernel_size is missing; give the Keras layer's kernel_size, e.g. kernel_size=4")
    args: dict[str, Any] = {
        "kernel_size": one_int("kernel_size", layer["kernel_size"], 1),
        "strides": one_int("strides", layer.get("strides", 1), 1),
        "padding": check_choice("padding", layer.get("padding", "valid"), ("valid", "same"), str.lower),
        "output_padding": None if layer.get("output_padding") is None else
        one_int("output_padding", layer["output_padding"], 0),
        "dilation_rate": one_int("dilation_rate", layer.get("dilation_rate", 1), 1),
        "filters": None if layer.get("filters") is None else one_int("filters", layer["filters"], 1)}
    if args["output_padding"] is not None and args["output_padding"] >= args["strides"]:
        raise ConvSpecError(f"output_padding={args['output_padding']} must be smaller than strides "
                            f"({args['strides']}), as Keras requires; use output_padding <= {args['strides'] - 1}")
    if args["strides"] > 1 and args["dilation_rate"] > 1:
        raise ConvSpecError(f"strides={args['strides']} with dilation_rate={args['dilation_rate']}: Keras does not "
                            f"support strides > 1 together with dilation_rate > 1; use one of them")
    return args


def formula(args: dict[str, Any]) -> Callable[[int], str]:
    k, s, d, op = args["kernel_size"], args["strides"], args["dilation_rate"], args["output_padding"]
    k_eff = d * (k - 1) + 1
    eff = f"K_eff = dilation_rate·(K−1)+1 = {k_eff}; " if d > 1 else ""

    def text(length: int) -> str:
        if args["padding"] == "valid" and op is None:
            return (f"{eff}L·strides + max(K_eff − strides, 0) = {length}·{s} + max({k_eff} − {s}, 0) = "
                    f"{length * s + max(k_eff - s, 0)}")
        if op is None:
            return f"L·strides = {length}·{s} = {length * s}"
        if args["padding"] == "valid":
            return (f"{eff}(L−1)·strides + K_eff + output_padding = ({length}−1)·{s} + {k_eff} + {op} = "
                    f"{(length - 1) * s + k_eff + op}")
        return (f"{eff}(L−1)·strides + K_eff mod 2 + output_padding = ({length}−1)·{s} + {k_eff % 2} + {op} = "
                f"{(length - 1) * s + k_eff % 2 + op}")
    return text


def code(args: dict[str, Any], c_in: int, c_out: int, length: int) -> list[str]:
    """Lines that set ``y_keras`` (N, C_out, L) from ``x`` (N, C_in, L) and ``kernel``."""
    given = [f"strides={args['strides']}", f"padding={args['padding']!r}"]
    given += [f"output_padding={args['output_padding']}"] if args["output_padding"] is not None else []
    given += [f"dilation_rate={args['dilation_rate']}"] if args["dilation_rate"] != 1 else []
    return ["import os",
            "os.environ.setdefault(\"KERAS_BACKEND\", \"jax\")  # set before keras is imported",
            "import keras",
            f"conv = keras.layers.Conv1DTranspose({c_out}, {args['kernel_size']}, {', '.join(given)}, use_bias=False)",
            f"conv.build((None, {length}, {c_in}))  # channels last: (N, L, C_in)",
            "conv.kernel.assign(kernel)",
            "y_keras = np.asarray(conv(x.transpose(0, 2, 1))).transpose(0, 2, 1)  # (N, L, C) and back"]


def port(**layer: Any) -> Port:
    """``keras.layers.Conv1DTranspose(filters, kernel_size, strides, padding, output_padding, dilation_rate)``
    as one ``nn.ConvTranspose1d`` plus a slice."""
    args = normalise(layer)
    k, s, d = args["kernel_size"], args["strides"], args["dilation_rate"]
    c_in, c_out = channels({"in_channels": layer.get("in_channels"), "out_channels": args["filters"]})
    w = window(d * (k - 1) + 1, s, args["padding"], args["output_padding"])
    note = f"Keras' {args['padding']!r} {window_phrase(w)}"
    if w.end > w.start:
        note += " (an odd total cropped more at the end; PyTorch's padding crops both ends alike)"
    return port_from("keras", w, k, s, d, None, args, LAYOUT, note, code(args, c_in, c_out, 8), c_in, c_out, 8,
                     formula(args))


def port_to(**torch_args: Any) -> Port:
    """An ``nn.ConvTranspose1d`` as ``keras.layers.Conv1DTranspose`` (plus a slice where none is exact)."""
    torch, c_in, c_out = check_torch(torch_args)
    k, s, p, op, d = (torch[n] for n in ("kernel_size", "stride", "padding", "output_padding", "dilation"))
    if torch.get("groups", 1) > 1:
        raise ConvSpecError(f"groups={torch['groups']}: keras.layers.Conv1DTranspose has no groups; nearest fix: "
                            f"one Conv1DTranspose per group on its slice of channels, then keras.ops.concatenate")
    if s > 1 and d > 1:
        raise ConvSpecError(f"stride={s} with dilation={d}: Keras' Conv1DTranspose does not support strides > 1 "
                            f"together with dilation_rate > 1; nearest fix: dilate the kernel yourself "
                            f"(kernel_size={d * (k - 1) + 1} with {d - 1} zeros between taps, dilation_rate=1)")
    wanted = torch_window(p, op)
    best: tuple[int, tuple[int, int], dict[str, Any]] | None = None
    for padding in ("same", "valid"):
        for extra in (None, *range(s)):
            crop = crop_for(window(d * (k - 1) + 1, s, padding, extra), wanted)
            if crop is not None and (best is None or sum(crop) < best[0]):
                best = sum(crop), crop, {"kernel_size": k, "strides": s, "padding": padding,
                                         "output_padding": extra, "dilation_rate": d, "filters": c_out}
    if best is None:
        zeros = op - p
        raise ConvSpecError(f"padding={p} with output_padding={op}: this layer ends with {zeros} zeros that "
                            f"Keras' Conv1DTranspose (strides=1 allows no output_padding) cannot make; nearest "
                            f"fix: keras.layers.ZeroPadding1D((0, {zeros})) after a 'valid' layer")
    _, crop, args = best
    note = (f"Keras' {args['padding']!r}" + (f" with output_padding={args['output_padding']}"
                                            if args["output_padding"] is not None else "")
            + f" {window_phrase(window(d * (k - 1) + 1, s, args['padding'], args['output_padding']))}, "
              f"PyTorch's layer {window_phrase(wanted)}")
    return port_into("keras", torch, crop, args, LAYOUT, note, code(args, c_in, c_out, 8), c_in, c_out, 8,
                     formula(args))
