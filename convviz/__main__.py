"""``python -m convviz``: run one ``nn.ConvTranspose1d`` from the command line, torch's numbers, no torch.

Bad input prints one line on stderr and exits with status 2 (never a traceback); ``--check`` exits with 1 for
a wrong answer.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .answers import check_answer
from .arguments import ARGUMENTS, MODULE_INTS, TORCH_DEFAULTS
from .config import config_from_json, normalize_config, parameters, spec_of, to_plain
from .errors import ConvSpecError
from .module import ConvTranspose1d
from .port import FRAMEWORKS, Port, port, port_to
from .port.core import crop_text, torch_signature
from .practice import Exercise, busiest_cell
from .practice import run as practice_run
from .presets import seed_examples
from .trace import trace
from .values import parse_values
from .worksheet import FORMATS, explain

BLOG = seed_examples()[0]  # the blog's first example, its numbers recomputed with torch 2.13.0
EXAMPLE = (f'python -m convviz --in-channels 1 --out-channels 3 --kernel-size 1 --seed {BLOG["seed"]} '
           f'--input "[[{",".join(f"{v:g}" for v in BLOG["input"][0])}]]"')
BLOG_ROWS = ",\n      ".join("[" + ", ".join(f"{v:7.4f}" for v in row) + "]" for row in BLOG["output"])
EPILOG = f"""\
example (the blog's first example; torch.manual_seed(42) then nn.ConvTranspose1d(1, 3, kernel_size=1)):
  {EXAMPLE}
  -> [{BLOG_ROWS}]
  add --at 0,2 to see how output[0, 2] is computed, or --json for machine-readable output.

numbers: --input, --weight and --bias take nested lists like [[8,-3,0],[1,5,-2]], or plain numbers
(8 -3 0 1) for one channel; complex numbers as 1+2j. Nothing is evaluated.
--config FILE.json reads the JSON the app exports (keys: the argument names with underscores, plus
input, weight, bias, seed, dtype; complex numbers as strings like "1+2j"); flags given override it.
Without --weight/--bias the parameters are torch's seeded initialisation (weight first, then bias).
"""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (status 2) instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message}; see python -m convviz --help")


def fail(message: str) -> NoReturn:
    print(f"convviz: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def flag_help(name: str) -> str:
    """A flag's help: the first sentence of the table's help, and what is used when the flag is left out."""
    left_out = {"seed": "a random one, printed", "output_size": "none"}.get(name, TORCH_DEFAULTS.get(name))
    row = ARGUMENTS[name]
    first = row.help.split(". ")[0].rstrip(".") + (f": {', '.join(row.choices)}" if row.choices else "")
    return f"{first} (default: {'from the input or weight' if left_out is None else left_out})"


def make_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m convviz", epilog=EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            description="1-D transposed convolution exactly as torch.nn.ConvTranspose1d computes it.")
    arg = parser.add_argument
    for name in (*MODULE_INTS, "seed", "output_size"):  # one flag per whole-number row of the table
        arg("--" + name.replace("_", "-"), type=int, help=flag_help(name))
    arg("--no-bias", action="store_true", help="no bias (bias=False)")
    arg("--dtype", help=flag_help("dtype"))
    arg("--input", help="input, e.g. [[8,-3,0,1,5,-2]] (C_in, L) or [[[...]]] (N, C_in, L)")
    arg("--weight", help="weight (C_in, C_out/groups, K), e.g. [[[0.5],[0.25]]] (default: seeded init)")
    arg("--bias", help="bias, one value per out channel, e.g. [0.1,0.2] (default: seeded init)")
    arg("--config", metavar="FILE.json", help="read the configuration from a JSON file (see below)")
    arg("--at", metavar="C,I", help="explain output[C, I] (or N,C,I for batched input) step by step")
    arg("--check", metavar="ANSWER", help="check your hand-calculated answer: the whole output (one row per "
        "channel, e.g. \"[[1.5, 2], [0, 3]]\") or, with --at, one value; names the mistake behind a wrong one; "
        "exit status 0 right, 1 wrong, 2 unreadable")
    arg("--format", choices=FORMATS, default="text", help="format of the --at explanation (default text)")
    arg("--json", action="store_true", help="print JSON with output, output_shape, weight, bias, output_length")
    arg("--practice", action="store_true", help="faded worked examples for one output value (--at C,I, or the "
        "busiest cell): levels 0-3 hide the sum, then the products, then the landing positions; answers are read "
        "from stdin line by line; exit status 0 when all levels are done")
    return parser


def gather_config(args: argparse.Namespace) -> dict[str, Any]:
    """The configuration dict: the --config file, then the flags given on top."""
    raw: dict[str, Any] = {}
    if args.config is not None:
        try:
            with open(args.config, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            fail(f"--config {args.config}: cannot read it ({error.strerror}); give the path of a JSON file")
        raw = dict(config_from_json(text))
    for name in (*MODULE_INTS, "dtype", "seed", "output_size"):
        value = getattr(args, name)
        if value is not None:
            raw[name] = value
    if args.input is not None:
        raw["input"] = parse_values(args.input, "--input")
    if args.weight is not None:
        raw["weight"] = parse_values(args.weight, "--weight")
    if args.no_bias and args.bias is not None:
        fail("--no-bias and --bias contradict each other; give one of them")
    if args.no_bias:
        raw["bias"] = False
    elif args.bias is not None:
        values = parse_values(args.bias, "--bias")
        raw["bias"] = values[0] if len(values) == 1 else values
    if "input" not in raw:
        fail("--input is missing; give the input like --input \"[[8,-3,0,1,5,-2]]\" (or an \"input\" key in "
             "--config)")
    return normalize_config(raw)


def parse_at(text: str) -> tuple[int, int, int]:
    """``"C,I"`` or ``"N,C,I"`` as ``(batch, out_channel, out_index)``."""
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (2, 3):
        fail(f"--at {text!r} must be two whole numbers C,I (out_channel, out_index) or three N,C,I; e.g. --at 0,2")
    batch, channel, index = [0, *numbers][-3:]
    return batch, channel, index


def show(array: np.ndarray) -> str:
    """An array with 4 decimals, as torch prints it (whole numbers as ``8.``)."""
    parts = np.concatenate([array.real.ravel(), array.imag.ravel()]) if np.iscomplexobj(array) else array.ravel()
    whole = bool(np.all(np.isfinite(parts) & (parts == np.round(parts))))
    return np.array2string(array, precision=4, floatmode="maxprec" if whole else "fixed", separator=", ",
                           max_line_width=120, threshold=100_000)


def origin(config: dict[str, Any], seed: int | None) -> str:
    """Where the parameters came from, e.g. ``seed 42``, ``typed weight, no bias``."""
    drawn = f"seed {seed}" + ("" if config["seed"] is not None else " (random; pass --seed to repeat)")
    weight = "typed weight" if config["weight"] is not None else f"weight from {drawn}"
    bias = config["bias"]
    if bias is True:
        return drawn if config["weight"] is None else f"{weight}, bias from {drawn}"
    return f"{weight}, {'no bias' if bias is False else 'typed bias'}"


def run(argv: Sequence[str] | None = None) -> str:
    """Everything but the error handling: returns the text to print (see :func:`run_checked`).

    Example::

        >>> print(run(["--input", "1 2", "--weight", "[[[1, 10, 100]]]", "--no-bias", "--stride", "2"]))
        ConvTranspose1d(1, 1, kernel_size=(3,), stride=(2,), bias=False)    # typed weight, no bias
        input (1, 2) float32
        [[1., 2.]]
        weight (1, 1, 3)
        [[[  1.,  10., 100.]]]
        bias None
        output (1, 5)
        [[  1.,  10., 102.,  20., 200.]]
    """
    return run_checked(argv)[0]


def run_checked(argv: Sequence[str] | None = None) -> tuple[str, int]:
    """The text to print and the exit status: 1 when ``--check`` found the answer wrong, else 0."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["port"]:
        return run_port(argv[1:]), 0
    args = make_parser().parse_args(argv)
    if args.practice:
        return "", run_practice(args)
    config = gather_config(args)
    spec = spec_of(config)
    weight, bias, seed = parameters(config)
    x = config["input"]
    module = ConvTranspose1d(spec.in_channels, spec.out_channels, spec.kernel_size, spec.stride, spec.padding,
                             config["output_padding"], spec.groups, spec.bias, spec.dilation, dtype=spec.dtype,
                             seed=0)
    module.weight, module.bias = weight, bias
    output = module(x, output_size=config["output_size"])  # (C_out, L_out) or (N, C_out, L_out)
    worksheet, verdict = None, None
    if args.at is not None or args.check is not None:
        t = trace(x, weight, bias, spec.stride, spec.padding, spec.output_padding, spec.groups, spec.dilation)
    if args.at is not None:
        batch, channel, index = parse_at(args.at)
        worksheet = explain(t, channel, index, batch=batch, fmt=args.format)
    if args.check is not None:
        cell = {"out_channel": channel, "out_index": index, "batch": batch} if args.at is not None else {}
        verdict = check_answer(t, args.check, **cell)
    status = 0 if verdict is None or verdict.correct else 1
    if args.json:
        result: dict[str, Any] = {"output": to_plain(output), "output_shape": list(output.shape),
                                  "weight": to_plain(weight), "bias": to_plain(bias),
                                  "output_length": int(output.shape[-1]), "dtype": spec.dtype, "seed": seed,
                                  "output_padding": spec.output_padding}
        if worksheet is not None:
            result["explain"] = worksheet
        if verdict is not None:
            result["check"] = {"correct": verdict.correct, "wrong": [list(c) for c in verdict.wrong],
                               "mistakes": list(verdict.mistakes), "message": verdict.message}
        return json.dumps(result), status
    given = origin(config, seed)
    lines = [f"{module!r}    # {given}",
             f"input {tuple(x.shape)} {spec.dtype}", show(x),
             f"weight {tuple(weight.shape)}", show(weight),
             f"bias {tuple(bias.shape)}" if bias is not None else "bias None",
             *([show(bias)] if bias is not None else []),
             f"output {tuple(output.shape)}", show(output)]
    if worksheet is not None:
        lines += ["", worksheet]
    if verdict is not None:
        lines += ["", f"check: {verdict.message}"]
    return "\n".join(lines), status


# python -m convviz port: each framework's flags (its own argument names), and PyTorch's for --to
PORT_FLAGS: dict[str, tuple[str, ...]] = {
    "keras": ("kernel_size", "strides", "padding", "output_padding", "dilation_rate", "filters", "in_channels"),
    "jax": ("kernel_size", "strides", "padding", "rhs_dilation", "transpose_kernel", "use_consistent_padding",
            "in_channels", "out_channels"),
    "onnx": ("kernel_shape", "strides", "pads", "output_padding", "output_shape", "dilations", "auto_pad", "group",
             "length", "in_channels", "out_channels"),
    "torch": ("kernel_size", "stride", "padding", "output_padding", "dilation", "groups", "in_channels",
              "out_channels"),
}
PORT_EPILOG = """\
examples:
  python -m convviz port --from keras --kernel-size 4 --strides 2 --padding same
  python -m convviz port --from jax --kernel-size 3 --strides 2 --padding 1,0 --transpose-kernel
  python -m convviz port --from onnx --kernel-shape 3 --strides 2 --output-shape 8 --length 5
  python -m convviz port --to onnx --kernel-size 4 --stride 2 --padding 1
--from takes that framework's own argument names; --to takes nn.ConvTranspose1d's (and, for jax,
--transpose-kernel and --use-consistent-padding). jax's --padding is SAME, VALID or lo,hi; onnx's --pads is
begin,end. Prints the PyTorch layer, the crop, both length formulas and code that runs both layers.
"""


def port_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m convviz port", epilog=PORT_EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            description="Port a transposed convolution between Keras, JAX, ONNX and PyTorch.")
    side = parser.add_mutually_exclusive_group(required=True)
    side.add_argument("--from", dest="source", choices=FRAMEWORKS, help="that framework's layer -> PyTorch")
    side.add_argument("--to", dest="target", choices=FRAMEWORKS, help="a PyTorch layer -> that framework")
    texts = {"padding", "pads", "auto_pad"}
    flags = {"transpose_kernel", "use_consistent_padding", "json"}
    for name in dict.fromkeys(n for names in PORT_FLAGS.values() for n in names):
        if name in flags:
            continue
        parser.add_argument("--" + name.replace("_", "-"), type=str if name in texts else int)
    for name in flags:
        parser.add_argument("--" + name.replace("_", "-"), action="store_true")
    parser.add_argument("--length-shown", type=int, default=8, metavar="L",
                        help="input length for the formulas (default 8; --length for onnx's output_shape)")
    return parser


def port_value(framework: str, name: str, value: Any) -> Any:
    """A flag's value in the framework's own form (``[k]`` for ONNX, ``[(lo, hi)]`` for lax's pads)."""
    if framework == "onnx" and name in ("kernel_shape", "strides", "output_padding", "output_shape", "dilations"):
        return [value]
    if name in ("pads", "padding") and isinstance(value, str) and "," in value:
        try:
            pair = [int(part) for part in value.split(",")]
        except ValueError:
            fail(f"--{name.replace('_', '-')} {value!r} must be two whole numbers like 1,0")
        return pair if name == "pads" else [tuple(pair)]
    if name == "padding" and framework == "torch":
        try:
            return int(value)
        except ValueError:
            return value  # port_to names the fix (PyTorch has no padding strings)
    return value


def run_port(argv: Sequence[str]) -> str:
    """``python -m convviz port``: the port's layer, crop, formulas and code as text (or ``--json``).

    Example::

        >>> print(run_port(["--from", "keras", "--kernel-size", "4", "--strides", "1", "--padding", "same"])
        ...       .splitlines()[0])
        PyTorch: torch.nn.ConvTranspose1d(1, 1, kernel_size=4, padding=1, bias=False), then y[:, :, :-1]
    """
    args = port_parser().parse_args(argv)
    framework = args.source or args.target
    side = framework if args.source else "torch"
    given = {name: value for name, value in vars(args).items()
             if name not in ("source", "target", "json", "length_shown") and value not in (None, False)}
    allowed = PORT_FLAGS[side] + (("transpose_kernel", "use_consistent_padding") if args.target == "jax" else ())
    stray = [name for name in given if name not in allowed]
    if stray:
        fail(f"--{stray[0].replace('_', '-')} is not an argument of {'nn.ConvTranspose1d' if side == 'torch' else side}"
             f"; use {', '.join('--' + n.replace('_', '-') for n in allowed)}")
    layer = {name: port_value(side, name, value) for name, value in given.items()}
    result: Port = port(framework, **layer) if args.source else port_to(framework, **layer)
    length = layer.get("length", args.length_shown)
    other, torch_formula = result.formulas(length)
    if args.json:
        return json.dumps({"framework": framework, "direction": result.direction, "torch": result.torch,
                           "crop": list(result.crop), "args": to_plain(result.args), "note": result.note,
                           "length": {"input": length, "output": result.length(length)},
                           "formulas": {framework: other, "torch": torch_formula}, "code": result.code})
    groups = layer.get("group") or layer.get("groups") or 1
    c_in, c_out = layer.get("in_channels") or groups, layer.get("filters") or layer.get("out_channels") or groups
    torch_line = torch_signature(result.torch, c_in, c_out)
    cut = crop_text(result.crop).replace("[:, :, ", "y[:, :, ")
    lines = [f"PyTorch: {torch_line}" + (f", then {cut}" if cut and result.produced == "torch" else ""),
             f"{framework}: {result.args}" + (f", then {cut}" if cut and result.produced != "torch" else ""),
             f"length for L={length}: {framework} {other}", f"length for L={length}: PyTorch {torch_formula}",
             "", result.code]
    return "\n".join(lines)


def run_practice(args: argparse.Namespace) -> int:
    """``--practice``: the first layer from the flags (when an input or a configuration is given; else drawn from
    ``--seed``), then :func:`convviz.practice.run` on stdin and stdout."""
    first = None
    if args.input is not None or args.config is not None:
        config = gather_config(args)
        weight, bias, _ = parameters(config)
        spec = spec_of(config)
        t = trace(config["input"], weight, bias, spec.stride, spec.padding, spec.output_padding, spec.groups,
                  spec.dilation)
        batch, channel, index = parse_at(args.at) if args.at is not None else (0, *busiest_cell(t))
        first = Exercise(config["input"], weight, bias, spec.stride, spec.padding, spec.output_padding, spec.groups,
                         spec.dilation, channel, index, batch)
        _ = first.trace  # checks the cell
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    print(f"Practice seed {seed}" + ("" if args.seed is not None else f" (pass --seed {seed} to repeat)"), flush=True)
    return practice_run(seed, first, sys.stdin.readline, lambda text: print(text, flush=True))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        text, status = run_checked(argv)
        if text:
            print(text)
    except BrokenPipeError:  # e.g. `python -m convviz ... | head -1`: stop quietly, as Python's docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ConvSpecError as error:
        fail(str(error))
    except (ValueError, TypeError, OverflowError, MemoryError) as error:
        fail(f"{type(error).__name__}: {error}")
    return status


if __name__ == "__main__":
    sys.exit(main())
