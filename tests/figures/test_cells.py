"""``figures/cells.py``: the small trace builders the views share."""
from __future__ import annotations

import numpy as np

from convviz.figures.cells import boxes


def test_boxes_are_closed_rectangles_broken_by_gaps_for_any_broadcast():

    rng = np.random.default_rng(5)
    shapes = [(), (1,), (4,), (3, 1), (1, 2)]
    for _ in range(60):
        args = [rng.normal(size=shapes[rng.integers(len(shapes))]) for _ in range(4)]
        try:
            a, b, c, d = (v.ravel() for v in np.broadcast_arrays(*args))
        except ValueError:
            continue
        xs, ys = boxes(*args)
        corners_x = np.stack([a, b, b, a, a], axis=-1)  # (n, 5): the path round each box, back to its start
        corners_y = np.stack([c, c, d, d, c], axis=-1)
        np.testing.assert_array_equal(xs.reshape(-1, 6)[:, :5], corners_x)
        np.testing.assert_array_equal(ys.reshape(-1, 6)[:, :5], corners_y)
        assert np.isnan(xs.reshape(-1, 6)[:, 5]).all() and np.isnan(ys.reshape(-1, 6)[:, 5]).all()
