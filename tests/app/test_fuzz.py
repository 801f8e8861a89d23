"""Any settings the sidebar can produce give either a clear ConvSpecError or every view, never a crash."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from convviz import figures
from convviz.app.model import build
from convviz.arguments import ARGUMENTS
from convviz.errors import ConvSpecError
from convviz.presets import DEFAULTS
from convviz.spec import DTYPES
from convviz.worksheet import explain

INTS = {row.name: (row.minimum, row.cap) for row in ARGUMENTS.values() if row.kind == "int"}
TEXTS = ["[[1, 2, 3]]", "[[1, 2], [3, 4]]", "[[[1, 2]], [[3, 4]]]", "1 2 3 4 5", "[[1e39, -inf, nan]]",
         "[[1+2j, 3]]", "[[1, 2]", "", "[]", "[[1, 2], [3]]", "[[0]]", "__import__('os')"]


def random_settings(rng: random.Random) -> dict:
    s = dict(DEFAULTS)
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
                 "dilation", "length", "batch_size"):
        low, high = INTS[name]
        s[name] = rng.randint(low, min(high, 9))
    s.update(dtype=rng.choice(DTYPES), bias=rng.random() < 0.7, batched=rng.random() < 0.3,
             seed=rng.randrange(2**32), output_size=rng.choice([None, None, rng.randint(1, 40)]),
             input_mode=rng.choice(["random", "random", "typed"]), weight_mode=rng.choice(["seeded", "typed"]))
    if rng.random() < 0.7:  # mostly sane, so most cases reach the views; the rest probe the errors
        both = math.gcd(s["in_channels"], s["out_channels"])
        s["groups"] = rng.choice([g for g in range(1, both + 1) if both % g == 0])
        s["output_padding"] = rng.randint(0, max(s["stride"], s["dilation"]) - 1)
        s["padding"] = rng.randint(0, 2)
        s["output_size"] = None
        s["weight_mode"] = "seeded"
        if s["input_mode"] == "typed":
            s["in_channels"], s["groups"] = 1, 1
            s["input_text"] = rng.choice(["[[1, 2, 3]]", "1 2 3 4 5", "[[1e39, -inf, nan]]", "[[0]]"])
            if s["dtype"].startswith("complex"):
                s["input_text"] = "[[1+2j, 3, -0.5j]]"
        return s
    s["input_text"] = rng.choice(TEXTS)
    s["weight_text"] = rng.choice(["[[[1, 2, 3]]]", "[[[1]], [[2]]]", "[[[0.5, -1]]]", "oops"])
    s["bias_text"] = rng.choice(["[0]", "[1, 2]", "[]"])
    return s


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf·0 → nan, as in torch
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.parametrize("case", range(300))
def test_settings_give_a_clear_error_or_every_view(case):
    rng = random.Random(case)
    settings = random_settings(rng)
    try:
        built = build(settings)
    except ConvSpecError as error:
        message = str(error)
        named = [w for w in (*INTS, "groups", "dtype", "input", "weight", "bias", "padding") if w in message]
        fix = [w for w in ("use ", "give ", "type ", "reduce ", "set ", "write ", "add ", "remove ", "wrap ",
                           "raise ", "drop ", "convert ") if w in message]
        assert named and fix, message  # names the argument and says what to change
        assert "Traceback" not in message
        return
    t = built.trace
    batch = t.input.shape[0] - 1
    named = f"ConvTranspose1d({t.spec.in_channels}, {t.spec.out_channels}, kernel_size={t.spec.kernel_size}"
    cells = {(o, j) for o in range(t.spec.out_channels) for j in range(t.output_length)}
    for view in (figures.scatter_animation(t, batch), figures.scatter_step_figure(t, t.steps_per_batch, batch),
                 figures.gather_animation(t, batch), figures.matrix_figure(t, batch), figures.overlap_figure(t),
                 figures.groups_figure(t)):
        assert named in figures.describe(view)  # the description is of this configuration
        picks = [trace for trace in view.data if trace.get("name") == "pick"]
        if picks:  # every output cell can be clicked, once
            assert sorted(map(tuple, np.asarray(picks[0]["customdata"]).tolist())) == sorted(cells)
    explain(t, t.spec.out_channels - 1, t.output_length - 1, batch=batch, fmt="markdown")
