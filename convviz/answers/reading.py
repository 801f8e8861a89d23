"""Reading a typed answer (text, numbers, lists or arrays) and the tolerance it is marked with.

Tolerance rule: a value is right when it agrees with the true one to the decimals the student wrote, and
always at least to 1e-4: ``|answer - true| <= max(½·10⁻ᵈ, 1e-4) + 1e-6·|true|``, where ``d`` is the most
decimals written in any number of the answer (``4.06`` has 2, ``1.2e-3`` has 4; a row ``8, 0.53`` is read to 2
decimals throughout). Whole numbers written without a point (``8``) are exact (1e-4), as are numbers passed as
numbers rather than text. Complex values compare their real and imaginary parts separately.

Numbers are read as a person types them (:func:`convviz.values.plain_numbers`): ``−1`` is -1 everywhere, and in
a box for one value ``0,53`` is 0.53 (written to 2 decimals); in a row or a whole output a comma separates
values unless semicolons do (``0,53; −1,2``).
"""
from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np

from ..errors import ConvSpecError
from ..limits import check_text_size
from ..values import parse_number, parse_values, plain_numbers

FLOOR = 1e-4  # the tolerance is never tighter than this (float32 and summation order)
RELATIVE = 1e-6  # plus this much of the true value's size (a few float32 ulps)

_DECIMALS = re.compile(r"(?<![\w.])(?:\d+(\.)(\d*)|(\.)(\d+)|\d+(?=[eE]))(?:[eE]([+-]?\d+))?")


def decimals_written(text: str) -> int | None:
    """The most decimals written in any number of ``text`` that has a point or an exponent (``1.25`` has 2,
    ``1.2e-3`` has 4); None when every number is whole (``8``), which then counts as exact.

    Example::

        >>> decimals_written("[4.06, -0.8, 1]"), decimals_written("1.2346e-05"), decimals_written("8 -3")
        (2, 9, None)
    """
    found = [len(m.group(2) or m.group(4) or "") - int(m.group(5) or 0) for m in _DECIMALS.finditer(text)
             if m.group(1) or m.group(3) or m.group(5)]
    return max(found, default=None)


def hint(mode: str) -> str:
    """What to type for ``mode`` (``"value"``, ``"row"`` or ``"output"``), for the error messages."""
    return {"value": "type one number, like 0.53 or -2",
            "row": "type one row of numbers, like 0.53, -1.2, 3",
            "output": "type one row per output channel, like [[0.53, -1.2], [3, 4]]"}[mode]


def _leaf(value: Any, where: str, mode: str) -> tuple[complex, int | None]:
    """One cell of a list answer: a number, or text read with the number reader (never evaluated)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ConvSpecError(f"answer: {where} is empty; {hint(mode)} (a number in every cell)")
    if isinstance(value, str):
        check_text_size("value", value, f"answer {where}")
        plain = plain_numbers(value, single=True, name=f"answer {where}")  # a grid cell holds one number
        return complex(parse_number(plain, f"answer {where}")), decimals_written(plain)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
        raise ConvSpecError(f"answer: {where} is {value!r}, not a number; {hint(mode)}")
    return complex(value), None  # type: ignore[call-overload]


def read_answer(answer: Any, mode: str = "output") -> tuple[np.ndarray, int | None]:
    """``answer`` as a 2-D complex array (rows = channels) and the decimals written (None for numbers given as
    numbers, not text). ``mode`` (``"value"``, ``"row"`` or ``"output"``) only shapes the hints.

    Raises:
        ConvSpecError: for an empty answer, text that is not numbers, NaN or inf, or rows of different lengths.

    Example::

        >>> read_answer("[[1.5, 2], [3, 4]]")[0].real.tolist(), read_answer("1.5 2")[1]
        ([[1.5, 2.0], [3.0, 4.0]], 1)
        >>> read_answer("0,53", "value"), read_answer("\u22121; 0,5", "row")[0].real.tolist()
        ((array([[0.53+0.j]]), 2), [[-1.0, 0.5]])
    """
    decimals: int | None = None
    if isinstance(answer, str):
        check_text_size("answer", answer)  # before anything reads it
        answer = plain_numbers(answer, single=mode == "value", name="answer")  # 0,53 and −1 as meant
        if not answer.strip():
            raise ConvSpecError(f"answer is empty; {hint(mode)}")
        rows: Any = parse_values(answer, "answer")
        if any(isinstance(v, list) for row in rows for v in row):
            raise ConvSpecError(f"answer has more than two levels of brackets; give one sample's output: "
                                f"{hint(mode)}")
        decimals = decimals_written(answer)
    else:
        if isinstance(answer, (list, tuple)) and len({len(row) if isinstance(row, (list, tuple, np.ndarray))
                                                      else -1 for row in answer}) > 1:
            raise ConvSpecError(f"answer: rows have different lengths; give every row the same number of values "
                                f"({hint(mode)})")
        array = answer if isinstance(answer, np.ndarray) else np.array(answer, dtype=object)
        if array.ndim > 2:
            raise ConvSpecError(f"answer has {array.ndim} dimensions (shape {array.shape}); give one sample's "
                                f"output: {hint(mode)}")
        if array.size == 0:
            raise ConvSpecError(f"answer is empty; {hint(mode)}")
        grid = np.atleast_2d(array) if array.ndim else array.reshape(1, 1)
        if grid.dtype != object and grid.dtype.kind in "iufc":
            rows = grid.astype(np.complex128).tolist()
        else:
            cells = [[_leaf(v, f"cell [{r}, {c}]" if grid.shape[0] > 1 else f"cell {c}", mode)
                      for c, v in enumerate(row)] for r, row in enumerate(grid.tolist())]
            rows = [[v for v, _ in row] for row in cells]
            written = [d for row in cells for _, d in row if d is not None]
            decimals = max(written) if written else None
    try:
        values = np.array(rows, dtype=np.complex128)  # (rows, n)
    except (ValueError, TypeError):
        raise ConvSpecError(f"answer: rows have different lengths; give every row the same number of values "
                            f"({hint(mode)})") from None
    if values.ndim != 2 or values.size == 0:
        raise ConvSpecError(f"answer is empty or ragged; {hint(mode)}")
    if not np.all(np.isfinite(values)):
        raise ConvSpecError(f"answer has nan or inf; {hint(mode)} (the number you calculated)")
    return values, decimals


def tolerance(decimals: int | None) -> float:
    """The absolute tolerance for an answer written to ``decimals`` decimals: half a unit of the last
    decimal written, never below 1e-4 (None: numbers given as numbers get 1e-4).

    Example::

        >>> tolerance(2), tolerance(6), tolerance(None)
        (0.005, 0.0001, 0.0001)
    """
    return FLOOR if decimals is None else max(0.5 * 10.0 ** -decimals, FLOOR)


def to_decimals(decimals: int | None) -> str:
    """How precisely an answer was compared, in the verdict's words."""
    if decimals is None or decimals >= 4:
        return "to within 1e-4"
    if decimals > 0:
        return f"to the {decimals} decimal{'s' * (decimals != 1)} you wrote"
    return f"to the precision you wrote (±{tolerance(decimals):g})"


def agrees(answer: np.ndarray, truth: np.ndarray, tol: float) -> np.ndarray:
    """Cell by cell: ``answer`` and ``truth`` (same shape) agree within ``tol`` plus ``RELATIVE·|truth|``, real
    and imaginary parts separately (a non-finite truth agrees with nothing)."""
    truth = truth.astype(np.complex128)
    slack = tol * (1 + 1e-9) + RELATIVE * np.abs(truth)
    with np.errstate(invalid="ignore"):
        return (np.abs(answer.real - truth.real) <= slack) & (np.abs(answer.imag - truth.imag) <= slack)
