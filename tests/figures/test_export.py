"""``figures/export.py``: the standalone page and the CSV files."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from figure_cases import CONFIGS, make, named, scatter_animation, shown_tolerance, torch_output, values

from convviz import conv_transpose1d
from convviz.figures import contributions_csv, describe, output_csv, to_html


def test_to_html_is_standalone_with_frames():
    t = make(stride=2)
    fig = scatter_animation(t)
    page = to_html(fig)
    names = [f.name for f in fig.frames]
    assert all(page.count(f'"name":"{name}"') == 1 for name in names)  # every frame is in the page
    assert "Plotly.addFrames(" in page  # Plotly's page adds the frames after the plot is drawn
    assert "plotly.js v" in page and '<script src="https://cdn.plot.ly' not in page
    assert describe(fig)[:40] in page


@pytest.mark.parametrize("name", ["default", "complex128_batched", "batched_no_bias"])
def test_output_csv_equals_the_engine(name):
    t = make(**CONFIGS[name])
    rows = list(csv.DictReader(io.StringIO(output_csv(t))))
    s = t.spec
    engine = conv_transpose1d(t.input if t.batched else t.input[0], t.weight, t.bias, s.stride, s.padding,
                              s.output_padding, s.groups, s.dilation)
    engine = engine if t.batched else engine[None]
    assert len(rows) == engine.size
    for row in rows:
        want = engine[int(row["batch"]), int(row["out_channel"]), int(row["out_index"])]
        got = complex(float(row["value_real"]), float(row["value_imag"])) if "value_real" in row else \
            float(row["value"])
        assert engine.dtype.type(got) == want  # full precision: reads back to the same number


def test_contributions_csv_is_the_trace():
    t = make(**CONFIGS["complex"])
    rows = list(csv.DictReader(io.StringIO(contributions_csv(t))))
    assert len(rows) == len(t.columns["tap"])
    for row, record in zip(rows[::3], t.contributions[::3]):
        assert int(row["in_index"]) == record.in_index and int(row["tap"]) == record.tap
        assert (row["out_index"] or None) == (None if record.out_index is None else str(record.out_index))
        product = complex(float(row["product_real"]), float(row["product_imag"]))
        assert np.complex64(product) == record.product


@pytest.mark.e2e
def test_standalone_page_plays_in_chromium(tmp_path):
    """The exported page, opened from disk in Debian's Chromium: no errors, every frame loaded, and jumping to
    the last frame shows the output."""
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("needs Debian's chromium")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    t = make(**CONFIGS["output_padding"])
    fig = scatter_animation(t)
    page_file = tmp_path / "scatter.html"
    page_file.write_text(to_html(fig))
    sums = named(fig, "sums")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(page_file.as_uri())
            page.wait_for_function("() => document.querySelector('.plotly-graph-div')?._transitionData")
            frames = page.evaluate("() => document.querySelector('.plotly-graph-div')._transitionData._frames.length")
            page.evaluate("() => Plotly.animate(document.querySelector('.plotly-graph-div'), ['result'], "
                          "{frame: {duration: 0, redraw: true}, transition: {duration: 0}, mode: 'immediate'})")
            page.wait_for_timeout(300)
            shown = page.evaluate(f"() => document.querySelector('.plotly-graph-div').data[{sums}].text")
        finally:
            browser.close()
    assert not errors and frames == len(fig.frames)
    assert len(shown) == t.spec.out_channels * t.full_length  # what the browser draws after jumping to the result
    for want in torch_output(t, 0).ravel():
        assert any(abs(values(v) - want) <= shown_tolerance(v) for v in shown)
