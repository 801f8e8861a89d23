"""Exports: a standalone HTML page that plays offline, and CSV files of the output and the contributions."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from ..trace import COLUMNS, Trace
from .base import View, describe, to_figure


def to_html(view: View | go.Figure) -> str:
    """A standalone page with plotly.js embedded (no network needed in the classroom), the figure's text
    description under it, and the animation paused on its first frame."""
    fig = to_figure(view)
    page = fig.to_html(include_plotlyjs=True, full_html=True, auto_play=False,
                       config={"displaylogo": False, "responsive": True})
    text = html.escape(describe(fig))
    title = html.escape(str(fig.layout.title.text or "convviz").split("<br>")[0])
    page = page.replace("<head>", f"<head><title>{title}</title>", 1)
    return page.replace("</body>", f'<p style="font-family:sans-serif;max-width:60em">{text}</p></body>', 1)


def _columns(name: str, values: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """A value column as text at full precision; complex values split into ``_real`` and ``_imag``."""
    if np.iscomplexobj(values):
        return [(f"{name}_real", values.real.astype(str)), (f"{name}_imag", values.imag.astype(str))]
    return [(name, values.astype(str))]


def _csv(columns: list[tuple[str, np.ndarray]]) -> str:
    header = ",".join(name for name, _ in columns)
    rows = map(",".join, zip(*(text.tolist() for _, text in columns)))
    return "\n".join([header, *rows]) + "\n"


def output_csv(trace: Trace) -> str:
    """The output as CSV, one row per value: ``batch,out_channel,out_index,value`` (``value_real,value_imag``
    for complex dtypes), full precision. Unbatched input is batch 0.

    Example::

        >>> from convviz.trace import trace
        >>> print(output_csv(trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0]]]))), end="")
        batch,out_channel,out_index,value
        0,0,0,1.0
        0,0,1,12.0
        0,0,2,20.0
    """
    y = trace.output  # (N, C_out, L_out)
    n, c, j = np.indices(y.shape).reshape(3, -1)
    return _csv([("batch", n.astype(str)), ("out_channel", c.astype(str)), ("out_index", j.astype(str)),
                 *_columns("value", y.ravel())])


def contributions_csv(trace: Trace) -> str:
    """Every contribution record as CSV, in play order: the trace's columns, ``out_index`` empty where
    padding crops the record away, values at full precision (complex split into ``_real``/``_imag``)."""
    cols = trace.columns
    out: list[tuple[str, np.ndarray]] = []
    for name in COLUMNS:
        text = cols[name].astype(str)
        if name == "out_index":
            text = np.where(cols["kept"], text, "")
        out.append((name, text))
    out.append(("kept", np.where(cols["kept"], "true", "false")))
    for name in ("x_value", "w_value", "product"):
        out += _columns(name, cols[name])
    return _csv(out)
