"""The Practice view in headless Chromium, with the keyboard only: Tab to each blank, type, Enter; Tab to Next
exercise, Enter; through all four levels. The right values come from torch and the layer's own arrays; one wrong
sum (the bias left out) is answered with its named mistake, and the next layer is the one chosen for it."""
from __future__ import annotations

import re

import numpy as np
import pytest
from e2e_ui import UI

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every e2e test, with the line that says how to install it
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e

FACTORS = re.compile(r"^x\[(?:n=\d+, )?c=(\d+), i=(\d+)\] · w\[c=\d+, o=(\d+), k=(\d+)\] = \?")
FOCUSED = """() => { const e = document.activeElement;
  return e ? [e.tagName, e.getAttribute('aria-label') || '', (e.innerText || '').trim()] : ['', '', '']; }"""


def torch_value(ex, bias: bool = True) -> float:
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(np.asarray(ex.input).reshape(-1, *np.shape(ex.input)[-2:])[ex.batch])[None]
    b = None if ex.bias is None or not bias else torch.from_numpy(ex.bias)
    y = F.conv_transpose1d(x, torch.from_numpy(ex.weight), b, ex.stride, ex.padding, ex.output_padding, ex.groups,
                           ex.dilation)
    return float(y[0, ex.out_channel, ex.out_index])


def answer(ex, prompt: str) -> str:
    """The right answer to a step's prompt: brute-force landing pairs, a product of the arrays, torch's value."""
    if prompt.startswith("which (i, k)"):
        pairs = sorted({(i, k) for i in range(np.shape(ex.input)[-1]) for k in range(ex.weight.shape[-1])
                        if i * ex.stride + k * ex.dilation - ex.padding == ex.out_index})
        return ", ".join(f"{i} {k}" for i, k in pairs) or "none"
    if prompt.startswith("y["):
        return f"{torch_value(ex):.6f}"
    c, i, o_local, k = map(int, FACTORS.match(prompt).groups())  # type: ignore[union-attr]
    x = np.asarray(ex.input).reshape(-1, *np.shape(ex.input)[-2:])[ex.batch]
    return f"{float(x[c, i]) * float(ex.weight[c, o_local, k]):.6f}"


def squash(text: str) -> str:
    return " ".join(text.split())


def tab_to(ui: UI, tag: str, text: str, limit: int = 400) -> None:
    """Press Tab until the focused element is a ``tag`` whose label (or text) is ``text`` (once it is on screen:
    the page draws a widget's skeleton until its code has loaded)."""
    role = {"INPUT": "textbox", "BUTTON": "button"}[tag]
    expect(ui.panel().get_by_role(role, name=squash(text), exact=True)).to_be_visible()
    seen = []
    for _ in range(limit):
        found, label, inner = ui.page.evaluate(FOCUSED)
        if found == tag and squash(text) in (squash(label), squash(inner)):
            return
        seen.append((found, label[:20], inner[:20]))
        ui.page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the {tag} {text!r}; it went through {sorted(set(seen))}")


def type_step(ui: UI, prompt: str, text: str) -> None:
    """Tab to the box of ``prompt``, replace what it holds with ``text`` and press Enter (one rerun)."""
    tab_to(ui, "INPUT", prompt)
    ui.page.keyboard.press("Control+A")
    ui.page.keyboard.type(text)
    ui.rerun(lambda: ui.page.keyboard.press("Enter"))


def next_exercise_key(ui: UI) -> None:
    tab_to(ui, "BUTTON", "Next exercise")
    ui.rerun(lambda: ui.page.keyboard.press("Enter"))


def test_every_practice_level_with_the_keyboard_only(ui: UI) -> None:
    from convviz.app.model import build
    from convviz.app.practice_ui import sidebar_exercise
    from convviz.practice import next_exercise, steps
    from convviz.presets import DEFAULTS

    settings = {**DEFAULTS, "input_mode": "random", "weight_mode": "seeded"}
    seed = int(settings["seed"])
    exercise = sidebar_exercise(build(settings))
    ui.open("tab=Practice")
    panel = ui.panel()
    expect(panel).to_contain_text("Practice, level 0 of 3")
    expect(panel).to_contain_text(f"Work out {exercise.target}")
    assert panel.locator("input[type='text']").count() == 0  # level 0: the whole worked example, shown
    successes = panel.locator("[data-testid='stAlertContentSuccess']")
    for level in (1, 2, 3):
        next_exercise_key(ui)
        mistakes = ["no_bias"] if level == 2 else []  # made at level 1, below
        exercise = next_exercise(seed + level, mistakes, exercise)
        expect(panel).to_contain_text(f"Practice, level {level} of 3")
        expect(panel).to_contain_text(f"Work out {exercise.target}")
        blanks = [s for s in steps(exercise, level) if s.blank]
        if level == 1:  # a wrong sum first: the bias left out
            assert exercise.bias is not None
            type_step(ui, blanks[-1].prompt, f"{torch_value(exercise, bias=False):.6f}")
            expect(panel).to_contain_text("This is the known mistake no_bias")
            expect(panel).to_contain_text("The step: ")
        for number, step in enumerate(blanks, 1):
            type_step(ui, step.prompt, answer(exercise, step.prompt))
            expect(successes).to_have_count(number)
        assert successes.count() == len(blanks) > 0
        for i in range(len(blanks)):
            assert "Right: " in successes.nth(i).inner_text()
    assert not ui.problems() and not ui.stream.problems, (ui.problems(), ui.stream.problems)
