"""A port's arguments as one line of text, for links and configuration files: ``kernel_size=4,strides=2,
padding=same``. Numbers are whole numbers, a list or pair is written with ``:`` (ONNX ``pads=1:0``, lax's
``padding=1:0`` for ``[(1, 0)]``), booleans as ``true``/``false``; nothing is evaluated.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import ConvSpecError
from .core import FRAMEWORKS, check_choice

INT = re.compile(r"-?\d{1,6}")


def format_args(args: dict[str, Any]) -> str:
    """Example::

        >>> format_args({"kernel_size": 3, "padding": [(1, 0)], "transpose_kernel": True, "output_padding": None})
        'kernel_size=3,padding=1:0,transpose_kernel=true'
    """
    parts = []
    for name, value in args.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            flat = [v for item in value for v in (item if isinstance(item, (list, tuple)) else (item,))]
            value = ":".join(str(int(v)) for v in flat)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        parts.append(f"{name}={value}")
    return ",".join(parts)


def parse_args(framework: str, text: str) -> dict[str, Any]:
    """The arguments of :func:`format_args`'s text, in the framework's own form (names checked; the values are
    checked by porting them, which may also refuse the layer).

    Example::

        >>> parse_args("jax", "kernel_size=3,strides=2,padding=1:0")
        {'kernel_size': 3, 'strides': 2, 'padding': [(1, 0)]}
    """
    from . import MODULES  # the package's table of frameworks (this module is one of its parts)

    framework = check_choice("port_from", framework, FRAMEWORKS, str.lower)
    if not isinstance(text, str) or len(text) > 400:
        raise ConvSpecError("port_args must be text like kernel_size=4,strides=2 (at most 400 characters)")
    args: dict[str, Any] = {}
    for part in filter(None, text.split(",")):
        name, sep, value = part.partition("=")
        if not sep or not re.fullmatch(r"[a-z_]{1,30}", name):
            raise ConvSpecError(f"port_args: {part!r} is not name=value; write e.g. kernel_size=4")
        if INT.fullmatch(value):
            args[name] = int(value)
        elif ":" in value and all(INT.fullmatch(v) for v in value.split(":")):
            numbers = [int(v) for v in value.split(":")]
            args[name] = [tuple(numbers)] if framework == "jax" and name == "padding" else numbers
        elif value in ("true", "false"):
            args[name] = value == "true"
        elif re.fullmatch(r"[A-Za-z_]{1,12}", value):
            args[name] = value
        else:
            raise ConvSpecError(f"port_args: {part!r} has a value that is not a whole number, a:b, true/false or a "
                                f"word; write e.g. padding=same")
    known = MODULES[framework].KEYS
    unknown = [name for name in args if name not in known]
    if unknown:
        raise ConvSpecError(f"port_args: {unknown[0]!r} is not an argument of the {framework} layer; use "
                            f"{', '.join(known)}")
    return args
