"""The Practice view: one output value worked out by hand, with the worked example's steps fading level by level
(:mod:`convviz.practice`): level 0 shows every product, landing position and sum; level 1 hides the sum, level 2
the products too, level 3 the landing positions too. Each blank is checked as it is typed (Enter or Tab), a wrong
step is answered with the mistake it comes from and the step shown, and **Next exercise** goes one level on with
a layer chosen to need what was got wrong. Quiz mode draws the same worksheet from the quiz's seed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ..errors import ConvSpecError
from ..limits import text_limit
from ..practice import (
    LEVEL_TITLES,
    LEVELS,
    Exercise,
    Step,
    StepCheck,
    busiest_cell,
    check_step,
    needs_of,
    next_exercise,
    steps,
)
from .cache import Key
from .keys import PRACTICE, practice_button, practice_step
from .model import Built

BOX_WIDTH = 560  # pixels: a step's box, as wide as what it asks (its label wraps)
AGAIN = object()  # a path's source after Start again: equal to nothing, so the path starts over


@dataclass
class Path:
    """One student's way through the levels (kept in the session under a key of :mod:`keys`)."""

    exercise: Exercise
    source: Any  # what the first exercise was made from (the sidebar's layer, a quiz seed): a change starts over
    seed: int  # the next exercises are drawn from seed + number
    serial: int = 0  # counts every exercise shown on this path, Start again included: names its boxes
    level: int = 0
    number: int = 0  # exercises done before this one
    checked: dict[int, StepCheck | str] = field(default_factory=dict)  # step index → verdict (str: unreadable)
    mistakes: list[str] = field(default_factory=list)  # what went wrong on this exercise (chooses the next one)
    chosen_for: tuple[str, ...] = ()  # what this exercise's layer was chosen to need (the last one's mistakes)


def step_field(step: Step) -> str:
    """The text limit's field of a step's box (:mod:`convviz.limits`): the landing pairs, or one number."""
    return "taps" if step.kind == "taps" else "value"


def sidebar_exercise(built: Built) -> Exercise:
    """The sidebar's layer, at the first cell most (i, k) pairs reach (sample 0 of a batch)."""
    t, s = built.trace, built.spec
    channel, index = busiest_cell(t)
    return Exercise(built.input, built.weight, built.bias, s.stride, s.padding, s.output_padding, s.groups,
                    s.dilation, channel, index)


def path_of(prefix: str, first: Callable[[], Exercise], source: Any, seed: int) -> Path:
    """The session's path under ``prefix``, started over (at level 0) when its ``source`` changed."""
    path = st.session_state.get(prefix)
    if not isinstance(path, Path) or path.source is AGAIN or path.source != source:
        serial = path.serial + 1 if isinstance(path, Path) else 0
        path = Path(first(), source, seed, serial)
        st.session_state[prefix] = path
    return path


def _checked(prefix: str, index: int) -> None:
    """A blank was typed (Enter or leaving it): mark it, and note the mistake for the next layer."""
    path: Path = st.session_state[prefix]
    step = steps(path.exercise, path.level)[index]
    text = str(st.session_state.get(practice_step(prefix, path.serial, index), "")).strip()
    if not text:
        path.checked.pop(index, None)
        return
    try:
        verdict = check_step(path.exercise, step, text)
    except ConvSpecError as error:
        path.checked[index] = f"Cannot read that: {error}"
        return
    path.checked[index] = verdict
    if not verdict.correct:
        path.mistakes.extend(verdict.mistakes or (step.kind,))


def _next(prefix: str) -> None:
    """Next exercise: one level on (level 3 repeats), its layer chosen for this one's mistakes."""
    path: Path = st.session_state[prefix]
    path.exercise = next_exercise(path.seed + path.number + 1, path.mistakes, path.exercise)
    path.chosen_for = needs_of(path.mistakes)
    path.level, path.number, path.serial = min(path.level + 1, LEVELS[-1]), path.number + 1, path.serial + 1
    path.checked, path.mistakes = {}, []


def _again(prefix: str) -> None:
    path = st.session_state.get(prefix)
    if isinstance(path, Path):
        path.source = AGAIN


def revealed(prefix: str = PRACTICE) -> bool:
    """Whether the current exercise's value is on screen (shown at level 0, or its sum step checked)."""
    path = st.session_state.get(prefix)
    if not isinstance(path, Path):
        return True  # a fresh path starts at level 0, where the sum is shown
    last = len(steps(path.exercise, path.level)) - 1
    return path.level == 0 or last in path.checked


def practice_ui(prefix: str, first: Callable[[], Exercise], source: Any, seed: int) -> None:
    """The worksheet of the path under ``prefix`` (started from ``first()``, again when ``source`` changes)."""
    path = path_of(prefix, first, source, seed)
    ex, level = path.exercise, path.level
    st.markdown(f"**Practice, level {level} of {LEVELS[-1]}: {LEVEL_TITLES[level]}.** Work out **{ex.target}** "
                f"by hand. Type each blank and press Enter (or Tab); each step is checked as you go.")
    if path.number:
        st.caption("Not the sidebar's layer: " + (f"this one was chosen to need {', '.join(path.chosen_for)}, what "
                                                  f"the last exercise got wrong." if path.chosen_for else
                                                  "the last exercise's layer, another cell."))
    st.code(ex.describe(), language=None, wrap_lines=True)
    shown: list[str] = []
    all_steps = steps(ex, level)
    for index, step in enumerate(all_steps):
        if not step.blank:
            shown.append(f"- `{step.text}`")
            continue
        if shown:
            st.markdown("\n".join(shown))
            shown = []
        st.text_input(step.prompt, key=practice_step(prefix, path.serial, index),
                      max_chars=text_limit(step_field(step)), on_change=_checked, args=(prefix, index),
                      placeholder="e.g. 0 2, 1 0" if step.kind == "taps" else "e.g. 0.53", width=BOX_WIDTH)
        verdict = path.checked.get(index)
        if isinstance(verdict, str):
            st.error(verdict, icon=":material/error:")
        elif verdict is not None:
            (st.success if verdict.correct else st.warning)(
                verdict.message, icon=":material/check_circle:" if verdict.correct else ":material/cancel:")
        if step.kind == "taps" and not isinstance(verdict, StepCheck):
            st.caption("The products follow once you have said which (i, k) reach the cell: they would tell you.")
            break
    if shown:
        st.markdown("\n".join(shown))
    _progress_ui(prefix, path, [i for i, s in enumerate(all_steps) if s.blank])


def _progress_ui(prefix: str, path: Path, blank: list[int]) -> None:
    done = [i for i in blank if isinstance(path.checked.get(i), StepCheck)]
    right = sum(1 for i in done if isinstance(v := path.checked[i], StepCheck) and v.correct)
    needs = needs_of(path.mistakes)
    if blank:
        st.caption(f"{right} of {len(blank)} steps right so far"
                   + (f"; the next layer will need: {', '.join(needs)}." if needs else "."))
    left, right_col, _ = st.columns([1, 1, 4])
    left.button("Next exercise", key=practice_button(prefix, "next"), on_click=_next, args=(prefix,),
                type="primary" if len(done) == len(blank) else "secondary",
                help="One level on; the layer is chosen to need what you got wrong.")
    right_col.button("Start again", key=practice_button(prefix, "again"), on_click=_again, args=(prefix,),
                     help="Back to level 0 with the first exercise.")


def practice_view(key: Key, built: Built, seed: int) -> None:
    """The Practice view of the page: its path starts from the sidebar's layer (``key``: its settings)."""
    practice_ui(PRACTICE, lambda: sidebar_exercise(built), key, seed)
