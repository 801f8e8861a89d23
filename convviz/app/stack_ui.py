"""The Stack tab: several transposed convolutions in a row, as real upsamplers (HiFi-GAN, MelGAN) use them.

The stack is one line of text (``convviz.stack.format_stack``, e.g. ``4:16/8/4,16/8/4,4/2/1,4/2/1``) kept in
the session (``keys.STACK``) and in the link as ``?stack=…`` (``pages`` writes it); every widget here edits
that text.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..arguments import ARGUMENTS
from ..errors import ConvSpecError
from ..figures.stack import stack_figure
from ..stack import (
    LAYER_DEFAULTS,
    LAYER_KEYS,
    MAX_LAYERS,
    STACK_CAP,
    STACK_PRESETS,
    check_stack_caps,
    format_stack,
    parse_stack,
    stack_report,
)
from .cache import Chart, chart_of
from .keys import CUSTOM, STACK, STACK_ERROR, STACK_LENGTH, STACK_PRESET
from .parts import chart

DEFAULT_STACK = format_stack(6, STACK_PRESETS["Checkerboard ×2 ×2 (K3 s2)"])
LENGTH_CAP = ARGUMENTS["length"].cap or 128
NEW_LAYER = {"kernel_size": 4, "stride": 2, "padding": 1, "output_padding": 0, "dilation": 1}
ABOUT = ("Real models stack transposed convolutions: HiFi-GAN V1 and MelGAN turn each mel frame into 8·8·2·2 = 256 "
         "audio samples. With all weights 1 on an input of ones, each position counts the **paths** that reach it "
         "(one tap per layer). Uneven counts away from the ends are the checkerboard artefact, and it compounds "
         "from layer to layer; a kernel that is a multiple of its stride avoids it.")


def stack_text() -> str:
    """The stack this session shows (a link's stack is put in the session when it opens), else the default."""
    return str(st.session_state.setdefault(STACK, DEFAULT_STACK))


def stack_link() -> dict[str, Any]:
    """The Stack view's link parameter: the stack shown."""
    return {STACK: stack_text()}


def preset_of(layers: list[dict[str, int]]) -> str:
    """The name of the published stack with exactly these layers (the one already chosen if two match: MelGAN's
    formulas give HiFi-GAN V1's numbers), or ``(custom)``."""
    chosen = st.session_state.get(STACK_PRESET)
    names = [chosen, *STACK_PRESETS] if chosen in STACK_PRESETS else list(STACK_PRESETS)
    for name in names:
        preset = STACK_PRESETS[name]
        if format_stack(1, preset) == format_stack(1, layers):
            return name
    return CUSTOM


def _set(text: str) -> None:
    st.session_state[STACK] = text
    st.session_state.pop(STACK_ERROR, None)


def _pick_preset() -> None:
    name = st.session_state[STACK_PRESET]
    if name != CUSTOM:
        length, _ = parse_stack(stack_text())
        _set(format_stack(length, STACK_PRESETS[name]))


def _set_length() -> None:
    _, layers = parse_stack(stack_text())
    try:
        length = int(st.session_state[STACK_LENGTH])
        check_stack_caps(length, layers)
        _set(format_stack(length, layers))
    except ConvSpecError as error:
        st.session_state[STACK_ERROR] = f"input length {st.session_state[STACK_LENGTH]}: {error}"


def layers_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The edited table as layers (a cell left empty takes torch's default; a row without a kernel is an error)."""
    layers = []
    for number, row in enumerate(frame.to_dict("records"), start=1):
        layer = {}
        for key in LAYER_KEYS:
            value = row.get(key)
            if value is None or pd.isna(value):
                if key == "kernel_size":
                    raise ConvSpecError(f"layer {number}: kernel_size is empty; type a whole number like 4")
                continue
            layer[key] = int(value)
        layers.append({k: v for k, v in layer.items() if k == "kernel_size" or v != LAYER_DEFAULTS[k]})
    return layers


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_stack_chart(text: str) -> tuple[Chart, Any]:
    """The chart and report of one stack (text form), shared by every session."""
    length, layers = parse_stack(text)
    report = stack_report(length, layers)
    return chart_of(stack_figure(report, length)), report


def columns() -> dict[str, Any]:
    return {key: st.column_config.NumberColumn(
        key, min_value=ARGUMENTS[key].minimum, max_value=ARGUMENTS[key].cap, step=1, format="%d",
        default=NEW_LAYER[key], required=key == "kernel_size", help=ARGUMENTS[key].help) for key in LAYER_KEYS}


def stack_ui() -> None:
    """Pick or build a stack, see each layer's length and the compounded overlap, per layer."""
    st.markdown(ABOUT)
    text = stack_text()
    length, layers = parse_stack(text)
    st.session_state[STACK_PRESET] = preset_of(layers)
    st.session_state[STACK_LENGTH] = length
    left, right = st.columns([3, 1])
    left.selectbox("Start from", [*STACK_PRESETS, CUSTOM], key=STACK_PRESET, on_change=_pick_preset,
                   help="HiFi-GAN V1 and MelGAN as in their official code; the checkerboard and its cure")
    right.number_input("input length (frames)", 1, LENGTH_CAP, key=STACK_LENGTH, on_change=_set_length,
                       help="How many samples go into the first layer (mel frames, for a vocoder)")
    if st.session_state[STACK_PRESET] in ("HiFi-GAN V1", "MelGAN"):
        st.caption("HiFi-GAN pads `(k − u)//2`; MelGAN uses kernel `2r`, padding `r//2 + r%2`, output_padding `r%2`. "
                   "For rates 8, 8, 2, 2 both formulas give the same four layers.")
    st.caption(f"One row per layer: edit a cell, add a row at the bottom, or select rows and delete them "
               f"(at most {MAX_LAYERS} layers, at most {STACK_CAP} samples out of any layer).")
    edited = st.data_editor(pd.DataFrame([{**NEW_LAYER, **LAYER_DEFAULTS, **layer} for layer in layers],
                                         columns=list(LAYER_KEYS)),
                            num_rows="dynamic", column_config=columns(), hide_index=True, width="stretch")
    if STACK_ERROR in st.session_state:
        st.error(st.session_state.pop(STACK_ERROR), icon=":material/error:")
    try:
        layers = layers_of(edited)
        lengths = check_stack_caps(length, layers)
    except ConvSpecError as error:
        st.error(str(error), icon=":material/error:")
        st.caption("Fix that layer in the table; the chart comes back as soon as every layer is valid.")
        return
    text = format_stack(length, layers)
    if text != stack_text():
        _set(text)
    factor = lengths[-1] / lengths[0]
    st.markdown("**Lengths:** " + " → ".join(f"`{n}`" for n in lengths) +
                f" (×{factor:g} overall) · in a link: `stack={text}`")
    shown, report = cached_stack_chart(text)
    last = report[-1]
    (st.warning if last.uneven.any() else st.success)(last.verdict[:1].upper() + last.verdict[1:] + ".",
                                                      icon=":material/grid_on:")
    chart(shown)
