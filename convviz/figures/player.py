"""Play / pause buttons, speed choice and a frame slider for animated figures."""
from __future__ import annotations

from typing import Any

from .theme import Theme

BASE_MS = 900  # one frame at 1× speed
SPEEDS = (0.5, 1.0, 2.0)


def _play(duration: float) -> dict[str, Any]:
    return {"frame": {"duration": duration, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 0}, "mode": "immediate"}


def play_controls(frame_names: list[str], labels: list[str], theme: Theme, below: int = 60) -> dict[str, Any]:
    """Layout entries ``updatemenus`` and ``sliders`` for frames named ``frame_names``.

    ``labels`` are the slider's current-value texts (e.g. ``x[0, 3]``). With many frames the tick labels are
    hidden so they do not pile up; the current value still names the frame. The buttons sit ``below``
    pixels under the plot area, the slider on its own row under them; Play and Pause above the plot, at the right.
    """
    pause = {"label": "❚❚ Pause", "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                               "transition": {"duration": 0}}]}
    buttons = [{"label": "▶ Play", "method": "animate", "args": [None, _play(BASE_MS)]}, pause]
    speeds = [{"label": f"{speed:g}×", "method": "animate", "args": [None, _play(BASE_MS / speed)]}
              for speed in SPEEDS]
    menu = {"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
            "y": 0.0, "yanchor": "top", "pad": {"t": below, "r": 6}, "font": {"size": theme.font_size}}
    steps = [{"label": label, "method": "animate",
              "args": [[name], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                                "transition": {"duration": 0}}]}
             for name, label in zip(frame_names, labels)]
    crowded = len(steps) > 12
    slider = {"active": 0, "steps": steps, "x": 0.0, "len": 1.0, "y": 0.0, "yanchor": "top",
              "pad": {"t": below + 2 * theme.font_size + 14, "b": 4}, "transition": {"duration": 0},
              "currentvalue": {"prefix": "", "visible": True, "xanchor": "left",
                               "font": {"size": theme.font_size, "color": "#1a1a1a"}},
              "font": {"size": theme.font_size - 3, "color": "rgba(0,0,0,0)" if crowded else "#444"},
              "ticklen": 0 if crowded else 4, "minorticklen": 0}
    # Play sits at the top right, beside the title, so that it is on screen when the page opens (the first
    # thing a newcomer is asked to press); the speeds and the slider stay under the plot.
    play = {**menu, "x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom", "pad": {"b": 12, "r": 0},
            "font": {"size": theme.font_size + 2}, "bgcolor": "#f0f6fb", "bordercolor": "#0072B2", "borderwidth": 2}
    return {"updatemenus": [{**play, "buttons": buttons},
                            {**menu, "x": 1.0, "xanchor": "right", "buttons": speeds}],
            "sliders": [slider]}
