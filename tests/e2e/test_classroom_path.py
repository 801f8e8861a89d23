"""The classroom path in Chromium: a Share link that reproduces the screen, the presenter at projector size,
and the first minute's messages (issue 11)."""
from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from e2e_ui import UI, eventually

from convviz.app.model import random_input
from convviz.values import format_values, parse_values

pytestmark = pytest.mark.e2e

TABLE = "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
WARNINGS = "[data-testid='stAlertContentWarning']"


def table_text(ui: UI) -> list[list[str]]:
    """Every cell of the first output table as the page writes it (the grid's accessible table)."""
    rows = ui.page.locator("[data-testid='stDataFrame'] table").first.evaluate(TABLE)
    assert len(rows) > 1 and len(rows[0]) > 1, f"no output table to compare: {rows}"
    return rows


def share_link(ui: UI) -> str:
    ui.page.get_by_role("button", name="Share link").click()
    code = ui.page.locator("[data-testid='stPopoverBody'] [data-testid='stCode'] code").first
    code.wait_for()
    link = code.inner_text().strip()
    ui.page.keyboard.press("Escape")
    assert link.startswith(ui.url), link
    return link


def fresh_page(ui: UI, link: str) -> UI:
    """``link`` in a new browser context (no cookies, no session), waiting for its first script run."""
    context = ui.page.context.browser.new_context(viewport={"width": 1500, "height": 1100})
    other = UI(context.new_page(), ui.url)
    other.rerun(lambda: other.page.goto(link, timeout=120_000))
    return other


def commit(ui: UI, field: Any, rng: random.Random) -> None:
    """Leave a field as a student does: Enter (number) / Ctrl+Enter (text), or by clicking elsewhere."""
    if rng.random() < 0.5:
        field.press("Control+Enter" if field.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
    else:
        ui.page.get_by_role("heading", name="ConvTranspose1d, step by step").click()


def radio(ui: UI, group: str, option: str) -> None:
    choice = ui.page.locator(f"[data-testid='stSidebar'] [role='radiogroup'][aria-label='{group}'] "
                             f"[data-testid='stRadioOption']", has_text=option)
    if choice.get_attribute("data-selected") != "true":
        ui.rerun(choice.click)


def type_text(ui: UI, label: str, text: str, rng: random.Random) -> None:
    field = ui.page.locator(f"[data-testid='stSidebar'] textarea[aria-label='{label}']")

    def edit() -> None:
        field.click()
        field.press("Control+A")
        field.press_sequentially(text, delay=rng.choice([0, 20, 60]))
        ui.page.wait_for_timeout(rng.choice([0, 300, 1500]))  # a pause before leaving the field
        commit(ui, field, rng)

    ui.rerun(edit)


def random_edit(ui: UI, rng: random.Random, typed_weights: bool) -> None:
    roll = rng.random()
    if roll < 0.4:
        names = ["stride", "dilation", "padding", "seed"] + ([] if typed_weights else ["kernel_size"])
        name = rng.choice(names)
        value = {"stride": rng.randint(1, 4), "dilation": rng.randint(1, 3), "padding": rng.randint(0, 1),
                 "seed": rng.randint(0, 999), "kernel_size": rng.randint(1, 4)}[name]
        field = ui.number(name)

        def edit() -> None:
            field.fill(str(value))
            commit(ui, field, rng)

        if field.input_value() != str(value):
            ui.rerun(edit)
    elif roll < 0.75:
        radio(ui, "input", "typed")
        values = [rng.randint(-9, 9) for _ in range(rng.randint(2, 7))]
        type_text(ui, "input values", str([values]), rng)
    else:
        radio(ui, "weights", "typed")
        field = ui.page.locator("[data-testid='stSidebar'] textarea[aria-label='weight values']")
        # the box is prefilled with the seeded weights by the rerun the radio started: wait for them
        eventually(lambda: _equal(str(bool(field.input_value().strip())), "True"), ui.page)
        shape = np.shape(parse_values(field.input_value(), "weight"))
        weight = np.round(np.array([rng.uniform(-2, 2) for _ in range(int(np.prod(shape)))]).reshape(shape), 2)
        type_text(ui, "weight values", format_values(weight), rng)


@pytest.mark.parametrize("case", range(2))
def test_after_random_edits_the_share_link_shows_the_same_output(ui: UI, case: int) -> None:
    rng = random.Random(case)
    ui.open()
    typed_weights = False
    for _ in range(3):
        random_edit(ui, rng, typed_weights)
        typed_weights = typed_weights or ui.page.locator(
            "[data-testid='stSidebar'] textarea[aria-label='weight values']").count() > 0
        assert not ui.problems(), ui.problems()
        link = share_link(ui)
        other = fresh_page(ui, link)
        try:  # both tables may still be drawing their new cells after the script run: compare once both settle
            eventually(lambda: assert_same(table_text(other), table_text(ui)), other.page)  # noqa: B023
            assert shapes(other) == shapes(ui)
            assert other.page.locator(WARNINGS).count() == 0, other.problems()
            assert not other.problems(), other.problems()
        finally:
            other.page.context.close()


def shapes(ui: UI) -> str:
    """The page's "input (…) → output (…)" line: the output's shape, whatever part of the table is drawn."""
    return ui.page.locator("[data-testid='stMarkdownContainer'] p", has_text="→ output").first.inner_text()


def assert_same(theirs: list[list[str]], mine: list[list[str]]) -> None:
    """The same cells, bit for bit as written, on the columns both grids have drawn (the grid draws only the
    columns in view; the shapes line says how many there are)."""
    width = min(len(theirs[0]), len(mine[0]))
    assert width >= min(len(theirs[0]), 8), (theirs[0], mine[0])
    assert len(theirs) == len(mine), (len(theirs), len(mine))
    cut = [row[:width] for row in theirs], [row[:width] for row in mine]
    assert cut[0] == cut[1], f"link shows {theirs[:3]}, the page showed {mine[:3]}"


def test_a_chosen_hand_calculation_cell_travels_without_a_warning(ui: UI) -> None:
    ui.open("tab=Hand+calculation&calc_index=3")
    assert ui.page.locator(WARNINGS).count() == 0, ui.page.locator(WARNINGS).all_inner_texts()
    field = ui.page.locator("input[aria-label='out_index']:visible").first
    eventually(lambda: _equal(field.input_value(), "3"), ui.page)  # the widget takes the link's value
    assert "?" in share_link(ui) and "calc_index=3" in share_link(ui)


def test_values_in_use_are_what_the_grey_boxes_show(ui: UI) -> None:
    ui.open("seed=7")
    ui.page.get_by_text("values in use").first.click()
    shown = ui.page.locator("[data-testid='stSidebar'] [data-testid='stText']", has_text="input values in use")
    eventually(lambda: _equal(str(shown.count()), "1"), ui.page)  # drawn once expanded
    sections = dict(part.split(":\n", 1) for part in shown.first.inner_text().strip().split("\n\n"))
    assert [label.split(" (")[0] for label in sections] == ["input values in use", "weight values in use",
                                                           "bias values in use"]
    values = list(sections.values())
    np.testing.assert_array_equal(np.array(parse_values(values[0])), random_input(7, (1, 6), "float32"))
    assert np.shape(parse_values(values[1])) == (1, 1, 3)


def test_an_empty_field_in_typed_input_is_an_error(ui: UI) -> None:
    ui.open()
    radio(ui, "input", "typed")
    type_text(ui, "input values", "1,2,,3", random.Random(0))
    errors = ui.page.locator("[data-testid='stAlertContentError']")
    errors.first.wait_for()
    assert "empty field" in errors.first.inner_text()


def stage_metrics(ui: UI) -> dict[str, float]:
    return ui.page.evaluate("""() => {
      const px = e => parseFloat(getComputedStyle(e).fontSize);
      const bottom = sel => Math.max(...[...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect().bottom));
      const outputs = [...document.querySelectorAll('.cv-output')];
      return {font: px(document.querySelector('.cv-input.cv-active')), outputs: outputs.length,
              numbers: outputs.filter(e => e.innerText.trim()).length, output_bottom: bottom('.cv-output'),
              index_bottom: bottom('.cv-index'), table_bottom: bottom('.cv-steps'),
              right: Math.max(...outputs.map(e => e.getBoundingClientRect().right)),
              width: document.documentElement.clientWidth};
    }""")


@pytest.mark.parametrize("sidebar", ["closed", "open"])
def test_presenter_fits_a_1280x720_projector(ui: UI, sidebar: str) -> None:
    ui.page.set_viewport_size({"width": 1280, "height": 720})
    ui.open("mode=Presenter")  # a presenter link opens with the sidebar folded
    if sidebar == "open":
        ui.page.get_by_test_id("stExpandSidebarButton").click()
    ui.page.locator(".cv-steps").first.wait_for()
    ui.page.wait_for_timeout(500)
    m = stage_metrics(ui)
    assert m["outputs"] == 13 and m["numbers"] == 3, m  # step 1: three cells have sums so far
    assert m["font"] >= (28 if sidebar == "closed" else 20), m
    assert max(m["output_bottom"], m["index_bottom"], m["table_bottom"]) <= 720, m  # no scrolling
    assert m["right"] <= m["width"], m


def test_arrow_keys_step_right_after_choosing_presenter(ui: UI) -> None:
    ui.page.set_viewport_size({"width": 1280, "height": 720})
    ui.open()
    ui.rerun(lambda: ui.page.locator("[data-testid='stSidebar'] button", has_text="Presenter").click())
    heading = ui.page.get_by_role("heading", level=4)
    eventually(lambda: _has(heading, "Step 1 of 6"), ui.page)
    ui.page.wait_for_timeout(300)  # the focus script runs once the page is drawn
    ui.rerun(lambda: ui.page.keyboard.press("ArrowRight"))
    eventually(lambda: _has(heading, "Step 2 of 6"), ui.page)
    ui.rerun(lambda: ui.page.keyboard.press("ArrowLeft"))
    eventually(lambda: _has(heading, "Step 1 of 6"), ui.page)


def _equal(value: str, want: str) -> None:
    assert value == want, (value, want)


def _has(locator: Any, text: str) -> None:
    assert text in locator.first.inner_text(), locator.first.inner_text()
