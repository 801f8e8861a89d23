"""The app in headless Chromium, as a student uses it: load, change arguments, play, pick a cell, share a link."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from e2e_ui import UI, assert_output, eventually, expected_output

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every e2e test, with the line that says how to install it
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e


def test_page_loads_without_errors(ui: UI) -> None:
    ui.open()
    assert ui.page.get_by_role("heading", name=re.compile("ConvTranspose1d")).count() >= 1
    assert not ui.problems()
    assert not ui.stream.problems
    assert_output(ui)


def test_sidebar_changes_update_the_output(ui: UI) -> None:
    ui.open()
    settings: dict[str, int] = {}
    for key, value in [("stride", 3), ("dilation", 2), ("output_padding", 1)]:
        ui.set_number(key, value)
        settings[key] = value
        assert_output(ui, **settings)
    for key, value in [("in_channels", 2), ("out_channels", 4), ("groups", 2)]:  # channels that allow groups 2
        ui.set_number(key, value)
        settings[key] = value
    assert_output(ui, **settings)
    assert not ui.problems(), ui.problems()


SLIDER = """chart => { const gd = chart.querySelector('.js-plotly-plot');
  return gd && gd._fullLayout && gd._fullLayout.sliders.length ? gd._fullLayout.sliders[0].active : -1; }"""


def test_play_advances_the_animation_and_the_slider(ui: UI) -> None:
    ui.open()
    ui.open_tab("Scatter")
    chart = ui.page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".slider-grip-rect").first.wait_for()
    chart.scroll_into_view_if_needed()
    label, grip = chart.locator(".slider-label").first, chart.locator(".slider-grip-rect").first
    before, x_before = label.text_content(), grip.bounding_box()["x"]
    assert chart.evaluate(SLIDER) == 0
    chart.locator(".updatemenu-button", has_text="Play").first.click()
    chart.evaluate(f"""chart => new Promise((resolve, reject) => {{
        const slider = {SLIDER};
        const start = performance.now();
        const poll = () => slider(chart) >= 2 ? resolve() :
            performance.now() - start > 20000 ? reject(new Error('stuck at ' + slider(chart))) :
            requestAnimationFrame(poll);
        poll(); }})""")
    assert label.text_content() != before, "the slider's current frame label did not change"
    assert grip.bounding_box()["x"] > x_before, "the slider's grip did not move"
    chart.locator(".updatemenu-button", has_text="Pause").first.click()


POINT = """(chart, [channel, index]) => {
  // The page position of the marker whose customdata is [channel, index] (the clickable output cells).
  const gd = chart.querySelector('.js-plotly-plot');
  for (const trace of gd._fullData) {
    const data = trace.customdata || [];
    for (let i = 0; i < data.length; i++) {
      if (data[i] && +data[i][0] === channel && +data[i][1] === index && trace.visible !== false) {
        const xa = gd._fullLayout[trace.xaxis.replace('x', 'xaxis')];
        const ya = gd._fullLayout[trace.yaxis.replace('y', 'yaxis')];
        const box = gd.getBoundingClientRect();
        return [box.left + xa._offset + xa.d2p(trace.x[i]), box.top + ya._offset + ya.d2p(trace.y[i])];
      }
    }
  }
  return null;
}"""


def worksheet_headline(out_channel: int, out_index: int, **changes: int) -> str:
    """The worksheet's first line for the app's default settings, e.g. ``y[o=0, j=3] = 1.9680``."""
    from convviz.app.model import build
    from convviz.presets import DEFAULTS
    from convviz.worksheet import explain

    trace = build({**DEFAULTS, "input_mode": "random", "weight_mode": "seeded", **changes}).trace
    return explain(trace, out_channel, out_index).splitlines()[0]


def test_choosing_an_output_cell_shows_its_worksheet(ui: UI) -> None:
    ui.open()
    ui.open_tab("Hand calculation")
    panel = ui.panel()
    ui.set_number("out_index", 3, where=panel)
    expect(panel).to_contain_text(worksheet_headline(0, 3))
    # and by clicking the output cell in the figure (a transparent marker carries [out_channel, out_index])
    chart = panel.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for()
    where = chart.evaluate(POINT, [0, 5])
    assert where is not None, "no clickable marker for output cell (0, 5)"
    ui.rerun(lambda: ui.page.mouse.click(*where))
    expect(panel.locator("input[aria-label='out_index']")).to_have_value("5")
    expect(panel).to_contain_text(worksheet_headline(0, 5))
    assert not ui.problems()


def test_a_shared_link_reopens_the_same_state(ui: UI, browser: Any) -> None:
    ui.open()
    ui.set_number("stride", 3)
    ui.set_number("dilation", 2)
    ui.open_tab("Gather")
    link = ui.page.url
    assert "stride=3" in link and "dilation=2" in link, link
    assert_output(ui, stride=3, dilation=2)
    shown = ui.output()

    context = browser.new_context(viewport={"width": 1500, "height": 1100})  # a classmate's browser
    other = UI(context.new_page(), ui.url)
    try:
        other.rerun(lambda: other.page.goto(link))
        expect(other.number("stride")).to_have_value("3")
        expect(other.number("dilation")).to_have_value("2")
        expect(other.page.get_by_role("tab", name="Gather")).to_have_attribute("aria-selected", "true")

        def same_as_shown() -> None:  # on the columns both pages show (each shows as many as fit)
            theirs = other.output()
            columns = min(theirs.shape[1], shown.shape[1])
            np.testing.assert_array_equal(theirs[:, :columns], shown[:, :columns])

        eventually(same_as_shown, other.page)
        assert_output(other, stride=3, dilation=2)
    finally:
        context.close()


def test_an_invalid_combination_shows_the_error_and_recovers(ui: UI) -> None:
    ui.open()
    ui.set_number("output_padding", 3)  # stride 2, dilation 1: output_padding must be < 2
    error = ui.page.locator("[data-testid='stAlertContentError']")
    expect(error.first).to_contain_text("output_padding=3")
    expect(ui.page.locator("[data-testid='stException']")).to_have_count(0)
    ui.set_number("output_padding", 1)
    expect(error).to_have_count(0)
    assert_output(ui, output_padding=1)
    assert expected_output(output_padding=1).shape[1] == expected_output().shape[1] + 1


def test_the_views_are_grouped_and_a_group_opens_its_first_view(ui: UI) -> None:
    ui.open()
    groups = ui.page.get_by_role("tab", name="See it", exact=True)
    expect(groups).to_have_attribute("aria-selected", "true")
    expect(ui.page.get_by_role("tab", name="Scatter", exact=True)).to_have_attribute("aria-selected", "true")
    expect(ui.page.get_by_role("tab", name="Gather", exact=True)).to_be_visible()
    expect(ui.page.get_by_role("tab", name="Hand calculation", exact=True)).to_have_count(0)  # another group's
    ui.rerun(ui.page.get_by_role("tab", name="Work it out", exact=True).click)
    expect(ui.page.get_by_role("tab", name="Hand calculation", exact=True)).to_have_attribute("aria-selected",
                                                                                            "true")
    expect(ui.panel()).to_contain_text(worksheet_headline(0, 0))
    eventually(lambda: _in_url(ui, "tab=Hand+calculation"), ui.page)
    ui.open_tab("Overlap")
    eventually(lambda: _in_url(ui, "tab=Overlap"), ui.page)
    assert not ui.problems(), ui.problems()


def _in_url(ui: UI, text: str) -> None:
    assert text in ui.page.url, ui.page.url
