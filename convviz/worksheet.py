"""The hand-calculation worksheet: one output value written out as a teacher would on a board.

Every contribution with its indices and numbers, where it lands (``i·stride + k·dilation - padding``), the
sum, the bias and the result, plus the output-length formula with the numbers filled in. Numbers are shown
with 4 decimals as torch prints them (integers as ``8.0``, tiny or huge ones as ``1.2346e-05``); the result
also gets its full-precision value so it can be checked against torch.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .errors import ConvSpecError
from .spec import ConvSpec
from .trace import Contribution, Trace

FORMATS = ("text", "markdown", "latex")
FOOTER = "Numbers are shown with 4 decimals as torch prints them; the sums use the full-precision values."


def check_format(fmt: Any) -> str:
    if fmt not in FORMATS:
        raise ConvSpecError(f"fmt={fmt!r} is not a worksheet format; use one of {', '.join(map(repr, FORMATS))}")
    return str(fmt)


def format_real(value: float) -> str:
    """A real number as torch prints it: ``8.0``, ``0.4792``, ``-1.2346e-05``.

    Example::

        >>> format_real(8.0), format_real(0.47920528), format_real(-0.0000123456), format_real(float("nan"))
        ('8.0', '0.4792', '-1.2346e-05', 'nan')
    """
    value = float(value) + 0.0  # -0.0 + 0.0 is 0.0: a hand calculation has no negative zero
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e8:
        return f"{value:.1f}"
    if 1e-4 <= abs(value) < 1e8:
        return f"{value:.4f}"
    return f"{value:.4e}"


def format_number(value: Any, fmt: str = "text", wrap: bool = False) -> str:
    """A real or complex number; complex as ``a+bj`` (``a+b\\mathrm{j}`` in LaTeX). With ``wrap``, complex and
    negative numbers get parentheses (for use as a factor).

    Example::

        >>> format_number(4.105 + 2.9636j), format_number(-0.5, wrap=True), format_number(1 - 2j, wrap=True)
        ('4.1050+2.9636j', '(-0.5000)', '(1.0-2.0j)')
    """
    if isinstance(value, (complex, np.complexfloating)):
        z = complex(value)
        imag = format_real(abs(z.imag)) if not math.isnan(z.imag) else "nan"
        sign = "-" if math.copysign(1.0, z.imag) < 0 and not math.isnan(z.imag) else "+"
        unit = r"\mathrm{j}" if fmt == "latex" else "j"
        text = f"{format_real(z.real)}{sign}{imag}{unit}"
        return f"({text})" if wrap else text
    text = format_real(value)
    return f"({text})" if wrap and text.startswith("-") else text


def full_precision(value: Any, dtype: np.dtype) -> str:
    """The shortest text that reads back to exactly this ``dtype`` value, e.g. ``4.0616126`` for float32."""
    if dtype.kind == "c":
        real_type = np.float32 if dtype == np.complex64 else np.float64
        z = complex(value)
        re, im = str(real_type(z.real)), str(real_type(abs(z.imag)))
        return f"{re}{'-' if math.copysign(1.0, z.imag) < 0 else '+'}{im}j"
    return str(dtype.type(value))


def sum_text(terms: list[Any], fmt: str) -> str:
    """``a + b - c``: terms joined with their signs (complex terms in parentheses)."""
    parts: list[str] = []
    for term in terms:
        text = format_number(term, fmt, wrap=len(terms) > 1 and isinstance(term, (complex, np.complexfloating)))
        if not parts:
            parts.append(text)
        elif text.startswith("-"):
            parts.append(f"- {text[1:]}")
        else:
            parts.append(f"+ {text}")
    return " ".join(parts)


def length_formula(spec: ConvSpec, length: int, fmt: str = "text") -> str:
    """The output-length formula with ``spec``'s numbers filled in.

    Args:
        spec: the arguments; length: the input length ``L``; fmt: ``"text"``, ``"markdown"`` or ``"latex"``
            (a KaTeX-ready expression for ``st.latex``).

    Example::

        >>> print(length_formula(ConvSpec(1, 3, kernel_size=3, stride=2, padding=1), 6))
        L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1
              = (6 - 1)·2 - 2·1 + 1·(3 - 1) + 0 + 1 = 11
    """
    fmt = check_format(fmt)
    s = spec
    result = s.output_length(length)
    if fmt == "latex":
        return (r"\begin{aligned}L_\text{out} &= (L - 1)\cdot\text{stride} - 2\cdot\text{padding} + "
                r"\text{dilation}\cdot(K - 1) + \text{output\_padding} + 1 \\ "
                rf"&= ({length} - 1)\cdot {s.stride} - 2\cdot {s.padding} + {s.dilation}\cdot({s.kernel_size} - 1)"
                rf" + {s.output_padding} + 1 = {result}\end{{aligned}}")
    rule = "L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1"
    numbers = (f"({length} - 1)·{s.stride} - 2·{s.padding} + {s.dilation}·({s.kernel_size} - 1) + "
               f"{s.output_padding} + 1 = {result}")
    return f"`{rule} = {numbers}`" if fmt == "markdown" else f"{rule}\n      = {numbers}"


def _names(t: Trace, batch: int, fmt: str) -> tuple[Any, Any, Any]:
    """Functions naming x, w and y elements (``x[c=0, i=2]``; with ``n=`` when the input is batched)."""
    eq = "{=}" if fmt == "latex" else "="
    sep = r",\, " if fmt == "latex" else ", "
    n = f"n{eq}{batch}{sep}" if t.batched else ""

    def x(c: Contribution) -> str:
        return f"x[{n}c{eq}{c.in_channel}{sep}i{eq}{c.in_index}]"

    def w(c: Contribution) -> str:
        return f"w[c{eq}{c.in_channel}{sep}o{eq}{c.out_channel % t.spec.weight_shape[1]}{sep}k{eq}{c.tap}]"

    def y(out_channel: int, out_index: int) -> str:
        return f"y[{n}o{eq}{out_channel}{sep}j{eq}{out_index}]"

    return x, w, y


def _no_contribution_reason(t: Trace, out_index: int) -> str:
    s = t.spec
    full_index = out_index + s.padding
    last_tap = (t.length - 1) * s.stride + s.dilation * (s.kernel_size - 1)
    if full_index > last_tap:
        return (f"it is one of the {s.output_padding} output_padding cell(s) added at the right end: full index "
                f"{full_index} lies past the last tap (({t.length} - 1)·{s.stride} + {s.dilation}·"
                f"({s.kernel_size} - 1) = {last_tap})")
    return (f"no input index i (0 to {t.length - 1}) and tap k (0 to {s.kernel_size - 1}) give i·{s.stride} + "
            f"k·{s.dilation} = {full_index} (= j + padding): the stride leaves a gap the kernel does not cover")


def explain(trace: Trace, out_channel: int, out_index: int, batch: int = 0, fmt: str = "text") -> str:
    """Write out how ``output[batch, out_channel, out_index]`` is computed, contribution by contribution.

    Args:
        trace: the traced convolution.
        out_channel, out_index: the output cell (``out_index`` in the cropped output).
        batch: the sample (0 for unbatched input).
        fmt: ``"text"`` (plain lines), ``"markdown"`` (a table, for ``st.markdown``) or ``"latex"`` (one
            KaTeX-ready ``aligned`` block, for ``st.latex``).

    Raises:
        ConvSpecError: for an out-of-range ``out_channel``, ``out_index`` or ``batch``, or an unknown ``fmt``.

    Example::

        >>> import numpy as np
        >>> from convviz.trace import trace
        >>> x = np.array([[8.0, -3.0, 0.0]], dtype=np.float32)
        >>> w = np.array([[[0.5, 0.25]]], dtype=np.float32)
        >>> print(explain(trace(x, w, np.array([1.0], dtype=np.float32), stride=2), 0, 2))  # doctest: +ELLIPSIS
        y[o=0, j=2] = -0.5000
        Rule: x[c, i]·w[c, o, k] adds to output index j = i·stride + k·dilation - padding; here stride=2, ...
        Contributions (1):
          x[c=0, i=1] · w[c=0, o=0, k=0] = -3.0 · 0.5000 = -1.5000    lands at j = 1·2 + 0·1 - 0 = 2
        Sum of contributions = -1.5000
        Bias b[o=0] = 1.0
        y[o=0, j=2] = -1.5000 + 1.0 = -0.5000    (float32: -0.5)
        L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1
              = (3 - 1)·2 - 2·0 + 1·(2 - 1) + 0 + 1 = 6
        Numbers are shown with 4 decimals as torch prints them; the sums use the full-precision values.
    """
    fmt = check_format(fmt)
    sheet = _sheet(trace, out_channel, out_index, batch, fmt)
    formula = length_formula(trace.spec, trace.length, fmt)
    return {"text": _as_text, "markdown": _as_markdown, "latex": _as_latex}[fmt](sheet, formula)


class _Sheet(NamedTuple):
    """The pieces of one worksheet, already formatted for its output format."""

    target: str  # y[o=0, j=2]
    out_channel: int
    value: str  # the output value, 4 decimals
    notes: list[str]  # the rule, groups, why no tap reaches the cell
    rows: list[tuple[str, str, str, str]]  # (x·w names, x·w numbers, product, landing arithmetic)
    sum_line: str
    bias: str | None
    result_line: str  # sum + bias = value
    result_note: str  # dtype and full-precision value (and "no bias" etc.)


def _sheet(trace: Trace, out_channel: int, out_index: int, batch: int, fmt: str) -> _Sheet:
    spec = trace.spec
    records = trace.into(out_channel, out_index, batch)  # validates the indices
    out_channel, out_index, batch = int(out_channel), int(out_index), int(batch)
    x_name, w_name, y_name = _names(trace, batch, fmt)
    y = trace.output[batch]  # (C_out, L_out)
    result = y[out_channel, out_index].item()
    total = trace.full[batch, out_channel, out_index + spec.padding].item()  # the sum, before bias
    bias = None if trace.bias is None else trace.bias[out_channel].item()
    mul = r" \cdot " if fmt == "latex" else " · "

    def num(value: Any, wrap: bool = False) -> str:
        return format_number(value, fmt, wrap)

    rows = []
    for c in records:
        landing = f"{c.in_index}·{spec.stride} + {c.tap}·{spec.dilation} - {spec.padding} = {c.out_index}"
        factors = f"{num(c.x_value, isinstance(c.x_value, complex))}{mul}{num(c.w_value, True)}"
        rows.append((f"{x_name(c)}{mul}{w_name(c)}", factors, num(c.product),
                     landing.replace("·", mul.strip() + " ") if fmt == "latex" else landing))

    group_out, group_in = spec.weight_shape[1], spec.in_channels // spec.groups
    group = out_channel // group_out
    notes = [f"Rule: x[c, i]·w[c, o, k] adds to output index j = i·stride + k·dilation - padding; here "
             f"stride={spec.stride}, dilation={spec.dilation}, padding={spec.padding}."]
    if spec.groups > 1:
        feeding = (f"in_channel {group * group_in} feeds" if group_in == 1 else
                   f"in_channels {group * group_in} to {(group + 1) * group_in - 1} feed")
        notes.append(f"groups={spec.groups}: out_channel {out_channel} is o={out_channel % group_out} of group "
                     f"{group}, so only {feeding} it.")
    if records:
        sum_line = sum_text([c.product for c in records], fmt)
        sum_line += "" if len(records) == 1 else f" = {num(total)}"
        result_line = f"{sum_text([total, bias], fmt)} = {num(result)}" if bias is not None else num(result)
        result_note = "" if bias is not None else "no bias"
    else:
        notes.append(f"No tap reaches this cell: {_no_contribution_reason(trace, out_index)}; so it is "
                     + ("the bias alone." if bias is not None else "0 (there is no bias)."))
        sum_line = "0 (no contributions)"
        result_line = num(result)
        result_note = "the bias alone" if bias is not None else "no contributions, no bias"
    precision = f"{spec.dtype}: {full_precision(result, spec.np_dtype)}"
    return _Sheet(y_name(out_channel, out_index), out_channel, num(result), notes, rows, sum_line,
                  None if bias is None else num(bias), result_line,
                  f"{result_note}; {precision}" if result_note else precision)


def _as_text(s: _Sheet, formula: str) -> str:
    out = [f"{s.target} = {s.value}", *s.notes, f"Contributions ({len(s.rows)}):" if s.rows else "Contributions: none"]
    out += [f"  {names} = {numbers} = {product}    lands at j = {landing}"
            for names, numbers, product, landing in s.rows]
    out += [f"Sum of contributions = {s.sum_line}", f"Bias b[o={s.out_channel}] = {s.bias or 'none (bias=False)'}",
            f"{s.target} = {s.result_line}    ({s.result_note})", formula, FOOTER]
    return "\n".join(out)


def _as_markdown(s: _Sheet, formula: str) -> str:
    out = [f"**{s.target} = {s.value}**", ""]
    for note in s.notes:  # one paragraph each
        out += [note, ""]
    if s.rows:
        out += ["| # | contribution | numbers | product | lands at j = i·stride + k·dilation - padding |",
                "|---|---|---|---|---|"]
        out += [f"| {n} | {names} | {numbers} | {product} | {landing} |"
                for n, (names, numbers, product, landing) in enumerate(s.rows, 1)]
        out.append("")
    out += [f"- Sum of contributions = {s.sum_line}", f"- Bias b[o={s.out_channel}] = {s.bias or 'none (bias=False)'}",
            f"- **{s.target} = {s.result_line}** ({s.result_note})", f"- {formula}", "", f"*{FOOTER}*"]
    return "\n".join(out)


def _as_latex(s: _Sheet, formula: str) -> str:
    lines = [rf"{names} &= {numbers} = {product} && j = {landing}" for names, numbers, product, landing in s.rows]
    lines.append(rf"\textstyle\sum &= {s.sum_line}" if s.rows else
                 r"\textstyle\sum &= 0 && \text{no tap reaches this cell}")
    lines.append(rf"b[o{{=}}{s.out_channel}] &= " + (s.bias or r"\text{none}"))
    lines.append(rf"{s.target} &= {s.result_line} \quad \text{{({s.result_note})}}")
    lines.append(formula.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}"))
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"

