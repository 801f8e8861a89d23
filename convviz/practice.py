"""Faded worked examples for one output value: the worksheet loses one kind of step per level.

For one cell ``y[o, j]`` of a configuration (Atkinson, Renkl & Merrill 2003: worked examples whose steps are
removed one at a time, with feedback at each step):

=====  ======================================================================================================
level  the student fills in
=====  ======================================================================================================
0      nothing: every product, where it lands and the sum are shown (the complete worked example)
1      the sum: ``y[o, j] = Σ products + bias``
2      the products too: each ``x[c, i] · w[c, o, k]``, knowing where it lands
3      the landing positions too: which input elements and taps reach ``j``, as ``(i, k)`` pairs
=====  ======================================================================================================

:func:`steps` gives a level's steps in order (taps, products, sum; ``Step.blank`` says which the student types),
:func:`check_step` marks one typed step (right or wrong, the known mistake of :mod:`convviz.answers` behind a
wrong one where one applies, and the correct step to show), and :func:`next_exercise` chooses the next
configuration to need what the student got wrong (a padding mistake gets a padded layer, a stride one a larger
stride, ...), deterministic given a seed. Every number is read off the :class:`~convviz.trace.Trace`.

Typed numbers are read as a person means them (``0,53``, ``−1``: see :mod:`convviz.values`).
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .answers import MISTAKES, agrees, check_answer, decimals_written, tolerance
from .errors import ConvSpecError
from .limits import check_text_size
from .presets import DEFAULTS
from .trace import Contribution, Trace, trace
from .values import format_values, parse_number, plain_numbers
from .worksheet import format_number, sum_text

LEVELS = (0, 1, 2, 3)
LEVEL_TITLES = ("every product, landing position and sum shown", "the sum hidden", "the products hidden too",
                "the landing positions hidden too")
KINDS = ("taps", "product", "sum")  # the kinds of step, in the order a level asks them


@dataclass(frozen=True, eq=False)
class Exercise:
    """One configuration and the output cell ``y[batch, out_channel, out_index]`` to work out.

    Attributes:
        input: ``(C_in, L)`` or ``(N, C_in, L)``; weight ``(C_in, C_out/groups, K)``; bias ``(C_out,)`` or None;
        stride, padding, output_padding, groups, dilation: as ``nn.ConvTranspose1d``'s;
        out_channel, out_index, batch: the cell.
    """

    input: np.ndarray
    weight: np.ndarray
    bias: np.ndarray | None
    stride: int = 1
    padding: int = 0
    output_padding: int = 0
    groups: int = 1
    dilation: int = 1
    out_channel: int = 0
    out_index: int = 0
    batch: int = 0
    seed: int = field(default=0, compare=False)  # what drew it (next_exercise): for a link or a rerun

    @cached_property
    def trace(self) -> Trace:
        """The traced convolution: every number the steps show comes from here."""
        t = trace(self.input, self.weight, self.bias, self.stride, self.padding, self.output_padding, self.groups,
                  self.dilation)
        t.into_rows(self.out_channel, self.out_index, self.batch)  # checks the cell
        return t

    @property
    def target(self) -> str:
        """The cell's name, ``y[o=0, j=2]`` (``y[n=1, o=0, j=2]`` for a batch)."""
        n = f"n={self.batch}, " if self.trace.batched else ""
        return f"y[{n}o={self.out_channel}, j={self.out_index}]"

    @property
    def records(self) -> list[Contribution]:
        """The contributions that sum into the cell, in play order (ascending in_index)."""
        return self.trace.into(self.out_channel, self.out_index, self.batch)

    @property
    def value(self) -> Any:
        """The cell's value, bias included (the engine's output)."""
        return self.trace.output[self.batch, self.out_channel, self.out_index].item()

    def settings(self) -> dict[str, Any]:
        """The app's settings that show this configuration (typed input and weights), as a quiz question's."""
        spec, t = self.trace.spec, self.trace
        return {**DEFAULTS, "in_channels": spec.in_channels, "out_channels": spec.out_channels,
                "kernel_size": spec.kernel_size, "stride": spec.stride, "padding": spec.padding,
                "output_padding": spec.output_padding, "groups": spec.groups, "dilation": spec.dilation,
                "bias": t.bias is not None, "length": t.length, "batched": t.batched, "batch_size": t.batch_size,
                "dtype": spec.dtype, "input_mode": "typed", "input_text": format_values(self.input),
                "weight_mode": "typed", "weight_text": format_values(self.weight),
                "bias_text": format_values(t.bias if t.bias is not None else np.zeros(1))}

    def describe(self) -> str:
        """The layer and its numbers in a few lines, for the CLI."""
        s, t = self.trace.spec, self.trace
        args = [f"kernel_size={s.kernel_size}", f"stride={s.stride}"] + [
            f"{name}={getattr(s, name)}" for name in ("padding", "output_padding", "groups", "dilation")
            if getattr(s, name) != (1 if name in ("groups", "dilation") else 0)]
        bias = "bias None" if t.bias is None else f"bias {format_values(t.bias)}"
        return "\n".join([f"ConvTranspose1d({s.in_channels}, {s.out_channels}, {', '.join(args)})",
                          f"x {format_values(self.input)}", f"w {format_values(self.weight)}", bias])


@dataclass(frozen=True)
class Step:
    """One step of a level's worksheet.

    Attributes:
        kind: ``"taps"`` (which ``(in_index, tap)`` pairs reach the cell), ``"product"`` (one contribution) or
            ``"sum"`` (the cell's value, bias included).
        prompt: what the student is asked, e.g. ``x[c=0, i=1] · w[c=0, o=0, k=2] = ?``.
        text: the step written out correctly, as the worksheet shows it.
        answer: the right answer: a tuple of ``(in_index, tap)`` pairs, a product, or the cell's value.
        blank: whether the student fills it in at this level (else it is shown).
        row: the trace row of a product step (None for the others).
    """

    kind: str
    prompt: str
    text: str
    answer: Any
    blank: bool
    row: int | None = None


@dataclass(frozen=True)
class StepCheck:
    """The verdict on one typed step.

    Attributes:
        correct: the step is right.
        mistakes: names of :data:`convviz.answers.MISTAKES` that give the typed step, most likely first (empty
            when it is right or no known mistake explains it).
        message: what to tell the student: right or not, the mistake's sentence and the correct step.
        shown: the correct step, to show in place of the typed one.
    """

    correct: bool
    mistakes: tuple[str, ...]
    message: str
    shown: str


def check_level(level: Any) -> int:
    if isinstance(level, bool) or level not in LEVELS:
        raise ConvSpecError(f"level={level!r} is not a practice level; use 0 (all shown) to 3 (landing positions, "
                            f"products and sum to fill in)")
    return int(level)


def _landing(exercise: Exercise, c: Contribution) -> str:
    s = exercise.trace.spec
    return f"{c.in_index}·{s.stride} + {c.tap}·{s.dilation} - {s.padding} = {c.out_index}"


def _factors(exercise: Exercise, c: Contribution) -> tuple[str, str]:
    """``x[c=0, i=1] · w[c=0, o=0, k=2]`` and ``-3.0 · 0.5000``."""
    n = f"n={exercise.batch}, " if exercise.trace.batched else ""
    o_local = c.out_channel % exercise.trace.spec.weight_shape[1]
    names = f"x[{n}c={c.in_channel}, i={c.in_index}] · w[c={c.in_channel}, o={o_local}, k={c.tap}]"
    numbers = (f"{format_number(c.x_value, wrap=isinstance(c.x_value, complex))} · "
               f"{format_number(c.w_value, wrap=True)}")
    return names, numbers


def _pairs(exercise: Exercise) -> tuple[tuple[int, int], ...]:
    """The ``(in_index, tap)`` pairs that reach the cell (each for every in-channel of its group), sorted."""
    return tuple(sorted({(c.in_index, c.tap) for c in exercise.records}))


def steps(exercise: Exercise, level: int) -> list[Step]:
    """The steps of ``level`` for the exercise's cell, in the order they are asked: the taps (shown from
    level 0 to 2), one product per contribution (shown at levels 0 and 1), then the sum.

    Example::

        >>> ex = Exercise(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), None, stride=2, out_index=2)
        >>> [(s.kind, s.blank, s.answer) for s in steps(ex, 2)]
        [('taps', False, ((0, 2), (1, 0))), ('product', True, 100.0), ('product', True, 2.0), ('sum', True, 102.0)]
        >>> print(steps(ex, 3)[0].text)
        (i=0, k=2): 0·2 + 2·1 - 0 = 2; (i=1, k=0): 1·2 + 0·1 - 0 = 2
    """
    level = check_level(level)
    records, t = exercise.records, exercise.trace
    rows = t.into_rows(exercise.out_channel, exercise.out_index, exercise.batch)
    landing = {(c.in_index, c.tap): _landing(exercise, c) for c in records}
    pairs = _pairs(exercise)
    taps_text = ("; ".join(f"(i={i}, k={k}): {landing[i, k]}" for i, k in pairs) if pairs else
                 f"no input element and tap reach j={exercise.out_index}")
    out: list[Step] = [Step("taps", f"which (i, k) reach {exercise.target}? (type pairs like 0 2, 1 0; none if "
                                    f"none)", taps_text, pairs, level >= 3)]
    for c, row in zip(records, rows.tolist()):
        names, numbers = _factors(exercise, c)
        out.append(Step("product", f"{names} = ?    lands at j = {landing[c.in_index, c.tap]}",
                        f"{names} = {numbers} = {format_number(c.product)}    lands at j = "
                        f"{landing[c.in_index, c.tap]}", c.product, level >= 2, row))
    total = t.full[exercise.batch, exercise.out_channel, exercise.out_index + t.spec.padding].item()
    bias = None if t.bias is None else t.bias[exercise.out_channel].item()
    value = format_number(exercise.value)
    if records:
        text = f"{exercise.target} = {sum_text([c.product for c in records], 'text')}"
        text += f" = {format_number(total)}" if len(records) > 1 else ""
        text += f"; plus bias {format_number(bias)}: {value}" if bias is not None else ""
    else:
        text = f"{exercise.target} = {'the bias alone' if bias is not None else '0 (no bias)'} = {value}"
    out.append(Step("sum", f"{exercise.target} = Σ products{' + bias' if bias is not None else ''} = ?", text,
                    exercise.value, level >= 1))
    return out


def blanks(exercise: Exercise, level: int) -> list[Step]:
    """The steps the student fills in at ``level``, in order."""
    return [s for s in steps(exercise, level) if s.blank]


# -- checking one step ---------------------------------------------------------------------------------------

def _verdict(right: bool, found: list[str], step: Step, what: str) -> StepCheck:
    if right:
        return StepCheck(True, (), f"Right: {step.text}", step.text)
    named = f" This is the known mistake {found[0]}: {MISTAKES[found[0]]}" if found else ""
    also = f" ({', '.join(found[1:])} give{'s' * (len(found) == 2)} the same here.)" if len(found) > 1 else ""
    return StepCheck(False, tuple(found), f"Not quite: {what}.{named}{also} The step: {step.text}", step.text)


def read_pairs(text: str) -> tuple[tuple[int, int], ...]:
    """Typed ``(in_index, tap)`` pairs: whole numbers taken two at a time (``0 2, 1 0``, ``(0,2) (1,0)``,
    ``i=0 k=2``); ``none`` or nothing typed is no pair.

    Example::

        >>> read_pairs("(1, 0) (0, 2)"), read_pairs("none")
        (((0, 2), (1, 0)), ())
    """
    check_text_size("taps", text, "taps")
    cleaned = re.sub(r"\b[ik]\s*=", " ", plain_numbers(text).lower())
    if re.fullmatch(r"\s*(none|-|)\s*", cleaned):
        return ()
    if re.search(r"[^\d\s,;()\[\]-]", cleaned) or re.search(r"-\s*\d", cleaned):
        raise ConvSpecError(f"taps: {text.strip()!r} is not pairs of whole numbers; type each input index and tap "
                            f"as a pair, like 0 2, 1 0 (or none)")
    numbers = [int(n) for n in re.findall(r"\d+", cleaned)]
    if len(numbers) % 2:
        raise ConvSpecError(f"taps: {text.strip()!r} has {len(numbers)} numbers; type pairs (i, k), like 0 2, 1 0")
    return tuple(sorted(set(zip(numbers[::2], numbers[1::2]))))


def _mistaken_pairs(exercise: Exercise) -> dict[str, tuple[tuple[int, int], ...]]:
    """The pairs each known landing mistake of :mod:`convviz.answers` would list for the cell (where they differ
    from the right ones): padding not cropped or added to the input, dilation or stride left out, the two
    swapped, the kernel not flipped."""
    s, t = exercise.trace.spec, exercise.trace
    length, k_size, j = t.length, s.kernel_size, exercise.out_index

    def reach(stride: int, dilation: int, padding: int, shift: int = 0, flip: bool = False) -> tuple:
        found = {(i, (k_size - 1 - k) if flip else k) for i in range(length) for k in range(k_size)
                 if (i + shift) * stride + k * dilation - padding == j}
        return tuple(sorted(found))

    candidates = {"no_crop": reach(s.stride, s.dilation, 0),
                  "kernel_not_flipped": reach(s.stride, s.dilation, s.padding, flip=True),
                  "padding_added": reach(s.stride, s.dilation, 0, shift=s.padding),
                  "no_dilation": reach(s.stride, 1, s.padding),
                  "no_stride": reach(1, s.dilation, s.padding),
                  "stride_dilation_swapped": reach(s.dilation, s.stride, s.padding)}
    right = _pairs(exercise)
    order = [name for name in MISTAKES if name in candidates]  # the table's order: most likely first
    return {name: candidates[name] for name in order if candidates[name] != right}


def _mistaken_products(exercise: Exercise, step: Step) -> dict[str, Any]:
    """What a product step gives with the kernel not flipped (tap ``K-1-k``) or the weight's channel axes
    swapped (groups 1, ``C_in = C_out > 1``), read off the trace's records and weight."""
    t, row = exercise.trace, step.row
    assert row is not None
    c = t.records([row])[0]
    spec, found = t.spec, {}
    if spec.kernel_size > 1:
        flipped = t.row(c.batch, c.in_channel, c.in_index, c.out_channel, spec.kernel_size - 1 - c.tap)
        found["kernel_not_flipped"] = t.columns["product"][flipped].item()
    if spec.groups == 1 and spec.in_channels == spec.out_channels > 1:
        found["channels_swapped"] = (t.columns["x_value"][row] * t.weight[c.out_channel, c.in_channel, c.tap]).item()
    return found


def check_step(exercise: Exercise, step: Step, text: str) -> StepCheck:
    """Mark one typed step of :func:`steps`: right or wrong, the known mistake behind a wrong one where one
    applies, and the correct step to show.

    A number is right to the decimals written (at least 1e-4), as :func:`convviz.answers.check_answer` marks;
    the sum is marked by ``check_answer`` itself, so every value mistake of its table can be named.

    Raises:
        ConvSpecError: for text that cannot be read (not a number, not pairs), saying what to type.

    Example::

        >>> ex = Exercise(np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]]), np.array([0.5]), stride=2,
        ...               padding=1, out_index=1)
        >>> taps, *products, total = steps(ex, 3)
        >>> check_step(ex, taps, "(1, 0) (0, 2)").correct, check_step(ex, taps, "0 1").mistakes
        (True, ('no_crop', 'stride_dilation_swapped'))
        >>> check_step(ex, total, "102").mistakes
        ('no_bias',)
    """
    if step.kind == "taps":
        given = read_pairs(text)
        right = given == step.answer
        found = [] if right else [name for name, pairs in _mistaken_pairs(exercise).items() if pairs == given]
        shown = ", ".join(f"({i}, {k})" for i, k in given) or "none"
        return _verdict(right, found, step, f"{shown} {'is' if len(given) < 2 else 'are'} not the pairs that reach "
                                            f"j={exercise.out_index}")
    if step.kind == "product":
        plain = plain_numbers(text, single=True, name="product")
        value = parse_number(plain, "product")
        tol = tolerance(decimals_written(plain))
        typed = np.array([[value]])

        def same(number: Any) -> bool:
            return bool(agrees(typed, np.array([[number]]), tol).all())

        right = same(step.answer)
        found = [] if right else [name for name, number in _mistaken_products(exercise, step).items()
                                  if same(number) and not same(step.answer)]
        return _verdict(right, found, step, f"{text.strip()} is not that product")
    if step.kind == "sum":
        verdict = check_answer(exercise.trace, plain_numbers(text, single=True, name="answer"), exercise.out_channel,
                               exercise.out_index, exercise.batch)
        if verdict.correct:
            return StepCheck(True, (), f"Right: {step.text}", step.text)
        return StepCheck(False, verdict.mistakes, f"{verdict.message} The step: {step.text}", step.text)
    raise ConvSpecError(f"step kind {step.kind!r} is not one of {', '.join(KINDS)}")


# -- choosing the next configuration -------------------------------------------------------------------------

# What the next layer needs after each mistake (or a wrong step no known mistake explains: its kind).
NEEDS: dict[str, str] = {
    "no_crop": "padding", "padding_added": "padding", "padding_once": "padding",
    "no_stride": "stride", "length_times_stride": "stride", "no_dilation": "dilation",
    "stride_dilation_swapped": "stride_and_dilation", "kernel_not_flipped": "kernel", "no_bias": "bias",
    "no_output_padding": "output_padding", "channels_swapped": "channels", "product": "products",
    "taps": "stride", "sum": "products",
}


def needs_of(mistakes: Iterable[str]) -> tuple[str, ...]:
    """What the next configuration must have, one entry per kind of mistake, in first-seen order.

    Example::

        >>> needs_of(["no_crop", "padding_added", "no_bias"])
        ('padding', 'bias')
    """
    return tuple(dict.fromkeys(NEEDS[name] for name in mistakes if name in NEEDS))


def _small(rng: random.Random, shape: tuple[int, ...], pool: tuple[int, ...]) -> np.ndarray:
    return np.array([rng.choice(pool) for _ in range(int(np.prod(shape)))], dtype=np.float32).reshape(shape)


def _arguments(rng: random.Random, previous: Exercise | None) -> dict[str, Any]:
    if previous is not None:
        s, t = previous.trace.spec, previous.trace
        return {"in_channels": s.in_channels, "out_channels": s.out_channels, "groups": s.groups,
                "kernel_size": s.kernel_size, "stride": s.stride, "padding": s.padding,
                "output_padding": s.output_padding, "dilation": s.dilation, "length": min(t.length, 6),
                "bias": t.bias is not None}
    stride = rng.randint(1, 3)
    return {"in_channels": rng.randint(1, 2), "out_channels": rng.randint(1, 2), "groups": 1,
            "kernel_size": rng.randint(2, 4), "stride": stride, "padding": rng.randint(0, 1),
            "output_padding": 0, "dilation": 1, "length": rng.randint(3, 5), "bias": rng.random() < 0.5}


def _apply(a: dict[str, Any], need: str, rng: random.Random) -> None:
    if need == "padding":
        a["padding"] = min(a["padding"] + 1, 3)
        a["kernel_size"] = max(a["kernel_size"], 3)
    elif need == "stride":
        a["stride"] = min(max(a["stride"] + 1, 2), 4)
    elif need == "dilation":
        a["dilation"] = min(max(a["dilation"] + 1, 2), 3)
        a["kernel_size"] = max(a["kernel_size"], 2)
    elif need == "stride_and_dilation":
        a["stride"], a["dilation"] = rng.choice([(2, 3), (3, 2)])
        a["kernel_size"] = max(a["kernel_size"], 2)
    elif need == "kernel":
        a["kernel_size"] = max(a["kernel_size"], 3)
    elif need == "bias":
        a["bias"] = True
    elif need == "output_padding":  # with padding, so that taps reach the cell output_padding adds
        a["stride"] = max(a["stride"], 2)
        a["output_padding"] = 1
        a["padding"] = max(a["padding"], 1)
        a["kernel_size"] = max(a["kernel_size"], 2)
    elif need == "channels":
        a.update(in_channels=2, out_channels=2, groups=1)
    elif need == "products":
        a["stride"] = 1
        a["kernel_size"] = max(a["kernel_size"], 3)


def next_exercise(seed: int, mistakes: Iterable[str] = (), previous: Exercise | None = None) -> Exercise:
    """The next configuration and cell, chosen to need what the student got wrong; deterministic given ``seed``.

    Args:
        seed: draws the numbers (small whole numbers a student can multiply by hand) and the cell.
        mistakes: names of :data:`convviz.answers.MISTAKES` the student made, or the kind of a wrong step no
            known mistake explains (``"product"``, ``"taps"``, ``"sum"``); see :data:`NEEDS`. A padding mistake
            gets one more padding (at least 1), a stride one a larger stride, a dilation one dilation 2 or more,
            a kernel flip a kernel of 3 or more taps that is not symmetric, a bias one a bias, a channel swap two
            channels each side, an arithmetic slip more products per cell.
        previous: the exercise before: with no mistakes, the same layer and another cell; else its arguments,
            changed as the mistakes need, with new numbers. None: a small random layer.

    Example::

        >>> first = next_exercise(1)
        >>> after = next_exercise(2, ["no_crop"], first)
        >>> after.trace.spec.padding == first.trace.spec.padding + 1 or after.trace.spec.padding == 3
        True
    """
    rng = random.Random(seed)
    needs = needs_of(mistakes)
    if previous is not None and not needs:  # nothing to change: the same layer, another cell
        t = previous.trace
        return Exercise(previous.input, previous.weight, previous.bias, t.spec.stride, t.spec.padding,
                        t.spec.output_padding, t.spec.groups, t.spec.dilation, rng.randrange(t.spec.out_channels),
                        _cell(rng, t, (), previous.out_index), previous.batch, seed)
    a = _arguments(rng, previous)
    for need in needs:
        _apply(a, need, rng)
    while (a["length"] - 1) * a["stride"] + a["dilation"] * (a["kernel_size"] - 1) + a["output_padding"] + 1 \
            - 2 * a["padding"] < 2:  # too much padding for so short a layer: lengthen it
        a["length"] += 1
    if a["output_padding"] >= max(a["stride"], a["dilation"]):
        a["output_padding"] = max(a["stride"], a["dilation"]) - 1
    k, c_in, c_og = a["kernel_size"], a["in_channels"], a["out_channels"] // a["groups"]
    x = _small(rng, (c_in, a["length"]), (-3, -2, -1, 1, 2, 3))
    w = _small(rng, (c_in, c_og, k), (-2, -1, 1, 2, 3))
    if k > 1:  # a symmetric kernel hides a missing flip: make tap 0 differ from the last one
        same = w[..., 0] == w[..., -1]
        w[..., 0] = np.where(same, w[..., -1] + 1, w[..., 0])
    bias = _small(rng, (a["out_channels"],), (-2, -1, 1, 2)) if a["bias"] else None
    t = Exercise(x, w, bias, a["stride"], a["padding"], a["output_padding"], a["groups"], a["dilation"]).trace
    return Exercise(x, w, bias, a["stride"], a["padding"], a["output_padding"], a["groups"], a["dilation"],
                    rng.randrange(t.spec.out_channels), _cell(rng, t, needs), 0, seed)


def _cell(rng: random.Random, t: Trace, needs: tuple[str, ...], avoid: int | None = None) -> int:
    """A cell many (i, k) pairs reach (at least 3, or as many as any cell has), not ``avoid`` when another will
    do; with ``output_padding`` needed, a cell output_padding adds, where taps reach it."""
    counts = t.overlap_counts()  # (L_out,) how many (i, k) reach each cell
    most = int(counts.max())
    cells = [j for j, n in enumerate(counts.tolist()) if n >= min(most, 3)]
    if "output_padding" in needs:
        cells = [j for j in range(t.output_length - t.spec.output_padding, t.output_length) if counts[j]] or cells
    return rng.choice([j for j in cells if j != avoid] or cells)


def busiest_cell(t: Trace) -> tuple[int, int]:
    """``(out_channel, out_index)`` of the first cell most (i, k) pairs reach: a good cell to practise on."""
    return 0, int(np.argmax(t.overlap_counts()))


# -- a whole path through the levels (the CLI's; the app's Practice view can follow the same rule) ------------

def level_exercise(seed: int, level: int, previous: Exercise | None = None, mistakes: Iterable[str] = ()) -> Exercise:
    """The exercise of ``level`` on one path: ``previous`` itself at level 0 (or a fresh one from ``seed``), then
    ``next_exercise(seed + level, mistakes, previous)``: the level before's mistakes choose the next layer.

    Example::

        >>> a, b = level_exercise(7, 1, level_exercise(7, 0)), next_exercise(8, (), next_exercise(7))
        >>> bool(np.array_equal(a.input, b.input) and a.out_index == b.out_index)
        True
    """
    level = check_level(level)
    if level == 0:
        return previous if previous is not None else next_exercise(seed)
    return next_exercise(seed + level, mistakes, previous)


def run(seed: int, first: Exercise | None, read_line: Any, write: Any) -> int:
    """Go through levels 0 to 3 with one student: print each level, read each blank step with ``read_line()``
    (``""`` at the end of input), print the verdict and the correct step, and choose each next layer from the
    mistakes (:func:`level_exercise`). An unreadable line is named and asked again.

    Returns:
        0 when all levels are done, 1 when the input ended first.
    """
    previous: Exercise | None = first
    mistakes: list[str] = []
    right = asked = 0
    for level in LEVELS:
        exercise = level_exercise(seed, level, previous, mistakes)
        needs = needs_of(mistakes)
        mistakes = []
        write(f"\nLevel {level} of {LEVELS[-1]}: {LEVEL_TITLES[level]}. Work out {exercise.target}."
              + (f" (This layer was chosen for: {', '.join(needs)}.)" if needs else ""))
        write(exercise.describe())
        for step in steps(exercise, level):
            if not step.blank:
                write(f"  {step.text}")
                continue
            asked += 1
            while True:
                write(f"  {step.prompt}")
                line = read_line()
                if not line:
                    write(f"Stopped at level {level}: the input ended before the last step "
                          f"({right} of {asked - 1} steps right).")
                    return 1
                try:
                    verdict = check_step(exercise, step, line.strip())
                    break
                except ConvSpecError as error:
                    write(f"  Cannot read that: {error}. Try again.")
            right += verdict.correct
            write(f"  {verdict.message}")
            if not verdict.correct:
                mistakes += list(verdict.mistakes) or [step.kind]
        previous = exercise
    write(f"\nAll {len(LEVELS)} levels done: {right} of {asked} steps right.")
    return 0
