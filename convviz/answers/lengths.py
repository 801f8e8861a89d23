"""Checking an output length, and naming the wrong length formula behind a wrong one."""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..errors import ConvSpecError
from ..spec import ConvSpec
from ..values import parse_number
from .diagnosis import AnswerCheck, explain_mistakes
from .mistakes import mistaken_lengths


def check_length(spec: ConvSpec, length: int, answer: Any) -> AnswerCheck:
    """Check an output length ``answer`` for an input of ``length`` samples, and name the length mistake.

    The known length mistakes are the rows of :data:`convviz.answers.mistakes.TABLE` with a ``length``
    formula (``LENGTH_MISTAKES``, most likely first); every one whose length equals the answer is named.

    Args:
        spec: the arguments; length: the input length ``L``; answer: a whole number, or text of one.

    Raises:
        ConvSpecError: for an answer that is not one whole number, saying what to type.

    Example::

        >>> spec = ConvSpec(1, 1, kernel_size=3, stride=2, padding=1)
        >>> check_length(spec, 4, 7).correct, check_length(spec, 4, "8").mistakes
        (True, ('padding_once',))
    """
    spec.check_length(length)
    hint = "type one whole number, like 13"
    if isinstance(answer, str):
        if not answer.strip():
            raise ConvSpecError(f"answer is empty; {hint}")
        value: Any = parse_number(answer, "answer")
    elif isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise ConvSpecError(f"answer={answer!r} is not a length; {hint}")
    else:
        value = answer
    if isinstance(value, complex) or not math.isfinite(value) or value != int(value):
        raise ConvSpecError(f"answer={answer!r} is not a whole number; a length counts cells: {hint}")
    value, right = int(value), spec.output_length(length)
    if value == right:
        return AnswerCheck(True, (), (), f"Right: the output has {right} values.")
    found = [name for name, wrong in mistaken_lengths(spec, length).items() if wrong == value]
    message = f"Not quite: {value} is not the output length.{explain_mistakes(found)}"
    if not found:
        message += (" No common mistake gives this length; fill the numbers into L_out = (L - 1)·stride - "
                    "2·padding + dilation·(K - 1) + output_padding + 1.")
    return AnswerCheck(False, (), tuple(found), message)
