"""The contribution trace: golden cases a teacher would draw, properties on Hypothesis configurations, and torch
as the oracle for the uncropped buffer."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from conv_configs import Config, configs, tolerance
from hypothesis import given, settings
from hypothesis import strategies as st

import convviz
from convviz import ConvSpecError, conv_transpose1d, overlap_counts, trace
from convviz.trace import COLUMNS, Contribution, Trace

# --- golden: x = [1, 2], w = [1, 10, 100], stride 2 -------------------------------------------------------


def small() -> Trace:
    return trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)


def test_golden_records_in_play_order() -> None:
    t = small()
    assert t.contributions == [
        Contribution(0, 0, 0, 0, 0, 0, 0, 1.0, 1.0, 1.0),
        Contribution(0, 0, 0, 0, 1, 1, 1, 1.0, 10.0, 10.0),
        Contribution(0, 0, 0, 0, 2, 2, 2, 1.0, 100.0, 100.0),
        Contribution(0, 0, 1, 0, 0, 2, 2, 2.0, 1.0, 2.0),
        Contribution(0, 0, 1, 0, 1, 3, 3, 2.0, 10.0, 20.0),
        Contribution(0, 0, 1, 0, 2, 4, 4, 2.0, 100.0, 200.0),
    ]
    assert t.full.shape == (1, 1, 5) and t.output.shape == (1, 1, 5) and not t.batched
    np.testing.assert_array_equal(t.torch_output, [[1, 10, 102, 20, 200]])  # torch's (C_out, L_out)
    assert [c.product for c in t.into(0, 2)] == [100.0, 2.0]
    assert [c.out_index for c in t.from_input(0, 1)] == [2, 3, 4]


def test_golden_padding_crops_and_records_say_none() -> None:
    t = trace(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2, padding=1)
    np.testing.assert_array_equal(t.output, [[[10, 102, 20]]])
    np.testing.assert_array_equal(t.full, [[[1, 10, 102, 20, 200]]])
    assert [c.out_index for c in t.from_input(0, 0)] == [None, 0, 1]
    assert [c.out_index for c in t.from_input(0, 1)] == [1, 2, None]
    assert t.columns["kept"].tolist() == [False, True, True, True, True, False]
    assert t.columns["out_index"].tolist() == [-1, 0, 1, 1, 2, -1]


def test_golden_groups_route_channels() -> None:
    # 2 in, 4 out, groups 2: in_channel 0 feeds out 0-1, in_channel 1 feeds out 2-3
    w = np.arange(1.0, 5.0).reshape(2, 2, 1)
    t = trace(np.array([[1.0], [10.0]]), w, groups=2)
    assert [(c.in_channel, c.out_channel, c.w_value) for c in t.contributions] == \
        [(0, 0, 1.0), (0, 1, 2.0), (1, 2, 3.0), (1, 3, 4.0)]
    np.testing.assert_array_equal(t.output, [[[1], [2], [30], [40]]])


def test_columns_types_and_keys() -> None:
    x = np.ones((2, 3, 4), dtype=np.complex64)
    t = trace(x, np.ones((3, 2, 2), dtype=np.complex64), np.zeros(2, dtype=np.complex64), stride=2)
    assert set(t.columns) == {*COLUMNS, "kept", "x_value", "w_value", "product"}
    for name in COLUMNS:
        assert t.columns[name].dtype == np.int64
    assert t.columns["kept"].dtype == bool
    assert all(t.columns[name].dtype == np.complex64 for name in ("x_value", "w_value", "product"))
    assert all(len(col) == 2 * 4 * 3 * 2 * 2 for col in t.columns.values())
    assert t.batched and t.batch_size == 2 and t.length == 4 and t.output_length == 8
    assert t.steps_per_batch == 12 and t.records_per_element == 4


def test_trace_is_exported_and_frozen() -> None:
    assert {"trace", "Trace", "Contribution", "overlap_counts"} <= set(convviz.__all__)
    t = small()
    with pytest.raises(AttributeError):
        t.output = None  # type: ignore[misc, assignment]
    assert t != small()  # identity equality: comparing arrays element-wise makes no sense for a dataclass


# --- properties on Hypothesis configurations ---------------------------------------------------------------


def scatter_records(t: Trace, kept_only: bool) -> np.ndarray:
    """Sum the products into a buffer the way the records say: (N, C_out, L_out) or (N, C_out, L_full)."""
    c = t.columns
    rows = c["kept"] if kept_only else slice(None)
    size = t.output_length if kept_only else t.full_length
    where = c["out_index"][rows] if kept_only else c["full_index"][rows]
    buffer = np.zeros((t.batch_size, t.spec.out_channels, size), dtype=np.complex128)
    np.add.at(buffer, (c["batch"][rows], c["out_channel"][rows], where), c["product"][rows])
    return buffer if np.iscomplexobj(t.input) else buffer.real


@given(configs())
def test_trace_sums_plus_bias_equal_torch(cfg: Config) -> None:
    t = trace(*cfg.args)
    np.testing.assert_array_equal(t.torch_output, conv_transpose1d(*cfg.args))  # the engine's numbers, bit for bit
    engine = torch.nn.functional.conv_transpose1d(  # the oracle for the sums below
        torch.from_numpy(cfg.x), torch.from_numpy(cfg.weight), None if cfg.bias is None else torch.from_numpy(cfg.bias),
        **cfg.kwargs).numpy()
    assert t.torch_output.dtype == engine.dtype and t.torch_output.shape == engine.shape
    assert t.output.shape == (t.batch_size, *engine.shape[-2:])  # (N, C_out, L_out) inside the trace
    summed = scatter_records(t, kept_only=True) + (0 if cfg.bias is None else cfg.bias[:, None])
    np.testing.assert_allclose(summed, engine if t.batched else engine[None], **tolerance(engine.dtype))
    np.testing.assert_allclose(scatter_records(t, kept_only=False), t.full, **tolerance(engine.dtype))
    crop = t.full[:, :, cfg.padding:cfg.padding + t.output_length]
    with_bias = crop + (0 if cfg.bias is None else cfg.bias[:, None])
    np.testing.assert_allclose(with_bias, engine if t.batched else engine[None], **tolerance(engine.dtype))


@given(configs())
def test_columns_follow_the_rules(cfg: Config) -> None:
    t = trace(*cfg.args)
    c, s = t.columns, t.spec
    group_in, group_out = s.in_channels // s.groups, s.weight_shape[1]
    np.testing.assert_array_equal(c["full_index"], c["in_index"] * s.stride + c["tap"] * s.dilation)
    inside = (c["full_index"] >= s.padding) & (c["full_index"] < s.padding + t.output_length)
    np.testing.assert_array_equal(c["kept"], inside)
    np.testing.assert_array_equal(c["out_index"], np.where(inside, c["full_index"] - s.padding, -1))
    np.testing.assert_array_equal(c["out_channel"] // group_out, c["in_channel"] // group_in)  # same group
    np.testing.assert_array_equal(c["x_value"], t.input[c["batch"], c["in_channel"], c["in_index"]])
    np.testing.assert_array_equal(c["w_value"], t.weight[c["in_channel"], c["out_channel"] % group_out, c["tap"]])
    if np.iscomplexobj(c["product"]):  # NumPy's complex multiply may differ by an ulp between loop kinds
        ulps = 1e-6 if s.dtype == "complex64" else 1e-15
        np.testing.assert_allclose(c["product"], c["x_value"] * c["w_value"], rtol=ulps, atol=ulps)
    else:  # a real product is rounded once, whichever loop computes it
        np.testing.assert_array_equal(c["product"], c["x_value"] * c["w_value"])
    # play order: batch, then in_index, then in_channel, then out_channel, then tap; every record once
    keys = np.stack([c[name] for name in ("batch", "in_index", "in_channel", "out_channel", "tap")])
    assert np.all(np.diff(np.ravel_multi_index(keys, (t.batch_size, t.length, s.in_channels, s.out_channels,
                                                      s.kernel_size))) > 0)
    assert keys.shape[1] == t.batch_size * t.length * s.in_channels * group_out * s.kernel_size


@given(configs(max_length=4), st.data())
def test_queries_match_the_columns(cfg: Config, data: st.DataObject) -> None:
    t = trace(*cfg.args)
    s = t.spec
    batch = data.draw(st.integers(0, t.batch_size - 1))
    out_channel = data.draw(st.integers(0, s.out_channels - 1))
    out_index = data.draw(st.integers(0, t.output_length - 1))
    rows = t.into_rows(out_channel, out_index, batch)
    np.testing.assert_array_equal(rows, t.select(batch=batch, out_channel=out_channel, out_index=out_index))
    records = t.into(out_channel, out_index, batch)
    assert records == t.records(rows)
    assert all(r.out_channel == out_channel and r.out_index == out_index and r.batch == batch for r in records)
    bias = 0 if t.bias is None else t.bias[out_channel]
    y = t.output[batch]
    expected = y[out_channel, out_index]
    np.testing.assert_allclose(sum(r.product for r in records) + bias, expected, **tolerance(y.dtype))
    in_channel = data.draw(st.integers(0, s.in_channels - 1))
    in_index = data.draw(st.integers(0, t.length - 1))
    rows = t.from_input_rows(in_channel, in_index, batch)
    np.testing.assert_array_equal(rows, t.select(batch=batch, in_channel=in_channel, in_index=in_index))
    step = in_index * s.in_channels + in_channel
    assert t.step_element(step) == (in_channel, in_index)
    np.testing.assert_array_equal(t.step_rows(step, batch), rows)
    assert [t.row(r.batch, r.in_channel, r.in_index, r.out_channel, r.tap) for r in t.from_input(
        in_channel, in_index, batch)] == rows.tolist()


def test_contributions_derive_from_the_columns() -> None:
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 2, 3)), rng.standard_normal((2, 2, 2))
    t = trace(x, w, rng.standard_normal(4), stride=2, padding=1, groups=2)
    records = t.contributions
    assert t.contributions is records  # materialised once
    assert len(records) == 2 * 3 * 2 * 2 * 2  # N·L·C_in·(C_out/groups)·K
    for row, r in enumerate(records):
        assert isinstance(r.product, float) and isinstance(r.tap, int)
        assert (r.batch, r.in_channel, r.in_index, r.out_channel, r.tap, r.full_index) == \
            tuple(int(t.columns[name][row]) for name in COLUMNS[:-1])
        assert r.out_index == (int(t.columns["out_index"][row]) if t.columns["kept"][row] else None)
        assert r.product == r.x_value * r.w_value == t.columns["product"][row]


@pytest.mark.parametrize("name, value", [("out_channel", 4), ("out_index", 9), ("out_index", -1), ("batch", 1),
                                         ("out_channel", 1.5)])
def test_queries_reject_cells_outside_the_output(name: str, value: object) -> None:
    t = small()
    where = {"out_channel": 0, "out_index": 0, "batch": 0, name: value}
    with pytest.raises(ConvSpecError, match=f"{name}="):
        t.into(**where)  # type: ignore[arg-type]
    with pytest.raises(ConvSpecError, match="in_index=2 is out of range.*use in_index between 0 and 1"):
        t.from_input(0, 2)


def test_trace_validates_like_the_engine() -> None:
    x, w = np.ones((1, 4), dtype=np.float32), np.ones((1, 1, 3), dtype=np.float32)
    for kwargs in ({"output_padding": 1}, {"padding": 9}, {"groups": 2}, {"stride": 0}):
        with pytest.raises(ConvSpecError) as ours:
            trace(x, w, **kwargs)
        with pytest.raises(ConvSpecError) as engine:
            conv_transpose1d(x, w, **kwargs)
        assert str(ours.value) == str(engine.value)
    with pytest.raises(ConvSpecError, match="dtype"):
        trace(x.astype(np.float64), w)


def test_output_size_picks_output_padding() -> None:
    x, w = np.ones((1, 4)), np.ones((1, 1, 3))
    t = trace(x, w, stride=3, output_size=14)
    assert t.spec.output_padding == 2 and t.torch_output.shape == (1, 14)
    np.testing.assert_array_equal(t.torch_output, conv_transpose1d(x, w, stride=3, output_size=14))


# --- torch as the oracle for the full buffer ---------------------------------------------------------------


@settings(max_examples=25)
@given(configs(bias=False))
def test_full_buffer_is_torch_with_padding_zero(cfg: Config) -> None:
    t = trace(*cfg.args)
    kwargs = {**cfg.kwargs, "padding": 0}
    theirs = torch.nn.functional.conv_transpose1d(torch.from_numpy(t.input), torch.from_numpy(cfg.weight),
                                                  **kwargs).numpy()  # (N, C_out, L_full)
    assert theirs.shape == t.full.shape
    np.testing.assert_allclose(t.full, theirs, **tolerance(theirs.dtype))


# --- overlap counts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, expected", [
    ((4, 3, 2), [1, 1, 2, 1, 2, 1, 2, 1, 1]),                # the checkerboard: K not a multiple of stride
    ((4, 4, 2), [1, 1, 2, 2, 2, 2, 2, 2, 1, 1]),             # K a multiple of stride: even inside
    ((3, 1, 3), [1, 0, 0, 1, 0, 0, 1]),                      # gaps when stride > K
    ((3, 3, 1), [1, 2, 3, 2, 1]),                            # stride 1: a ramp
    ((4, 3, 2, 1), [1, 2, 1, 2, 1, 2, 1]),                   # padding 1 crops one cell at each end
    ((3, 1, 3, 0, 2), [1, 0, 0, 1, 0, 0, 1, 0, 0]),          # output_padding adds cells no tap reaches
    ((3, 2, 1, 0, 0, 2), [1, 1, 2, 1, 1]),                   # dilation 2: taps 0 and 2 apart
])
def test_overlap_counts_golden(args: tuple[int, ...], expected: list[int]) -> None:
    assert overlap_counts(*args).tolist() == expected


@given(configs(dtypes=("float64",), bias=False))
def test_overlap_counts_are_the_trace_and_an_all_ones_convolution(cfg: Config) -> None:
    t = trace(*cfg.args)
    s = t.spec
    counts = overlap_counts(t.length, s.kernel_size, s.stride, s.padding, s.output_padding, s.dilation)
    assert counts.shape == (t.output_length,)
    rows = t.select(batch=0, in_channel=0, out_channel=0)
    kept = t.columns["out_index"][rows]
    np.testing.assert_array_equal(counts, np.bincount(kept[kept >= 0], minlength=t.output_length))
    ones = conv_transpose1d(np.ones((1, t.length)), np.ones((1, 1, s.kernel_size)), stride=s.stride,
                            padding=s.padding, output_padding=s.output_padding, dilation=s.dilation)
    np.testing.assert_array_equal(counts, ones[0])
    assert counts.sum() <= t.length * s.kernel_size and counts.max() <= s.kernel_size


def test_overlap_counts_validates() -> None:
    with pytest.raises(ConvSpecError, match="output_padding"):
        overlap_counts(4, 3, stride=2, output_padding=2)
    with pytest.raises(ConvSpecError, match="padding"):
        overlap_counts(2, 1, padding=1)
