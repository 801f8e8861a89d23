"""How much text each typed field accepts, derived from the classroom caps, and the check made before parsing.

One student's paste must not stall a class on a shared server: the app runs every student's parsing on one
Python thread, and reading a 4 MB list of numbers takes seconds before any cap could reject it. So every
typed text is measured first (``len``, microseconds) against the most its caps allow, and refused with a
message naming the field, the size, the limit and why.

A limit is the number of values the caps allow times :data:`NUMBER_CHARS`, the room one value may take with
its separator: the longest float64 in Python's notation is 24 characters (``-2.2250738585072014e-308``), a
complex one 49, written as a JSON string 51; 64 leaves room for a comma, a space and some indentation.

==========  ================================================================================================
field       values it may hold
==========  ================================================================================================
``input``   ``batch_size`` ≤ 4 × ``in_channels`` ≤ 16 × ``length`` ≤ 128 = 8,192
``weight``  ``in_channels`` ≤ 16 × ``out_channels/groups`` ≤ 16 × ``kernel_size`` ≤ 16 = 4,096
``bias``    ``out_channels`` ≤ 16
``answer``  one sample's whole output: ``out_channels`` ≤ 16 × the longest output the caps allow
``value``   one number (a single-value box, a practice step)
``stack``   the Stack tab's text, ``L:K/s/p/op/d,...``: at most ``MAX_LAYERS`` layers of 5 whole numbers
``taps``    a practice step's ``(in_index, tap)`` pairs: at most ``length`` ≤ 128 × ``kernel_size`` ≤ 16 of them
``layer``   the Port view's arguments of another framework's layer, ``kernel_size=4,strides=2,...`` (one line)
``config``  a configuration file: input, weight and bias at their limits, a stack and the other keys
==========  ================================================================================================

stdlib only (layer of ``shapes``), so that ``values`` and ``config`` can check before they parse.
"""
from __future__ import annotations

from typing import NamedTuple

from .arguments import ARGUMENTS
from .errors import ConvSpecError
from .shapes import output_length

NUMBER_CHARS = 64  # one value with its separator (see the module's docstring)
STACK_LAYERS = 8  # convviz.stack.MAX_LAYERS (a test keeps the two equal; stack sits above this layer)
STACK_FIELD_CHARS = 8  # one whole number of a stack layer with its '/' or ',' and a space
OVERHEAD_CHARS = 256  # brackets, spaces and line breaks around the values of one field
CONFIG_KEYS_CHARS = 4096  # a configuration's other keys ("in_channels": 16, ..., "dtype": "complex128")
PAIR_CHARS = 12  # one (in_index, tap) pair as a person types it: "(127, 15), "
LAYER_CHARS = 1024  # the Port view's arguments of a Keras / JAX / ONNX layer: a dozen name=value pairs
WHY = "one student's paste must not stall the class on a shared server"


def _cap(name: str) -> int:
    cap = ARGUMENTS[name].cap
    assert cap is not None, name
    return cap


def longest_output() -> int:
    """The longest output (``L_out``) the classroom caps allow: padding 0, every other cap at its largest
    (``output_padding`` below ``max(stride, dilation)``).

    Example::

        >>> longest_output()  # (128 - 1)·8 + 8·(16 - 1) + 7 + 1
        1144
    """
    stride, dilation = _cap("stride"), _cap("dilation")
    output_padding = min(_cap("output_padding"), max(stride, dilation) - 1)
    return output_length(_cap("length"), _cap("kernel_size"), stride, 0, output_padding, dilation)


class Field(NamedTuple):
    """One kind of typed text: how many values (or characters) it may hold, and the caps that say so."""

    values: int  # values it may hold (0: ``chars`` is the whole limit)
    why: str  # the caps behind the limit, in words
    chars: int = 0  # characters beyond the values' (or the whole limit)


def _fields() -> dict[str, Field]:
    batch, c_in, c_out = _cap("batch_size"), _cap("in_channels"), _cap("out_channels")
    k, length, out = _cap("kernel_size"), _cap("length"), longest_output()
    stack_chars = 8 + STACK_LAYERS * 5 * STACK_FIELD_CHARS
    fields = {
        "input": Field(batch * c_in * length, f"batch_size ≤ {batch} × in_channels ≤ {c_in} × length ≤ {length} "
                                              f"values", OVERHEAD_CHARS),
        "weight": Field(c_in * c_out * k, f"in_channels ≤ {c_in} × out_channels/groups ≤ {c_out} × "
                                          f"kernel_size ≤ {k} values", OVERHEAD_CHARS),
        "bias": Field(c_out, f"out_channels ≤ {c_out} values", OVERHEAD_CHARS),
        "answer": Field(c_out * out, f"out_channels ≤ {c_out} × the longest output the caps allow ({out}) "
                                     f"values", OVERHEAD_CHARS),
        "value": Field(1, "one number"),
        "stack": Field(0, f"at most {STACK_LAYERS} layers of 5 whole numbers", stack_chars),
        "taps": Field(0, f"at most length ≤ {length} × kernel_size ≤ {k} (i, k) pairs, {PAIR_CHARS} characters each",
                      length * k * PAIR_CHARS),
        "layer": Field(0, "one line of a layer's arguments, like kernel_size=4,strides=2", LAYER_CHARS),
    }
    in_config = ("input", "weight", "bias")
    fields["config"] = Field(sum(fields[name].values for name in in_config),
                             "the input, weight and bias at their limits, a stack and the other keys",
                             len(in_config) * OVERHEAD_CHARS + stack_chars + CONFIG_KEYS_CHARS)
    return fields


FIELDS: dict[str, Field] = _fields()
LIMITS: dict[str, int] = {name: f.values * NUMBER_CHARS + f.chars for name, f in FIELDS.items()}
CONFIG_FILE_LIMIT = LIMITS["config"]  # bytes: a configuration file (UTF-8) never needs more
CONFIG_UPLOAD_MB = -(-CONFIG_FILE_LIMIT // 2**20)  # Streamlit's server.maxUploadSize is in whole megabytes


def text_limit(field: str) -> int:
    """The most characters (bytes for ``config``) a typed ``field`` accepts: one of ``FIELDS``.

    Example::

        >>> text_limit("input"), text_limit("value"), CONFIG_FILE_LIMIT < 2**20
        (524544, 64, True)
    """
    if field not in LIMITS:
        raise ConvSpecError(f"field={field!r} has no text limit; use one of {', '.join(map(repr, LIMITS))}")
    return LIMITS[field]


def field_of(name: str) -> str:
    """The field a parser's ``name`` belongs to: ``--input``, ``input_text`` → ``input``; ``answer cell 2`` →
    ``answer``; anything else → ``answer`` (the largest list of values any box accepts).

    Example::

        >>> field_of("--weight"), field_of("bias_text"), field_of("answer cell [0, 1]"), field_of("row")
        ('weight', 'bias', 'answer', 'answer')
    """
    base = name.strip().lstrip("-").split(" ")[0].removesuffix("_text")
    return base if base in FIELDS else "answer"


def check_text_size(field: str, text: str | bytes, name: str | None = None) -> None:
    """Refuse ``text`` longer than ``text_limit(field)`` before anything reads it (one ``len``).

    Args:
        field: one of ``FIELDS``; text: what was typed, pasted, linked or uploaded (bytes: an upload);
        name: how the message names the field (default: ``field``; e.g. ``--input`` for the CLI).

    Raises:
        ConvSpecError: naming the field, the size, the limit, the caps behind it and why there is one.

    Example::

        >>> check_text_size("value", "0.53")
        >>> check_text_size("value", "1" * 100)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        convviz.errors.ConvSpecError: value: 100 characters is more than the 64 this field accepts (one number...
    """
    limit = text_limit(field)
    size = len(text)
    if size <= limit:
        return
    unit = "bytes" if isinstance(text, bytes) or field == "config" else "characters"
    f = FIELDS[field]
    caps = (f.why if not f.values else f"{f.why}, at most {NUMBER_CHARS} characters" if f.values == 1
            else f"{f.why}, {NUMBER_CHARS} characters each with its separator")
    raise ConvSpecError(f"{name or field}: {size:,} {unit} is more than the {limit:,} this field accepts ({caps}); "
                        f"{WHY}, so shorten it to what the caps allow")
