"""Installed from a wheel (not -e) and run from another directory, innosim finds its data: the calibrated
posterior and the historical scenarios travel with the package (pyproject.toml, model/analysis/calibration.py data_dir).

Before, the posterior was looked up beside the source tree; installed, `innosim run` fell back to the default
parameters with only a note on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel and installed into a folder of its own (dependencies from this environment)."""
    tmp = tmp_path_factory.mktemp("installed")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "wheel"),
                            str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next((tmp / "wheel").glob("innosim-*.whl"))
    site = tmp / "site"
    inst = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert inst.returncode == 0, inst.stderr[-3000:]
    return site


def _python(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # PYTHONPATH comes before the editable install's finder, so `model` is the installed copy
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_installed_package_finds_its_posterior_and_scenarios(installed, tmp_path):
    probe = _python(installed, tmp_path, "-c", "import model, model.analysis.calibration as c; "
                    "print(model.__file__); print(c.CALIBRATION_DIR); print(c.SCENARIO_DIR)")
    assert probe.returncode == 0, probe.stderr
    package, calibration, scenarios = (Path(line) for line in probe.stdout.split())
    assert package.is_relative_to(installed)
    assert (calibration / "posterior.csv").is_file() and calibration.is_relative_to(installed)
    assert (scenarios / "bda-2016-2020.toml").is_file() and (scenarios / "beijing-2014-2024.toml").is_file()


def test_an_installed_run_from_elsewhere_uses_the_calibrated_posterior(installed, tmp_path):
    scenario = installed / "model" / "library" / "sanliang-qisheng-2024-2026.toml"
    run = _python(installed, tmp_path, "-m", "model", "run", str(scenario), "-n", "2", "-w", "1", "--out", "out",
                  "--no-progress")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "no posterior" not in run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["parameters"]["mode"] == "posterior"
    assert Path(summary["parameters"]["posterior"]["file"]).is_relative_to(installed)
