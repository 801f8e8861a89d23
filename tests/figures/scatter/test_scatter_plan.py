"""``scatter/plan.py``: what the scatter figure decides to draw (numbers or colours, font sizes, room for labels),
read off the figure as it is drawn at the theme's fit width."""
from __future__ import annotations

import numpy as np
import pytest
from figure_cases import BLOG_INPUT, CONFIGS, cell_px_at, make, named, scatter_step_figure

from convviz.figures import DEFAULT, PRESENTER
from convviz.figures.geometry import MIN_PICK_PX
from convviz.trace import trace

# Advance widths of Arial's characters in ems (the theme's font), for the characters cell numbers use.
ARIAL_EM = {**dict.fromkeys("0123456789", 0.556), ".": 0.278, "-": 0.333, "+": 0.584, "j": 0.222}


def text_em(text: str) -> float:
    """Width in ems of the widest line of a cell text (complex values stack their parts with ``<br>``)."""
    return max(sum(ARIAL_EM[c] for c in line) for line in text.split("<br>"))


def cell_texts(fig):
    """``(text, font size)`` of every number drawn inside a cell: inputs, final sums, running sums, landings."""
    for name in ("input values", "final sums", "sums", "landing"):
        trace = fig.data[named(fig, name)]
        for text in np.asarray(trace.text, dtype=object).ravel().tolist():
            yield text.lstrip("+"), trace.textfont.size  # a landing's "+" sits left of the number, in its margin


@pytest.mark.parametrize("large", [False, True])
def test_cell_text_fits_its_cell_and_the_bias_label_its_room(large):
    theme = PRESENTER if large else DEFAULT
    blog = trace(np.array(BLOG_INPUT, np.float32), np.array([[[0.441, 0.479, -0.135]]], np.float32),
                 np.array([0.53], np.float32), stride=2)
    for t in (blog, make(**CONFIGS["complex"]), make(c_out=2, length=6, stride=3, padding=1)):
        for step in (0, 1, t.steps_per_batch):  # two steps and the result
            fig = scatter_step_figure(t, step, large=large)
            cell_px = cell_px_at(fig, theme.fit_width)
            shown = list(cell_texts(fig))
            assert shown, "numbers are shown in cells"
            for text, size in shown:
                assert text_em(text) * size <= cell_px, (text, size, cell_px)
        bias = fig.data[named(fig, "bias")]  # the result's "incl. b[o] = …" labels, right of the last cell
        room = (fig.layout.xaxis.range[1] - bias.x[0]) * cell_px
        assert max(len(v) for v in bias.text) * 0.6 * bias.textfont.size <= room  # 0.6 em a character at most
    result = scatter_step_figure(blog, blog.steps_per_batch, large=True)
    assert result.data[named(result, "sums")].textfont.size >= 0.8 * PRESENTER.cell_font  # fewer digits first


def test_big_configurations_colour_their_cells_and_stay_clickable():
    t = make(c_in=8, c_out=8, k=7, length=64, stride=4)
    fig = scatter_step_figure(t, 9)
    assert fig.data[named(fig, "stamp")].text is None  # no numbers: cells are coloured
    stamp_rows = [label for label in fig.layout.yaxis.ticktext if label.startswith(("w[c", "taps"))]
    assert stamp_rows == ["taps k"]  # the stamp folds into one row
    cells = fig.data[named(fig, "input cells")]
    assert np.asarray(cells.z).shape == (8, 64) and cells.dx == 4  # stride-wide boxes coloured by value
    assert np.asarray(cells.z)[1, 1] == pytest.approx(t.input[0, 1, 1])
    assert fig.data[named(fig, "pick")].marker.size >= MIN_PICK_PX
    assert "too narrow for numbers" in fig.layout.title.text
    # the "0" above input 0 clears the row labels: half its width fits left of cell 0's centre
    cell_px = cell_px_at(fig, DEFAULT.fit_width)
    assert -fig.layout.xaxis.range[0] * cell_px >= 0.6 * (DEFAULT.font_size - 2) / 2 + 6
