"""``jax.lax.conv_transpose`` ↔ ``nn.ConvTranspose1d`` (1-D, the default ``('NHC', 'HIO', 'NHC')`` layout).

lax correlates the stride-dilated input, padded by ``(lo, hi)``, with the kernel, which it does NOT flip
unless ``transpose_kernel=True``. With ``K_eff = rhs_dilation·(K − 1) + 1`` the pads are
(``jax._src.lax.convolution._conv_transpose_padding``):

- ``"SAME"``: ``total = K_eff + strides − 2``, ``lo = K_eff − 1`` if ``strides > K_eff − 1`` else ``⌈total/2⌉``;
- ``"VALID"``: ``total = K_eff + strides − 2 + max(K_eff − strides, 0)``, ``lo = K_eff − 1``; ``hi = total − lo``;
- ``[(lo, hi)]``: those pads of the dilated input (not of the output), or, with ``use_consistent_padding=True``,
  the forward convolution's padding ``(p_lo, p_hi)``: ``lo = K_eff − 1 − p_lo``, ``hi = K_eff − 1 − p_hi``.

The window on the full buffer is ``start = K_eff − 1 − lo``, ``end = K_eff − 1 − hi``; the output length is
``(L − 1)·strides + 1 + lo + hi − K_eff + 1``. The kernel is ``HIO`` ``(K, in_channels, out_channels)``, applied
unflipped: PyTorch's weight is ``kernel[::-1].transpose(1, 2, 0)``; with ``transpose_kernel=True`` it is the
forward convolution's ``(K, out_channels, in_channels)`` and PyTorch's weight is ``kernel.transpose(2, 1, 0)``.
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
    check_bool,
    check_keys,
    check_torch,
    crop_for,
    one_int,
    port_from,
    port_into,
    torch_window,
    window_phrase,
)

LAYOUTS = {False: Layout("HIO (kernel_size, in_channels, out_channels), applied unflipped", True, (1, 2, 0)),
           True: Layout("HIO of the forward conv (kernel_size, out_channels, in_channels)", False, (2, 1, 0))}
KEYS = ("kernel_size", "strides", "padding", "rhs_dilation", "transpose_kernel", "use_consistent_padding",
        "in_channels", "out_channels")


def check_padding(value: Any) -> str | tuple[int, int]:
    """``"SAME"``, ``"VALID"`` or one ``(lo, hi)`` pair (given as ``[(lo, hi)]``)."""
    if isinstance(value, str):
        if value in ("SAME", "VALID"):
            return value
        raise ConvSpecError(f"padding={value!r} is not 'SAME', 'VALID' or [(lo, hi)] (lax compares the strings "
                            f"exactly); use padding={value.upper()!r}" if value.upper() in ("SAME", "VALID") else
                            f"padding={value!r} is not 'SAME', 'VALID' or [(lo, hi)]; use padding='SAME'")
    pairs = list(value) if isinstance(value, (list, tuple)) else []
    if len(pairs) != 1 or not isinstance(pairs[0], (list, tuple)) or len(pairs[0]) != 2:
        raise ConvSpecError(f"padding={value!r} must be 'SAME', 'VALID' or one (lo, hi) pair per spatial axis, "
                            f"[(lo, hi)]; use padding=[(1, 1)]")
    lo, hi = (one_int(name, v, -10**6) for name, v in zip(("padding lo", "padding hi"), pairs[0]))
    return lo, hi


def lax_pads(k_eff: int, strides: int, padding: str | tuple[int, int], consistent: bool) -> tuple[int, int]:
    if padding == "SAME":
        total = k_eff + strides - 2
        lo = k_eff - 1 if strides > k_eff - 1 else ceil_half(total)
        return lo, total - lo
    if padding == "VALID":
        total = k_eff + strides - 2 + max(k_eff - strides, 0)
        return k_eff - 1, total - (k_eff - 1)
    assert isinstance(padding, tuple)
    return (k_eff - 1 - padding[0], k_eff - 1 - padding[1]) if consistent else padding


def window(k_eff: int, strides: int, padding: str | tuple[int, int], consistent: bool) -> Window:
    lo, hi = lax_pads(k_eff, strides, padding, consistent)
    return Window(k_eff - 1 - lo, k_eff - 1 - hi)


def normalise(layer: dict[str, Any]) -> dict[str, Any]:
    check_keys("jax.lax.conv_transpose", layer, KEYS)
    for name in ("kernel_size", "padding"):
        if name not in layer:
            raise ConvSpecError(f"{name} is missing; give lax.conv_transpose's {name}, e.g. "
                                + ("kernel_size=4 (the kernel's length)" if name == "kernel_size" else
                                   "padding='SAME'"))
    padding = check_padding(layer["padding"])
    return {"kernel_size": one_int("kernel_size", layer["kernel_size"], 1),
            "strides": (one_int("strides", layer.get("strides", 1), 1),),
            "padding": [padding] if isinstance(padding, tuple) else padding,
            "rhs_dilation": (one_int("rhs_dilation", layer.get("rhs_dilation") or 1, 1),),
            "transpose_kernel": check_bool("transpose_kernel", layer.get("transpose_kernel", False)),
            "use_consistent_padding": check_bool("use_consistent_padding",
                                                 layer.get("use_consistent_padding", False))}


def parts(args: dict[str, Any]) -> tuple[int, int, int, str | tuple[int, int]]:
    padding = args["padding"]
    return (args["kernel_size"], args["strides"][0], args["rhs_dilation"][0],
            padding if isinstance(padding, str) else padding[0])


def formula(args: dict[str, Any]) -> Callable[[int], str]:
    k, s, d, padding = parts(args)
    k_eff = d * (k - 1) + 1
    lo, hi = lax_pads(k_eff, s, padding, args["use_consistent_padding"])

    def text(length: int) -> str:
        return (f"(L−1)·strides + 1 + lo + hi − K_eff + 1 = ({length}−1)·{s} + 1 + {lo} + {hi} − {k_eff} + 1 = "
                f"{(length - 1) * s + 2 + lo + hi - k_eff}  (lo, hi: lax's pads of the stride-dilated input)")
    return text


def code(args: dict[str, Any]) -> list[str]:
    k, s, d, padding = parts(args)
    options = [f"strides=({s},)", f"padding={args['padding']!r}"]
    options += [f"rhs_dilation=({d},)"] if d != 1 else []
    options += ["transpose_kernel=True"] if args["transpose_kernel"] else []
    options += ["use_consistent_padding=True"] if args["use_consistent_padding"] else []
    return ["from jax import lax",
            f"y_jax = np.asarray(lax.conv_transpose(x.transpose(0, 2, 1), kernel, {', '.join(options)}))"
            f".transpose(0, 2, 1)  # NHC in and out"]


def port(**layer: Any) -> Port:
    """``jax.lax.conv_transpose(x, kernel, strides, padding, rhs_dilation, transpose_kernel=...)`` as one
    ``nn.ConvTranspose1d`` plus a slice."""
    args = normalise(layer)
    k, s, d, padding = parts(args)
    c_in, c_out = channels(layer)
    w = window(d * (k - 1) + 1, s, padding, args["use_consistent_padding"])
    flip = "lax applies the kernel unflipped (transpose_kernel=False), so PyTorch's weight is flipped; " \
        if not args["transpose_kernel"] else ""
    note = f"{flip}lax's padding {args['padding']!r} {window_phrase(w)}"
    return port_from("jax", w, k, s, d, None, args, LAYOUTS[args["transpose_kernel"]], note, code(args), c_in,
                     c_out, 8, formula(args))


def port_to(**torch_args: Any) -> Port:
    """An ``nn.ConvTranspose1d`` as ``jax.lax.conv_transpose`` (``transpose_kernel`` and
    ``use_consistent_padding`` may be given too; ``'SAME'`` or ``'VALID'`` when one is exact)."""
    options = {name: torch_args.pop(name) for name in ("transpose_kernel", "use_consistent_padding")
               if name in torch_args}
    torch, c_in, c_out = check_torch(torch_args)
    k, s, p, op, d = (torch[n] for n in ("kernel_size", "stride", "padding", "output_padding", "dilation"))
    if torch.get("groups", 1) > 1:
        raise ConvSpecError(f"groups={torch['groups']}: lax.conv_transpose has no feature_group_count; nearest fix: "
                            f"lax.conv_general_dilated with lhs_dilation=({s},) and feature_group_count="
                            f"{torch['groups']}, or one conv_transpose per group")
    transpose = check_bool("transpose_kernel", options.get("transpose_kernel", False))
    consistent = check_bool("use_consistent_padding", options.get("use_consistent_padding", False))
    k_eff, wanted = d * (k - 1) + 1, torch_window(p, op)
    padding: str | tuple[int, int] = next(
        (mode for mode in ("SAME", "VALID") if crop_for(window(k_eff, s, mode, consistent), wanted) == (0, 0)),
        (p, p - op) if consistent else (k_eff - 1 - p, k_eff - 1 - p + op))
    args = {"kernel_size": k, "strides": (s,), "padding": padding if isinstance(padding, str) else [padding],
            "rhs_dilation": (d,), "transpose_kernel": transpose, "use_consistent_padding": consistent}
    flip = "" if transpose else "lax applies the kernel unflipped, so its kernel is PyTorch's flipped; "
    note = f"{flip}lax's padding {args['padding']!r} {window_phrase(window(k_eff, s, padding, consistent))}"
    return port_into("jax", torch, (0, 0), args, LAYOUTS[transpose], note, code(args), c_in, c_out, 8,
                     formula(args))
