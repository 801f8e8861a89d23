"""The Port view: the produced layer's output row with the slice's cells marked, over the given layer's row."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import convviz
from convviz.figures import describe, to_figure
from convviz.figures.port import port_figure, port_parts

PORTS = [convviz.port("keras", kernel_size=4, strides=1, padding="same"),
         convviz.port("onnx", kernel_shape=[3], strides=[2], auto_pad="SAME_UPPER"),
         convviz.port_to("keras", kernel_size=3, stride=3, padding=2, output_padding=1),
         convviz.port("jax", kernel_size=4, strides=2, padding="SAME")]


def cells(trace: dict) -> np.ndarray:
    """The centres of the unit boxes a fill trace draws (6 points per box)."""
    x = np.asarray(trace["x"], dtype=float).reshape(-1, 6)
    return ((x[:, 0] + x[:, 1]) / 2).round().astype(int)


@pytest.mark.parametrize("port", PORTS)
def test_removed_cells_are_the_crop_and_the_rest_line_up(port):
    length = 6
    data, layout, description = port_parts(port, length)
    by_name = {trace["name"]: trace for trace in data}
    produced, start, end = port.produced_length(length), *port.crop
    expected_removed = [*range(start), *range(produced - end, produced)]
    assert cells(by_name["removed"]).tolist() == expected_removed
    assert sorted(cells(by_name["kept"]).tolist() + expected_removed) == list(range(produced))
    assert cells(by_name["given"]).tolist() == cells(by_name["kept"]).tolist()  # under the cells they equal
    assert len(cells(by_name["given"])) == port.length(length)
    fig = port_figure(port, length)
    go.Figure(to_figure(fig).to_dict())  # Plotly validates every property
    assert describe(fig) == description and f"{produced} cells" in description
