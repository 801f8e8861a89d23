"""How long the contribution trace takes for the largest configurations the app allows.

Prints, per configuration: the trace build (engine output + full buffer + the column form), the column form on
its own, materialising ``Trace.contributions`` (Python records; only views that need objects pay for it), one
``into`` query, and the ratio of the build to the engine's forward alone (and to torch's, if installed).
Target: the column form under 20 ms for N 2, C 8→8, L 64, K 7.

    python bench/trace.py
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from convviz import conv_transpose1d, trace  # noqa: E402
from convviz.spec import spec_from_weight  # noqa: E402
from convviz.trace import build_columns  # noqa: E402

CONFIGS = [  # (batch, in_channels, out_channels, length, kernel_size, stride, what)
    (2, 8, 8, 64, 7, 1, "largest app configuration of the issue"),
    (1, 16, 16, 16, 16, 8, "the app's caps on channels, kernel and stride (65,536 records, the app's limit)"),
    (2, 16, 16, 128, 16, 8, "caps on channels, length, kernel, stride (1M records; above the app's limit)"),
    (4, 16, 16, 128, 16, 8, "every cap at once (2M records; above the app's limit)"),
]


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up (allocations, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main() -> None:
    torch: Any
    try:
        import torch
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    print(f"{'N':>2} {'C_in':>4} {'C_out':>5} {'L':>4} {'K':>3} {'s':>2} {'records':>9} {'trace':>9} {'columns':>9} "
          f"{'records()':>10} {'into':>8} {'trace/engine':>12} {'trace/torch':>11}")
    for n, c_in, c_out, length, k, stride, what in CONFIGS:
        x = rng.standard_normal((n, c_in, length)).astype(np.float32)
        w = rng.standard_normal((c_in, c_out, k)).astype(np.float32)
        b = rng.standard_normal(c_out).astype(np.float32)
        spec, _ = spec_from_weight(w, b, stride)
        records = n * length * c_in * c_out * k
        repeat = 20 if records < 100_000 else 3
        t_trace = best_ms(lambda: trace(x, w, b, stride), repeat)  # noqa: B023
        t_columns = best_ms(lambda: build_columns(x, w, spec), repeat)  # noqa: B023
        t_engine = best_ms(lambda: conv_transpose1d(x, w, b, stride), repeat)  # noqa: B023
        t = trace(x, w, b, stride)
        t_into = best_ms(lambda: t.into(c_out - 1, t.output_length // 2, n - 1), repeat)  # noqa: B023
        if records <= 100_000:
            t_records = best_ms(lambda: t.records(slice(None)), 3)  # noqa: B023
            records_text = f"{t_records:8.1f}ms"
        else:
            records_text = "   skipped"
        torch_text = "-"
        if torch is not None:
            tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
            t_torch = best_ms(lambda: torch.nn.functional.conv_transpose1d(tx, tw, tb, stride), repeat)  # noqa: B023
            torch_text = f"{t_trace / t_torch:10.1f}x"
        print(f"{n:>2} {c_in:>4} {c_out:>5} {length:>4} {k:>3} {stride:>2} {records:>9,} {t_trace:7.2f}ms "
              f"{t_columns:7.2f}ms {records_text:>10} {t_into:6.3f}ms {t_trace / t_engine:11.1f}x {torch_text:>11}"
              f"   {what}")
    print("target: the column form under 20 ms for N 2, C 8->8, L 64, K 7 (first row)")


if __name__ == "__main__":
    main()
