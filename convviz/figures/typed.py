"""Plotly's typed-array form (``{"dtype": "f4", "bdata": base64}``, read by plotly.js) of a figure's NumPy arrays,
made once for a figure that is sent many times.

Plotly's own ``convert_to_base64`` gives the same dicts, but looks at every array through narwhals first
(~65 µs an array): 70 ms of the 130 ms a mid-size animation (1,000 arrays) took to become a cached figure. This
does the same for the arrays convviz draws (numeric, non-empty) with NumPy alone, and leaves anything else as
it is, for Plotly's ``to_dict()`` to convert as usual. ``tests/figures/test_typed.py`` holds it to
``convert_to_base64``'s output on every view, so a Plotly that changes the format fails there.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np

SHORT = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
         "float32": "f4", "float64": "f8"}  # plotly.js' names, as _plotly_utils.utils.plotlyjsShortTypes
SKIPPED = frozenset({"geojson", "layer", "layers", "range"})  # keys Plotly never converts
NARROWER = {"int64": (np.int8, np.int16, np.int32),  # 64-bit integers go down to the first type that holds them,
            "uint64": (np.uint8, np.uint16, np.uint32)}  # as Plotly does (plotly.js has no 64-bit integers)


def typed_array(array: np.ndarray) -> Any:
    """``array`` as a typed-array dict, or ``array`` itself when Plotly would not (or might not) convert it.

    Example::

        >>> typed_array(np.array([1.0, 2.0], dtype=np.float32))
        {'dtype': 'f4', 'bdata': 'AACAPwAAAEA='}
        >>> typed_array(np.array([3, 300]))  # int64 that fits int16
        {'dtype': 'i2', 'bdata': 'AwAsAQ=='}
    """
    if array.size == 0:
        return array
    if str(array.dtype) in NARROWER:
        low, high = array.min(), array.max()
        narrow = next((t for t in NARROWER[str(array.dtype)] if np.iinfo(t).min <= low and high <= np.iinfo(t).max),
                      None)
        if narrow is None:
            return array
        array = array.astype(narrow)
    short = SHORT.get(str(array.dtype))
    if short is None or not array.dtype.isnative:
        return array
    typed = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")}
    if array.ndim > 1:
        typed["shape"] = str(array.shape)[1:-1]
    return typed


def with_typed_arrays(value: Any) -> Any:
    """A copy of ``value`` (dicts, lists and tuples of a figure) with its NumPy arrays in the typed-array form;
    ``value`` itself is left as it was."""
    if isinstance(value, dict):
        return {key: item if key in SKIPPED else with_typed_arrays(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_typed_arrays(item) for item in value]
    if isinstance(value, np.ndarray):
        return typed_array(value)
    return value
