"""``scatter/view.py``: the scatter animation's frames, slider and player, and its still figures (one step, the
result, a highlighted output cell)."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import CONFIGS, frame_trace, make, named, scatter_animation, scatter_step_figure

from convviz.figures import ScatterOptions, describe, frame_count
from convviz.trace import trace


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


def test_step_figure_frames_the_highlighted_output_cell():
    t = trace(np.ones((2, 4), np.float32), np.ones((2, 3, 3), np.float32), stride=2, padding=1)
    fig = scatter_step_figure(t, t.steps_per_batch, highlight=(2, 3))
    names = [d.name for d in fig.data]
    assert names[-1] == "pick" and "highlight" in names  # the frame does not cover the clickable cells
    box = fig.data[names.index("highlight")]
    pick = fig.data[-1]
    cells = [tuple(c) for c in np.asarray(pick.customdata).tolist()]
    row = cells.index((2, 3))
    assert box.x[0] == pick.x[row] and box.y[0] == pick.y[row]
    assert "highlight" not in [d.name for d in scatter_step_figure(t, 0).data]


def test_a_still_describes_itself_and_the_result_has_no_stamp_rows():
    t = make(**CONFIGS["groups"])
    assert describe(scatter_step_figure(t, 5)).startswith("Step 6 of 16 of ConvTranspose1d(4, 6")
    result = scatter_step_figure(t, t.steps_per_batch)
    assert describe(result).startswith("The result of ConvTranspose1d(4, 6")
    assert "Animation" not in describe(result)
    assert not any(label.startswith(("w[c", "taps")) for label in result.layout.yaxis.ticktext)
    assert result.layout.height < scatter_step_figure(t, 0).layout.height
