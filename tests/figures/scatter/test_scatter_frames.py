"""``scatter/frames.py``: what each frame of the scatter animation shows (landing products, running sums, the
result), checked against the trace's records and torch."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import (
    BLOG_INPUT,
    CONFIGS,
    animated,
    cells_of,
    check_running_sums,
    frame_trace,
    make,
    named,
    out_rows,
    scatter_animation,
    shown_tolerance,
    torch_output,
    values,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.trace import trace


@pytest.mark.parametrize("name", CONFIGS)
def test_landing_cells_of_each_frame_are_where_the_element_lands(name):
    t, batch, fig = animated(name)
    s = t.spec
    x = t.input[batch]
    for step in range(t.steps_per_batch):
        c, i = t.step_element(step)
        group_out = s.out_channels // s.groups
        g = c // (s.in_channels // s.groups)
        # the oracle, from the rule: x[c, i]·w[c, o', k] lands at i·stride + k·dilation of o = g·C_og + o'
        expected = {(g * group_out + o, i * s.stride + k * s.dilation): x[c, i] * t.weight[c, o, k]
                    for o in range(group_out) for k in range(s.kernel_size)}
        landing = frame_trace(fig, step, "landing")
        got = dict(zip(cells_of(fig, landing), landing.text))
        assert set(got) == set(expected)
        for cell, text in got.items():
            assert values(text) == pytest.approx(expected[cell], abs=shown_tolerance(text))


def test_landing_hover_gives_the_full_contribution():
    t = trace(np.array([BLOG_INPUT[0]], dtype=np.float64), np.array([[[0.25, -0.5, 2.0]]]), stride=2, padding=1)
    landing = frame_trace(scatter_animation(t), 1, "landing")  # x[0, 1] = -3
    assert landing.hovertext[0] == "-3.0 · 0.25 = -0.75 → out[0, 1]<br>tap k=0"
    assert landing.hovertext[2] == "-3.0 · 2.0 = -6.0 → out[0, 3]<br>tap k=2"
    first = frame_trace(scatter_animation(t), 0, "landing")  # x[0, 0] tap 0 lands at full 0: cropped
    assert first.hovertext[0].endswith("→ cropped (full index 0)<br>tap k=0")


@pytest.mark.parametrize("name", CONFIGS)
def test_result_frame_shows_the_output(name):
    t, batch, fig = animated(name)
    sums = frame_trace(fig, len(fig.frames) - 1, "sums")
    output = torch_output(t, batch)
    cells = dict(zip(cells_of(fig, sums), sums.text))
    for o in range(t.spec.out_channels):
        for j in range(t.output_length):
            text = cells[(o, j + t.spec.padding)]
            assert values(text) == pytest.approx(output[o, j], abs=shown_tolerance(text))


@pytest.mark.parametrize("name", ["default", "groups", "dilation_padding", "complex128_batched"])
def test_running_sums_are_the_sums_so_far(name):
    t = make(**CONFIGS[name])
    for group in ("element", "position"):
        check_running_sums(t, t.input.shape[0] - 1, group)


def test_position_frames_sum_the_channels():
    t = make(c_in=3, c_out=4, groups=1, length=25, k=2, stride=2)
    fig = scatter_animation(t)
    assert len(fig.frames) == 26
    landing = frame_trace(fig, 4, "landing")  # position 4: all three in-channels at once
    cols = t.columns
    rows = np.flatnonzero(cols["in_index"] == 4)  # the oracle: sum the records of position 4 by cell
    expected = np.zeros((t.spec.out_channels, t.full_length), dtype=cols["product"].dtype)
    np.add.at(expected, (cols["out_channel"][rows], cols["full_index"][rows]), cols["product"][rows])
    row_of = out_rows(fig)
    assert landing.text is None  # 51 cells are too narrow for numbers: the hover text holds the full values
    got = {(x, row_of[int(round(y))]): float(hover.split(" = ")[1].split(" → ")[0])
           for x, y, hover in zip(np.asarray(landing.x).tolist(), landing.y, landing.hovertext)}
    assert set(got) == {(f, o) for o, f in zip(cols["out_channel"][rows].tolist(), cols["full_index"][rows].tolist())}
    for (f, o), value in got.items():
        assert value == pytest.approx(float(expected[o, f]), rel=1e-6, abs=1e-6)


def test_final_layer_and_mask_reveal_only_what_is_final():
    t = make(stride=2)
    fig = scatter_animation(t)
    final = fig.data[named(fig, "final sums")]
    for o, row in enumerate(np.asarray(final.text).tolist()):  # (C_out, L_full) texts
        for f, text in enumerate(row):
            assert values(text) == pytest.approx(t.full[0, o, f], abs=shown_tolerance(text))
    mask = frame_trace(fig, 3, "mask")  # x[0, 3]: everything from full index 6 on is hidden
    assert np.nanmin(np.asarray(mask.x)) == pytest.approx(3 * 2 - 0.5)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 5), st.integers(1, 3),
       st.integers(1, 3), st.integers(0, 3), st.data())
def test_result_frame_equals_output_on_random_configurations(c_in, c_out, k, length, stride, dilation, padding,
                                                            data):
    groups = data.draw(st.sampled_from([g for g in (1, 2, 3) if c_in % g == 0 and c_out % g == 0]))
    output_padding = data.draw(st.integers(0, max(stride, dilation) - 1))
    c_in, c_out = c_in * groups, c_out * groups
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    if full - 2 * padding < 1:
        padding = 0
    t = make(c_in=c_in, c_out=c_out, k=k, length=length, groups=groups, stride=stride, dilation=dilation,
             padding=padding, output_padding=output_padding, dtype=np.float64)
    fig = scatter_animation(t)
    sums = frame_trace(fig, len(fig.frames) - 1, "sums")
    shown = sums.text if sums.text is not None else np.asarray(sums.marker.color).tolist()  # numbers or colours
    cells = dict(zip(cells_of(fig, sums), shown))
    output = torch_output(t, 0)
    for o in range(c_out):
        for j in range(t.output_length):
            cell = cells[(o, j + padding)]
            if isinstance(cell, str):
                assert values(cell) == pytest.approx(output[o, j], abs=shown_tolerance(cell))
            else:
                assert cell == pytest.approx(output[o, j], rel=1e-6)
    check_running_sums(t, 0, "element")
