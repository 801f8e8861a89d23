"""Links: every link the page has ever written opens the same page, the Share link and the address bar are one
query (written by the page alone), and after random edits the link reopens the same numbers."""
from __future__ import annotations

import random

import numpy as np
import pytest
from apptest import address, charts, page_trace, problems, sent, shared, shows_view, start
from streamlit.testing.v1 import AppTest

from convviz import figures
from convviz.app.links import PAGE_INTS, PAGE_TEXTS, audit, read_link, share_link, share_query
from convviz.app.pages import PRESENTER_PARAMS, TITLES, VIEWS
from convviz.arguments import ARGUMENTS
from convviz.figures.stack import stack_figure
from convviz.presets import preset
from convviz.stack import STACK_PRESETS, stack_report
from convviz.worksheet import explain

TABS = list(TITLES)


def output_tables(at: AppTest) -> list[np.ndarray]:
    tables = [np.asarray(frame.value.to_numpy()) for frame in at.dataframe]
    assert tables, "no output table on the page"
    return tables


def test_defaults_give_an_empty_query_and_changes_only_what_differs():
    settings = {name: row.default for name, row in ARGUMENTS.items() if row.kind != "text"}
    assert share_query(settings) == {}
    assert share_link("http://h/", share_query(settings)) == "http://h/"
    assert share_link("http://h/", {"tab": "Hand calculation"}) == "http://h/?tab=Hand+calculation"
    assert share_query({**settings, "stride": 3, "bias": False}) == {"stride": "3", "bias": "false"}
    assert share_query({**settings, "input_mode": "typed", "input_text": "[[1, 2]]"}) == {
        "input_mode": "typed", "input_text": "[[1, 2]]"}


@pytest.mark.parametrize("case", range(40))
def test_the_audit_accepts_every_parameter_the_app_writes(case):
    rng = random.Random(case)
    settings = {name: (rng.randint(row.minimum or 0, min(row.cap or 9, 9)) if row.kind == "int" else
                       rng.random() < 0.5 if row.kind == "bool" else rng.choice(row.choices) if row.choices
                       else "[[1, 2, 3]]") for name, row in ARGUMENTS.items()}
    page = {"mode": rng.choice(["Explore", "Quiz", "Presenter"]), "tab": rng.choice(TABS),
            "calc_channel": rng.randint(0, 3), "calc_index": rng.randint(0, 20), "step": rng.randint(1, 9)}
    query = share_query(settings, page)
    assert set(page) - {"mode"} <= set(query)
    assert audit(query, tuple(TABS)) == []
    values, _ = read_link(query, tuple(TABS))  # and reading it back gives the same values
    assert {name: values[name] for name in page if name in query} == {k: v for k, v in page.items() if k in query}
    assert all(values[name] == settings[name] for name in settings if name in query)


def test_the_audit_still_names_what_the_app_never_writes():
    assert audit({"calc_index": "-1", "colour": "red"}) == [
        "calc_index=-1 in the link must be a whole number from 0 to 4095; using the default",
        "colour in the link is not a setting of this app; ignored"]


EDITS = [("stride", (1, 4)), ("kernel_size", (1, 5)), ("padding", (0, 2)), ("dilation", (1, 3)),
         ("out_channels", (1, 3)), ("seed", (0, 99)), ("length", (2, 8))]


def random_edit(at: AppTest, rng: random.Random) -> None:
    """One change a student makes: a number, typed input, typed weights, or a hand-calculation cell."""
    roll = rng.random()
    if roll < 0.45:
        name, (low, high) = rng.choice(EDITS)
        widgets = [w for w in at.sidebar.number_input if w.key == name]
        if widgets:  # length is hidden while the input is typed
            widgets[0].set_value(rng.randint(low, high)).run()
    elif roll < 0.65:
        if at.sidebar.radio(key="input_mode").value != "typed":
            at.sidebar.radio(key="input_mode").set_value("typed").run()
        values = [rng.randint(-9, 9) for _ in range(rng.randint(2, 7))]
        at.sidebar.text_area(key="input_text").input(str([values])).run()
    elif roll < 0.8:
        if at.sidebar.radio(key="weight_mode").value != "typed":
            at.sidebar.radio(key="weight_mode").set_value("typed").run()
        shape = at.sidebar.text_area(key="weight_text").value
        if shape.count("[") == 3:  # one in-channel: retype the taps with new numbers, same shape
            out_rows = shape.count("], [") + 1
            k = shape.split("]")[0].count(",") + 1
            weight = [[[round(rng.uniform(-2, 2), 2) for _ in range(k)] for _ in range(out_rows)]]
            at.sidebar.text_area(key="weight_text").input(str(weight)).run()
    else:  # the Hand calculation tab is open in odd cases
        for name in ("calc_channel", "calc_index"):
            found = [w for w in at.number_input if w.key == name]
            if found:
                found[0].set_value(rng.randint(0, int(found[0].max))).run()


@pytest.mark.parametrize("case", range(6))
def test_after_random_edits_the_link_reopens_the_same_output(case):
    rng = random.Random(1000 + case)
    at = start(tab="Hand calculation") if case % 2 else start()
    for _ in range(5):
        random_edit(at, rng)
        assert not at.exception and not at.error, [e.value for e in at.error]
        query = shared(at)
        again = start(**query)
        assert not again.exception and not again.warning, [w.value for w in again.warning]
        for mine, theirs in zip(output_tables(at), output_tables(again), strict=True):
            np.testing.assert_array_equal(mine, theirs)
        assert shared(again) == query


def test_a_link_with_a_former_preset_name_opens_that_preset_without_a_warning():
    at = start(preset="Checkerboard (K 3, s 2)")
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.sidebar.selectbox(key="preset").value == "Checkerboard K3 s2"
    assert shared(at) == {"preset": "Checkerboard K3 s2", "input_mode": "typed", "input_text": "[[1, 1, 1, 1, 1, 1]]"}


def test_every_parameter_the_page_writes_is_one_the_links_read():
    owned = {name for view in VIEWS for name in view.params} | set(PRESENTER_PARAMS)
    assert owned <= set(PAGE_INTS) | set(PAGE_TEXTS), owned
    assert read_link({name: "1" for name in PAGE_INTS})[1] == []


# -- every link the page has ever written still opens the same page, and its Share link round-trips -------


def reopened(at: AppTest) -> AppTest:
    """The page's Share link opened in a new session; it is the address bar's query, and it shares itself."""
    query = shared(at)
    assert address(at) == query, (address(at), query)
    again = start(**query)
    assert problems(again) == [] and [w.value for w in again.warning] == []
    assert shared(again) == query
    return again


def test_a_tab_link():
    at = start(tab="Overlap")
    shows_view(at, "Overlap")
    assert shared(at) == {"tab": "Overlap"}
    shows_view(reopened(at), "Overlap")
    at = start(kernel_size="3", stride="2", tab="Overlap")  # the README's link: both are the defaults
    shows_view(at, "Overlap")
    at = start(stride="3", tab="Overlap")
    shows_view(at, "Overlap", stride=3)
    shows_view(reopened(at), "Overlap", stride=3)


HIFI = "4:16/8/4,16/8/4,4/2/1,4/2/1"


def test_a_stack_link():
    at = start(tab="Stack", stack=HIFI)
    shows_view(at, "Stack")
    assert at.selectbox(key="stack_preset").value == "HiFi-GAN V1"
    lengths = next(m.value for m in at.markdown if m.value.startswith("**Lengths:**"))
    assert "`4` → `32` → `256` → `512` → `1024`" in lengths
    report = stack_report(4, STACK_PRESETS["HiFi-GAN V1"])
    assert charts(at) == [sent(stack_figure(report, 4))]
    assert shared(at) == {"tab": "Stack", "stack": HIFI}
    again = reopened(at)
    assert again.selectbox(key="stack_preset").value == "HiFi-GAN V1" and charts(again) == charts(at)


def test_a_presenter_link_opens_on_its_step_and_shares_it():
    at = start(mode="Presenter", step="3")
    assert problems(at) == [] and not at.warning, [w.value for w in at.warning]
    t = page_trace()
    channel, index = t.step_element(2)  # step 3, counted from 1
    assert at.markdown[0].value.startswith(f"#### Step 3 of 6: x[{channel}, {index}]")
    assert not at.tabs and not charts(at)  # the presenter's stage, not the views
    assert shared(at) == {"mode": "Presenter", "step": "3"}
    assert reopened(at).markdown[0].value == at.markdown[0].value
    [b for b in at.button if b.label.startswith("Next")][0].click().run()
    assert "Step 4 of 6" in at.markdown[0].value and shared(at)["step"] == "4" and address(at)["step"] == "4"


def test_a_step_link_opens_scatter_step_by_step_on_that_step():
    at = start(step="5")
    assert problems(at) == [] and not at.warning
    assert at.segmented_control(key="scatter_view").value == "Step by step"
    assert at.slider(key="step_slider").value == 5
    t = page_trace()
    assert charts(at) == [sent(figures.scatter_step_figure(t, 4))]  # the same step as the Presenter's step 5
    status = next(h.proto.body for h in at.get("html") if "scatter-step-status" in h.proto.body)
    assert f"Step 5 of {t.steps_per_batch}" in status
    assert shared(at) == {"step": "5"}
    again = reopened(at)
    assert charts(again) == charts(at)
    presenter = start(mode="Presenter", step="5")
    assert presenter.markdown[0].value.startswith("#### Step 5 of 6: x[0, 4]")
    assert t.step_element(4) == (0, 4)


def test_a_hand_calculation_link():
    at = start(calc_channel="0", calc_index="4", tab="Hand calculation")
    shows_view(at, "Hand calculation")
    assert at.number_input(key="calc_index").value == 4
    assert explain(page_trace(), 0, 4, fmt="markdown") in [m.value for m in at.markdown]
    assert shared(at) == {"tab": "Hand calculation", "calc_index": "4"}  # channel 0 is the default
    at = start(calc_channel="1", calc_index="2", tab="Hand calculation", out_channels="2")
    shows_view(at, "Hand calculation", out_channels=2)
    assert explain(page_trace(out_channels=2), 1, 2, fmt="markdown") in [m.value for m in at.markdown]
    again = reopened(at)
    assert again.number_input(key="calc_channel").value == 1 and again.number_input(key="calc_index").value == 2


def test_a_preset_link():
    at = start(preset="Groups 2")
    groups = {k: v for k, v in preset("Groups 2").items() if k not in ("input", "about")}
    shows_view(at, "Scatter", **groups)
    assert at.sidebar.selectbox(key="preset").value == "Groups 2"
    assert at.sidebar.number_input(key="groups").value == 2 and at.sidebar.number_input(key="in_channels").value == 4
    query = shared(at)
    assert query["preset"] == "Groups 2" and query["groups"] == "2"
    shows_view(reopened(at), "Scatter", **groups)


def test_the_share_link_is_the_page_address():
    at = start(stride="3")
    at.sidebar.number_input(key="kernel_size").set_value(4).run()
    assert shared(at) == address(at) == {"stride": "3", "kernel_size": "4"}
    at.sidebar.number_input(key="stride").set_value(2).run()  # back to the default: out of the link
    assert shared(at) == address(at) == {"kernel_size": "4"}


def test_a_tampered_link_is_dropped_from_the_address_bar_once_named():
    at = start(colour="red", stride="0", tab="Nope")
    assert sorted(w.value.split(" ")[0] for w in at.warning) == ["colour", "stride=0", "tab=Nope"]
    assert address(at) == {} and shared(at) == {}
    shows_view(at, "Scatter")
