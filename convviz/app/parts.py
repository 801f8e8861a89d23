"""Small pieces every view draws the same way: a chart with its description, a table of numbers, the batch
sample picker."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from .cache import Chart
from .model import Built

CHART_CONFIG = {"displaylogo": False}
WIDE = 64  # a table with more positions than this is shown one row per position (much faster to send)


def chart(shown: Chart, note: str = "", **kwargs: Any) -> Any:
    """A Plotly figure with its text description underneath, and ``note`` after it in the same caption.
    ``kwargs`` go to ``st.plotly_chart`` (a key and ``on_select`` for a chart that can be clicked)."""
    event = st.plotly_chart(shown.figure, width="stretch", theme=None, config=CHART_CONFIG, **kwargs)
    st.caption(f"{shown.caption}\n\n{note}" if note else shown.caption)
    return event


def table(array: np.ndarray, row: str) -> pd.DataFrame:
    """A 2-D array as a labelled table (rows ``{row} i``, columns positions); complex values as text (a+bj).
    Wider than ``WIDE`` positions, it is transposed: one row per position, one column per ``{row} i``.

    Example::

        >>> table(np.array([[1.0, 2.5]]), "out").to_dict("split")
        {'index': ['out 0'], 'columns': ['0', '1'], 'data': [[1.0, 2.5]]}
    """
    if np.iscomplexobj(array):
        cells: Any = [[f"{z.real:.4f}{z.imag:+.4f}j" for z in r] for r in array]
    else:
        cells = np.round(array.astype(np.float64), 4)
    frame = pd.DataFrame(cells, index=[f"{row} {i}" for i in range(array.shape[0])],
                         columns=[str(j) for j in range(array.shape[1])])
    return frame.T if array.shape[1] > WIDE else frame


def arrow(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as the Arrow table ``st.dataframe`` would make of it (the same bytes reach the browser), for a
    table made once and shown on every rerun: ``st.dataframe`` converts a pandas frame on every call (~1 ms),
    an Arrow table it only serialises (~0.03 ms; ``bench/figures.py --tables``)."""
    return pa.Table.from_pandas(frame)


def samples(array: np.ndarray, batched: bool) -> list[tuple[str, np.ndarray]]:
    """``[(caption, 2-D array)]``, one per batch sample of an ``(N, C, L)`` array; ``[("", (C, L))]`` unbatched."""
    if not batched:
        return [("", array[0] if array.ndim == 3 else array)]
    return [(f"batch {n}", a) for n, a in enumerate(array)]


def batch_ui(built: Built, key: str) -> int:
    """The batch sample to show (0 without a batch)."""
    if not built.trace.batched:
        return 0
    return int(st.selectbox("batch sample", range(built.trace.input.shape[0]), key=key))

