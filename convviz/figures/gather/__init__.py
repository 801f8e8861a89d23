"""The gather animation: the same result as a direct convolution over the zero-inserted, padded input.

- ``view``: the figure (``gather_animation``) and ``frame(trace, step, batch, large)``; ``stamp``: the window and
  flipped kernel on ``x2``.
- ``plan``: what will be drawn (frames, rows, sizes): ``make_gather_plan(trace, batch, large)``.
"""
from .plan import GatherPlan, make_gather_plan
from .view import frame, gather_animation

__all__ = ["GatherPlan", "frame", "gather_animation", "make_gather_plan"]
