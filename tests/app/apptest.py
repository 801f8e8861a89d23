"""The one AppTest helper: the app opened with a link's parameters, its Share link read back, and what a page
should show computed apart from it (the engine for the numbers, ``figures`` for the charts)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import plotly.io as pio
from streamlit.testing.v1 import AppTest

from convviz import figures
from convviz.app.model import build
from convviz.presets import DEFAULTS

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE_DEFAULTS = {**DEFAULTS, "input_mode": "random", "weight_mode": "seeded"}


def start(**query: str) -> AppTest:
    """The app opened with ``?query`` (as a link would), after its first run."""
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def shared(at: AppTest) -> dict[str, str]:
    """The query of the Share link the page shows (the st.code in its popover)."""
    links = [c.value for c in at.code if c.value.startswith("?") or "://" in c.value or c.value == ""]
    assert len(links) == 1, [c.value[:80] for c in at.code]
    return dict(parse_qsl(urlsplit(links[0]).query))


def address(at: AppTest) -> dict[str, str]:
    """The query in the address bar (what the page wrote there)."""
    return {name: at.query_params[name][-1] if isinstance(at.query_params[name], list) else at.query_params[name]
            for name in at.query_params}


def problems(at: AppTest) -> list[str]:
    """Exceptions and st.error messages on the page."""
    return [e.value for e in at.exception] + [e.value for e in at.error]


def page_trace(**changes: Any) -> Any:
    """The trace a page with the default settings and ``changes`` shows."""
    return build({**PAGE_DEFAULTS, **changes}).trace


def charts(at: AppTest) -> list[dict[str, Any]]:
    """Every chart on the page, as the JSON the browser gets."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def sent(view: Any) -> dict[str, Any]:
    """A view as Plotly itself encodes its figure (what st.plotly_chart must send for it)."""
    return json.loads(pio.to_json(figures.to_figure(view, typed_arrays=True), validate=False))


def open_views(at: AppTest) -> list[str]:
    """The labels of the tabs drawn (the groups, and the open group's views)."""
    return [tab.label for tab in at.tabs]


def shows_view(at: AppTest, title: str, **changes: Any) -> None:
    """Assert that the page shows the view ``title`` of the default settings with ``changes``: its tab is open
    and its content is that view's (a chart as Plotly encodes that view's figure, or the view's own text)."""
    assert not problems(at), problems(at)
    assert title in open_views(at), open_views(at)
    t = page_trace(**changes)
    figure = {"Scatter": lambda: figures.scatter_animation(t), "Gather": lambda: figures.gather_animation(t),
              "Matrix": lambda: figures.matrix_figure(t), "Overlap": lambda: figures.overlap_figure(t),
              "Groups": lambda: figures.groups_figure(t)}.get(title)
    if figure is not None:
        assert charts(at) == [sent(figure())]
        return
    texts = [m.value for m in at.markdown]
    if title == "Hand calculation":
        from convviz.worksheet import explain

        channel, index = at.number_input(key="calc_channel").value, at.number_input(key="calc_index").value
        assert explain(t, channel, index, fmt="markdown") in texts
    elif title == "Practice":
        from convviz.app.model import build as build_page
        from convviz.app.practice_ui import sidebar_exercise

        target = sidebar_exercise(build_page({**PAGE_DEFAULTS, **changes})).target
        assert any(text.startswith("**Practice, level 0 of 3") and target in text for text in texts), texts
    elif title == "Check my answer":
        assert at.radio(key="answer_what").value == "One value"
    elif title == "Conv1d":
        assert any(text.startswith("**There and back.**") for text in texts)
    elif title == "Stack":
        assert any(text.startswith("**Lengths:**") for text in texts)
    elif title == "PyTorch check":
        assert any("bit-identical" in s.value or "equal up to rounding" in s.value for s in at.success) or \
            any("PyTorch is not installed" in i.value for i in at.info)
    elif title == "Downloads":
        assert len(at.get("download_button")) == 5
    elif title == "Port":
        assert [h.value for h in at.subheader][:2] == ["From another framework to PyTorch",
                                                       "This layer in Keras / JAX / ONNX"]
    else:
        raise AssertionError(f"no check for the view {title}")
