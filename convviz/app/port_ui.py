"""The Port view: a transposed convolution of Keras, JAX or ONNX as PyTorch's (and the sidebar's layer the other
way), with the crop drawn on the output row, both length formulas with the numbers filled in, and the code.

Link parameters (session keys too): ``port_from`` (``keras``, ``jax`` or ``onnx``) and ``port_args`` (that
framework's arguments as one line, ``convviz.port.text``: ``kernel_size=4,strides=2,padding=same``).
``port_link()`` gives both; ``port_ui(spec, length)`` draws the view.
"""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

from ..errors import ConvSpecError
from ..figures.port import port_figure
from ..port import FRAMEWORKS, Port, port, port_to
from ..port.core import NAMES, crop_text, torch_signature
from ..port.text import format_args, parse_args
from ..spec import ConvSpec
from .cache import Chart, chart_of
from .keys import PORT_ARGS, PORT_FROM
from .parts import chart

PORT_LINK = (PORT_FROM, PORT_ARGS)
DEFAULT_ARGS = {"keras": "kernel_size=4,strides=2,padding=same", "jax": "kernel_size=4,strides=2,padding=SAME",
                "onnx": "kernel_shape=4,strides=2,auto_pad=SAME_UPPER"}
ABOUT = ("Each framework computes the same full result as PyTorch and keeps a window of it; PyTorch's padding "
         "crops both ends alike, so an uneven window needs a slice after the layer. Only what no PyTorch layer "
         "with the same kernel plus a slice can do is refused, with the nearest fix.")


def port_link() -> dict[str, Any]:
    """The Port view's link parameters: the framework and the arguments shown."""
    framework = str(st.session_state.get(PORT_FROM, "keras"))
    return {PORT_FROM: framework, PORT_ARGS: str(st.session_state.get(PORT_ARGS, DEFAULT_ARGS[framework]))}


def _given() -> tuple[str, dict[str, Any]]:
    """The framework and arguments in the session (a link's, checked), else the defaults."""
    framework = st.session_state.get(PORT_FROM, "keras")
    if framework not in FRAMEWORKS:
        framework = "keras"
    try:
        return framework, parse_args(framework, str(st.session_state.get(PORT_ARGS, DEFAULT_ARGS[framework])))
    except ConvSpecError:
        return framework, parse_args(framework, DEFAULT_ARGS[framework])


def _int(label: str, value: Any, minimum: int, key: str, maximum: int = 16) -> int:
    start = value[0] if isinstance(value, (list, tuple)) else value
    start = min(max(int(start) if isinstance(start, int) else minimum, minimum), maximum)
    return int(st.number_input(label, min_value=minimum, max_value=maximum, value=start, step=1, key=key))


def keras_widgets(given: dict[str, Any]) -> dict[str, Any]:
    c = st.columns(4)
    with c[0]:
        kernel_size = _int("kernel_size", given.get("kernel_size", 4), 1, "port_keras_kernel_size")
    with c[1]:
        strides = _int("strides", given.get("strides", 1), 1, "port_keras_strides", 8)
    with c[2]:
        padding = st.selectbox("padding", ("valid", "same"), key="port_keras_padding",
                               index=1 if given.get("padding") == "same" else 0)
    with c[3]:
        choices = ["None", *map(str, range(strides))]
        op = given.get("output_padding")
        picked = st.selectbox("output_padding", choices, key="port_keras_output_padding",
                              index=choices.index(str(op)) if str(op) in choices else 0)
    dilation = _int("dilation_rate", given.get("dilation_rate", 1), 1, "port_keras_dilation_rate", 8)
    return {"kernel_size": kernel_size, "strides": strides, "padding": padding,
            "output_padding": None if picked == "None" else int(picked), "dilation_rate": dilation}


def jax_widgets(given: dict[str, Any]) -> dict[str, Any]:
    c = st.columns(4)
    with c[0]:
        kernel_size = _int("kernel_size (the kernel's length)", given.get("kernel_size", 4), 1, "port_jax_kernel_size")
    with c[1]:
        strides = _int("strides", given.get("strides", 1), 1, "port_jax_strides", 8)
    with c[2]:
        dilation = _int("rhs_dilation", given.get("rhs_dilation", 1), 1, "port_jax_rhs_dilation", 8)
    with c[3]:
        padding = given.get("padding", "SAME")
        modes = ("SAME", "VALID", "[(lo, hi)]")
        mode = st.selectbox("padding", modes, key="port_jax_padding",
                            index=modes.index(padding) if isinstance(padding, str) and padding in modes else 2)
    args: dict[str, Any] = {"kernel_size": kernel_size, "strides": strides, "rhs_dilation": dilation}
    if mode == "[(lo, hi)]":
        lo, hi = padding[0] if isinstance(padding, list) else (1, 1)
        pair = st.columns(2)
        with pair[0]:
            lo = int(st.number_input("lo", min_value=-16, max_value=32, value=int(lo), key="port_jax_lo"))
        with pair[1]:
            hi = int(st.number_input("hi", min_value=-16, max_value=32, value=int(hi), key="port_jax_hi"))
        args["padding"] = [(lo, hi)]
        args["use_consistent_padding"] = st.checkbox(
            "use_consistent_padding (the pair is the forward conv's padding, as in PyTorch)",
            value=bool(given.get("use_consistent_padding", False)), key="port_jax_consistent")
    else:
        args["padding"] = mode
    args["transpose_kernel"] = st.checkbox("transpose_kernel (flip the kernel, as Keras does)",
                                           value=bool(given.get("transpose_kernel", False)), key="port_jax_transpose")
    return args


def onnx_widgets(given: dict[str, Any], length: int) -> dict[str, Any]:
    c = st.columns(4)
    with c[0]:
        kernel = _int("kernel_shape", given.get("kernel_shape", 4), 1, "port_onnx_kernel_shape")
    with c[1]:
        strides = _int("strides", given.get("strides", 1), 1, "port_onnx_strides", 8)
    with c[2]:
        dilations = _int("dilations", given.get("dilations", 1), 1, "port_onnx_dilations", 8)
    with c[3]:
        output_padding = _int("output_padding", given.get("output_padding", 0), 0, "port_onnx_output_padding",
                              strides - 1)
    c = st.columns(4)
    with c[0]:
        modes = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")
        auto_pad = st.selectbox("auto_pad", modes, key="port_onnx_auto_pad",
                                index=modes.index(given.get("auto_pad", "NOTSET")))
    pads = given.get("pads", [0, 0])
    pads = pads if isinstance(pads, list) and len(pads) == 2 else [0, 0]
    with c[1]:
        begin = _int("pads begin", pads[0], 0, "port_onnx_pads_begin", 32) if auto_pad == "NOTSET" else 0
    with c[2]:
        end = _int("pads end", pads[1], 0, "port_onnx_pads_end", 32) if auto_pad == "NOTSET" else 0
    with c[3]:
        shape = _int("output_shape (0: none)", given.get("output_shape", 0), 0, "port_onnx_output_shape", 2048)
    args: dict[str, Any] = {"kernel_shape": [kernel], "strides": [strides], "output_padding": [output_padding],
                            "dilations": [dilations], "auto_pad": auto_pad}
    if auto_pad == "NOTSET" and (begin or end):
        args["pads"] = [begin, end]
    if shape:
        args["output_shape"], args["length"] = [shape], length
    return args


def show(p: Port, made_from: dict[str, Any], length: int, c_in: int, c_out: int) -> None:
    """One port (made by ``port``/``port_to`` from ``made_from``): the layers, the crop on the output row, both
    formulas, the note and the code."""
    name = NAMES[p.framework]
    cut = crop_text(p.crop).replace("[:, :, ", "y[:, :, ")
    torch_line = torch_signature(p.torch, c_in, c_out) + (f"  →  {cut}" if cut and p.produced == "torch" else "")
    other_line = f"{name}: {format_args(p.args)}" + (f"  →  {cut}" if cut and p.produced != "torch" else "")
    st.code(f"{torch_line}\n{other_line}", language="python")
    chart(_chart(p.framework, p.direction, json.dumps(made_from), length))
    other, torch_formula = p.formulas(length)
    st.markdown(f"**{name}**: `{other}`  \n**PyTorch**: `{torch_formula}`")
    st.caption(p.note)
    with st.expander("Code: both layers on one random input, and their largest difference"):
        st.code(p.code, language="python")


@st.cache_resource(max_entries=64, show_spinner=False)
def _chart(framework: str, direction: str, made_from: str, length: int) -> Chart:
    """The Port view's chart, once per port and length (the port made again from its JSON arguments)."""
    args = json.loads(made_from)
    if framework == "jax" and isinstance(args.get("padding"), list):
        args["padding"] = [tuple(args["padding"][0])]  # lax's pair, as a tuple again
    p = port(framework, **args) if direction == "port" else port_to(framework, **args)
    return chart_of(port_figure(p, length))


def port_ui(spec: ConvSpec, length: int) -> None:
    """Draw the Port view: another framework's layer as PyTorch's, then ``spec`` (the sidebar's layer) in each
    framework. ``length`` is the input length the formulas and the output row use."""
    st.markdown(ABOUT)
    st.subheader("From another framework to PyTorch")
    framework, given = _given()
    labels = {NAMES[f]: f for f in FRAMEWORKS}
    framework = labels[st.radio("Framework", list(labels), horizontal=True, key="port_framework",
                                index=list(labels.values()).index(framework))]
    args = (keras_widgets(given) if framework == "keras" else jax_widgets(given) if framework == "jax" else
            onnx_widgets(given, length))
    try:
        p = port(framework, **args)
        p.length(length)
    except ConvSpecError as error:
        st.error(str(error))
    else:
        st.session_state[PORT_FROM], st.session_state[PORT_ARGS] = framework, format_args(
            {k: v for k, v in args.items() if k != "length"})
        show(p, args, length, 1, 1)
    st.subheader("This layer in Keras / JAX / ONNX")
    layer = {"kernel_size": spec.kernel_size, "stride": spec.stride, "padding": spec.padding,
             "output_padding": spec.output_padding, "dilation": spec.dilation, "groups": spec.groups,
             "in_channels": spec.in_channels, "out_channels": spec.out_channels}
    st.caption(torch_signature({k: v for k, v in layer.items() if k not in ("in_channels", "out_channels")},
                               spec.in_channels, spec.out_channels))
    for tab, target in zip(st.tabs([NAMES[f] for f in FRAMEWORKS]), FRAMEWORKS):
        with tab:
            try:
                there = port_to(target, **layer)
                there.length(length)
            except ConvSpecError as error:
                st.info(f"No single {NAMES[target]} layer does this: {error}")
                continue
            show(there, layer, length, spec.in_channels, spec.out_channels)
