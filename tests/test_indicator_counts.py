"""The counts and ratios a target reads (model/indicators.py) in a run of one firm in SMALL_SCALE: the regression
baseline runs at scale 1, where a count left unscaled or a ratio scaled twice gives the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_SCALE, make_scenario

from model import certification as cert
from model import indicators
from model.sim import EcosystemModel


@pytest.fixture
def model() -> EcosystemModel:
    return EcosystemModel(make_scenario(scale=SMALL_SCALE), replication=0)


def test_certified_and_listed_counts_are_the_living_holders_times_the_scale(model):
    """1,500 high-tech firms in the district are 150 rows at scale 10; a firm that exited (its row kept until the
    yearly compaction) or whose certificate ends this month holds none, and is not counted."""
    f, month = model.firms, model.month
    s = indicators.compute(model)
    assert s["high_tech"] == SMALL_SCALE * np.count_nonzero(cert.high_tech_valid(f, month)) > 0
    assert s["specialized_sme"] == SMALL_SCALE * np.count_nonzero(f.alive & (f.zjtx_until > month)) > 0
    assert s["listed"] == SMALL_SCALE * np.count_nonzero(f.alive & f.listed) > 0

    def lost(name: str, column: np.ndarray, row: int, value) -> float:
        """District firms `name` loses when one firm's `column` is set to `value`."""
        was = indicators.compute(model)[name]
        column[row] = value
        return (was - indicators.compute(model)[name]) / SMALL_SCALE

    high_tech = np.flatnonzero(cert.high_tech_valid(f, month))
    assert lost("high_tech", f.alive, high_tech[0], False) == 1
    assert lost("high_tech", f.ht_until, high_tech[1], month) == 1  # a certificate is valid until the month before
    assert lost("listed", f.alive, np.flatnonzero(f.alive & f.listed)[0], False) == 1
    zjtx = np.flatnonzero(f.alive & (f.zjtx_until > month))
    assert lost("specialized_sme", f.alive, zjtx[0], False) == 1
    assert lost("specialized_sme", f.zjtx_until, zjtx[1], month) == 1


def test_rd_intensity_and_the_rd_multiple_are_ratios_of_the_districts_sums_at_any_scale(model):
    """R&D intensity is 100 R&D / GDP and the doubling target's multiple is R&D over the baseline's, both sums in
    the district's units, so a month after the baseline the multiple is near 1 and the intensity a few percent
    whatever the scale."""
    model.step()
    s = model.snapshot
    assert s["rd_intensity"] == pytest.approx(100.0 * s["rd_spending"] / s["gdp"])
    assert s["rd_vs_baseline"] == pytest.approx(s["rd_spending"] / model.base_snapshot["rd_spending"])
    assert 0.9 < s["rd_vs_baseline"] < 1.1 and 1.0 < s["rd_intensity"] < 10.0
