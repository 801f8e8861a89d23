"""A class opening the link together: many sessions starting at once on a cold server must not crash.

Streamlit 1.67 with Plotly 7.1 used to fail here with "partially initialized module 'pandas'" (plotly imports
pandas lazily, from several script threads at once); ``streamlit_app.py`` imports it eagerly. The sessions are
light clients of Streamlit's own websocket protocol (bench/classroom.py), so no browser is needed.
"""
from __future__ import annotations

import asyncio
import importlib.util
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 16


def load_classroom() -> Any:
    spec = importlib.util.spec_from_file_location("convviz_classroom", ROOT / "bench" / "classroom.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_many_sessions_starting_together_on_a_cold_server(tmp_path: Path) -> None:
    classroom = load_classroom()
    server = classroom.Server(log=tmp_path / "streamlit.log")  # fresh process: nothing imported by a session yet

    async def start_together() -> list[Any]:
        sessions = [classroom.LightSession(server.url, timeout=120) for _ in range(SESSIONS)]
        try:
            first = await asyncio.gather(*(s.open() for s in sessions))
            # and everyone changes something at once, on a server that has only just warmed up
            second = await asyncio.gather(*(s.rerun({"stride": 3, "tab": "Hand calculation"}) for s in sessions))
            return [*first, *second]
        finally:
            await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)

    try:  # in a thread of its own: Playwright's sync API (e2e tests in the same run) keeps a loop in this one
        with ThreadPoolExecutor(1) as pool:
            runs = pool.submit(lambda: asyncio.run(start_together())).result()
    finally:
        server.stop()
    problems = [problem for run in runs for problem in run.problems]
    assert not problems, f"{len(problems)} problems, e.g. {problems[:3]}\n{server.log.read_text()[-2000:]}"
    assert len(runs) == 2 * SESSIONS
    log = server.log.read_text()
    assert "Traceback" not in log and "partially initialized" not in log, log[-3000:]
