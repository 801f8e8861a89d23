"""The presenter's stage shows torch's numbers: running sums after each step, the step's products, the output."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from convviz.figures.stage import TARGET_PX, stage
from convviz.trace import trace

CELL = re.compile(r'<div class="cv-output[^"]*" style="grid-row:(\d+);grid-column:(\d+)[^"]*">(.*?)</div>')


def shown(html: str) -> dict[tuple[int, int], str]:
    """(grid row, full index) -> the big number of every output cell (empty where nothing landed yet)."""
    cells = {}
    for row, column, inner in CELL.findall(html):
        cells[int(row), int(column) - 2] = re.sub(r'<span class="cv-adds">.*?</span>', "", inner)
    return cells


def rows_by_channel(cells: dict[tuple[int, int], str]) -> list[dict[int, str]]:
    grid_rows = sorted({r for r, _ in cells})
    return [{f: text for (r, f), text in cells.items() if r == row} for row in grid_rows]


def torch_full(x, w, stride, padding, dilation, groups, output_padding):
    return torch.nn.functional.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), None, stride=stride,
                                                padding=0, output_padding=output_padding, groups=groups,
                                                dilation=dilation).numpy()


@pytest.mark.parametrize("case", range(25))
def test_each_step_shows_torchs_running_sums(case):
    rng = np.random.default_rng(case)
    groups = int(rng.choice([1, 1, 2]))
    c_in, c_out = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
    k, stride, dilation = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
    length = int(rng.integers(1, 6))
    output_padding = int(rng.integers(0, max(stride, dilation)))
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    padding = int(rng.integers(0, (full - 1) // 2 + 1))
    x = rng.integers(-5, 6, size=(c_in, length)).astype(np.float64)
    w = rng.standard_normal((c_in, c_out // groups, k))
    b = rng.standard_normal(c_out)
    t = trace(x, w, b, stride, padding, output_padding, groups, dilation)
    step = int(rng.integers(0, t.steps_per_batch + 1))
    order = np.arange(length)[None, :] * c_in + np.arange(c_in)[:, None]
    played = np.where(order <= step, x, 0.0)
    want = torch_full(played[None], w, stride, padding, dilation, groups, output_padding)[0]  # (C_out, L_full)
    reached = torch_full((order <= step).astype(np.float64)[None], np.ones_like(w), stride, padding, dilation,
                         groups, output_padding)[0] > 0  # cells some played element has reached
    if step == t.steps_per_batch:  # the result: torch's module output on the kept cells
        out = torch.nn.functional.conv_transpose1d(torch.from_numpy(x[None]), torch.from_numpy(w),
                                                   torch.from_numpy(b), stride=stride, padding=padding,
                                                   output_padding=output_padding, groups=groups,
                                                   dilation=dilation).numpy()[0]
        want[:, padding:padding + out.shape[1]] = out
        reached[:] = True
    page = stage(t, step)
    channels = rows_by_channel(shown(page.html))
    assert len(channels) == c_out and all(len(ch) == full for ch in channels)
    for o, cells in enumerate(channels):
        for f, text in cells.items():
            if not reached[o, f]:
                assert text == "", (o, f, text)
                continue
            places = len(text.split(".")[1]) if "." in text else 0
            assert abs(float(text) - want[o, f]) <= 0.5 * 10 ** -places + 1e-9, (o, f, text, want[o, f])


def test_the_step_table_lists_torchs_products():
    x = np.array([[-5.0, 3.0, 2.0]])
    w = np.array([[[0.5, -0.25, 2.0]]])
    t = trace(x, w, None, stride=2)
    rows = stage(t, 1).rows  # x[0, 1] = 3 lands at 2, 3, 4
    assert [r[0] for r in rows] == ["out[0, 2]", "out[0, 3]", "out[0, 4]"]
    assert [float(r[2]) for r in rows] == [1.5, -0.75, 6.0]  # 3 · w
    assert [float(r[3]) for r in rows] == [-10 + 1.5, -0.75, 6.0]  # out[0, 2] already had -5 · 2


def test_the_default_configuration_gets_projector_sized_numbers_and_big_ones_say_they_are_smaller():
    from convviz.app.model import build
    from convviz.presets import DEFAULTS

    default = build({**DEFAULTS, "input_mode": "random", "weight_mode": "seeded"}).trace
    for step in range(default.steps_per_batch + 1):
        page = stage(default, step)
        assert page.projector_px >= TARGET_PX and page.note == "", (step, page.projector_px)
    big = build({**DEFAULTS, "in_channels": 2, "out_channels": 3, "length": 12, "input_mode": "random",
                 "weight_mode": "seeded"}).trace
    page = stage(big, 3)
    assert page.projector_px < TARGET_PX and f"{page.projector_px:.0f} px" in page.note
    assert page.folded and len(page.rows) == 9  # the long table folds away; the stage keeps every number
