"""The "Check my answer" tab: type one value, one row or the whole output calculated by hand; every cell is
marked right or wrong, the known mistake behind a wrong answer is named in one sentence, and a button shows
the worksheet (and the animation step) where the answer first goes wrong."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from ..answers import AnswerCheck, check_answer, check_length, read_answer
from ..errors import ConvSpecError
from ..limits import text_limit
from ..trace import Trace
from ..worksheet import explain, length_formula
from .keys import (
    ANSWER_BATCH,
    ANSWER_CHANNEL,
    ANSWER_ENTRY,
    ANSWER_FIRST,
    ANSWER_FIRST_BUTTON,
    ANSWER_FORMULA,
    ANSWER_GRID_LENGTH,
    ANSWER_INDEX,
    ANSWER_OPEN_CALC,
    ANSWER_SUBMITTED,
    ANSWER_TEXT,
    ANSWER_WHAT,
    CALC_BATCH,
    CALC_CHANNEL,
    CALC_INDEX,
    GO_TO,
    HAND_CALCULATION,
    answer_grid,
)
from .model import Built

WHAT = ("One value", "One row", "The whole output", "The output length")
ENTRY = ("Type or paste", "Fill in a grid")
COLOURS = {"right": "background-color: #d4edda; color: #155724", "wrong": "background-color: #f8d7da; color: #721c24"}
PLACEHOLDER = {WHAT[0]: "e.g. 0.53", WHAT[1]: "e.g. 0.53, -1.2, 3", WHAT[2]: "e.g. [[0.53, -1.2, 3], [1, 0, -2]]",
               WHAT[3]: "e.g. 13"}


def answer_tab(built: Built) -> None:
    """Draw the tab for ``built``'s configuration."""
    t = built.trace
    st.markdown("**Check my answer.** Work it out by hand, type what you got, and see which cells are right. "
                "If a wrong answer comes from a known mistake, it is named.")
    batch = int(st.selectbox("batch sample", range(t.batch_size), key=ANSWER_BATCH)) if t.batched else 0
    what = st.radio("What do you check?", WHAT, horizontal=True, key=ANSWER_WHAT)
    channel = index = None
    if what in WHAT[:2]:
        left, right = st.columns(2)
        channel = int(left.number_input("out_channel", 0, t.spec.out_channels - 1, key=ANSWER_CHANNEL))
        if what == WHAT[0]:
            index = int(right.number_input("out_index", 0, t.output_length - 1, key=ANSWER_INDEX))
    entry = ENTRY[0] if what in (WHAT[0], WHAT[3]) else st.radio("How", ENTRY, horizontal=True, key=ANSWER_ENTRY)
    rows = t.spec.out_channels if what == WHAT[2] else 1
    if entry == ENTRY[1]:
        length = int(st.number_input("cells per row in your answer", 1, t.output_length * 4 + 16,
                                     value=t.output_length, key=ANSWER_GRID_LENGTH,
                                     help="Your output's length: change it if you think the output is longer or "
                                          "shorter."))
    with st.form("answer_form", border=False):
        if entry == ENTRY[0]:
            st.text_area("your answer", key=ANSWER_TEXT, placeholder=PLACEHOLDER[what], height=80,
                         max_chars=text_limit("answer"),
                         help="Numbers separated by commas or spaces; one [row] per output channel for the whole "
                              "output. Nothing you type is run as code.")
        else:
            grid = pd.DataFrame([[None] * length for _ in range(rows)], dtype=object,
                                index=[f"out {c}" for c in (range(rows) if channel is None else [channel])],
                                columns=[str(i) for i in range(length)])
            st.data_editor(grid, key=answer_grid(rows, length), width="stretch", placeholder="",
                           column_config={c: st.column_config.TextColumn(c) for c in grid.columns})
        where = where_now(t)  # the widgets above, as the page (drawn before this tab) read them
        # A callback, so the answer is in the session before the page draws the output table above (answered)
        st.form_submit_button("Check my answer", type="primary", on_click=_submit,
                              args=(where, rows, length if entry == ENTRY[1] else 0))
    submitted_answer = st.session_state.get(ANSWER_SUBMITTED)
    if not submitted_answer or {k: submitted_answer.get(k) for k in where} != where:
        st.caption("Press **Check my answer** to mark it.")
        return
    if what == WHAT[3]:
        _length_verdict_ui(t, submitted_answer["answer"])
    else:
        _verdict_ui(t, submitted_answer["answer"], channel, index, batch)


def _submit(where: dict[str, Any], rows: int, length: int) -> None:
    """Check my answer was pressed: keep what was answered (``length``: the grid's, 0 for typed text)."""
    answer = st.session_state.get(ANSWER_TEXT, "") if not length else _grid_answer(
        st.session_state.get(answer_grid(rows, length)), rows, length)
    st.session_state[ANSWER_SUBMITTED] = {**where, "answer": answer}
    st.session_state.pop(ANSWER_FIRST, None)


def where_now(t: Trace) -> dict[str, Any]:
    """What the tab's controls ask about now (as ``answer_tab`` reads them), from the session."""
    state = st.session_state
    what = state.get(ANSWER_WHAT, WHAT[0])
    return {"what": what, "channel": int(state.get(ANSWER_CHANNEL) or 0) if what in WHAT[:2] else None,
            "index": int(state.get(ANSWER_INDEX) or 0) if what == WHAT[0] else None,
            "batch": int(state.get(ANSWER_BATCH) or 0) if t.batched else 0,
            "entry": ENTRY[0] if what in (WHAT[0], WHAT[3]) else state.get(ANSWER_ENTRY, ENTRY[0])}


def answered(t: Trace) -> bool:
    """Whether an answer to what the tab asks now has been checked (until then the output table above, which
    would give it away, is hidden)."""
    submitted = st.session_state.get(ANSWER_SUBMITTED)
    if not submitted:
        return False
    answer = submitted.get("answer")
    typed = answer.strip() if isinstance(answer, str) else any(answer or ())
    return bool(typed) and {k: submitted.get(k) for k in where_now(t)} == where_now(t)


def _length_verdict_ui(t: Trace, answer: str) -> None:
    try:
        verdict = check_length(t.spec, t.length, answer)
    except ConvSpecError as error:
        st.error(str(error), icon=":material/error:")
        return
    (st.success if verdict.correct else st.warning)(
        verdict.message, icon=":material/check_circle:" if verdict.correct else ":material/cancel:")
    if not verdict.correct and st.toggle("Show the formula with the numbers filled in", key=ANSWER_FORMULA):
        st.latex(length_formula(t.spec, t.length, fmt="latex"))


def _grid_answer(state: Any, rows: int, length: int) -> list[list[Any]]:
    """The grid's typed cells as rows of text (trailing empty cells dropped: a shorter row is a shorter answer)."""
    cells: list[list[Any]] = [[None] * length for _ in range(rows)]
    for row, changes in ((state or {}).get("edited_rows") or {}).items():
        for column, value in changes.items():
            if int(row) < rows and int(column) < length:
                cells[int(row)][int(column)] = value
    trimmed = []
    for row_cells in cells:
        while row_cells and (row_cells[-1] is None or str(row_cells[-1]).strip() == ""):
            row_cells.pop()
        trimmed.append(row_cells)
    return trimmed


def _verdict_ui(t: Trace, answer: Any, channel: int | None, index: int | None, batch: int) -> None:
    if answer == "" or (isinstance(answer, list) and not any(answer)):
        st.info("Type your answer (or fill in the grid), then press **Check my answer**.")
        return
    try:
        verdict = check_answer(t, answer, channel, index, batch)
        values, _ = read_answer(answer)
    except ConvSpecError as error:
        st.error(str(error), icon=":material/error:")
        return
    if verdict.correct:
        st.success(verdict.message, icon=":material/check_circle:")
    else:
        st.warning(verdict.message, icon=":material/cancel:")
    if index is None:
        shown = marked(values, verdict, [channel] if channel is not None else list(range(t.spec.out_channels)),
                       t.output_length, np.iscomplexobj(t.output))
        st.dataframe(shown, width="stretch")
        st.caption("✓ right · ✗ wrong · missing: a cell the output has and your answer does not · extra: a cell "
                   "past the end of the output.")
    cell = verdict.first_wrong
    if cell is None:
        return
    st.button("Show where it first goes wrong", key=ANSWER_FIRST_BUTTON,
              on_click=_show_first, args=(cell, verdict.extra, batch if t.batched else None))
    if st.session_state.get(ANSWER_FIRST) == cell:
        first_wrong_ui(t, cell, batch)


def _show_first(cell: tuple[int, int], extra: tuple[tuple[int, int], ...], batch: int | None) -> None:
    st.session_state[ANSWER_FIRST] = cell
    if cell not in extra:  # the Hand calculation tab opens on this cell (and sample) too
        st.session_state[CALC_CHANNEL], st.session_state[CALC_INDEX] = cell
        if batch is not None:
            st.session_state[CALC_BATCH] = batch


def first_wrong_ui(t: Trace, cell: tuple[int, int], batch: int) -> None:
    """The animation step that first adds to ``cell`` and its worksheet (or the length formula for an extra cell)."""
    channel, index = cell
    if index >= t.output_length:
        st.markdown(f"Your answer goes past the end of the output: output[{channel}, {index}] does not exist, the "
                    f"output has {t.output_length} cells per channel.")
        st.latex(length_formula(t.spec, t.length, fmt="latex"))
        return
    rows = t.into_rows(channel, index, batch)
    if len(rows):
        step = int(rows.min()) // t.records_per_element - batch * t.steps_per_batch
        in_channel, in_index = t.step_element(step)
        sample = f" of sample {batch}" if t.batched else ""
        st.markdown(f"**output[{channel}, {index}]** is where it first goes wrong. In the Scatter animation{sample}, "
                    f"step {step + 1} (x[{in_channel}, {in_index}]) is the first to add to it; the Hand calculation "
                    f"tab now shows this cell. Its worksheet:")
    else:
        st.markdown(f"**output[{channel}, {index}]** is where it first goes wrong; no tap lands there. Its "
                    f"worksheet (also in the Hand calculation tab now):")
    st.markdown(explain(t, channel, index, batch=batch, fmt="markdown"))
    st.button("Open it in the Hand calculation tab", key=ANSWER_OPEN_CALC, on_click=_open_hand_calculation)


def _open_hand_calculation() -> None:
    st.session_state[GO_TO] = HAND_CALCULATION  # pages opens it on the next run


def marked(values: np.ndarray, verdict: AnswerCheck, channels: list[int], length: int,
           complex_output: bool = False) -> Any:
    """The answer as a table with every cell marked ✓ or ✗ (missing and extra cells named), coloured.

    Shape: ``values`` ``(R, n)``; the table has ``len(channels)`` (or ``R``) rows and ``max(n, length)`` columns.
    """
    wrong, missing, extra = set(verdict.wrong), set(verdict.missing), set(verdict.extra)
    n_rows = max(len(channels), values.shape[0])
    labels = [channels[r] if r < len(channels) else channels[0] + r for r in range(n_rows)]
    width = max(values.shape[1], length)
    text = [["" for _ in range(width)] for _ in range(n_rows)]
    status = [["" for _ in range(width)] for _ in range(n_rows)]
    for r, c in enumerate(labels):
        for i in range(width):
            if (c, i) in missing:
                text[r][i], status[r][i] = "✗ missing", "wrong"
            elif r < values.shape[0] and i < values.shape[1]:
                value = complex(values[r, i])
                typed = f"{value:.6g}" if complex_output and value.imag else f"{value.real:.6g}"
                mark = "✗ extra" if (c, i) in extra else "✗" if (c, i) in wrong else "✓"
                text[r][i], status[r][i] = f"{typed} {mark}", "wrong" if mark != "✓" else "right"
    frame = pd.DataFrame(text, index=[f"out {c}" for c in labels], columns=[str(i) for i in range(width)])
    colours = pd.DataFrame([[COLOURS.get(s, "") for s in row] for row in status], index=frame.index,
                           columns=frame.columns)
    return frame.style.apply(lambda _: colours, axis=None)
