"""The page registry: every view with its title, its group, what draws it and the link parameters it owns.

A view is drawn only while it is open (lazy tabs), so a rerun pays for one view. The views are grouped the way
the page is used, as two rows of tabs: a group, then its views. Scatter, the first view of the first group, is
what a fresh page shows. A link names a view by its title (``?tab=Overlap``), whatever its group.

Also here: how a session starts from its link (``start_session``: the one reader of the URL) and the page's own
part of the link (``page_link``: the open view and what it owns; ``main`` writes the URL from it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from .answer_ui import answer_tab, answered
from .cache import Key
from .conv1d_ui import conv1d_tab
from .exports import exports_ui
from .keys import (
    CALC_CHANNEL,
    CALC_INDEX,
    CUSTOM,
    GO_TO,
    GROUP,
    HAND_CALCULATION,
    LINK_PROBLEMS,
    LINK_REFUSED,
    MODE,
    PRESET,
    SCATTER_VIEW,
    SHOWN,
    STACK,
    STARTED,
    STEP,
    TAB,
)
from .links import MODES, read_link, sized
from .model import Built
from .panels import (
    WATCH,
    gather_view,
    groups_view,
    hand_calculation_link,
    hand_calculation_view,
    matrix_view,
    overlap_view,
    scatter_link,
    scatter_view,
    torch_view,
)
from .port_ui import PORT_LINK, port_link, port_ui
from .practice_ui import practice_view, revealed
from .sidebar import apply_preset
from .stack_ui import stack_link, stack_ui


@dataclass(frozen=True)
class Context:
    """What a view is drawn from: the configuration's cache key, its build and the sidebar's settings."""

    key: Key
    built: Built
    settings: dict[str, Any]


def _nothing() -> dict[str, Any]:
    return {}


def _never(context: Context) -> bool:
    return False


@dataclass(frozen=True)
class View:
    """One view of the page (a tab)."""

    title: str  # on the tab and in the link (?tab=…)
    group: str
    render: Callable[[Context], None]
    params: tuple[str, ...] = ()  # the link parameters it owns
    link: Callable[[], dict[str, Any]] = _nothing  # their values now (None: left out of the link)
    hides_output: Callable[[Context], bool] = _never  # True: the output table above would give the answer away


SEE, WORK, FURTHER, VERIFY = GROUPS = ("See it", "Work it out", "Go further", "Verify & take away")
VIEWS: tuple[View, ...] = (
    View("Scatter", SEE, lambda c: scatter_view(c.key, c.built), (STEP,), scatter_link),
    View("Gather", SEE, lambda c: gather_view(c.key, c.built)),
    View("Matrix", SEE, lambda c: matrix_view(c.key, c.built)),
    View("Overlap", SEE, lambda c: overlap_view(c.key, c.built)),
    View("Groups", SEE, lambda c: groups_view(c.key, c.built)),
    View(HAND_CALCULATION, WORK, lambda c: hand_calculation_view(c.key, c.built), (CALC_CHANNEL, CALC_INDEX),
         hand_calculation_link),
    View("Practice", WORK, lambda c: practice_view(c.key, c.built, int(c.settings.get("seed") or 0)),
         hides_output=lambda c: not revealed()),
    View("Check my answer", WORK, lambda c: answer_tab(c.built), hides_output=lambda c: not answered(c.built.trace)),
    View("Conv1d", FURTHER, lambda c: conv1d_tab(c.built)),
    View("Stack", FURTHER, lambda c: stack_ui(), (STACK,), stack_link),
    View("Port", FURTHER, lambda c: port_ui(c.built.spec, c.built.trace.length), PORT_LINK, port_link),
    View("PyTorch check", VERIFY, lambda c: torch_view(c.built, c.settings)),
    View("Downloads", VERIFY, lambda c: exports_ui(c.key, c.built)),
)
TITLES = tuple(view.title for view in VIEWS)
BY_TITLE = {view.title: view for view in VIEWS}
PRESENTER_PARAMS = (STEP,)  # the Presenter's own link parameter: the step, from 1 as shown


def start_session() -> None:
    """Once per session: the opening link's values into the session (a preset first, then every parameter,
    which wins over it), and what the link had wrong (``link_problems``; values too long to read:
    ``link_refused``)."""
    state = st.session_state
    if state.get(STARTED):
        return
    state[STARTED] = True
    params, state[LINK_REFUSED] = sized(st.query_params.to_dict())  # measured before anything reads them
    values, state[LINK_PROBLEMS] = read_link(params, TITLES)
    name = values.pop(PRESET, None)
    if name is not None and name != CUSTOM:
        apply_preset(name)
        state[PRESET] = name
    if STEP in values and values.get(MODE) != MODES[2]:  # a step in an Explore link: Scatter, step by step
        state[SCATTER_VIEW] = WATCH[1]
    for name, value in values.items():
        state[name] = value


def link_problems() -> list[str]:
    """One sentence for each parameter of the opening link that the page ignored."""
    return list(st.session_state.get(LINK_PROBLEMS, ()))


def link_refused() -> list[str]:
    """One sentence for each value of the opening link that was too long to read (naming the limit and why)."""
    return list(st.session_state.get(LINK_REFUSED, ()))


def _group_changed() -> None:
    """A group was clicked: open its first view."""
    group = st.session_state[GROUP]
    st.session_state[TAB] = next(view.title for view in VIEWS if view.group == group)


def open_view() -> View:
    """The view this run will draw (what ``views_ui`` opens), known before it is drawn."""
    state = st.session_state
    return BY_TITLE.get(state.get(GO_TO) or state.get(TAB) or state.get(SHOWN) or "", VIEWS[0])


def views_ui(context: Context) -> View:
    """The groups, the open group's views, and the open view drawn. Returns the view shown.

    The open view is ``st.session_state[TAB]``: the views' tabs (one row per group, only the open group's is
    drawn, all keyed ``TAB``), a link (``start_session``) or a button (``go_to``) set it; the group follows it.
    """
    state = st.session_state
    wanted = state.pop(GO_TO, None) or state.get(TAB) or state.get(SHOWN)  # SHOWN: tabs not drawn last run
    view = BY_TITLE.get(wanted or "", VIEWS[0])
    state[GROUP], state[TAB], state[SHOWN] = view.group, view.title, view.title
    for group, outer in zip(GROUPS, st.tabs(GROUPS, key=GROUP, on_change=_group_changed)):
        if outer.open:
            views = [v for v in VIEWS if v.group == group]
            with outer:
                for candidate, inner in zip(views, st.tabs([v.title for v in views], key=TAB, on_change="rerun")):
                    if inner.open:
                        with inner:
                            candidate.render(context)
                        return candidate
    return view


def page_link(mode: str, view: View | None) -> dict[str, Any]:
    """The page's own link parameters besides the settings: the mode, then the Presenter's step or the open
    view (left out for the first) and what that view owns. ``view``: None when no view is drawn (an error)."""
    state = st.session_state
    page: dict[str, Any] = {MODE: mode}
    if mode == MODES[2]:
        page[STEP] = state.get(STEP)
    elif mode == MODES[0]:
        title = view.title if view is not None else state.get(SHOWN)
        if title in BY_TITLE and title != TITLES[0]:
            page[TAB] = title
        if view is not None:
            page.update(view.link())
    return page
