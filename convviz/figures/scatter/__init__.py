"""The scatter animation: every input element times the kernel lands at ``i·stride + k·dilation``.

The same files as ``gather/`` (``figures.animation`` holds what both share):

- ``view``: the figures (``scatter_animation``, ``scatter_step_figure``), ``frame(trace, step, options)`` and
  ``frame_count``.
- ``plan``: what will be drawn (frame grouping, rows, text sizes, size budgets): ``make_plan(trace, options)``.
- ``frames``: the data one frame changes; ``stamp``: the kernel stamp on ``x2``; ``static``: what never changes.
"""
from .plan import Plan, ScatterOptions, make_plan
from .view import frame, frame_count, scatter_animation, scatter_step_figure

__all__ = ["Plan", "ScatterOptions", "frame", "frame_count", "make_plan", "scatter_animation", "scatter_step_figure"]
