"""Typed numbers: an empty field is a typo, never silently dropped."""
from __future__ import annotations

import random

import pytest

from convviz.errors import ConvSpecError
from convviz.values import format_values, parse_number, parse_values, plain_numbers


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


# Numbers as a person types them: a Unicode minus, a decimal comma in a box for one number, semicolons in a list.

@pytest.mark.parametrize("text, value", [("0,53", 0.53), ("\u22121", -1.0), ("\u22120,5", -0.5), ("1,5e-3", 1.5e-3),
                                         ("0,125", 0.125), (" 2,5 ", 2.5), ("\uff0d3", -3.0), ("1,5+2,5j", 1.5 + 2.5j),
                                         ("\u22121\u22122j", -1 - 2j), ("0.53", 0.53)])
def test_one_number_is_read_as_a_person_means_it(text, value):
    assert parse_number(text, "answer") == value


@pytest.mark.parametrize("text, message", [("1,234", "could be 1.234 .*or 1234"), ("-12,345", "could be -12.345"),
                                           ("1.234,5", "a comma as well as a point"),
                                           ("1,2,3,4", "several commas")])
def test_an_ambiguous_comma_in_one_number_is_named(text, message):
    with pytest.raises(ConvSpecError, match=message):
        parse_number(text, "answer")


def test_in_a_list_a_comma_separates_values_and_semicolons_make_it_a_decimal_mark():
    assert parse_values("1,2") == [[1.0, 2.0]]  # two values, as Python, JSON and convviz itself write them
    assert parse_values("0,53; \u22121,2; 3") == [[0.53, -1.2, 3.0]]
    assert parse_values("[[0,5; 1]; [2; \u22123,25]]") == [[0.5, 1.0], [2.0, -3.25]]
    assert parse_values("[\u22121, \u22122]") == [[-1.0, -2.0]]
    assert parse_values("[[1,2,3] [4,5,6]]") == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]  # rows apart: not decimal commas


def test_decimal_commas_between_spaces_in_a_list_are_named_not_read_as_more_values():
    with pytest.raises(ConvSpecError, match="looks like decimal commas.*1.5 2.5.*1,5; 2,5"):
        parse_values("1,5 2,5", "answer")


@pytest.mark.parametrize("case", range(20))
def test_plain_numbers_matches_python_on_random_values(case):
    rng = random.Random(case)
    values = [round(rng.uniform(-50, 50), rng.randint(1, 4)) for _ in range(rng.randint(2, 6))]  # 2+: a semicolon
    typed = "; ".join(repr(v).replace(".", ",").replace("-", "\u2212") for v in values)
    assert parse_values(typed) == [values]
    assert plain_numbers(typed) == ", ".join(map(repr, values))
    for v in values:
        text = repr(v).replace("-", "\u2212")
        if not (abs(v) >= 1 and len(text.split(".")[1]) == 3):  # 12,345 is refused as ambiguous (tested above)
            assert parse_number(text.replace(".", ",")) == v
