"""Every view reads the trace: no module under ``convviz/figures/`` or ``convviz/app/`` computes a convolution of its
own (no einsum, matmul, dot, convolve, bincount, ``np.add.at``, ``@``, nor the engine). Checked on the syntax tree."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "convviz"
VIEWS = sorted(p for folder in ("figures", "app") for p in (ROOT / folder).rglob("*.py"))
ARITHMETIC = {"einsum", "matmul", "dot", "vdot", "tensordot", "inner", "convolve", "correlate", "bincount"}
ENGINE = {"engine", "conv_transpose1d", "forward", "ConvTranspose1d"}  # and forms.gather (its output)


def offences(source: str) -> list[str]:
    """What in ``source`` computes numbers a view should read from the trace, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
            found.append(f"{node.lineno}: the @ operator")
        elif isinstance(node, ast.Attribute) and node.attr in ARITHMETIC:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ARITHMETIC:
            found.append(f"{node.lineno}: {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in ("at", "reduceat") and \
                isinstance(node.value, ast.Attribute) and node.value.attr in ("add", "subtract", "multiply"):
            found.append(f"{node.lineno}: {node.value.attr}.{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            module, names = node.module or "", {alias.name for alias in node.names}
            if module.split(".")[-1] == "engine" or names & ENGINE or (module.endswith("forms") and "gather" in names):
                found.append(f"{node.lineno}: from {'.' * node.level}{module} import {', '.join(sorted(names))}")
        elif isinstance(node, ast.Import) and any(a.name.split(".")[-1] == "engine" for a in node.names):
            found.append(f"{node.lineno}: import {', '.join(a.name for a in node.names)}")
    return found


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_compute_no_convolution_of_their_own(path):
    found = offences(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(ROOT)} computes numbers itself ({'; '.join(found)}): read them from "
                       f"the Trace instead (running_sums, adds, position_adds, window_before, final, tap_sources)")


@pytest.mark.parametrize("line", ["y = np.einsum('ij,j->i', m, x)", "y = m @ x", "y @= m", "np.add.at(a, i, v)",
                                  "c = np.bincount(f)", "y = x.dot(w)", "np.convolve(x, w)",
                                  "from ..engine import forward", "from ..forms import gather",
                                  "from convviz import conv_transpose1d", "import convviz.engine"])
def test_the_check_catches_each_kind(line):
    assert offences(line)


def test_the_check_passes_reading_the_trace():
    assert not offences("sums = trace.running_sums(step, batch)\nfrom ..forms import flipped_kernel, upsample\n"
                        "x = a * b + np.add(c, d)")
