"""``gather/view.py``: the gather animation shows torch's output one cell (or position) per frame."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import CONFIGS, frame_trace, gather_animation, make, named, shown_tolerance, torch_output, values


@pytest.mark.parametrize("name", CONFIGS)
def test_gather_shows_the_output_one_cell_per_frame(name):
    t = make(**CONFIGS[name])
    batch = t.input.shape[0] - 1
    fig = gather_animation(t, batch=batch)
    output = torch_output(t, batch)
    n = t.spec.out_channels * t.output_length
    assert len(fig.frames) == (n if n <= 64 else t.output_length)
    cells = fig.data[named(fig, "outputs")]
    texts = np.asarray(cells.text)
    for o in range(t.spec.out_channels):
        for j in range(t.output_length):
            assert values(texts[o, j]) == pytest.approx(output[o, j], abs=shown_tolerance(texts[o, j]))
    caption = frame_trace(fig, len(fig.frames) - 1, "caption").text[0]
    assert caption.startswith(f"out[{t.spec.out_channels - 1}, {t.output_length - 1}]" if n <= 64 else "out[:, ")
