"""A settled start: the population the spin-up hands over is in the state the model's own rules produce.

With the levers held at their pre-plan pace (the no-plan scenario, whose levers are the profile's
background), the first year of a run is no outlier: its certification, entry and exit rates lie on the
line through years 2 and 3 within sampling noise (a start-up transient would put year 1 off it, as the
first calibration's snapshot start did: about a thousand firms became eligible for high-tech in year 1).
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
from conftest import NO_PLAN, ROOT

from model import certification as cert
from model.analysis import calibration as cal
from model.execution.ensemble import run_ensemble
from model.profiles import PROFILES
from model.scenario import load_scenario
from model.sim import EcosystemModel


def test_no_plan_levers_are_the_profiles_background():
    """The no-plan run holds the levers the spin-up ran under: nothing changes at the baseline."""
    doc = tomllib.loads(NO_PLAN.read_text("utf-8"))
    assert doc["levers"] == PROFILES["tongzhou-2023"].background
    bda = tomllib.loads((ROOT / "scenarios" / "bda-2016-2020.toml").read_text("utf-8"))["levers"]
    background = PROFILES["bda-2015"].background
    assert {k: v for k, v in bda.items() if k != "adaptive"} == background


def yearly(ens, name: str) -> np.ndarray:
    v = ens.series(name)
    return np.stack([v[:, 12] - v[:, 0], v[:, 24] - v[:, 12], v[:, 36] - v[:, 24]], axis=1)


def at_year_starts(ens, name: str) -> np.ndarray:
    v = ens.series(name)
    return np.stack([v[:, 0], v[:, 12], v[:, 24]], axis=1)


@pytest.fixture(scope="module")
def no_plan():
    sc = load_scenario(NO_PLAN)
    return run_ensemble(sc, replications=40, workers=2, parameters=cal.parameter_source("posterior"))


def rates(ens) -> dict[str, np.ndarray]:
    """Replications x years 1-3."""
    firms, ht = at_year_starts(ens, "living_firms"), at_year_starts(ens, "high_tech")
    certified = yearly(ens, "ht_certified_cum")
    renewed = yearly(ens, "ht_renewed_cum")
    return {"entries a month": yearly(ens, "entries_cum") / 12.0,
            "exits per firm": yearly(ens, "exits_cum") / firms,
            "new high-tech certificates per certified firm": (certified - renewed) / ht,
            "renewals per certificate due": renewed / at_year_starts(ens, "ht_due")}


RATES = ("entries a month", "exits per firm", "new high-tech certificates per certified firm",
         "renewals per certificate due")
# Measured on the committed posterior, 100 replications (year 1, 2, 3; kink = year 1 against the line through
# years 2-3, +- its standard error): entries a month 564 / 574 / 586 (kink 2.4 +- 1.7); exits per firm 0.108 /
# 0.116 / 0.122 (-0.0019 +- 0.0005); new certificates per certified firm 0.325 / 0.301 / 0.287 (0.010 +- 0.004);
# renewals per certificate due 0.458 / 0.451 / 0.460 (0.016 +- 0.006). Renewals are counted per certificate due,
# not per certified firm: how many certificates fall due each year is the stock's history (the spin-up's
# rounds granted more in some years than others: 27.9%, 26.1%, 28.4% of holders fall due in years 1-3), not a
# rate the start could disturb; per certified firm renewals are 0.127 / 0.118 / 0.131.


@pytest.mark.parametrize("name", RATES)
def test_the_first_year_is_no_outlier(no_plan, name):
    r = rates(no_plan)[name]
    kink = r[:, 0] - (2 * r[:, 1] - r[:, 2])  # year 1 against the line through years 2 and 3
    se = kink.std(ddof=1) / np.sqrt(len(kink))
    assert abs(kink.mean()) <= 3.0 * se + 0.02 * abs(r[:, 1].mean()), (
        f"{name}: year 1 {r[:, 0].mean():.4g}, years 2-3 {r[:, 1].mean():.4g} {r[:, 2].mean():.4g}")


def test_zjtx_holders_cut_at_the_hand_over_are_those_the_rescale_left_failing_the_rules():
    """The revenue rescale pushes firms below the 专精特新 rules' amounts; when the spin-up holds more certificates
    than the district's documented stock, those holders go first, so the holders left fail the rules about as
    often as in Beijing's run from 2014 at the same date (5%). Cut at random, 23% of them did (10 replications)."""
    sc = load_scenario(NO_PLAN)
    src = cal.parameter_source("posterior")
    failing = holders = 0
    for r in range(6):
        f = EcosystemModel(sc, replication=r, parameters=src).firms
        held = f.alive & (f.zjtx_until > 0)
        failing += np.count_nonzero(held & ~cert.zjtx_eligible(f, 0))
        holders += np.count_nonzero(held)
    assert failing / holders < 0.10, f"{failing} of {holders} 专精特新 holders fail the rules at the baseline"


def test_holders_passed_the_unspelled_rules_when_granted_not_at_the_hand_over():
    """The share of certificates due that still pass the rules the model does not spell out is the same in years
    1-3. Holders were kept (and scored) by their chance at today's revenue before: all passed at the hand-over,
    and at their renewal round 94.5% / 90.3% / 87.3% of those alive in years 1 / 2 / 3 passed (now about 89-90%
    / 89% / 88%): year 1 renewed more than the later years."""
    sc = load_scenario(NO_PLAN)
    src = cal.parameter_source("posterior")
    passed = np.zeros((3, 2))
    for r in range(6):
        m = EcosystemModel(sc, replication=r, parameters=src)
        for year in range(3):
            while m.calendar_month != cert.HIGH_TECH_APPROVE_MONTH:
                m.step()
            f = m.firms
            due = f.alive & (f.ht_until >= m.month) & (f.ht_until < m.month + 12)
            ok = cert.passes_unspelled(f, m.p, m.ht_fit_share)
            passed[year] += (np.count_nonzero(due & ok), np.count_nonzero(due))
            m.step()
    share = passed[:, 0] / passed[:, 1]
    assert abs(share[0] - share[1:].mean()) < 0.025, f"share of due certificates passing, years 1-3: {share}"


def test_a_city_run_from_2023_keeps_beijings_2024_pace_of_zjtx():
    """The one documented 专精特新 flow after a post-2022 hand-over: Beijing's stock reached 8,754 in 2024-09 (PE31;
    read as +-3%), from about 7,300 at end-2023 (the beijing-2023 profile). A run from that profile must reach it
    within its P10-P90. Measured, 20 replications, P10 - P50 - P90 at 2024-09: 6,864 - 8,665 - 10,111. Two settled
    readings of the hand-over were tried in 2026-12 and fail or strain it: the points test (the stock below the
    spin-up's read as firms failing the unspelled rules) 6,950 - 7,435 - 7,932, out; the backlog with the revenue
    rescale's holders redrawn 6,530 - 8,015 - 9,370. The model's settled pool grows too slowly for Beijing's pace
    (README, "Status and limits")."""
    ens = run_ensemble(load_scenario(ROOT / "scenarios" / "beijing-2023-baseline.toml"), replications=20, workers=2,
                       parameters=cal.parameter_source("posterior"))
    at = ens.series("specialized_sme")[:, 9]  # the series starts at the baseline, 2023-12
    lo, hi = np.percentile(at, [10, 90])
    assert lo <= 8754 * 1.03 and hi >= 8754 * 0.97, f"P10-P90 at 2024-09: {lo:.0f}-{hi:.0f}"
