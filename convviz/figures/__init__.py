"""Plotly views of a ``Trace``: every picture is drawn from the trace's numbers (Plotly only: no Streamlit,
no torch).

- ``scatter_animation`` — the heart: each input element times the kernel lands at ``i·stride + k·dilation``.
- ``scatter_step_figure`` — one still frame of it, for stepping with Next / Previous.
- ``frame(trace, step, options)`` — one animation frame as data, a pure function.
- ``gather_animation`` — the same result as a direct convolution over the zero-inserted, padded input;
  ``gather_frame(trace, step, options)`` — one of its frames, ``gather_frame_count`` how many.
- ``matrix_figure`` — ``y = M·x + b`` with ``M`` from ``convviz.forms``.
- ``overlap_figure`` — overlap counts per output position (the checkerboard).
- ``groups_figure`` — in-channels to out-channels, by group.
- ``to_html``, ``output_csv``, ``contributions_csv`` — exports.

Every view function returns a ``View`` (frozen: data, layout, frames, description): plain data. ``to_figure(view)``
makes its ``go.Figure``; ``describe(view)`` is its text description. Importing this package changes nothing global.

Layout: ``scatter/`` and ``gather/`` (one subpackage per animation, the same files in each: ``plan``, ``stamp``,
``frames``, ``static``, ``view``), ``animation`` (what both do alike: options, row budget, mask, caption, axes,
layout, picks), ``geometry`` (rows of cells, the kernel stamp, text fitting, label spacing), ``player``
(play / pause / speed / slider), ``cells`` (trace-dict builders), ``theme``, ``formatting``, ``base``.

Figures that hold output cells carry a transparent scatter trace named ``"pick"`` over them with
``customdata = [out_channel, out_index]``, so ``st.plotly_chart(on_select="rerun", selection_mode="points")``
can tell which output was clicked.
"""
from . import theme
from .base import View, describe, to_figure
from .export import contributions_csv, output_csv, to_html
from .gather import GatherOptions, gather_animation
from .gather import frame as gather_frame
from .gather import frame_count as gather_frame_count
from .groups import groups_figure
from .matrix import matrix_figure
from .overlap import overlap_figure
from .scatter import ScatterOptions, frame, frame_count, scatter_animation, scatter_step_figure
from .theme import DEFAULT, PRESENTER

__all__ = ["DEFAULT", "GatherOptions", "PRESENTER", "ScatterOptions", "contributions_csv", "describe", "frame",
           "frame_count", "gather_animation", "gather_frame", "gather_frame_count", "groups_figure", "matrix_figure",
           "output_csv", "overlap_figure", "scatter_animation", "scatter_step_figure", "theme", "to_figure",
           "to_html", "View"]
