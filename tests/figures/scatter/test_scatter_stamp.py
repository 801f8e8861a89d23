"""``scatter/stamp.py``: the kernel stamp (tap boxes, arrows, weights) that slides on axis ``x2``."""
from __future__ import annotations

import pytest
from figure_cases import CONFIGS, frame_trace, make, named, scatter_animation, scatter_step_figure

from convviz.figures.theme import CROPPED, CROPPED_HATCH, INK, TAP_COLOURS, TAP_FILL_ALPHA, contrast, over, tint


def test_tap_cues_do_not_rely_on_colour():
    fig = scatter_animation(make(k=4, stride=2))
    dashes = [fig.data[named(fig, f"tap {k}")].line.dash for k in range(4)]
    assert len(set(dashes)) == 4
    stamp = fig.data[named(fig, "stamp")]
    assert [s.split("<br>")[0] for s in stamp.text] == ["k0", "k1", "k2", "k3"]


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
    for colour in TAP_COLOURS:  # worst case: a tap box over a group veil over the cropped hatching
        fills = [over(tint(colour, TAP_FILL_ALPHA)), over(tint(colour, 0.08), CROPPED, CROPPED_HATCH,
                                                          tint(colour, TAP_FILL_ALPHA))]
        assert min(contrast(INK, fill) for fill in fills) >= 4.5, colour
    assert contrast(TAP_COLOURS[0], over(tint(TAP_COLOURS[0], TAP_FILL_ALPHA))) < 4.5  # why text is not tap-coloured
    fig = scatter_step_figure(make(k=4, stride=2), 2)
    landing = fig.data[named(fig, "landing")]
    assert landing.textfont.color == INK
    assert [fig.data[named(fig, f"tap {k}")].line.dash for k in range(4)] == ["solid", "dash", "dot", "dashdot"]
