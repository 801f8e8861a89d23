"""``figures/groups.py``: in-channels linked to out-channels only within their group."""
from __future__ import annotations

import numpy as np
from figure_cases import groups_figure, make, named


def test_groups_figure_links_only_within_groups():
    t = make(c_in=6, c_out=4, groups=2, length=3)
    fig = groups_figure(t)
    for g in range(2):
        xs = np.asarray(fig.data[named(fig, f"group {g}")].x)
        assert np.count_nonzero(np.isnan(xs)) == 3 * 2  # 3 in-channels × 2 out-channels per group
    assert len(fig.data[named(fig, "weights")].hovertext) == 6 * 2
