"""``python -m convviz --check``: the board example's right answer, its mistakes, and unreadable answers, with
the exit status (0 right, 1 wrong, 2 unreadable) and --json."""
from __future__ import annotations

import json

import pytest

from convviz.__main__ import main

BOARD = ["--input", "1 2", "--weight", "[[[1, 10]]]", "--bias", "[0.5]", "--stride", "2", "--padding", "1"]


@pytest.mark.parametrize("answer, at, status, says", [
    ("10.5 2.5", None, 0, "check: Right"),
    ("[1.5, 10.5, 2.5, 20.5]", None, 1, "no_crop"),
    ("10 2", None, 1, "no_bias"),
    ("10", "0,0", 1, "no_bias"),
    ("2.5", "0,1", 0, "check: Right"),
    ("7 7", None, 1, "No common mistake"),
    ("ten", None, 2, "cannot read"),
    ("", None, 2, "answer is empty"),
])
def test_cli_check_exit_codes(capsys, answer, at, status, says) -> None:
    try:
        code = main([*BOARD, "--check", answer, *(["--at", at] if at else [])])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == status and says in (out + err), (out, err)


def test_cli_check_json(capsys) -> None:
    assert main([*BOARD, "--check", "10 2", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)["check"]
    assert result["mistakes"] == ["no_bias"] and result["wrong"] == [[0, 0], [0, 1]] and not result["correct"]
