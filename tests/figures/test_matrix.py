"""``figures/matrix.py``: ``y = M·x + b`` drawn from ``forms.matrix`` and the trace."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import CONFIGS, make, matrix_figure, named

from convviz.forms import matrix


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


def test_complex_matrix_bias_and_output_columns_stack_their_parts():
    t = make(**CONFIGS["complex"])
    fig = matrix_figure(t)
    b = fig.data[named(fig, "b")]
    text = np.asarray(b.text).ravel().tolist()
    assert all("<br>" in v and v.endswith("j") for v in text)
    assert fig.layout.xaxis2.domain[1] - fig.layout.xaxis2.domain[0] >= 0.07
