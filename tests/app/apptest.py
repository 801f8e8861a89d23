"""Starting the app in Streamlit's AppTest with a link's parameters, and reading its Share link back."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def start(**query: str) -> AppTest:
    """The app opened with ``?query`` (as a link would), after its first run."""
    at = AppTest.from_file(APP, default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def shared(at: AppTest) -> dict[str, str]:
    """The query of the Share link the page shows (the st.code in its popover)."""
    links = [c.value for c in at.code if c.value.startswith("?") or "://" in c.value or c.value == ""]
    assert len(links) == 1, [c.value[:80] for c in at.code]
    return dict(parse_qsl(urlsplit(links[0]).query))
