"""The app in a real page, driven as a student would: every action waits for its rerun on the websocket."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RERUN_TIMEOUT = 60.0  # seconds; generous because the machine is shared
PROBLEMS = "[data-testid='stException'], [data-testid='stAlertContentError']"


class Stream:
    """Counts ``script_finished`` on the page's ``/_stcore/stream`` and keeps the exceptions it carried."""

    def __init__(self, page: Any):
        self.finished = 0
        self.problems: list[str] = []
        self.ws: Any = None  # the page's current /_stcore/stream
        page.on("websocket", self._attach)

    def _attach(self, ws: Any) -> None:
        if ws.url.endswith("/_stcore/stream"):
            self.ws = ws
            ws.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                self.problems.append(f"{element.exception.type}: {element.exception.message}")
            elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                self.problems.append(f"st.error: {element.alert.body}")


class UI:
    """The app in one Chromium page, driven as a student would; every action waits for its rerun."""

    def __init__(self, page: Any, url: str):
        self.page, self.url = page, url
        self.stream = Stream(page)

    # -- waiting on the websocket
    def rerun(self, action: Callable[[], Any], count: int = 1) -> None:
        """Do ``action`` and wait until the server has finished ``count`` more script runs."""
        start = self.stream.finished
        action()
        self.wait_runs(start + count)

    def wait_runs(self, target: int) -> None:
        """Block on the websocket's frames until ``target`` script runs have finished."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + RERUN_TIMEOUT
        while self.stream.finished < target:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no script_finished on /_stcore/stream within {RERUN_TIMEOUT:.0f} s")
            ws = self.stream.ws
            try:  # wake on every frame (the handler counts them); re-check the socket each second (reconnects)
                if ws is None or ws.is_closed():
                    self.page.wait_for_event("websocket", timeout=min(remaining, 1.0) * 1000)
                else:
                    ws.wait_for_event("framereceived", timeout=min(remaining, 1.0) * 1000)
            except PlaywrightTimeout:
                continue
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                    state="attached", timeout=RERUN_TIMEOUT * 1000)

    def open(self, query: str = "") -> UI:
        self.rerun(lambda: self.page.goto(f"{self.url}/{'?' + query if query else ''}", timeout=120_000))
        return self

    # -- the sidebar
    def number(self, key: str) -> Any:
        """The number input labelled ``key`` (labels equal the argument names)."""
        return self.page.locator(f"[data-testid='stSidebar'] input[aria-label='{key}']")

    def set_number(self, key: str, value: int, where: Any = None) -> None:
        """Type ``value`` into the number input ``key`` (in the sidebar, or in ``where``) and press Enter."""
        field = where.locator(f"input[aria-label='{key}']") if where is not None else self.number(key)

        def type_it() -> None:
            field.fill(str(value))
            field.press("Enter")

        self.rerun(type_it)

    def open_tab(self, name: str) -> None:
        """Open the view ``name``: its group's tab first (a click opens the group's first view), then its own."""
        from convviz.app.pages import BY_TITLE

        for label in (BY_TITLE[name].group, name):
            tab = self.page.get_by_role("tab", name=label, exact=True)
            if tab.get_attribute("aria-selected") != "true":
                self.rerun(tab.click)

    def panel(self) -> Any:
        """The open view's panel (the innermost visible tab panel: the groups' panel holds the views')."""
        return self.page.locator("[role='tabpanel']:visible").last

    # -- what the page shows
    def output(self) -> np.ndarray:
        """The first output table's visible cells as floats, (out_channels, positions shown).

        Reads the grid's accessible table (the canvas has no text). Either orientation works: channels as rows
        ("out 0" …) with positions 0, 1, … as columns, or the transpose; a wide or tall table shows a prefix.
        """
        rows = self.page.locator("[data-testid='stDataFrame'] table").first.evaluate(
            "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")
        assert len(rows) > 1, "output table not rendered yet"
        header, body = rows[0], rows[1:]
        transposed = any(text.startswith("out") for text in header)
        labels = header if not transposed else [row[0] for row in body]
        positions = [i for i, text in enumerate(labels) if text.isdigit()]
        assert positions and labels[positions[0]] == "0", f"unexpected output table labels {labels[:5]}"
        try:
            if transposed:
                channels = [i for i, text in enumerate(header) if text.startswith("out")]
                return np.array([[float(body[p][c]) for p in positions] for c in channels])
            return np.array([[float(row[i]) for i in positions] for row in body])
        except (ValueError, IndexError) as error:  # a table still rendering
            raise AssertionError(f"output table not readable yet: {error}") from None

    def problems(self) -> list[str]:
        found = self.page.locator(PROBLEMS)
        return [found.nth(i).inner_text()[:300] for i in range(found.count())]


def expected_output(**changes: Any) -> np.ndarray:
    """The engine's output for the app's default settings with ``changes``, rounded as the table shows it."""
    from convviz.app.model import build
    from convviz.presets import DEFAULTS

    settings = {**DEFAULTS, "input_mode": "random", "weight_mode": "seeded", **changes}
    y = build(settings).trace.output[0]  # (C_out, L_out) of sample 0
    return np.round(np.asarray(y, dtype=np.float64), 4)


def eventually(check: Callable[[], None], page: Any, timeout: float = 15.0) -> None:
    """Retry ``check`` until it passes: after script_finished the table still has to render its new cells."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(50)


def assert_output(ui: UI, **changes: Any) -> None:
    """The shown output table equals the engine's (on its visible columns), once it has rendered."""
    want = expected_output(**changes)

    def check() -> None:
        shown = ui.output()
        assert shown.shape[0] == want.shape[0], f"{shown.shape[0]} output rows shown, engine has {want.shape[0]}"
        assert shown.shape[1] <= want.shape[1]
        np.testing.assert_allclose(shown, want[:, : shown.shape[1]], atol=1.5e-4)

    eventually(check, ui.page)
