"""How long a student waits: a fresh page from a shared link, a change to its repaint, and the server's rerun.

Fresh page (the default part): a warm server (started as the README says) is opened from a shared link in a
new Chromium context ten times; inside the page, the time from navigation start until the output numbers are on
screen (the table's text holds a decimal number and its canvas is painted) and until the Plotly chart is drawn;
the whole page is the later of the two. Beside it, in the same run, the floor (issue 21, section 3): an empty app
with the same kinds of elements (a sidebar of the same widget kinds as convviz's, one st.dataframe, one Plotly
chart; no file watcher, no forced GC), and the ratio of the two whole-page p50s (target <= 1.2x). Then the floor
with its chart placed elsewhere by public means (a later container, tabs, an st.empty filled last, the table in
a container of its own), to see whether the numbers can be on screen before the chart; and, for convviz and the
floor, the first script run of a new session (a websocket client of Streamlit's protocol: connect until
``script_finished``), how many messages and bytes it sends, and how many come before the output table.

Change (``--parts change``): the stride is typed in the sidebar and the time until the output table shows the
new numbers (and is painted) is taken inside the page. Server (``--parts server``), in-process with
Streamlit's AppTest, per tab: warm (build and figure cached) and cold (a new seed) reruns.

Usage (from the project root):
    python bench/app_latency.py                          # fresh page, ten opens of each app
    python bench/app_latency.py --parts fresh,change,server --repeats 10
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TABS = ["Scatter", "Hand calculation", "Gather", "Matrix", "Overlap", "Groups", "PyTorch check"]
# The largest configuration under the classroom caps (65,536 contributions): batch 4, length 128, kernel 16,
# stride and dilation 8, so the output is (4, 2, 1137).
LARGEST = {"batched": True, "batch_size": 4, "length": 128, "in_channels": 4, "out_channels": 2, "kernel_size": 16,
           "stride": 8, "dilation": 8}
# A link a teacher shares (what "Share link" copies for a configuration of the blog post's kind).
SHARED_LINK = "kernel_size=3&stride=2&length=6&seed=42&tab=Scatter"
# The empty app to compare a fresh page with: one small table and one small Plotly chart, nothing else.
TABLE_AND_CHART_APP = """import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

y = np.round(np.random.default_rng(0).normal(size=(1, 13)), 4)
st.dataframe(pd.DataFrame(y, index=["out 0"], columns=[str(j) for j in range(13)]), width="stretch",
             height="content")
st.plotly_chart(go.Figure(go.Scatter(x=list(range(13)), y=y[0], mode="lines+markers")), width="stretch",
                theme=None)
"""
# Inside the page, from navigation start (performance.now()): the output table's canvas painted with numbers
# (its accessible text holds a decimal number), and a Plotly chart drawn.
FRESH_JS = r"""() => {
  window.__fresh = {};
  const mark = k => { if (!(k in window.__fresh)) window.__fresh[k] = performance.now(); };
  const blank = c => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4)
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return false;
    return true;
  };
  const poll = () => {
    const frame = document.querySelector("[data-testid='stDataFrame']");
    if (frame) {
      mark("table");
      const canvas = frame.querySelector("canvas"), text = frame.querySelector("table");
      if (canvas && canvas.width && !("painted" in window.__fresh) && !blank(canvas)) mark("painted");
      if (text && /\d\.\d/.test(text.innerText)) mark("numbers");
    }
    if (document.querySelector("[data-testid='stPlotlyChart'] .main-svg")) mark("chart");
    if (!("numbers" in window.__fresh && "painted" in window.__fresh && "chart" in window.__fresh))
      requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}"""


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


def first_run(url: str, query: str, classroom: Any) -> dict[str, Any]:
    """A new session's first script run, as a websocket client: seconds, messages, bytes, and how many messages
    (and bytes) arrive before the first output table."""

    async def run() -> dict[str, Any]:
        session = classroom.LightSession(url, query=query, timeout=60)
        seen: list[tuple[str, int]] = []
        original = session._read

        async def read() -> None:  # the same loop, also keeping each message's kind and size
            try:
                async for data in session._ws:
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
                    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                        kind = msg.delta.new_element.WhichOneof("type") or kind
                    seen.append((str(kind), len(data)))
                    session.messages += 1
                    session._on_message(msg)
            except Exception:  # noqa: BLE001 - the session's own reader reports disconnects
                await original()

        session._read = read
        try:
            result = await session.open()
        finally:
            await session.close()
        if not result.ok:
            raise RuntimeError(f"first run failed: {result.problems}")
        kinds = [kind for kind, _ in seen]
        before = kinds.index("dataframe") if "dataframe" in kinds else len(kinds)
        return {"seconds": result.seconds, "messages": len(seen), "bytes": sum(n for _, n in seen),
                "before_table": before, "bytes_before_table": sum(n for _, n in seen[:before]),
                "largest": sorted(seen, key=lambda item: -item[1])[:3]}

    return asyncio.run(run())


def open_fresh(browser: Any, url: str, classroom: Any, chart: bool = True) -> dict[str, float]:
    """One fresh page (a new context: no cache, no cookies), as a student opening a shared link: times in
    seconds from navigation start, plus what the page downloaded and when the websocket brought the table
    (``chart=False``: a page without a Plotly chart, whose chart time is NaN)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(f"({FRESH_JS})()")
        frames: list[tuple[float, str, int]] = []

        def on_socket(ws: Any) -> None:
            if ws.url.endswith("/_stcore/stream"):
                def on_frame(payload: Any) -> None:
                    if isinstance(payload, bytes):
                        msg = ForwardMsg()
                        msg.ParseFromString(payload)
                        kind = msg.WhichOneof("type")
                        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                            kind = msg.delta.new_element.WhichOneof("type") or kind
                        frames.append((time.perf_counter(), str(kind), len(payload)))
                ws.on("framereceived", on_frame)

        page.on("websocket", on_socket)
        start = time.perf_counter()
        page.goto(url, timeout=120_000, wait_until="commit")
        page.wait_for_function("window.__fresh && 'numbers' in window.__fresh && 'painted' in window.__fresh "
                               + ("&& 'chart' in window.__fresh" if chart else ""), timeout=120_000, polling=100)
        marks = page.evaluate("window.__fresh")
        navigation = page.evaluate("performance.timeOrigin") / 1000  # epoch seconds
        resources = page.evaluate("performance.getEntriesByType('resource').map(e => [e.name, e.transferSize || "
                                  "e.encodedBodySize || 0, e.responseEnd])")
        kinds = [kind for _, kind, _ in frames]
        table_at = frames[kinds.index("dataframe")][0] - start if "dataframe" in kinds else float("nan")
        return {"painted": marks["painted"] / 1000, "numbers": marks["numbers"] / 1000,
                "chart": marks["chart"] / 1000 if chart else float("nan"),
                "table_message": table_at, "first_message": frames[0][0] - start if frames else float("nan"),
                "downloaded_kb": sum(size for _, size, _ in resources) / 1000,
                "scripts": sum(1 for name, _, _ in resources if name.endswith(".js")), "epoch": navigation}
    finally:
        context.close()


SIDEBAR_LIKE_OURS = """with st.sidebar:  # the widget kinds of convviz's sidebar, about as many
    st.segmented_control("mode", ["Explore", "Quiz", "Presenter"], default="Explore")
    st.selectbox("preset", ["(custom)", "blog example"])
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
                 "dilation", "seed", "length"):
        st.number_input(name, 0, 100, 1)
    st.toggle("bias", True)
    st.selectbox("dtype", ["float32", "float64"])
    st.radio("input", ["random", "typed"], horizontal=True)
    with st.expander("typed values"):
        for name in ("input", "weight", "bias"):
            st.text_area(name, "[[1, 2, 3]]")
    st.file_uploader("configuration JSON")
"""


# The floor (issue 21, section 3): an empty app with the same kinds of elements as convviz's page: a sidebar of the
# same widget kinds, one st.dataframe, one Plotly chart.
FLOOR_APP = TABLE_AND_CHART_APP.replace("y = np.round", SIDEBAR_LIKE_OURS + "y = np.round")
# Where the chart can go, by public means, so that the numbers might be painted before Plotly's module is loaded.
FLOOR_VARIANTS = {
    "floor, chart in a later st.container": FLOOR_APP.replace("\nst.plotly_chart(", "\nwith st.container():\n"
                                                                                    "    st.plotly_chart("),
    "floor, table in its own st.container": FLOOR_APP.replace("\nst.dataframe(", "\nwith st.container():\n"
                                                                                 "    st.dataframe("),
    "floor, chart in st.tabs (as convviz)": FLOOR_APP.replace("\nst.plotly_chart(", "\nwith st.tabs(['a', 'b'])[0]:\n"
                                                                                    "    st.plotly_chart("),
    "floor, chart in an st.empty above the table, filled last": FLOOR_APP.replace(
        "\nst.dataframe(", "\nslot = st.empty()\nst.dataframe(").replace("\nst.plotly_chart(", "\nslot.plotly_chart("),
}


def whole(o: dict[str, float]) -> float:
    """The whole page: the output numbers on screen (text and canvas) and the chart drawn."""
    return max(o["numbers"], o["painted"], o["chart"])


def fresh_page(repeats: int, extra: list[str]) -> None:
    """Fresh pages of convviz from a shared link (the README's command) and of the floor (an empty app with the
    same kinds of elements), opened in turn in the same run; then the floor with the chart placed elsewhere by
    public means, to see whether the numbers can come before the chart."""
    from playwright.sync_api import sync_playwright

    classroom = load_classroom()
    print(f"Fresh page from a shared link, warm servers, {repeats} opens each (in turn), new browser context per "
          f"open; seconds from navigation start")
    servers = {"convviz": classroom.Server(extra=extra), "floor": classroom.Server(script=FLOOR_APP),
               **{name: classroom.Server(script=script) for name, script in FLOOR_VARIANTS.items()}}
    cases = [("convviz", "convviz", SHARED_LINK, repeats), ("floor (sidebar, dataframe, chart)", "floor", "", repeats),
             *((name, name, "", max(3, repeats // 2)) for name in FLOOR_VARIANTS)]
    results: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in cases}
    runs: dict[str, list[dict[str, Any]]] = {"convviz": [], "floor": []}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=classroom.CHROMIUM, args=classroom.CHROMIUM_ARGS)
            for _, server, query, _ in cases:  # warm: scripts compiled, caches filled
                open_fresh(browser, f"{servers[server].url}/?{query}", classroom)
            for i in range(repeats):
                for name, server, query, count in cases:
                    if i < count:
                        results[name].append(open_fresh(browser, f"{servers[server].url}/?{query}", classroom))
            browser.close()
        for _ in range(repeats):
            runs["convviz"].append(first_run(servers["convviz"].url, SHARED_LINK, classroom))
            runs["floor"].append(first_run(servers["floor"].url, "", classroom))
    finally:
        for server in servers.values():
            server.stop()
    print(f"  {'':<58} {'numbers on screen':>17} {'chart drawn':>17} {'whole page':>17} {'numbers first':>14}")
    for name, opens in results.items():
        col = {k: sorted(o[k] for o in opens) for k in opens[0]}
        shown = sorted(max(o["numbers"], o["painted"]) for o in opens)
        page = sorted(whole(o) for o in opens)
        first = sum(max(o["numbers"], o["painted"]) < o["chart"] - 0.05 for o in opens)
        print(f"  {name:<58} p50 {p(shown, 50):5.2f} p95 {p(shown, 95):5.2f} "
              f"p50 {p(col['chart'], 50):5.2f} p95 {p(col['chart'], 95):5.2f} "
              f"p50 {p(page, 50):5.2f} p95 {p(page, 95):5.2f} {first:>6}/{len(opens)} opens")
    ours, floor = ([whole(o) for o in results[n]] for n in ("convviz", "floor (sidebar, dataframe, chart)"))
    ratio = p(ours, 50) / p(floor, 50)
    print(f"  {'met ' if ratio <= 1.2 else 'MISSED'} whole page (numbers on screen and chart drawn), convviz / floor: "
          f"p50 {ratio:.2f}x (target <= 1.2x), p95 {p(ours, 95) / p(floor, 95):.2f}x")
    print("  (numbers first: opens where the numbers were on screen more than 50 ms before the chart was drawn)")
    print("  first script run of a new session (websocket client: connect until script_finished):")
    for name, firsts in runs.items():
        seconds = sorted(r["seconds"] for r in firsts)
        last = firsts[-1]
        print(f"    {name:<10} p50 {p(seconds, 50):5.3f} s  p95 {p(seconds, 95):5.3f} s · {last['messages']} messages, "
              f"{last['bytes'] / 1000:.1f} kB; {last['before_table']} messages ({last['bytes_before_table'] / 1000:.1f}"
              f" kB) before the output table; largest: "
              + ", ".join(f"{kind} {size / 1000:.1f} kB" for kind, size in last["largest"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="fresh", help="comma-separated: fresh, change, server")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--tabs", default=",".join(TABS[:-1]), help="comma-separated tabs to time "
                                                                   "(PyTorch check imports torch: add it if wanted)")
    parser.add_argument("--streamlit-arg", action="append", default=[], metavar="ARG",
                        help="passed to convviz's server (the measured figures use none)")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    if not parts <= {"fresh", "change", "server"} or not 1 <= args.repeats <= 50:
        sys.exit("--parts takes fresh, change, server; --repeats 1..50")
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    print(f"convviz app latency · {load_classroom().machine()}")
    if "fresh" in parts:
        fresh_page(args.repeats, args.streamlit_arg)
    if "change" in parts:
        browser_side(args.repeats, args.streamlit_arg)
    if "server" in parts:
        server_side(args.repeats, args.tabs.split(","))
    print(f"{load_classroom().machine()} (after)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
