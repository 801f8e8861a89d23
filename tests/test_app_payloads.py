"""What the app sends, prepared once per configuration, is what Streamlit would have made of it on every rerun.

The oracle is Streamlit's and Plotly's own conversion: ``fig.to_dict()`` (base64 typed arrays) for a chart,
``st.dataframe``'s pandas-to-Arrow conversion for a table. Decoded, they must give exactly the same values.
"""
from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
from streamlit import dataframe_util

from convviz import figures
from convviz.app.cache import sendable
from convviz.app.model import build
from convviz.app.panels import arrow, details, samples, summary, table
from convviz.figures.wire import encode
from convviz.presets import DEFAULTS

BASE = {**{k: v for k, v in DEFAULTS.items() if k != "input"}, "seed": 42, "input_mode": "random",
        "weight_mode": "seeded"}


def decoded(value):
    """A JSON value as plotly.js reads it: Plotly's typed arrays ({"dtype", "bdata"[, "shape"]}) as float64
    lists, numbers as floats, NaN as None (both are a missing point to plotly.js)."""
    if isinstance(value, dict):
        if set(value) - {"shape"} == {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return decoded(array.astype(np.float64).tolist())
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if value != value else float(value)
    return value


def configurations(count: int = 6) -> list[dict]:
    rng = random.Random(12)
    found = [BASE, {**BASE, "dtype": "complex64", "batched": True, "batch_size": 2}]
    while len(found) < count:
        groups = rng.choice([1, 2])
        found.append({**BASE, "in_channels": groups * rng.randint(1, 2), "out_channels": groups * rng.randint(1, 2),
                      "groups": groups, "kernel_size": rng.randint(1, 4), "stride": rng.randint(1, 3),
                      "dilation": rng.randint(1, 2), "padding": rng.randint(0, 1), "length": rng.randint(2, 7),
                      "dtype": rng.choice(["float32", "float64", "complex64", "complex128"]),
                      "seed": rng.randint(0, 99), "bias": rng.random() < 0.7})
    return found


def views(t):
    """Every Plotly view of the trace ``t``, freshly made."""
    return [figures.scatter_animation(t), figures.scatter_step_figure(t, 0), figures.gather_animation(t),
            figures.matrix_figure(t), figures.overlap_figure(t), figures.groups_figure(t)]


@pytest.mark.parametrize("settings", configurations(), ids=lambda s: f"{s['dtype']}-k{s['kernel_size']}")
def test_a_chart_sends_the_same_figure_as_plotly_to_dict(settings):
    t = build(settings).trace
    for fig in views(t):
        before = json.loads(pio.to_json(fig.to_dict(), validate=False))
        now = json.loads(pio.to_json(sendable(fig).to_dict(), validate=False))
        assert decoded(now) == decoded(before)
        assert sendable(fig)._caption == figures.describe(fig)
        plotly_size = len(pio.to_json(fig.to_dict(), validate=False))
        assert len(sendable(fig).to_dict().json) <= 1.1 * plotly_size + 200  # no bigger than Plotly's own JSON


@pytest.mark.parametrize("settings", configurations(), ids=lambda s: f"{s['dtype']}-k{s['kernel_size']}")
def test_a_figure_sent_before_plotly_builds_it_is_the_same_figure(settings):
    from convviz.figures import wire

    t = build(settings).trace
    for fig in views(t):
        assert fig.parts is not None  # not built by Plotly yet
        early = json.loads(encode(fig).json)
        caption = figures.describe(fig)
        assert fig.parts is not None  # sending and describing it did not build it
        built = json.loads(wire._plotly_to_json(fig.to_dict(), validate=False))
        assert fig.parts is None
        assert decoded(early) == decoded(built)
        assert caption == figures.describe(fig)


def test_an_infinite_value_is_sent_as_plotly_sends_it():
    import plotly.graph_objects as go

    fig = go.Figure(go.Heatmap(z=np.array([[1.0, np.inf], [-np.inf, 2.0]])))
    assert json.dumps(decoded(json.loads(encode(fig).json))) == \
        json.dumps(decoded(json.loads(pio.to_json(fig.to_dict(), validate=False))))


def test_a_value_json_has_no_number_for_is_sent_as_plotly_sends_it():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0, 1, 2], y=[1.0, float("nan"), 2.0], text=np.array(["a", "<b>", "c/d"])))
    assert json.loads(encode(fig).json) == json.loads(pio.to_json(fig.to_dict(), validate=False))


def test_the_largest_figures_stay_within_their_budget_as_sent():
    from convviz.arguments import CAPS

    largest = {**BASE, "batched": True, "batch_size": CAPS["batch_size"], "length": 128, "in_channels": 4,
               "out_channels": 2, "kernel_size": 16, "stride": 8, "dilation": 8}
    t = build(largest).trace
    for fig in (figures.scatter_animation(t), figures.gather_animation(t), figures.matrix_figure(t)):
        sent = encode(fig).json
        assert len(sent) <= 1_500_000
        assert decoded(json.loads(sent)) == decoded(json.loads(pio.to_json(fig.to_dict(), validate=False)))


def test_float32_values_reach_plotly_exactly():
    import plotly.graph_objects as go

    z = np.array([[0.1, 0.4], [1 / 3, -2.7]], dtype=np.float32)
    fig = go.Figure(go.Heatmap(z=z))
    sent = json.loads(encode(fig).json)
    assert sent["data"][0]["z"] == z.astype(np.float64).tolist()  # 0.4000000059604645, as a Float32Array reads
    long = np.linspace(-1, 1, 40, dtype=np.float32) / 3  # long arrays go as Plotly's float32 typed arrays
    typed = json.loads(encode(go.Figure(go.Scatter(y=long))).json)["data"][0]["y"]
    assert typed["dtype"] == "f4" and np.array_equal(np.frombuffer(base64.b64decode(typed["bdata"]), "<f4"), long)


@pytest.mark.parametrize("settings", configurations(4), ids=lambda s: f"{s['dtype']}-k{s['kernel_size']}")
def test_tables_send_the_same_arrow_bytes_as_a_dataframe(settings):
    built = build(settings)
    s = summary(built)
    t = built.trace
    for (caption, y), (shown_caption, sent, _) in zip(samples(t.output, t.batched), s.outputs):
        assert shown_caption == caption
        assert dataframe_util.convert_arrow_table_to_arrow_bytes(sent) == \
            dataframe_util.convert_pandas_df_to_arrow_bytes(table(y, "out"))
    frame = table(built.weight.reshape(-1, built.weight.shape[2]), "w")
    assert dataframe_util.convert_arrow_table_to_arrow_bytes(arrow(frame)) == \
        dataframe_util.convert_pandas_df_to_arrow_bytes(frame)
    assert details(built).weight.to_pandas().equals(frame)


def test_input_weight_and_bias_tables_are_sent_only_while_open():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert [d.value.index[0] for d in at.dataframe] == ["out 0"]  # closed: only the output is sent
    at.session_state["inputs_open"] = True
    at.run()
    assert not at.exception and not at.error
    built = build(BASE)
    shown = {d.value.index[0]: d.value.to_numpy(dtype=np.float64) for d in at.dataframe}
    assert list(shown) == ["out 0", "in 0", "w 0", "bias 0"]
    np.testing.assert_array_equal(shown["in 0"], np.round(built.input.astype(np.float64), 4))
    np.testing.assert_array_equal(shown["w 0"], np.round(built.weight.reshape(-1, 3).astype(np.float64), 4))
    np.testing.assert_array_equal(shown["bias 0"], np.round(built.bias[None].astype(np.float64), 4))


@pytest.mark.parametrize("shape", [(1, 13), (3, 7), (2, 200)])  # 200 positions: the transposed table
def test_tables_of_a_known_layout_are_assembled_to_the_same_bytes(shape):
    rng = np.random.default_rng(sum(shape))
    for round_ in range(3):  # the first makes the layout known, the others reuse it
        values = rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4)
        values.flat[rng.integers(0, values.size, 2)] = [np.nan, np.inf if round_ else -np.inf]
        frame = table(values, "out")
        assert dataframe_util.convert_arrow_table_to_arrow_bytes(arrow(frame)) == \
            dataframe_util.convert_pandas_df_to_arrow_bytes(frame)


def test_a_chart_is_encoded_once_and_streamlit_sends_that_json():
    from streamlit.testing.v1 import AppTest

    from convviz.figures import wire

    fig = figures.scatter_animation(build(BASE).trace)
    ready = sendable(fig)
    sent = ready.to_dict()
    assert pio.to_json is wire.to_json  # Streamlit calls plotly.io.to_json: it must find the JSON made once
    assert pio.to_json(sent, validate=False) is sent.json
    assert decoded(json.loads(sent.json)) == decoded(json.loads(wire._plotly_to_json(fig.to_dict(), validate=False)))
    before = wire._plotly_to_json(fig.to_dict(), validate=False)
    encode(fig)
    assert wire._plotly_to_json(fig.to_dict(), validate=False) == before  # the cached figure is not changed
    assert pio.to_json(sent, validate=False, pretty=True) != sent.json  # other options: Plotly encodes it

    def page():
        import streamlit as st

        from convviz import figures
        from convviz.app.cache import sendable
        from convviz.app.model import build
        from tests.test_app_payloads import BASE

        st.plotly_chart(sendable(figures.scatter_animation(build(BASE).trace)), theme=None)

    at = AppTest.from_function(page).run(timeout=60)
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert charts[0].proto.spec == sent.json  # what the page gets is the JSON encoded once
