"""How numbers are written in figures: short in cells, full precision in hover text and CSV files."""
from __future__ import annotations

import math

import numpy as np


def decimals(scale: float, digits: int = 3) -> int:
    """Decimal places that give the largest magnitude ``scale`` about ``digits`` significant digits.

    Example::

        >>> decimals(8.0), decimals(0.55), decimals(120.0), decimals(0.0)
        (2, 3, 0, 2)
    """
    if not math.isfinite(scale) or scale <= 0:
        return digits - 1
    return max(0, min(8, digits - 1 - math.floor(math.log10(scale))))


def _fixed(values: np.ndarray, places: int) -> list[str]:
    out = []
    for v in values.tolist():
        s = f"{v:.{places}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        out.append("0" if s in ("-0", "") else s)
    return out


def scale_of(values: object) -> float:
    """The largest finite magnitude of the real and imaginary parts (0.0 when there is none): ``inf`` and
    ``nan`` print as words, so they do not set the width of the numbers."""
    array = np.asarray(values)
    parts = np.abs(np.concatenate([array.real.ravel(), array.imag.ravel()]) if np.iscomplexobj(array)
                   else array.ravel())
    finite = parts[np.isfinite(parts)]
    return float(finite.max()) if finite.size else 0.0


def short(values: object, digits: int = 3, sep: str = "", scale: float | None = None) -> np.ndarray:
    """Values rounded for a cell, as strings: the same decimal places for the whole family of numbers, so
    that its largest magnitude ``scale`` (default: of ``values``) keeps ``digits`` significant digits;
    trailing zeros dropped.

    ``sep`` goes between the real and imaginary parts of complex values (``"<br>"`` stacks them in a cell).

    Example::

        >>> short(np.array([0.79391, -1.2345, 0.0, -0.0001])).tolist()
        ['0.79', '-1.23', '0', '0']
        >>> short(np.array([8.0, -3.0, 0.5])).tolist()
        ['8', '-3', '0.5']
        >>> short(np.array([1.25 - 0.5j]), sep="<br>").tolist()
        ['1.25<br>-0.5j']
    """
    array = np.asarray(values)
    flat = array.ravel()
    places = decimals(scale_of(flat) if scale is None else scale, digits)
    if np.iscomplexobj(flat):
        real, imag = _fixed(flat.real, places), _fixed(flat.imag, places)
        text = [f"{r}{sep}{'' if i.startswith('-') else '+'}{i}j" for r, i in zip(real, imag)]
    else:
        text = _fixed(flat, places)
    return np.array(text, dtype=object).reshape(array.shape)


def full(values: object) -> np.ndarray:
    """Values at full precision for their dtype (the shortest text that reads back to the same number).

    Example::

        >>> full(np.array([0.1, 2.0], dtype=np.float32)).tolist()
        ['0.1', '2.0']
        >>> full(np.array([1 - 2j], dtype=np.complex64)).tolist()
        ['(1-2j)']
    """
    array = np.asarray(values)
    return array.astype(str).astype(object)
