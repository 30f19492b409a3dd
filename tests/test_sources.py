"""Every quote and every cited figure can be found where the files say it comes from."""

from __future__ import annotations

import csv
import re
import tomllib

import pytest
from conftest import ROOT

from model.profiles import PROFILES

SHARED = ROOT.parent / "shared"
SEED_004 = SHARED / "seeds" / "004_81294c04e34c34ca.txt"
FIGURES = SHARED / "data" / "public-figures.csv"


@pytest.fixture(scope="module")
def figure_ids() -> set[str]:
    assert FIGURES.is_file(), f"{FIGURES} is missing: the project expects ../shared beside the repository"
    with FIGURES.open(encoding="utf-8") as fh:
        return {row["id"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize("scenario", ["sanliang-qisheng-2024-2026.toml", "no-plan-baseline.toml"])
def test_every_target_quote_is_in_the_action_plan(scenario):
    plan = SEED_004.read_text("utf-8")
    targets = tomllib.loads((ROOT / "scenarios" / scenario).read_text("utf-8"))["targets"]
    assert len(targets) == 15
    for t in targets:
        assert t["quote"] in plan, t["id"]
        assert t["source"].startswith("seed 004")


def test_profile_citations_exist(figure_ids):
    cited = set()
    for prof in PROFILES.values():
        for key, entry in prof.entries.items():
            text = entry.get("source", "") + entry.get("estimate", "")
            ids = set(re.findall(r"\b(?:tz|zgc|bda|bj|haidian)-[a-z0-9-]+\b", text))
            assert ids or "seed" in text or "Axtell" in text or "Not published" in text or "estimate" in entry, key
            cited |= ids
    unknown = cited - figure_ids
    assert not unknown, f"cited ids missing from public-figures.csv: {sorted(unknown)}"
    assert len(cited) >= 10


def test_sourced_profile_values_match_the_figures():
    with FIGURES.open(encoding="utf-8") as fh:
        rows = {row["id"]: row for row in csv.DictReader(fh)}
    bda = PROFILES["bda-2015"].entries
    assert bda["gdp"]["value"] == float(rows["bda-gdp-2015"]["value"]) * 1e4  # 亿元 -> 万元
    assert bda["high_tech"]["value"] == round(1200 / 2.2)
    assert "2.2倍" in (SHARED / "seeds" / "000_faac5bd104320b5c.txt").read_text("utf-8")


@pytest.mark.parametrize("scenario", ["sanliang-qisheng-2024-2026.toml", "no-plan-baseline.toml", "bda-2016-2020.toml"])
def test_targets_refer_to_registered_figures(scenario):
    registry = {f["id"]: f for f in tomllib.loads((ROOT / "calibration" / "figures.toml").read_text("utf-8"))["figure"]}
    for t in tomllib.loads((ROOT / "scenarios" / scenario).read_text("utf-8"))["targets"]:
        fig = registry[t["figure"]]
        assert fig["value"] == t["threshold"], t["id"]
        assert t["quote"] in fig["quote"] or fig["quote"] in t["quote"], t["id"]
