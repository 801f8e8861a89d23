"""The hand-calculation worksheet: the seed's examples written out with torch's numbers, complex values, the
three formats, the cells no tap reaches, and clear errors."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np
import pytest
from conv_configs import Config, configs
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvSpecError, trace
from convviz.trace import Trace
from convviz.worksheet import explain, format_number, format_real, full_precision, length_formula


def seed_examples() -> list[dict[str, Any]]:
    text = resources.files("convviz").joinpath("data/seed_examples.json").read_text(encoding="utf-8")
    return json.loads(text)["examples"]


def as_array(values: Any, dtype: str) -> np.ndarray:
    array = np.array(values, dtype=np.float64)
    if dtype.startswith("complex"):
        array = array[..., 0] + 1j * array[..., 1]  # stored as [..., (real, imag)]
    return array.astype(dtype)


def example_trace(example: dict[str, Any]) -> tuple[Trace, np.ndarray]:
    dtype = example["dtype"]
    t = trace(as_array(example["input"], dtype), as_array(example["weight"], dtype),
              as_array(example["bias"], dtype))
    return t, as_array(example["output"], dtype)


@pytest.mark.parametrize("example", seed_examples(), ids=lambda e: e["name"])
def test_every_seed_output_is_explained_with_torchs_number(example: dict[str, Any]) -> None:
    t, expected = example_trace(example)
    batched = expected.ndim == 3
    for batch in range(t.batch_size):
        y = expected[batch] if batched else expected
        for o in range(y.shape[0]):
            for j in range(y.shape[1]):
                text = explain(t, o, j, batch=batch)
                cell = f"y[{f'n={batch}, ' if batched else ''}o={o}, j={j}]"
                assert text.splitlines()[0] == f"{cell} = {format_number(y[o, j])}"
                assert f"Contributions ({t.spec.in_channels}):" in text  # kernel 1: one tap per in_channel
                assert text.count("lands at j = ") == t.spec.in_channels


def test_blog_first_example_cell_written_out() -> None:
    t, _ = example_trace(seed_examples()[0])
    text = explain(t, 1, 2)
    assert text.splitlines() == [
        "y[o=1, j=2] = -0.1265",
        "Rule: x[c, i]·w[c, o, k] adds to output index j = i·stride + k·dilation - padding; here stride=1, "
        "dilation=1, padding=0.",
        "Contributions (1):",
        "  x[c=0, i=2] · w[c=0, o=1, k=0] = 0.0 · 0.4792 = 0.0    lands at j = 2·1 + 0·1 - 0 = 2",
        "Sum of contributions = 0.0",
        "Bias b[o=1] = -0.1265",
        "y[o=1, j=2] = 0.0 - 0.1265 = -0.1265    (float32: -0.1264995)",
        "L_out = (L - 1)·stride - 2·padding + dilation·(K - 1) + output_padding + 1",
        "      = (6 - 1)·1 - 2·0 + 1·(1 - 1) + 0 + 1 = 6",
        "Numbers are shown with 4 decimals as torch prints them; the sums use the full-precision values.",
    ]
    blog = seed_examples()[0]  # torch's numbers, printed with 4 decimals as torch prints them
    assert [explain(t, 0, j).splitlines()[0].split(" = ")[-1] for j in range(6)] == \
        [f"{v:.4f}" for v in blog["output"][0]]
    product = blog["input"][0][0] * blog["weight"][0][0][0]  # 8.0 · 0.4414, plus the bias
    assert f"{product:.4f} + {blog['bias'][0]:.4f} = {blog['output'][0][0]:.4f}" in explain(t, 0, 0)


def test_six_channels_sum_six_products() -> None:
    example = next(e for e in seed_examples() if e["name"].startswith("6->3"))
    t, _ = example_trace(example)
    text = explain(t, 0, 0)
    assert text.startswith(f"y[o=0, j=0] = {example['output'][0][0]:.4f}")  # the blog's tensor([[3.5429], ...])
    products = [line.split(" = ")[-1].split()[0] for line in text.splitlines() if "lands at" in line]
    sum_line = next(line for line in text.splitlines() if line.startswith("Sum of contributions"))
    assert len(products) == 6 and sum_line.count(" + ") + sum_line.count(" - ") == 5
    assert [f"c={c}, i=0" in line for c, line in enumerate(
        line for line in text.splitlines() if "lands at" in line)] == [True] * 6


def test_complex_batched_example() -> None:
    example = next(e for e in seed_examples() if e["dtype"] == "complex64")
    t, _ = example_trace(example)
    text = explain(t, 0, 0, batch=0)
    real, imag = example["output"][0][0][0]
    assert text.startswith(f"y[n=0, o=0, j=0] = {real:.4f}{imag:+.4f}j")  # the blog's 4.1050+2.9636j
    assert "x[n=0, c=0, i=0] · w[c=0, o=0, k=0] = (8.0+0.0j) · (0.4414+0.4792j) = 3.5313+3.8336j" in text
    assert "(complex64: 4.1049795+2.9636045j)" in text
    assert explain(t, 2, 0, batch=1).startswith("y[n=1, o=2, j=0] = 1.2580+0.8691j")
    latex = explain(t, 0, 0, fmt="latex")
    assert latex.isascii() and r"\mathrm{j}" in latex and "4.1050+2.9636" in latex
    assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
    assert latex.count(r"\\") == 3 + 4  # three contributions, sum, bias, result, two formula lines


def test_markdown_is_a_table_of_contributions() -> None:
    t, _ = example_trace(seed_examples()[2])  # 2 -> 3 channels, unbatched (2, 3)
    md = explain(t, 0, 1, fmt="markdown")
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 2  # header, then one row per in_channel
    assert md.startswith(f"**y[o=0, j=1] = {seed_examples()[2]['output'][0][1]:.4f}**")  # the blog's 1.0465
    assert "| 1 | x[c=0, i=1] · w[c=0, o=0, k=0] | -3.0 · 0.4414 | -1.3242 | 1·1 + 0·1 - 0 = 1 |" in rows
    assert "`L_out = (L - 1)·stride" in md


def test_cell_no_tap_reaches_is_the_bias() -> None:
    x, w = np.array([[1.0, 2.0]], dtype=np.float32), np.array([[[3.0]]], dtype=np.float32)
    t = trace(x, w, np.array([0.25], dtype=np.float32), stride=3, output_padding=2)
    assert t.torch_output.tolist() == [[3.25, 0.25, 0.25, 6.25, 0.25, 0.25]]
    gap = explain(t, 0, 1)
    assert "No tap reaches this cell" in gap and "the stride leaves a gap" in gap and "the bias alone" in gap
    assert gap.splitlines()[0] == "y[o=0, j=1] = 0.2500" and "Contributions: none" in gap
    end = explain(t, 0, 5)
    assert "output_padding cell(s) added at the right end" in end and "past the last tap" in end
    no_bias = explain(trace(x, w, stride=3), 0, 1)
    assert "so it is 0 (there is no bias)" in no_bias and "Bias b[o=0] = none (bias=False)" in no_bias
    for fmt in ("markdown", "latex"):
        assert "no tap reaches" in explain(t, 0, 1, fmt=fmt).lower()


def test_groups_and_padding_are_explained() -> None:
    x = np.arange(1.0, 7.0).reshape(2, 3)
    w = np.ones((2, 1, 3))
    t = trace(x, w, np.zeros(2), stride=2, padding=1, groups=2)
    text = explain(t, 1, 2)
    assert "groups=2: out_channel 1 is o=0 of group 1, so only in_channel 1 feeds it." in text
    assert "x[c=1, i=1] · w[c=1, o=0, k=1] = 5.0 · 1.0 = 5.0    lands at j = 1·2 + 1·1 - 1 = 2" in text
    assert "(6 - 1)" not in text and "(3 - 1)·2 - 2·1 + 1·(3 - 1) + 0 + 1 = 5" in text


@given(configs(max_length=4), st.data())
def test_every_cell_explains_in_every_format(cfg: Config, data: st.DataObject) -> None:
    t = trace(*cfg.args)
    batch = data.draw(st.integers(0, t.batch_size - 1))
    o = data.draw(st.integers(0, t.spec.out_channels - 1))
    j = data.draw(st.integers(0, t.output_length - 1))
    text = explain(t, o, j, batch=batch)
    assert text.count("lands at j = ") == len(t.into(o, j, batch))
    y = t.output[batch]
    assert text.splitlines()[0].endswith(f" = {format_number(y[o, j])}")
    assert f"{t.spec.dtype}: {full_precision(y[o, j], t.spec.np_dtype)}" in text
    assert explain(t, o, j, batch=batch, fmt="latex").isascii()
    assert explain(t, o, j, batch=batch, fmt="markdown").count("\n| ") == (len(t.into(o, j, batch)) + 1 if
                                                                            t.into(o, j, batch) else 0)


@pytest.mark.parametrize("args, match", [
    ((3, 0), "out_channel=3 is out of range.*use out_channel between 0 and 2"),
    ((0, 6), "out_index=6 is out of range: the output has 6 positions.*use out_index between 0 and 5"),
    ((0, -1), "out_index=-1"),
    ((0, 0, 1), "batch=1 is out of range"),
])
def test_out_of_range_cells_raise(args: tuple[Any, ...], match: str) -> None:
    t, _ = example_trace(seed_examples()[0])
    with pytest.raises(ConvSpecError, match=match):
        explain(t, *args)


def test_unknown_format_raises() -> None:
    t, _ = example_trace(seed_examples()[0])
    with pytest.raises(ConvSpecError, match="fmt='html' is not a worksheet format; use one of"):
        explain(t, 0, 0, fmt="html")


def test_length_formula_in_three_formats() -> None:
    spec = ConvSpec(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1, dilation=2)
    text = length_formula(spec, 6)
    assert text.endswith("= (6 - 1)·2 - 2·1 + 2·(3 - 1) + 1 + 1 = 14") and spec.output_length(6) == 14
    assert length_formula(spec, 6, "markdown").startswith("`L_out = (L - 1)·stride")
    latex = length_formula(spec, 6, "latex")
    assert latex.isascii() and r"\text{output\_padding}" in latex and latex.endswith(r"= 14\end{aligned}")


@pytest.mark.parametrize("value, text", [(8.0, "8.0"), (-3, "-3.0"), (0.47920528, "0.4792"), (-0.0187533, "-0.0188"),
                                         (1.23456e-5, "1.2346e-05"), (2.5e9, "2.5000e+09"), (float("inf"), "inf"),
                                         (4.104979 + 2.963604j, "4.1050+2.9636j"), (1 - 0.5j, "1.0-0.5000j")])
def test_number_formatting_like_torch(value: Any, text: str) -> None:
    assert format_number(value) == text
    assert format_real(3.0) == "3.0"
