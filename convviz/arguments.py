"""One table of the app's arguments: name, type, minimum, classroom cap, default and help text.

Validation of links, the sidebar's widgets, the classroom caps and the help a learner reads all come from
``ARGUMENTS``; adding an argument or changing a cap is one row here. stdlib only (below ``spec``).
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

from .errors import ConvSpecError


@dataclass(frozen=True)
class Argument:
    """One setting of the app.

    Args:
        name: the ``nn.ConvTranspose1d`` argument name (or the app's own, like ``length``).
        kind: ``"int"``, ``"bool"``, ``"choice"`` or ``"text"``.
        default: the value a fresh page starts with.
        minimum: the smallest whole number allowed (ints only).
        cap: the largest whole number one student may ask of a shared server (ints only).
        choices: the allowed values (choices only).
        help: what a learner reads next to the widget: what it does, with a tiny example.
        torch: what ``nn.ConvTranspose1d`` (and so the CLI and configuration files) uses when the argument is
            left out; None where torch requires it (the CLI infers it from the input or weight) or for the app's own.
    """

    name: str
    kind: str
    default: Any
    help: str
    minimum: int | None = None
    cap: int | None = None
    choices: tuple[str, ...] = ()
    torch: Any = None


DTYPES = ("float32", "float64", "complex64", "complex128")

_ROWS = (
    Argument("in_channels", "int", 1, minimum=1, cap=16,
             help="How many input rows (channels) x has. Example: a stereo sound has 2 channels, x[0] and x[1]."),
    Argument("out_channels", "int", 1, minimum=1, cap=16,
             help="How many output rows the layer makes; each has its own kernel for every input channel. "
                  "Example: 3 gives out[0], out[1] and out[2]."),
    Argument("kernel_size", "int", 3, minimum=1, cap=16,
             help="How many taps (weights) each input number is multiplied by; the products land in neighbouring "
                  "cells. Example: kernel_size 3 writes x·w0, x·w1, x·w2 into three cells."),
    Argument("stride", "int", 2, minimum=1, cap=8, torch=1,
             help="How far apart neighbouring inputs land in the output, so it sets how much longer the output is. "
                  "Example: stride 2 puts x[0]'s taps from cell 0 and x[1]'s from cell 2."),
    Argument("padding", "int", 0, minimum=0, cap=64, torch=0,
             help="How many cells are cut off each end of the full result: it makes the output shorter (the "
                  "opposite of Conv1d's padding). Example: padding 1 turns 13 cells into the 11 in the middle."),
    Argument("output_padding", "int", 0, minimum=0, cap=7, torch=0,
             help="Extra cells added at the right end only, to reach an exact length; must be smaller than stride "
                  "or dilation. Example: K 3, stride 2, padding 1 gives 2L−1 outputs; output_padding 1 makes 2L."),
    Argument("groups", "int", 1, minimum=1, cap=16, torch=1,
             help="Splits the channels into independent groups: an input channel feeds only its group's outputs. "
                  "Must divide both channel counts. Example: groups 2 with 4→4 channels: inputs 0–1 feed "
                  "outputs 0–1 only."),
    Argument("bias", "bool", True, torch=True,
             help="Adds one number per output row to every cell, after all products have landed. Example: a sum "
                  "of 1.2 with bias 0.5 becomes 1.7."),
    Argument("dilation", "int", 1, minimum=1, cap=8, torch=1,
             help="Spacing between a kernel's taps where they land. Example: dilation 2 writes the three taps to "
                  "cells f, f+2, f+4 instead of f, f+1, f+2."),
    Argument("padding_mode", "choice", "zeros", choices=("zeros",), torch="zeros",
             help="Transposed convolution in torch only supports zeros: it scatters, so there is no border to "
                  "reflect or replicate."),
    Argument("dtype", "choice", "float32", choices=DTYPES, torch="float32",
             help="The number type of input, weights and output. Example: float32 is torch's default; "
                  "complex64 accepts numbers like 1+2j."),
    Argument("output_size", "int", None, minimum=1, cap=2048,
             help="Ask for an exact output length and torch picks output_padding for you (as forward(x, "
                  "output_size=…)). Example: L 4, K 3, stride 2, padding 1 allows 7 or 8."),
    Argument("seed", "int", 42, minimum=0, cap=2**32 - 1,
             help="torch.manual_seed(seed) before the layer is built: the same seed gives exactly PyTorch's "
                  "weights. Example: 42 reproduces the blog's examples."),
    Argument("length", "int", 6, minimum=1, cap=128,
             help="How many numbers each input channel has (L). Example: 6 gives x[0, 0] … x[0, 5]."),
    Argument("batched", "bool", False,
             help="Give the input a batch dimension, (N, C_in, L), as a model sees it; the output gets one too."),
    Argument("batch_size", "int", 2, minimum=1, cap=4,
             help="How many input samples (N) go through the layer at once; each is computed on its own."),
    Argument("input_mode", "choice", "random", choices=("random", "typed"),
             help="Random small whole numbers from the seed, or numbers you type."),
    Argument("weight_mode", "choice", "seeded", choices=("seeded", "typed"),
             help="torch's seeded initialisation, or weights and bias you type."),
    Argument("input_text", "text", None,
             help="Nested list, one [ ] per channel: [[8, -3, 0], [1, 5, -2]] is 2 channels of length 3 (a 3-D "
                  "list is a batch). Complex numbers as 1+2j. The shape sets length and batch."),
    Argument("weight_text", "text", None,
             help="Shape (in_channels, out_channels/groups, kernel_size): [[[1, 2, 3]]] is one kernel of 3 taps."),
    Argument("bias_text", "text", None, help="One value per out_channel: [0.5, -1] for 2 output channels."),
)

ARGUMENTS: dict[str, Argument] = {row.name: row for row in _ROWS}
# The arguments of nn.ConvTranspose1d itself, in torch's order (the rest are the app's: input and seed).
MODULE_ARGUMENTS = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
                    "bias", "dilation", "padding_mode", "dtype")
MODULE_INTS = tuple(name for name in MODULE_ARGUMENTS if ARGUMENTS[name].kind == "int")
# What nn.ConvTranspose1d uses for an argument left out (the CLI's and configuration files' defaults).
TORCH_DEFAULTS: dict[str, Any] = {name: ARGUMENTS[name].torch for name in MODULE_ARGUMENTS}
SEEDS = (-2**63, 2**64)  # torch.manual_seed accepts [-2**63, 2**64); the app's sidebar keeps to 0 … seed's cap
CAPS: dict[str, int] = {row.name: row.cap for row in _ROWS
                        if row.cap is not None and row.name not in ("seed", "output_size", "groups")}
DEFAULTS: dict[str, Any] = {row.name: row.default for row in _ROWS if row.kind != "text"}


def check_seed(seed: Any) -> int:
    """``seed`` as an int in torch.manual_seed's range ``SEEDS``, or a ConvSpecError that says how to fix it.

    Example::

        >>> check_seed(2**64 - 1), check_seed(-2**63) == -2**63
        (18446744073709551615, True)
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ConvSpecError(f"seed={seed!r} must be a whole number; use e.g. seed=42")
    if not SEEDS[0] <= int(seed) < SEEDS[1]:
        raise ConvSpecError(f"seed={seed} is outside torch.manual_seed's range [-2**63, 2**64); use e.g. "
                            f"seed={int(seed) % 2**64}")
    return int(seed)


def table_seed(seed: Any) -> int:
    """A seed (say, from a configuration file) as the seed row of the table holds it: in ``[minimum, cap]``,
    drawing the same parameters. torch keeps a seed modulo ``2**64`` and seeds MT19937 with its low 32 bits,
    so wrapping modulo ``cap + 1`` keeps the parameters as long as ``cap + 1`` divides ``2**32`` (it is
    ``2**32`` itself); a cap that did not would be refused here rather than change the numbers.

    Example::

        >>> table_seed(2**32 + 42), table_seed(-1) == ARGUMENTS["seed"].cap
        (42, True)
    """
    row = ARGUMENTS["seed"]
    assert row.cap is not None and row.minimum == 0
    if 2**32 % (row.cap + 1):
        raise ConvSpecError(f"the seed's cap {row.cap} + 1 does not divide 2**32, so wrapping a seed would change "
                            f"its parameters; make the cap 2**32 - 1 (or a power of two less one)")
    return check_seed(seed) % (row.cap + 1)


def help_text(name: str) -> str:
    """The learner's help for ``name``.

    Example::

        >>> help_text("stride").split(",")[0]
        'How far apart neighbouring inputs land in the output'
    """
    return ARGUMENTS[name].help
