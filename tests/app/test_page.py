"""The app through Streamlit's AppTest: defaults, presets, every control, bad input, the torch check."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from apptest import charts, open_views, problems, shared, shows_view, start

from convviz import ConvTranspose1d
from convviz.app.model import random_input
from convviz.app.pages import GROUPS, TITLES, VIEWS
from convviz.presets import preset, preset_names
from convviz.values import parse_values


@pytest.fixture
def app():
    def opened(tab: str | None = None, **query: str):
        return start(**query, **({"tab": tab} if tab else {}))
    return opened


def shown(element) -> str:
    """An element's text as the reader sees it (Markdown escapes removed)."""
    return element.value.replace("\\", "")


def shown_output(at) -> np.ndarray:
    """The first output table on the page, as floats."""
    return at.dataframe[0].value.to_numpy(dtype=np.float64)


def expected(settings: dict, input=None) -> np.ndarray:
    """The engine's answer for app-style settings (seeded weights, random or given input)."""
    args = {k: settings[k] for k in ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                                     "output_padding", "groups", "bias", "dilation", "dtype")}
    m = ConvTranspose1d(**args, seed=settings["seed"])
    x = np.asarray(input, dtype=args["dtype"]) if input is not None else random_input(
        settings["seed"], (settings["in_channels"], settings["length"]), args["dtype"])
    y = m(x, output_size=settings.get("output_size"))
    return y[0] if y.ndim == 3 else y


def assert_clean(at) -> None:
    assert problems(at) == []


def test_default_page_shows_the_engines_output(app):
    at = app()
    assert_clean(at)
    settings = {**preset("Checkerboard K3 s2"), "input": None, "length": 6}
    np.testing.assert_allclose(shown_output(at), np.round(expected(settings), 4), atol=1e-4)


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_shows_the_engines_output(app, name):
    at = app()
    at.sidebar.selectbox(key="preset").set_value(name).run()
    assert_clean(at)
    settings = preset(name)
    y = expected(settings, settings["input"])
    if np.iscomplexobj(y):
        text = at.dataframe[0].value.to_numpy()
        assert text[0, 0] == f"{y[0, 0].real:.4f}{y[0, 0].imag:+.4f}j"
    else:
        np.testing.assert_allclose(shown_output(at), np.round(y, 4), atol=1.5e-4)


@pytest.mark.parametrize("key,value", [("stride", 3), ("kernel_size", 4), ("padding", 1), ("dilation", 2),
                                       ("out_channels", 2), ("in_channels", 2), ("output_padding", 1),
                                       ("length", 9), ("seed", 7), ("bias", False), ("dtype", "float64")])
def test_changing_a_control_updates_the_output(app, key, value):
    at = app()
    before = shown_output(at)
    widget = {"bias": at.sidebar.toggle, "dtype": at.sidebar.selectbox}.get(key, at.sidebar.number_input)
    widget(key=key).set_value(value).run()
    assert_clean(at)
    settings = {**preset("Checkerboard K3 s2"), "input": None, "length": 6, key: value}
    after = shown_output(at)
    np.testing.assert_allclose(after, np.round(expected(settings), 4), atol=1e-4)
    assert after.shape != before.shape or not np.allclose(after, before)


@pytest.mark.parametrize("changes,words", [
    ({"groups": 2}, ["groups=2", "divide"]),
    ({"output_padding": 3}, ["output_padding=3", "smaller than stride"]),
    ({"padding": 20}, ["padding=20", "reduce padding"]),
    ({"output_size": 99}, ["output_size=99", "valid sizes"]),
])
def test_invalid_combinations_show_an_error_not_a_traceback(app, changes, words):
    at = app()
    for key, value in changes.items():
        at.sidebar.number_input(key=key).set_value(value)
    at.run()
    assert not at.exception
    assert at.error and all(w in shown(at.error[0]) for w in words), at.error
    for key in changes:  # the page recovers when the argument is fixed
        at.sidebar.number_input(key=key).set_value(None if key == "output_size" else 0)
    at.sidebar.number_input(key="groups").set_value(1).run()
    assert_clean(at)


@pytest.mark.parametrize("text,words", [("[[1, 2], [3]]", ["same number"]), ("import os", ["cannot read"]),
                                        ("[[1, 2], [3, 4]]", ["2 channels", "in_channels=1"])])
def test_bad_typed_input_shows_an_error(app, text, words):
    at = app()
    at.sidebar.radio(key="input_mode").set_value("typed").run()
    at.sidebar.text_area(key="input_text").set_value(text).run()
    assert not at.exception
    assert at.error and all(w in shown(at.error[0]) for w in words), at.error[0].value


def test_typed_input_is_used(app):
    at = app()
    at.sidebar.radio(key="input_mode").set_value("typed").run()
    at.sidebar.text_area(key="input_text").set_value("[[1, 0, -2]]").run()
    assert_clean(at)
    settings = preset("Checkerboard K3 s2")
    np.testing.assert_allclose(shown_output(at), np.round(expected(settings, [[1, 0, -2]]), 4), atol=1e-4)


def test_a_fresh_page_shows_scatter_first_with_its_play_button():
    at = start()
    shows_view(at, "Scatter")
    assert open_views(at)[:2] == [GROUPS[0], "Scatter"]
    assert shared(at) == {}
    buttons = [b.get("label", "") for menu in charts(at)[0]["layout"].get("updatemenus", [])
               for b in menu.get("buttons", [])]
    assert any(label.endswith("Play") for label in buttons), buttons


def test_the_views_are_grouped_as_the_page_is_used():
    groups = {group: [view.title for view in VIEWS if view.group == group] for group in GROUPS}
    assert groups["See it"] == ["Scatter", "Gather", "Matrix", "Overlap", "Groups"]
    assert groups["Work it out"] == ["Hand calculation", "Practice", "Check my answer"]
    assert groups["Go further"] == ["Conv1d", "Stack", "Port"]
    assert groups["Verify & take away"] == ["PyTorch check", "Downloads"]


@pytest.mark.parametrize("title", TITLES)
def test_every_view_opens_from_its_link_and_shows_its_content(title):
    at = start(tab=title)
    shows_view(at, title)
    group = next(view.group for view in VIEWS if view.title == title)
    assert [label for label in open_views(at) if label in {*GROUPS, *TITLES}] == [
        *GROUPS[:GROUPS.index(group) + 1],
                              *[view.title for view in VIEWS if view.group == group],
                              *GROUPS[GROUPS.index(group) + 1:]]
    assert shared(at).get("tab") == (None if title == "Scatter" else title)


def test_pytorch_tab_compares_with_torch(app):
    pytest.importorskip("torch")
    at = app(tab="PyTorch check")
    assert_clean(at)
    assert any("torch 2.13" in s.value for s in at.success), [s.value for s in at.success]
    assert any("torch.manual_seed(42)" in c.value for c in at.code)


def test_pytorch_tab_without_torch_says_how_to_add_it(app, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    at = app(tab="PyTorch check")
    assert_clean(at)
    assert any("pip install torch==2.13.0" in i.value for i in at.info)


def test_switching_to_typed_starts_from_the_values_on_screen(app):
    at = app()
    before = shown_output(at)
    at.sidebar.radio(key="input_mode").set_value("typed").run()
    at.sidebar.radio(key="weight_mode").set_value("typed").run()
    assert_clean(at)
    assert at.sidebar.text_area(key="input_text").value.startswith("[[")
    np.testing.assert_allclose(shown_output(at), before, atol=1e-4)  # same numbers, now editable
    at.sidebar.text_area(key="weight_text").set_value("[[[1, 0, 0]]]").run()
    at.sidebar.text_area(key="bias_text").set_value("[0]").run()
    x = np.asarray(parse_values(at.sidebar.text_area(key="input_text").value))
    np.testing.assert_allclose(shown_output(at)[0, ::2][:x.shape[1]], x[0], atol=1e-4)  # w=[1,0,0], s=2


@pytest.mark.parametrize("tab", ["Scatter", "Hand calculation", "Gather", "Matrix"])
def test_infinite_and_huge_typed_values_render_without_errors(app, tab):
    at = app(tab=tab, input_mode="typed", input_text="[[1, inf, 1e39, nan]]")
    assert_clean(at)


def test_preset_names_fit_the_sidebar_and_the_checkerboard_caption_is_true_at_the_edges():
    assert all(len(name) <= 24 for name in preset_names()), [n for n in preset_names() if len(n) > 24]
    board = preset("Checkerboard K3 s2")
    length, taps, stride = board["length"], board["kernel_size"], board["stride"]
    counts = np.zeros((length - 1) * stride + taps, dtype=int)  # taps landing on each output (padding 0)
    for i in range(length):
        for k in range(taps):
            counts[i * stride + k] += 1
    ends = [0, len(counts) - 1]
    inner = np.arange(1, len(counts) - 1)
    assert all(counts[ends] == 1) and all(counts[inner[inner % 2 == 1]] == 1)
    assert all(counts[inner[inner % 2 == 0]] == 2)
    assert f"outputs 0 and {len(counts) - 1}" in board["about"] and "odd outputs get one tap" in board["about"]
