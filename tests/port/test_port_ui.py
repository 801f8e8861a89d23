"""The Port view in Streamlit's AppTest: a layer of each framework ported, the sidebar's layer the other way."""
from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402


def page(spec_args: dict, length: int, state: dict | None = None) -> AppTest:
    def script(spec_args, length):
        from convviz import ConvSpec
        from convviz.app.port_ui import port_ui
        port_ui(ConvSpec(**spec_args), length)

    app = AppTest.from_function(script, kwargs={"spec_args": spec_args, "length": length}, default_timeout=30)
    for key, value in (state or {}).items():
        app.session_state[key] = value
    return app.run()


def codes(app: AppTest) -> list[str]:
    return [c.value for c in app.code]


def test_keras_same_to_pytorch_and_the_sidebar_layer_in_each_framework():
    app = page({"in_channels": 1, "out_channels": 1, "kernel_size": 4, "stride": 1, "padding": 1}, 6,
               {"port_from": "keras", "port_args": "kernel_size=4,strides=1,padding=same"})
    assert not app.exception and not app.error
    first = codes(app)[0]
    assert "torch.nn.ConvTranspose1d(1, 1, kernel_size=4, padding=1, bias=False)  →  y[:, :, :-1]" in first
    assert any("= 6" in m.value and "PyTorch" in m.value for m in app.markdown)  # the formulas, numbers filled in
    assert len(app.tabs) == 3
    assert app.session_state["port_args"] == "kernel_size=4,strides=1,padding=same,dilation_rate=1"
    assert any("onnx" in c or "pads=1:1" in c for c in codes(app))


def test_refused_layers_say_why_and_the_fix():
    app = page({"in_channels": 2, "out_channels": 2, "kernel_size": 3, "groups": 2}, 6,
               {"port_from": "onnx", "port_args": "kernel_shape=1,strides=3,auto_pad=SAME_UPPER"})
    assert not app.exception
    assert "before the first sample" in app.error[0].value and "pad(y, (1, 0))" in app.error[0].value
    infos = [i.value for i in app.info]
    assert any("feature_group_count" in i for i in infos) and any("no groups" in i for i in infos)


def test_a_tampered_link_falls_back_to_the_default_layer():
    app = page({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, 6,
               {"port_from": "jax", "port_args": "kernel_size=oops;rm"})
    assert not app.exception and not app.error
    assert app.session_state["port_args"].startswith("kernel_size=4,strides=2")
