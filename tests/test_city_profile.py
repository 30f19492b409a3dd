"""The city-scale profile beijing-2023 and its baseline scenario."""

from __future__ import annotations

import copy
import csv
import re

import numpy as np
import pytest
from conftest import PUBLIC_FIGURES, ROOT, seeds

from model.profiles import PROFILES, REQUIRED
from model.scenario import load_scenario, parse_scenario, read_document
from model.sectors import SECTORS
from model.sim import EcosystemModel

PROFILE_FILE = ROOT / "model" / "profiles" / "beijing-2023.toml"
SCENARIO = ROOT / "scenarios" / "beijing-2023-baseline.toml"
CJK = re.compile(r"[\u3400-\u9fff]")

# The same city at about 1/28 of its firms: every count scaled down alike, so a year runs in
# well under a second while the baseline keeps the city's ratios (5% of tech firms high-tech).
SMALL_CITY = {"tech_firms": 20000, "new_market_entities": 6500, "high_tech": 1000, "specialized_sme": 250,
              "listed": 70, "national_platforms": 15, "municipal_platforms": 50, "joint_labs": 10,
              "pilot_bases": 3, "incubators_ordinary": 16, "incubators_municipal": 6}


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    with PUBLIC_FIGURES.open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def test_profile_loads_with_every_entry_pipeline_and_sector_mix():
    prof = PROFILES["beijing-2023"]
    assert prof.baseline == "2023-12"
    assert set(REQUIRED) <= prof.entries.keys()
    for key, e in prof.entries.items():
        assert e.get("unit") and e.get("label"), key
        if "range" in e:
            lo, hi = e["range"]
            assert 0 <= lo < hi, key
    assert set(prof.pipeline) >= {"national", "municipal", "joint_lab", "pilot_base", "ready_months", "source"}
    assert prof.sector_shares.shape == (len(SECTORS),) and prof.sector_shares.sum() == pytest.approx(1.0)
    # city scale: an order of magnitude above the district profiles
    assert prof.entries["tech_firms"]["range"][0] >= 10 * PROFILES["tongzhou-2023"].entries["tech_firms"]["range"][1]


def test_sourced_values_match_the_public_figures(rows):
    e = PROFILES["beijing-2023"].entries
    assert sorted(k for k, v in e.items() if "value" in v) == ["gdp", "high_tech", "rd_total"]
    assert e["high_tech"]["value"] == float(rows["bj-hightech-2023"]["value"]) == 28300
    ht = e["high_tech"]["source"]
    assert "bj-hightech-2023" in ht and rows["bj-hightech-2023"]["quote"] in ht
    gdp = float(rows["bj-gdp-2023"]["value"]) * 1e4  # 亿元 -> 万元
    assert rows["bj-gdp-2023"]["unit"] == "亿元" and e["gdp"]["value"] == gdp
    assert "bj-gdp-2023" in e["gdp"]["source"] and rows["bj-gdp-2023"]["quote"] in e["gdp"]["source"]
    intensity = float(rows["bj-rd-intensity-2023"]["value"])
    assert rows["bj-rd-intensity-2023"]["unit"] == "%" and intensity == 6.73
    assert e["rd_total"]["value"] == round(gdp * intensity / 100)
    assert "bj-rd-intensity-2023" in e["rd_total"]["source"] and "bj-gdp-2023" in e["rd_total"]["source"]


def test_estimates_bracket_or_sit_between_the_documented_figures(rows):
    e = PROFILES["beijing-2023"].entries
    # tech firms: more than the ~2017 count (48.8万), which was more than 2014's 28.5万 (seed 003)
    assert e["tech_firms"]["range"][0] > float(rows["bj-techfirms-2017"]["value"]) > 285000
    # 专精特新 at end-2023: above Haidian's 2023-05 count scaled by its 35% share, below 2024-09's 8754
    haidian_zjtx = float(rows["haidian-hightech-2023"]["value"].split("/")[1])
    zjtx_2024 = float(rows["bj-zjtx-2024"]["value"].split("/")[0])
    lo, hi = e["specialized_sme"]["range"]
    assert haidian_zjtx / 0.35 < lo < hi < zjtx_2024
    # tech start-ups a year at startup_rate 0.30 cover ZGC's new tech firms of 2023
    new_tech = float(rows["zgc-rd-2023"]["value"].split("/")[1])
    assert e["new_market_entities"]["range"][0] * 0.30 >= 0.99 * new_tech


def test_every_chinese_quote_in_the_profile_is_in_a_seed_or_a_public_figure(rows):
    texts = [p.read_text("utf-8") for p in sorted(seeds().glob("*.txt"))]
    texts += [r["quote"] for r in rows.values()]
    quotes = [q for q in re.findall(r"'([^'\n]+)'", PROFILE_FILE.read_text("utf-8")) if CJK.search(q)]
    assert len(quotes) >= 10
    missing = [q for q in quotes for part in q.split("…") if not any(part in t for t in texts)]
    assert not missing, f"quoted but found in no seed or public-figures row: {missing}"


def test_baseline_scenario_is_citywide_without_levers_or_targets():
    sc = load_scenario(SCENARIO)
    assert sc.scenario.profile == "beijing-2023"
    assert (sc.scenario.start, sc.scenario.end, sc.months) == ("2024-01", "2026-12", 36)
    assert sc.targets == [] and sc.levers.budget.total() == 0 and not sc.baseline
    assert not any(v for k, v in sc.levers.model_dump(exclude={"budget", "adaptive_shift"}).items())


def test_a_reduced_city_runs_and_keeps_its_baseline():
    doc = copy.deepcopy(read_document(SCENARIO))
    doc["scenario"].update(end="2024-12", name="beijing-small")
    doc["baseline"] = SMALL_CITY
    sc = parse_scenario(doc)
    for rep in (0, 1):
        m = EcosystemModel(sc, rep, debug=True).run()  # debug: invariants checked every month
        df = m.datacollector.get_model_vars_dataframe()
        assert len(df) == 13 and np.isfinite(df.select_dtypes("number").to_numpy()).all()
        first, last = df.iloc[0], df.iloc[-1]
        assert first["living_firms"] == 20000 and first["high_tech"] == 1000 and first["listed"] == 70
        assert first["rd_intensity"] == pytest.approx(6.73, abs=0.005)  # 2945.1亿 of 43760.7亿
        assert first["gdp"] == 437607000
        assert 0.8 < last["high_tech"] / first["high_tech"] < 1.3
        assert 6.0 < last["rd_intensity"] < 7.5
        assert last["entries_cum"] > 0 and last["exits_cum"] > 0


def test_above_scale_factor_scales_an_estimated_share_and_leaves_a_given_one():
    """The factor multiplies the profile's drawn estimate (capped at 1) and nothing else; a scenario's own share
    is taken as given. At 1 the draw is the profile's (every run unchanged)."""
    profile = PROFILES["tongzhou-2023"]
    plain = profile.draw(np.random.default_rng(7))
    assert profile.draw(np.random.default_rng(7), above_scale_factor=1.0) == plain
    doubled = profile.draw(np.random.default_rng(7), above_scale_factor=2.0)
    assert doubled["above_scale_share"] == 2.0 * plain["above_scale_share"]
    assert {k: v for k, v in doubled.items() if k != "above_scale_share"} == {
        k: v for k, v in plain.items() if k != "above_scale_share"}
    assert profile.draw(np.random.default_rng(7), above_scale_factor=1000.0)["above_scale_share"] == 1.0
    given = profile.draw(np.random.default_rng(7), {"above_scale_share": 0.04}, above_scale_factor=2.0)
    assert given["above_scale_share"] == 0.04
