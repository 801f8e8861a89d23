"""Predict, then reveal: a question, the student's answer, the check, then the worksheet or animation step. Or
practice step by step: the faded worksheet of the Practice view (``practice_ui``), drawn from the quiz's seed, so a
class on the same seed works through the same exercises."""
from __future__ import annotations

import numpy as np
import streamlit as st

from .. import quiz
from ..arguments import MODULE_INTS
from ..limits import text_limit
from ..practice import next_exercise
from ..values import parse_values
from ..worksheet import explain, length_formula
from .cache import Key, cached_build, cached_chart
from .keys import (
    QUIZ_ANSWER,
    QUIZ_ANSWERED,
    QUIZ_ASKED,
    QUIZ_KIND,
    QUIZ_PRACTICE,
    QUIZ_RIGHT,
    QUIZ_SEED,
    QUIZ_VERDICT,
)
from .model import settings_key
from .parts import chart, table
from .practice_ui import practice_ui

KINDS = ("Predict, then reveal", "Practice, step by step")


@st.cache_resource(max_entries=256, show_spinner=False)
def question_for(seed: int) -> quiz.Question:
    """The question of ``seed`` (shared: a class working through the same seeds builds each once)."""
    return quiz.make_question(seed)


def _question() -> quiz.Question:
    seed = st.session_state.setdefault(QUIZ_SEED, int(st.session_state.get("seed", 42)))
    return question_for(seed)


def next_question() -> None:
    st.session_state[QUIZ_SEED] = st.session_state.get(QUIZ_SEED, 0) + 1
    st.session_state[QUIZ_ANSWERED] = False
    st.session_state[QUIZ_ANSWER] = ""


def submit() -> None:
    q = _question()
    answer = st.session_state.get(QUIZ_ANSWER, "")
    right, verdict = quiz.check(q, answer)
    st.session_state[QUIZ_ANSWERED] = True
    st.session_state[QUIZ_VERDICT] = (right, f"You answered {answer.strip() or 'nothing'}. {verdict}")
    st.session_state[QUIZ_ASKED] = st.session_state.get(QUIZ_ASKED, 0) + 1
    st.session_state[QUIZ_RIGHT] = st.session_state.get(QUIZ_RIGHT, 0) + int(right)


def quiz_ui() -> None:
    """The quiz page: configuration shown, answer hidden until the student commits to a prediction; or the
    practice worksheet, its steps fading level by level."""
    kind = st.segmented_control("quiz", KINDS, key=QUIZ_KIND, default=KINDS[0],
                                help="A question to predict, or one output value worked out step by step") or KINDS[0]
    if kind == KINDS[1]:
        seed = int(st.session_state.setdefault(QUIZ_SEED, int(st.session_state.get("seed", 42))))
        st.subheader("Practice, step by step")
        practice_ui(QUIZ_PRACTICE, lambda: next_exercise(seed), ("quiz", seed), seed)
        return
    q = _question()
    s = q.settings
    asked, right = st.session_state.get(QUIZ_ASKED, 0), st.session_state.get(QUIZ_RIGHT, 0)
    st.subheader("Predict, then reveal")
    number = asked + 1 - int(st.session_state.get(QUIZ_ANSWERED, False))
    st.caption(f"Score this session: {right} of {asked} · question {number}")
    args = ", ".join(f"{k}={s[k]}" for k in MODULE_INTS if k in s)
    st.code(f"nn.ConvTranspose1d({args}, bias={s['bias']})", language="python", wrap_lines=True)
    x = np.asarray(s["input"], dtype=np.float32)
    left, right_col = st.columns(2)
    left.markdown("**input x**")
    left.dataframe(table(x, "in"), width="stretch")
    if q.kind != "length":
        right_col.markdown("**weight** (rows: in_channel, out_channel within group; columns: taps)")
        w = np.asarray(parse_values(s["weight_text"]), dtype=np.float32)
        right_col.dataframe(table(w.reshape(-1, w.shape[-1]), "w"), width="stretch")
        right_col.caption(f"bias: {s['bias_text'] if s['bias'] else 'none'}")
    st.markdown(f"### {q.prompt}")
    answered = st.session_state.get(QUIZ_ANSWERED, False)
    with st.form("quiz_form", clear_on_submit=False, border=False):
        st.text_input("your answer", key=QUIZ_ANSWER, max_chars=text_limit("answer"),
                      placeholder="e.g. 13" if q.kind != "touches" else "e.g. 0, 2, 4")
        st.form_submit_button("Check", on_click=submit, disabled=answered, type="primary")
    if answered:
        ok, verdict = st.session_state[QUIZ_VERDICT]
        (st.success if ok else st.error)(verdict)
        _reveal(q)
    st.button("Next question", on_click=next_question)


def question_key(q: quiz.Question) -> Key:
    """The question's configuration as app settings (typed input and weights), for the shared caches."""
    return settings_key({**{k: v for k, v in q.settings.items() if k not in ("input", "about")}, "preset": "(quiz)"})


def _reveal(q: quiz.Question) -> None:
    key = question_key(q)
    t = cached_build(key).trace
    if q.kind == "length":
        st.latex(length_formula(t.spec, t.length, fmt="latex"))
    elif q.kind == "value":
        st.markdown(explain(t, *q.target, fmt="markdown"))
        st.markdown("**The whole output** (shown once you have answered)")
        st.dataframe(table(t.output[0], "out"), width="stretch")
    else:
        channel, index = q.target
        chart(cached_chart(key, "step", 0, index * t.spec.in_channels + channel + 1))  # steps from 1
