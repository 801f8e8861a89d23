"""Every view: valid Plotly, no NaN in its JSON, inside the size budget, clickable output cells."""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_cases import (
    CONFIGS,
    gather_animation,
    groups_figure,
    make,
    matrix_figure,
    named,
    overlap_figure,
    scatter_animation,
)

from convviz.figures import describe


@pytest.mark.parametrize("builder", ["scatter", "gather", "matrix"])
def test_pick_markers_name_every_output_cell(builder):
    t = make(**CONFIGS["groups"])
    fig = {"scatter": scatter_animation, "gather": gather_animation, "matrix": matrix_figure}[builder](t)
    pick = fig.data[named(fig, "pick")]
    cells = sorted(map(tuple, np.asarray(pick.customdata).tolist()))
    assert cells == [(o, j) for o in range(t.spec.out_channels) for j in range(t.output_length)]
    assert pick.marker.color == "rgba(0,0,0,0)" and pick.mode == "markers"


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
