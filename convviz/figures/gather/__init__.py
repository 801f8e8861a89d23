"""The gather animation: the same result as a direct convolution over the zero-inserted, padded input.

The same files as ``scatter/`` (``figures.animation`` holds what both share):

- ``view``: the figure (``gather_animation``), ``frame(trace, step, options)`` and ``frame_count``.
- ``plan``: what will be drawn (frames, rows, sizes): ``make_plan(trace, options)``.
- ``frames``: the data one frame changes; ``stamp``: the window and flipped kernel on ``x2``; ``static``: what
  never changes.
"""
from .plan import GatherOptions, Plan, make_plan
from .view import frame, frame_count, gather_animation

__all__ = ["GatherOptions", "Plan", "frame", "frame_count", "gather_animation", "make_plan"]
