"""Build time and JSON size of every Plotly view, for small, medium and the largest app configurations.

Budget (issue 5): for the largest configuration the app allows (channels 16, length 128, kernel 16, stride and
dilation 8, batch 4) every figure builds (``to_figure(view, typed_arrays=True)``, once per configuration, cached)
and is sent as ``st.plotly_chart`` sends it on every rerun (``to_dict()`` then ``plotly.io.to_json`` with the
app's JSON engine) in under 100 ms,
and that JSON is at most 1.5 MB; the scatter animation's size grows linearly with the number of steps (frames
are grouped by input position beyond 64 steps, so its size is then bounded by the positions instead).

Usage (from the project root):
    python bench/figures.py              # the table and the growth check
    python bench/figures.py --repeats 9  # steadier medians
    python bench/figures.py --png assets # also render the README's pictures (kaleido + Debian's chromium)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotly.io as pio  # noqa: E402
import plotly.tools  # noqa: E402

from convviz.figures import (  # noqa: E402
    gather_animation,
    groups_figure,
    matrix_figure,
    overlap_figure,
    scatter_animation,
    scatter_step_figure,
    to_figure,
)
from convviz.init import init_parameters  # noqa: E402
from convviz.trace import Trace, trace  # noqa: E402

BUDGET_MS, BUDGET_BYTES = 100.0, 1_500_000
VIEWS: dict[str, Callable[..., Any]] = {
    "scatter": scatter_animation, "gather": gather_animation, "matrix": matrix_figure,
    "overlap": lambda t, batch=0: overlap_figure(t), "groups": lambda t, batch=0: groups_figure(t)}
CONFIGS: dict[str, dict[str, Any]] = {
    "small (blog: 1→1, K3, s2, L6)": dict(c_in=1, c_out=1, k=3, length=6, stride=2),
    "medium (4→4 g2, K5, s2, d2, p2, L16, N2)": dict(c_in=4, c_out=4, k=5, length=16, groups=2, stride=2,
                                                     dilation=2, padding=2, batch=2),
    "largest (16→16, K16, s8, d8, L128, N4)": dict(c_in=16, c_out=16, k=16, length=128, stride=8, dilation=8,
                                                    batch=4),
    "largest, s1 d8": dict(c_in=16, c_out=16, k=16, length=128, stride=1, dilation=8, batch=4),
    "largest, complex128": dict(c_in=16, c_out=16, k=16, length=128, stride=8, dilation=8, batch=4,
                                dtype=np.complex128),
}


def make(c_in: int, c_out: int, k: int, length: int, groups: int = 1, batch: int | None = None,
         dtype: Any = np.float32, **kwargs: int) -> Trace:
    rng = np.random.default_rng(0)
    shape = (c_in, length) if batch is None else (batch, c_in, length)
    x, w, b = rng.standard_normal(shape), rng.uniform(-1, 1, (c_in, c_out // groups, k)), rng.uniform(-1, 1, c_out)
    if np.dtype(dtype).kind == "c":
        x, w, b = x + 1j * rng.standard_normal(shape), w + 1j * rng.uniform(-1, 1, w.shape), b + 0.5j
    dt = np.dtype(dtype)
    return trace(x.astype(dt), w.astype(dt), b.astype(dt), groups=groups, **kwargs)


def send(fig: Any) -> str:
    """What ``st.plotly_chart`` does with a cached figure on every rerun (streamlit 1.67: plotly_chart.py)."""
    return pio.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)


def measure(build: Callable[[], Any], repeats: int) -> tuple[float, float, int, float, int]:
    """Median build time (ms), median time of the JSON the app sends on each rerun (``send``, ms) and its size
    (bytes), then median ``to_json`` time (Plotly builds the figure and encodes it its own way, ms) and size."""
    builds, sends, dumps, sent, size = [], [], [], 0, 0
    for _ in range(repeats):
        start = time.perf_counter()
        fig = to_figure(build(), typed_arrays=True)
        middle = time.perf_counter()
        sent = len(send(fig))
        end = time.perf_counter()
        size = len(fig.to_json())
        builds.append((middle - start) * 1e3)
        sends.append((end - middle) * 1e3)
        dumps.append((time.perf_counter() - end) * 1e3)
    return statistics.median(builds), statistics.median(sends), sent, statistics.median(dumps), size


def table(repeats: int) -> bool:
    ok = True
    print(f"{'configuration':44} {'view':8} {'build ms':>9} {'sent ms':>8} {'sent kB':>8} {'to_json ms':>11} "
          f"{'JSON kB':>8}  budget (build + sent)")
    for name, config in CONFIGS.items():
        t = make(**config)
        batch = t.input.shape[0] - 1
        for view, builder in VIEWS.items():
            build_ms, send_ms, sent, dump_ms, size = measure(lambda b=builder, t=t, n=batch: b(t, batch=n), repeats)
            good = build_ms + send_ms < BUDGET_MS and sent <= BUDGET_BYTES
            ok &= good
            print(f"{name:44} {view:8} {build_ms:9.1f} {send_ms:8.1f} {sent / 1e3:8.1f} {dump_ms:11.1f} "
                  f"{size / 1e3:8.1f}  {'ok' if good else 'OVER'}")
    return ok


def growth() -> None:
    """Scatter JSON size against steps: linear while frames play single elements (fixed per-step cost)."""
    print("\nscatter animation size against steps (1→2 channels, K3, s2; one frame per element up to 64):")
    sizes = []
    for length in (8, 16, 32, 64):
        t = make(c_in=1, c_out=2, k=3, length=length, stride=2)
        sizes.append((t.steps_per_batch, len(to_figure(scatter_animation(t)).to_json())))
    for (steps, size), (prev_steps, prev_size) in zip(sizes[1:], sizes[:-1]):
        print(f"  {prev_steps:3d} → {steps:3d} steps: {prev_size / 1e3:7.1f} → {size / 1e3:7.1f} kB, "
              f"{(size - prev_size) / (steps - prev_steps):6.0f} bytes per added step")
    slope = np.polyfit(*np.array(sizes, dtype=float).T, 1)
    fitted = np.polyval(slope, [s for s, _ in sizes])
    worst = max(abs(f - s) / s for f, (_, s) in zip(fitted, sizes))
    print(f"  linear fit: {slope[0]:.0f} bytes/step + {slope[1] / 1e3:.1f} kB fixed; worst deviation {worst:.1%}")
    print("grouped by input position beyond 64 steps (4→4 channels, K3, s2): size per input position")
    for length in (20, 40, 80, 128):
        t = make(c_in=4, c_out=4, k=3, length=length, stride=2)
        fig = to_figure(scatter_animation(t))
        print(f"  L={length:3d}: {t.steps_per_batch:4d} steps, {len(fig.frames):3d} frames, "
              f"{len(fig.to_json()) / 1e3:7.1f} kB")


def seeded(c_in: int, c_out: int, k: int, x: Any, groups: int = 1, dtype: str = "float32", **kwargs: int) -> Trace:
    """A configuration as the app shows it: seeded weights (``torch.manual_seed(42)``), a given input."""
    w, b = init_parameters(c_in, c_out, k, groups, True, dtype, seed=42)
    return trace(np.asarray(x, dtype=dtype), w, b, groups=groups, **kwargs)


def still(fig: Any, index: int) -> Any:
    """Frame ``index`` of an animated view as a still figure (for a PNG)."""
    fig = to_figure(fig)
    data = [t.to_plotly_json() for t in fig.data]
    frame = fig.frames[index].to_plotly_json()
    for position, update in zip(frame["traces"], frame["data"]):
        data[position] = {**data[position], **update}
    layout = fig.layout.to_plotly_json()
    layout["xaxis2"] = {**layout.get("xaxis2", {}), **frame.get("layout", {}).get("xaxis2", {})}
    layout.pop("updatemenus", None)
    layout.pop("sliders", None)
    layout["height"] -= 110
    layout["margin"]["b"] = 90
    import plotly.graph_objects as go
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def pictures(directory: Path) -> None:
    """The README's pictures: the blog's input with seeded weights, and a few configurations a teacher shows."""
    blog = [[8.0, -3.0, 0.0, 1.0, 5.0, -2.0]]
    default = seeded(1, 1, 3, blog, stride=2)
    grouped = seeded(4, 4, 2, np.arange(16).reshape(4, 4) % 5 - 2.0, groups=2, stride=2)
    dilated = seeded(1, 2, 3, [[1.0, -2.0, 3.0, 0.5, -1.0]], dilation=2, padding=2)
    complex_ = seeded(1, 1, 3, [[1 + 1j, -2 + 0.5j, 0.5 - 1j, 2 + 0j]], dtype="complex64", stride=2)
    upsample = seeded(1, 1, 3, blog, stride=2, padding=1, output_padding=1)
    shots = {
        "scatter.png": scatter_step_figure(default, 4),
        "scatter_groups.png": scatter_step_figure(grouped, 5),
        "scatter_dilation.png": scatter_step_figure(dilated, 2),
        "scatter_complex.png": scatter_step_figure(complex_, 2),
        "scatter_padding.png": scatter_step_figure(upsample, upsample.steps_per_batch),
        "scatter_presenter.png": scatter_step_figure(default, 4, large=True),
        "gather.png": still(gather_animation(upsample), 5),
        "gather_groups.png": still(gather_animation(grouped), 10),
        "matrix.png": matrix_figure(default, highlight=(0, 4)),
        "overlap.png": overlap_figure(default),
        "groups.png": groups_figure(grouped),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, fig in shots.items():
        to_figure(fig).write_image(directory / name, scale=1)
        print(f"wrote {directory / name}")


def timed(call: Callable[[], Any], repeats: int = 200) -> float:
    """Median ms of ``call`` over ``repeats`` runs (after one warm-up)."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def engines() -> None:
    """Plotly's two JSON engines on the app's cached charts (typed arrays), per rerun: why the app names "json"."""
    import importlib.util
    if importlib.util.find_spec("orjson") is None:
        print("\norjson is not installed: nothing to compare")
        return
    print("\nper-rerun send (to_dict + to_json) by JSON engine, ms (median of 50):")
    before = pio.json.config.default_engine
    for name, config in list(CONFIGS.items())[:3]:
        t = make(**config)
        for view in ("scatter", "gather", "matrix"):
            fig = to_figure(VIEWS[view](t), typed_arrays=True)
            row = []
            for engine in ("json", "orjson"):
                pio.json.config.default_engine = engine
                row.append(timed(lambda fig=fig: send(fig), 50))
            print(f"  {name:44} {view:8} json {row[0]:6.2f}  orjson {row[1]:6.2f}  ratio {row[1] / row[0]:4.2f}")
    pio.json.config.default_engine = before


def tables() -> None:
    """``st.dataframe``'s per-rerun conversion of the output table: a pandas frame against its Arrow table."""
    import pyarrow as pa
    from streamlit import dataframe_util

    from convviz.app.parts import table as labelled
    print("\nst.dataframe's conversion per rerun, ms (median of 200):")
    for length in (12, 64, 512):
        frame = labelled(np.random.default_rng(0).standard_normal((4, length)), "out")
        arrow = pa.Table.from_pandas(frame)
        pandas_ms = timed(lambda frame=frame: dataframe_util.convert_pandas_df_to_arrow_bytes(frame))
        arrow_ms = timed(lambda arrow=arrow: dataframe_util.convert_arrow_table_to_arrow_bytes(arrow))
        print(f"  4 x {length:3d}: pandas {pandas_ms:6.3f}  arrow {arrow_ms:6.3f}  ratio {pandas_ms / arrow_ms:5.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--png", type=Path, help="also write the README's PNG pictures into this directory")
    parser.add_argument("--engine", action="store_true", help="compare Plotly's json and orjson engines")
    parser.add_argument("--tables", action="store_true", help="time st.dataframe's conversion: pandas vs Arrow")
    args = parser.parse_args()
    pio.json.config.default_engine = "json"  # as streamlit_app.py sets it
    if args.engine:
        engines()
    if args.tables:
        tables()
    if args.engine or args.tables:
        return
    ok = table(args.repeats)
    growth()
    print(f"\nall figures within {BUDGET_MS:.0f} ms and {BUDGET_BYTES / 1e6:.1f} MB: {'yes' if ok else 'NO'}")
    if args.png:
        pictures(args.png)


if __name__ == "__main__":
    main()
