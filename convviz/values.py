"""Read and write nested lists of numbers as text, like ``[[8, -3, 0], [1, 5, -2]]``, without evaluating code.

Accepted numbers: ints, decimals, exponents, ``nan``/``inf``, and complex literals such as ``1+2j``, ``-0.5j``.
A flat list or bare numbers (``8 -3 0 1``) mean one channel.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from .errors import ConvSpecError
from .limits import check_text_size, field_of

_REAL = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf)"
_NUMBER = rf"(?:{_REAL}[+-](?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf)[jJ]|{_REAL}[jJ]?)"
_TOKEN = re.compile(rf"\s*(?:(\[)|(\])|(,)|({_NUMBER}))", re.IGNORECASE)


_ONE_NUMBER = re.compile(rf"\s*({_NUMBER})\s*", re.IGNORECASE)


def _number(text: str) -> complex | float:
    return complex(text.lower()) if text[-1] in "jJ" else float(text)


def parse_number(text: str, name: str = "value") -> complex | float:
    """One number written as text (``8``, ``-0.5``, ``1e-3``, ``inf``, ``1+2j``), never evaluated.

    Example::

        >>> parse_number(" -1.5e2 "), parse_number("1-2j")
        (-150.0, (1-2j))
    """
    check_text_size("value", text, name)
    match = _ONE_NUMBER.fullmatch(text.replace(" ", ""))
    if not match:
        raise ConvSpecError(f"{name}: {text!r} is not a number; write numbers like 8, -0.5 or 1+2j")
    return _number(match.group(1))


def parse_values(text: str, name: str = "input") -> list[Any]:
    """Parse ``text`` into a nested list of floats/complex numbers.

    ``text`` longer than its field allows (``convviz.limits``; the field is read off ``name``: ``--input``
    and ``input_text`` are ``input``) is refused before it is read.

    Example::

        >>> parse_values("[[8, -3, 0.5], [1, 5, 1+2j]]")
        [[8.0, -3.0, 0.5], [1.0, 5.0, (1+2j)]]
        >>> parse_values("8 -3 0")
        [[8.0, -3.0, 0.0]]
        >>> parse_values("1,2,,3")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        convviz.errors.ConvSpecError: input: an empty field at character 5 ('1,2,,3'); type the missing number ...
    """
    check_text_size(field_of(name), text, name)  # before any parsing: see convviz.limits
    stack: list[list[Any]] = [[]]
    pos, text = 0, text.strip()
    previous = "["  # the last token: "[", "]", "," or "number"; a comma needs a value on both sides
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            if text[pos:].strip() == "":
                break
            raise ConvSpecError(f"{name}: cannot read {text[pos:pos + 12]!r} at character {pos + 1}; write numbers "
                                f"in brackets like [[8, -3, 0], [1, 5, -2]] (complex as 1+2j)")
        pos = match.end()
        token = "[" if match.group(1) else "]" if match.group(2) else "," if match.group(3) else "number"
        if (token == "," and previous in "[,") or (token == "]" and previous == ","):
            raise ConvSpecError(f"{name}: an empty field at character {pos} ({_around(text, pos)}); type the "
                                f"missing number or remove the extra comma")
        previous = token
        if match.group(1):
            stack.append([])
        elif match.group(2):
            if len(stack) == 1:
                raise ConvSpecError(f"{name}: an unmatched ']' at character {pos}; remove it or add a '['")
            inner = stack.pop()
            stack[-1].append(inner)
        elif match.group(4):
            stack[-1].append(_number(match.group(4)))
    if len(stack) != 1:
        raise ConvSpecError(f"{name}: {len(stack) - 1} '[' not closed; add the missing ']'")
    top = stack[0]
    if not top:
        raise ConvSpecError(f"{name} is empty; type numbers like [[8, -3, 0, 1, 5, -2]]")
    if len(top) == 1 and isinstance(top[0], list):
        top = top[0]  # the user's outer brackets
    if any(isinstance(v, list) for v in top) and not all(isinstance(v, list) for v in top):
        raise ConvSpecError(f"{name} mixes numbers and lists at one level; wrap each channel in [ ]")
    return top if top and isinstance(top[0], list) else [top]  # a flat list is one channel


def _around(text: str, pos: int) -> str:
    """A few characters of ``text`` around position ``pos`` (1-based), quoted."""
    return repr(text[max(0, pos - 6):pos + 5])


def to_array(values: list[Any], dtype: str, name: str = "input", ndims: tuple[int, ...] = (2, 3)) -> np.ndarray:
    """``values`` as an array of ``dtype``, checking it is rectangular and has one of ``ndims`` dimensions."""
    try:
        array: np.ndarray = np.array(values, dtype=np.complex128)
    except ValueError:
        raise ConvSpecError(f"{name}: rows have different lengths; give every channel the same number of "
                            f"values") from None
    if array.ndim not in ndims:
        raise ConvSpecError(f"{name} has {array.ndim} dimensions (shape {array.shape}); it must have "
                            f"{' or '.join(map(str, ndims))}")
    if not np.issubdtype(np.dtype(dtype), np.complexfloating):
        if np.any(array.imag != 0):
            raise ConvSpecError(f"{name} has complex values but dtype={dtype}; use dtype='complex64' or drop "
                                f"the imaginary parts")
        with np.errstate(over="ignore"):  # 1e39 becomes inf in float32, as torch.tensor(..., float32) does
            return array.real.astype(dtype)
    with np.errstate(over="ignore"):
        return array.astype(dtype)


def format_values(array: Any, digits: int = 6) -> str:
    """Nested-list text for ``array`` that :func:`parse_values` reads back.

    Example::

        >>> format_values(np.array([[1.5, -2.0]], dtype=np.float32))
        '[[1.5, -2]]'
    """
    def one(v: Any) -> str:
        if isinstance(v, complex) or np.iscomplexobj(v):
            z = complex(v)
            return f"{z.real:.{digits}g}{z.imag:+.{digits}g}j"
        return f"{float(v):.{digits}g}"

    def walk(a: Any) -> str:
        if isinstance(a, list):
            return "[" + ", ".join(walk(v) for v in a) + "]"
        return one(a)

    return walk(np.asarray(array).tolist())
