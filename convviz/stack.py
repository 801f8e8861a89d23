"""Stacks of transposed convolutions, as real upsamplers use them: lengths and compounded overlap.

A stack is a list of layers, each a dict of ``nn.ConvTranspose1d`` arguments: ``kernel_size`` and optional
``stride``, ``padding``, ``output_padding``, ``dilation`` (torch's defaults). One channel, all-ones weights on
an all-ones input: what reaches each output position is then a count of paths (one tap per layer), and an
uneven count is the checkerboard artefact, compounded from layer to layer (Odena et al., Distill 2016,
"Deconvolution and Checkerboard Artifacts").

In a link or a configuration file a stack is one line of text (:func:`format_stack`)::

    L:K/s/p[/op[/d]],K/s/p[/op[/d]],...      e.g.  4:16/8/4,16/8/4,4/2/1,4/2/1

``L`` is the input length (``4:`` may be left out: 4), then one ``kernel_size/stride/padding`` per layer,
optionally ``/output_padding`` and ``/dilation``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ConvSpecError
from .limits import check_text_size
from .spec import ConvSpec, as_int

LAYER_KEYS = ("kernel_size", "stride", "padding", "output_padding", "dilation")
LAYER_DEFAULTS = {"stride": 1, "padding": 0, "output_padding": 0, "dilation": 1}
STACK_LENGTH = 4  # input length when the text leaves it out
STACK_CAP = 4096  # classroom cap: the longest signal any layer of a stack may produce in the app
MAX_LAYERS = 8


def _layers(n: int, kernel: int, stride: int, padding: int, output_padding: int = 0) -> list[dict[str, int]]:
    return [{"kernel_size": kernel, "stride": stride, "padding": padding, "output_padding": output_padding}] * n


STACK_PRESETS: dict[str, list[dict[str, int]]] = {
    # HiFi-GAN V1 (Kong et al. 2020): upsample_rates [8, 8, 2, 2], upsample_kernel_sizes [16, 16, 4, 4]
    # (config_v1.json) and ConvTranspose1d(..., k, u, padding=(k-u)//2) in Generator.__init__ of
    # https://github.com/jik876/hifi-gan/blob/master/models.py
    "HiFi-GAN V1": [{"kernel_size": k, "stride": u, "padding": (k - u) // 2}
                    for u, k in ((8, 16), (8, 16), (2, 4), (2, 4))],
    # MelGAN (Kumar et al. 2019): ratios [8, 8, 2, 2], kernel_size=2r, stride=r, padding=r//2 + r%2,
    # output_padding=r%2 in Generator.__init__ of
    # https://github.com/descriptinc/melgan-neurips/blob/master/mel2wav/modules.py
    "MelGAN": [{"kernel_size": 2 * r, "stride": r, "padding": r // 2 + r % 2, "output_padding": r % 2}
               for r in (8, 8, 2, 2)],
    # The artefact: kernel 3 is not a multiple of stride 2; each layer doubles the length (2L) and the unevenness
    # compounds. The cure: kernel 4, a multiple of stride 2, also 2L per layer, even everywhere but the ends.
    "Checkerboard ×2 ×2 (K3 s2)": _layers(2, 3, 2, 1, 1),
    "Cure ×2 ×2 (K4 s2)": _layers(2, 4, 2, 1),
    "Checkerboard ×3 ×2 (K4 s3)": [{"kernel_size": 4, "stride": 3, "padding": 1, "output_padding": 1},
                                   {"kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1}],
}


def layer_spec(number: int, layer: Any) -> ConvSpec:
    """Layer ``number`` (counted from 1) as a validated single-channel ``ConvSpec``; errors start "layer N: "."""
    if not isinstance(layer, Mapping):
        raise ConvSpecError(f"layer {number}: {layer!r} must be a dict of arguments; use e.g. {{'kernel_size': 4, "
                            f"'stride': 2}}")
    unknown = [key for key in layer if key not in LAYER_KEYS]
    if unknown:
        raise ConvSpecError(f"layer {number}: unknown key {unknown[0]!r}; use only {', '.join(LAYER_KEYS)}")
    if "kernel_size" not in layer:
        raise ConvSpecError(f"layer {number}: kernel_size is missing; add it, use e.g. {{'kernel_size': 4, "
                            f"'stride': 2}}")
    try:
        return ConvSpec(1, 1, **{**LAYER_DEFAULTS, **layer}, bias=False)
    except ConvSpecError as error:
        raise ConvSpecError(f"layer {number}: {error}") from None


def stack_specs(length: int, layers: Sequence[Mapping[str, Any]]) -> tuple[int, list[ConvSpec]]:
    """``(length, [spec per layer])``, validated: every layer gives an output of at least one sample."""
    length = as_int("length", length, 1)
    if isinstance(layers, (str, bytes, Mapping)) or not isinstance(layers, Sequence) or not layers:
        raise ConvSpecError(f"layers={layers!r} must be a non-empty list of layers like [{{'kernel_size': 4, "
                            f"'stride': 2, 'padding': 1}}]")
    specs, current = [], length
    for number, layer in enumerate(layers, start=1):
        spec = layer_spec(number, layer)
        try:
            spec.check_length(current)
        except ConvSpecError as error:
            raise ConvSpecError(f"layer {number}: {error}") from None
        specs.append(spec)
        current = spec.output_length(current)
    return length, specs


def stack_lengths(length: int, layers: Sequence[Mapping[str, Any]]) -> list[int]:
    """The signal's length before the first layer and after each one.

    Args:
        length: input length ``L``.
        layers: dicts with ``kernel_size`` and optional ``stride``, ``padding``, ``output_padding``, ``dilation``.

    Raises:
        ConvSpecError: for a bad layer, with a message that starts with its number ("layer 2: …").

    Example::

        >>> stack_lengths(4, STACK_PRESETS["HiFi-GAN V1"])
        [4, 32, 256, 512, 1024]
    """
    length, specs = stack_specs(length, layers)
    lengths = [length]
    for spec in specs:
        lengths.append(spec.output_length(lengths[-1]))
    return lengths


def _scatter_counts(previous: np.ndarray, previous_start: int, spec: ConvSpec, start: int,
                    size: int) -> np.ndarray:
    """One layer with all-ones weights: for output positions ``start … start+size-1``, the sum of ``previous``
    (which holds positions ``previous_start …``) over every (input position, tap) that lands there; positions
    outside ``previous`` count 0. Shape: ``(size,)`` of int64."""
    j = np.arange(start, start + size) + spec.padding  # full index of each output position
    counts = np.zeros(size, dtype=np.int64)
    for tap in range(spec.kernel_size):
        reach = j - tap * spec.dilation  # = in_index · stride where it lands
        source = reach // spec.stride - previous_start
        lands = (reach % spec.stride == 0) & (source >= 0) & (source < len(previous))
        counts[lands] += previous[source[lands]]
    return counts


def stack_overlaps(length: int, layers: Sequence[Mapping[str, Any]]) -> list[np.ndarray]:
    """:func:`stack_overlap` after each layer: ``[counts after layer 1, …, after the last]``."""
    length, specs = stack_specs(length, layers)
    counts, found = np.ones(length, dtype=np.int64), []
    for spec in specs:
        counts = _scatter_counts(counts, 0, spec, 0, spec.output_length(len(counts)))  # (L_n,)
        found.append(counts)
    return found


def stack_overlap(length: int, layers: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """For each final output position, how many paths from an input position through one tap per layer reach it.

    The stack with all-ones weights (one channel, no bias) applied to an all-ones input of ``length``.

    Shape:
        ``(stack_lengths(length, layers)[-1],)`` of int64.

    Example::

        >>> stack_overlap(3, [{"kernel_size": 3, "stride": 2}]).tolist()
        [1, 1, 2, 1, 2, 1, 1]
        >>> stack_overlap(2, [{"kernel_size": 3, "stride": 2}] * 2).tolist()
        [1, 1, 2, 1, 3, 2, 3, 1, 2, 1, 1]
    """
    return stack_overlaps(length, layers)[-1]


def steady_overlaps(length: int, layers: Sequence[Mapping[str, Any]]) -> list[np.ndarray]:
    """What each position after each layer would get from an endless all-ones input: the overlap without the
    ends, so only the checkerboard is left (periodic, with period the product of the strides so far).

    Computed on just the positions each layer needs (worked out backwards from the output), so the cost is
    about that of :func:`stack_overlaps`.

    Example::

        >>> [a.tolist() for a in steady_overlaps(2, [{"kernel_size": 3, "stride": 2}] * 2)][-1]
        [3, 2, 3, 1, 3, 2, 3, 1, 3, 2, 3]
    """
    length, specs = stack_specs(length, layers)
    lengths = [length]
    for spec in specs:
        lengths.append(spec.output_length(lengths[-1]))
    # (first, last) position each signal needs: its own 0 … L_n - 1 and whatever the next layer reads
    spans = [(0, lengths[-1] - 1)]
    for n in range(len(specs), 0, -1):  # the input of layer n is signal n - 1
        spec, (start, end) = specs[n - 1], spans[-1]
        first = (start + spec.padding - spec.dilation * (spec.kernel_size - 1)) // spec.stride
        last = (end + spec.padding) // spec.stride
        spans.append((min(first, 0), max(last, lengths[n - 1] - 1)))
    spans.reverse()  # spans[n]: signal n (spans[0]: the input)
    counts = np.ones(spans[0][1] - spans[0][0] + 1, dtype=np.int64)  # the endless input: ones everywhere
    found = []
    for n, spec in enumerate(specs, start=1):
        (before, _), (start, end) = spans[n - 1], spans[n]
        counts = _scatter_counts(counts, before, spec, start, end - start + 1)  # positions start … end
        found.append(counts[-start:-start + lengths[n]])  # positions 0 … L_n - 1 (start <= 0)
    return found


@dataclass(frozen=True)
class LayerOverlap:
    """The overlap after one layer of a stack.

    Attributes:
        number: the layer's number, from 1.
        spec: its arguments.
        length: the signal's length after it.
        counts: ``(length,)`` paths reaching each position (:func:`stack_overlap` after this layer).
        steady: ``(length,)`` the same for an endless input (no ends).
        uneven: ``(length,)`` positions that the endless input reaches less often than the most reached ones.
        edge: ``(length,)`` positions that get fewer paths than ``steady`` because the input ends nearby.
        verdict: one line on the checkerboard after this layer.
    """

    number: int
    spec: ConvSpec
    length: int
    counts: np.ndarray
    steady: np.ndarray
    uneven: np.ndarray
    edge: np.ndarray
    verdict: str


def verdict(number: int, steady: np.ndarray, culprits: list[int]) -> str:
    """One line: even, or the checkerboard with its range of counts and the layers that cause it."""
    low, high = int(steady.min()), int(steady.max())
    upto = "layer 1" if number == 1 else f"layers 1–{number}"
    if low == high:
        return (f"even after {upto}: every position away from the ends is reached by {high} "
                f"path{'s' if high != 1 else ''}; no checkerboard")
    share = f"{int((steady < high).sum())} of {len(steady)} positions"
    why = ""
    if culprits:
        names = ", ".join(map(str, culprits))
        why = f"; kernel not a multiple of stride in layer{'s' if len(culprits) > 1 else ''} {names}"
    never = " (some are never reached)" if low == 0 else ""
    return (f"checkerboard after {upto}: away from the ends, positions get {low} to {high} paths, {share} fewer "
            f"than {high}{never}{why}")


def stack_report(length: int, layers: Sequence[Mapping[str, Any]]) -> list[LayerOverlap]:
    """Per layer: length, overlap counts, the endless-input counts, the uneven and edge positions, a verdict.

    Example::

        >>> last = stack_report(6, STACK_PRESETS["Cure ×2 ×2 (K4 s2)"])[-1]
        >>> last.length, last.verdict
        (24, 'even after layers 1–2: every position away from the ends is reached by 4 paths; no checkerboard')
    """
    length, specs = stack_specs(length, layers)
    counts, steady = stack_overlaps(length, layers), steady_overlaps(length, layers)
    report, culprits = [], []
    for n, (spec, c, s) in enumerate(zip(specs, counts, steady), start=1):
        if spec.kernel_size % spec.stride and spec.dilation == 1:
            culprits.append(n)
        report.append(LayerOverlap(n, spec, len(c), c, s, s < s.max(), c < s, verdict(n, s, list(culprits))))
    return report


def format_stack(length: int, layers: Sequence[Mapping[str, Any]]) -> str:
    """A stack as one line of text (the module docstring describes it); trailing defaults are left out.

    Example::

        >>> format_stack(4, STACK_PRESETS["MelGAN"])
        '4:16/8/4,16/8/4,4/2/1,4/2/1'
    """
    length, specs = stack_specs(length, layers)
    parts = []
    for spec in specs:
        values = [spec.kernel_size, spec.stride, spec.padding, spec.output_padding, spec.dilation]
        while len(values) > 3 and values[-1] == (1 if len(values) == 5 else 0):
            values.pop()
        parts.append("/".join(map(str, values)))
    return f"{length}:{','.join(parts)}"


def parse_stack(text: Any) -> tuple[int, list[dict[str, int]]]:
    """``(length, layers)`` from :func:`format_stack`'s text, validated.

    Raises:
        ConvSpecError: naming the layer ("layer 2: …") or the length, the value and the expected form.

    Example::

        >>> parse_stack("2:3/2,4/2/1")
        (2, [{'kernel_size': 3, 'stride': 2}, {'kernel_size': 4, 'stride': 2, 'padding': 1}])
    """
    if isinstance(text, str):
        check_text_size("stack", text)  # before any parsing: see convviz.limits
    if not isinstance(text, str) or not text.strip():
        raise ConvSpecError(f"stack={text!r} must be text like 4:16/8/4,4/2/1 (input length, then "
                            f"kernel_size/stride/padding per layer)")
    head, colon, body = text.strip().partition(":")
    if not colon:
        head, body = str(STACK_LENGTH), head
    if not head.strip().isdigit():
        raise ConvSpecError(f"stack: input length {head!r} must be a whole number, as in 4:16/8/4; "
                            f"use e.g. {STACK_LENGTH}:{body}")
    layers = []
    for number, part in enumerate(body.split(","), start=1):
        fields = part.strip().split("/")
        if not 1 <= len(fields) <= len(LAYER_KEYS) or not all(f.strip().isdigit() for f in fields):
            raise ConvSpecError(f"layer {number}: {part.strip()!r} must be kernel_size/stride/padding with "
                                f"optional /output_padding/dilation, whole numbers (e.g. 16/8/4)")
        layers.append(dict(zip(LAYER_KEYS, map(int, fields))))
    length, _ = stack_specs(int(head), layers)
    return length, layers


def check_stack_caps(length: int, layers: Sequence[Mapping[str, Any]], cap: int = STACK_CAP,
                     max_layers: int = MAX_LAYERS) -> list[int]:
    """:func:`stack_lengths`, refusing a stack too big for a shared classroom server (checked before any overlap
    is counted: lengths are arithmetic, so this is cheap)."""
    if len(layers) > max_layers:
        raise ConvSpecError(f"the stack has {len(layers)} layers, above this server's cap of {max_layers}; "
                            f"remove {len(layers) - max_layers}")
    lengths = stack_lengths(length, layers)
    for number, size in enumerate(lengths[1:], start=1):
        if size > cap:
            raise ConvSpecError(f"layer {number}: its output of {size} samples is above this server's cap of "
                                f"{cap}; use a shorter input length or fewer or smaller layers")
    return lengths
