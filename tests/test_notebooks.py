"""The planners' notebooks run from top to bottom (small ensembles)."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "notebooks"))
from execute import NOTEBOOKS, execute


def test_three_notebooks_are_committed_with_outputs():
    import nbformat

    assert [p.name for p in NOTEBOOKS] == ["01-quickstart.ipynb", "02-explore-levers.ipynb", "03-calibration.ipynb"]
    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.get("outputs") is not None for c in code)
        assert any(c.get("outputs") for c in code), f"{p.name} has no saved outputs: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, monkeypatch):
    monkeypatch.setenv("INNOSIM_NB_REPLICATIONS", "4")
    nb = execute(path, save=False, timeout=300)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, "every notebook shows at least one chart"
    assert os.environ["INNOSIM_NB_REPLICATIONS"] == "4"
