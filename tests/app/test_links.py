"""The Share link is a function of what the page shows: random edits, then the link reopens the same numbers."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from apptest import APP, shared, start
from streamlit.testing.v1 import AppTest

from convviz.app.links import audit, share_link, share_query
from convviz.app.panels import TABS
from convviz.arguments import ARGUMENTS


def output_tables(at: AppTest) -> list[np.ndarray]:
    tables = [np.asarray(frame.value.to_numpy()) for frame in at.dataframe]
    assert tables, "no output table on the page"
    return tables


def test_defaults_give_an_empty_query_and_changes_only_what_differs():
    settings = {name: row.default for name, row in ARGUMENTS.items() if row.kind != "text"}
    assert share_query(settings) == {}
    assert share_link("http://h/", settings) == "http://h/"
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
            "calc_channel": rng.randint(0, 3), "calc_index": rng.randint(0, 20), "step": rng.randint(0, 9)}
    query = share_query(settings, page)
    assert set(page) - {"mode"} <= set(query)
    assert audit(query, tuple(TABS)) == []


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


def test_a_presenter_link_opens_on_its_step_and_shares_it():
    at = start(mode="Presenter", step="3")
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert "Step 3 of 6" in at.markdown[0].value
    assert shared(at) == {"mode": "Presenter", "step": "3"}
    [b for b in at.button if b.label.startswith("Next")][0].click().run()
    assert "Step 4 of 6" in at.markdown[0].value and shared(at)["step"] == "4"


def bound_keys() -> set[str]:
    """Every widget key the app binds to the URL (read from the source)."""
    import ast

    keys = set()
    for path in (Path(APP).parent / "convviz" / "app").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                words = {k.arg: k.value for k in node.keywords}
                bind, key = words.get("bind"), words.get("key")
                bound = (isinstance(bind, ast.Constant) and bind.value == "query-params") or \
                    isinstance(bind, ast.Name)  # bind=BIND
                if bound and isinstance(key, ast.Constant):
                    keys.add(key.value)
    return keys


def test_every_parameter_a_widget_writes_into_the_address_bar_is_known_to_the_audit():
    keys = bound_keys()
    assert {"input_text", "calc_index", "tab", "mode", "dtype"} <= keys, keys  # numbers: key=name from the table
    unknown = [message for key in sorted(keys) for message in audit({key: "1"}) if "not a setting" in message]
    assert unknown == []
