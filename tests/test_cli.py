"""``python -m convviz``: the blog's example through a real subprocess, --json, --at, --config, and bad input
(one line on stderr, exit status 2, never a traceback)."""
from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import convviz.__main__
from convviz.__main__ import EXAMPLE, main
from convviz.presets import seed_examples

ROOT = Path(__file__).resolve().parents[1]
BLOG = ["--in-channels", "1", "--out-channels", "3", "--kernel-size", "1", "--seed", "42", "--input",
        "[[8,-3,0,1,5,-2]]"]
BLOG_EXAMPLE = seed_examples()[0]  # recomputed with torch 2.13.0; the CLI prints 4 decimals as torch does
BLOG_OUTPUT = np.round(BLOG_EXAMPLE["output"], 4).tolist()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "convviz", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


# --- through a real subprocess ------------------------------------------------------------------------------


def test_blog_example_prints_torchs_numbers() -> None:
    done = cli(*BLOG)
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    assert text.startswith("ConvTranspose1d(1, 3, kernel_size=(1,), stride=(1,))    # seed 42")
    block = text[text.index("output (3, 6)\n") + len("output (3, 6)\n"):]
    rows = [[float(v) for v in line.strip(" [],").split(",")] for line in block.strip().splitlines()]
    assert rows == BLOG_OUTPUT


def test_json_output_and_at() -> None:
    done = cli(*BLOG, "--json", "--at", "1,2")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"output", "output_shape", "weight", "bias", "output_length"} <= set(data)
    assert data["output_shape"] == [3, 6] and data["output_length"] == 6 and data["seed"] == 42
    np.testing.assert_allclose(data["output"], BLOG_OUTPUT, atol=5e-5)
    assert data["weight"] == BLOG_EXAMPLE["weight"] and data["bias"] == BLOG_EXAMPLE["bias"]  # exact
    assert "x[c=0, i=2] · w[c=0, o=1, k=0] = 0.0 · 0.4792 = 0.0" in data["explain"]


@pytest.mark.parametrize("args, message", [
    (["--input", "[[8,-3,0"], "--input: 2 '[' not closed"),
    (["--input", "__import__('os').system('echo hi')"], "--input: cannot read"),
    (["--in-channels", "2", "--out-channels", "3", "--kernel-size", "1", "--input", "[[1,2]]"], "in_channels=2"),
    (["--stride", "two"], "argument --stride: invalid int value: 'two'"),
])
def test_bad_input_is_one_line_and_status_2(args: list[str], message: str) -> None:
    done = cli(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("convviz: error: ") and message in done.stderr


def test_help_shows_the_blog_example() -> None:
    done = cli("--help")
    assert done.returncode == 0 and EXAMPLE in done.stdout
    assert "[" + ", ".join(f"{v:7.4f}" for v in BLOG_OUTPUT[1]) + "]" in done.stdout  # the blog's second row
    for flag in ("--in-channels", "--out-channels", "--kernel-size", "--stride", "--padding", "--output-padding",
                 "--groups", "--no-bias", "--dilation", "--dtype", "--seed", "--output-size", "--input", "--weight",
                 "--bias", "--at", "--json", "--config"):
        assert flag in done.stdout


# --- in process (fast) --------------------------------------------------------------------------------------


def test_docstring_example_runs() -> None:  # pytest's --doctest-modules skips __main__.py
    assert doctest.testmod(convviz.__main__).failed == 0


def test_at_explains_one_value(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, *BLOG, "--at", "0,0")
    x, w, b, y = (BLOG_EXAMPLE[name] for name in ("input", "weight", "bias", "output"))
    assert status == 0 and f"y[o=0, j=0] = {x[0][0] * w[0][0][0]:.4f} + {b[0]:.4f} = {y[0][0]:.4f}" in out
    status, out, _ = run_main(capsys, *BLOG, "--at", "0,0", "--format", "latex")
    assert status == 0 and r"\begin{aligned}" in out


def test_complex_batched_blog_example(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--in-channels", "3", "--out-channels", "3", "--kernel-size", "1", "--seed",
                              "42", "--dtype", "complex64", "--input", "[[[8],[-3],[0]],[[1],[5],[-2]]]", "--json",
                              "--at", "1,2,0")
    data = json.loads(out)
    assert status == 0 and data["output_shape"] == [2, 3, 1]
    assert data["output"][0][0][0].startswith("4.10497") and "+2.96360" in data["output"][0][0][0]
    assert data["explain"].startswith("y[n=1, o=2, j=0] = 1.2580+0.8691j")


def test_plain_numbers_weights_and_output_size(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--input", "1 2", "--weight", "[[[1, 10, 100]]]", "--no-bias", "--stride",
                              "2", "--output-size", "6", "--json")
    data = json.loads(out)
    assert status == 0 and data["output"] == [[1, 10, 102, 20, 200, 0]] and data["bias"] is None
    assert data["output_padding"] == 1
    status, out, _ = run_main(capsys, "--input", "1 2", "--weight", "[[[1, 10]]]", "--bias", "[0.5]", "--json")
    assert json.loads(out)["output"] == [[1.5, 12.5, 20.5]]


def test_config_file_and_flags_on_top(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"in_channels": 1, "out_channels": 3, "kernel_size": 1, "seed": 42,
                                "input": [[8, -3, 0, 1, 5, -2]]}))
    status, out, _ = run_main(capsys, "--config", str(path), "--json")
    assert status == 0
    np.testing.assert_allclose(json.loads(out)["output"], BLOG_OUTPUT, atol=5e-5)
    status, out, _ = run_main(capsys, "--config", str(path), "--stride", "2", "--json")
    assert json.loads(out)["output_shape"] == [3, 11]


@pytest.mark.parametrize("args, message", [
    (["--input", "[[1, 2]]"], "out_channels is missing"),
    (["--out-channels", "1", "--kernel-size", "1"], "--input is missing"),
    (BLOG + ["--at", "0"], "--at '0' must be two whole numbers"),
    (BLOG + ["--at", "3,0"], "out_channel=3 is out of range"),
    (BLOG + ["--output-padding", "1"], "output_padding=1 must be smaller than stride"),
    (BLOG + ["--dtype", "int8"], "dtype='int8' is not supported"),
    (BLOG + ["--bias", "[1,2]"], "bias has 2 values but out_channels=3"),
    (BLOG + ["--bias", "[1,2,3]", "--no-bias"], "--no-bias and --bias contradict"),
    (BLOG + ["--weight", "[[1,2,3]]"], "weight has 2 dimensions"),
    (BLOG + ["--input", "[[1+2j, 3]]"], "complex values but dtype=float32"),
    (BLOG + ["--seed", "-99999999999999999999"], "seed=-99999999999999999999 is outside"),
    (BLOG + ["--padding", "9"], "crops the whole output"),
    (BLOG + ["--output-size", "99"], "output_size=99 is out of range"),
    (BLOG + ["--config", "/nonexistent/c.json"], "--config /nonexistent/c.json: cannot read it"),
    (BLOG + ["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_bad_arguments_fail_cleanly(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    status, out, err = run_main(capsys, *args)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_bad_config_json_fails_cleanly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for text, message in [("{not json", "config is not valid JSON"), ("[1, 2]", "config must be a JSON object"),
                          ('{"input": [[1]], "strid": 2}', "unknown key 'strid'")]:
        path = tmp_path / "bad.json"
        path.write_text(text)
        status, _, err = run_main(capsys, "--config", str(path))
        assert status == 2 and len(err.strip().splitlines()) == 1 and message in err, err
