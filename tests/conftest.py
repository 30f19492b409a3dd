from __future__ import annotations

import copy
import os
import signal
import tomllib
from pathlib import Path

import baseline  # noqa: F401  (first: it keeps numpy on the loops the regression baseline was computed on)
import pytest

from model.scenario import Scenario, parse_scenario

# A suite started in the background by a non-interactive shell (`make test &`, some CI runners) inherits
# SIGINT ignored, as POSIX has it, and so would every command it starts: the Ctrl-C tests then saw the command
# carry on and failed as if it hung. The suite takes Ctrl-C back; a command it starts gets the default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
NO_PLAN = ROOT / "scenarios" / "no-plan-baseline.toml"

# The figures the project relies on are its own copies; the original source documents (seeds) and
# the shared originals of the copies live beside the repository, where a clone may not have them.
DATA = ROOT / "calibration" / "data"
PUBLIC_FIGURES = DATA / "public-figures.csv"
POLICY_EVIDENCE = DATA / "policy-evidence.csv"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT / os.environ.get("INNOSIM_SEEDS", "../shared/seeds")  # relative to the repository
# CI sets this: a missing source folder fails instead of skipping, and so does any other skip.
STRICT = os.environ.get("INNOSIM_REQUIRE_SOURCES") == "1"


def source_folder(path: Path, without: str) -> Path:
    """`path` if it is a folder; else a skip whose reason names it and what cannot be checked `without` it
    (a failure under INNOSIM_REQUIRE_SOURCES=1)."""
    if path.is_dir():
        return path
    reason = f"no folder {path.resolve()}: {without}"
    if STRICT:
        pytest.fail(f"{reason}; INNOSIM_REQUIRE_SOURCES=1 requires it", pytrace=False)
    pytest.skip(reason)


def seeds() -> Path:
    """The folder of the original source documents, seeds/NNN_*.txt."""
    return source_folder(SEEDS, "quotes cannot be checked against the source documents (INNOSIM_SEEDS names "
                                "their folder)")


# The slow tier: whole ensembles, calibrations, campaigns, notebooks, an installed wheel. `make test` runs
# everything (and CI with it); `make test-quick` leaves these out, for the check before each commit. Chosen
# from a full run's --durations: each module or test here took 10 s or more.
SLOW_MODULES = ("test_app", "test_app_browser", "test_backtest", "test_calibration", "test_calibration_resume",
                "test_charts", "test_dask", "test_discovery", "test_docking", "test_fuzz", "test_installed",
                "test_lifeline", "test_notebooks", "test_optimize", "test_resume", "test_sensitivity",
                "test_settled_start")
SLOW_TESTS = ("test_compare.py::test_common_random_numbers_shrink_the_variance_of_paired_differences",
              "test_compare.py::test_paired_intervals_cover_the_difference",
              "test_bench.py::test_calibration_throughput_runs_a_real_calibration",
              "test_exit_age_mates.py::test_the_engines_dock_with_the_age_mates",
              "test_particle.py::test_a_fit_with_early_stops_decides_as_one_without")


@pytest.fixture(autouse=True)
def _fresh_spinups():
    """Each test starts with no kept spin-up (model/spinups.py): a test that patches a mechanism must not
    start from a state another test spun up without the patch."""
    from model import spinups

    spinups.clear()
    yield
    spinups.clear()


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        module = item.path.stem
        if module in SLOW_MODULES or any(item.nodeid.removeprefix("tests/").startswith(t) for t in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter) -> None:
    """Every skipped test by name with its reason (-rs groups them by the line that skipped)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    terminalreporter.section(f"{len(skipped)} skipped")
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        terminalreporter.write_line(f"{report.nodeid}: {reason.removeprefix('Skipped: ')}")
    if STRICT:
        terminalreporter.write_line("INNOSIM_REQUIRE_SOURCES=1: nothing may be skipped, so these skips fail the run",
                                    red=True)


def pytest_sessionfinish(session, exitstatus) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def plan_doc() -> dict:
    return tomllib.loads(PLAN.read_text("utf-8"))


def make_scenario(doc: dict | None = None, **meta) -> Scenario:
    """The plan (or `doc`) with [scenario] fields replaced; targets past a shortened horizon dropped."""
    doc = copy.deepcopy(doc or plan_doc())
    doc["scenario"].update(meta)
    end = doc["scenario"]["end"]
    last = int(end[:4]) - (0 if end.endswith("-12") else 1)
    doc["targets"] = [t for t in doc.get("targets", []) if t["year"] <= last]
    return parse_scenario(doc)


@pytest.fixture(scope="session")
def plan() -> Scenario:
    return make_scenario()


# One firm in SMALL_SCALE, and a tenth of every lever: a replication of the plan costs about a quarter of its CPU
# at scale 1. For tests of what does not depend on the population's size (the same numbers on 1 or 2 workers,
# resume, files written, messages, processes ended), as a file (small_plan) or in memory
# (make_scenario(scale=SMALL_SCALE)). A test of a lever's effect or of numbers at the plan's size keeps scale 1:
# at scale 10 a lever of 2 incubators is 0.2 of one, and its counts move in steps of 10.
SMALL_SCALE = 10


def small_scale(text: str) -> str:
    """A scenario file's text at scale SMALL_SCALE."""
    head, section, rest = text.partition("[scenario]\n")
    assert section, "no [scenario] table to set the scale in"
    return f"{head}{section}scale = {SMALL_SCALE}\n{rest}"


@pytest.fixture(scope="session")
def small_plan(tmp_path_factory) -> Path:
    """The plan's file at scale SMALL_SCALE, written once per session; no-plan-baseline.toml beside it, also at
    that scale (the pair `innosim compare` takes)."""
    folder = tmp_path_factory.mktemp("small-scale")
    for path in (PLAN, NO_PLAN):
        (folder / path.name).write_text(small_scale(path.read_text("utf-8")), "utf-8")
    return folder / PLAN.name
