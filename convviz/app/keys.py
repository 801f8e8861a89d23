"""Every session-state and link key of the page, named once (no module spells one as a bare string).

The convolution's own settings are keyed by their argument names (``convviz.arguments.ARGUMENTS``: the sidebar's
widget keys and the link's parameters are those names); everything else the page keeps is here. The link
parameters are the first block; ``pages`` says which view owns which, ``links`` validates them.
"""
from __future__ import annotations

CUSTOM = "(custom)"  # the preset choice that means "no preset: my own settings" (sidebar, stack, links)

# -- link parameters of the page itself (also session keys) -------------------------------------------------
MODE = "mode"  # Explore / Quiz / Presenter (the sidebar's switch)
TAB = "tab"  # the view shown, by its title (pages.VIEWS); in the session, the views' tabs (one key for all)
PRESET = "preset"  # a named configuration, applied once when a link opens
STEP = "step"  # the stepper's step, counted from 1 (Scatter's step by step and the Presenter)
CALC_CHANNEL = "calc_channel"  # the hand calculation's output cell
CALC_INDEX = "calc_index"
STACK = "stack"  # the Stack view's layers as one line of text (convviz.stack.format_stack)
PORT_FROM = "port_from"  # the Port view's framework and its arguments (port_ui.PORT_LINK, convviz.port.text)
PORT_ARGS = "port_args"

HAND_CALCULATION = "Hand calculation"  # the title of the view other views open (pages.VIEWS has them all)

# -- session only -------------------------------------------------------------------------------------------
STARTED = "_started"  # the link has been read into the session
LINK_PROBLEMS = "_link_problems"  # what the opening link had wrong, one sentence each
LINK_REFUSED = "_link_refused"  # the opening link's values longer than their field allows, one sentence each
GROUP = "group"  # the open group of views (the outer tabs)
SHOWN = "_shown"  # the last view shown (kept while no view is drawn: the Presenter, an error)
GO_TO = "_go_to"  # a view to open on the next run (a button's callback, or the opening link's tab)
SCATTER_VIEW = "scatter_view"  # Animation / Step by step
STEP_SLIDER = "step_slider"
STEP_PREV = "step_prev"
STEP_NEXT = "step_next"
PICK = "pick"  # the hand calculation chart's click selection
INPUTS_OPEN = "inputs_open"  # the input / weight / bias expander
CONFIG_FILE = "config_file"
CONFIG_ERROR = "config_error"

SCATTER_BATCH = "scatter_batch"
GATHER_BATCH = "gather_batch"
MATRIX_BATCH = "matrix_batch"
CALC_BATCH = "calc_batch"
PRESENT_BATCH = "present_batch"
ANSWER_BATCH = "answer_batch"
PNG_BATCH = "png_batch"
PNG_VIEW = "png_view"

STACK_PRESET = "stack_preset"
STACK_LENGTH = "stack_length"
STACK_ERROR = "stack_error"

QUIZ_SEED = "quiz_seed"
QUIZ_ANSWER = "quiz_answer"
QUIZ_ANSWERED = "quiz_answered"
QUIZ_VERDICT = "quiz_verdict"
QUIZ_ASKED = "quiz_asked"
QUIZ_RIGHT = "quiz_right"
QUIZ_KIND = "quiz_kind"  # Predict, then reveal / Practice, step by step
QUIZ_PRACTICE = "quiz_practice"  # the quiz's practice path (practice_ui.Path), from the quiz's seed

PRACTICE = "practice"  # the Practice view's path through the levels (practice_ui.Path), from the sidebar's layer

ANSWER_WHAT = "answer_what"
ANSWER_ENTRY = "answer_entry"
ANSWER_CHANNEL = "answer_channel"
ANSWER_INDEX = "answer_index"
ANSWER_TEXT = "answer_text"
ANSWER_GRID_LENGTH = "answer_grid_length"
ANSWER_SUBMITTED = "answer_submitted"
ANSWER_FIRST = "answer_first"
ANSWER_FIRST_BUTTON = "answer_first_button"
ANSWER_OPEN_CALC = "answer_open_calc"
ANSWER_FORMULA = "answer_formula"


def answer_grid(rows: int, length: int) -> str:
    """The answer grid's data editor (a new grid, and key, when its shape changes)."""
    return f"answer_grid_{rows}x{length}"


def practice_step(path: str, serial: int, index: int) -> str:
    """The box of step ``index`` of exercise ``serial`` on the practice path ``path`` (PRACTICE, QUIZ_PRACTICE): a
    new exercise gets new, empty boxes."""
    return f"{path}_step_{serial}_{index}"


def practice_button(path: str, name: str) -> str:
    """A button of the practice path ``path``: ``next`` (Next exercise) or ``again`` (Start again)."""
    return f"{path}_{name}"


def download(name: str) -> str:
    return f"download_{name}"
