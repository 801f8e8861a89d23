"""Configurations and readers the figure tests share: traces of random data, the views as the ``go.Figure`` the
app sends, and ways to read cells back out of a figure (by trace name, by frame, by output row)."""
from __future__ import annotations

import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from convviz import figures as views
from convviz.figures import ScatterOptions, View, to_figure
from convviz.trace import trace


def _as_figure(make):
    """A view function whose View these tests read as the ``go.Figure`` the app sends (``to_figure``)."""
    def made(*args, **kwargs):
        view = make(*args, **kwargs)
        assert isinstance(view, View)
        return to_figure(view)
    return made


scatter_animation = _as_figure(views.scatter_animation)
scatter_step_figure = _as_figure(views.scatter_step_figure)
gather_animation = _as_figure(views.gather_animation)
matrix_figure = _as_figure(views.matrix_figure)
overlap_figure = _as_figure(views.overlap_figure)
groups_figure = _as_figure(views.groups_figure)

BLOG_INPUT = [[8.0, -3.0, 0.0, 1.0, 5.0, -2.0]]


def make(c_in: int = 1, c_out: int = 1, k: int = 3, length: int = 6, groups: int = 1, dtype: object = np.float32,
         batch: int | None = None, bias: bool = True, seed: int = 0, **kwargs: int):
    """A trace of random data with a fixed seed."""
    rng = np.random.default_rng(seed)
    shape = (c_in, length) if batch is None else (batch, c_in, length)
    x = rng.standard_normal(shape)
    w = rng.uniform(-0.6, 0.6, (c_in, c_out // groups, k))
    b = rng.uniform(-0.3, 0.3, c_out) if bias else None
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
        w = w + 1j * rng.uniform(-0.6, 0.6, w.shape)
        b = None if b is None else b + 1j * rng.uniform(-0.3, 0.3, c_out)
    dt = np.dtype(dtype)
    return trace(x.astype(dt), w.astype(dt), None if b is None else b.astype(dt), groups=groups, **kwargs)


CONFIGS = {
    "default": dict(stride=2),
    "groups": dict(c_in=4, c_out=6, groups=2, length=4, stride=2),
    "dilation_padding": dict(c_out=2, length=5, dilation=2, padding=2),
    "output_padding": dict(length=4, stride=3, padding=1, output_padding=2),
    "complex": dict(dtype=np.complex64, length=4, stride=2, padding=1),
    "complex128_batched": dict(dtype=np.complex128, c_in=2, c_out=2, length=3, batch=2, stride=2),
    "batched_no_bias": dict(c_in=2, c_out=3, length=5, batch=3, bias=False, stride=2, padding=1),
    "float64_k1": dict(dtype=np.float64, k=1, length=5, stride=3),
}


def named(fig: go.Figure, name: str) -> int:
    return [t.name for t in fig.data].index(name)


def frame_trace(fig: go.Figure, k: int, name: str) -> go.Scatter:
    """Trace ``name`` as frame ``k`` sets it."""
    index = named(fig, name)
    f = fig.frames[k]
    return f.data[list(f.traces).index(index)]


def values(text: str) -> complex:
    """A cell text back to a number (``1.2<br>-0.3j`` too)."""
    return complex(text.replace("<br>", "")) if "j" in text else float(text)


def torch_output(t, batch: int) -> np.ndarray:
    """The oracle: torch's ``conv_transpose1d`` of sample ``batch``, ``(C_out, L_out)``."""
    torch = pytest.importorskip("torch")
    s = t.spec
    with torch.no_grad():
        return torch.nn.functional.conv_transpose1d(
            torch.from_numpy(t.input[batch]), torch.from_numpy(t.weight),
            None if t.bias is None else torch.from_numpy(t.bias), s.stride, s.padding, s.output_padding, s.groups,
            s.dilation).numpy()


def shown_tolerance(text: str) -> float:
    """How far a cell text may be from its value: half a unit in the last place it shows (per complex part)."""
    places = max([len(part) for part in re.findall(r"\.(\d+)", text)] or [0])
    return 0.5 * 10.0 ** -places * math.sqrt(2) + 1e-9


def animated(name: str):
    """The trace of ``CONFIGS[name]``, its last batch sample and that sample's animation."""
    t = make(**CONFIGS[name])
    batch = t.input.shape[0] - 1
    return t, batch, scatter_animation(t, batch=batch)


def out_rows(fig: go.Figure) -> dict[int, int]:
    """The out-channel of each output row, by its y (rounded), read off the clickable output cells."""
    pick = fig.data[named(fig, "pick")]
    return {int(round(y)): int(o) for (o, _), y in zip(np.asarray(pick.customdata).tolist(), np.asarray(pick.y))}


def cells_of(fig: go.Figure, trace_: go.Scatter) -> list[tuple[int, int]]:
    """``(out_channel, full_index)`` of each point of a trace drawn on the output rows."""
    row_of = out_rows(fig)
    return [(row_of[int(round(y))], int(x)) for x, y in zip(np.asarray(trace_.x).tolist(), np.asarray(trace_.y))]


def cell_px_at(fig: go.Figure, width: float) -> float:
    """Width in pixels of one unit cell of ``fig``'s x axis when the figure is drawn ``width`` pixels wide."""
    margin, x_range = fig.layout.margin, fig.layout.xaxis.range
    return (width - margin.l - margin.r) / (x_range[1] - x_range[0])


def check_running_sums(t, batch: int, group: str) -> None:
    """Every frame: the window shows the sum of all products played so far (the oracle: np.add.at over the
    trace's records); nothing left of the window (the final sums, drawn once, are revealed there)."""
    fig = scatter_animation(t, options=ScatterOptions(batch=batch, group=group))
    cols, c_in, stride = t.columns, t.spec.in_channels, t.spec.stride
    step_of = cols["in_index"] * c_in + cols["in_channel"]  # the animation step of each record
    for k in range(len(fig.frames) - 1):
        first, stop = (k, k + 1) if group == "element" else (k * c_in, (k + 1) * c_in)
        rows = np.flatnonzero((cols["batch"] == batch) & (step_of < stop))
        expected = np.zeros((t.spec.out_channels, t.full_length), dtype=t.full.dtype)
        touched = np.zeros(expected.shape, dtype=bool)
        np.add.at(expected, (cols["out_channel"][rows], cols["full_index"][rows]), cols["product"][rows])
        touched[cols["out_channel"][rows], cols["full_index"][rows]] = True
        boundary = first // c_in * stride  # the playing position's first full index
        window = touched.copy()
        window[:, :boundary] = False
        sums = frame_trace(fig, k, "sums")
        cells = cells_of(fig, sums)
        assert sorted(cells) == sorted(zip(*np.nonzero(window)))
        if sums.text is not None:
            for (o, f), text in zip(cells, sums.text):
                assert values(text) == pytest.approx(expected[o, f], abs=shown_tolerance(text))
        else:  # coloured by value (magnitude for complex)
            colour = np.abs(expected) if np.iscomplexobj(expected) else expected
            np.testing.assert_allclose(np.asarray(sums.marker.color), [colour[o, f] for o, f in cells], rtol=1e-5,
                                       atol=1e-5)
        np.testing.assert_allclose(expected[:, :boundary], t.full[batch][:, :boundary], rtol=1e-5, atol=1e-5)
