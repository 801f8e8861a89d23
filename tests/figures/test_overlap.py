"""``figures/overlap.py``: the overlap counts per output position (the checkerboard)."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import CONFIGS, make, named, overlap_figure

from convviz.trace import overlap_counts


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
