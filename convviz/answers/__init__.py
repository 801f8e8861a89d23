"""Check a student's hand calculation cell by cell, and name the mistake behind a wrong answer.

Most wrong answers come from a handful of known mistakes. Each is one row of :data:`mistakes.TABLE`: its name,
the sentence a teacher would say (``MISTAKES``) and what it changes. A value mistake is the same transposed
convolution with one thing changed (same input, weight and bias otherwise), so the engine computes every
mistaken answer exactly and recognises it; a length mistake is a wrong length formula. The rows, most likely
first:

{table}

A mistake whose changed configuration is invalid, or that gives the right numbers anyway (``no_crop`` with
padding 0, ``kernel_not_flipped`` with a symmetric kernel), is never named. Two mistakes can give the same
numbers for some configurations (stride 1 and dilation 2: ``no_dilation`` and ``stride_dilation_swapped``);
then both are named, the earlier row first, and the message says they coincide. ``VALUE_MISTAKES`` and
``LENGTH_MISTAKES`` list each kind in the table's order.

Modules: ``reading`` (typed answers and the tolerance), ``mistakes`` (the table and the mistaken answers),
``diagnosis`` (marking an answer and the verdict text), ``lengths`` (output lengths).
"""
from __future__ import annotations

from .diagnosis import SHOWN, AnswerCheck, check_answer
from .lengths import check_length
from .mistakes import (
    LENGTH_MISTAKES,
    MISTAKES,
    TABLE,
    VALUE_MISTAKES,
    Mistake,
    docs_table,
    mistaken_lengths,
    mistaken_output,
)
from .reading import FLOOR, RELATIVE, agrees, decimals_written, read_answer, tolerance

__doc__ = (__doc__ or "").replace("{table}", docs_table())
__all__ = ["FLOOR", "LENGTH_MISTAKES", "MISTAKES", "RELATIVE", "SHOWN", "TABLE", "VALUE_MISTAKES", "AnswerCheck",
           "Mistake", "agrees", "check_answer", "check_length", "decimals_written", "mistaken_lengths",
           "mistaken_output", "read_answer", "tolerance"]
