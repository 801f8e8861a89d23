"""A figure's JSON, encoded once: what ``st.plotly_chart`` sends, without encoding it again on every rerun.

``st.plotly_chart(fig)`` calls ``fig.to_dict()`` and then ``plotly.io.to_json`` on that dict, on every rerun:
for the default scatter animation (27 kB of JSON) that is 1.7 ms with orjson and 3.5 ms with the standard
library's encoder, the largest single cost of a cached rerun. ``Encoded`` is a figure dict that carries its
JSON, made once; ``install()`` puts a thin wrapper in front of ``plotly.io.to_json`` that returns that JSON for
an ``Encoded`` dict asked for with the default options, and hands everything else to Plotly unchanged. If a
future Streamlit stops calling ``plotly.io.to_json``, the JSON is simply encoded again: slower, never wrong.
"""
from __future__ import annotations

from typing import Any

import plotly.io

_plotly_to_json = plotly.io.to_json


class Encoded(dict):
    """A figure dict (``{"data", "layout"[, "frames"]}``) with ``json``, the string ``plotly.io.to_json`` makes
    of it (uids removed, compact, the default engine), encoded once.

    Example::

        >>> sent = Encoded({"data": [{"type": "bar", "y": [1, 2]}], "layout": {}})
        >>> plotly.io.to_json(sent, validate=False) == sent.json == _plotly_to_json(dict(sent), validate=False)
        True
    """

    __slots__ = ("json",)

    def __init__(self, figure: dict[str, Any]) -> None:
        super().__init__(figure)
        self.json: str = _plotly_to_json(dict(figure), validate=False)


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
