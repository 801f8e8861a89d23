"""Download buttons. Heavy files are built only when clicked (a callable ``data=``), so a rerun stays cheap."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import figures
from ..arguments import MODULE_INTS
from ..config import config_to_json
from .cache import Key, cached_build, cached_chart
from .keys import PNG_BATCH, PNG_VIEW, STACK, download
from .model import Built

_KALEIDO = threading.Lock()


def config_dict(key: Key) -> dict[str, Any]:
    """The configuration as the CLI's JSON reads it: arguments, seed, input, and typed weights if any."""
    built, settings = cached_build(key), dict(key)
    spec = built.spec
    config: dict[str, Any] = {name: getattr(spec, name) for name in MODULE_INTS}
    config.update(dtype=spec.dtype, seed=settings["seed"], output_size=settings.get("output_size"),
                  input=built.input, weight=None if built.seeded else built.weight,
                  bias=spec.bias if built.seeded or built.bias is None else built.bias)
    if settings.get("output_size") is not None:
        config["output_padding"] = 0  # output_size decides it
    return config


@st.cache_resource(show_spinner=False)
def _kaleido_server() -> bool:
    """Start kaleido's sync server once per process (it finds Debian's chromium); reuse it for every PNG."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    return True


def png(fig: Any) -> bytes:
    """The figure as a PNG for slides (static: the last frame of an animation)."""
    _kaleido_server()
    with _KALEIDO:
        return bytes(fig.to_image(format="png", width=1400, height=800, scale=1))


def builders(key: Key, view: str, batch: int) -> dict[str, tuple[str, str, Callable[[], Any]]]:
    """label → (file name, mime, callable) for every export of this configuration."""
    trace = cached_build(key).trace
    stack = st.session_state.get(STACK)  # the Stack tab's stack, if this session has one
    return {
        "Animation (HTML)": ("convviz-animation.html", "text/html",
                             lambda: figures.to_html(cached_chart(key, "scatter", batch).figure)),
        "Output (CSV)": ("convviz-output.csv", "text/csv", lambda: figures.output_csv(trace)),
        "Contributions (CSV)": ("convviz-contributions.csv", "text/csv", lambda: figures.contributions_csv(trace)),
        "Configuration (JSON)": ("convviz-config.json", "application/json",
                                 lambda: config_to_json({**config_dict(key), "stack": stack})),
        "Current view (PNG)": ("convviz-view.png", "image/png",
                               lambda: png(_still(key, view, batch))),
    }


def _still(key: Key, view: str, batch: int) -> Any:
    """A still of ``view`` for a slide: the scatter becomes its result (every contribution and the output);
    other animations lose their Play buttons and slider."""
    if view in ("scatter", "step"):
        return cached_chart(key, "step", batch, cached_build(key).trace.steps_per_batch + 1).figure
    figure = cached_chart(key, view, batch).figure
    if not figure.frames:
        return figure
    still = type(figure)(figure)  # a copy: the cached figure is shared by every session
    still.layout.updatemenus, still.layout.sliders = (), ()
    return still


VIEWS = {"Scatter (the result)": "scatter", "Gather": "gather", "Matrix": "matrix", "Overlap": "overlap",
         "Groups": "groups"}


def exports_ui(key: Key, built: Built) -> None:
    """The Downloads tab: only drawn when open, and nothing is built until a button is clicked."""
    st.markdown("Files for class: the animation as a page that plays offline, the numbers as CSV, this "
                "configuration as JSON (the sidebar and `python -m convviz --config` load it), a PNG for slides.")
    left, right = st.columns(2)
    view = VIEWS[left.selectbox("PNG of", list(VIEWS), key=PNG_VIEW)]
    batch = int(right.selectbox("batch sample", range(built.trace.input.shape[0]), key=PNG_BATCH)) \
        if built.trace.batched else 0
    for label, (name, mime, data) in builders(key, view, batch).items():
        st.download_button(label, data=data, file_name=name, mime=mime, on_click="ignore", width="stretch",
                           key=download(name))
