"""The Scatter tab stepped with the keyboard in Chromium: ← → move one step, the link keeps it, the status says
what the step adds."""
from __future__ import annotations

from typing import Any

import pytest
from e2e_ui import UI, eventually

pytestmark = pytest.mark.e2e


def _status(ui: UI, text: str) -> None:
    shown = ui.page.locator("[data-testid='scatter-step-status']").first.inner_text()
    assert text in shown, shown


def _url_step(ui: UI, number: int) -> None:
    assert f"step={number}" in ui.page.url, ui.page.url


def test_arrow_keys_step_the_scatter_and_the_link_follows(ui: UI) -> None:
    ui.open()
    ui.rerun(lambda: ui.page.locator("[data-testid='stMain'] button", has_text="Step by step").click())
    eventually(lambda: _status(ui, "Step 1 of 6"), ui.page)
    assert ui.page.locator("[data-testid='scatter-step-status']").get_attribute("role") == "status"  # announced
    ui.page.wait_for_timeout(300)  # the focus script runs once the page is drawn
    for key, number in (("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2)):
        ui.rerun(lambda key=key: ui.page.keyboard.press(key))
        eventually(lambda number=number: _status(ui, f"Step {number} of 6"), ui.page)
        eventually(lambda number=number: _url_step(ui, number), ui.page)
    assert ui.problems() == []


def test_a_step_link_opens_that_step(ui: UI, browser: Any) -> None:
    ui.open("step=7")
    eventually(lambda: _status(ui, "The result of"), ui.page)
    ui.page.get_by_role("button", name="Previous").first.wait_for()
    # a page just opened from a link may not have the keyboard yet: click plain text on it, as a person would
    ui.page.locator("[data-testid='scatter-step-status']").first.click()
    ui.page.wait_for_timeout(300)
    ui.rerun(lambda: ui.page.keyboard.press("ArrowLeft"))
    eventually(lambda: _status(ui, "Step 6 of 6"), ui.page)
    assert ui.problems() == []


def test_adding_a_layer_in_the_stack_table(ui: UI) -> None:
    """The data editor is a canvas AppTest cannot drive: add a row (the default 4/2/1 layer) in the browser."""
    ui.open("tab=Stack&stack=4:3/2/1/1")
    lengths = ui.page.locator("[data-testid='stMarkdownContainer']", has_text="Lengths:").first
    eventually(lambda: _has(lengths, "4 → 8 (×2 overall)"), ui.page)
    ui.page.locator("[data-testid='stDataFrame']").first.hover()
    ui.rerun(lambda: ui.page.get_by_role("button", name="Add row").first.dispatch_event("click"))
    eventually(lambda: _has(lengths, "4 → 8 → 16 (×4 overall)"), ui.page)
    assert "stack=4%3A3%2F2%2F1%2F1%2C4%2F2%2F1" in ui.page.url
    assert ui.problems() == []


def _has(locator: Any, text: str) -> None:
    assert text in locator.inner_text(), locator.inner_text()
