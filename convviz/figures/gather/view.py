"""The gather animation: the same result as a direct convolution over the zero-inserted, padded input.

Top: the upsampled input (``stride - 1`` zeros inserted between samples, then ``dilation·(K-1) - padding``
zeros on the left and that plus ``output_padding`` on the right; negative means cropped). Middle: the
flipped, channel-swapped kernel ``w̃[o, c', k] = w[c, o', K-1-k]`` sliding one output position per frame.
Bottom: the outputs, each revealed when its window has been read (equal to ``trace.output``).
The stamp is drawn once on axis ``x2`` and slid by shifting that axis. The files are the scatter animation's:
``plan``, ``stamp``, ``frames``, ``static`` and this ``view`` (``figures.animation`` holds what they share).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ...trace import Trace
from ..animation import (
    animation_layout,
    caption_trace,
    check_step,
    corner_label,
    frame_dict,
    mask_style,
    merge,
    with_player,
)
from ..base import make_figure, signature
from ..geometry import label_every
from ..theme import row_label
from .frames import dynamic_names, frame_traces
from .plan import GatherOptions, Plan, make_plan
from .stamp import stamp_traces, x2_range
from .static import input_traces, output_traces


def _layout(plan: Plan) -> dict[str, Any]:
    theme, s = plan.theme, plan.spec
    groups = s.groups
    y_labels = [(-0.85, "position")]
    y_labels += [(float(plan.y_in(c)), row_label(f"u[{c}, :]", c // plan.group_in, groups))
                 for c in range(plan.c_in)]
    y_labels += [(float(plan.y_stamp(r)), f"w̃[o, {r}, k]" if plan.per_cell else "taps k")
                 for r in range(plan.stamp_rows)]
    y_labels += [(float(plan.y_out(o)), row_label(f"out[{o}, :]", o // plan.group_out, groups))
                 for o in range(plan.c_out)]
    every = label_every(plan.cell_px, theme.font_size, plan.up_length)
    ticks = np.arange(0, plan.trace.output_length, every)
    crop = (f"; padding crops {-plan.form.left_pad} cells" if plan.form.left_pad < 0 else "")
    sub = (f"u: x with stride − 1 = {s.stride - 1} zero(s) inserted between samples, {max(plan.form.left_pad, 0)} "
           f"padded left and {max(plan.form.right_pad, 0)} right{crop}; w̃ = the kernel flipped, in/out swapped")
    if plan.per_cell:
        note = f"{len(plan.frames)} frames, one per output value (out_index, then out_channel)"
    else:
        per = plan.frames[0][1] - plan.frames[0][0]
        note = (f"{len(plan.frames)} frames, one per output position (all out-channels)" if per == 1 else
                f"{len(plan.frames)} frames, one per {per} output positions")
    title = f"{signature(plan.trace)} as a direct convolution<br><sup>{sub}</sup><br><sup>{note}</sup>"
    return animation_layout(theme, title, plan.plot_height, int(theme.title_size * 7), plan.x_range,
                            ((ticks + plan.out_offset).tolist(), [str(v) for v in ticks.tolist()]),
                            x2_range(plan, 0), plan.y_range, y_labels, corner_label("out j"))


def _traces(plan: Plan) -> tuple[list[dict[str, Any]], list[int]]:
    """Every trace as frame 0 shows it; and where the ones each frame updates are in the list."""
    now = frame_traces(plan, 0)
    outputs, grid, picks = output_traces(plan)
    traces = [*input_traces(plan), outputs, merge(mask_style(), now["mask"]), grid, *stamp_traces(plan),
              caption_trace(plan.theme, now["caption"]["text"]), picks]
    order = [t["name"] for t in traces]
    return traces, [order.index(name) for name in dynamic_names(plan)]


def _frame(plan: Plan, index: int, traces: list[int]) -> dict[str, Any]:
    return frame_dict(str(index), list(frame_traces(plan, index).values()), traces, x2_range(plan, index))


def frame(trace: Trace, step: int, options: GatherOptions | None = None) -> dict[str, Any]:
    """Frame ``step`` of the gather animation as a Plotly frame dict (``name``, ``data``, ``traces``): a pure
    function of the trace, equal to ``gather_animation(...).frames[step]``. Every frame computes outputs
    (``frame_count`` frames, no separate result frame).

    Example::

        >>> import numpy as np
        >>> from convviz.trace import trace as run
        >>> t = run(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> frame(t, 2)["data"][-1]["text"]  # the caption: out[0, 2] reads the window u[0, 2 … 4]
        ['out[0, 2] = Σ u[c, 2 + k·1] · w̃[0, c, k] = 1·100 + 0·10 + 2·1 = 102']
    """
    plan = make_plan(trace, options or GatherOptions())
    check_step(step, plan.n_frames, result_last=False)
    return _frame(plan, step, _traces(plan)[1])


def frame_count(trace: Trace, options: GatherOptions | None = None) -> int:
    """How many frames ``gather_animation`` makes (output cells, positions or blocks of positions)."""
    return make_plan(trace, options or GatherOptions()).n_frames


def gather_animation(trace: Trace, batch: int = 0, large: bool = False,
                     options: GatherOptions | None = None) -> go.Figure:
    """The gather (direct convolution) view of sample ``batch``, animated one output per frame.

    Trace names: ``"pick"`` (clickable outputs, ``customdata = [out_channel, out_index]``), ``"outputs"``
    (heatmap of ``trace.output``; its ``text`` holds the cell texts), ``"upsampled cells"`` /
    ``"upsampled values"`` (the zero-inserted, padded input).
    """
    plan = make_plan(trace, options or GatherOptions(batch=batch, large=large))
    traces, dynamic = _traces(plan)
    frames = [_frame(plan, k, dynamic) for k in range(plan.n_frames)]
    labels = [f"out[{o}, {j0}]" if o >= 0 else f"out[:, {j0}]" for j0, _, o in plan.frames]
    layout = with_player(_layout(plan), [f["name"] for f in frames], labels, plan.theme)
    s = plan.spec
    description = (f"Gather view of {signature(trace)}: the input with {s.stride - 1} zeros inserted between "
                   f"samples and padded to length {plan.up_length}, read by the flipped kernel one output at a time; "
                   f"{len(plan.frames)} frames; the outputs equal the scatter form's.")
    return make_figure(traces, layout, description, frames)


__all__ = ["GatherOptions", "frame", "frame_count", "gather_animation"]
