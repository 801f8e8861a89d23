"""Check my answer in headless Chromium: a student types a wrong output and sees the mistake named."""
from __future__ import annotations

import pytest
from e2e_ui import UI

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every e2e test, with the line that says how to install it
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e


def test_a_wrong_answer_gets_its_mistake_named(ui: UI) -> None:
    import numpy as np
    import torch

    from convviz.app.model import build
    from convviz.presets import DEFAULTS

    trace = build({**DEFAULTS, "input_mode": "random", "weight_mode": "seeded", "padding": 1,
                   "output_padding": 1}).trace
    s = trace.spec
    forgot = torch.nn.functional.conv_transpose1d(  # torch without output_padding: the last cell left out
        torch.from_numpy(np.asarray(trace.input).reshape(1, s.in_channels, -1)), torch.from_numpy(trace.weight),
        torch.from_numpy(trace.bias), s.stride, s.padding, 0, s.groups, s.dilation)[0].numpy()
    last = trace.output_length - 1
    assert forgot.shape[-1] == last
    ui.open("padding=1&output_padding=1")
    ui.open_tab("Check my answer")
    panel = ui.panel()
    ui.rerun(lambda: panel.get_by_text("The whole output", exact=True).click())
    panel.locator("textarea").fill(", ".join(f"{v:.4f}" for v in forgot[0]))
    ui.rerun(lambda: panel.get_by_role("button", name="Check my answer").click())
    expect(panel).to_contain_text("This is the known mistake no_output_padding: output_padding was left out")
    expect(panel.locator("[data-testid='stDataFrame']")).to_be_visible()
    ui.rerun(lambda: panel.get_by_role("button", name="Show where it first goes wrong").click())
    expect(panel).to_contain_text(f"output[0, {last}] is where it first goes wrong")
    expect(panel).to_contain_text(f"y[o=0, j={last}]")
    ui.rerun(lambda: panel.get_by_role("button", name="Open it in the Hand calculation tab").click())
    expect(ui.page.get_by_role("tab", name="Hand calculation")).to_have_attribute("aria-selected", "true")
    expect(ui.page.locator("[role='tabpanel']:visible input[aria-label='out_index']")).to_have_value(str(last))
    assert not ui.problems() and not ui.stream.problems
