"""The core firm dynamics, one Mesa agent per firm: the readable specification of the fast engine's core.

`EcosystemModel(..., mechanisms="core")` keeps firms as numpy columns and updates them with array
operations; this module says the same rules firm by firm, in plain Python, the way a Mesa model is
usually written. The docking tests (tests/test_docking.py, benchmarks/dock.py) run both on the same
initial firms and check that they produce the same distributions of indicators.

What the core is (and what it leaves out): firms decide R&D, grow, exit, start up, and apply for the
national high-tech certificate. There is no government, special fund, talent market stepping,
incubator, platform, listing, 专精特新 round or annual statistics review. Without platforms there are
no spill-overs and no spin-offs; without incubators and talent programmes the start-up rate is
constant; firms listed at the baseline stay listed.

The rules are written out here rather than imported from model/firms.py and model/certification.py
on purpose: a change to either engine then shows up as a docking failure instead of changing both.

A month (`ReferenceModel.step`), in this order:

1. January (except the first month, whose shocks are drawn when the model is built): every living
   firm draws this year's growth shock (`FirmAgent.draw_shock`).
2. Every living firm, in random order (`shuffle_do("step")`): takes its R&D traits at its size, decides
   its R&D, grows, and may exit.
   Firms do not interact in the core (with exit_size_age_mates above 0, the exit hazard reads the age-mates'
   mean taken before any firm steps), so the order does not matter; it is shuffled because that is
   what a Mesa model does.
3. Start-ups enter (`ReferenceModel.enter`).
4. November: the high-tech certification round (`FirmAgent.certify`), for every living firm.
5. The indicators are recorded (`DataCollector`), then the month counter advances.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from ..parameters import DEFAULTS, ParameterSource
from ..scenario import Scenario
from ..sim import EcosystemModel

AGE_MATE_YEARS = 10  # the exit hazard's age-mates: each whole year of age 0-9 a class, 10 or more one
REFERENCE_REVENUE = 500.0  # 万元/year: the size at which growth spread and exit hazard take their nominal values
REVENUE_CAP = 5_000_000.0  # 万元/year: no single tech firm of a district grows beyond 500亿
VALIDITY_MONTHS = 36  # a high-tech certificate lasts three years
HIGH_TECH_ROUND_MONTH = 11  # applications and approvals are one step in November
RENEWAL_WINDOW = 12  # a certificate ending within the next 12 months is renewed in this round
NO_MONTH = -1  # "never": a firm that has never held a certificate
RD_CAP = 0.6  # R&D ratios never exceed 60% of revenue
REFERENCE_SEED_KEY = 2_000  # spawn key of the reference's random numbers; the fast engine uses (r,) and (r, 1000)

# The columns of the fast engine's firm table that the core needs; all others stay at their defaults.
COPIED = ("sector", "age", "revenue", "labour", "rd_ratio", "rd_ratio_avg", "rd_base", "staff_share", "staff_eff",
          "capability", "ip", "ht_until", "ht_ever", "ht_score", "listed", "active", "future", "new", "born",
          "active_u", "rd_mult", "rd_idle", "rd_floor", "staff_mult", "staff_floor")
# Columns of mechanisms outside the core: a firm that starts with one of them running would behave
# differently in the fast engine, so the reference refuses such a start rather than ignore it.
OUTSIDE_CORE = ("pool_until", "incubated_until", "equity_until", "subsidy_until", "scenario_until", "talent_until",
                "team_until", "reward_until")
RULES_2016 = 2016  # the high-tech rules of 国科发火〔2016〕32号 apply from this calendar year


def high_tech_rd_threshold(revenue: float, year: int = RULES_2016) -> float:
    """R&D expense ratio the high-tech rule asks of a firm of this revenue (万元/year).

    5% up to 5000万, 4% up to 2亿, 3% above (国科发火〔2016〕32号); before 2016 the smallest band needed 6%.
    """
    if revenue <= 5000.0:
        return 0.05 if year >= RULES_2016 else 0.06
    if revenue <= 20000.0:
        return 0.04
    return 0.03


def staff_threshold(year: int, p: dict[str, float]) -> float:
    """R&D staff share the rule of `year` asks: 10% from 2016, old_staff_threshold before."""
    return 0.10 if year >= RULES_2016 else p["old_staff_threshold"]


class FirmAgent(mesa.Agent):
    """One technology firm.

    State (units as in the fast engine's firm table, model/firms.py):
        sector: industry index (model/sectors.py).
        age: months since founding.
        revenue: 万元 a year.
        labour: employees per 万元 of revenue; employees = max(1, revenue x labour).
        rd_ratio: current R&D expense / revenue.
        rd_ratio_avg: moving average of rd_ratio, standing for the three-year ratio the high-tech rule tests.
        rd_base: the R&D ratio the firm moves towards this month (its propensity; `traits`).
        staff_share: desired R&D staff share of employees (`traits`); staff_eff: the share actually filled.
        active_u, rd_mult, rd_idle, staff_mult: the firm's persistent R&D scores (see `traits`).
        rd_floor, staff_floor: R&D share and staff share it keeps at least (after bunching at a threshold).
        capability: productivity index, 1 for the mean firm.
        ip: owns core IP.
        annual_shock: this year's log-growth shock, spread evenly over the months.
        ht_until: the high-tech certificate is valid while the model month is below this (-1: never held).
        ht_score: uniform; the firm passes the rules the model does not spell out (product revenue, the expert
            score, a certificate worth applying for) while it is below fit_share x R / (R + high_tech_fit_size).
        listed: listed on an exchange or NEEQ at the baseline (nothing lists in the core).
    """

    def __init__(self, model: ReferenceModel, **state: float | int | bool) -> None:
        super().__init__(model)
        self.sector: int = 0
        self.age: int = 0
        self.revenue: float = 0.0
        self.labour: float = 0.0
        self.rd_ratio: float = 0.0
        self.rd_ratio_avg: float = 0.0
        self.rd_base: float = 0.0
        self.staff_share: float = 0.0
        self.active_u: float = 1.0
        self.rd_mult: float = 1.0
        self.rd_idle: float = 0.003
        self.rd_floor: float = 0.0
        self.staff_mult: float = 1.0
        self.staff_floor: float = 0.0
        self.staff_eff: float = 0.0
        self.capability: float = 1.0
        self.ip: bool = False
        self.annual_shock: float = 0.0
        self.ht_until: int = NO_MONTH
        self.ht_ever: bool = False
        self.ht_score: float = 0.0
        self.listed: bool = False
        self.active: bool = False
        self.future: bool = False
        self.new: bool = False
        self.born: int = NO_MONTH
        for name, value in state.items():
            if not hasattr(self, name):
                raise AttributeError(f"FirmAgent has no attribute {name!r}")
            setattr(self, name, value)

    # ------------------------------------------------------------------ the monthly step
    def step(self) -> None:
        """One month of a living firm: its R&D traits at this size, R&D decision, growth, then perhaps exit."""
        self.traits()
        self.decide_rd()
        self.grow()
        if self.closes():
            self.model.exits += 1
            self.remove()

    def traits(self) -> None:
        """Whether the firm does R&D in earnest this month, its R&D propensity and its desired R&D staff, from
        its persistent scores and its revenue R at the start of the month (size s = max(R, 1) / 500万).

        - R&D-active while active_u < min(rd_active_share x s^rd_active_size_elasticity, rd_active_cap): a firm that
          grows may start doing R&D.
        - Propensity: rd_active_median x s^rd_size_elasticity x rd_mult when active, rd_idle when not; at least
          rd_floor, at most 60%.
        - Desired staff share: rd_staff_share_active or rd_staff_share_idle x staff_mult, at least staff_floor, at
          most 90%; the
          filled share staff_eff follows it, times the talent market's fill rate of its industry (constant in
          the core).
        """
        p = self.model.p
        s = max(self.revenue, 1.0) / REFERENCE_REVENUE
        chance = min(p["rd_active_share"] * s ** p["rd_active_size_elasticity"], p["rd_active_cap"])
        self.active = self.active_u < chance
        rd = p["rd_active_median"] * s ** p["rd_size_elasticity"] * self.rd_mult if self.active else self.rd_idle
        self.rd_base = min(max(rd, self.rd_floor), RD_CAP)
        median = p["rd_staff_share_active"] if self.active else p["rd_staff_share_idle"]
        self.staff_share = min(max(median * self.staff_mult, self.staff_floor), 0.9)
        self.staff_eff = self.staff_share * self.model.talent_fill[self.sector]

    def decide_rd(self) -> None:
        """R&D moves towards the firm's propensity; firms just below the high-tech threshold bunch up to it.

        - Bunching (Chen, Liu, Suárez Serrato & Xu 2021): a firm that owns IP and whose average R&D
          ratio is below the threshold of its size band (read on this month's revenue, before growth,
          under this calendar year's rules) by at most `rd_bunching_band` raises, with probability
          `rd_bunching_prob` / 12 this month, its R&D floor to the threshold + 0.2 percentage points
          and its staff floor to the larger of `rd_staff_target_share` and the year's staff rule + 2
          points (never lowering either), and its propensity and desired staff share to at least them.
          The filled share staff_eff, which the rule tests, follows at next month's `traits`.
        - The R&D ratio closes 1/6 of the gap to the propensity, capped at the ceiling of its size:
          0.6 x (max(revenue, 500万) / 500万)^-rd_ceiling_exponent.
        - The moving average closes 1/24 of the gap to the new R&D ratio: a 24-month time constant
          standing for the rule's three-year mean.
        - A firm without IP acquires some this month with probability 1 - exp(-ip_rate_per_rd x rd_ratio / 12),
          on the new R&D ratio.
        """
        p, rnd, year = self.model.p, self.model.random.random, self.model.calendar_year
        threshold = high_tech_rd_threshold(self.revenue, year)
        gap = threshold - self.rd_ratio_avg
        if self.ip and 0.0 < gap <= p["rd_bunching_band"] and rnd() < p["rd_bunching_prob"] / 12.0:
            self.rd_floor = max(self.rd_floor, threshold + 0.002)
            self.staff_floor = max(self.staff_floor, p["rd_staff_target_share"], staff_threshold(year, p) + 0.02)
            self.rd_base = max(self.rd_base, self.rd_floor)
            self.staff_share = max(self.staff_share, self.staff_floor)
        ceiling = RD_CAP * (max(self.revenue, REFERENCE_REVENUE) / REFERENCE_REVENUE) ** -p["rd_ceiling_exponent"]
        self.rd_ratio += (min(self.rd_base, ceiling) - self.rd_ratio) / p["rd_adjust_months"]
        self.rd_ratio_avg += (self.rd_ratio - self.rd_ratio_avg) / 24.0
        if not self.ip and rnd() < 1.0 - math.exp(-p["ip_rate_per_rd"] * self.rd_ratio / 12.0):
            self.ip = True

    def grow(self) -> None:
        """One month of revenue growth, capability drift and ageing.

        Annual log growth = growth_drift + growth_rd_effect x min(rd_ratio, 15%)
        + growth_capability_effect x (capability - 1) + this year's shock; a month applies 1/12 of it
        (on the R&D ratio just decided), and revenue stays below 500亿. Capability returns towards 1 at
        capability_decay a year (there are no platform spill-overs in the core). The firm ages one month.
        """
        p = self.model.p
        drift = (p["growth_drift"] + p["growth_rd_effect"] * min(self.rd_ratio, 0.15)
                 + p["growth_capability_effect"] * (self.capability - 1.0))
        self.revenue = min(self.revenue * math.exp((drift + self.annual_shock) / 12.0), REVENUE_CAP)
        self.capability += -p["capability_decay"] * (self.capability - 1.0) / 12.0
        self.age += 1

    def closes(self) -> bool:
        """Does the firm close this month (after growing)?

        Annual hazard h = exit_hazard_old x (1 - exp(-age / exit_age_scale))^2 (it rises over the first
        years, PE44), times (max(revenue, 1) / 500万)^-exit_size_gamma, times listed_exit_factor for a listed firm; the
        monthly exit probability is 1 - exp(-min(h, 5) / 12). With exit_size_age_mates = w above 0, the size term
        is divided by 1 - w + w x its mean over the living firms of the firm's whole year of age (0-9, then 10 or
        more) at the month's start (`ReferenceModel.exit_size_means`).
        """
        p = self.model.p
        h = p["exit_hazard_old"] * (1.0 - math.exp(-self.age / p["exit_age_scale"])) ** 2
        h *= (max(self.revenue, 1.0) / REFERENCE_REVENUE) ** -p["exit_size_gamma"]
        w = p["exit_size_age_mates"]
        if w:  # read against the age-mates' mean at the month's start (its age then: one month less)
            h /= (1.0 - w) + w * self.model.size_means[min((self.age - 1) // 12, AGE_MATE_YEARS)]
        if self.listed:
            h *= p["listed_exit_factor"]
        return self.model.random.random() < 1.0 - math.exp(-min(h, 5.0) / 12.0)

    def draw_shock(self) -> None:
        """This year's log-growth shock: Laplace, its spread falling with size (Amaral et al. 1997).

        Standard deviation sigma = growth_sigma x (max(revenue, 1) / 500万)^-growth_size_beta; the
        Laplace scale is b = min(sigma / sqrt(2), 0.9). The shock is centred so that it adds nothing to
        mean revenue: E[exp(X)] = 1 / (1 - b^2) for a Laplace X of scale b, so log(1 - b^2) is added.
        """
        p, rng = self.model.p, self.model.random
        sigma = p["growth_sigma"] * (max(self.revenue, 1.0) / REFERENCE_REVENUE) ** -p["growth_size_beta"]
        b = min(sigma / math.sqrt(2.0), 0.9)
        laplace = b * (rng.expovariate(1.0) - rng.expovariate(1.0))  # the difference of two Exp(1) is Laplace(0, 1)
        self.annual_shock = laplace + math.log1p(-b * b)

    @property
    def employees(self) -> float:
        return max(1.0, self.revenue * self.labour)

    def high_tech_eligible(self) -> bool:
        """The high-tech rule of this calendar year: passes the unspelled rules (ht_score below the model's
        fit_share x R / (R + high_tech_fit_size), R the revenue), registered at least 12 months, owns IP, filled
        R&D staff at least the year's staff rule (10% from 2016), average R&D ratio at least the threshold of
        its size band."""
        m = self.model
        year, p = m.calendar_year, m.p
        fits = self.ht_score < m.fit_share * self.revenue / (self.revenue + p["high_tech_fit_size"])
        return (fits and self.age >= 12 and self.ip and self.staff_eff >= staff_threshold(year, p)
                and self.rd_ratio_avg >= high_tech_rd_threshold(self.revenue, year))

    def certify(self) -> None:
        """The November high-tech round, for this firm.

        An eligible firm applies if it holds no certificate (never held, or ended before this month)
        or holds one ending this month or within the next 12 months; a firm whose certificate runs
        beyond next November does not apply. A renewing firm applies with probability
        recert_apply_prob and is approved with recert_approval_prob; a first-time (or lapsed)
        applicant with high_tech_apply_prob and high_tech_approval_prob. An approved renewal runs
        36 months from the end of the old certificate, a first certificate 36 months from now.
        """
        if not self.high_tech_eligible():
            return
        m = self.model
        month, p = m.month, m.p
        renewing = month <= self.ht_until < month + RENEWAL_WINDOW
        if not renewing and self.ht_until >= month:
            return
        if renewing:
            p_apply, p_approve = p["recert_apply_prob"], p["recert_approval_prob"]
        else:
            p_apply, p_approve = p["high_tech_apply_prob"], min(p["high_tech_approval_prob"], 1.0)
        if m.random.random() < min(p_apply, 1.0) and m.random.random() < p_approve:
            start = self.ht_until if renewing else month
            self.ht_until = start + VALIDITY_MONTHS
            self.ht_ever = True

    # ------------------------------------------------------------------ entry
    @classmethod
    def start_up(cls, model: ReferenceModel) -> FirmAgent:
        """A new start-up, founded this month.

        - Industry drawn from the profile's sector shares; revenue lognormal with median startup_revenue_median
          (log-sd entrant_revenue_sigma), at most entrant_revenue_cap; capability Gamma with shape 2 and mean
          startup_capability_mean; in a future industry with probability startup_future_share.
        - Its persistent R&D scores: active_u uniform; rd_mult = exp(rd_propensity_sigma z) and rd_idle =
          rd_idle_median x exp(rd_idle_sigma z) for one standard normal z; staff_mult = exp(rd_staff_sigma z') for
          another. Its activity, propensity and
          staff share follow from them and its revenue (`traits`); its R&D ratio and the moving average
          start at the propensity.
        - Employees per 万元: lognormal, median 1/50, log-sd 0.5.
        - Owns IP with probability entrant_ip_share_active or entrant_ip_share_idle; no certificate; age 0; passes
          the unspelled high-tech rules with the replication's chance: its score is uniform.
        - Draws its growth shock for the rest of the year at once.
        """
        p, rng = model.p, model.random
        sector = rng.choices(range(len(model.sector_shares)), weights=model.sector_shares)[0]
        revenue = min(rng.lognormvariate(math.log(p["startup_revenue_median"]), p["entrant_revenue_sigma"]),
                      p["entrant_revenue_cap"])
        capability = rng.gammavariate(2.0, p["startup_capability_mean"] / 2.0)
        future = rng.random() < p["startup_future_share"]
        z_rd, z_staff = rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0)
        firm = cls(model, sector=sector, age=0, revenue=revenue, labour=rng.lognormvariate(math.log(1 / 50.0), 0.5),
                   capability=capability, future=future, new=True, born=model.month, ht_score=rng.random(),
                   active_u=rng.random(), rd_mult=math.exp(p["rd_propensity_sigma"] * z_rd),
                   rd_idle=p["rd_idle_median"] * math.exp(p["rd_idle_sigma"] * z_rd),
                   staff_mult=math.exp(p["rd_staff_sigma"] * z_staff))
        firm.traits()
        firm.rd_ratio = firm.rd_ratio_avg = firm.rd_base
        firm.ip = rng.random() < (p["entrant_ip_share_active"] if firm.active else p["entrant_ip_share_idle"])
        firm.draw_shock()
        return firm


class ReferenceModel(mesa.Model):
    """The core of EcosystemModel, one FirmAgent per firm.

    Args:
        scenario: the validated scenario (its profile, [baseline] overrides, [parameters] and horizon
            are used; its levers are not, since the core has none).
        replication: index of this replication; with the seed it fixes the initial firms.
        seed: the scenario's seed unless given.
        parameters: where the behavioural parameters come from, as for EcosystemModel.
        overrides: parameter values applied on top, for this engine only (deliberate changes in the
            docking power tests); None in normal use.

    The initial firms, the parameters, the baseline and the sector shares are those of
    `EcosystemModel(scenario, replication, seed, parameters=parameters, mechanisms="core")`: every
    living firm of its table becomes one FirmAgent. Everything random after that (the first year's
    shocks included) is the reference's own, seeded from (seed, replication) through a spawn key the
    fast engine does not use, so the two engines' dynamics are independent given the initial firms.
    """

    def __init__(self, scenario: Scenario, replication: int = 0, seed: int | None = None,
                 parameters: ParameterSource = DEFAULTS, overrides: dict[str, float] | None = None) -> None:
        seed = scenario.scenario.seed if seed is None else seed
        own = np.random.SeedSequence(entropy=seed, spawn_key=(replication, REFERENCE_SEED_KEY))
        super().__init__(rng=int(own.generate_state(1, np.uint64)[0] >> np.uint64(1)))
        core = EcosystemModel(scenario, replication, seed, parameters=parameters, mechanisms="core")
        self.p: dict[str, float] = {**core.p, **(overrides or {})}
        self.baseline: dict[str, float] = dict(core.baseline)
        self.sector_shares: list[float] = [float(s) for s in core.profile.sector_shares]
        self.talent_fill: list[float] = [float(x) for x in core.talent.fill]
        self.start: str = core.start
        self.months: int = core.months
        self.fit_share: float = core.ht_fit_share
        # Start-ups are a share of all new market entities. The fast engine scales this rate by the
        # growth of incubator places and researchers, neither of which changes in the core.
        self.entry_rate: float = self.baseline["new_market_entities"] * self.p["startup_rate"] / 12.0
        self.month = 0
        self.entries = 0
        self.exits = 0
        self.firm_months = 0
        self._copy_firms(core)
        self.agents.do("draw_shock")
        self.datacollector = mesa.DataCollector(model_reporters={k: k for k in INDICATORS})
        self.datacollector.collect(self)  # the baseline row, as in the fast engine

    def _copy_firms(self, core: EcosystemModel) -> None:
        f = core.firms
        alive = np.flatnonzero(f.alive)
        for name in OUTSIDE_CORE:
            if (getattr(f, name)[alive] >= 0).any():
                raise ValueError(f"initial firms have {name} set: a mechanism outside the core")
        columns = {name: getattr(f, name)[alive].tolist() for name in COPIED}
        for i in range(len(alive)):
            FirmAgent(self, **{name: values[i] for name, values in columns.items()})

    @property
    def calendar_month(self) -> int:
        return (int(self.start[5:7]) - 1 + self.month) % 12 + 1

    @property
    def calendar_year(self) -> int:
        return int(self.start[:4]) + (int(self.start[5:7]) - 1 + self.month) // 12

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month; see the module docstring for the order."""
        if self.calendar_month == 1 and self.month > 0:
            self.agents.do("draw_shock")
        self.firm_months += len(self.agents)
        self.size_means = self.exit_size_means() if self.p["exit_size_age_mates"] else []
        self.agents.shuffle_do("step")
        self.enter()
        if self.calendar_month == HIGH_TECH_ROUND_MONTH:
            self.agents.do("certify")
        self.datacollector.collect(self)
        self.month += 1

    def exit_size_means(self) -> list[float]:
        """The exit hazard's size term, (max(revenue, 1) / 500万)^-exit_size_gamma, averaged over the living firms
        of each whole year of age, 0 to 9 and then 10 or more (1 for a year with no firm)."""
        sums, counts = [0.0] * (AGE_MATE_YEARS + 1), [0] * (AGE_MATE_YEARS + 1)
        for firm in self.agents:
            year = min(firm.age // 12, AGE_MATE_YEARS)
            sums[year] += (max(firm.revenue, 1.0) / REFERENCE_REVENUE) ** -self.p["exit_size_gamma"]
            counts[year] += 1
        return [s / c if c else 1.0 for s, c in zip(sums, counts, strict=True)]

    def enter(self) -> None:
        """This month's start-ups: Poisson with mean new_market_entities x startup_rate / 12."""
        n = int(self.rng.poisson(self.entry_rate))
        for _ in range(n):
            FirmAgent.start_up(self)
        self.entries += n

    def run(self) -> ReferenceModel:
        """All the scenario's months."""
        for _ in range(self.months):
            self.step()
        return self

    # ------------------------------------------------------------------ indicators (end of the month)
    @property
    def living_firms(self) -> int:
        return len(self.agents)

    @property
    def high_tech(self) -> int:
        """Firms whose certificate is valid at the end of this month."""
        return sum(1 for a in self.agents if a.ht_until > self.month)

    @property
    def entries_cum(self) -> int:
        return self.entries

    @property
    def exits_cum(self) -> int:
        return self.exits

    @property
    def revenue(self) -> float:
        """Total revenue of living firms, 万元 a year."""
        return sum(a.revenue for a in self.agents)

    @property
    def rd_expense(self) -> float:
        """Firms' R&D expense, sum of rd_ratio x revenue, 万元 a year (the full model's rd_spending rescales it)."""
        return sum(a.rd_ratio * a.revenue for a in self.agents)

    @property
    def ip_share(self) -> float:
        """Share of living firms that own IP."""
        n = len(self.agents)
        return sum(1 for a in self.agents if a.ip) / n if n else 0.0

    def indicator_table(self) -> dict[str, np.ndarray]:
        """Indicator -> values at the baseline and the end of each month so far."""
        return {k: np.asarray(v, dtype=float) for k, v in self.datacollector.model_vars.items()}


# The indicators both engines report for docking, in the order of the docking tables.
INDICATORS = ("living_firms", "high_tech", "entries_cum", "exits_cum", "revenue", "rd_expense", "ip_share")

__all__ = ["INDICATORS", "FirmAgent", "ReferenceModel", "high_tech_rd_threshold"]
