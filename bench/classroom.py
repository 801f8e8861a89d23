"""Classroom load: N students change controls for a minute against a local convviz server, and against the floor.

Each student is a light session that speaks Streamlit's own websocket protocol exactly as a browser tab does
(``/_stcore/stream``: a ``BackMsg.rerun_script`` with the widget states, then ``ForwardMsg``s until
``script_finished``) but renders nothing, so forty of them fit on two cores next to the server. One real
Chromium page measures what a user sees meanwhile: a sidebar change until the output table shows new numbers.

Phases, per session count: join (students arrive over a few seconds), steady (each changes a random control
every 2-6 s and waits for its rerun), abuse (convviz only, ``--no-abuse`` skips it: as long as steady, the same
students work as in steady while three more act every 2-6 s: one pastes the largest input the app accepts, one
opens links a value over its field's limit, one uploads configuration files over the app's limit and over the 1 MB
upload cap), burst (all change at the same instant, twice). Printed per phase: rerun latency p50/p95/max (abuse:
of the other students only), errors, server CPU ms per rerun (from /proc/<pid>/stat), peak RSS, the load average;
for abuse also what each abuser got (the paste accepted, the link and the upload refused with st.error or 413) and
the others' p95 against steady's of the same run (target within 1.2x, 0 errors).

The server is started exactly as the README says (``streamlit run streamlit_app.py``; only the port, a
localhost address and ``--server.headless true`` are added, none of which changes how a rerun runs), so the
project's ``.streamlit/config.toml`` applies as it does for a teacher. In the same invocation the same students
then load the floor: an empty Streamlit app (one number input, one line of text) with no file watcher and no
forced GC, the leanest Streamlit gets. Absolute times on a shared machine swing 2-5x; the printed ratios
(convviz / floor, same run) are the figures that travel. The machine line gives the cores and NumPy's float32
GEMM rate measured at the start.

Usage (from the project root; localhost only, bounded in sessions and time, stops by itself):
    python bench/classroom.py                                  # 40 sessions, 60 s, then the floor
    python bench/classroom.py --sessions 10,40 --duration 30 --rounds 2
    python bench/classroom.py --replicas 2                     # 2 streamlit processes behind nginx
    python bench/classroom.py --url http://127.0.0.1:8501 --pids 1234 --sessions 20   # a running server
    python bench/classroom.py --no-browser                     # light sessions only
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.cookiejar
import importlib.util
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from convviz.limits import CONFIG_FILE_LIMIT, text_limit  # noqa: E402  (stdlib only: the fields' limits)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 100  # bounded: this is a load test for one machine, not a tool to flood a server
MAX_DURATION = 600
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
# The README's command is `streamlit run streamlit_app.py`; headless only stops it from trying to open a browser.
STREAMLIT_FLAGS = ["--server.headless", "true"]
# The floor: the leanest Streamlit app there is, whatever the project's own configuration says.
FLOOR_APP = """import streamlit as st

stride = st.number_input("stride", min_value=1, max_value=8, value=2, step=1, key="stride")
st.write(f"stride is {stride}")
"""
FLOOR_FLAGS = ["--server.fileWatcherType", "none", "--server.runOnSave", "false", "--runner.postScriptGC", "false"]

# What a student changes, always valid together (groups 1, output_padding 0, padding <= 1 keeps L_out >= 1).
CHOICES: dict[str, list[Any]] = {
    "stride": [1, 2, 3, 4], "kernel_size": [2, 3, 4, 5], "dilation": [1, 2, 3], "padding": [0, 1],
    "length": list(range(4, 13)), "out_channels": [1, 2, 3], "seed": list(range(10)), "bias": [True, False],
    "tab": ["Scatter", "Hand calculation", "Gather", "Matrix", "Overlap"],
}
FLOOR_CHOICES: dict[str, list[Any]] = {"stride": list(range(1, 9))}


# ---------------------------------------------------------------------------------------------- server side


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if no_proxy_opener().open(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy within {timeout:.0f} s")


def no_proxy_opener(jar: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [urllib.request.ProxyHandler({})]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


class Server:
    """``streamlit run streamlit_app.py`` on a free localhost port; ``stop()`` ends it (and only it).

    ``floor=True`` runs ``FLOOR_APP`` instead (or ``script``, another app's text), from a directory of its own
    (so no project configuration applies) with ``FLOOR_FLAGS``."""

    def __init__(self, port: int | None = None, log: Path | None = None, extra: list[str] | None = None,
                 floor: bool = False, script: str | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._own_log = log is None  # a log nobody asked for is removed on stop
        self.log = log or Path(tempfile.gettempdir()) / f"convviz-streamlit-{self.port}.log"
        script = FLOOR_APP if floor and script is None else script
        self._floor_dir = tempfile.TemporaryDirectory(prefix="streamlit-floor-") if script else None
        cwd, flags = ROOT, [*STREAMLIT_FLAGS, *(extra or [])]
        if self._floor_dir is not None:
            cwd = Path(self._floor_dir.name)
            (cwd / "streamlit_app.py").write_text(script or "")
            flags = [*STREAMLIT_FLAGS, *FLOOR_FLAGS]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", *flags],
                cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_healthy(self.url)
        except RuntimeError:
            text = self.log.read_text()[-3000:]
            self.stop()
            raise RuntimeError(f"streamlit did not start; its log:\n{text}") from None

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._own_log:
            self.log.unlink(missing_ok=True)
        if self._floor_dir is not None:
            self._floor_dir.cleanup()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far (fields 14 and 15 of /proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---------------------------------------------------------------------------------------------- light client


@dataclass
class Run:
    """One rerun as a student's browser would see it."""

    seconds: float
    problems: list[str] = field(default_factory=list)  # exceptions, error alerts, timeouts, disconnects

    @property
    def ok(self) -> bool:
        return not self.problems


def problem_in(msg: ForwardMsg) -> str | None:
    """An exception or an error alert in one ForwardMsg, as one line (None when there is none)."""
    kind = msg.WhichOneof("type")
    if kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
        return f"compile error: {msg.session_event.script_compilation_exception.message}"
    if kind == "page_not_found":
        return "page not found"
    if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    which = element.WhichOneof("type")
    if which == "exception":
        return f"exception {element.exception.type}: {element.exception.message}"[:300]
    if which == "alert" and element.alert.format == Alert.ERROR:
        return f"st.error: {element.alert.body}"[:300]
    return None


def widget_ids(msg: ForwardMsg) -> dict[str, tuple[str, str]]:
    """``{key: (element id, element type)}`` for widgets with a user key in one delta."""
    if msg.WhichOneof("type") != "delta":
        return {}
    delta = msg.delta
    which = delta.WhichOneof("type")
    if which not in ("new_element", "add_block"):  # widgets are elements; keyed containers (tabs) are blocks
        return {}
    holder: Any = delta.new_element if which == "new_element" else delta.add_block
    kind: str | None = holder.WhichOneof("type")
    part = getattr(holder, kind) if kind else None
    element_id = getattr(part, "id", "") if part is not None and hasattr(part, "id") else ""
    if not element_id or not element_id.startswith("$$ID-"):
        return {}
    key = element_id.split("-", 2)[-1]
    return {} if key == "None" else {key: (element_id, str(kind))}


class LightSession:
    """One browser tab's worth of protocol, without the browser.

    ``await open()`` connects (after a GET of the page, which picks up a sticky-session cookie behind a proxy)
    and runs the script once; ``await rerun({"stride": 3})`` sends the changed widget values together with
    everything changed before (as the browser's widget manager does) and waits for ``script_finished``.
    """

    def __init__(self, url: str, query: str = "", timeout: float = 30.0):
        self.url, self.query, self.timeout = url.rstrip("/"), query, timeout
        self.ids: dict[str, tuple[str, str]] = {}  # widget key -> (element id, type), from the last runs
        self.values: dict[str, Any] = {}  # what this student changed so far
        self.cached: dict[str, str | None] = {}  # message hash -> problem in it (the browser's message cache)
        self.messages = 0
        self._problems: list[str] = []
        self._finished: asyncio.Future[int] | None = None
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self.jar = http.cookiejar.CookieJar()
        self.page_status = 0  # the HTTP status of the page's GET
        self.session_id = ""  # the server's id of this session (new_session), for uploads
        self._file_urls: asyncio.Future[Any] | None = None

    async def open(self) -> Run:
        page = f"{self.url}/?{self.query}" if self.query else f"{self.url}/"

        def get() -> int:
            try:
                with no_proxy_opener(self.jar).open(page, timeout=self.timeout) as response:
                    response.read()
                    return int(response.status)
            except urllib.error.HTTPError as error:  # a link too long for the HTTP layer: 400, no page
                return int(error.code)

        self.page_status = await asyncio.to_thread(get)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        self._ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.url, proxy=None,  # type: ignore
                                 additional_headers={"Cookie": cookie} if cookie else None, max_size=None,
                                 ping_interval=None, open_timeout=self.timeout)
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def upload(self, key: str, name: str, data: bytes) -> tuple[int, Run | None]:
        """Upload ``data`` as ``name`` into the file uploader ``key`` as the browser does: ask the session for an
        upload URL (``file_urls_request``), PUT the file there (multipart, with the XSRF cookie and header), then
        rerun with the uploader's new state. Returns the PUT's HTTP status and the rerun (None when the PUT
        was refused: the browser then shows the uploader's own error and sends nothing)."""
        request = BackMsg()
        request.file_urls_request.request_id = f"abuse-{time.monotonic_ns()}"
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        self._file_urls = asyncio.get_running_loop().create_future()
        await self._ws.send(request.SerializeToString())
        urls = (await asyncio.wait_for(self._file_urls, self.timeout)).file_urls[0]

        def put() -> int:
            opener = no_proxy_opener(self.jar)
            with opener.open(f"{self.url}/_stcore/health", timeout=self.timeout) as response:  # sets the XSRF cookie
                response.read()
            xsrf = next((c.value for c in self.jar if c.name == "_streamlit_xsrf"), "")
            boundary = "convvizabuse"
            body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                    f"Content-Type: application/json\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
            put = urllib.request.Request(f"{self.url}{urls.upload_url}", data=body, method="PUT", headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf})
            try:
                with opener.open(put, timeout=self.timeout) as response:
                    response.read()
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return int(error.code)
            except OSError:  # the server answered 413 and closed the connection while the body was still sent
                return -1

        status = await asyncio.to_thread(put)
        if status >= 300:
            return status, None
        state = FileUploaderState()
        info = state.uploaded_file_info.add(name=name, size=len(data), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        return status, await self.rerun({key: state})

    async def rerun(self, changes: dict[str, Any] | None = None) -> Run:
        """Change widgets (by key) and wait for the rerun to finish."""
        self.values.update(changes or {})
        missing = [key for key in self.values if key not in self.ids]
        if missing:
            return Run(0.0, [f"no widget with key {', '.join(missing)} on the page"])
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = ""
        state.widget_states.SetInParent()
        state.cached_message_hashes.extend(self.cached)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.url}/"
        for key, value in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = self.ids[key][0]
            if isinstance(value, FileUploaderState):
                widget.file_uploader_state_value.CopyFrom(value)
            elif isinstance(value, bool):
                widget.bool_value = value
            elif isinstance(value, (int, float)):
                widget.double_value = float(value)
            else:
                widget.string_value = str(value)
        self._problems = []
        self._finished = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(asyncio.shield(self._finished), self.timeout)
        except TimeoutError:
            return Run(time.perf_counter() - start, [f"timeout after {self.timeout:.0f} s"])
        except (ConnectionClosed, OSError, RuntimeError) as error:
            return Run(time.perf_counter() - start, [f"connection: {error!r}"[:200]])
        return Run(time.perf_counter() - start, list(self._problems))

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.messages += 1
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._on_message(msg)
        except (ConnectionClosed, OSError) as error:
            if self._finished is not None and not self._finished.done():
                self._finished.set_exception(RuntimeError(f"disconnected: {error!r}"))

    def _on_message(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
        if kind == "file_urls_response" and self._file_urls is not None and not self._file_urls.done():
            self._file_urls.set_result(msg.file_urls_response)
        if kind == "ref_hash":  # the server trusts our cache: the message is one we already have
            problem = self.cached.get(msg.ref_hash)
        else:
            problem = problem_in(msg)
            if msg.metadata.cacheable and msg.hash:
                self.cached[msg.hash] = problem
            self.ids.update(widget_ids(msg))
        if problem:
            self._problems.append(problem)
        waiting = self._finished is not None and not self._finished.done()
        if kind == "script_finished" and msg.script_finished != EARLY and waiting:
            self._finished.set_result(int(msg.script_finished))  # type: ignore[union-attr]


def random_change(rng: random.Random, choices: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    choices = choices or CHOICES
    key = rng.choice(list(choices))
    return {key: rng.choice(choices[key])}


# ---------------------------------------------------------------------------------------------- one real page


ARM_JS = """([label, timeoutMs]) => {
  // Times, from the Enter that commits the sidebar number input ``label``: until the output table's canvas
  // repaints (what the student sees) and until its accessible text shows new numbers (proof that the repaint
  // was the new output; the grid updates that text ~0.2 s after it paints). Result: window.__convvizProbe =
  // [painted ms, text ms], or [-1, -1] on a timeout.
  const input = document.querySelector(`[data-testid='stSidebar'] input[aria-label='${label}']`);
  const frame = () => document.querySelector("[data-testid='stDataFrame']");
  const text = () => { const t = frame() && frame().querySelector("table"); return t ? t.innerText : ""; };
  const pixels = () => {
    const c = frame() && frame().querySelector("canvas");
    if (!c || !c.width || !c.height) return "";
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum = (sum * 31 + data[i] + data[i + 1] + data[i + 2]) % 2147483647;
    return `${c.width}x${c.height}:${sum}`;
  };
  const before = text(), painted = pixels();
  let armed = true;
  window.__convvizProbe = new Promise(resolve => {
    input.addEventListener("keydown", async event => {
      if (event.key !== "Enter" || !armed) return;
      armed = false;
      const start = performance.now();
      let paint = null;
      while (text() === before || !text()) {
        if (performance.now() - start > timeoutMs) { resolve([-1, -1]); return; }
        await new Promise(r => requestAnimationFrame(r));
        if (paint === null && pixels() !== painted) paint = performance.now() - start;
      }
      const done = performance.now() - start;
      resolve([paint === null ? done : paint, done]);
    }, {capture: true});
  });
}"""


async def change_and_time(page: Any, label: str, value: int, timeout_ms: int = 20_000) -> tuple[float, float]:
    """Type ``value`` into the sidebar input ``label`` and press Enter: seconds until the output table repainted
    and until its text changed (both -1 on a timeout)."""
    await page.evaluate(ARM_JS, [label, timeout_ms])
    field = page.locator(f"[data-testid='stSidebar'] input[aria-label='{label}']")
    await field.fill(str(value))
    await field.press("Enter")
    painted, text = await page.evaluate("window.__convvizProbe")
    return painted / 1000 if painted >= 0 else -1.0, text / 1000 if text >= 0 else -1.0


async def browser_probe(url: str, until: float, rng: random.Random, out: list[tuple[float, float]],
                        problems: list[str]) -> None:
    """One Chromium page: every 3-5 s set stride to 3 or back to 2 and time it until the output table changes."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            await page.goto(f"{url}/", timeout=120_000)
            await page.wait_for_selector("[data-testid='stDataFrame'] table", state="attached", timeout=120_000)
            value = 3
            while time.monotonic() < until - 6:
                await asyncio.sleep(rng.uniform(3, 5))
                painted, text = await change_and_time(page, "stride", value)
                if painted < 0:
                    problems.append("browser: output did not change within 20 s")
                else:
                    out.append((painted, text))
                value = 5 - value
            found = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
            for i in range(await found.count()):
                problems.append(f"browser: error on the page: {(await found.nth(i).inner_text())[:200]!r}")
        except Exception as error:  # a broken probe is reported, it does not stop the students
            problems.append(f"browser: {error!r}"[:300])
        finally:
            await browser.close()


# ---------------------------------------------------------------------------------------------- the abusers


def largest_input(seed: int) -> str:
    """The largest input text the app accepts: exactly ``text_limit("input")`` characters of valid numbers,
    batch_size 4 × in_channels 16 × length 128 (every cap at its largest), spaces after the commas filling the
    rest. It parses: the app reads it and draws the page for it (sent with ``in_channels`` 16, typed input)."""
    rng = random.Random(seed)
    shape = (4, 16, 128)  # (N, C_in, L): batch_size, in_channels and length at their caps
    numbers = iter(f"{rng.uniform(-1, 1):.16f}" for _ in range(shape[0] * shape[1] * shape[2]))
    rows = ["[" + ",".join(next(numbers) for _ in range(shape[2])) + "]" for _ in range(shape[0] * shape[1])]
    dense = "[" + ",".join("[" + ",".join(rows[n * shape[1]:(n + 1) * shape[1]]) + "]" for n in range(shape[0])) + "]"
    commas = dense.count(",")
    per, extra = divmod(text_limit("input") - len(dense), commas)
    parts = dense.split(",")
    text = parts[0] + "".join("," + " " * (per + (i < extra)) + part for i, part in enumerate(parts[1:]))
    assert len(text) == text_limit("input"), len(text)
    return text


# Links one value over their field's limit (links.LINK_FIELDS): bias_text reaches the page as a browser sends it;
# weight_text (262,401 characters, under Streamlit's 524,288 query cap) is refused by the HTTP layer before the
# page loads (400), so the light session then sends it over the websocket as a page that did load would.
OVERSIZED_LINKS = {"bias_text": text_limit("bias") + 1, "weight_text": text_limit("weight") + 1}
MB = 2**20
# Configuration files: one over the app's limit but under the upload cap (the app refuses it: st.error), one over
# the 1 MB upload cap (.streamlit/config.toml; Streamlit refuses the PUT: 413).
UPLOADS = {"under 1 MB": MB - 4096, "over 1 MB": MB + 4096}
assert UPLOADS["under 1 MB"] > CONFIG_FILE_LIMIT


@dataclass
class Abuse:
    """One action of an abusing student: what it sent, how long until the page answered, and whether the app
    did what it should (the paste accepted; the link and the upload refused with a message)."""

    kind: str
    seconds: float
    expected: bool
    outcome: str


def refusal(run: Run, *words: str) -> str | None:
    """The st.error in ``run`` that names all of ``words`` (Markdown-escaped underscores read as plain)."""
    for problem in run.problems:
        plain = problem.replace("\\", "")
        if problem.startswith("st.error") and all(word in plain for word in words):
            return plain
    return None


async def abusers(url: str, until: float, rng: random.Random, timeout: float, out: list[Abuse]) -> None:
    """Three students for the abuse phase, each acting every 2-6 s as the others do: one pastes the largest
    accepted input (a new one each time, so no cache helps), one opens oversized links (a new tab each time),
    one uploads oversized configuration files."""

    async def paste() -> None:
        student = LightSession(url, timeout=timeout)
        try:
            await student.open()
            await student.rerun({"in_channels": 16})
            await student.rerun({"input_mode": "typed"})  # the input box appears (prefilled from the seed)
            serial = 0
            while time.monotonic() + 6 < until:
                await asyncio.sleep(rng.uniform(2, 6))
                serial += 1
                run = await student.rerun({"input_text": largest_input(serial)})
                out.append(Abuse("paste (largest accepted input)", run.seconds, run.ok,
                                 "accepted" if run.ok else run.problems[0][:160]))
        finally:
            await student.close()

    async def link() -> None:
        names = list(OVERSIZED_LINKS)
        serial = 0
        while time.monotonic() + 6 < until:
            await asyncio.sleep(rng.uniform(2, 6))
            name = names[serial % len(names)]
            serial += 1
            student = LightSession(url, query=f"{name}={'1' * OVERSIZED_LINKS[name]}", timeout=timeout)
            start = time.perf_counter()
            try:
                run = await student.open()
                said = refusal(run, f"{name} in the link", "is more than")
                out.append(Abuse(f"link {name} {OVERSIZED_LINKS[name]:,} chars", time.perf_counter() - start,
                                 said is not None, f"page GET {student.page_status}; "
                                 + (said or f"no refusal: {run.problems[:1]}")[:160]))
            finally:
                await student.close()

    async def upload() -> None:
        student = LightSession(url, timeout=timeout)
        kinds = list(UPLOADS)
        try:
            await student.open()
            serial = 0
            while time.monotonic() + 6 < until:
                await asyncio.sleep(rng.uniform(2, 6))
                kind = kinds[serial % len(kinds)]
                serial += 1
                size = UPLOADS[kind]
                data = b'{"input": [' + b" " * (size - 13) + b"]}"
                start = time.perf_counter()
                status, run = await student.upload("config_file", f"config-{serial}.json", data)
                seconds = time.perf_counter() - start
                if run is None:  # refused before the app saw it: right for the file over the upload cap only
                    out.append(Abuse(f"upload {kind} ({size:,} bytes)", seconds, size > MB and status in (413, -1),
                                     f"PUT {status if status > 0 else 'closed by the server (413 while sending)'}"))
                    continue
                said = refusal(run, "configuration file", "is more than")
                out.append(Abuse(f"upload {kind} ({size:,} bytes)", seconds, said is not None,
                                 f"PUT {status}; " + (said or f"no refusal: {run.problems[:1]}")[:160]))
        finally:
            await student.close()

    results = await asyncio.gather(paste(), link(), upload(), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            out.append(Abuse("abuser", 0.0, False, f"failed: {result!r}"[:200]))


# ---------------------------------------------------------------------------------------------- the phases


@dataclass
class Phase:
    name: str
    runs: list[Run] = field(default_factory=list)
    cpu: float = 0.0
    wall: float = 0.0
    extra: int = 0  # reruns of the browser page in the same window (in the CPU, not in the latencies)

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        """Server CPU per rerun, ms."""
        return 1000 * self.cpu / max(1, len(self.runs) + self.extra)

    def p(self, q: float) -> float:
        times = sorted(r.seconds for r in self.runs if r.ok)
        return percentile(times, q) if times else float("nan")

    def line(self) -> str:
        times = sorted(r.seconds for r in self.runs if r.ok)
        errors = self.errors
        if not times:
            return f"{self.name:<7} no successful reruns, {errors} errors"
        p50, p95 = percentile(times, 50), percentile(times, 95)
        per = self.cpu_ms
        return (f"{self.name:<7} reruns {len(self.runs):4d}  p50 {p50:6.3f} s  p95 {p95:6.3f} s  max {times[-1]:6.3f} s"
                f"  errors {errors:3d}  server CPU {per:5.0f} ms/rerun ({self.cpu / max(self.wall, 1e-9):4.2f} "
                f"cores)  {(len(self.runs) + self.extra) / max(self.wall, 1e-9):5.1f} reruns/s")


def percentile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[int(q) - 1]


async def measure(phase: Phase, pids: list[int], work: Any) -> Any:
    """Await ``work``, adding its wall time and the server's CPU time to ``phase``."""
    cpu, wall = cpu_seconds(pids), time.monotonic()
    result = await work
    phase.cpu += cpu_seconds(pids) - cpu
    phase.wall += time.monotonic() - wall
    return result


async def classroom(url: str, pids: list[int], sessions: int, duration: float, browser: bool, seed: int,
                    timeout: float, spread: Any = None, choices: dict[str, list[Any]] | None = None,
                    abuse: bool = False) -> dict[str, Any]:
    """Join, steady and burst phases for ``sessions`` students; ``spread()`` counts sessions per replica;
    ``choices``: the controls they change and their values (default ``CHOICES``); ``abuse``: after steady,
    the same students work as in steady for as long again while three more abuse the app (``abusers``)."""
    rng = random.Random(seed)
    students = [LightSession(url, timeout=timeout) for _ in range(sessions)]
    join, steady, burst = Phase("join"), Phase("steady"), Phase("burst")
    others = Phase("abuse")  # the other students' reruns while the abusers act
    abuses: list[Abuse] = []
    peak = {"rss": rss_mb(pids)}
    stop_sampling = asyncio.Event()

    async def sample() -> None:
        while not stop_sampling.is_set():
            peak["rss"] = max(peak["rss"], rss_mb(pids))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_sampling.wait(), 1.0)

    async def arrive(student: LightSession, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            join.runs.append(await student.open())
        except (OSError, ConnectionClosed, TimeoutError) as error:
            join.runs.append(Run(0.0, [f"connect: {error!r}"[:200]]))

    async def work(student: LightSession, own: random.Random, until: float, phase: Phase = steady) -> None:
        while True:
            pause = own.uniform(2, 6)
            if time.monotonic() + pause > until:
                return
            await asyncio.sleep(pause)
            phase.runs.append(await student.rerun(random_change(own, choices)))

    sampler = asyncio.create_task(sample())
    load_before = load_average()
    probe_times: list[tuple[float, float]] = []
    probe_problems: list[str] = []
    replicas = None
    try:
        # Students arrive over a few seconds, as a class opening a link does.
        arrival = min(5.0, 0.15 * sessions)
        await measure(join, pids, asyncio.gather(*(arrive(s, rng.uniform(0, arrival)) for s in students)))
        connected = [s for s in students if s._ws is not None]
        until = time.monotonic() + duration
        tasks = [work(s, random.Random(rng.random()), until) for s in connected]
        if browser:
            tasks.append(browser_probe(url, until, random.Random(rng.random()), probe_times, probe_problems))
        await measure(steady, pids, asyncio.gather(*tasks))
        steady.extra = len(probe_times)
        if abuse:
            until = time.monotonic() + duration
            await measure(others, pids, asyncio.gather(
                *(work(s, random.Random(rng.random()), until, others) for s in connected),
                abusers(url, until, random.Random(rng.random()), timeout, abuses)))
            others.extra = len(abuses)  # their server CPU is in the phase's; count their actions as reruns
        replicas = spread() if spread else None
        # Burst: everyone changes a control at the same instant ("now set stride to 3"), twice.
        for value in (3, 2):
            burst.runs += await measure(burst, pids, asyncio.gather(*(s.rerun({"stride": value}) for s in connected)))
    finally:
        stop_sampling.set()
        await sampler
        await asyncio.gather(*(s.close() for s in students), return_exceptions=True)
    return {"sessions": sessions, "phases": [join, steady, *([others] if abuse else []), burst], "rss": peak["rss"],
            "probe": probe_times, "replicas": replicas, "abuses": abuses,
            "probe_problems": probe_problems, "load": (load_before, load_average()), "pids": pids}


async def one_student(url: str, pids: list[int], floor: bool, reruns: int = 30) -> dict[str, float]:
    """Server CPU ms per rerun for one student alone: a configuration already cached (stride back and forth)
    and, for convviz, one nobody asked for before (a new seed each time)."""
    student = LightSession(url)
    await student.open()
    found: dict[str, float] = {}
    try:
        for _ in range(4):  # both strides cached
            await student.rerun({"stride": 3})
            await student.rerun({"stride": 2})
        kinds = {"cached": lambda i: {"stride": 2 + i % 2}}
        if not floor:
            kinds["new"] = lambda i: {"seed": 100_000 + i}
        for kind, change in kinds.items():
            before = cpu_seconds(pids)
            for i in range(reruns):
                run = await student.rerun(change(i))
                if not run.ok:
                    raise RuntimeError(f"one student: {run.problems}")
                await asyncio.sleep(0.05)  # as a student: one change, then the next
            found[kind] = 1000 * (cpu_seconds(pids) - before) / reruns
    finally:
        await student.close()
    return found


def report(result: dict[str, Any], label: str) -> None:
    """Print one session count's numbers (flushed, so a log shows them while the next count runs)."""
    print(f"\n== {label}: {result['sessions']} sessions · load average {result['load'][0]} -> {result['load'][1]}"
          f" · peak RSS {result['rss']:.0f} MB ({len(result['pids'])} server processes)")
    for phase in result["phases"]:
        print("  " + phase.line())
        problems: dict[str, int] = {}
        for run in phase.runs:
            for problem in run.problems:
                problems[problem] = problems.get(problem, 0) + 1
        for problem, count in sorted(problems.items(), key=lambda item: -item[1])[:5]:
            print(f"      {count} × {problem}")
    if result["probe"]:
        painted, text = (sorted(times) for times in zip(*result["probe"]))
        print(f"  browser page, stride typed + Enter -> output repainted: n {len(painted)}  p50 "
              f"{percentile(painted, 50):.3f} s  p95 {percentile(painted, 95):.3f} s  max {painted[-1]:.3f} s"
              f"  (table text: p50 {percentile(text, 50):.3f} s)")
    for line in abuse_lines(result):
        print(line)
    if result["replicas"]:
        print(f"  websocket sessions per replica (nginx's spread): {result['replicas']}")
    for problem in result["probe_problems"]:
        print("  " + problem)


def abuse_lines(result: dict[str, Any]) -> list[str]:
    """The abusers' actions (did each get what it should?) and the others' p95 against steady's, same run."""
    phases = {phase.name: phase for phase in result["phases"]}
    if "abuse" not in phases:
        return []
    lines = []
    kinds: dict[str, list[Abuse]] = {}
    for action in result["abuses"]:
        kinds.setdefault(action.kind, []).append(action)
    for kind, actions in kinds.items():
        times = sorted(a.seconds for a in actions)
        good = sum(a.expected for a in actions)
        lines.append(f"  abuser {kind}: {len(actions)} times, answered in p50 {percentile(times, 50):.3f} s max "
                     f"{times[-1]:.3f} s; as it should {good}/{len(actions)}: {actions[0].outcome}")
        lines += [f"      not as it should: {a.outcome}" for a in actions if not a.expected][:3]
    steady, others = phases["steady"], phases["abuse"]
    ratio_p95 = others.p(95) / steady.p(95)
    ok = ratio_p95 <= 1.2 and others.errors == 0 and all(a.expected for a in result["abuses"])
    lines.append(f"  {'met ' if ok else 'MISSED'} the others' p95 with the abusers {others.p(95):.3f} s = "
                 f"{ratio_p95:.2f}x steady's {steady.p(95):.3f} s (target within 1.2x, 0 errors: {others.errors} "
                 f"errors); abusers answered as they should {sum(a.expected for a in result['abuses'])}/"
                 f"{len(result['abuses'])}")
    return lines


def local_only(url: str) -> str:
    host = urllib.parse.urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        sys.exit(f"--url must point at this machine (127.0.0.1 or localhost), not {host!r}")
    return url.rstrip("/")


def load_serve() -> Any:
    spec = importlib.util.spec_from_file_location("convviz_serve", Path(__file__).parent / "serve" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sgemm_gflops(n: int = 1024, repeats: int = 5) -> float:
    """NumPy float32 ``a @ a`` rate, best of ``repeats``: how fast this machine is at this moment."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def machine() -> str:
    return f"{os.cpu_count()} cores · numpy sgemm {sgemm_gflops():.0f} GFLOP/s · load average {load_average()}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:5.1f}x" if b > 0 else "   - "


def compare(project: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    """convviz beside the floor (same students, same run), with ratios and the targets."""
    (steady, burst), (floor_steady, floor_burst) = ([next(p for p in result["phases"] if p.name == name)
                                                     for name in ("steady", "burst")] for result in (project, floor))
    n = project["sessions"]
    lines = [f"\n== convviz vs the empty app, {n} sessions, same run",
             f"  {'':<10} {'CPU/rerun':>10} {'steady p50':>11} {'p95':>8} {'burst p50':>10} {'p95':>8} {'errors':>7}"]
    for name, st, bu in (("convviz", steady, burst), ("empty app", floor_steady, floor_burst)):
        lines.append(f"  {name:<10} {st.cpu_ms:7.1f} ms {st.p(50):9.3f} s {st.p(95):6.3f} s {bu.p(50):8.3f} s "
                     f"{bu.p(95):6.3f} s {st.errors + bu.errors:7d}")
    lines.append(f"  {'ratio':<10} {ratio(steady.cpu_ms, floor_steady.cpu_ms):>10} "
                 f"{ratio(steady.p(50), floor_steady.p(50)):>11} {ratio(steady.p(95), floor_steady.p(95)):>8} "
                 f"{ratio(burst.p(50), floor_burst.p(50)):>10} {ratio(burst.p(95), floor_burst.p(95)):>8}")
    cpu_ratio = steady.cpu_ms / max(floor_steady.cpu_ms, 1e-9)
    errors = sum(phase.errors for phase in project["phases"] if phase.name != "abuse")
    checks = [(f"CPU per rerun {cpu_ratio:.1f}x the empty app's (target <= 4x)", cpu_ratio <= 4)]
    if n >= 40:
        checks += [(f"steady p95 {steady.p(95):.3f} s (target <= 0.5 s), {errors} errors (target 0)",
                    steady.p(95) <= 0.5 and errors == 0),
                   (f"burst p95 {burst.p(95):.3f} s (target <= 1.5 s)", burst.p(95) <= 1.5)]
    lines += [f"  {'met ' if ok else 'MISSED'} {text}" for text, ok in checks]
    alone, floor_alone = project.get("alone", {}), floor.get("alone", {})
    if alone and floor_alone:
        lines.append(f"  one student alone, server CPU per rerun: convviz {alone['cached']:.1f} ms for a cached "
                     f"configuration ({ratio(alone['cached'], floor_alone['cached']).strip()} the empty app's "
                     f"{floor_alone['cached']:.1f} ms), {alone['new']:.1f} ms for a new one "
                     f"({ratio(alone['new'], floor_alone['cached']).strip()})")
    return lines + abuse_lines(project)[-1:]


def run_count(args: Any, n: int, browser: bool, floor: bool) -> dict[str, Any]:
    """One session count against convviz (or the floor), started as the README says, or at ``--url``."""
    server: Any = None
    try:
        if floor:
            server = Server(floor=True)
            url, pids, label = server.url, server.pids, "the empty app (floor)"
        elif args.url:
            url, pids, label = local_only(args.url), [int(p) for p in args.pids.split(",") if p], args.url
        elif args.replicas:
            server = load_serve().Cluster(args.replicas, extra=args.streamlit_arg)
            url, pids, label = server.url, server.pids, f"convviz, {args.replicas} replicas behind nginx"
        else:
            server = Server(extra=args.streamlit_arg)
            url, pids, label = server.url, server.pids, "convviz, `streamlit run streamlit_app.py`"
        spread = functools.partial(load_serve().established, server.ports) \
            if args.replicas and not args.url and not floor else None
        result = asyncio.run(asyncio.wait_for(
            classroom(url, pids, n, args.duration, browser and not floor, args.seed, args.timeout, spread,
                      FLOOR_CHOICES if floor else None, args.abuse and not floor),
            args.duration * (2 if args.abuse else 1) + 110))
        result["alone"] = asyncio.run(asyncio.wait_for(one_student(url, pids, floor), 120))
        report(result, label + ("" if floor else "".join(f" {a}" for a in args.streamlit_arg)))
        return result
    finally:
        if server is not None:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="40", help="comma-separated session counts (each <= 100)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of steady load per count")
    parser.add_argument("--rounds", type=int, default=1, help="repeat convviz and the floor this often (1..5), "
                                                              "to see the spread")
    parser.add_argument("--replicas", type=int, default=0, help="K streamlit processes behind nginx (0: one "
                                                                "process, no proxy)")
    parser.add_argument("--url", help="an already running server on this machine (default: start one)")
    parser.add_argument("--pids", default="", help="with --url: comma-separated server pids for CPU and RSS")
    parser.add_argument("--no-browser", action="store_true", help="skip the real Chromium page")
    parser.add_argument("--no-floor", action="store_true", help="skip the empty app")
    parser.add_argument("--abuse", action=argparse.BooleanOptionalAction, default=True,
                        help="after steady, as long again with three abusers among the students (convviz only): "
                             "the largest accepted paste, oversized links, oversized configuration uploads")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a rerun counts as an error")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--streamlit-arg", action="append", default=[], metavar="ARG",
                        help="passed to convviz's server (not the floor's), e.g. --streamlit-arg=--server.port=0; "
                             "the measured figures use none")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # numbers show up as they come
    counts = [int(n) for n in args.sessions.split(",")]
    if not all(1 <= n <= MAX_SESSIONS for n in counts) or not 1 <= args.duration <= MAX_DURATION \
            or not 1 <= args.rounds <= 5:
        sys.exit(f"sessions must be 1..{MAX_SESSIONS}, --duration 1..{MAX_DURATION} s, --rounds 1..5")
    browser = not args.no_browser and Path(CHROMIUM).exists() and importlib.util.find_spec("playwright") is not None
    if not args.no_browser and not browser:
        print("no Chromium: skipping the browser page (apt-get install -y chromium; pip install playwright)")
    # Bounded in time: whatever happens, this process ends (and its servers with it, in the finally below).
    deadline = args.rounds * sum(3 * args.duration + 300 for _ in counts) + 60

    def give_up(*_: Any) -> None:
        raise SystemExit(f"classroom bench: hard deadline of {deadline:.0f} s reached, stopping")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(int(deadline))
    print(f"convviz classroom bench · {machine()} · hard deadline {deadline:.0f} s")
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    summary: list[str] = []
    for round_ in range(args.rounds):
        for n in counts:
            project = run_count(args, n, browser, floor=False)
            if not args.no_floor:
                summary += [f"\n(round {round_ + 1} of {args.rounds})" if args.rounds > 1 else "",
                            *compare(project, run_count(args, n, browser, floor=True))]
            if project["probe"]:
                painted = sorted(t for t, _ in project["probe"])
                summary.append(f"  browser page, change -> output repainted (convviz, {n} sessions): p50 "
                               f"{percentile(painted, 50):.3f} s  p95 {percentile(painted, 95):.3f} s")
    for line in summary:
        print(line)
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(f"\n{machine()} (after) · this bench process used "
          f"{used.ru_utime + used.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime:.1f} s CPU for the light "
          f"sessions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
