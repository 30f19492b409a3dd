"""The package's imports flow one way: no cycle among model's modules, and nothing below the CLI imports it.

Imports under `if TYPE_CHECKING:` are type hints, not imports at run time, and are not counted.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from conftest import ROOT

PACKAGE = ROOT / "model"


def _imports(tree: ast.AST, modules: set[str]) -> set[str]:
    """Sibling modules imported anywhere in `tree` (functions included), TYPE_CHECKING blocks excepted."""
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= set().union(*(_imports(n, modules) for n in node.orelse)) if node.orelse else set()
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            found |= {n for n in names if n in modules}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("model.")
                      and a.name.split(".")[1] in modules}
        found |= _imports(node, modules)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {p.stem: p for p in PACKAGE.glob("*.py")}
    return {m: _imports(ast.parse(p.read_text("utf-8")), set(files)) - {m} for m, p in files.items()}


def test_no_import_cycle():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as err:
        raise AssertionError(f"import cycle: {' -> '.join(err.args[1])}") from None


def test_nothing_below_the_cli_imports_it():
    assert {m for m, deps in import_graph().items() if "cli" in deps} <= {"__main__"}


def test_the_facade_gives_a_notebook_what_it_needs_and_the_cli_does_not_pay_for_it():
    import subprocess
    import sys

    import model

    for name in model.__all__:
        assert getattr(model, name) is not None, name
    probe = "import sys, model.cli; print('matplotlib' in sys.modules, 'model.optimize' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr
