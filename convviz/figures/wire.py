"""A figure's JSON, encoded once: what ``st.plotly_chart`` sends, without encoding it again on every rerun.

``st.plotly_chart(fig)`` calls ``fig.to_dict()`` and then ``plotly.io.to_json`` on that dict, on every rerun:
for the default scatter animation (27 kB of JSON) that is 1.7 ms with orjson and 3.5 ms with the standard
library's encoder, the largest single cost of a cached rerun. ``encode(fig)`` makes the JSON once, with the
standard library's C encoder straight from the figure's own property dicts (no copy of the figure; numeric
arrays as Plotly's base64 typed arrays, short ones as lists); ``Encoded`` is the figure dict that carries it.
``install()`` puts a thin wrapper in front of ``plotly.io.to_json`` that returns that JSON for an ``Encoded``
dict asked for with the default options and hands everything else to Plotly unchanged. If a future Streamlit
stops calling ``plotly.io.to_json``, the JSON is simply encoded again: slower, never wrong.
"""
from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import plotly.io

from .base import Drawn

_plotly_to_json = plotly.io.to_json
# What plotly.io.to_json escapes in its output (so the JSON can sit inside HTML); the same here.
_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"))
# Numeric arrays from this many values on go as Plotly's base64 typed arrays (its own ``to_dict()`` form: 5.3
# characters a float32 instead of up to 20, so the largest figures stay within their 1.5 MB); shorter ones as
# lists. Plotly keeps axis ranges as lists; they have two values.
TYPED_FROM = 8
_TYPES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
          "float32": "f4", "float64": "f8"}  # plotly.js's typed arrays, as Plotly names them


class Encoded(dict):
    """A figure dict (``{"data", "layout"[, "frames"]}``) with ``json``, the JSON ``plotly.io.to_json`` would
    send for it (``json`` given, or made by Plotly).

    Example::

        >>> sent = Encoded({"data": [{"type": "bar", "y": [1, 2]}], "layout": {}})
        >>> plotly.io.to_json(sent, validate=False) == sent.json == _plotly_to_json(dict(sent), validate=False)
        True
    """

    __slots__ = ("json",)

    def __init__(self, figure: dict[str, Any], json: str | None = None) -> None:
        super().__init__(figure)
        self.json: str = json if json is not None else _plotly_to_json(dict(figure), validate=False)


def encode(fig: Any) -> Encoded:
    """``fig`` as ``Encoded``: the same figure for plotly.js as ``fig.to_dict()``, encoded once.

    Numeric arrays of ``TYPED_FROM`` values or more go as Plotly's typed arrays (base64, as ``fig.to_dict()``
    has them); shorter ones as JSON lists: float32 values widened to float64 (so plotly.js reads exactly the
    numbers a Float32Array gave it, ``0.4000000059604645``, not ``0.4``), NaN (the gaps between line segments)
    as null, which plotly.js treats the same. A figure holding a value a JSON list cannot carry as a number (an
    infinity, a NaN outside an array) or a type the encoder does not know is sent as Plotly itself encodes
    ``fig.to_dict()``.
    The figure is read, never changed (trace dicts are copied one level, without a ``uid``, as Plotly sends).

    Example::

        >>> import plotly.graph_objects as go
        >>> fig = go.Figure(go.Scatter(y=np.array([0.5, np.nan, 2], dtype=np.float32)))
        >>> json.loads(encode(fig).json)["data"][0]["y"]
        [0.5, None, 2.0]
    """
    drawn = fig.parts if isinstance(fig, Drawn) else None  # the dicts a convviz figure is made from
    if drawn is not None:  # Plotly leaves out what is None when it builds the traces and the layout
        data, layout = [_present(trace) for trace in drawn[0]], _present(drawn[1])
    else:
        data, layout = fig._data, fig._layout
    parts: dict[str, Any] = {"data": [{k: v for k, v in trace.items() if k != "uid"} for trace in data],
                             "layout": layout}
    frames = drawn[2] if drawn is not None else [frame._props for frame in fig._frame_objs]
    if frames:
        parts["frames"] = frames
    try:
        text = json.dumps(parts, default=_listed, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError):  # an infinity or an unknown type: Plotly's own way
        return Encoded(fig.to_dict())
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return Encoded(parts, text)


def _typed(array: np.ndarray) -> dict[str, str] | None:
    """A numeric array as Plotly's ``to_dict()`` writes it for plotly.js (``{"dtype", "bdata"[, "shape"]}``,
    64-bit integers narrowed to the smallest type that holds them), or None for a type plotly.js has none for.
    Plotly's own ``to_typed_array_spec`` gives the same, but passes every array through its dataframe layer
    first: 80 ms instead of 18 for the largest scatter animation (``bench/figures.py``).

    Example::

        >>> _typed(np.array([1, 2], dtype=np.int64)), _typed(np.zeros((1, 2), np.float32))["shape"]
        ({'dtype': 'i1', 'bdata': 'AQI='}, '1, 2')
    """
    if array.dtype.kind in "iu" and array.dtype.itemsize == 8:
        low, high = int(array.min()), int(array.max())
        for kind in ("int8", "int16", "int32") if array.dtype.kind == "i" else ("uint8", "uint16", "uint32"):
            if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
                array = array.astype(kind)
                break
    code = _TYPES.get(str(array.dtype))
    if code is None:
        return None
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec


def _present(value: Any) -> Any:
    """``value`` without the dict entries that are None, in nested dicts and in dicts inside lists (arrays of
    values, strings included, are left as they are)."""
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        return [_present(v) for v in value]
    return value


def _listed(value: Any) -> Any:
    """What the JSON encoder cannot write itself: a NumPy array as Plotly's typed array (numbers, from
    ``TYPED_FROM`` values on) or as a list (floats widened to float64, NaN as None), a NumPy scalar as its Python
    value; anything else raises ``TypeError``."""
    if isinstance(value, np.ndarray):
        if value.size >= TYPED_FROM and value.dtype.kind in "iuf":
            typed = _typed(value)
            if typed is not None:
                return typed
        if value.dtype.kind == "f":
            if np.isinf(value).any():
                raise ValueError("an infinity: JSON has no number for it")
            missing = np.isnan(value)
            if missing.any():
                held = value.astype(np.float64).astype(object)
                held[missing] = None
                return held.tolist()
            return value.astype(np.float64).tolist()
        if value.dtype.kind in "biuUO":
            return value.tolist()
    elif isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(fig: Any, validate: bool = True, pretty: bool = False, remove_uids: bool = True,
            engine: str | None = None) -> str:
    """``plotly.io.to_json``, returning an ``Encoded`` dict's JSON as it is when asked with the defaults."""
    if type(fig) is Encoded and not pretty and remove_uids and engine is None:
        return fig.json
    return _plotly_to_json(fig, validate=validate, pretty=pretty, remove_uids=remove_uids, engine=engine)


def install() -> None:
    """Put ``to_json`` in front of ``plotly.io.to_json`` (idempotent)."""
    plotly.io.to_json = to_json


install()
