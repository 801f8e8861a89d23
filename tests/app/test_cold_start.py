"""A class opening the link together: many sessions starting at once on a cold server must not crash.

Streamlit 1.67 with Plotly 7.1 used to fail here with "partially initialized module 'pandas'" (plotly imports
pandas lazily, from several script threads at once); ``streamlit_app.py`` imports it eagerly. Each session is a
plain client of Streamlit's websocket (``/_stcore/stream``): it asks for one script run with a link's query
and reads the messages until the run finishes, keeping any exception or error they carry.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 16
LINKS = ("", "stride=3&tab=Hand+calculation", "mode=Presenter&step=3", "tab=Overlap&kernel_size=4")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_run(url: str, query: str, timeout: float = 120.0) -> list[str]:
    """Open a session with ``?query``, run the script once; the problems its messages carried."""
    import websocket
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws = websocket.create_connection(url.replace("http", "ws") + "/_stcore/stream", timeout=timeout,
                                     subprotocols=["streamlit"], http_no_proxy=["127.0.0.1"])
    try:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.widget_states.SetInParent()
        msg.rerun_script.context_info.url = f"{url}/"
        ws.send_binary(msg.SerializeToString())
        problems: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = ws.recv()
            if not isinstance(data, bytes):
                continue
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return problems
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    problems.append(f"{element.exception.type}: {element.exception.message}"[:300])
                elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                    problems.append(f"st.error: {element.alert.body}"[:300])
        return [*problems, f"no script_finished within {timeout:.0f} s"]
    finally:
        ws.close()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_many_sessions_starting_together_on_a_cold_server(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    with log.open("wb") as out:  # a fresh process: nothing imported by a session yet
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
                                   "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for _ in range(300):
            try:
                if opener.open(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        with ThreadPoolExecutor(SESSIONS) as pool:  # every session at the same moment, then again
            runs = list(pool.map(lambda n: one_run(url, LINKS[n % len(LINKS)]), range(2 * SESSIONS)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems = [problem for run in runs for problem in run]
    text = log.read_text()
    assert not problems, f"{len(problems)} problems, e.g. {problems[:3]}\n{text[-2000:]}"
    assert "Traceback" not in text and "partially initialized" not in text, text[-3000:]
