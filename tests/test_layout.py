"""The package's layout: a flat core and one subpackage per layer, imports flowing one way.

    scenario -> model (the core, flat in model/) -> execution -> analysis -> output -> cli
                                                                                  -> app (the web app)

The core imports none of the layers; execution imports only the core; output imports the core and execution;
analysis imports the core, execution and output; only the CLI (and `python -m model`) imports the CLI.
The app (model/app, `innosim app`) is a top layer beside the CLI: it may import the core, execution, analysis
and output, and only the CLI imports it, inside the command, so that `import model.cli` loads no web stack.
`reference/`, the docking reference engine, may import the core and execution.
Imports under `if TYPE_CHECKING:` are type hints, not imports at run time, and are not counted; imports inside
functions are counted.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "model"
LAYERS = ("execution", "analysis", "output", "cli", "app")
# layer -> the layers it may import (besides itself and the core)
ALLOWED = {
    "core": set(),
    "execution": set(),
    "output": {"execution"},
    "analysis": {"execution", "output"},
    "cli": {"execution", "analysis", "output", "app"},
    "app": {"execution", "analysis", "output"},
    "reference": {"execution"},
}


def module_name(path: Path) -> str:
    """Dotted name under model/: `sim`, `analysis.sensitivity.method`, `cli` (a package's __init__)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "__init__"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(path: Path, node: ast.ImportFrom, known: set[str]) -> set[str]:
    """The modules of model that a relative (or absolute `model.`) from-import names."""
    if node.level:
        package = list(path.relative_to(PACKAGE).parts[:-1])  # the package the importing file is in
        stem = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
    elif node.module and node.module.split(".")[0] == "model":
        stem = node.module.split(".")[1:]
    else:
        return set()
    found = set()
    for alias in node.names:  # `from .analysis import sensitivity` imports a module; `from .x import name` does not
        candidate = ".".join([*stem, alias.name])
        deepest = next((".".join(stem[:n]) for n in range(len(stem), 0, -1) if ".".join(stem[:n]) in known), None)
        found |= {candidate} if candidate in known else {deepest} if deepest else set()
    return found


def _imports(path: Path, tree: ast.AST, known: set[str]) -> set[str]:
    """Modules of model imported anywhere in `tree` (functions included), TYPE_CHECKING blocks excepted."""
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for n in node.orelse:
                found |= _imports(path, n, known)
            continue
        if isinstance(node, ast.ImportFrom):
            found |= _resolve(path, node, known)
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "model":
                    for n in range(len(parts), 1, -1):
                        if ".".join(parts[1:n]) in known:
                            found.add(".".join(parts[1:n]))
                            break
        found |= _imports(path, node, known)
    return found


def import_graph() -> dict[str, set[str]]:
    files = modules()
    return {m: _imports(p, ast.parse(p.read_text("utf-8")), set(files)) - {m} for m, p in files.items()}


def layer(module: str) -> str:
    head = module.split(".")[0]
    return head if head in (*LAYERS, "reference") else "core"


def test_the_layers_are_subpackages_and_the_core_is_flat():
    for name in LAYERS:
        assert (PACKAGE / name / "__init__.py").is_file(), name
    core = {p.stem for p in PACKAGE.glob("*.py")}
    assert {"sim", "firms", "scenario", "parameters", "indicators", "population"} <= core
    misplaced = core & {"ensemble", "parallel", "compare", "sensitivity", "optimize", "discovery", "calibration",
                        "results", "report", "plotting", "cli", "arguments"}
    assert not misplaced, f"layer modules left in the core: {sorted(misplaced)}"


def test_the_import_graph_sees_the_layers():
    """A check on the checker: it resolves relative imports across subpackages."""
    graph = import_graph()
    assert "execution.ensemble" in graph["output.results"]
    assert "sim" in graph["execution.ensemble"]
    assert "analysis" in graph["cli"] or any(m.startswith("analysis") for m in graph["cli"])


def test_no_import_cycle():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as err:
        raise AssertionError(f"import cycle: {' -> '.join(err.args[1])}") from None


def test_nothing_outside_the_cli_imports_it():
    users = {m for m, deps in import_graph().items() if any(layer(d) == "cli" for d in deps) and layer(m) != "cli"}
    assert users <= {"__main__"}, f"import the CLI: {sorted(users - {'__main__'})}"


def test_only_the_cli_imports_the_app():
    graph = import_graph()
    users = {m for m, deps in graph.items() if any(layer(d) == "app" for d in deps) and layer(m) != "app"}
    assert users == {"cli.app"}, f"import the app: {sorted(users - {'cli.app'})}"
    assert "app.server" in graph["cli.app"]  # a check on the check: the command's import inside a function counts


@pytest.mark.parametrize("source", sorted(ALLOWED))
def test_imports_flow_one_way(source):
    """scenario -> model -> execution -> analysis -> output -> cli / app: no layer imports one that comes after it."""
    wrong = sorted(f"{m} imports {d}" for m, deps in import_graph().items() if layer(m) == source
                   and m not in ("__init__", "__main__")  # the facade and `python -m model` sit above the layers
                   for d in deps if layer(d) not in {"core", source, *ALLOWED[source]})
    assert not wrong, wrong


def test_the_facade_gives_a_notebook_what_it_needs_and_the_cli_does_not_pay_for_it():
    import subprocess
    import sys

    import model

    for name in model.__all__:
        assert getattr(model, name) is not None, name
    probe = ("import sys, model.cli; print('matplotlib' in sys.modules, "
             "any(m.startswith('model.analysis') for m in sys.modules), "
             "any(m.startswith(('model.app', 'solara')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False", "False"], out.stderr


def test_the_wheel_lists_every_subpackage():
    """setuptools ships the packages pyproject.toml names: a new subpackage left out breaks an installed innosim."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    packages = {".".join(("model", *p.parent.relative_to(PACKAGE).parts)) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed, f"missing from pyproject.toml: {sorted(packages - listed)}"


MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def test_small_rooms():
    """No module over 500 lines, no function over 60 (a newcomer reads a module, and a function, whole)."""
    big = []
    for name, path in modules().items():
        text = path.read_text("utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            big.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    big.append(f"{name}.{node.name}: {length} lines")
    assert not big, big


def test_no_argparse_below_the_cli():
    """The methods take plain arguments (and a RunContext), never an argparse Namespace."""
    users = [name for name, path in modules().items() if layer(name) != "cli"
             and "argparse" in {a.name for n in ast.walk(ast.parse(path.read_text("utf-8")))
                                if isinstance(n, ast.Import) for a in n.names}
             | {n.module for n in ast.walk(ast.parse(path.read_text("utf-8"))) if isinstance(n, ast.ImportFrom)}]
    assert not users, f"import argparse outside model/cli: {users}"


def test_the_slow_tier_names_tests_that_exist():
    """A renamed module or test must not slip out of the slow tier unnoticed (conftest.py lists it)."""
    import conftest

    here = Path(__file__).resolve().parent
    for module in conftest.SLOW_MODULES:
        assert (here / f"{module}.py").exists(), module
    for test in conftest.SLOW_TESTS:
        path, name = test.split("::")
        assert f"def {name}(" in (here / path).read_text("utf-8"), test
