"""What both animations share (``figures.animation``): ``frame(trace, step, options)`` is a pure function equal to
the animation's frame, ``frame_count`` counts the frames, the options pick the sample and cap the frames, and the
stamp slides on ``x2``. Frames are compared as Plotly itself reads them (``go.Figure(...).to_dict()``)."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.utils
import pytest
from figure_cases import CONFIGS, make

from convviz import figures

ANIMATIONS = {
    "scatter": (figures.scatter_animation, figures.frame, figures.frame_count, figures.ScatterOptions),
    "gather": (figures.gather_animation, figures.gather_frame, figures.gather_frame_count, figures.GatherOptions),
}


def as_plotly(frame: dict) -> str:
    """``frame`` as Plotly validates and serialises it (a frame's trace without a type reads as a scatter)."""
    return json.dumps(go.Figure(frames=[frame]).to_dict()["frames"][0], cls=plotly.utils.PlotlyJSONEncoder,
                      sort_keys=True)


def frames_of(view) -> list[str]:
    return [json.dumps(f, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
            for f in figures.to_figure(view).to_dict()["frames"]]


@pytest.mark.parametrize("animation", ANIMATIONS)
@pytest.mark.parametrize("name", ["groups", "complex128_batched"])
def test_frame_is_a_pure_function_equal_to_the_animation(animation, name):
    build, frame, count, options = ANIMATIONS[animation]
    t = make(**CONFIGS[name])
    batch = t.batch_size - 1
    sent = frames_of(build(t, batch=batch))
    assert count(t, options(batch=batch)) == len(sent)
    for k in sorted({0, 1, len(sent) // 2, len(sent) - 1}):
        assert as_plotly(frame(t, k, options(batch=batch))) == sent[k], k
    with pytest.raises(IndexError, match="out of range"):
        frame(t, len(sent), options(batch=batch))


@pytest.mark.parametrize("animation", ANIMATIONS)
def test_the_options_pick_the_sample(animation):
    build, frame, _, options = ANIMATIONS[animation]
    t = make(**CONFIGS["batched_no_bias"])
    first, last = (as_plotly(frame(t, 1, options(batch=b))) for b in (0, 2))
    assert first != last  # another sample's numbers
    assert frames_of(build(t, options=options(batch=2)))[1] == last == frames_of(build(t, batch=2))[1]


def test_max_frames_groups_the_frames_of_both_animations():
    t = make(**CONFIGS["groups"])  # 16 input elements; 6 out-channels × 9 outputs = 54 output cells
    assert figures.frame_count(t) == t.steps_per_batch + 1  # one per element, then the result
    assert figures.frame_count(t, figures.ScatterOptions(max_frames=15)) == t.length + 1  # one per position
    assert figures.gather_frame_count(t) == t.spec.out_channels * t.output_length  # one per output cell
    assert figures.gather_frame_count(t, figures.GatherOptions(max_frames=53)) == t.output_length  # per position


@pytest.mark.parametrize("animation", ANIMATIONS)
def test_each_frame_slides_the_stamp_on_x2_by_its_position(animation):
    build, _, _, _ = ANIMATIONS[animation]
    t = make(stride=2)  # one channel: frame k plays input element k (scatter) or output k (gather)
    fig = figures.to_figure(build(t))
    assert fig.layout.xaxis2.overlaying == "x" and not fig.layout.xaxis2.visible
    start = list(fig.layout.xaxis.range)
    per_frame = 2 if animation == "scatter" else 1  # element i sits above full index i·stride; output j at j
    for k in range(3):
        x2 = list(fig.frames[k].layout.xaxis2.range)
        assert x2 == pytest.approx([r - k * per_frame for r in start])
    stamp = [d for d in fig.data if d.xaxis == "x2"]
    assert {d.name for d in stamp} >= {"tap 0", "tap 1", "tap 2", "heads"}
