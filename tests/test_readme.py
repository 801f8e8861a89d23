"""The README's examples run as written (and print what the README says they print)."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_example_runs_and_prints_what_it_says(capsys):
    (code,) = blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    for claim in re.findall(r"# (\S.*)$", code, flags=re.M):
        if claim.startswith(("[", "Conv", "1")):  # the printed-value comments
            assert claim.split(" ...")[0].replace(" ", "") in printed.replace(" ", "").replace("\n", ""), claim


def torch_for(args: list[str]) -> tuple[np.ndarray, tuple[int, int] | None]:
    """What torch gives for a README command line's flags (seeded weights, as the CLI uses them), and its
    ``--at C,I`` cell if any."""
    torch = pytest.importorskip("torch")
    values: dict[str, Any] = {"in_channels": 1}
    at, seed, x = None, None, None
    for flag, value in zip(args[::2], args[1::2]):
        name = flag.removeprefix("--").replace("-", "_")
        if name == "seed":
            seed = int(value)
        elif name == "input":
            x = np.array(json.loads(value) if value.startswith("[") else [[float(v) for v in value.split()]],
                         dtype=np.float32)
        elif name == "at":
            at = tuple(int(v) for v in value.split(","))
        else:
            values[name] = int(value)
    assert seed is not None and x is not None, args
    torch.manual_seed(seed)
    layer = torch.nn.ConvTranspose1d(**values)
    with torch.no_grad():
        return layer(torch.from_numpy(x)).numpy(), at  # type: ignore[return-value]


@pytest.mark.parametrize("line", [line.split("  #")[0] for block in blocks("bash") for line in block.splitlines()
                                  if line.startswith("python -m convviz") and "--config" not in line])
def test_cli_examples_print_torchs_numbers(line):
    """Each README command prints torch's output for its flags (to the 4 decimals it shows), and ``--at C,I``
    explains the value torch has there."""
    args = shlex.split(line)[3:]
    expected, at = torch_for(args)
    done = subprocess.run([sys.executable, "-m", "convviz", *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    printed = [float(v) for v in re.findall(r"-?\d+\.\d{4}\b", done.stdout.split("output (")[1].split("]]")[0])]
    assert len(printed) == expected.size, done.stdout
    np.testing.assert_allclose(printed, expected.ravel(), atol=6e-5)
    if at is not None:
        assert f"y[o={at[0]}, j={at[1]}] = {expected[at]:.4f}" in done.stdout, done.stdout


def test_the_first_example_prints_the_rows_the_readme_shows():
    (block,) = [b for b in blocks("bash") if b.startswith("python -m convviz")]
    first, *rest = block.splitlines()
    shown = [float(v) for line in rest if line.startswith("#  [") or line.startswith("# [")
             for v in re.findall(r"-?\d+\.\d{4}", line)]
    expected, _ = torch_for(shlex.split(first)[3:])
    assert len(shown) == expected.size
    np.testing.assert_allclose(shown, expected.ravel(), atol=6e-5)
