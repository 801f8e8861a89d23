"""Bounded input through AppTest: every typed field of every view carries the limit of its field, an oversized
link value is refused with a message naming it, the limit and why (never a traceback), the upload is capped."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from apptest import problems, start
from streamlit.testing.v1 import AppTest

from convviz.app.keys import ANSWER_TEXT, PRACTICE, QUIZ_ANSWER, QUIZ_PRACTICE
from convviz.app.pages import TITLES
from convviz.app.practice_ui import step_field
from convviz.limits import CONFIG_UPLOAD_MB, text_limit
from convviz.practice import steps

ROOT = Path(__file__).resolve().parents[2]
FIELD_OF_KEY = {"input_text": "input", "weight_text": "weight", "bias_text": "bias", ANSWER_TEXT: "answer",
                QUIZ_ANSWER: "answer"}
STEP_KEY = re.compile(rf"^({PRACTICE}|{QUIZ_PRACTICE})_step_\d+_(\d+)$")


def field_of_key(at: AppTest, key: str) -> str:
    """The field whose limit the box ``key`` must carry (a practice step's: by its step's kind)."""
    step = STEP_KEY.match(key)
    if step:
        path = at.session_state[step.group(1)]
        return step_field(steps(path.exercise, path.level)[int(step.group(2))])
    return FIELD_OF_KEY[key]


def text_fields(at: AppTest) -> list[tuple[str, int]]:
    """(key, max_chars) of every text input and text area on the page (main area and sidebar)."""
    found = [(box.key, box.max_chars) for box in [*at.text_input, *at.text_area]]
    assert all(key is not None for key, _ in found), found  # every box is keyed, so its field is known
    return found


def assert_bounded(at: AppTest, seen: set[str]) -> None:
    assert not problems(at), problems(at)
    for key, max_chars in text_fields(at):
        assert max_chars, f"{key} has no max_chars"
        assert max_chars == text_limit(field_of_key(at, key)), (key, max_chars)
        seen.add(STEP_KEY.sub(r"\1_step", key))


def test_every_text_field_of_every_view_has_its_fields_limit() -> None:
    seen: set[str] = set()
    typed = {"input_mode": "typed", "weight_mode": "typed"}
    for title in TITLES:
        assert_bounded(start(tab=title, **typed), seen)
    at = start(tab="Practice")
    for _ in range(3):  # levels 1, 2, 3: the sum, the products, the landing pairs are boxes
        at.button(key=f"{PRACTICE}_next").click().run()
        assert_bounded(at, seen)
    at = start(mode="Quiz")
    assert_bounded(at, seen)
    at.segmented_control(key="quiz_kind").set_value("Practice, step by step").run()
    for _ in range(3):
        at.button(key=f"{QUIZ_PRACTICE}_next").click().run()
        assert_bounded(at, seen)
    assert_bounded(start(mode="Presenter", **typed), seen)
    assert seen == {"input_text", "weight_text", "bias_text", ANSWER_TEXT, QUIZ_ANSWER, f"{PRACTICE}_step",
                    f"{QUIZ_PRACTICE}_step"}, seen


@pytest.mark.parametrize("name, field, extra", [("bias_text", "bias", {"weight_mode": "typed"}),
                                                ("weight_text", "weight", {"weight_mode": "typed"}),
                                                ("stack", "stack", {"tab": "Stack"}),
                                                ("stride", "value", {}), ("port_args", "layer", {"tab": "Port"})])
def test_an_oversized_link_value_is_refused_with_its_limit_and_why(name: str, field: str, extra: dict) -> None:
    limit = text_limit(field)
    at = start(**{name: "1" * (limit + 1)}, **extra)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value.replace("\\", "") for e in at.error]
    assert len(errors) == 1, errors
    said = errors[0]
    assert said.startswith(f"{name} in the link: {limit + 1:,} characters is more than the {limit:,}"), said
    assert "must not stall the class on a shared server" in said and said.endswith("using the default"), said
    if name in ("bias_text", "weight_text"):  # the box shows the default, not the refused text
        assert len(at.text_area(key=name).value) < 100


def test_a_link_value_at_its_limit_is_read() -> None:
    at = start(weight_mode="typed", bias_text="[" + " " * (text_limit("bias") - 3) + "0]")
    assert not [e for e in at.error if "in the link" in e.value], [e.value for e in at.error]
    assert at.text_area(key="bias_text").value.endswith("0]")


def test_the_configuration_upload_is_capped_per_widget_and_by_the_server() -> None:
    at = start()
    uploaders = at.get("file_uploader")
    assert len(uploaders) == 1
    assert uploaders[0].proto.max_upload_size_mb == CONFIG_UPLOAD_MB == 1
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == CONFIG_UPLOAD_MB
    assert config["server"]["fileWatcherType"] == "none" and config["client"]["showErrorDetails"] == "none"


def _upload_script(size: int) -> None:
    """A page that hands ``apply_config`` an upload of ``size`` bytes (a JSON object padded with spaces)."""
    import streamlit as st

    from convviz.app.keys import CONFIG_ERROR, CONFIG_FILE
    from convviz.app.sidebar import apply_config

    class Upload:
        def getvalue(self) -> bytes:
            body = b'{"in_channels": 1, "out_channels": 1, "kernel_size": 2, "input": [[1, 2, 3]]}'
            return body + b" " * (size - len(body))

    st.session_state[CONFIG_FILE] = Upload()
    apply_config()
    if CONFIG_ERROR in st.session_state:
        st.error(st.session_state[CONFIG_ERROR])
    else:
        st.write(f"loaded input_text={st.session_state['input_text']}")


@pytest.mark.parametrize("over", [0, 1])
def test_an_oversized_configuration_is_refused_before_it_is_read(over: int) -> None:
    from convviz.limits import CONFIG_FILE_LIMIT

    at = AppTest.from_function(_upload_script, args=(CONFIG_FILE_LIMIT + over,), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    if not over:
        assert [m.value for m in at.markdown] == ["loaded input_text=[[1, 2, 3]]"], [e.value for e in at.error]
        return
    said = [e.value for e in at.error]
    assert len(said) == 1 and said[0].startswith(f"configuration file: {CONFIG_FILE_LIMIT + 1:,} bytes is more than "
                                                 f"the {CONFIG_FILE_LIMIT:,}"), said
    assert "must not stall the class" in said[0]
