"""Read and write nested lists of numbers as text, like ``[[8, -3, 0], [1, 5, -2]]``, without evaluating code.

Accepted numbers: ints, decimals, exponents, ``nan``/``inf``, and complex literals such as ``1+2j``, ``-0.5j``.
A flat list or bare numbers (``8 -3 0 1``) mean one channel.

Numbers as a person types them (see :func:`plain_numbers`):

- The minus sign ``−`` (U+2212, what word processors and many keyboards type) and its small and full-width
  forms read as ``-``: ``−1`` is -1.
- In a box for one number (:func:`parse_number`: an answer, a practice step) a comma between digits is the
  decimal mark: ``0,53`` is 0.53 and ``−0,5`` is -0.5. ``1,234`` could be 1.234 or 1234, so it is refused,
  naming both; a number with both a point and a comma (``1.234,5``) is refused too.
- In a list (:func:`parse_values`) a comma separates values, as in Python, JSON and everything convviz writes:
  ``1,2`` is two values. A list whose values are separated by semicolons reads its commas between digits as
  decimal marks: ``0,53; -1,2`` is ``[0.53, -1.2]``. A list that looks like decimal commas separated by spaces
  (``1,5 2,5``) is refused with both ways to write it, never read as four values.

Text is measured against its field's limit (:mod:`convviz.limits`) before anything reads it, and a list
stops being read as soon as it holds more values than the field allows, so no paste costs more than the
largest text the caps accept.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from .errors import ConvSpecError
from .limits import FIELDS, check_text_size, field_of

_REAL = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf)"
_NUMBER = rf"(?:{_REAL}[+-](?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf)[jJ]|{_REAL}[jJ]?)"
_TOKEN = re.compile(rf"\s*(?:(\[)|(\])|(,)|({_NUMBER}))", re.IGNORECASE)
_FIND = re.compile(_NUMBER, re.IGNORECASE)
DEPTH = 4  # levels of brackets a list may have: the user's outer ones, a batch, a channel (and one to spare)
LISTS = 512  # '[' a list may open: a weight's 16·16 rows, its 16 channels and the outer brackets fit


@functools.lru_cache(maxsize=16)
def _run(most: int) -> re.Pattern[str]:
    """A run of at most ``most + 1`` numbers separated by commas or spaces (no empty field inside), read in one
    step; bounded so that a paste of short values costs no more than the field's count of them."""
    return re.compile(rf"{_NUMBER}(?:(?:\s*,\s*|\s+){_NUMBER}){{0,{most}}}", re.IGNORECASE)

_ONE_NUMBER = re.compile(rf"\s*({_NUMBER})\s*", re.IGNORECASE)
MINUS_SIGNS = "\u2212\ufe63\uff0d"  # − (minus sign), ﹣ (small), － (full width): all read as "-"
_MINUS = str.maketrans(dict.fromkeys(MINUS_SIGNS, "-"))
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d*,\d{3}(?![\d.eE])")
_SPACED_COMMAS = re.compile(r"\d,\d+\s+[+-]?\d+,\d")
TYPED_CHARS = 4096  # how far into a list to look for decimal commas between spaces: text typed by hand


def _number(text: str) -> complex | float:
    return complex(text.lower()) if text[-1] in "jJ" else float(text)


def plain_numbers(text: str, single: bool = False, name: str = "value") -> str:
    """``text`` with numbers as Python writes them: minus signs as ``-`` and decimal commas as points, by the
    rules of the module's docstring (``single``: a box for one number; else a list).

    Raises:
        ConvSpecError: for a comma that could mean two things (``1,234``, ``1.5,2`` in one box; ``1,5 2,5`` in a
            list), naming the ways to write it.

    Example::

        >>> plain_numbers("\u22120,53", single=True), plain_numbers("0,53; \u22121,2"), plain_numbers("1,2")
        ('-0.53', '0.53, -1.2', '1,2')
    """
    text = text.translate(_MINUS)
    if "," not in text:
        return text
    if single:
        if "." in text or text.count(",") > 2:
            raise ConvSpecError(f"{name}: {text.strip()!r} has a comma as well as a point (or several commas); "
                                f"write one number with a decimal point, like 0.53")
        ambiguous = _THOUSANDS.search(text)
        if ambiguous:
            shown = ambiguous.group(0)
            raise ConvSpecError(f"{name}: {shown!r} could be {shown.replace(',', '.')} (a decimal comma) or "
                                f"{shown.replace(',', '')} (a thousands separator); write it with a decimal point "
                                f"or without the comma")
        return _DECIMAL_COMMA.sub(".", text)
    if ";" in text:
        return _DECIMAL_COMMA.sub(".", text).replace(";", ",")
    spaced = _SPACED_COMMAS.search(text, 0, TYPED_CHARS) if "." not in text else None  # a typing habit
    if spaced:
        example = spaced.group(0)
        raise ConvSpecError(f"{name}: {example!r} looks like decimal commas between spaces; in a list a comma "
                            f"separates values, so write decimal points ({_DECIMAL_COMMA.sub('.', example)}) or "
                            f"separate the values with semicolons ({re.sub(r'[ ]+', '; ', example)})")
    return text


def parse_number(text: str, name: str = "value") -> complex | float:
    """One number written as text (``8``, ``-0.5``, ``1e-3``, ``inf``, ``1+2j``; ``0,53`` and ``−1`` as a person
    means them, see the module's docstring), never evaluated.

    Example::

        >>> parse_number(" -1.5e2 "), parse_number("1-2j"), parse_number("0,5"), parse_number("\u22121")
        (-150.0, (1-2j), 0.5, -1.0)
    """
    check_text_size("value", text, name)
    match = _ONE_NUMBER.fullmatch(plain_numbers(text, single=True, name=name).replace(" ", ""))
    if not match:
        raise ConvSpecError(f"{name}: {text!r} is not a number; write numbers like 8, -0.5 or 1+2j")
    return _number(match.group(1))


def parse_values(text: str, name: str = "input") -> list[Any]:
    """Parse ``text`` into a nested list of floats/complex numbers.

    ``text`` longer than its field allows (``convviz.limits``; the field is read off ``name``: ``--input``
    and ``input_text`` are ``input``, anything unknown is ``answer``) is refused before it is read, and
    reading stops at the first value past the field's count.

    Example::

        >>> parse_values("[[8, -3, 0.5], [1, 5, 1+2j]]")
        [[8.0, -3.0, 0.5], [1.0, 5.0, (1+2j)]]
        >>> parse_values("8 -3 0"), parse_values("0,5; \u22121")
        ([[8.0, -3.0, 0.0]], [[0.5, -1.0]])
        >>> parse_values("1,2,,3")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        convviz.errors.ConvSpecError: input: an empty field at character 5 ('1,2,,3'); type the missing number ...
    """
    field = field_of(name)
    check_text_size(field, text, name)  # before any parsing: see convviz.limits
    budget = FIELDS[field].values or 1
    text = plain_numbers(text, name=name)
    stack: list[list[Any]] = [[]]
    pos, text, count, lists = 0, text.strip(), 0, 0
    previous = "["  # the last token: "[", "]", "," or "number"; a comma needs a value on both sides
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            if text[pos:].strip() == "":
                break
            raise ConvSpecError(f"{name}: cannot read {text[pos:pos + 12]!r} at character {pos + 1}; write numbers "
                                f"in brackets like [[8, -3, 0], [1, 5, -2]] (complex as 1+2j)")
        token = "[" if match.group(1) else "]" if match.group(2) else "," if match.group(3) else "number"
        if (token == "," and previous in "[,") or (token == "]" and previous == ","):
            raise ConvSpecError(f"{name}: an empty field at character {match.end()} ({_around(text, match.end())}); "
                                f"type the missing number or remove the extra comma")
        previous = token
        if token == "number":  # the whole run of numbers up to the next bracket or stray comma, in one step
            run = _run(budget).match(text, match.start(4))
            assert run is not None  # a number starts it
            found = _FIND.findall(run.group(0))
            count += len(found)
            if count > budget:
                raise _too_many(name, field, budget)
            stack[-1].extend(map(_number, found))
            pos = run.end()
            continue
        pos = match.end()
        if token == "[":
            lists += 1
            if len(stack) > DEPTH or lists > LISTS:
                raise ConvSpecError(f"{name}: too many '[' at character {pos}; a list has at most {DEPTH - 1} "
                                    f"levels of brackets and at most {LISTS} lists, like [[8, -3, 0], [1, 5, -2]]")
            stack.append([])
        elif token == "]":
            if len(stack) == 1:
                raise ConvSpecError(f"{name}: an unmatched ']' at character {pos}; remove it or add a '['")
            inner = stack.pop()
            stack[-1].append(inner)
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


def _too_many(name: str, field: str, budget: int) -> ConvSpecError:
    return ConvSpecError(f"{name}: more than {budget:,} values, the most this field holds ({FIELDS[field].why}); "
                         f"one student's paste must not stall the class on a shared server, so give at most "
                         f"{budget:,}")


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
