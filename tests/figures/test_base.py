"""``View`` and ``to_figure``: views are plain data, and the figure the app sends is Plotly's own."""
from __future__ import annotations

import base64
import json
import math
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import plotly.utils
import pytest

from convviz import figures
from convviz.figures import View, describe, to_figure
from convviz.trace import trace

CONFIGS = {
    "default": dict(stride=2),
    "batched complex": dict(stride=3, padding=1, dilation=2, batch=2, dtype=np.complex64),
    "groups": dict(stride=2, groups=2, channels=4),
}


def make(stride=1, padding=0, dilation=1, batch=0, dtype=np.float32, groups=1, channels=2):
    rng = np.random.default_rng(5)
    shape = (batch, channels, 5) if batch else (channels, 5)
    x = rng.normal(size=shape).astype(dtype)
    w = rng.normal(size=(channels, 3 // groups or 1, 3)).astype(dtype)
    b = rng.normal(size=(3 // groups or 1) * groups).astype(dtype)
    return trace(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)


def encoded(value):
    return json.loads(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder))


def decoded(value):
    """``value`` with Plotly's typed arrays (``{"dtype", "bdata"}``) and NumPy arrays as lists of numbers."""
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"].replace("f", "<f").replace(
            "i", "<i").replace("u", "<u"))
        return decoded(array)
    if isinstance(value, np.ndarray):
        return [None if isinstance(v, float) and math.isnan(v) else v for v in value.ravel().tolist()]
    if isinstance(value, dict):
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [decoded(v) for v in value]
    return value


def views_of(t):
    last = t.steps_per_batch
    return [figures.scatter_animation(t), figures.scatter_step_figure(t, 1), figures.scatter_step_figure(t, last),
            figures.gather_animation(t), figures.matrix_figure(t), figures.overlap_figure(t),
            figures.groups_figure(t)]


@pytest.mark.parametrize("name", CONFIGS)
def test_the_sent_figure_is_plotlys_own_encoding_of_the_view(name):
    """What the app sends (typed arrays made once) is, to the byte, what Plotly makes of the view's figure; and
    Plotly accepts every view's dicts with validation on (the figure the tests read)."""
    for view in views_of(make(**CONFIGS[name])):
        assert isinstance(view, View) and view.data and describe(view) == view.layout["meta"]["description"]
        plain, sent = to_figure(view), to_figure(view, typed_arrays=True)
        sent_dict, plain_dict = sent.to_dict(), plain.to_dict()
        for part in ("data", "layout"):
            assert encoded(sent_dict[part]) == encoded(plain_dict[part])
        # the frames Plotly checks again; what is sent carries the view's own numbers, exactly
        assert decoded(sent_dict.get("frames", [])) == decoded(list(view.frames))
        go.Figure({"data": list(view.data), "layout": view.layout})  # validated: raises on a bad property


def test_a_view_is_left_as_it_was_by_making_its_figure():
    view = figures.scatter_animation(make(stride=2))
    before = json.dumps([view.data, view.layout, view.frames], cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    to_figure(view, typed_arrays=True), to_figure(view)
    after = json.dumps([view.data, view.layout, view.frames], cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    assert after == before
    assert to_figure(fig := to_figure(view)) is fig  # a figure is taken as it is


def test_importing_convviz_changes_nothing_global():
    """No patch of Plotly or Streamlit at import: their functions are the same objects before and after."""
    code = ("import logging, plotly.io, plotly.graph_objects as go; import streamlit; "
            "before = (plotly.io.to_json, go.Figure.to_dict, go.Figure.__init__, plotly.io.json.config.default_engine,"
            " [h for l in logging.Logger.manager.loggerDict.values()"
            " if isinstance(l, logging.Logger) for h in l.filters]);"
            "import convviz, convviz.figures, convviz.app; "
            "after = (plotly.io.to_json, go.Figure.to_dict, go.Figure.__init__, plotly.io.json.config.default_engine,"
            " [h for l in logging.Logger.manager.loggerDict.values()"
            " if isinstance(l, logging.Logger) for h in l.filters]);"
            "assert before == after, (before, after); print('same')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "same", done.stderr[-2000:]
