"""AppTest helpers: run the real streamlit_app.py script headless, in-process."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def app():
    def start(tab: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for name, value in query.items():
            at.query_params[name] = value
        if tab is not None:
            at.session_state["tab"] = tab
        return at.run()
    return start
