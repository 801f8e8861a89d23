"""The ONNX ``ConvTranspose`` operator ↔ ``nn.ConvTranspose1d``, as the operator's specification defines it.

The full buffer is PyTorch's (weight ``(C_in, C_out/group, K)`` in both); ``output_padding`` adds zeros at the
end; ``pads = [begin, end]`` crop. When ``output_shape`` is given (pads then ignored), or ``auto_pad`` is
``SAME_UPPER``/``SAME_LOWER`` (``output_shape = L·strides``), the pads come from
``total = strides·(L−1) + output_padding + (K−1)·dilations + 1 − output_shape``: ``SAME_UPPER`` puts the odd
cell at the end (``begin = ⌊total/2⌋``), every other ``auto_pad`` at the start (``begin = total − ⌊total/2⌋``).
A negative total pads zeros. So the window is ``start = begin``, ``end = end − output_padding``.

Runtimes differ at the edges (the tests pin each): ``onnx.reference`` is the specification, except that it does
not derive pads from ``output_shape`` with ``NOTSET``/``VALID`` (it fails), keeps given ``pads`` next to
``output_shape``, and gets ``group`` wrong unless every group has one channel in and out; onnxruntime 1.31
follows the specification there, but clamps a negative total to 0 for ``SAME_*`` (a shorter output than
``L·strides``) and rejects an ``output_shape`` ``strides`` or more beyond the full length.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ConvSpecError
from .core import (
    TORCH_LAYOUT,
    Port,
    Window,
    channels,
    check_choice,
    check_keys,
    check_torch,
    one_int,
    port_from,
    port_into,
    signed,
    window_phrase,
)

AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")
KEYS = ("kernel_shape", "strides", "pads", "output_padding", "output_shape", "dilations", "auto_pad", "group",
        "length", "in_channels", "out_channels")


def pads_of(args: dict[str, Any], length: int | None) -> tuple[int, int]:
    """``[begin, end]`` as the specification derives them (may be negative: zeros added)."""
    (k,), (s,), (d,), (op,) = args["kernel_shape"], args["strides"], args["dilations"], args["output_padding"]
    auto = args["auto_pad"]
    if args["output_shape"] is not None or auto in ("SAME_UPPER", "SAME_LOWER"):
        assert length is not None or args["output_shape"] is None
        total = (k - 1) * d + 1 + op - s if args["output_shape"] is None else \
            s * (length - 1) + op + (k - 1) * d + 1 - args["output_shape"][0]  # type: ignore[operator]
        begin = total // 2 if auto == "SAME_UPPER" else total - total // 2
        return begin, total - begin
    if auto == "VALID":
        return 0, 0
    return args["pads"][0], args["pads"][1]


def as_list(name: str, value: Any, minimum: int, size: int = 1) -> list[int]:
    items = list(value) if isinstance(value, (list, tuple)) else [value] if size == 1 else []
    if len(items) != size:
        example = "[1, 1]" if size == 2 else "[2]"
        raise ConvSpecError(f"{name}={value!r} must be a list of {size} int{'s' * (size > 1)} for a 1-D "
                            f"ConvTranspose; use {name}={example}")
    return [one_int(name, v, minimum) for v in items]


def normalise(layer: dict[str, Any]) -> dict[str, Any]:
    check_keys("ONNX ConvTranspose", layer, KEYS)
    if "kernel_shape" not in layer:
        raise ConvSpecError("kernel_shape is missing; give the operator's kernel_shape, e.g. kernel_shape=[4]")
    args: dict[str, Any] = {
        "kernel_shape": as_list("kernel_shape", layer["kernel_shape"], 1),
        "strides": as_list("strides", layer.get("strides", 1), 1),
        "pads": as_list("pads", layer["pads"], 0, 2) if layer.get("pads") is not None else None,
        "output_padding": as_list("output_padding", layer.get("output_padding", 0), 0),
        "output_shape": as_list("output_shape", layer["output_shape"], 1) if layer.get("output_shape") is not None
        else None,
        "dilations": as_list("dilations", layer.get("dilations", 1), 1),
        "auto_pad": check_choice("auto_pad", layer.get("auto_pad", "NOTSET"), AUTO_PADS),
        "group": one_int("group", layer.get("group", 1), 1)}
    if args["pads"] is not None and args["auto_pad"] != "NOTSET":
        raise ConvSpecError(f"pads={args['pads']} with auto_pad={args['auto_pad']!r}: the specification does not "
                            f"allow both (onnxruntime rejects it); drop pads or use auto_pad='NOTSET'")
    if args["output_padding"][0] >= args["strides"][0]:
        raise ConvSpecError(f"output_padding={args['output_padding']} must be smaller than strides "
                            f"{args['strides']} (both onnx.reference and onnxruntime reject a larger one); use "
                            f"output_padding=[{args['strides'][0] - 1}]")
    if args["output_shape"] is not None and layer.get("length") is None:
        raise ConvSpecError(f"output_shape={args['output_shape']} fixes the output's length, so the pads depend on "
                            f"the input length; give length=L too")
    if args["auto_pad"] == "NOTSET":
        args["pads"] = args["pads"] or [0, 0]
    return args


def formula(args: dict[str, Any], length: int | None) -> Callable[[int], str]:
    (k,), (s,), (d,), (op,) = args["kernel_shape"], args["strides"], args["dilations"], args["output_padding"]

    def text(n: int) -> str:
        begin, end = pads_of(args, length if length is not None else n)
        out = s * (n - 1) + op + (k - 1) * d + 1 - begin - end
        given = ("output_shape" if args["output_shape"] is not None else
                 "L·strides" if args["auto_pad"].startswith("SAME") else "")
        derived = f"  (pads [{begin}, {end}] derived from {given} = {out})" if given else ""
        return (f"strides·(L−1) + output_padding + (K−1)·dilations + 1 − pads_begin − pads_end = {s}·({n}−1) + "
                f"{op} + ({k}−1)·{d} + 1 − {signed(begin)} − {signed(end)} = {out}{derived}")
    return text


def runtime(args: dict[str, Any], c_in: int, c_out: int, pads_given: bool = False) -> str:
    """``"reference"`` where onnx.reference implements the specification for this layer, else ``"onnxruntime"``."""
    group = args["group"]
    grouped = group > 1 and not (c_in == group and c_out == group)
    derived = args["output_shape"] is not None and (args["auto_pad"] in ("NOTSET", "VALID")
                                                    or pads_given)
    return "onnxruntime" if grouped or derived else "reference"


def code(args: dict[str, Any], c_in: int, c_out: int, pads_given: bool = False) -> list[str]:
    attributes = [f"kernel_shape={args['kernel_shape']}", f"strides={args['strides']}"]
    attributes += [f"pads={args['pads']}"] if args["pads"] != [0, 0] and args["auto_pad"] == "NOTSET" else []
    attributes += [f"output_padding={args['output_padding']}"] if args["output_padding"] != [0] else []
    attributes += [f"output_shape={args['output_shape']}"] if args["output_shape"] is not None else []
    attributes += [f"dilations={args['dilations']}"] if args["dilations"] != [1] else []
    attributes += [f"auto_pad={args['auto_pad']!r}"] if args["auto_pad"] != "NOTSET" else []
    attributes += [f"group={args['group']}"] if args["group"] != 1 else []
    lines = ["from onnx import TensorProto, helper",
             f"node = helper.make_node(\"ConvTranspose\", [\"x\", \"w\"], [\"y\"], {', '.join(attributes)})",
             "graph = helper.make_graph([node], \"port\", [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) "
             "for n in \"xw\"], [helper.make_tensor_value_info(\"y\", TensorProto.FLOAT, None)])",
             "model = helper.make_model(graph, opset_imports=[helper.make_opsetid(\"\", 22)], ir_version=10)"]
    if runtime(args, c_in, c_out, pads_given) == "reference":
        return [*lines, "from onnx.reference import ReferenceEvaluator  # the specification",
                "y_onnx = ReferenceEvaluator(model).run(None, {\"x\": x, \"w\": kernel})[0]  # (N, C_out, L)"]
    return [*lines, "import onnxruntime  # onnx.reference gets this layer wrong (see convviz.port.onnx_op)",
            "session = onnxruntime.InferenceSession(model.SerializeToString(), providers=[\"CPUExecutionProvider\"])",
            "y_onnx = session.run(None, {\"x\": x, \"w\": kernel})[0]  # (N, C_out, L)"]


def port(**layer: Any) -> Port:
    """The ONNX ``ConvTranspose`` operator's attributes (and ``length=L`` with ``output_shape``) as one
    ``nn.ConvTranspose1d`` plus a slice."""
    length = None if layer.get("length") is None else one_int("length", layer["length"], 1)
    args = normalise(layer)
    group = args["group"]
    c_in, c_out = channels(layer, group)
    begin, end = pads_of(args, length)
    (k,), (s,), (d,), (op,) = args["kernel_shape"], args["strides"], args["dilations"], args["output_padding"]
    w = Window(begin, end - op)
    fixed = length if args["output_shape"] is not None else None
    how = (f"output_shape {args['output_shape']} makes pads [{begin}, {end}]" if fixed is not None else
           f"auto_pad {args['auto_pad']!r} makes pads [{begin}, {end}]" if args["auto_pad"] != "NOTSET" else
           f"pads {args['pads']}")
    note = f"ONNX's {how}{f' with output_padding {op}' if op else ''}: it {window_phrase(w)}"
    if layer.get("pads") is not None and args["output_shape"] is not None:
        note += f" (pads {args['pads']} are ignored, as the specification says; onnx.reference still uses them)"
    if begin + end < 0 and args["output_shape"] is None:
        fewer = -(begin + end)
        note += f" (onnxruntime clamps this negative padding to 0 and returns {fewer} sample{'s' * (fewer > 1)} fewer)"
    return port_from("onnx", w, k, s, d, group if group != 1 else None, args, TORCH_LAYOUT, note,
                     code(args, c_in, c_out, layer.get("pads") is not None), c_in, c_out, length or 8,
                     formula(args, length), fixed)


def port_to(**torch_args: Any) -> Port:
    """An ``nn.ConvTranspose1d`` as the ONNX ``ConvTranspose`` operator (``pads``, ``output_padding``)."""
    torch, c_in, c_out = check_torch(torch_args)
    k, s, p, op, d = (torch[n] for n in ("kernel_size", "stride", "padding", "output_padding", "dilation"))
    if op < s:
        pads, extra = [p, p], op
    elif p >= op:
        pads, extra = [p, p - op], 0
    elif op - p < s:
        pads, extra = [p, 0], op - p
    else:
        raise ConvSpecError(f"output_padding={op} with padding={p}: this layer ends with {op - p} zeros, and ONNX's "
                            f"output_padding must stay below strides ({s}); nearest fix: a Pad node after the "
                            f"ConvTranspose, pads [0, 0, 0, 0, 0, {op - p - s + 1}], with output_padding=[{s - 1}]")
    args = {"kernel_shape": [k], "strides": [s], "pads": pads, "output_padding": [extra], "output_shape": None,
            "dilations": [d], "auto_pad": "NOTSET", "group": torch.get("groups", 1)}
    note = f"ONNX's pads {pads}{f' with output_padding {extra}' if extra else ''} crop as PyTorch's layer does"
    return port_into("onnx", torch, (0, 0), args, TORCH_LAYOUT, note, code(args, c_in, c_out), c_in, c_out, 8,
                     formula(args, None))
