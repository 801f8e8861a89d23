"""The typed arrays convviz makes once are, dict for dict, what Plotly's own ``convert_to_base64`` makes."""
from __future__ import annotations

import copy
import json

import numpy as np
import plotly.utils
import pytest
from _plotly_utils.utils import convert_to_base64
from figure_cases import make

from convviz import figures
from convviz.figures.typed import typed_array, with_typed_arrays


def plotlys(value):
    value = copy.deepcopy(value)
    convert_to_base64(value)
    return value


def sent(value):
    """``value`` as JSON (arrays left unconverted are encoded as Plotly's to_dict()/to_json would send them)."""
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def spec_of(view):
    return {"data": list(view.data), "layout": view.layout, "frames": list(view.frames)}


ARRAYS = [np.arange(5, dtype=dt) for dt in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32,
                                            np.float32, np.float64)]
ARRAYS += [np.array([3, 300]), np.array([-70000, 2]), np.array([2**40, 1]), np.array([1, 2], dtype=np.uint64),
           np.zeros((2, 3)), np.array([]), np.array([True, False]), np.array(["a", "b"]),
           np.array([np.nan, 1.0]), np.arange(6.0)[::2], np.array([1.0, 2.0], dtype=">f8"), np.array([1 + 2j])]


@pytest.mark.parametrize("array", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_each_array_as_plotly_converts_it(array):
    ours, theirs = with_typed_arrays({"x": array}), plotlys({"x": array})
    if isinstance(theirs["x"], dict):
        assert ours == theirs
    else:  # left for Plotly's to_dict(), which then converts it itself (or not) the same way
        assert ours["x"] is array


@pytest.mark.parametrize("config", [dict(stride=2), dict(c_in=4, c_out=4, k=5, length=16, groups=2, stride=2,
                                                          dilation=2, padding=2, batch=2),
                                    dict(c_in=2, c_out=2, k=3, length=5, dtype=np.complex64, stride=3)])
def test_every_view_as_plotly_converts_it(config):
    t = make(**config)
    views = [figures.scatter_animation(t), figures.scatter_step_figure(t, 1), figures.gather_animation(t),
             figures.matrix_figure(t), figures.overlap_figure(t), figures.groups_figure(t)]
    converted = 0
    for view in views:
        spec = spec_of(view)
        ours = with_typed_arrays(spec)
        assert sent(ours) == sent(plotlys(spec))
        converted += str(ours).count("'bdata'")
    assert converted > 50  # the views do carry arrays, so the comparison is not of empty figures


def test_the_view_is_left_as_it_was():
    view = figures.scatter_animation(make(stride=2))
    before = copy.deepcopy(spec_of(view))
    with_typed_arrays(spec_of(view))
    after = spec_of(view)
    assert str(after) == str(before)
    assert typed_array(np.array([1.0])) == {"dtype": "f8", "bdata": "AAAAAAAA8D8="}
