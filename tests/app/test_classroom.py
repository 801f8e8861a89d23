"""Classroom features through AppTest: shareable links, tampered links, quiz, presenter mode, downloads."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from apptest import shared, start

from convviz import ConvTranspose1d, quiz
from convviz.app import exports
from convviz.app.model import build, settings_key
from convviz.app.sidebar import config_values
from convviz.arguments import ARGUMENTS
from convviz.config import config_from_json
from convviz.presets import preset
from convviz.values import parse_values


def test_link_parameters_set_the_widgets():
    at = start(stride="3", dtype="float64", bias="false", kernel_size="4")
    assert not at.exception and not at.warning
    assert at.sidebar.number_input(key="stride").value == 3
    assert at.sidebar.number_input(key="kernel_size").value == 4
    assert at.sidebar.selectbox(key="dtype").value == "float64"
    assert at.sidebar.toggle(key="bias").value is False


def test_a_preset_updates_the_link_and_the_link_reopens_the_same_page():
    # A user's own widget changes reach the URL in the browser (tests/e2e); a preset is set by the server.
    at = start()
    at.sidebar.selectbox(key="preset").set_value("Groups 2").run()
    params = shared(at)
    assert params["groups"] == "2" and params["in_channels"] == "4"
    again = start(**params)  # parameters → widgets → parameters
    assert not again.exception and not again.warning
    assert again.sidebar.number_input(key="groups").value == 2
    assert again.dataframe[0].value.equals(at.dataframe[0].value)
    assert shared(again) == params


def test_typed_input_travels_in_the_link():
    at = start(input_mode="typed", input_text="[[1, 0, -2, 3]]")
    assert not at.exception and not at.error
    assert at.dataframe[0].value.shape[1] == 2 * 3 + 3  # (4-1)·2 + 3 cells


@pytest.mark.parametrize("query,named", [({"stride": "0"}, "stride=0"), ({"stride": "abc"}, "stride=abc"),
                                         ({"dtype": "float16"}, "dtype=float16"), ({"colour": "red"}, "colour"),
                                         ({"preset": "nope"}, "preset=nope"), ({"kernel_size": "999"}, "kernel_size")])
def test_tampered_links_fall_back_with_a_warning(query, named):
    at = start(**query)
    assert not at.exception
    assert any(named in w.value for w in at.warning), [w.value for w in at.warning]
    defaults = {name: row.default for name, row in ARGUMENTS.items()}
    length = ((defaults["length"] - 1) * defaults["stride"] + defaults["dilation"] * (defaults["kernel_size"] - 1)
              + 1 - 2 * defaults["padding"] + defaults["output_padding"])  # torch's L_out for the defaults
    assert at.dataframe and at.dataframe[0].value.shape == (defaults["out_channels"], length), \
        "the page still shows the default configuration's output"


def test_quiz_right_and_wrong_answers_are_scored():
    at = start(mode="Quiz")
    assert not at.exception
    seed = at.session_state["quiz_seed"]
    q = quiz.make_question(seed)
    at.text_input(key="quiz_answer").input(str(q.answer if q.kind != "touches" else ", ".join(map(str, q.answer))))
    at.button[0].click().run()  # the form's Check button
    assert at.success and "Right" in at.success[0].value
    assert at.session_state["quiz_right"] == 1 and at.session_state["quiz_asked"] == 1
    next_button = [b for b in at.button if b.label == "Next question"][0]
    next_button.click().run()
    q2 = quiz.make_question(at.session_state["quiz_seed"])
    assert q2 != q
    at.text_input(key="quiz_answer").input("123456")
    [b for b in at.button if b.label == "Check"][0].click().run()
    assert at.session_state["quiz_asked"] == 2
    assert at.session_state["quiz_right"] == 1 + (q2.answer == 123456)
    assert any("Not quite" in e.value for e in at.error)


@pytest.mark.parametrize("seed", range(12))
def test_quiz_answers_match_torch(seed):
    torch = pytest.importorskip("torch")
    q = quiz.make_question(seed)
    s = q.settings
    x = torch.tensor(parse_values(s["input_text"]), dtype=torch.float32)  # (C_in, L)
    w = torch.tensor(parse_values(s["weight_text"]), dtype=torch.float32)  # (C_in, C_out/groups, K)
    b = torch.tensor(parse_values(s["bias_text"]), dtype=torch.float32).ravel() if s["bias"] else None
    args = (s["stride"], s["padding"], s["output_padding"], s["groups"], s["dilation"])
    with torch.no_grad():
        y = torch.nn.functional.conv_transpose1d(x, w, b, *args)  # (C_out, L_out)
        if q.kind == "length":
            assert q.answer == y.shape[-1]
        elif q.kind == "value":
            assert q.answer == pytest.approx(float(y[q.target]), abs=1e-5)
        else:  # the cells that change with x[c, i], whatever the weights' values (all taps set to one)
            one = torch.zeros_like(x)
            one[q.target] = 1.0
            reached = torch.nn.functional.conv_transpose1d(one, torch.ones_like(w), None, *args).abs().sum(0)
            assert set(q.answer) == set(torch.nonzero(reached).ravel().tolist())
    assert quiz.check(q, str(q.answer))[0]


def test_presenter_steps_forward_and_back():
    at = start(mode="Presenter")
    assert not at.exception
    assert "Step 1 of" in at.markdown[0].value
    nxt = [b for b in at.button if b.label.startswith("Next")][0]
    nxt.click().run()
    assert shared(at)["step"] == "2" and "Step 2 of" in at.markdown[0].value
    assert "x[0, 1]" in at.markdown[0].value  # one input element at a time, in the trace's order
    [b for b in at.button if b.label.endswith("Previous")][0].click().run()
    assert shared(at)["step"] == "1" and "Step 1 of" in at.markdown[0].value


def test_scatter_and_presenter_share_one_step():
    at = start(step="4")
    at.sidebar.segmented_control(key="mode").set_value("Presenter").run()
    assert at.markdown[0].value.startswith("#### Step 4 of 6")
    [b for b in at.button if b.label.startswith("Next")][0].click().run()
    at.sidebar.segmented_control(key="mode").set_value("Explore").run()
    at.segmented_control(key="scatter_view").set_value("Step by step").run()
    assert at.slider(key="step_slider").value == 5 and shared(at) == {"step": "5"}


def test_presenter_reaches_the_final_output():
    at = start(mode="Presenter", length="2")
    for _ in range(5):
        buttons = [b for b in at.button if b.label.startswith("Next")]
        if buttons[0].disabled:
            break
        buttons[0].click().run()
    assert "final output" in at.markdown[0].value and "Step 3" not in at.markdown[0].value  # 2 steps, then the result


def _key(**changes):
    settings = {**preset("Checkerboard K3 s2"), "input_mode": "random", "weight_mode": "seeded",
                "preset": "(custom)", **changes}
    settings.pop("input")
    settings.pop("about")
    return settings_key(settings)


def test_downloads_are_built_on_demand_and_match_the_engine():
    key = _key()
    built = build(dict(key))
    files = {label: (name, data()) for label, (name, _, data) in exports.builders(key, "scatter", 0).items()
             if "PNG" not in label}
    html = files["Animation (HTML)"][1]
    assert "Plotly.addFrames(" in html and html.count('"name":"result"') >= 1  # the frames travel with the page
    assert len(html) > 1_000_000, "plotly.js is embedded so the page plays offline"
    rows = list(csv.DictReader(io.StringIO(files["Output (CSV)"][1])))
    torch = pytest.importorskip("torch")
    with torch.no_grad():  # the oracle: torch on the settings' input, weight and bias
        expected = torch.nn.functional.conv_transpose1d(
            torch.from_numpy(np.asarray(built.input)), torch.from_numpy(built.weight),
            None if built.bias is None else torch.from_numpy(built.bias), built.spec.stride, built.spec.padding,
            built.spec.output_padding, built.spec.groups, built.spec.dilation).numpy()
    expected = expected if expected.ndim == 3 else expected[None]  # (N, C_out, L_out)
    assert [(int(r["batch"]), int(r["out_channel"]), int(r["out_index"])) for r in rows] == \
        [tuple(i) for i in np.ndindex(*expected.shape)]
    np.testing.assert_allclose([float(r["value"]) for r in rows], expected.ravel(), rtol=1e-5, atol=1e-6)
    contributions = list(csv.DictReader(io.StringIO(files["Contributions (CSV)"][1])))
    assert len(contributions) == len(built.trace.columns["tap"])
    config = config_from_json(files["Configuration (JSON)"][1])
    assert config["stride"] == 2 and config["seed"] == 42
    np.testing.assert_array_equal(config["input"], built.input)
    assert json.loads(files["Configuration (JSON)"][1])["weight"] is None  # seeded


def test_png_download_renders_with_chromium():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("PNG export needs Chromium: apt-get install -y chromium")
    key = _key()
    _, _, data = exports.builders(key, "overlap", 0)["Current view (PNG)"]
    assert data()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_link_naming_a_preset_applies_it_and_explicit_parameters_win():
    at = start(preset="Groups 2")
    assert not at.exception and not at.warning
    assert at.sidebar.number_input(key="in_channels").value == 4
    assert at.sidebar.number_input(key="groups").value == 2
    at = start(preset="Groups 2", stride="3")
    assert at.sidebar.number_input(key="in_channels").value == 4
    assert at.sidebar.number_input(key="stride").value == 3


def test_a_preset_with_typed_input_puts_the_values_in_the_link():
    at = start()
    at.sidebar.selectbox(key="preset").set_value("Blog 3: 2→3 channels").run()
    params = shared(at)
    assert params["input_mode"] == "typed" and params["input_text"] == "[[8, -3, 0], [1, 5, -2]]"
    again = start(**params)
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


def test_changing_a_control_leaves_the_preset():
    at = start()
    at.sidebar.selectbox(key="preset").set_value("Groups 2").run()
    at.sidebar.number_input(key="kernel_size").set_value(4).run()
    assert at.sidebar.selectbox(key="preset").value == "(custom)"


def test_the_quiz_keeps_the_students_answer_in_the_verdict():
    at = start(mode="Quiz")
    at.text_input(key="quiz_answer").input("17")
    [b for b in at.button if b.label == "Check"][0].click().run()
    verdicts = [m.value for m in (*at.success, *at.error)]
    assert any("You answered 17" in v for v in verdicts), verdicts


def test_png_still_of_an_animation_has_no_play_buttons_and_follows_the_batch():
    key = _key(batched=True, batch_size=3)
    still = exports._still(key, "gather", 2)
    assert not still.layout.updatemenus and not still.layout.sliders
    cached = exports.cached_chart(key, "gather", 2).figure
    assert cached.layout.updatemenus, "the shared cached figure keeps its controls"
    assert exports._still(key, "gather", 2) is not cached


def test_downloads_tab_offers_every_file_and_other_tabs_pay_nothing():
    at = start(tab="Downloads")
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 5
    assert not start().get("download_button"), "other tabs pay nothing for downloads"


def test_loading_a_configuration_with_a_typed_bias_keeps_that_bias():
    text = json.dumps({"in_channels": 1, "out_channels": 2, "kernel_size": 2, "stride": 2, "seed": 3,
                       "input": [[1, 2, 3]], "weight": None, "bias": [10, -10]})
    values = config_values(config_from_json(text))
    assert values["weight_mode"] == "typed" and values["input_mode"] == "typed"
    settings = {**preset("Checkerboard K3 s2"), **values}
    built = build(settings)
    np.testing.assert_array_equal(built.bias, [10, -10])
    seeded = ConvTranspose1d(1, 2, 2, stride=2, seed=3)
    np.testing.assert_array_equal(built.weight, seeded.weight)  # the weight the file left out: seeded
    np.testing.assert_array_equal(built.input, [[1, 2, 3]])
