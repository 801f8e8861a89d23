"""The main area: the output-length formula, the output, and one small function per tab."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from .. import torch_check
from ..worksheet import explain, length_formula
from .answer_ui import answer_tab
from .cache import Key, cached_build, cached_figure, kept, sendable
from .conv1d_ui import autograd_ui, conv1d_tab
from .exports import exports_ui
from .model import Built
from .stack_ui import stack_ui
from .steps_ui import scatter_view_ui, steps_ui

TABS = ["Scatter", "Hand calculation", "Check my answer", "Gather", "Matrix", "Conv1d", "Overlap", "Groups",
        "Stack", "PyTorch check", "Downloads"]


CHART_CONFIG = {"displaylogo": False}
WIDE = 64  # a table with more positions than this is shown one row per position (much faster to send)


def table(array: np.ndarray, row: str) -> pd.DataFrame:
    """A 2-D array as a labelled table (rows ``{row} i``, columns positions); complex values as text (a+bj).
    Wider than ``WIDE`` positions, it is transposed: one row per position, one column per ``{row} i``."""
    if np.iscomplexobj(array):
        cells: Any = [[f"{z.real:.4f}{z.imag:+.4f}j" for z in r] for r in array]
    else:
        cells = np.round(array.astype(np.float64), 4)
    frame = pd.DataFrame(cells, index=[f"{row} {i}" for i in range(array.shape[0])],
                         columns=[str(j) for j in range(array.shape[1])])
    return frame.T if array.shape[1] > WIDE else frame


def samples(array: np.ndarray, batched: bool) -> list[tuple[str, np.ndarray]]:
    """``[(caption, 2-D array)]``, one per batch sample."""
    return [(f"batch {n}", a) for n, a in enumerate(array)] if batched else [("", array)]


def arrow(frame: pd.DataFrame) -> Any:
    """``frame`` as the Arrow table ``st.dataframe`` would make of it (the same bytes are sent), made once.

    pandas' conversion costs about a millisecond a table, mostly in working out the schema and the index; for
    numbers, both depend only on the labels, so they are kept per layout (``_LAYOUTS``) and a table of the same
    layout is assembled from its columns directly."""
    if not all(dtype == np.float64 for dtype in frame.dtypes):  # complex values shown as text: pandas' way
        return dataframe_util.convert_pandas_df_to_arrow_table(frame)
    layout = (tuple(frame.columns), tuple(frame.index))
    known = _LAYOUTS.get(layout)
    if known is None:
        table = dataframe_util.convert_pandas_df_to_arrow_table(frame)
        if len(_LAYOUTS) < 512:
            _LAYOUTS[layout] = (table.schema, [table.column(name) for name in table.column_names[frame.shape[1]:]])
        return table
    schema, index = known
    values = frame.to_numpy()  # (rows, columns) float64
    columns = [pa.array(values[:, j], from_pandas=True) for j in range(values.shape[1])]  # NaN as null, as pandas
    return pa.Table.from_arrays([*columns, *index], schema=schema)


_LAYOUTS: dict[tuple[tuple[Any, ...], tuple[Any, ...]], tuple[Any, list[Any]]] = {}


@dataclass(frozen=True)
class Summary:
    """What ``summary_ui`` shows for one configuration, in the form Streamlit sends (made once per build)."""

    formula: str  # LaTeX
    shapes: str  # Markdown
    outputs: list[tuple[str, Any, Any]]  # (caption, Arrow table, height), one per batch sample


@dataclass(frozen=True)
class Details:
    """The input, weight and bias tables (made once per build, when first opened)."""

    inputs: list[tuple[str, Any]]  # (caption, Arrow table)
    weight: Any
    bias: Any  # None without bias


def summary(built: Built) -> Summary:
    t, spec = built.trace, built.spec
    outputs = []
    for caption, y in samples(t.output, t.batched):
        shown = table(y, "out")
        outputs.append((caption, arrow(shown), "content" if len(shown) <= 10 else "auto"))
    return Summary(
        formula=length_formula(spec, t.length, fmt="latex"),
        shapes=f"**input** `{tuple(built.input.shape)}` → **output** `{tuple(t.output.shape)}` · weight "
               f"`{tuple(built.weight.shape)}` · dtype `{spec.dtype}`" + ("" if built.seeded else " · typed weights")
               + f" · L_out {length_formula(spec, t.length, fmt='text').splitlines()[-1].strip()}",
        outputs=outputs)


def details(built: Built) -> Details:
    return Details(
        inputs=[(f"input{', ' + caption if caption else ''}", arrow(table(x, "in")))
                for caption, x in samples(built.input, built.trace.batched)],
        weight=arrow(table(built.weight.reshape(-1, built.weight.shape[2]), "w")),
        bias=None if built.bias is None else arrow(table(built.bias[None], "bias")))


def summary_ui(built: Built) -> None:
    """Output-length formula with the numbers, the shapes and the output values. The tables of the input,
    weight and bias are sent only while their expander is open (opening it reruns), so a rerun sends less."""
    s: Summary = kept(built, "_convviz_summary", lambda: summary(built))
    st.markdown(s.shapes + "\n\n**Output**")  # the length formula's numbers; the formula is in the expander
    for caption, shown, height in s.outputs:
        if caption:
            st.caption(caption)
        st.dataframe(shown, width="stretch", height=height)
    more = st.expander("The length formula; input, weight and bias", expanded=False, key="inputs_open",
                       on_change="rerun")
    if not more.open:
        return
    d: Details = kept(built, "_convviz_details", lambda: details(built))
    with more:
        st.latex(s.formula)
        for caption, x in d.inputs:
            st.caption(caption)
            st.dataframe(x, width="stretch")
        st.dataframe(d.weight, width="stretch")
        st.caption("weight rows: (in_channel, out_channel within group) in order; columns: taps")
        if d.bias is not None:
            st.dataframe(d.bias, width="stretch")


def batch_ui(built: Built, key: str) -> int:
    if not built.trace.batched:
        return 0
    return int(st.selectbox("batch sample", range(built.trace.input.shape[0]), key=key))


def chart(fig: Any, note: str = "", **kwargs: Any) -> Any:
    """A Plotly figure with its text description underneath (colour is never the only cue), and ``note`` after
    it in the same caption; the figure's JSON and description are made once per figure (``cache.sendable``),
    not on every rerun."""
    ready = sendable(fig)
    event = st.plotly_chart(ready, width="stretch", theme=None, config=CHART_CONFIG, **kwargs)
    st.caption(f"{ready._caption}\n\n{note}" if note else ready._caption)
    return event


def scatter_tab(key: Key, built: Built) -> None:
    """The animation, or the same steps by hand (``steps_ui``: buttons, slider, ← →, ``?step=`` in the link)."""
    view = scatter_view_ui(built)
    batch = batch_ui(built, "scatter_batch")
    if view == "Step by step":
        steps_ui(key, built, batch)
        return
    chart(cached_figure(key, "scatter", batch), note="Keyboard: choose Step by step above to move with ← and → "
                                                      "(Presenter mode does the same at projector size).")


def clicked_cell(point: Any) -> tuple[int, int] | None:
    """``(out_channel, out_index)`` from a clicked point's customdata: a list, or (for typed arrays) an object
    keyed "0", "1"; None for anything else.

    Example::

        >>> clicked_cell({"customdata": [0, 5]}), clicked_cell({"customdata": {"1": 5, "0": 2}})
        ((0, 5), (2, 5))
        >>> clicked_cell({"x": 1}) is None
        True
    """
    data = point.get("customdata") if isinstance(point, dict) else None
    if isinstance(data, dict):
        data = [data[k] for k in sorted(data, key=lambda k: int(k))] if all(str(k).isdigit() for k in data) \
            else None
    try:
        return (int(data[0]), int(data[1])) if data is not None and len(data) >= 2 else None
    except (TypeError, ValueError):
        return None


def pick_from_click() -> None:
    """Copy a clicked output cell into the hand-calculation pickers."""
    event = st.session_state.get("pick") or {}
    for point in (event.get("selection") or {}).get("points") or []:
        cell = clicked_cell(point)
        if cell is not None:
            st.session_state["calc_channel"], st.session_state["calc_index"] = cell


def hand_calculation_tab(key: Key, built: Built) -> None:
    t = built.trace
    batch = batch_ui(built, "calc_batch")
    st.session_state.setdefault("calc_channel", 0)
    st.session_state.setdefault("calc_index", 0)
    st.session_state["calc_channel"] = min(st.session_state["calc_channel"], t.spec.out_channels - 1)
    st.session_state["calc_index"] = min(st.session_state["calc_index"], t.output_length - 1)
    left, right = st.columns(2)
    channel = int(left.number_input("out_channel", 0, t.spec.out_channels - 1, key="calc_channel",
                                    bind="query-params"))
    index = int(right.number_input("out_index", 0, t.output_length - 1, key="calc_index", bind="query-params"))
    chart(cached_figure(key, "pick", batch, (channel, index)), key="pick", on_select=pick_from_click,
          selection_mode="points")
    st.caption("Click an output cell above, or choose it with the numbers, to see its hand calculation.")
    st.markdown(explain(t, channel, index, batch=batch, fmt="markdown"))


def torch_tab(built: Built, settings: dict[str, Any]) -> None:
    with st.spinner("Loading PyTorch for the side-by-side check (a few seconds the first time)…"):
        torch = torch_check.load_torch()
    spec, size = built.spec, settings.get("output_size")
    snippet = torch_check.pytorch_snippet(spec, built.input, settings["seed"] if built.seeded else None, size,
                                          None if built.seeded else built.weight,
                                          None if built.seeded else built.bias)
    if torch is None:
        st.info(f"PyTorch is not installed, so there is nothing to compare with. Add it with "
                f"`{torch_check.INSTALL_HINT}`; everything else works without it.")
        st.code(snippet, language="python", wrap_lines=True)
        return
    theirs = torch_check.run_torch(spec, built.input, built.weight, built.bias, size)
    ours = built.trace.output
    result = torch_check.compare(ours, theirs)
    verdict = "bit-identical" if result["bit_identical"] else (
        f"equal up to rounding: max |error| = {result['max_abs_error']:.3g} (torch adds the same products in "
        f"another order)")
    (st.success if result["bit_identical"] or result["max_abs_error"] < 1e-4 else st.warning)(
        f"torch {torch.__version__}: {verdict} · shapes {ours.shape} and {theirs.shape}")
    for (caption, a), (_, b) in zip(samples(ours, built.trace.batched), samples(theirs, built.trace.batched)):
        st.markdown(f"**convviz (NumPy)** {caption}")
        st.dataframe(table(a, "out"), width="stretch")
        st.markdown(f"**PyTorch** {caption}")
        st.dataframe(table(b, "out"), width="stretch")
    st.markdown("Reproduce this configuration in PyTorch:")
    st.code(snippet, language="python", wrap_lines=True)
    autograd_ui(built)


def tabs_ui(key: Key, settings: dict[str, Any]) -> str:
    """Only the open tab's content runs (lazy tabs), so a rerun pays for one view. Returns the open tab."""
    built = cached_build(key)
    tabs = st.tabs(TABS, key="tab", on_change="rerun", bind="query-params")
    body = {
        "Scatter": lambda: scatter_tab(key, built),
        "Hand calculation": lambda: hand_calculation_tab(key, built),
        "Check my answer": lambda: answer_tab(built),
        "Gather": lambda: chart(cached_figure(key, "gather", batch_ui(built, "gather_batch"))),
        "Matrix": lambda: chart(cached_figure(key, "matrix", batch_ui(built, "matrix_batch"))),
        "Conv1d": lambda: conv1d_tab(built),
        "Overlap": lambda: chart(cached_figure(key, "overlap")),
        "Groups": lambda: chart(cached_figure(key, "groups")),
        "Stack": stack_ui,
        "PyTorch check": lambda: torch_tab(built, settings),
        "Downloads": lambda: exports_ui(key, built),
    }
    for name, tab in zip(TABS, tabs):
        if tab.open:
            with tab:
                body[name]()
            return name
    return TABS[0]
