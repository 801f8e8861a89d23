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
    "shapes": 1, "limits": 1,                    # how much text each typed field accepts (from the caps)
    "spec": 2, "values": 2,                      # validation; parsing typed-in values
    "init": 3, "engine": 3, "module": 3, "config": 3, "torch_check": 3,
    "stack": 3,                                  # stacks of layers: lengths and compounded overlap
    "port": 3,                                   # a layer of Keras / JAX / ONNX as PyTorch's, and back
    "trace": 4,
    "adjoint": 5,                                # the Conv1d it transposes: round trip, adjoint identity
    "forms": 5, "answers": 5,                    # answers: marking a hand calculation, naming the mistake
    "worksheet": 6, "presets": 6, "quiz": 6, "practice": 6,  # practice: faded worked examples
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


# --- the app's own order -----------------------------------------------------------------------------------

# Inside convviz/app: the keys, then pure helpers, the caches, shared pieces, the views, the modes, the registry
# of views (pages), the page (main). A module may import its own rank and the ones below: no view imports the
# registry or the page, and the registry never imports the page.
APP_RANKS: dict[str, int] = {
    "keys": 0,                                   # every session and link key, named once
    "model": 1, "links": 1,                      # settings -> build; links read and written (no Streamlit state)
    "cache": 2,                                  # shared caches (builds, charts)
    "parts": 3, "stepper": 3,                    # pieces every view draws the same way; the one stepper
    "panels": 4, "answer_ui": 4, "conv1d_ui": 4, "stack_ui": 4, "exports": 4, "sidebar": 4, "port_ui": 4,
    "practice_ui": 4,                            # the Practice view (also drawn by the quiz)
    "presenter": 5, "quiz_ui": 5,                # the modes besides Explore
    "pages": 6,                                  # the registry of views
    "main": 7,                                   # the page
    "__init__": 8,
}
APP = PACKAGE / "app"


def app_violations(module: str, source: str) -> list[str]:
    """Every import in ``source`` (module ``convviz.app.<module>``) of an app module above its rank."""
    if module not in APP_RANKS:
        return [f"convviz.app.{module} has no rank; add it to APP_RANKS in tests/test_layering.py"]
    package = "convviz.app" if module == "__init__" else f"convviz.app.{module}"
    visitor = Imports(package if module == "__init__" else package.rpartition(".")[0])
    visitor.visit(ast.parse(source))
    problems = []
    for line, name, _ in visitor.found:
        parts = name.split(".")
        if parts[:2] != ["convviz", "app"] or len(parts) < 3:
            continue
        target = parts[2]
        if target not in APP_RANKS:
            if (APP / f"{target}.py").exists():
                problems.append(f"{package}:{line} imports {name}: {target} has no rank in APP_RANKS")
            continue  # a name from convviz.app itself (``from . import x`` of something not a module)
        if APP_RANKS[target] > APP_RANKS[module]:
            problems.append(f"{package}:{line} imports {name}: {module} (app rank {APP_RANKS[module]}) may not "
                            f"import {target} (app rank {APP_RANKS[target]})")
    return problems


def test_every_app_module_has_a_rank():
    assert {path.stem for path in APP.glob("*.py")} - set(APP_RANKS) == set(), "add the new module to APP_RANKS"


@pytest.mark.parametrize("path", sorted(APP.glob("*.py")), ids=lambda p: p.stem)
def test_app_order(path):
    assert app_violations(path.stem, path.read_text()) == []


@pytest.mark.parametrize("module, source, complaint", [
    ("panels", "from .main import main", "panels (app rank 4) may not import main"),
    ("panels", "from .pages import VIEWS", "panels (app rank 4) may not import pages"),
    ("stack_ui", "from . import pages", "stack_ui (app rank 4) may not import pages"),
    ("keys", "from .links import MODES", "keys (app rank 0) may not import links"),
    ("pages", "def f():\n    from .main import main", "pages (app rank 6) may not import main"),
    ("cache", "from convviz.app.panels import chart", "cache (app rank 2) may not import panels"),
    ("newview", "import streamlit", "add it to APP_RANKS"),
])
def test_app_order_checker_catches(module, source, complaint):
    problems = app_violations(module, source)
    assert problems and any(complaint in p for p in problems), problems


def test_app_order_checker_allows():
    assert app_violations("main", "from .pages import views_ui\nfrom .keys import MODE\nfrom ..figures import x") == []
    assert app_violations("panels", "from .keys import STEP\nfrom .cache import Key\nfrom .parts import chart") == []
