"""Import layering, read from the source (ast), never by importing it.

``errors → shapes → spec → init/engine/module → trace → forms → worksheet/presets → figures → app``: a module
may import its own layer and the ones below, never one above. Below ``figures`` everything is NumPy and the
standard library; Plotly lives in ``figures/``, Streamlit in ``app/`` (both also in ``streamlit_app.py``), and
torch only in ``torch_check.py``, imported lazily inside a function.
"""
from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "convviz"

# One rank per module (a subpackage counts as one module). Equal ranks may import each other.
RANKS: dict[str, float] = {
    "errors": 0, "arguments": 0,                # the one table of arguments (stdlib only)
    "shapes": 1,
    "spec": 2, "values": 2,                      # validation; parsing typed-in values
    "init": 3, "engine": 3, "module": 3, "config": 3, "torch_check": 3,
    "stack": 3,                                  # stacks of layers: lengths and compounded overlap
    "port": 3,                                   # a layer of Keras / JAX / ONNX as PyTorch's, and back
    "trace": 4,
    "adjoint": 5,                                # the Conv1d it transposes: round trip, adjoint identity
    "forms": 5, "answers": 5,                    # answers: marking a hand calculation, naming the mistake
    "worksheet": 6, "presets": 6, "quiz": 6,
    "figures": 7,
    "__init__": 7.5, "__main__": 7.5,            # may import anything below app
    "app": 8,
    "streamlit_app": 9,                          # the script at the top of the repository
}
# Third-party packages: NumPy everywhere; anything else only in these (the standard library is always fine).
ONLY_IN: dict[str, set[str]] = {
    "plotly": {"figures", "streamlit_app"},
    "streamlit": {"app", "streamlit_app"},
    "torch": {"torch_check"},
}
BEYOND_NUMPY = {"figures", "app", "streamlit_app"}  # may use other packages (pandas, kaleido, …) too
LAZY = {"torch"}  # imported inside a function only, so that `import convviz` never loads it
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


def units() -> dict[str, Path]:
    """Every module of convviz, as its unit name (``figures`` for ``figures/scatter.py``)."""
    found = {path.stem: path for path in PACKAGE.glob("*.py")}
    found.update({path.name: path for path in PACKAGE.iterdir() if (path / "__init__.py").exists()})
    return found


def sources() -> Iterator[tuple[str, str, Path]]:
    """(unit, dotted module name, path) of every Python file under convviz/, and streamlit_app.py."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield (parts[1] if len(parts) > 2 else parts[-1]), dotted, path
    if (ROOT / "streamlit_app.py").exists():
        yield "streamlit_app", "streamlit_app", ROOT / "streamlit_app.py"


class Imports(ast.NodeVisitor):
    """(line, absolute dotted name, inside a function) of every import that runs (not ``if TYPE_CHECKING:``);
    ``importlib.import_module("x")`` and ``__import__("x")`` count as imports of ``x``."""

    def __init__(self, package: str) -> None:
        self.package, self.depth, self.found = package, 0, []

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Import(self, node: ast.Import) -> None:
        self.found += [(node.lineno, alias.name, self.depth > 0) for alias in node.names]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")[:len(self.package.split(".")) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        self.found += [(node.lineno, f"{module}.{alias.name}", self.depth > 0) for alias in node.names]

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            self.found.append((node.lineno, str(node.args[0].value), self.depth > 0))
        self.generic_visit(node)


def violations(unit: str, dotted: str, source: str, known: set[str], is_package: bool = False) -> list[str]:
    """Every import in ``source`` (module ``dotted``, in layer ``unit``) that breaks the layering."""
    if unit not in RANKS:
        return [f"{dotted}: unit {unit!r} has no layer; add it to RANKS in tests/test_layering.py"]
    visitor = Imports(dotted if is_package else dotted.rpartition(".")[0])
    visitor.visit(ast.parse(source))
    problems = []
    for line, name, lazy in visitor.found:
        parts = name.split(".")
        where = f"{dotted}:{line} imports {name}"
        if parts[0] == "convviz":
            target = parts[1] if len(parts) > 1 and parts[1] in known else "__init__"
            if target not in RANKS:
                problems.append(f"{where}: unit {target!r} has no layer in RANKS")
            elif RANKS[target] > RANKS[unit]:
                problems.append(f"{where}: {unit} (layer {RANKS[unit]}) may not import {target} "
                                f"(layer {RANKS[target]})")
        elif parts[0] not in STDLIB:
            top = parts[0]
            if top in ONLY_IN and unit not in ONLY_IN[top]:
                problems.append(f"{where}: {top} belongs in {' and '.join(sorted(ONLY_IN[top]))} only")
            elif top not in ONLY_IN and top != "numpy" and unit not in BEYOND_NUMPY:
                problems.append(f"{where}: below figures only NumPy and the standard library may be imported")
            elif top in LAZY and not lazy:
                problems.append(f"{where}: import {top} inside a function, so `import convviz` stays free of it")
    return problems


def test_every_module_has_a_layer():
    assert set(units()) - set(RANKS) == set(), "add the new module to RANKS"


@pytest.mark.parametrize("unit, dotted, path", list(sources()), ids=lambda v: v if isinstance(v, str) else "")
def test_layering(unit, dotted, path):
    assert violations(unit, dotted, path.read_text(), set(units()), path.name == "__init__.py") == []


# --- the checker itself can fail -------------------------------------------------------------------------

KNOWN = {"errors", "shapes", "spec", "engine", "trace", "figures", "app", "torch_check", "worksheet"}


@pytest.mark.parametrize("unit, dotted, source, complaint", [
    ("shapes", "convviz.shapes", "from .engine import forward", "shapes (layer 1) may not import engine"),
    ("spec", "convviz.spec", "import convviz.trace", "spec (layer 2) may not import trace"),
    ("engine", "convviz.engine", "from . import trace", "engine (layer 3) may not import trace"),
    ("engine", "convviz.engine", "from convviz import conv_transpose1d", "may not import __init__"),
    ("figures", "convviz.figures.scatter", "from ..app import main", "figures (layer 7) may not import app"),
    ("trace", "convviz.trace", "from .worksheet import explain", "may not import worksheet"),
    ("engine", "convviz.engine", "import plotly.graph_objects as go", "plotly belongs in figures"),
    ("app", "convviz.app.cache", "import plotly.graph_objects as go", "plotly belongs in figures"),
    ("figures", "convviz.figures.base", "import streamlit as st", "streamlit belongs in app"),
    ("trace", "convviz.trace", "import torch", "torch belongs in torch_check only"),
    ("engine", "convviz.engine", "def f():\n    import importlib\n    return importlib.import_module('torch')",
     "torch belongs in torch_check only"),
    ("spec", "convviz.spec", "import pandas as pd", "only NumPy"),
    ("__init__", "convviz", "import scipy", "only NumPy"),
    ("torch_check", "convviz.torch_check", "import torch", "import torch inside a function"),
    ("__main__", "convviz.__main__", "from .app import main", "__main__ (layer 7.5) may not import app"),
    ("newthing", "convviz.newthing", "import os", "add it to RANKS"),
])
def test_checker_catches(unit, dotted, source, complaint):
    problems = violations(unit, dotted, source, KNOWN)
    assert problems and any(complaint in p for p in problems), problems


@pytest.mark.parametrize("unit, dotted, source", [
    ("engine", "convviz.engine", "import math\nimport numpy as np\nfrom .spec import ConvSpec\nfrom . import errors"),
    ("figures", "convviz.figures.scatter", "import plotly.graph_objects as go\nfrom ..trace import Trace"),
    ("app", "convviz.app.main", "import streamlit as st\nimport pandas\nfrom .. import figures, torch_check"),
    ("torch_check", "convviz.torch_check", "def load():\n    import torch\n    return torch"),
    ("trace", "convviz.trace", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import plotly"),
    ("__main__", "convviz.__main__", "from .worksheet import explain\nfrom .figures import scatter"),
])
def test_checker_allows(unit, dotted, source):
    assert violations(unit, dotted, source, KNOWN) == []
