"""The Plotly views: structure, numbers and budgets, checked against the trace and the engine."""
from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz import conv_transpose1d
from convviz import figures as views
from convviz.figures import (
    ScatterOptions,
    View,
    contributions_csv,
    describe,
    frame,
    frame_count,
    output_csv,
    to_figure,
    to_html,
)
from convviz.figures.base import typed_frame
from convviz.figures.formatting import decimals, scale_of
from convviz.figures.gather import frame as gather_frame
from convviz.figures.scatter import make_plan
from convviz.forms import matrix
from convviz.trace import overlap_counts, trace


def _as_figure(make):
    """A view function whose View these tests read as the ``go.Figure`` the app sends (``to_figure``)."""
    def made(*args, **kwargs):
        view = make(*args, **kwargs)
        assert isinstance(view, View)
        return to_figure(view)
    return made


scatter_animation = _as_figure(views.scatter_animation)
scatter_step_figure = _as_figure(views.scatter_step_figure)
gather_animation = _as_figure(views.gather_animation)
matrix_figure = _as_figure(views.matrix_figure)
overlap_figure = _as_figure(views.overlap_figure)
groups_figure = _as_figure(views.groups_figure)

BLOG_INPUT = [[8.0, -3.0, 0.0, 1.0, 5.0, -2.0]]


def make(c_in: int = 1, c_out: int = 1, k: int = 3, length: int = 6, groups: int = 1, dtype: object = np.float32,
         batch: int | None = None, bias: bool = True, seed: int = 0, **kwargs: int):
    """A trace of random data with a fixed seed."""
    rng = np.random.default_rng(seed)
    shape = (c_in, length) if batch is None else (batch, c_in, length)
    x = rng.standard_normal(shape)
    w = rng.uniform(-0.6, 0.6, (c_in, c_out // groups, k))
    b = rng.uniform(-0.3, 0.3, c_out) if bias else None
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
        w = w + 1j * rng.uniform(-0.6, 0.6, w.shape)
        b = None if b is None else b + 1j * rng.uniform(-0.3, 0.3, c_out)
    dt = np.dtype(dtype)
    return trace(x.astype(dt), w.astype(dt), None if b is None else b.astype(dt), groups=groups, **kwargs)


CONFIGS = {
    "default": dict(stride=2),
    "groups": dict(c_in=4, c_out=6, groups=2, length=4, stride=2),
    "dilation_padding": dict(c_out=2, length=5, dilation=2, padding=2),
    "output_padding": dict(length=4, stride=3, padding=1, output_padding=2),
    "complex": dict(dtype=np.complex64, length=4, stride=2, padding=1),
    "complex128_batched": dict(dtype=np.complex128, c_in=2, c_out=2, length=3, batch=2, stride=2),
    "batched_no_bias": dict(c_in=2, c_out=3, length=5, batch=3, bias=False, stride=2, padding=1),
    "float64_k1": dict(dtype=np.float64, k=1, length=5, stride=3),
}


def named(fig: go.Figure, name: str) -> int:
    return [t.name for t in fig.data].index(name)


def frame_trace(fig: go.Figure, k: int, name: str) -> go.Scatter:
    """Trace ``name`` as frame ``k`` sets it."""
    index = named(fig, name)
    f = fig.frames[k]
    return f.data[list(f.traces).index(index)]


def values(text: str) -> complex:
    """A cell text back to a number (``1.2<br>-0.3j`` too)."""
    return complex(text.replace("<br>", "")) if "j" in text else float(text)


def torch_output(t, batch: int) -> np.ndarray:
    """The oracle: torch's ``conv_transpose1d`` of sample ``batch``, ``(C_out, L_out)``."""
    torch = pytest.importorskip("torch")
    s = t.spec
    with torch.no_grad():
        return torch.nn.functional.conv_transpose1d(
            torch.from_numpy(t.input[batch]), torch.from_numpy(t.weight),
            None if t.bias is None else torch.from_numpy(t.bias), s.stride, s.padding, s.output_padding, s.groups,
            s.dilation).numpy()


def shown_tolerance(text: str) -> float:
    """How far a cell text may be from its value: half a unit in the last place it shows (per complex part)."""
    places = max([len(part) for part in re.findall(r"\.(\d+)", text)] or [0])
    return 0.5 * 10.0 ** -places * math.sqrt(2) + 1e-9


def tolerance(scale: float, digits: int = 3) -> float:
    """How far a cell text may be from its value: half a unit in the last place shown, per part of a complex."""
    return 0.5 * 10.0 ** -decimals(scale, digits) * math.sqrt(2) + 1e-9


# ---------------------------------------------------------------------------------------------------- scatter
@pytest.mark.parametrize("name", CONFIGS)
def test_scatter_has_a_frame_per_step_and_a_result(name):
    t = make(**CONFIGS[name])
    fig = scatter_animation(t)
    assert len(fig.frames) == t.steps_per_batch + 1 == frame_count(t)
    assert [f.name for f in fig.frames][-1] == "result"
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    labels = [b.label for menu in fig.layout.updatemenus for b in menu.buttons]
    assert {"▶ Play", "❚❚ Pause", "0.5×", "1×", "2×"} <= set(labels)


def test_scatter_groups_frames_by_position_beyond_the_cap_and_says_so():
    t = make(c_in=4, c_out=2, length=20, stride=2)  # 80 steps > 64
    fig = scatter_animation(t)
    assert len(fig.frames) == t.length + 1
    assert "grouped into 20 frames, one per input position" in fig.layout.title.text
    assert len(scatter_animation(t, options=ScatterOptions(group="element")).frames) == 81


def animated(name: str):
    """The trace of ``CONFIGS[name]``, its last batch sample and that sample's animation."""
    t = make(**CONFIGS[name])
    batch = t.input.shape[0] - 1
    return t, batch, scatter_animation(t, batch=batch)


def out_rows(fig: go.Figure) -> dict[int, int]:
    """The out-channel of each output row, by its y (rounded), read off the clickable output cells."""
    pick = fig.data[named(fig, "pick")]
    return {int(round(y)): int(o) for (o, _), y in zip(np.asarray(pick.customdata).tolist(), np.asarray(pick.y))}


def cells_of(fig: go.Figure, trace_: go.Scatter) -> list[tuple[int, int]]:
    """``(out_channel, full_index)`` of each point of a trace drawn on the output rows."""
    row_of = out_rows(fig)
    return [(row_of[int(round(y))], int(x)) for x, y in zip(np.asarray(trace_.x).tolist(), np.asarray(trace_.y))]


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


def check_running_sums(t, batch: int, group: str) -> None:
    """Every frame: the window shows the sum of all products played so far (the oracle: np.add.at over the
    trace's records); nothing left of the window (the final sums, drawn once, are revealed there)."""
    fig = scatter_animation(t, options=ScatterOptions(batch=batch, group=group))
    cols, c_in, stride = t.columns, t.spec.in_channels, t.spec.stride
    step_of = cols["in_index"] * c_in + cols["in_channel"]  # the animation step of each record
    for k in range(len(fig.frames) - 1):
        first, stop = (k, k + 1) if group == "element" else (k * c_in, (k + 1) * c_in)
        rows = np.flatnonzero((cols["batch"] == batch) & (step_of < stop))
        expected = np.zeros((t.spec.out_channels, t.full_length), dtype=t.full.dtype)
        touched = np.zeros(expected.shape, dtype=bool)
        np.add.at(expected, (cols["out_channel"][rows], cols["full_index"][rows]), cols["product"][rows])
        touched[cols["out_channel"][rows], cols["full_index"][rows]] = True
        boundary = first // c_in * stride  # the playing position's first full index
        window = touched.copy()
        window[:, :boundary] = False
        sums = frame_trace(fig, k, "sums")
        cells = cells_of(fig, sums)
        assert sorted(cells) == sorted(zip(*np.nonzero(window)))
        if sums.text is not None:
            for (o, f), text in zip(cells, sums.text):
                assert values(text) == pytest.approx(expected[o, f], abs=shown_tolerance(text))
        else:  # coloured by value (magnitude for complex)
            colour = np.abs(expected) if np.iscomplexobj(expected) else expected
            np.testing.assert_allclose(np.asarray(sums.marker.color), [colour[o, f] for o, f in cells], rtol=1e-5,
                                       atol=1e-5)
        np.testing.assert_allclose(expected[:, :boundary], t.full[batch][:, :boundary], rtol=1e-5, atol=1e-5)


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


def test_frame_is_a_pure_function_equal_to_the_animation():
    t = make(**CONFIGS["groups"])
    view = views.scatter_animation(t)
    fig = to_figure(view)
    for k in (0, 5, len(fig.frames) - 1):
        f = typed_frame(frame(t, k), list(view.data))  # each frame trace names the type of the trace it updates
        assert json.dumps(f, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True) == \
            json.dumps(view.frames[k], cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
        assert f["name"] == fig.frames[k].name and list(f["traces"]) == list(fig.frames[k].traces)
    with pytest.raises(IndexError, match="out of range"):
        frame(t, len(fig.frames))


def test_gather_frame_is_a_pure_function_equal_to_the_animation():
    t = make(**CONFIGS["groups"])
    view = views.gather_animation(t)
    fig = to_figure(view)
    for k in (0, 7, len(fig.frames) - 1):
        made = typed_frame(gather_frame(t, k), list(view.data))
        assert json.dumps(made, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True) == \
            json.dumps(fig.frames[k].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    with pytest.raises(IndexError, match="out of range"):
        gather_frame(t, len(fig.frames))


def test_step_figure_is_one_still_frame():
    t = make(**CONFIGS["groups"])
    still = scatter_step_figure(t, 5)
    assert len(still.frames) == 0 and not still.layout.updatemenus and not still.layout.sliders
    animated = scatter_animation(t)
    landing = still.data[named(still, "landing")]
    assert np.asarray(landing.x).tolist() == np.asarray(frame_trace(animated, 5, "landing").x).tolist()
    assert list(still.layout["xaxis2"].range) == list(animated.frames[5].to_plotly_json()["layout"]["xaxis2"]["range"])
    last = scatter_step_figure(t, t.steps_per_batch)  # the result
    assert "result" in last.data[named(last, "caption")].text[0]
    with pytest.raises(IndexError):
        scatter_step_figure(t, t.steps_per_batch + 1)
    big = make(c_in=4, length=20)  # the animation groups it, the still figure still steps by element
    assert "step 70 of 80" in scatter_step_figure(big, 69).data[named(scatter_step_figure(big, 69), "caption")].text[0]


@pytest.mark.parametrize("builder", ["scatter", "gather", "matrix"])
def test_pick_markers_name_every_output_cell(builder):
    t = make(**CONFIGS["groups"])
    fig = {"scatter": scatter_animation, "gather": gather_animation, "matrix": matrix_figure}[builder](t)
    pick = fig.data[named(fig, "pick")]
    cells = sorted(map(tuple, np.asarray(pick.customdata).tolist()))
    assert cells == [(o, j) for o in range(t.spec.out_channels) for j in range(t.output_length)]
    assert pick.marker.color == "rgba(0,0,0,0)" and pick.mode == "markers"


def test_tap_cues_do_not_rely_on_colour():
    fig = scatter_animation(make(k=4, stride=2))
    dashes = [fig.data[named(fig, f"tap {k}")].line.dash for k in range(4)]
    assert len(set(dashes)) == 4
    stamp = fig.data[named(fig, "stamp")]
    assert [s.split("<br>")[0] for s in stamp.text] == ["k0", "k1", "k2", "k3"]


# ---------------------------------------------------------------------------------------------------- gather
@pytest.mark.parametrize("name", CONFIGS)
def test_gather_shows_the_output_one_cell_per_frame(name):
    t = make(**CONFIGS[name])
    batch = t.input.shape[0] - 1
    fig = gather_animation(t, batch=batch)
    output = torch_output(t, batch)
    n = t.spec.out_channels * t.output_length
    assert len(fig.frames) == (n if n <= 64 else t.output_length)
    cells = fig.data[named(fig, "outputs")]
    texts = np.asarray(cells.text)
    for o in range(t.spec.out_channels):
        for j in range(t.output_length):
            assert values(texts[o, j]) == pytest.approx(output[o, j], abs=tolerance(scale_of(output)))
    caption = frame_trace(fig, len(fig.frames) - 1, "caption").text[0]
    assert caption.startswith(f"out[{t.spec.out_channels - 1}, {t.output_length - 1}]" if n <= 64 else "out[:, ")


def test_gather_marks_inserted_and_padding_zeros():
    t = make(length=3, stride=3, padding=1)
    fig = gather_animation(t)
    hover = fig.data[named(fig, "upsampled values")].hovertext
    assert sum("inserted zero" in h for h in hover) == 4  # 2 gaps of stride - 1 = 2
    assert sum("padding zero" in h for h in hover) == 2  # dilation·(K-1) - padding = 1 each side
    assert sum("= x[0," in h for h in hover) == 3


# ---------------------------------------------------------------------------------------------------- matrix
@pytest.mark.parametrize("name", CONFIGS)
def test_matrix_figure_is_forms_matrix(name):
    t = make(**CONFIGS[name])
    s = t.spec
    m = matrix(t.weight, t.length, s.stride, s.padding, s.output_padding, s.groups, s.dilation)
    fig = matrix_figure(t)
    z = np.asarray(fig.data[named(fig, "M")].z)
    np.testing.assert_array_equal(z, m.real)
    y = np.asarray(fig.data[named(fig, "y")].z)[:, 0]
    output = t.output  # (N, C_out, L_out)
    np.testing.assert_array_equal(y, output[0].ravel().real)


def test_matrix_highlight_boxes_the_row_and_the_inputs_it_reads():
    t = make(stride=2)
    fig = matrix_figure(t, highlight=(0, 4))
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert {(b.xref, b.y0 + 0.5) for b in boxes if b.yref == "y"} == {("x", 4), ("x2", 4), ("x3", 4)}
    reads = sorted(b.x0 + 0.5 for b in boxes if b.yref == "y2")
    assert reads == sorted({r.in_index for r in t.into(0, 4)})
    with pytest.raises(IndexError, match="outside the output"):
        matrix_figure(t, highlight=(1, 0))


def test_matrix_hover_names_the_link():
    t = make(stride=2)
    hover = np.asarray(matrix_figure(t).data[0].hovertext)
    r = t.into(0, 3)[0]
    assert f"out[0, 3] ← x[0, {r.in_index}] via tap k={r.tap}" in hover[3, r.in_index]


# ---------------------------------------------------------------------------------------------- overlap, groups
@pytest.mark.parametrize("name", CONFIGS)
def test_overlap_bars_sum_to_overlap_counts(name):
    t = make(**CONFIGS[name])
    s = t.spec
    fig = overlap_figure(t)
    bars = sum(np.asarray(fig.data[named(fig, f"tap {k}")].y, dtype=int) for k in range(s.kernel_size))
    expected = overlap_counts(t.length, s.kernel_size, s.stride, s.padding, s.output_padding, s.dilation)
    np.testing.assert_array_equal(bars, expected)


def test_overlap_title_explains_the_checkerboard():
    assert "uneven: 2, 1, 2, 1" in overlap_figure(make(k=3, stride=2)).layout.title.text
    assert "even: 2 per position" in overlap_figure(make(k=4, stride=2)).layout.title.text


def test_groups_figure_links_only_within_groups():
    t = make(c_in=6, c_out=4, groups=2, length=3)
    fig = groups_figure(t)
    for g in range(2):
        xs = np.asarray(fig.data[named(fig, f"group {g}")].x)
        assert np.count_nonzero(np.isnan(xs)) == 3 * 2  # 3 in-channels × 2 out-channels per group
    assert len(fig.data[named(fig, "weights")].hovertext) == 6 * 2


# ---------------------------------------------------------------------------------------------------- exports
def test_to_html_is_standalone_with_frames():
    t = make(stride=2)
    fig = scatter_animation(t)
    page = to_html(fig)
    names = [f.name for f in fig.frames]
    assert all(page.count(f'"name":"{name}"') == 1 for name in names)  # every frame is in the page
    assert '"frames":[' in page or "Plotly.addFrames(" in page
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


# ---------------------------------------------------------------------------------------------- every figure
BUILDERS = {"scatter": scatter_animation, "gather": gather_animation, "matrix": matrix_figure,
            "overlap": lambda t, batch=0: overlap_figure(t), "groups": lambda t, batch=0: groups_figure(t)}


@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("view", BUILDERS)
def test_every_figure_builds_valid_plotly(view, name):
    t = make(**CONFIGS[name])
    fig = BUILDERS[view](t, batch=t.input.shape[0] - 1)
    checked = go.Figure(fig.to_dict())  # validates every property (the builders skip validation for speed)
    assert len(checked.data) == len(fig.data) and len(checked.frames) == len(fig.frames)
    assert f"ConvTranspose1d({t.spec.in_channels}, {t.spec.out_channels}, kernel_size={t.spec.kernel_size}" \
        in describe(fig)

    def no_nan(constant: str) -> None:
        raise AssertionError(f"{constant} in the figure's JSON: browsers reject it")
    sent = json.loads(fig.to_json(), parse_constant=no_nan)
    assert len(sent["data"]) == len(fig.data) and len(sent.get("frames", [])) == len(fig.frames)


def test_largest_app_configuration_fits_the_budget():
    """Caps: channels 16, length 128, kernel 16, stride and dilation 8, batch 4; at most 1.5 MB each."""
    t = make(c_in=16, c_out=16, k=16, length=128, batch=4, stride=8, dilation=8)
    for view, build in BUILDERS.items():
        size = len(build(t, batch=3).to_json())
        assert size <= 1_500_000, (view, size)


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


def test_step_figure_frames_the_highlighted_output_cell():
    import numpy as np

    from convviz.trace import trace as make_trace

    t = make_trace(np.ones((2, 4), np.float32), np.ones((2, 3, 3), np.float32), stride=2, padding=1)
    fig = scatter_step_figure(t, t.steps_per_batch, highlight=(2, 3))
    names = [d.name for d in fig.data]
    assert names[-1] == "pick" and "highlight" in names  # the frame does not cover the clickable cells
    box = fig.data[names.index("highlight")]
    pick = fig.data[-1]
    cells = [tuple(c) for c in np.asarray(pick.customdata).tolist()]
    row = cells.index((2, 3))
    assert box.x[0] == pick.x[row] and box.y[0] == pick.y[row]
    assert "highlight" not in [d.name for d in scatter_step_figure(t, 0).data]


# ------------------------------------------------------------------------------------------- review fixes
@pytest.mark.parametrize("step", range(8))
def test_arrows_leave_from_the_playing_elements_own_cell(step):
    t = make(**CONFIGS["groups"])  # 4 in-channels: the old arrows all left from x[3, :]'s row
    c, i = t.step_element(step)
    fig = scatter_step_figure(t, step)
    values_ = fig.data[named(fig, "input values")]  # x[c, i] sits in row y of its channel
    row = [y for y, h in zip(values_.y, values_.hovertext) if h.startswith(f"x[{c}, {i}] =")][0]
    for k in range(t.spec.kernel_size):
        path = fig.data[named(fig, f"tap {k}")]
        assert path.y[0] == pytest.approx(float(row) + 0.5)  # the bottom edge of x[c, i]'s cell
        assert path.x[0] == 0  # on x2, position 0 is the playing element's column
    animated = scatter_animation(t)
    assert frame_trace(animated, step, "tap 0").y[0] == pytest.approx(float(row) + 0.5)


def test_numbers_are_dark_and_readable_on_every_tint():
    from convviz.figures.theme import CROPPED, CROPPED_HATCH, INK, TAP_COLOURS, TAP_FILL_ALPHA, contrast, over, tint
    for colour in TAP_COLOURS:  # worst case: a tap box over a group veil over the cropped hatching
        fills = [over(tint(colour, TAP_FILL_ALPHA)), over(tint(colour, 0.08), CROPPED, CROPPED_HATCH,
                                                          tint(colour, TAP_FILL_ALPHA))]
        assert min(contrast(INK, fill) for fill in fills) >= 4.5, colour
    assert contrast(TAP_COLOURS[0], over(tint(TAP_COLOURS[0], TAP_FILL_ALPHA))) < 4.5  # why text is not tap-coloured
    fig = scatter_step_figure(make(k=4, stride=2), 2)
    landing = fig.data[named(fig, "landing")]
    assert landing.textfont.color == INK
    assert [fig.data[named(fig, f"tap {k}")].line.dash for k in range(4)] == ["solid", "dash", "dot", "dashdot"]


@pytest.mark.parametrize("large", [False, True])
def test_cell_text_fits_its_cell_and_the_bias_label_its_room(large):
    from convviz.figures.geometry import CHAR_EM, FILL, text_ems
    blog = trace(np.array(BLOG_INPUT, np.float32), np.array([[[0.441, 0.479, -0.135]]], np.float32),
                 np.array([0.53], np.float32), stride=2)
    for t in (blog, make(**CONFIGS["complex"]), make(c_out=2, length=6, stride=3, padding=1)):
        plan = make_plan(t, ScatterOptions(large=large, still=True))
        assert plan.show_text
        widest = max(text_ems(scale or 1.0, plan.digits, plan.complex)
                     for scale in (plan.x_scale, plan.w_scale, plan.value_scale))
        assert widest * plan.cell_font <= plan.cell_px * FILL + 1e-9
        result = scatter_step_figure(t, t.steps_per_batch, large=large)
        labels = result.data[named(result, "bias")].text
        assert max(len(v) for v in labels) * CHAR_EM * plan.cell_font <= plan.bias_px
    assert make_plan(blog, ScatterOptions(large=True)).cell_font >= 0.8 * make_plan(
        blog, ScatterOptions(large=True)).theme.cell_font  # presenter: fewer digits before a smaller font


def test_complex_matrix_bias_and_output_columns_stack_their_parts():
    t = make(**CONFIGS["complex"])
    fig = matrix_figure(t)
    b = fig.data[named(fig, "b")]
    text = np.asarray(b.text).ravel().tolist()
    assert all("<br>" in v and v.endswith("j") for v in text)
    assert fig.layout.xaxis2.domain[1] - fig.layout.xaxis2.domain[0] >= 0.07


def test_a_still_describes_itself_and_the_result_has_no_stamp_rows():
    t = make(**CONFIGS["groups"])
    assert describe(scatter_step_figure(t, 5)).startswith("Step 6 of 16 of ConvTranspose1d(4, 6")
    result = scatter_step_figure(t, t.steps_per_batch)
    assert describe(result).startswith("The result of ConvTranspose1d(4, 6")
    assert "Animation" not in describe(result)
    assert not any(label.startswith(("w[c", "taps")) for label in result.layout.yaxis.ticktext)
    assert result.layout.height < scatter_step_figure(t, 0).layout.height


def test_big_configurations_colour_their_cells_and_stay_clickable():
    from convviz.figures.geometry import MIN_PICK_PX
    t = make(c_in=8, c_out=8, k=7, length=64, stride=4)
    fig = scatter_step_figure(t, 9)
    plan = make_plan(t, ScatterOptions(group="element", still=True))
    assert not plan.show_text and plan.stamp_rows == 1  # the stamp folds into one "taps k" row
    cells = fig.data[named(fig, "input cells")]
    assert np.asarray(cells.z).shape == (8, 64) and cells.dx == 4  # stride-wide boxes coloured by value
    assert np.asarray(cells.z)[1, 1] == pytest.approx(t.input[0, 1, 1])
    assert fig.data[named(fig, "pick")].marker.size >= MIN_PICK_PX
    assert "too narrow for numbers" in fig.layout.title.text
    # the "0" above input 0 clears the row labels: half its width fits left of cell 0's centre
    assert -fig.layout.xaxis.range[0] * plan.cell_px >= 0.6 * (plan.theme.font_size - 2) / 2 + 6


def test_boxes_are_closed_rectangles_broken_by_gaps_for_any_broadcast():
    from convviz.figures.cells import boxes

    rng = np.random.default_rng(5)
    shapes = [(), (1,), (4,), (3, 1), (1, 2)]
    for _ in range(60):
        args = [rng.normal(size=shapes[rng.integers(len(shapes))]) for _ in range(4)]
        try:
            a, b, c, d = (v.ravel() for v in np.broadcast_arrays(*args))
        except ValueError:
            continue
        xs, ys = boxes(*args)
        corners_x = np.stack([a, b, b, a, a], axis=-1)  # (n, 5): the path round each box, back to its start
        corners_y = np.stack([c, c, d, d, c], axis=-1)
        np.testing.assert_array_equal(xs.reshape(-1, 6)[:, :5], corners_x)
        np.testing.assert_array_equal(ys.reshape(-1, 6)[:, :5], corners_y)
        assert np.isnan(xs.reshape(-1, 6)[:, 5]).all() and np.isnan(ys.reshape(-1, 6)[:, 5]).all()
