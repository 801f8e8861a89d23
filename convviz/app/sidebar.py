"""Sidebar widgets. Keys equal the argument names (``convviz.arguments``), so a link's parameters set them when a
session opens (``pages.start_session``) and the page's one URL writer (``main``) reads them back."""
from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from ..arguments import ARGUMENTS, CAPS, help_text, table_seed
from ..config import config_from_json, parameters
from ..errors import ConvSpecError
from ..init import init_parameters
from ..limits import CONFIG_UPLOAD_MB, check_text_size, text_limit
from ..presets import DEFAULTS, preset, preset_names
from ..spec import DTYPES
from ..values import format_values
from .cache import Key, cached_build
from .keys import CONFIG_ERROR, CONFIG_FILE, CUSTOM, PRESET, STACK
from .model import MAX_CONTRIBUTIONS, Built, random_input

TYPED = {"input_text": "[[8, -3, 0, 1, 5, -2]]", "weight_text": "[[[1, 2, 3]]]", "bias_text": "[0]"}
# What every control shows on a fresh page. Widgets are drawn without a value of their own and read this
# (Streamlit forgets a widget's value while it is hidden: a hidden control comes back at its default).
WIDGET_DEFAULTS: dict[str, Any] = {
    **{name: row.default for name, row in ARGUMENTS.items() if row.kind != "text"},
    "input_mode": "random", "weight_mode": "seeded", **TYPED, PRESET: CUSTOM, "device": "cpu"}


def ensure_defaults() -> None:
    """Give every control that has no value yet (a new session, or one hidden on the last run) its default."""
    state = st.session_state
    for key, value in WIDGET_DEFAULTS.items():
        if key not in state:
            state[key] = value


def set_values(values: dict[str, Any]) -> None:
    """Set widgets from code (in a callback, before they are drawn); the link follows."""
    for key, value in values.items():
        st.session_state[key] = value


def apply_preset(name: str | None = None) -> None:
    """Fill every widget from the chosen preset (a callback, so it runs before the widgets are drawn)."""
    name = name or st.session_state[PRESET]
    if name == CUSTOM:
        return
    values = preset(name)
    chosen = {key: values[key] for key in DEFAULTS if key not in ("input", "padding_mode", "device")}
    typed = values["input"] is not None
    chosen["input_mode"] = "typed" if typed else "random"
    if typed:
        chosen["input_text"] = format_values(np.array(values["input"]), 9)
    chosen["weight_mode"] = "seeded"
    set_values(chosen)


def mark_custom() -> None:
    """A control changed by hand: the page no longer shows the preset (nor names it in the link)."""
    if st.session_state.get(PRESET, CUSTOM) != CUSTOM:
        st.session_state[PRESET] = CUSTOM


def _now(name: str) -> Any:
    return st.session_state.get(name, DEFAULTS.get(name))


def prefill_input() -> None:
    """Switching to typed input starts from the values on screen, ready to edit."""
    mark_custom()
    if _now("input_mode") != "typed":
        return
    shape: tuple[int, ...] = (_now("in_channels"), _now("length"))
    if _now("batched"):
        shape = (_now("batch_size"), *shape)
    st.session_state["input_text"] = format_values(random_input(int(_now("seed")), shape, _now("dtype")))


def prefill_weights() -> None:
    """Switching to typed weights starts from the seeded ones (when the channels fit the groups)."""
    mark_custom()
    if _now("weight_mode") != "typed":
        return
    try:
        weight, bias = init_parameters(_now("in_channels"), _now("out_channels"), _now("kernel_size"),
                                       _now("groups"), True, np.dtype(_now("dtype")), int(_now("seed")))
    except (ConvSpecError, ValueError, ZeroDivisionError):
        return
    st.session_state["weight_text"] = format_values(weight)
    st.session_state["bias_text"] = format_values(bias)


def number(name: str, label: str | None = None) -> int:
    """The number input for argument ``name``: bounds, default and help from the one table of arguments."""
    row = ARGUMENTS[name]
    return int(st.number_input(label or name, min_value=row.minimum, max_value=row.cap, step=1, key=name,
                               help=row.help, on_change=mark_custom))


def preset_ui() -> str:
    names = [CUSTOM, *preset_names()]
    name = st.selectbox("preset", names, key=PRESET, on_change=apply_preset,
                        help="Fill every control from a named example; change anything afterwards.")
    if name != CUSTOM:
        st.caption(preset(name).get("about", ""))
    return str(name)


def arguments_ui() -> dict[str, Any]:
    """The arguments of ``nn.ConvTranspose1d``."""
    s: dict[str, Any] = {}
    left, right = st.columns(2)
    for column, names in ((left, ("in_channels", "kernel_size", "padding", "groups")),
                          (right, ("out_channels", "stride", "output_padding", "dilation"))):
        with column:
            for name in names:
                s[name] = number(name)
    s["bias"] = bool(st.toggle("bias", key="bias", on_change=mark_custom, help=help_text("bias")))
    s["dtype"] = st.selectbox("dtype", DTYPES, key="dtype", on_change=mark_custom, help=help_text("dtype"))
    s["padding_mode"] = st.selectbox("padding_mode", ["zeros"], key="padding_mode", help=help_text("padding_mode"))
    s["device"] = st.selectbox("device", ["cpu"], key="device", help="convviz computes with NumPy on the CPU.")
    row = ARGUMENTS["output_size"]
    s["output_size"] = st.number_input("output_size (optional)", min_value=row.minimum, max_value=row.cap, value=None,
                                       step=1, key="output_size", on_change=mark_custom, help=row.help)
    return s


def values_ui() -> tuple[dict[str, Any], Any]:
    """The input and the weights: drawn from the seed or typed. Returns the settings and a slot in which
    ``in_use_ui`` shows the values in use for what is not typed (known only once the page has built them)."""
    s: dict[str, Any] = {}
    s["seed"] = number("seed")
    s["input_mode"] = st.radio("input", ["random", "typed"], key="input_mode", horizontal=True,
                               on_change=prefill_input, help=help_text("input_mode"),
                               format_func=lambda m: {"random": "random integers", "typed": "typed"}[m])
    if s["input_mode"] == "typed":
        s["batched"], s["batch_size"], s["length"] = DEFAULTS["batched"], DEFAULTS["batch_size"], DEFAULTS["length"]
    else:
        s["batched"] = bool(st.toggle("batched (3-D input)", key="batched", on_change=mark_custom,
                                      help=help_text("batched")))
        s["batch_size"] = number("batch_size") if s["batched"] else DEFAULTS["batch_size"]
        s["length"] = number("length")
    s["weight_mode"] = st.radio("weights", ["seeded", "typed"], key="weight_mode", horizontal=True,
                                on_change=prefill_weights, help=help_text("weight_mode"),
                                format_func=lambda m: {"seeded": "torch.manual_seed", "typed": "typed"}[m])
    typed_input, typed_weights = s["input_mode"] == "typed", s["weight_mode"] == "typed"
    # Only typed values are text boxes (bound to the link); values drawn from the seed are shown read-only,
    # filled in by in_use_ui once the page has built them, so a grey box never shows numbers not in use.
    with st.expander("typed values" if typed_input or typed_weights else "values in use",
                     expanded=typed_input or typed_weights):
        if typed_input:
            s["input_text"] = st.text_area("input values", key="input_text", on_change=mark_custom,
                                           max_chars=text_limit("input"), help=help_text("input_text"))
        slot = st.empty()
        if typed_weights:
            s["weight_text"] = st.text_area("weight values", key="weight_text", on_change=mark_custom,
                                            max_chars=text_limit("weight"), help=help_text("weight_text"))
            s["bias_text"] = st.text_area("bias values", key="bias_text", on_change=mark_custom,
                                          max_chars=text_limit("bias"), help=help_text("bias_text"))
    return s, slot


def in_use_boxes(built: Built) -> list[tuple[str, str]]:
    """(label, text) of each read-only box: the values in use that were not typed."""
    boxes: list[tuple[str, str]] = []
    if built.random_input:
        boxes.append(("input values in use (random, from the seed)", format_values(built.input, 6)))
    if built.seeded:
        boxes.append(("weight values in use (torch.manual_seed)", format_values(built.weight, 6)))
        boxes.append(("bias values in use", "none (bias=False)" if built.bias is None
                      else format_values(built.bias, 6)))
    return boxes


def in_use_text(boxes: list[tuple[str, str]]) -> str:
    """The boxes as one preformatted text: each label, then its values, a blank line between.

    Example::

        >>> print(in_use_text([("weight values in use", "[[[1, 2]]]"), ("bias values in use", "[0.5]")]))
        weight values in use:
        [[[1, 2]]]
        <BLANKLINE>
        bias values in use:
        [0.5]
    """
    return "\n\n".join(f"{label}:\n{text}" for label, text in boxes)


@st.cache_resource(max_entries=128, show_spinner=False)
def cached_in_use(key: Key) -> str:
    """The values-in-use text of one configuration (formatted once, for every session; a ``str`` is immutable,
    so every session gets the same object instead of ``st.cache_data``'s pickled copy)."""
    return in_use_text(in_use_boxes(cached_build(key)))


def in_use_ui(slot: Any, key: Key | None) -> None:
    """The values in use that were not typed (random input, seeded weight and bias), read-only: one ``st.text``,
    since every element costs each rerun of every student, and a code block would make every fresh page load a
    syntax highlighter. ``key``: a configuration that builds (None: nothing to show)."""
    if key is None:
        return
    text = cached_in_use(key)
    if text:
        slot.text(text, help="Not typed: drawn from the seed. Choose “typed” above to edit them.")


def sidebar_ui(inside: bool = False) -> tuple[dict[str, Any], Any]:
    """Every control; returns the settings as a plain dict (``inside``: already in a sidebar container) and
    the slot for :func:`in_use_ui`."""
    ensure_defaults()
    with st.container() if inside else st.sidebar:
        st.header("nn.ConvTranspose1d")
        settings = {"preset": preset_ui(), **arguments_ui()}
        values, slot = values_ui()
        settings.update(values)
        st.caption(f"Classroom caps: channels ≤ {CAPS['in_channels']}, length ≤ {CAPS['length']}, "
                   f"kernel ≤ {CAPS['kernel_size']}, stride and dilation ≤ {CAPS['stride']}, batch ≤ "
                   f"{CAPS['batch_size']}, at most {MAX_CONTRIBUTIONS:,} contributions.")
    return settings, slot


def apply_config() -> None:
    """Fill the widgets from an uploaded configuration JSON (the file the Downloads export and the CLI read)."""
    upload = st.session_state.get(CONFIG_FILE)
    if upload is None:
        return
    try:
        data = upload.getvalue()
        check_text_size("config", data, "configuration file")  # before anything decodes or reads it
        config = config_from_json(data)
    except ConvSpecError as error:
        said = str(error)  # the size check names the file itself
        st.session_state[CONFIG_ERROR] = said if said.startswith("configuration") else f"configuration file: {said}"
        return
    st.session_state.pop(CONFIG_ERROR, None)
    set_values(config_values(config))


def config_values(config: dict[str, Any]) -> dict[str, Any]:
    """Widget values for a normalized configuration (``convviz.config``): typed input, and typed weights as
    soon as the file gives a weight or a bias (the seeded values fill in what it leaves out)."""
    chosen: dict[str, Any] = {name: config[name] for name in (
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "dilation",
        "dtype", "output_size")}
    chosen.update(preset=CUSTOM, input_mode="typed", input_text=format_values(config["input"], 17),
                  bias=config.get("bias", True) is not False)
    if config.get("seed") is not None:
        chosen["seed"] = table_seed(config["seed"])  # the seed row's own range, same parameters
    if config.get("stack") is not None:
        chosen[STACK] = config["stack"]  # the Stack view's stack (text, as in the link)
    shape = np.shape(config["input"])
    chosen["length"] = shape[-1]
    bias = config.get("bias", True)
    if config.get("weight") is not None or not isinstance(bias, bool):  # anything typed: show it all typed
        weight, bias_values, _ = parameters(config)  # the file's values, seeded ones for what it leaves out
        chosen.update(weight_mode="typed", weight_text=format_values(weight, 17),
                      bias_text=format_values(bias_values if bias_values is not None else [0], 17))
    else:
        chosen["weight_mode"] = "seeded"
    return chosen


def load_config_ui() -> None:
    with st.sidebar.expander("Load a configuration (JSON)"):
        st.file_uploader("configuration JSON", type=["json"], key=CONFIG_FILE, on_change=apply_config,
                         max_upload_size=CONFIG_UPLOAD_MB,  # what the largest configuration needs (limits)
                         help="A file from Downloads → Configuration, or one written for python -m convviz "
                              f"(at most {CONFIG_UPLOAD_MB} MB)")
    if CONFIG_ERROR in st.session_state:
        st.sidebar.error(st.session_state[CONFIG_ERROR])
