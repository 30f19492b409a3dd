from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from model.scenario import Scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
NO_PLAN = ROOT / "scenarios" / "no-plan-baseline.toml"


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
