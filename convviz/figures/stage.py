"""The presenter's stage: one animation step as plain HTML, sized for a projector (no Plotly).

A grid with one column per full-buffer position: the input row(s) (element ``i`` above full position
``i·stride``), for each out-channel the kernel stamp of the playing element (tap ``k`` above full position
``i·stride + k·dilation``) and the output row with what this step adds and the running sums. Text scales
with the column's width (CSS container units) and the window's height, up to ``MAX_PX``: the numbers are
as large as the cells allow, and ``stage_note`` says when a configuration makes them smaller than
``TARGET_PX`` on a 1280×720 projector. Every number comes from the trace: ``Trace.running_sums``, the step's
records and ``trace.output``.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from ..trace import Trace
from .formatting import short
from .theme import CROPPED_HATCH, INK, MUTED, TAP_DASHES, tap_colour, tint

MAX_PX = 56            # the largest number text (a big screen uses it; 1280×720 gets about 30)
TARGET_PX = 28         # what a back row needs at 1280×720
PROJECTOR_PX = (1248, 720)  # the main column at 1280×720 with the sidebar folded, and the window's height
LABEL_EM = 3.8         # the row-label column, in ems of the number text
CELL_PAD_EM = 0.45     # room around the widest number in a cell
ROW_EM = {"index": 0.95, "input": 1.75, "stamp": 1.75, "output": 2.45}
GAP_EM = 0.28
TABLE_LINES = 4        # table lines (per column) that fit under the stage at 720 px; more are folded away
CHAR_EM = {".": 0.3, "-": 0.36, "+": 0.6, "j": 0.25, " ": 0.3}  # digits and the rest: 0.58 (Arial's are 0.556)


def text_em(text: str) -> float:
    """Approximate width of ``text`` in ems of a sans-serif font (digits are the widest common glyphs).

    Example::

        >>> round(text_em("-2.21"), 2)
        2.4
    """
    return sum(CHAR_EM.get(char, 0.58) for char in text)


@dataclass(frozen=True)
class Stage:
    """One step's stage: ``html`` for ``st.html``, the font it gets at ``PROJECTOR_PX`` and a note when that
    is below ``TARGET_PX``; ``rows`` (the table of what this step adds) as plain tuples for tests."""

    html: str
    projector_px: float
    note: str
    rows: list[tuple[str, str, str, str]]  # (output, weight, adds = x · w, running sum)
    table: str  # the rows as an HTML table (after the note)
    folded: bool = False  # the table is long: show it folded away


def _cells(t: Trace, step: int, batch: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the output rows show at ``step``: the big number, and the small line above it (empty for none).
    Shapes ``(C_out, L_full)``; the mask says which cells the step's taps land on."""
    s = t.spec
    if step == t.steps_per_batch:  # the result: kept cells are the output (bias included)
        sums = t.running_sums(step - 1, batch)
        kept = t.output_index(np.arange(t.full_length)) >= 0
        small = np.full(sums.shape, "", dtype=object)
        if t.bias is not None:
            small[:, kept] = np.array([f"Σ {v}" for v in short(sums[:, kept]).ravel()],
                                      dtype=object).reshape(s.out_channels, -1)
        return t.final(batch), small, np.zeros(sums.shape, dtype=bool)
    sums = t.running_sums(step, batch)
    rows = t.step_rows(step, batch)
    c = t.columns
    small = np.full(sums.shape, "", dtype=object)
    landed = np.zeros(sums.shape, dtype=bool)
    touched = np.zeros(sums.shape, dtype=bool)  # reached by some step so far (others stay blank)
    so_far = slice(rows[0] - step * t.records_per_element, rows[-1] + 1)
    touched[c["out_channel"][so_far], c["full_index"][so_far]] = True
    for o, f, p in zip(c["out_channel"][rows].tolist(), c["full_index"][rows].tolist(),
                       short(c["product"][rows]).tolist()):
        small[o, f] = p if p.startswith("-") else f"+{p}"
        landed[o, f] = True
    return np.where(touched, sums, np.nan), small, landed


def step_rows(t: Trace, step: int, batch: int = 0) -> list[tuple[str, str, str, str]]:
    """What step ``step`` adds to each cell it touches: ``(output, weight, adds = x · w, running sum)``."""
    if step >= t.steps_per_batch:
        return []
    c, rows = t.columns, t.step_rows(step, batch)
    sums = t.running_sums(step, batch)
    group_out = t.spec.weight_shape[1]
    w, p = (short(c[name][rows], 4) for name in ("w_value", "product"))
    out = []
    for r, (o, k, f, j, ch) in enumerate(zip(*(c[n][rows].tolist() for n in (
            "out_channel", "tap", "full_index", "out_index", "in_channel")))):
        where = f"out[{o}, {j}]" if j >= 0 else f"full[{f}] (cropped)"
        out.append((where, f"w[{ch}, {o % group_out}, {k}] = {w[r]}", p[r], short(sums[o, f:f + 1], 4)[0]))
    return out


def stage(t: Trace, step: int, batch: int = 0) -> Stage:
    """The stage of ``step`` (``0 … steps_per_batch``; the last is the result) for sample ``batch``."""
    s, full_length = t.spec, t.full_length
    result = step == t.steps_per_batch
    big, small, landed = _cells(t, step, batch)
    big_text = short(big)
    x_text = short(t.input[batch])
    active = None if result else t.step_element(step)
    stamp_rows = [] if result else t.records(t.step_rows(step, batch))
    # weights with two significant digits (the table below has four): the stamp must not widen every cell
    w_text = short(np.array([r.w_value for r in stamp_rows]), 2) if stamp_rows else np.array([], dtype=object)
    widest = max(text_em(v) for v in [*big_text.ravel(), *x_text.ravel(), *w_text.ravel(), "0"])
    widest = max(widest, 0.6 * max((text_em(v) for v in small.ravel()), default=0))  # small line at 0.6 em
    cell_em = widest + CELL_PAD_EM
    kinds = ["index", *["input"] * s.in_channels]
    for _ in range(s.out_channels):
        kinds += ([] if result else ["stamp"]) + ["output"]
    kinds.append("index")
    height_em = sum(ROW_EM[k] for k in kinds) + GAP_EM * len(kinds)
    width_em = full_length * cell_em + LABEL_EM
    table = step_rows(t, step, batch)
    lines = -(-len(table) // table_columns(len(table)))
    folded = lines > TABLE_LINES  # a long table goes into an expander: the stage shows every step's numbers
    table_px = 0 if not table else 56 if folded else 46 + 37 * lines
    reserve_px = 200 + table_px  # the step's heading and buttons, the page's margins, the table
    at_projector = min(MAX_PX, PROJECTOR_PX[0] / width_em, (PROJECTOR_PX[1] - reserve_px) / height_em)
    if at_projector < TARGET_PX - 0.5:  # the note below the stage takes a line too
        reserve_px += 40
        at_projector = min(at_projector, (PROJECTOR_PX[1] - reserve_px) / height_em)
    font = (f"min({MAX_PX}px, calc(100cqi / {width_em:.3f}), "
            f"max(12px, calc((100vh - {reserve_px}px) / {height_em:.3f})))")
    note = "" if at_projector >= TARGET_PX - 0.5 else (
        f"This configuration has {full_length} cells across and {len(kinds) - 2} rows, so the numbers are about "
        f"{at_projector:.0f} px on a 1280×720 screen (the default configuration gets {TARGET_PX}+ px); fewer "
        f"cells or channels make them larger.")

    items: list[str] = []

    def put(row: int, column: int, html: str, cls: str, style: str = "", span: int = 1) -> None:
        items.append(f'<div class="cv-{cls}" style="grid-row:{row};grid-column:{column + 2}'
                     f'{" / span " + str(span) if span > 1 else ""};{style}">{html}</div>')

    row = 1
    for i in range(t.length):
        put(row, i * s.stride, f"i = {i}", "index")
    put(row, -1, "", "label")
    for c in range(s.in_channels):
        row += 1
        put(row, -1, f"x[{c}]", "label")
        for i in range(t.length):
            state = "active" if active == (c, i) else "played" if not result and (
                i * s.in_channels + c) < step else "waiting"
            put(row, i * s.stride, escape(x_text[c, i]), f"input cv-{state}")
    by_out: dict[int, list[int]] = {}
    for n, r in enumerate(stamp_rows):
        by_out.setdefault(r.out_channel, []).append(n)
    out_index = t.output_index(np.arange(full_length)).tolist()  # -1 where padding crops
    for o in range(s.out_channels):
        if not result:
            row += 1
            label = f"w[{active[0]},{o % s.weight_shape[1]}]" if active is not None and o in by_out else ""
            put(row, -1, label, "label")
            for n in by_out.get(o, []):
                r = stamp_rows[n]
                colour = tap_colour(r.tap)
                put(row, r.full_index, f'<span class="cv-tap">k{r.tap}</span>{escape(w_text[n])}', "stamp",
                    f"border-color:{colour};border-style:{_dash(r.tap)};background:{tint(colour, 0.22)}")
        row += 1
        put(row, -1, f"out[{o}]", "label")
        for f in range(full_length):
            styles, classes = [], ["output"]
            if out_index[f] < 0:
                classes.append("cv-cropped")
            elif f >= full_length - s.output_padding:
                classes.append("cv-outpad")
            if landed[o, f]:
                tap = next(r.tap for r in stamp_rows if r.out_channel == o and r.full_index == f)
                styles.append(f"border-color:{tap_colour(tap)};border-style:{_dash(tap)};"
                              f"background:{tint(tap_colour(tap), 0.22)}")
                classes.append("cv-landed")
            line = f'<span class="cv-adds">{escape(small[o, f])}</span>' if small[o, f] else ""
            number = "" if np.isnan(big[o, f]) else escape(big_text[o, f])
            put(row, f, f"{line}{number}", " cv-".join(classes), ";".join(styles))
    row += 1
    put(row, -1, "j" if not s.padding else "j / f", "label cv-index")
    for f in range(full_length):
        j = out_index[f]
        text = (str(j) if j >= 0 else "✂") + (f"<small>/{f}</small>" if s.padding else "")
        put(row, f, text, "index")
    grid = (f'<div class="cv-grid" style="font-size:{font};grid-template-columns:{LABEL_EM}em '
            f'repeat({full_length}, minmax(0, 1fr))">{"".join(items)}</div>')
    x = "" if active is None else f"x[{active[0]}, {active[1]}] = {x_text[active]}"
    narrow = ('<div class="cv-narrow">The numbers are smaller while the sidebar is open: fold it (the « at its top) '
              'for the projector.</div>') if at_projector >= TARGET_PX - 0.5 else ""
    return Stage(f'<div class="cv-stage">{grid}{narrow}</div>', at_projector, note, table, _table_html(table, x),
                 folded)


def _dash(tap: int) -> str:
    """A CSS border style for tap ``tap`` that matches the figures' line dashes (solid, dashed, dotted)."""
    dash = TAP_DASHES[tap % len(TAP_DASHES)]
    return "solid" if dash == "solid" else "dotted" if dash == "dot" else "dashed"


def table_columns(rows: int) -> int:
    """Side-by-side tables for a step with many taps, so the whole step stays on one screen."""
    return 1 if rows <= 4 else 2 if rows <= 10 else 3


def _table_html(rows: list[tuple[str, str, str, str]], x: str) -> str:
    if not rows:
        return ""
    head = f"<tr><th>output</th><th>weight</th><th>adds {escape(x.split(' =')[0])} · w</th><th>running sum</th></tr>"
    per = -(-len(rows) // table_columns(len(rows)))
    tables = []
    for start in range(0, len(rows), per):
        body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>" for r in rows[start:start + per])
        tables.append(f'<table class="cv-steps">{head}{body}</table>')
    return f'<div class="cv-two">{"".join(tables)}</div>'


STYLE = f"""
<style>
.cv-stage {{ container-type: inline-size; width: 100%; color: {INK};
  font-family: Arial, Helvetica, "Liberation Sans", sans-serif; font-variant-numeric: tabular-nums; }}
.cv-grid {{ display: grid; row-gap: {GAP_EM}em; column-gap: 0; align-items: stretch; line-height: 1.05; }}
.cv-grid > div {{ display: flex; flex-direction: column; align-items: center; justify-content: center;
  white-space: nowrap; overflow: hidden; box-sizing: border-box; }}
.cv-label {{ font-size: 0.55em; color: {MUTED}; align-items: flex-end !important; padding-right: 0.5em; }}
.cv-index {{ font-size: 0.55em; color: {MUTED}; height: {ROW_EM['index'] / 0.55:.2f}em; }}
.cv-index small {{ font-size: 0.8em; }}
.cv-input {{ height: {ROW_EM['input']}em; background: #cfe3f3; border: 0.07em solid transparent; margin: 0 0.05em; }}
.cv-input.cv-active {{ border: 0.12em solid #000; font-weight: 700; background: #b9d6ee; }}
.cv-input.cv-played {{ background: #e6eef5; color: {MUTED}; }}
.cv-stamp {{ height: {ROW_EM['stamp']}em; border: 0.08em solid; margin: 0 0.05em; position: relative; }}
.cv-tap {{ font-size: 0.42em; color: {MUTED}; line-height: 1; }}
.cv-output {{ height: {ROW_EM['output']}em; border: 0.035em solid #9a9a9a; background: #eef4f9; }}
.cv-output.cv-landed {{ border-width: 0.09em; font-weight: 700; }}
.cv-output.cv-cropped {{ background: repeating-linear-gradient(45deg, #e9e9e9, #e9e9e9 0.2em,
  {CROPPED_HATCH} 0.2em, {CROPPED_HATCH} 0.27em); color: {MUTED}; }}
.cv-output.cv-outpad {{ border-style: dotted; border-width: 0.07em; }}
.cv-adds {{ font-size: 0.6em; font-weight: 400; color: {INK}; line-height: 1.1; }}
.cv-steps {{ border-collapse: collapse; font-size: clamp(14px, 2.6vh, 30px); font-family: Arial, Helvetica,
  "Liberation Sans", sans-serif; font-variant-numeric: tabular-nums; color: {INK}; }}
.cv-steps th, .cv-steps td {{ border-bottom: 1px solid #ccc; padding: 0.12em 0.7em; text-align: left;
  white-space: nowrap; }}
.cv-steps th {{ color: {MUTED}; font-weight: 600; }}
.cv-narrow {{ display: none; font-size: 14px; color: {MUTED}; margin-top: 0.4em; }}
@container (max-width: 1100px) {{ .cv-narrow {{ display: block; }} }}
.cv-two {{ display: flex; gap: 2em; flex-wrap: wrap; }}
</style>
"""
