"""AppTest of the Stack tab (stack in the link, presets, length, caps) and of the Scatter tab's steps (?step=)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from apptest import address, page_trace, problems, shared, start
from streamlit.testing.v1 import AppTest

from convviz.app.sidebar import config_values
from convviz.app.stack_ui import layers_of
from convviz.config import config_from_json, config_to_json
from convviz.errors import ConvSpecError
from convviz.figures import describe, scatter_step_figure
from convviz.stack import STACK_PRESETS, format_stack, stack_report

HIFI = "4:16/8/4,16/8/4,4/2/1,4/2/1"


def caption_texts(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_stack_from_the_link():
    at = start(tab="Stack", stack=HIFI)
    assert problems(at) == []
    assert at.selectbox(key="stack_preset").value == "HiFi-GAN V1"
    assert at.number_input(key="stack_length").value == 4
    lengths = next(m.value for m in at.markdown if m.value.startswith("**Lengths:**"))
    assert "`4` → `32` → `256` → `512` → `1024`" in lengths and "×256" in lengths
    report = stack_report(4, STACK_PRESETS["HiFi-GAN V1"])
    assert at.success[0].value.lower().startswith(report[-1].verdict.split(":")[0])
    assert any(all(layer.verdict in text for layer in report) for text in caption_texts(at))  # the description
    assert shared(at)["stack"] == HIFI


def test_stack_preset_length_and_cap():
    at = start(tab="Stack", stack=HIFI)
    at.selectbox(key="stack_preset").set_value("Checkerboard ×2 ×2 (K3 s2)").run()
    assert problems(at) == []
    text = format_stack(4, STACK_PRESETS["Checkerboard ×2 ×2 (K3 s2)"])
    assert address(at)["stack"] == shared(at)["stack"] == text
    assert at.warning[0].value.startswith("Checkerboard after layers 1–2")
    at.selectbox(key="stack_preset").set_value("HiFi-GAN V1").run()
    at.number_input(key="stack_length").set_value(17).run()  # 17·256 = 4352 > 4096
    assert any(e.value.startswith("input length 17: layer 4: its output of 4352 samples is above this server's cap")
               for e in at.error)
    assert at.number_input(key="stack_length").value == 4  # the stack shown is still the last valid one
    at.number_input(key="stack_length").set_value(16).run()
    assert problems(at) == []
    assert "`4096`" in next(m.value for m in at.markdown if m.value.startswith("**Lengths:**"))


def test_bad_stack_in_the_link_is_named_and_replaced():
    at = start(tab="Stack", stack="4:16/8/4,4/x/1")
    assert any("stack=4:16/8/4,4/x/1 in the link: layer 2:" in w.value for w in at.warning)
    assert at.selectbox(key="stack_preset").value == "Checkerboard ×2 ×2 (K3 s2)"  # the default stack
    assert [e.value for e in at.exception] == []


def test_edited_table_as_layers():
    frame = pd.DataFrame([{"kernel_size": 16, "stride": 8, "padding": 4, "output_padding": 0, "dilation": 1},
                          {"kernel_size": 4, "stride": 2, "padding": np.nan, "output_padding": 0, "dilation": 1}])
    assert layers_of(frame) == [{"kernel_size": 16, "stride": 8, "padding": 4}, {"kernel_size": 4, "stride": 2}]
    frame.loc[1, "kernel_size"] = np.nan
    with pytest.raises(ConvSpecError, match="^layer 2: kernel_size is empty"):
        layers_of(frame)


def expected_step(number: int) -> str:
    """What step ``number`` (from 1) of the default configuration adds, as the figures describe it."""
    return describe(scatter_step_figure(page_trace(), number - 1))


def status(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "scatter-step-status" in h.proto.body)


def test_step_from_the_link_and_the_buttons():
    at = start(step="5")
    assert problems(at) == [] and [w.value for w in at.warning] == []
    assert at.slider(key="step_slider").value == 5
    assert expected_step(5) in status(at).replace("&#x27;", "'")
    assert shared(at)["step"] == "5"
    at.button(key="step_next").click().run()
    assert at.slider(key="step_slider").value == 6 and address(at)["step"] == "6"
    assert "Step 6 of" in status(at)
    at.button(key="step_next").click().run()  # step 7 of the default: the result, with the bias
    assert at.button(key="step_next").disabled and "The result of" in status(at)
    at.slider(key="step_slider").set_value(1).run()
    assert at.button(key="step_prev").disabled and "Step 1 of 6" in status(at)
    assert shared(at)["step"] == "1"  # opens step by step, at the first step


def test_step_past_the_end_shows_the_result_and_animation_drops_the_step():
    at = start(step="99")
    assert at.slider(key="step_slider").value == 7
    at.segmented_control(key="scatter_view").set_value("Animation").run()
    assert "step" not in address(at) and "step" not in shared(at) and problems(at) == []


def test_bad_step_in_the_link_is_named():
    at = start(step="-2")
    assert any(w.value.startswith("step=-2 in the link must be a whole number") for w in at.warning)
    assert at.segmented_control(key="scatter_view").value == "Animation"


def test_configuration_file_carries_the_stack():
    base = {"in_channels": 1, "out_channels": 1, "kernel_size": 3, "seed": 1, "input": [[1, 2, 3]]}
    text = config_to_json({**base, "stack": HIFI})
    assert json.loads(text)["stack"] == {"length": 4, "layers": STACK_PRESETS["HiFi-GAN V1"]}
    assert config_values(config_from_json(text))["stack"] == HIFI  # what the sidebar's loader puts in the session
    assert "stack" not in json.loads(config_to_json(base))  # files without a stack are unchanged
    with pytest.raises(ConvSpecError, match="^stack: layer 2: padding=9 crops the whole output"):
        config_from_json(json.dumps({**base, "stack": {"length": 1, "layers": [{"kernel_size": 2},
                                                                               {"kernel_size": 3, "padding": 9}]}}))
