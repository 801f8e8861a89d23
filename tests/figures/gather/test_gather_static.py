"""``gather/static.py``: the upsampled input names its inserted and padding zeros."""
from __future__ import annotations

from figure_cases import gather_animation, make, named


def test_gather_marks_inserted_and_padding_zeros():
    t = make(length=3, stride=3, padding=1)
    fig = gather_animation(t)
    hover = fig.data[named(fig, "upsampled values")].hovertext
    assert sum("inserted zero" in h for h in hover) == 4  # 2 gaps of stride - 1 = 2
    assert sum("padding zero" in h for h in hover) == 2  # dilation·(K-1) - padding = 1 each side
    assert sum("= x[0," in h for h in hover) == 3
