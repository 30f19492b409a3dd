"""Every quote and every cited figure can be found where the files say it comes from.

Quotes of the action plan and the other source documents are checked against the seeds folder
(INNOSIM_SEEDS, default ../shared/seeds), and skip where it is absent; figures are checked against
the project's copy, calibration/data/public-figures.csv, which must agree with ../shared/data.
"""

from __future__ import annotations

import csv
import re
import tomllib

import pytest
from conftest import DATA, POLICY_EVIDENCE, PUBLIC_FIGURES, ROOT, SHARED_DATA, seeds, source_folder

from model.profiles import PROFILES

SEED_000 = "000_faac5bd104320b5c.txt"
SEED_004 = "004_81294c04e34c34ca.txt"


def read_rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def figure_rows() -> dict[str, dict]:
    return {row["id"]: row for row in read_rows(PUBLIC_FIGURES)}


@pytest.mark.parametrize("scenario", ["sanliang-qisheng-2024-2026.toml", "no-plan-baseline.toml"])
def test_every_target_quote_is_in_the_action_plan(scenario):
    plan = (seeds() / SEED_004).read_text("utf-8")
    targets = tomllib.loads((ROOT / "scenarios" / scenario).read_text("utf-8"))["targets"]
    assert len(targets) == 15
    for t in targets:
        assert t["quote"] in plan, t["id"]
        assert t["source"].startswith("seed 004")


def test_profile_citations_exist(figure_rows):
    cited = set()
    for prof in PROFILES.values():
        for key, entry in prof.entries.items():
            text = entry.get("source", "") + entry.get("estimate", "")
            ids = set(re.findall(r"\b(?:tz|zgc|bda|bj|haidian)-[a-z0-9-]+\b", text))
            assert ids or "seed" in text or "Axtell" in text or "Not published" in text or "estimate" in entry, key
            cited |= ids
    unknown = cited - figure_rows.keys()
    assert not unknown, f"cited ids missing from public-figures.csv: {sorted(unknown)}"
    assert len(cited) >= 10


def test_sourced_profile_values_match_the_figures(figure_rows):
    bda = PROFILES["bda-2015"].entries
    assert bda["gdp"]["value"] == float(figure_rows["bda-gdp-2015"]["value"]) * 1e4  # 亿元 -> 万元
    assert bda["high_tech"]["value"] == round(1200 / 2.2)


def test_the_high_tech_multiple_is_in_its_seed():
    assert "2.2倍" in (seeds() / SEED_000).read_text("utf-8")  # bda-2015 high_tech = 1200 / 2.2


@pytest.mark.parametrize("scenario", ["sanliang-qisheng-2024-2026.toml", "no-plan-baseline.toml", "bda-2016-2020.toml"])
def test_targets_refer_to_registered_figures(scenario):
    registry = {f["id"]: f for f in tomllib.loads((ROOT / "calibration" / "figures.toml").read_text("utf-8"))["figure"]}
    for t in tomllib.loads((ROOT / "scenarios" / scenario).read_text("utf-8"))["targets"]:
        fig = registry[t["figure"]]
        assert fig["value"] == t["threshold"], t["id"]
        assert t["quote"] in fig["quote"] or fig["quote"] in t["quote"], t["id"]


def test_policy_evidence_has_its_columns_and_unique_ids():
    rows = read_rows(POLICY_EVIDENCE)
    assert list(rows[0]) == ["id", "lever", "quantity", "estimate", "low", "high", "unit", "population", "period",
                             "method", "source", "url_or_reference", "quote_or_table", "note"]
    ids = [r["id"] for r in rows]
    assert len(rows) >= 40 and len(set(ids)) == len(ids)
    assert all(r["source"].strip() for r in rows)


@pytest.mark.parametrize("name", [PUBLIC_FIGURES.name, POLICY_EVIDENCE.name])
def test_the_project_copies_agree_with_the_shared_data(name):
    """The copies in calibration/data are the project's; a change to either side must reach the other."""
    shared = source_folder(SHARED_DATA, "the project's copies in calibration/data cannot be compared with the "
                                        "shared originals")
    ours, theirs = read_rows(DATA / name), read_rows(shared / name)
    assert ours and list(ours[0]) == list(theirs[0]), f"{name}: the columns differ from {shared / name}"
    mine, other = {r["id"]: r for r in ours}, {r["id"]: r for r in theirs}
    differ = sorted(i for i in mine.keys() & other.keys() if mine[i] != other[i])
    assert not differ and mine.keys() == other.keys() and [r["id"] for r in ours] == [r["id"] for r in theirs], (
        f"calibration/data/{name} and {shared / name} differ: rows changed {differ}, only ours "
        f"{sorted(mine.keys() - other.keys())}, only theirs {sorted(other.keys() - mine.keys())}")
