"""Bounded input: the largest text the caps allow is accepted, anything longer is refused before it is read."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from convviz.answers import check_answer
from convviz.arguments import ARGUMENTS
from convviz.config import config_from_json, config_to_json
from convviz.errors import ConvSpecError
from convviz.limits import (
    CONFIG_FILE_LIMIT,
    CONFIG_UPLOAD_MB,
    FIELDS,
    NUMBER_CHARS,
    STACK_LAYERS,
    check_text_size,
    field_of,
    longest_output,
    text_limit,
)
from convviz.shapes import output_length
from convviz.stack import MAX_LAYERS, format_stack, parse_stack
from convviz.trace import trace
from convviz.values import format_values, parse_number, parse_values

LONGEST = complex(-2.2250738585072014e-308, -2.2250738585072014e-308)  # the longest complex128 as text
CAP = {name: row.cap for name, row in ARGUMENTS.items()}


def biggest(shape: tuple[int, ...]) -> np.ndarray:
    return np.full(shape, LONGEST, dtype=np.complex128)


def test_limits_follow_the_caps():
    assert STACK_LAYERS == MAX_LAYERS  # the stack's own count (stack sits above limits)
    assert FIELDS["input"].values == CAP["batch_size"] * CAP["in_channels"] * CAP["length"] == 8192
    assert FIELDS["weight"].values == CAP["in_channels"] * CAP["out_channels"] * CAP["kernel_size"] == 4096
    assert FIELDS["bias"].values == CAP["out_channels"]
    brute = max(output_length(CAP["length"], CAP["kernel_size"], s, 0, op, d)
                for s in range(1, CAP["stride"] + 1) for d in range(1, CAP["dilation"] + 1)
                for op in range(min(CAP["output_padding"], max(s, d) - 1) + 1))
    assert longest_output() == brute
    assert FIELDS["answer"].values == CAP["out_channels"] * brute
    assert text_limit("value") == NUMBER_CHARS
    assert CONFIG_UPLOAD_MB * 2**20 >= CONFIG_FILE_LIMIT > (CONFIG_UPLOAD_MB - 1) * 2**20


@pytest.mark.parametrize("field, name, shape", [("input", "input", (4, 16, 128)), ("weight", "--weight", (16, 16, 16)),
                                                 ("bias", "bias_text", (16,)),
                                                 ("answer", "answer", (16, 1144))])
def test_the_largest_text_the_caps_allow_is_read(field, name, shape):
    text = format_values(biggest(shape), 17)
    assert len(text) <= text_limit(field)
    assert np.array(parse_values(text, name)).size == np.prod(shape)


def test_the_largest_configuration_is_read_even_pretty_printed():
    config = {"in_channels": 16, "out_channels": 16, "kernel_size": 16, "dtype": "complex128",
              "input": biggest((4, 16, 128)), "weight": biggest((16, 16, 16)), "bias": biggest((16,)),
              "seed": 2**64 - 1, "stack": format_stack(4, [{"kernel_size": 16, "stride": 8, "padding": 4}] * 8)}
    text = config_to_json(config)
    pretty = json.dumps(json.loads(text), indent=2)  # every number on a line of its own, indented
    for body in (text, pretty, pretty.encode()):
        assert len(body if isinstance(body, bytes) else body.encode()) <= CONFIG_FILE_LIMIT
        assert config_from_json(body)["input"].shape == (4, 16, 128)


def test_the_largest_stack_is_read():
    text = "4096:" + ",".join(["4096/4096/4096/4096/4096"] * MAX_LAYERS)
    assert len(text) <= text_limit("stack")
    with pytest.raises(ConvSpecError) as error:  # read (its numbers are refused by the stack's caps), not refused
        parse_stack(text)
    assert "accepts" not in str(error.value)


PASTE = ", ".join(["1.5"] * 1_000_001)[:4_000_000]  # 4 MB


@pytest.mark.parametrize("read, limit, names", [
    (lambda: parse_values(PASTE, "--input"), text_limit("input"), "--input"),
    (lambda: parse_values(PASTE, "weight_text"), text_limit("weight"), "weight_text"),
    (lambda: parse_values(PASTE, "bias"), text_limit("bias"), "bias"),
    (lambda: check_answer(trace(np.ones((1, 3)), np.ones((1, 1, 2))), PASTE), text_limit("answer"), "answer"),
    (lambda: parse_number(PASTE, "answer"), text_limit("value"), "answer"),
    (lambda: parse_stack(PASTE), text_limit("stack"), "stack"),
    (lambda: config_from_json(PASTE), CONFIG_FILE_LIMIT, "configuration file"),
    (lambda: config_from_json(PASTE.encode()), CONFIG_FILE_LIMIT, "configuration file"),
])
def test_a_4_mb_paste_is_refused_at_once_naming_field_size_limit_and_why(read, limit, names):
    start = time.perf_counter()
    with pytest.raises(ConvSpecError) as error:
        read()
    elapsed = time.perf_counter() - start
    message = str(error.value)
    assert message.startswith(f"{names}: 4,000,000 ")
    assert f"the {limit:,} this field accepts" in message and "stall the class" in message
    assert elapsed < 0.01, elapsed  # parsing it would take seconds


def test_one_character_over_the_limit_is_refused_and_the_limit_itself_is_not():
    limit = text_limit("bias")
    check_text_size("bias", "1" * limit)
    with pytest.raises(ConvSpecError, match=f"bias: {limit + 1:,} characters"):
        check_text_size("bias", "1" * (limit + 1))
    with pytest.raises(ConvSpecError, match="no text limit"):
        text_limit("nonsense")


@pytest.mark.parametrize("name, field", [("--input", "input"), ("input_text", "input"), ("weight", "weight"),
                                         ("answer cell [0, 1]", "answer"), ("answer", "answer"), ("stack", "stack"),
                                         ("something else", "answer")])
def test_field_of(name, field):
    assert field_of(name) == field


def test_the_cli_refuses_a_huge_input_in_one_line():
    done = subprocess.run([sys.executable, "-m", "convviz", "--input", "1 2", "--bias", PASTE[:100_000],
                           "--kernel-size", "1", "--out-channels", "1", "--seed", "1"], capture_output=True, text=True,
                          timeout=60)  # one argument may be at most 128 kB
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--bias: 100,000 characters" in done.stderr


@pytest.mark.parametrize("name, field", [("--input", "input"), ("weight", "weight"), ("answer", "answer")])
def test_short_values_within_the_character_limit_stop_at_the_fields_count(name, field):
    budget = FIELDS[field].values
    text = "1," * (text_limit(field) // 2 - 1) + "1"  # far more values than the caps allow, in few characters
    assert len(text) <= text_limit(field)
    with pytest.raises(ConvSpecError, match=f"more than {budget:,} values, the most this field holds"):
        parse_values(text, name)
    exactly = ", ".join(["1"] * budget)
    assert np.array(parse_values(exactly, name)).size == budget  # the count itself is read


@pytest.mark.parametrize("text", ["[" * 10_000, "[1]" * 10_000, "[[1]" * 5_000])
def test_brackets_within_the_character_limit_are_refused_early(text):
    with pytest.raises(ConvSpecError, match="too many '\\['"):
        parse_values(text, "input")
