"""One configuration as JSON: what the app exports and ``python -m convviz --config FILE.json`` reads.

The JSON object has these keys (all but ``input`` optional)::

    {"in_channels": 1, "out_channels": 3, "kernel_size": 1, "stride": 1, "padding": 0, "output_padding": 0,
     "groups": 1, "dilation": 1, "dtype": "float32", "seed": 42, "output_size": null,
     "input": [[8, -3, 0, 1, 5, -2]], "weight": null, "bias": true}

- ``input``: nested list ``(C_in, L)`` or ``(N, C_in, L)``; a flat list is one channel. Text like
  ``"[[8, -3, 0]]"`` is read too.
- ``weight``: nested list ``(C_in, C_out/groups, K)``, or ``null`` for the seeded initialisation.
- ``bias``: a list of ``C_out`` numbers, ``true`` (the seeded bias; the default) or ``false`` (no bias, as
  ``bias=False``).
- ``seed``: ``torch.manual_seed``'s seed for whatever is not given; ``null`` draws one.
- ``in_channels``, ``out_channels`` and ``kernel_size`` may be left out when the weight (or, for
  ``in_channels``, the input) shows them.
- ``stack`` (optional): a stack of layers for the Stack tab, ``{"length": 4, "layers": [{"kernel_size": 16,
  "stride": 8, "padding": 4}, ...]}`` or the link's text ``"4:16/8/4,16/8/4,4/2/1,4/2/1"`` (see ``convviz.stack``).
- Complex numbers are written as strings in Python's notation, ``"1+2j"`` or ``"-0.5j"`` (JSON has no complex
  numbers); real numbers as JSON numbers. Values are written with enough digits to read back bit for bit
  (non-finite values as ``NaN``/``Infinity``, which Python's ``json`` reads).

Nothing is evaluated: numbers are read by ``float``/``complex`` on the text of one number.
"""
from __future__ import annotations

import json
import numbers
import secrets
from collections.abc import Mapping
from typing import Any

import numpy as np

from .arguments import MODULE_INTS, TORCH_DEFAULTS, check_seed
from .errors import ConvSpecError
from .init import init_parameters
from .limits import check_text_size
from .spec import ConvSpec, as_dtype, as_int, check_input
from .stack import format_stack, parse_stack
from .values import parse_number, parse_values, to_array

INT_KEYS = MODULE_INTS  # from the one table of arguments
KEYS = (*INT_KEYS, "dtype", "seed", "output_size", "input", "weight", "bias")
# What a configuration file or the CLI leaves out: torch's own defaults (no seed: one is drawn and printed).
DEFAULTS: dict[str, Any] = {**{name: value for name, value in TORCH_DEFAULTS.items()
                               if value is not None and name != "padding_mode"},
                            "seed": None, "output_size": None, "weight": None}


def _number(value: Any, name: str) -> complex | float:
    """One JSON/Python scalar as a float or complex; strings are read as one number (never evaluated)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise ConvSpecError(f"{name}: {json.dumps(value) if value is None or isinstance(value, bool) else value} "
                            f"is not a number; write numbers like 8, -0.5 or \"1+2j\"")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, numbers.Complex):
        return complex(value)
    if isinstance(value, str):
        try:
            return parse_number(value, name)
        except ConvSpecError:
            pass
    raise ConvSpecError(f"{name}: {value!r} is not a number; write numbers like 8, -0.5 or \"1+2j\" "
                        f"(complex as a string)")


def _nested(value: Any, name: str) -> Any:
    """Nested lists with every scalar read by :func:`_number`."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        return [_nested(v, name) for v in value]
    return _number(value, name)


def _array(value: Any, name: str, dtype: str, ndims: tuple[int, ...]) -> np.ndarray:
    """``value`` (a nested list, an array, or text like ``"[[8, -3]]"``) as an array of ``dtype``."""
    if isinstance(value, str):
        parsed = parse_values(value, name)
        value = parsed[0] if ndims == (1,) and len(parsed) == 1 else parsed
    elif isinstance(value, (list, tuple)) and ndims == (2, 3) and value and not isinstance(value[0], (list, tuple)):
        value = [value]  # a flat list is one channel
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iufc":
            raise ConvSpecError(f"{name}: an array of {value.dtype} is not numbers; give numbers")
        array = value
    else:
        if not isinstance(value, (list, tuple)):
            raise ConvSpecError(f"{name}: {value!r} must be a list of numbers like [[8, -3, 0]]")
        if _ragged(value):
            raise ConvSpecError(f"{name}: rows have different lengths (or mix numbers and lists); give every "
                                f"row the same number of values")
        array = np.array(_nested(value, name), dtype=np.complex128)
    if array.size == 0:
        raise ConvSpecError(f"{name} is empty; give at least one number per row")
    return to_array(array.tolist(), dtype, name, ndims)


def _ragged(value: Any) -> bool:
    """Whether nested lists have unequal lengths or mix numbers and lists at one level."""
    if not isinstance(value, (list, tuple)):
        return False
    kinds = {isinstance(v, (list, tuple)) for v in value}
    if len(kinds) > 1:
        return True
    if kinds == {True}:
        if len({len(v) for v in value}) > 1:
            return True
        return any(_ragged(v) for v in value)
    return False


def _optional_int(value: Any, name: str, minimum: int) -> int | None:
    return None if value is None else as_int(name, value, minimum)


def normalize_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Check a configuration and return it with every key present and typed.

    Returns:
        a dict with the ints of ``INT_KEYS``, ``dtype`` (a name such as ``"float32"``), ``seed`` (int or
        None), ``output_size`` (int or None), ``input`` (an array of ``dtype``), ``weight`` (an array or None:
        seeded) and ``bias`` (an array, True: seeded, or False: no bias).

    Raises:
        ConvSpecError: naming the key, the value, the rule and the fix.

    Example::

        >>> c = normalize_config({"in_channels": 1, "out_channels": 3, "kernel_size": 1, "input": [8, -3, 0]})
        >>> c["input"], c["bias"], c["stride"]
        (array([[ 8., -3.,  0.]], dtype=float32), True, 1)
    """
    if not isinstance(config, Mapping):
        raise ConvSpecError(f"config must be a JSON object like {{\"input\": [[8, -3, 0]], ...}}, not "
                            f"{type(config).__name__}")
    unknown = [key for key in config if key not in KEYS and key not in ("padding_mode", "stack")]
    if unknown:
        raise ConvSpecError(f"config: unknown key {unknown[0]!r}; use only {', '.join(KEYS)}")
    if config.get("padding_mode", "zeros") != "zeros":
        raise ConvSpecError(f"padding_mode={config['padding_mode']!r} is not supported by transposed convolution; "
                            f"use \"zeros\"")
    if "input" not in config or config["input"] is None:
        raise ConvSpecError("input is missing; give the input as a nested list like [[8, -3, 0, 1, 5, -2]]")
    c: dict[str, Any] = {**DEFAULTS, **{k: v for k, v in config.items() if v is not None and k != "padding_mode"}}
    dtype = as_dtype(c["dtype"]).name
    groups = as_int("groups", c["groups"], 1)
    x = _array(c["input"], "input", dtype, (2, 3))
    weight = None if c["weight"] is None else _array(c["weight"], "weight", dtype, (3,))
    inferred = {"in_channels": x.shape[-2]}
    if weight is not None:
        inferred = {"in_channels": weight.shape[0], "out_channels": weight.shape[1] * groups,
                    "kernel_size": weight.shape[2]}
    for key in ("in_channels", "out_channels", "kernel_size"):
        if key not in c:
            if key not in inferred:
                raise ConvSpecError(f"{key} is missing; give {key} (e.g. {key}=3) or a weight that shows it")
            c[key] = inferred[key]
    bias = c["bias"]
    has_bias = bias is not False
    if isinstance(bias, (bool, np.bool_)):
        bias = bool(bias)
    elif isinstance(bias, (int, float)):
        raise ConvSpecError(f"bias={bias!r} must be a list of out_channels numbers, true (seeded) or false "
                            f"(no bias); wrap one value in brackets: [{bias}]")
    spec = ConvSpec(**{key: c[key] for key in INT_KEYS}, bias=has_bias, dtype=dtype)
    output_size = _optional_int(c["output_size"], "output_size", 1)
    check_input(spec, x, output_size=output_size)  # channels and length
    if weight is not None and weight.shape != spec.weight_shape:
        raise ConvSpecError(f"weight has shape {weight.shape} but in_channels, out_channels/groups and kernel_size "
                            f"need {spec.weight_shape}; give a weight of that shape or fix the arguments")
    if not isinstance(bias, bool):
        bias = _array(bias, "bias", dtype, (1,))
        if bias.shape != (spec.out_channels,):
            raise ConvSpecError(f"bias has {bias.size} values but out_channels={spec.out_channels}; give one value "
                                f"per out_channel")
    seed = None if c["seed"] is None else check_seed(c["seed"])
    spec.with_output_size(x.shape[-1], output_size)  # validates output_size
    return {**{key: getattr(spec, key) for key in INT_KEYS}, "dtype": dtype, "seed": seed,
            "output_size": output_size, "input": x, "weight": weight, "bias": bias,
            **({"stack": stack_text(config["stack"])} if config.get("stack") is not None else {})}


def stack_text(value: Any) -> str | None:
    """A configuration's ``stack`` (None, the link's text, or ``{"length": L, "layers": [...]}``) as the link's text.

    Example::

        >>> stack_text({"length": 2, "layers": [{"kernel_size": 4, "stride": 2, "padding": 1}]})
        '2:4/2/1'
    """
    if value is None:
        return None
    if isinstance(value, str):
        check_text_size("stack", value)
    if isinstance(value, Mapping):
        unknown = [key for key in value if key not in ("length", "layers")]
        if unknown or "layers" not in value:
            raise ConvSpecError(f"stack: {dict(value)!r} must be {{\"length\": 4, \"layers\": [{{\"kernel_size\": 16, "
                                f"\"stride\": 8, \"padding\": 4}}, ...]}} or text like \"4:16/8/4,4/2/1\"")
    try:
        return format_stack(value.get("length", 4), value["layers"]) if isinstance(value, Mapping) else \
            format_stack(*parse_stack(value))
    except ConvSpecError as error:
        raise ConvSpecError(f"stack: {error}".replace("stack: stack", "stack")) from None


def spec_of(config: Mapping[str, Any]) -> ConvSpec:
    """The ``ConvSpec`` of a normalized configuration (``output_padding`` as ``output_size`` picks it)."""
    bias = config["bias"]
    spec = ConvSpec(**{key: config[key] for key in INT_KEYS}, bias=bias is not False, dtype=config["dtype"])
    return spec.with_output_size(np.shape(config["input"])[-1], config["output_size"])


def parameters(config: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray | None, int | None]:
    """``(weight, bias, seed)`` of a normalized configuration: given values where present, else drawn as
    ``torch.manual_seed(seed)`` then ``nn.ConvTranspose1d(...)`` would (weight first, then bias, so the seeded
    bias is the same whether or not the weight is given). ``seed`` is the one used (drawn if it was None and
    something had to be drawn)."""
    weight, bias, seed = config["weight"], config["bias"], config["seed"]
    if weight is None or bias is True:
        if seed is None:
            seed = secrets.randbits(32)
        drawn_weight, drawn_bias = init_parameters(config["in_channels"], config["out_channels"],
                                                   config["kernel_size"], config["groups"], bias is not False,
                                                   np.dtype(config["dtype"]), seed)
        weight = drawn_weight if weight is None else weight
        bias = drawn_bias if bias is True else bias
    return weight, (None if bias is False else bias), seed


def to_plain(value: Any) -> Any:
    """Arrays and NumPy scalars as JSON-ready lists and numbers; complex numbers as ``"a+bj"`` strings.

    Example::

        >>> to_plain(np.array([1.5, -2.0], dtype=np.float32)), to_plain(np.complex64(1 - 2j))
        ([1.5, -2.0], '1-2j')
    """
    if isinstance(value, np.ndarray):
        return to_plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (complex, np.complexfloating)):
        return repr(complex(value)).strip("()")
    if isinstance(value, np.generic):
        return value.item()
    return value


def config_to_json(config: Mapping[str, Any]) -> str:
    """A configuration as JSON text (validated first), one key per line, numbers exact.

    Example::

        >>> text = config_to_json({"in_channels": 1, "out_channels": 3, "kernel_size": 1, "seed": 42,
        ...                        "input": [[8, -3, 0, 1, 5, -2]]})
        >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
        {"in_channels": 1, "out_channels": 3, "kernel_size": 1, "stride": 1, "padding": 0, "output_padding": 0,
         "groups": 1, "dilation": 1, "dtype": "float32", "seed": 42, "output_size": null,
         "input": [[8.0, -3.0, 0.0, 1.0, 5.0, -2.0]], "weight": null, "bias": true}
        >>> config_from_json(text)["seed"]
        42
    """
    c = normalize_config(config)
    items = [f"{json.dumps(key)}: {json.dumps(to_plain(c[key]))}" for key in KEYS]
    if c.get("stack") is not None:
        length, layers = parse_stack(c["stack"])
        items.append(f'"stack": {json.dumps({"length": length, "layers": layers})}')
    lines, line = [], ""
    for item in items:  # wrap at about 100 characters
        if line and len(line) + len(item) > 100:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {item}" if line else item
    lines.append(line)
    return "{" + "\n ".join(lines) + "}"


def config_from_json(text: str | bytes) -> dict[str, Any]:
    """Read a configuration from JSON text (or a file's UTF-8 bytes) and check it (see :func:`normalize_config`
    for what comes back).

    Raises:
        ConvSpecError: for text longer than ``CONFIG_FILE_LIMIT`` (refused before it is read), text that is not
            a JSON object, or any bad value, with the fix.
    """
    check_text_size("config", text, "configuration file")  # at most CONFIG_FILE_LIMIT, before json reads it
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConvSpecError(f"config is not valid JSON ({error.msg} at line {error.lineno}, column "
                            f"{error.colno}); fix the JSON or export it again from the app") from None
    return normalize_config(data)

