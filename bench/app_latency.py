"""How long a student waits: server-side rerun time (AppTest) and the browser's change-to-repainted-output time.

Server side, in-process with Streamlit's AppTest, for the default configuration and the largest one the
classroom caps allow, per tab:
  warm - a rerun whose build and figure are already cached (another student asked for the same thing);
  cold - a rerun with a new seed, so the build and the figure are made from scratch.
Browser side: a real Chromium page on a local server; the stride's step button is clicked and the time until
the output table shows the new numbers (and is painted) is taken inside the page.

Targets: default configuration p50 < 150 ms server side, < 500 ms in the browser.

Usage (from the project root):
    python bench/app_latency.py                 # both parts
    python bench/app_latency.py --repeats 20 --no-browser
"""
from __future__ import annotations

import argparse
import importlib.util
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TABS = ["Scatter", "Hand calculation", "Gather", "Matrix", "Overlap", "Groups", "PyTorch check"]
# The largest configuration under the classroom caps (65,536 contributions): batch 4, length 128, kernel 16,
# stride and dilation 8, so the output is (4, 2, 1137).
LARGEST = {"batched": True, "batch_size": 4, "length": 128, "in_channels": 4, "out_channels": 2, "kernel_size": 16,
           "stride": 8, "dilation": 8}


def load_classroom() -> Any:
    spec = importlib.util.spec_from_file_location("convviz_classroom", ROOT / "bench" / "classroom.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def widget(at: AppTest, key: str) -> Any:
    for kind in (at.sidebar.number_input, at.sidebar.toggle, at.sidebar.selectbox):
        try:
            return kind(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def configure(at: AppTest, settings: dict[str, Any]) -> None:
    """Set widgets one run at a time (batch_size exists only once batched is on)."""
    for key, value in settings.items():
        widget(at, key).set_value(value)
        at.run()
        check(at)


def check(at: AppTest) -> None:
    if at.exception or at.error:
        raise RuntimeError(f"the app failed: {[e.value for e in [*at.exception, *at.error]]}")


def timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    check(at)
    return elapsed


def p(values: list[float], q: int) -> float:
    values = sorted(values)
    return values[0] if len(values) == 1 else statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def server_side(repeats: int, tabs: list[str]) -> None:
    # AppTest runs the script in this thread, which Streamlit warns about once per run; that is expected here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    print(f"Server side (AppTest, in-process), {repeats} reruns each; ms p50 / p95")
    print(f"  {'configuration':<10} {'tab':<17} {'warm':>15} {'cold (new seed)':>18}")
    for name, settings in [("default", {}), ("largest", LARGEST)]:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        check(at)
        configure(at, settings)
        seed = 1000
        for tab in tabs:
            at.session_state["tab"] = tab
            at.run()
            check(at)
            warm = [timed(at) for _ in range(repeats)]
            cold = []
            for _ in range(repeats):
                seed += 1
                widget(at, "seed").set_value(seed)
                cold.append(timed(at))
            print(f"  {name:<10} {tab:<17} {1000 * p(warm, 50):6.0f} / {1000 * p(warm, 95):6.0f} "
                  f"{1000 * p(cold, 50):8.0f} / {1000 * p(cold, 95):6.0f}", flush=True)


def idle(page: Any) -> None:
    page.wait_for_selector("[data-testid='stDataFrame'] table", state="attached", timeout=120_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached",
                           timeout=120_000)


def browser_side(repeats: int, extra: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    classroom = load_classroom()
    server = classroom.Server(extra=extra)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=classroom.CHROMIUM, args=classroom.CHROMIUM_ARGS)
            print(f"Browser (Chromium, server {server.url}): stride typed + Enter -> output table repainted, ms")
            largest = "&".join(f"{k}={str(v).lower()}" for k, v in LARGEST.items())
            for name, query, values in [("default", "", (3, 2)), ("largest", largest, (7, 8))]:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{server.url}/?{query}", timeout=120_000)
                idle(page)
                field = page.locator("[data-testid='stSidebar'] input[aria-label='stride']")
                times, texts = [], []
                for i in range(repeats):
                    page.evaluate(classroom.ARM_JS, ["stride", 30_000])
                    field.fill(str(values[i % 2]))
                    field.press("Enter")
                    painted, text = page.evaluate("window.__convvizProbe")
                    if painted < 0:
                        raise RuntimeError("the output did not change within 30 s")
                    times.append(painted)
                    texts.append(text)
                    idle(page)
                    page.wait_for_timeout(300)  # one student, not a stream of keystrokes
                print(f"  {name:<10} repainted p50 {p(times, 50):5.0f}  p95 {p(times, 95):5.0f}  min {min(times):5.0f}"
                      f"  (the first, {times[0]:.0f}, builds a new configuration) · table text p50 "
                      f"{p(texts, 50):.0f}", flush=True)
                page.close()
            browser.close()
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--tabs", default=",".join(TABS[:-1]), help="comma-separated tabs to time "
                                                                   "(PyTorch check imports torch: add it if wanted)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-server", action="store_true", help="skip the AppTest part")
    parser.add_argument("--streamlit-arg", action="append", default=[], metavar="ARG",
                        help="passed to the browser part's server, e.g. --streamlit-arg=--runner.postScriptGC=false")
    args = parser.parse_args(argv)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"convviz app latency · load average {load}")
    if not args.no_server:
        server_side(args.repeats, args.tabs.split(","))
    if not args.no_browser:
        browser_side(args.repeats, args.streamlit_arg)
    print(f"targets: default p50 < 150 ms server side, < 500 ms in the browser · load average now "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
