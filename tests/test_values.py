"""Typed numbers: an empty field is a typo, never silently dropped."""
from __future__ import annotations

import random

import pytest

from convviz.errors import ConvSpecError
from convviz.values import format_values, parse_values


@pytest.mark.parametrize("text", ["1,2,,3", "[[1, 2,], [3, 4]]", "[,1]", ",1", "[[1, 2], [3, 4],]", "1,,"])
def test_an_empty_field_is_named(text):
    with pytest.raises(ConvSpecError, match="empty field") as error:
        parse_values(text, "input")
    assert str(error.value).startswith("input: ") and "comma" in str(error.value)


@pytest.mark.parametrize("case", range(30))
def test_doubling_any_comma_is_an_error_and_the_original_reads_back(case):
    rng = random.Random(case)
    length = rng.randint(2, 6)
    values = [[rng.randint(-9, 9) for _ in range(length)] for _ in range(rng.randint(1, 3))]
    text = format_values(values)
    assert parse_values(text) == [[float(v) for v in row] for row in values]
    commas = [i for i, char in enumerate(text) if char == ","]
    at = rng.choice(commas)
    with pytest.raises(ConvSpecError, match="empty field"):
        parse_values(text[:at] + "," + text[at:])
