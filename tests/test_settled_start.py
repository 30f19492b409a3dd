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

from model.analysis import calibration as cal
from model.execution.ensemble import run_ensemble
from model.profiles import PROFILES
from model.scenario import load_scenario


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
            "renewals per certified firm": renewed / ht}


RATES = ("entries a month", "exits per firm", "new high-tech certificates per certified firm",
         "renewals per certified firm")
# Measured on the committed posterior, 100 replications (year 1, 2, 3; kink = year 1 against the line through
# years 2-3, +- its standard error): entries a month 563 / 573 / 585 (kink 2.7 +- 1.7); exits per firm 0.108 /
# 0.116 / 0.122 (-0.0017 +- 0.0005); new certificates per certified firm 0.322 / 0.300 / 0.284 (0.007 +- 0.005);
# renewals per certified firm 0.136 / 0.121 / 0.130 (0.024 +- 0.003).
# New certificates had a kink of 0.029 (0.345 / 0.296 / 0.276) while the above-scale rescale set the old firms'
# R&D history to their new propensity (population.match_above_scale now scales it). Renewals still echo the
# spin-up's first certificate vintages three years on. A 96-month spin-up puts them on the line but ages the
# population beyond what documented entry built (README, Status and limits), so it is no fix. Strict, so that
# a fix makes this test fail until the mark is removed.
KNOWN_ECHO = pytest.mark.xfail(strict=True, reason="high-tech renewals: year 1 echoes the spin-up's first rounds")


@pytest.mark.parametrize("name", [pytest.param(n, marks=KNOWN_ECHO) if n.startswith("renewals") else n
                                  for n in RATES])
def test_the_first_year_is_no_outlier(no_plan, name):
    r = rates(no_plan)[name]
    kink = r[:, 0] - (2 * r[:, 1] - r[:, 2])  # year 1 against the line through years 2 and 3
    se = kink.std(ddof=1) / np.sqrt(len(kink))
    assert abs(kink.mean()) <= 3.0 * se + 0.02 * abs(r[:, 1].mean()), (
        f"{name}: year 1 {r[:, 0].mean():.4g}, years 2-3 {r[:, 1].mean():.4g} {r[:, 2].mean():.4g}")

