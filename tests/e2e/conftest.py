"""End-to-end fixtures: one streamlit server per session, one headless Chromium per module, a page per test.

A rerun is awaited on the page's own websocket (``/_stcore/stream``): the test counts the ``script_finished``
ForwardMsgs the server sends, so it neither sleeps nor trusts ``data-test-script-state`` alone (which can miss
a quick rerun under load). On a machine without Chromium or Playwright every e2e test skips, with one line
saying how to install them. A failing test leaves a screenshot, named in its report.
"""
from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_ui import RERUN_TIMEOUT, UI

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CONVVIZ_CHROMIUM", "/usr/bin/chromium")  # Debian's; override for other systems
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL = "e2e skipped (no Chromium or Playwright): apt-get install -y chromium && pip install -r requirements-dev.txt"
MISSING = not Path(CHROMIUM).exists() or importlib.util.find_spec("playwright") is None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MISSING:
        for item in items:
            if item.get_closest_marker("e2e") and Path(str(item.fspath)).parent == Path(__file__).parent:
                item.add_marker(pytest.mark.skip(reason=INSTALL))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MISSING and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(INSTALL)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure, save a screenshot of the test's page and name it in the report."""
    report = yield
    ui = getattr(item, "funcargs", {}).get("ui")
    if report.failed and ui is not None and report.when in ("setup", "call"):
        folder = Path(os.environ.get("CONVVIZ_E2E_SHOTS", "/tmp/convviz-e2e-failures"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name) + ".png")
        try:
            ui.page.screenshot(path=str(path), full_page=True)
            report.sections.append(("e2e screenshot", f"{path}\nurl: {ui.page.url}"))
        except Exception as error:  # the page may be gone; the failure itself matters more
            report.sections.append(("e2e screenshot", f"could not save: {error!r}"))
    return report


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` on a free localhost port, for the whole session."""
    if MISSING:
        pytest.skip(INSTALL)
    port = free_port()
    log = tmp_path_factory.mktemp("e2e-server") / "streamlit.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if opener.open(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Not per session: a running sync Playwright keeps an asyncio loop in this
    thread, and other tests that start their own (tests/test_figures.py) would fail inside it."""
    if MISSING:
        pytest.skip(INSTALL)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=RERUN_TIMEOUT * 1000 / 3)  # the default 5 s is short on a busy 2-core machine
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def ui(browser: Any, server: str) -> Iterator[UI]:
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(RERUN_TIMEOUT * 1000)
    yield UI(page, server)
    context.close()
