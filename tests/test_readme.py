"""The README's examples run as written (and print what the README says they print)."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("line", [line.split("  #")[0] for block in blocks("bash") for line in block.splitlines()
                                  if line.startswith("python -m convviz") and "--config" not in line])
def test_cli_examples_run(line):
    args = shlex.split(line)[3:]
    done = subprocess.run([sys.executable, "-m", "convviz", *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert "output" in done.stdout or "y[" in done.stdout
