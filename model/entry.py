"""The month's entrants: start-ups, spin-offs of operating platforms and attracted firms (招商).

How many enter is a Poisson draw per kind: start-ups at `startup_rate` of the district's new market entities,
moved by incubator places and the researcher pool; spin-offs at `spinoff_rate` per operating platform; attracted
firms at the scenario's yearly count. What they are like when they enter (revenue, capability, R&D traits, IP)
comes from parameters.py ("entrants"): estimates, no source documents a district's entrants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import certification as cert
from . import population
from .firms import EntryDraw, draw_sectors, laplace_shocks, new_firm_rows, pareto_revenue
from .streams import CohortStream

if TYPE_CHECKING:
    from .sim import EcosystemModel


def capabilities(rng: CohortStream, mean: float, n: int) -> np.ndarray:
    """Entrants' capability: gamma with shape 2 (a right-skewed spread around `mean`; the average firm's is 1)."""
    return rng.gamma(2.0, mean / 2.0, n)


def local_revenue(rng: CohortStream, median: float, p: dict[str, float], n: int) -> np.ndarray:
    """First-year revenue of a start-up or spin-off: lognormal around `median`, capped at entrant_revenue_cap."""
    return np.minimum(rng.lognormal(np.log(median), p["entrant_revenue_sigma"], n), p["entrant_revenue_cap"])


def enter(model: EcosystemModel) -> None:
    """This month's start-ups, spin-offs and attracted firms.

    Each month's counts, and each kind's cohort, draw from generators of their own keyed by the
    month, so more attracted firms this month change neither next month's start-ups nor their luck.
    """
    m = model
    b, p, key = m.baseline, m.p, m.keys["entry"]
    rng = CohortStream(key, m.month, 0)  # one generator call per count: Poisson draws use varying numbers
    places = max(m.incubator_places, 1) / m._places0
    talent = max(m.talent.researchers, 1.0) / m._researchers0
    lam = (b["new_market_entities"] * p["startup_rate"] / 12.0
           * places ** p["startup_incubator_elasticity"] * talent ** p["startup_talent_elasticity"])
    n_start = rng.poisson(lam)
    operating = [pl for pl in m.platforms if pl.operating]
    n_spin = rng.poisson(p["spinoff_rate"] * len(operating) / 12.0)
    if m.running_plan and m.month < 12:
        m.counters.first_year_local_entrants += n_start + n_spin
    n_attr = rng.poisson(m.government.yearly("attracted_firms_per_year") / 12.0) if m.full else 0
    shares = m.profile.sector_shares
    kind = 0 if m.running_plan else 3  # the spin-up's entrants have uids of their own
    if n_start:
        rng = CohortStream(key, m.month, 1)
        add(m, rng, EntryDraw(n_start, draw_sectors(rng, shares, n_start),
                              local_revenue(rng, p["startup_revenue_median"], p, n_start),
                              capabilities(rng, p["startup_capability_mean"], n_start),
                              rng.random(n_start) < p["startup_future_share"], attracted=False, kind=1 + kind))
    if n_spin:
        rng = CohortStream(key, m.month, 2)
        sectors = np.array([operating[i].sector for i in rng.integers(0, len(operating), n_spin)], np.int8)
        add(m, rng, EntryDraw(n_spin, sectors, local_revenue(rng, p["spinoff_revenue_median"], p, n_spin),
                              capabilities(rng, p["spinoff_capability_mean"], n_spin),
                              rng.random(n_spin) < p["spinoff_future_factor"] * p["startup_future_share"],
                              attracted=False, kind=2 + kind))
    if n_attr:
        attract(m, CohortStream(key, m.month, 3), n_attr, shares, kind)


def attract(m: EcosystemModel, rng: CohortStream, n: int, shares: np.ndarray, kind: int) -> None:
    """Attracted firms: established elsewhere, Pareto-sized from attracted_revenue_min, some already high-tech."""
    p, f = m.p, m.firms
    sectors = draw_sectors(rng, shares, n)  # the cohort's draws in this order: each takes the block's next column
    revenue = pareto_revenue(rng, n, p["attracted_revenue_min"], p["attracted_revenue_alpha"]).clip(max=m.largest_firm)
    idx = add(m, rng, EntryDraw(n, sectors, revenue,
                                capabilities(rng, p["attracted_capability_mean"], n),
                                rng.random(n) < p["attracted_future_share"], attracted=True, kind=3 + kind))
    # a firm that moves in brings its year's revenue (the statistics count a firm where it is registered): as if it
    # had earned this month's rate since January, not from the month it joined (the 规上 review reads the year's)
    f.revenue_year[idx] = f.revenue[idx] * m.calendar_month / 12.0
    ht = idx[rng.random(n) < p["attracted_high_tech_share"]]
    year = m.calendar_year
    thr = cert.high_tech_rd_threshold(f.revenue[ht], year)
    staff = cert.staff_threshold(year, p)
    # just over the rules they were certified on, as firms that bunch at a threshold (firms.decide_rd)
    population.onto_rules(m, ht, thr + 0.003, rng.uniform(staff + 0.02, 0.3, len(ht)))
    f.staff_eff[ht] *= m.talent.fill[f.sector[ht]]
    f.ht_until[ht] = rng.choice(m.next_months(cert.HIGH_TECH_APPROVE_MONTH, 3, after=m.month), size=len(ht))
    f.ht_ever[ht] = True
    f.ht_score[ht] = 0.0  # they hold a certificate: they pass its rules
    f.ht_revenue[ht] = f.revenue[ht]
    f.rd_last_year[ht] = f.rd_ratio[ht] * f.revenue[ht]


def add(m: EcosystemModel, rng: CohortStream, draw: EntryDraw) -> np.ndarray:
    """A cohort's rows appended to the firm table; returns their indices."""
    idx = m.firms.append(new_firm_rows(rng, draw, m.p, m.month))
    f = m.firms
    f.annual_shock[idx] = laplace_shocks(rng, f.revenue[idx], m.p)
    f.staff_eff[idx] = f.staff_share[idx] * m.talent.fill[f.sector[idx]]
    f.zjtx_score[idx] = cert.zjtx_scores(m.zjtx_key, f.uid_hash[idx])
    m.counters.entries += draw.n
    return idx
