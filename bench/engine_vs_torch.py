"""convviz's NumPy engine against torch's ``conv_transpose1d``, timed in one interleaved run.

Prints, per case: the median time of each, the ratio convviz/torch (below 1 means convviz is faster), the
engine's GFLOP/s as a share of a plain 2048×2048 ``a @ a`` of the same dtype timed in the same run, and the
engine's peak temporary memory (tracemalloc, beyond the output itself) relative to the output's size.

Run: ``python bench/engine_vs_torch.py [--repeats 7]``. torch uses as many threads as NumPy's BLAS.
"""
from __future__ import annotations

import argparse
import ctypes
import glob
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from convviz import conv_transpose1d  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    n: int
    c_in: int
    c_out: int
    length: int
    k: int
    stride: int = 1
    groups: int = 1
    dilation: int = 1
    dtype: str = "float32"

    @property
    def flops(self) -> float:
        """2 flops (multiply, add) per input element × out channel of its group × tap."""
        return 2.0 * self.n * self.c_in * (self.c_out // self.groups) * self.k * self.length


CASES = [
    Case("tiny", 1, 2, 3, 16, 3),
    Case("medium", 8, 64, 64, 1024, 5, stride=2),
    Case("large f32", 16, 256, 128, 4096, 4, stride=4),
    Case("large f64", 16, 256, 128, 4096, 4, stride=4, dtype="float64"),
    Case("groups=4 dilation=3", 8, 128, 128, 2048, 5, stride=2, groups=4, dilation=3),
]


def blas_threads() -> tuple[int, str]:
    """Threads NumPy's BLAS uses, and how we found out."""
    try:
        from threadpoolctl import threadpool_info
        blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
        if blas:
            return int(blas[0]["num_threads"]), "threadpoolctl"
    except ImportError:
        pass
    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in glob.glob(os.path.join(libs, "*openblas*")):
        lib = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, symbol):
                return int(getattr(lib, symbol)()), f"OpenBLAS {symbol}()"
    return os.cpu_count() or 1, "os.cpu_count() (could not ask the BLAS)"


def interleaved(fns: list[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Seconds per call of each fn, one sample per round; each round calls them in turn (the order alternating
    from round to round) so drift hits all alike. Each turn starts with one untimed call: the other library's
    idle threads spin for a while after its call and would otherwise bill their spinning to whoever runs next."""
    inner = []
    for fn in fns:  # warm up, and pick a loop count so each sample lasts >= ~20 ms
        fn()
        start = time.perf_counter()
        fn()
        inner.append(max(1, int(0.02 / max(time.perf_counter() - start, 1e-7))))
    samples: list[list[float]] = [[] for _ in fns]
    for round_ in range(repeats):
        order = range(len(fns)) if round_ % 2 == 0 else reversed(range(len(fns)))
        for i in order:
            fns[i]()
            start = time.perf_counter()
            for _ in range(inner[i]):
                fns[i]()
            samples[i].append((time.perf_counter() - start) / inner[i])
    return samples


def temporaries(fn: Callable[[], np.ndarray]) -> tuple[float, int]:
    """Peak bytes tracemalloc sees during ``fn()`` beyond its result, and the result's size in bytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return peak - result.nbytes, result.nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    threads, how = blas_threads()
    torch.set_num_threads(threads)
    print(f"numpy {np.__version__}, torch {torch.__version__}; {threads} threads each (NumPy's BLAS via {how}); "
          f"median of {args.repeats} interleaved rounds\n")
    rng = np.random.default_rng(0)
    gemm_a = {dt: rng.standard_normal((2048, 2048)).astype(dt) for dt in ("float32", "float64")}
    gemm_fns = [lambda a=a: a @ a for a in gemm_a.values()]

    rows = []
    for case in CASES:
        x = rng.standard_normal((case.n, case.c_in, case.length)).astype(case.dtype)
        w = rng.standard_normal((case.c_in, case.c_out // case.groups, case.k)).astype(case.dtype)
        b = rng.standard_normal(case.c_out).astype(case.dtype)
        tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
        kw = dict(stride=case.stride, groups=case.groups, dilation=case.dilation)

        def ours(x=x, w=w, b=b, kw=kw):
            return conv_transpose1d(x, w, b, **kw)

        def theirs(tx=tx, tw=tw, tb=tb, kw=kw):  # no tensor requires grad: no autograd cost to switch off
            return torch.nn.functional.conv_transpose1d(tx, tw, tb, **kw)

        err = np.abs(ours() - theirs().numpy()).max() / np.abs(theirs().numpy()).max()
        s_ours, s_torch, s_gemm32, s_gemm64 = interleaved([ours, theirs, *gemm_fns], args.repeats)
        t_ours, t_torch = statistics.median(s_ours), statistics.median(s_torch)
        best = min(s_ours) / min(s_torch)
        gemm_rate = 2 * 2048**3 / statistics.median(s_gemm32 if case.dtype == "float32" else s_gemm64)
        temp, out_bytes = temporaries(ours)
        rows.append((case, t_ours, t_torch, best, case.flops / t_ours / 1e9, case.flops / t_ours / gemm_rate,
                     temp / out_bytes, err, gemm_rate / 1e9))

    header = (f"{'case':<20} {'dtype':<8} {'convviz ms':>11} {'torch ms':>10} {'ratio':>6} {'best':>5} "
              f"{'GFLOP/s':>8} {'of a@a':>7} {'temp/out':>9} {'max rel err':>12}")
    print(header)
    print("-" * len(header))
    for case, t_ours, t_torch, best, gflops, share, temp, err, _ in rows:
        print(f"{case.name:<20} {case.dtype:<8} {t_ours * 1e3:>11.3f} {t_torch * 1e3:>10.3f} "
              f"{t_ours / t_torch:>6.2f} {best:>5.2f} {gflops:>8.1f} {share:>7.0%} {temp:>9.2f} {err:>12.1e}")
    rates = {dt: statistics.median(rate for case, *_, rate in rows if case.dtype == dt) for dt in gemm_a}
    print("\na @ a (2048×2048) in the same run: " + ", ".join(f"{dt} {r:.1f} GFLOP/s" for dt, r in rates.items()))
    print("ratio = median convviz time / median torch time; best = fastest / fastest (the machine is shared, so\n"
          "medians carry others' load). Targets: large f32 <= 0.5 and >= 50% of a@a; large f64 <= 0.8; tiny <= 1.5.\n"
          "temp/out = peak temporary bytes during the call (beyond the output) / output bytes (target about 2 or less)")


if __name__ == "__main__":
    main()
