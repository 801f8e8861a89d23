"""The scatter animation: every input element times the kernel, landing at ``i·stride + k·dilation``.

Layout, top to bottom: input cells (a row per in-channel, element ``i`` above full position
``i·stride``), the weight stamp under the active element, then the output cells (a row per out-channel)
over every full position, the columns that padding crops away hatched grey, the output_padding cells
outlined with dots. Frame ``k`` plays step ``k``; the last frame adds the bias.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ...trace import Trace
from ..animation import animation_layout, check_step, corner_label, frame_dict, merge, with_player
from ..base import make_figure, signature
from ..geometry import label_every
from ..theme import row_label
from .frames import dynamic_names, frame_traces, own_styles
from .plan import Plan, ScatterOptions, make_plan
from .stamp import stamp_traces, x2_range
from .static import final_layer, input_traces, picks, veils


def _traces(plan: Plan, index: int, now: dict[str, dict[str, Any]] | None = None
            ) -> tuple[list[dict[str, Any]], list[int]]:
    """Every trace, the dynamic ones showing frame ``index`` (``now``: its ``frame_traces``, when already
    made); and where the dynamic ones are in the list."""
    now = now if now is not None else frame_traces(plan, index)
    styles = own_styles(plan)
    own = {name: merge(styles[name], now[name]) for name in styles}
    start = plan.spans[min(index, len(plan.spans) - 1)][0]
    stamp = stamp_traces(plan, start)
    if plan.per_element:  # the stamp shows this frame's element
        stamp = [merge(trace, now[trace["name"]]) for trace in stamp]
    # Input numbers after the stamp's arrows: an arrow from x[0, i] crosses the rows below it, and the numbers
    # it crosses stay on top (heatmap cells are drawn under every scatter trace anyway).
    traces = [final_layer(plan), own["mask"], *veils(plan), *stamp, *input_traces(plan), own["sums"],
              own["landing"], own["caption"], own["bias"], picks(plan)]
    names = [trace["name"] for trace in traces]
    return traces, [names.index(name) for name in dynamic_names(plan)]


def _frame(plan: Plan, index: int, traces: list[int], data: dict[str, dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    data = data if data is not None else frame_traces(plan, index)
    return frame_dict(frame_name(plan, index), list(data.values()), traces, x2_range(plan, index))


def frame_name(plan: Plan, index: int) -> str:
    return "result" if index == len(plan.spans) else str(index)


def frame_label(plan: Plan, index: int) -> str:
    """Slider text of frame ``index``: ``x[c, i]``, ``x[:, i]`` or ``+ bias``."""
    if index == len(plan.spans):
        return "result"
    start = plan.spans[index][0]
    c, i = plan.trace.step_element(start)
    return f"x[{c}, {i}]" if plan.per_element or plan.c_in == 1 else f"x[:, {i}]"


def frame(trace: Trace, step: int, options: ScatterOptions | None = None) -> dict[str, Any]:
    """Frame ``step`` of the scatter animation as a Plotly frame dict (``name``, ``data``, ``traces``): a
    pure function of the trace. Frames ``0 … frame_count - 2`` play the steps (or positions, when grouped);
    the last is the result.

    Example::

        >>> import numpy as np
        >>> from convviz.trace import trace as run
        >>> t = run(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
        >>> f = frame(t, 1)
        >>> landing = f["data"][-3]  # the traces before it: mask, taps, heads, stamp, active, sums
        >>> f["name"], landing["x"].tolist(), landing["text"]  # x[0, 1] = 2 lands at 2, 3, 4
        ('1', [2, 3, 4], ['+2', '+20', '+200'])
    """
    plan = make_plan(trace, options or ScatterOptions())
    check_step(step, plan.n_frames, result_last=True)
    return _frame(plan, step, _traces(plan, step)[1])


def frame_count(trace: Trace, options: ScatterOptions | None = None) -> int:
    """How many frames ``scatter_animation`` makes (steps or positions, plus the result frame)."""
    return make_plan(trace, options or ScatterOptions()).n_frames


def _layout(plan: Plan, title: str, index: int, controls_room: bool = True) -> dict[str, Any]:
    """The layout at frame ``index``; ``controls_room`` leaves space under the plot for play / slider."""
    t, s, theme = plan.trace, plan.trace.spec, plan.theme
    every = label_every(plan.cell_px, theme.font_size, plan.full_length)
    f = np.arange(0, plan.full_length, every)
    j = t.output_index(f)  # -1 where padding crops
    ticks = [f"<b>{jj}</b><br>{ff}" if jj >= 0 else f"✂<br>{ff}" for jj, ff in zip(j.tolist(), f.tolist())]
    y_labels = [(-0.85, "input index i")]
    groups = s.groups
    for c in range(plan.c_in):
        g = c // plan.group_in
        y_labels.append((float(plan.y_in(c)), row_label(f"x[{c}, :]", g, groups)))
    for r in range(plan.stamp_rows):
        label = f"w[c, {r}, k]" if plan.weights_shown else "taps k"
        y_labels.append((float(plan.y_stamp(r)), label))
    for o in range(plan.c_out):
        g = o // plan.group_out
        y_labels.append((float(plan.y_out(o)), row_label(f"out[{o}, :]", g, groups)))
    extra_lines = max(0, title.count("<br>") - 2)  # a long note wraps onto more subtitle lines
    corner = corner_label("out j<br>full f", yshift=-2, align="right", font={"size": theme.font_size - 1})
    return animation_layout(theme, title, plan.plot_height, int(theme.title_size * (6.5 + 1.8 * extra_lines)),
                            plan.x_range, (f.tolist(), ticks), x2_range(plan, index), plan.y_range, y_labels,
                            corner, controls_room)


def _title(plan: Plan) -> str:
    t = plan.trace
    s = t.spec
    output = " = output index j" if s.padding == 0 else f"; output index j = f − {s.padding}"
    head = (f"{signature(t)}<br><sup>each x[c, i] · w[c, o, k] lands at full index f = i·{s.stride} + "
            f"k·{s.dilation}{output}</sup>")
    if plan.per_element:
        note = f"{t.steps_per_batch} steps, one per input element (in_index, then in_channel)"
    else:
        note = (f"{t.steps_per_batch} steps, one per input element"
                if plan.c_in == 1 else f"{t.steps_per_batch} steps grouped into {t.length} frames, one per input "
                f"position (all {plan.c_in} in-channels together)")
    if not plan.show_text:
        colours = ("white 0, darker blue = larger |value|" if plan.complex
                   else "blue negative, white 0, red positive")
        note += (f"<br>{plan.full_length} cells are too narrow for numbers: cells coloured by value ({colours}); "
                 f"hover a cell for its number, click an output cell for its sum")
    if not plan.full_window:
        note += "; each frame shows only the sums it changes"
    if t.batched:
        note += f"; sample {plan.batch} of {t.input.shape[0]}"
    return f"{head}<br><sup>{note}</sup>"


def _description(plan: Plan) -> str:
    t, s = plan.trace, plan.trace.spec
    return (f"Animation of {signature(t)} on an input of length {t.length}: each of the {t.steps_per_batch} "
            f"input elements is multiplied by the {s.kernel_size} kernel taps and the products land in the "
            f"full buffer of length {plan.full_length} at i·{s.stride} + k·{s.dilation}; padding {s.padding} "
            f"crops {2 * s.padding} cells, leaving {t.output_length} outputs. {plan.n_frames} frames; "
            f"the last adds the bias.")


def _still_description(plan: Plan, step: int) -> str:
    """The text description of one still: what this step does, or what the result shows."""
    t, s = plan.trace, plan.trace.spec
    if step == len(plan.spans):
        bias = "plus the bias" if t.bias is not None else "(bias=False)"
        crop = (f"; padding {s.padding} crops {2 * s.padding} cells of the full buffer of length {plan.full_length}"
                if s.padding else "")
        return (f"The result of {signature(t)} on an input of length {t.length}: all {t.steps_per_batch} input "
                f"elements have scattered their {s.kernel_size} kernel taps; each output is the sum of what landed "
                f"on it {bias}{crop}, giving {s.out_channels} × {t.output_length} outputs.")
    c, i = t.step_element(step)
    f = t.landing(i)
    x = plan.short(t.input[plan.batch, c, i], "x", stacked=False).item()
    where = "every out-channel" if s.groups == 1 else f"the out-channels of group {c // plan.group_in}"
    return (f"Step {step + 1} of {t.steps_per_batch} of {signature(t)}: x[{c}, {i}] = {x} is multiplied by the "
            f"{s.kernel_size} kernel taps w[{c}, :, k] and the products land at full indices i·{s.stride} + "
            f"k·{s.dilation} = {', '.join(map(str, f.tolist()))} of {where}; the output rows show the running "
            f"sums so far.")


def scatter_animation(trace: Trace, batch: int = 0, large: bool = False,
                      options: ScatterOptions | None = None) -> go.Figure:
    """The scatter animation of sample ``batch``: a frame per input element (or per input position when
    there are too many), then the result. Play / pause, 0.5×/1×/2× speed and a slider.

    Trace names the app can rely on: ``"pick"`` (transparent squares over the output cells,
    ``customdata = [out_channel, out_index]``), ``"landing"`` (the cells the current frame's taps land
    on), ``"sums"`` (running sums; in the last frame, the output).
    """
    plan = make_plan(trace, options or ScatterOptions(batch=batch, large=large))
    first = frame_traces(plan, 0)  # the figure opens on frame 0: made once, for the traces and the frame
    traces, dynamic = _traces(plan, 0, first)
    frames = [_frame(plan, k, dynamic, first if k == 0 else None) for k in range(plan.n_frames)]
    layout = with_player(_layout(plan, _title(plan), 0), [f["name"] for f in frames],
                         [frame_label(plan, k) for k in range(plan.n_frames)], plan.theme)
    return make_figure(traces, layout, _description(plan), frames)


def scatter_step_figure(trace: Trace, step: int, batch: int = 0, large: bool = False,
                        highlight: tuple[int, int] | None = None) -> go.Figure:
    """One still frame of the animation, no animation machinery: for presenter mode's Next / Previous.
    ``step`` counts input elements, ``0 … trace.steps_per_batch``; the last one is the result.
    ``highlight=(out_channel, out_index)`` draws a thick frame (trace ``"highlight"``) around that output cell."""
    plan = make_plan(trace, ScatterOptions(batch=batch, group="element", large=large, still=True))
    check_step(step, plan.n_frames, result_last=True)
    if step == len(plan.spans):  # the result has no stamp: drop its empty rows
        plan = replace(plan, stamp_hidden=True)
    traces, _ = _traces(plan, step)
    if highlight is not None:
        channel, index = highlight
        traces.insert(len(traces) - 1, {"type": "scatter", "name": "highlight", "mode": "markers", "hoverinfo": "skip",
                       "x": [index + trace.spec.padding], "y": [float(plan.y_out(np.array([channel]))[0])],
                       "marker": {"symbol": "square-open", "size": max(plan.marker_px * 1.15, plan.pick_px),
                                  "color": "#000000",
                                  "line": {"width": 4}}})
    layout = _layout(plan, _title(plan), step, controls_room=False)
    return make_figure(traces, layout, _still_description(plan, step))


__all__ = ["ScatterOptions", "frame", "frame_count", "scatter_animation", "scatter_step_figure"]
