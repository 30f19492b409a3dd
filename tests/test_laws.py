"""Plausibility laws (model/laws.py): they hold in long runs of every shipped scenario, and each fires when broken."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ROOT, make_scenario, plan_doc

from model import laws
from model.cli import extend_to
from model.scenario import load_scenario
from model.sim import EcosystemModel, InvariantError

SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("name", SCENARIOS)
def test_laws_hold_ten_years_past_every_horizon(name):
    sc = load_scenario(ROOT / "scenarios" / name)
    sc = extend_to(sc, int(sc.scenario.end[:4]) + 10, name)
    m = EcosystemModel(sc, replication=0, debug=True)  # every law, every month: raises LawBroken
    m.run()
    assert m.snapshot["rd_intensity"] <= laws.RD_INTENSITY_MAX


@pytest.fixture
def running():
    doc = plan_doc()
    doc["baseline"] = {"tech_firms": 12000, "high_tech": 450, "specialized_sme": 140, "listed": 12,
                       "new_market_entities": 10000}
    m = EcosystemModel(make_scenario(doc, end="2025-12"), replication=0, debug=True)
    m.run()
    m.month -= 1  # as the laws see it inside the last step: December 2025
    assert laws.breaches(m) == []
    return m


def fires(m, name):
    broken = laws.breaches(m)
    assert any(b.startswith(name + ":") for b in broken), broken
    with pytest.raises(InvariantError, match=name):
        laws.check(m)


def test_rd_intensity_law_fires(running):
    running.snapshot["rd_intensity"] = 20.0
    fires(running, "rd_intensity")


def test_rd_share_by_size_law_fires(running):
    f = running.firms
    large = f.alive & f.active & (f.revenue >= 10_000)
    assert large.sum() >= laws.MIN_BAND_FIRMS
    f.rd_ratio[large] = 0.5
    fires(running, "rd_share_by_size")


def test_growth_law_fires(running):
    series = running.datacollector.model_vars["high_tech"]
    series[-1] = series[-13] * 2.0  # the stock doubled in a year
    fires(running, "high_tech_growth")


def test_growth_excess_is_how_far_a_run_breaks_the_growth_laws(running):
    """The calibration's constraint (growth_excess_*) measures what the growth laws check, over the whole run."""
    assert laws.growth_excess(running) == 0.0
    series = running.datacollector.model_vars["specialized_sme"]
    before = series[-13]
    series[-1] = before * 2.0
    allowed = laws.GROWTH_BOUNDS["specialized_sme"][1] + 3.0 / np.sqrt(before / running.scale)
    assert laws.growth_excess(running) == pytest.approx(1.0 - allowed)
    fires(running, "specialized_sme_growth")
    series[-1] = before
    series[-13] = before * 2.0  # doubled by a year ago and halved since: both beyond the law
    assert laws.growth_excess(running) > 0.1


def test_growth_laws_compare_a_stock_on_one_territory(running):
    """A stock that doubled because its territory doubled that year (E-Town's 2019 expansion: the absorbed area's
    firms join with their certificates) is within the growth laws; doubled without a territory event, it is not."""
    series = running.datacollector.model_vars["specialized_sme"]
    series[-1] = series[-13] * 2.0
    fires(running, "specialized_sme_growth")
    high_tech = running.datacollector.model_vars["high_tech"]
    high_tech[-1] = high_tech[-13] * 2.0  # both stocks join with the area's firms
    running.territory_steps = {running.month - 5: 2.0}
    assert laws.breaches(running) == [] and laws.growth_excess(running) == 0.0
    running.territory_steps = {running.month - 12: 2.0}  # the year before: not this year's growth
    fires(running, "specialized_sme_growth")
    assert laws.growth_excess(running) > 0.0


def test_revenue_tail_law_fires(running):
    f = running.firms
    top = np.argsort(f.revenue)[-100:]
    f.revenue[top] *= 1e3  # the largest firms run away from the rest
    fires(running, "revenue_tail")


def test_finite_counts_law_fires(running):
    running.snapshot["listed"] = float("nan")
    fires(running, "counts_finite")


def test_certificates_only_go_to_firms_meeting_the_rules(running):
    f = running.firms
    eligible = np.zeros(f.n, bool)
    with pytest.raises(InvariantError, match="certificate_rules"):
        laws.granted_to_eligible(running, "high-tech", eligible, {"first": np.array([0])})


def test_a_runaway_of_rd_is_caught():
    """R&D propensity that does not fall with size and no ceiling: large firms spend half their revenue."""
    doc = plan_doc()
    doc["parameters"] = {"rd_active_median": 0.4, "rd_size_elasticity": 0.3, "rd_ceiling_exponent": 0.0}
    sc = make_scenario(doc, end="2026-12")
    with pytest.raises(InvariantError, match=r"rd_share_by_size|rd_intensity"):
        EcosystemModel(sc, replication=0, debug=True).run()


# The historical runs start before the 2022 rules, from a young 专精特新 programme whose points-test bar widens until
# them (certification.zjtx_bar), and three rule changes act in them (the 2016 high-tech rules, the June 2022 and June
# 2023 专精特新 take-up steps, each a factor of the take-up before it: zjtx_take_up_step_*). In replications drawn from
# the posterior (what `innosim run` uses) some broke the growth laws. The test above runs one replication at the
# defaults. Measured 2026-12-05 with the posterior after the law screen (model/analysis/law_screen.py: 27 of 250
# particles dropped, whose own fresh runs broke a law), 40 replications each, ten years past the horizon, growth on
# one territory (laws._territory): beijing-2014-2024 and bda-2016-2020 kept every law (Beijing's largest 2016
# high-tech growth +57.8%, the law +50% plus 3/sqrt(stock) for sampling, +59%). Before the screen Beijing broke them
# in 7 of 40: high-tech +59% to +64% in 2016 (replications 6, 13, 30, 36, 37, 39) and 专精特新 +105% in 2017 (17).
# Before the spill-over cap, E-Town's 专精特新 broke it by a few points in 2020 (19) and 2021 (6), and Beijing's
# rd_intensity in 2023 (7): a few industries holding many platforms grew without bound. The Tongzhou scenarios and
# beijing-2023-baseline (after the 2022 rules) kept the growth laws in 20 replications each; two of them are run below
# under every law. A run named here is an expected failure (its breaches must be growth laws; when none shows, the
# mark must go): none now.
BREAKS_UNDER_THE_POSTERIOR: dict[str, str] = {}
# Replications 0-3, except for the historical runs: there, the replications that broke before the screen (Beijing)
# and before the cap (E-Town), which must pass now.
REPLICATIONS = {"beijing-2014-2024.toml": (6, 13, 30, 36), "bda-2016-2020.toml": (0, 1, 6, 19)}
POSTERIOR_RUNS = ["beijing-2014-2024.toml", "bda-2016-2020.toml", "beijing-2023-baseline.toml",
                  "sanliang-qisheng-2024-2026.toml"]


GROWTH_LAWS = ("high_tech_growth", "specialized_sme_growth")


@pytest.mark.slow
@pytest.mark.parametrize("name", POSTERIOR_RUNS)
def test_laws_hold_in_posterior_replications_ten_years_past_the_horizon(name):
    """Four replications drawn from the posterior (REPLICATIONS), every law every month. For the historical runs of
    BREAKS_UNDER_THE_POSTERIOR the known breaches must be growth laws only, and at least one must show; they are then
    an expected failure (when none shows, the mark must go)."""
    from model.analysis.calibration import parameter_source

    sc = load_scenario(ROOT / "scenarios" / name)
    sc = extend_to(sc, int(sc.scenario.end[:4]) + 10, name)
    broken = []
    for replication in REPLICATIONS.get(name, range(4)):
        try:
            EcosystemModel(sc, replication=replication, debug=True, parameters=parameter_source("posterior")).run()
        except laws.LawBroken as e:
            broken.append(str(e))
    if name not in BREAKS_UNDER_THE_POSTERIOR:
        assert not broken, broken
        return
    assert broken, f"{name}: no replication broke a law; remove it from BREAKS_UNDER_THE_POSTERIOR"
    names = {part.split(":")[0] for b in broken for part in b.removeprefix("plausibility law broken: ").split("; ")}
    assert names <= set(GROWTH_LAWS), broken
    pytest.xfail(f"{BREAKS_UNDER_THE_POSTERIOR[name]}: {'; '.join(broken)}")


def test_innosim_laws_counts_every_replication_that_breaks_a_law(monkeypatch, capsys):
    """`innosim laws` runs each replication to its end and names the first law each breaks (in-process with one
    worker, so a stand-in model can break a law in the odd replications)."""
    from model.analysis import law_screen
    from model.cli import main

    class Breaking:
        def __init__(self, scenario, replication, **_):
            self.replication = replication

        def run(self):
            if self.replication % 2:
                raise laws.LawBroken("plausibility law broken: rd_intensity: month 7 (2024-08): value "
                                     f"{self.replication}")
            return self

    monkeypatch.setattr(law_screen, "EcosystemModel", Breaking)
    assert main(["laws", str(ROOT / "scenarios" / "no-plan-baseline.toml"), "-n", "4", "-w", "1", "--no-progress",
                 "--parameters", "defaults"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "2 of 4 replications broke a plausibility law" in out[0]
    assert out[1:] == ["  replication 1: rd_intensity: month 7 (2024-08): value 1",
                       "  replication 3: rd_intensity: month 7 (2024-08): value 3"]


def test_innosim_laws_on_real_runs_and_bad_input(tmp_path, capsys):
    from conftest import small_scale

    from model.cli import main

    path = tmp_path / "small.toml"
    path.write_text(small_scale((ROOT / "scenarios" / "no-plan-baseline.toml").read_text("utf-8")), "utf-8")
    assert main(["laws", str(path), "-n", "2", "-w", "1", "--no-progress", "--parameters", "defaults"]) == 0
    assert "0 of 2 replications broke a plausibility law" in capsys.readouterr().out
    assert main(["laws", str(path), "--until", "1999", "-w", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--until" in err[0] and err[0].startswith("innosim: error:")
