"""Execute the planners' notebooks: `make notebooks` (outputs saved in place) or from the tests.

The ensemble size comes from INNOSIM_NB_REPLICATIONS (default 40), so the test suite can run
the same notebooks small.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted(HERE.glob("0*.ipynb"))


def execute(path: Path, save: bool, timeout: int = 600) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    if save:
        nbformat.write(nb, path)
    return nb


if __name__ == "__main__":
    for p in NOTEBOOKS:
        print(f"executing {p.name}", flush=True)
        execute(p, save="--check" not in sys.argv)
    print(f"{len(NOTEBOOKS)} notebooks executed with {os.environ.get('INNOSIM_NB_REPLICATIONS', '40')} replications")
