"""EcosystemModel: the Mesa model of one district, one replication, monthly steps.

Firms are rows of numpy arrays (firms.py); the government, the special fund, the talent
market, incubators and platforms are Mesa agents. Each month's indicators are computed once
(indicators.compute) and collected by Mesa's DataCollector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import mesa
import numpy as np

from . import certification as cert
from . import entry, indicators, laws, population, rd_tax, spinups, territory
from .errors import InvariantError
from .firms import FirmTable, decide_rd, exit_mask, exit_size_means, grow, laplace_shocks, rd_traits
from .funds import CHANNELS, SpecialFund, merit
from .government import Government
from .indicators import INDICATORS
from .institutions import Incubator, Platform, admit, graduate, spillover
from .months import december_row, month_index, span
from .parameters import DEFAULTS, ParameterSource, resolve
from .population import SPINUP_MONTHS
from .profiles import PROFILES
from .scenario import Levers, Scenario, Target
from .sectors import SECTORS
from .streams import FirmStream
from .talent import TalentMarket

INITIAL_REVENUE_CAP = population.INITIAL_REVENUE_CAP

STREAMS = ("init", "growth", "rd", "exit", "entry", "certification", "listing", "funds",
           "talent", "platforms", "incubators", "scenarios", "posterior",
           "events")  # append only: order fixes the seeds
# Estimate (no count of platforms by industry in the sources): platforms cluster in the R&D-heavy industries, weighted
# regardless of their firms, so a small industry can hold a density far above its share; spillover_density_cap bounds
# what that density gives its firms.
PLATFORM_SECTOR_WEIGHT = np.array([3.0, 0.5, 3.0, 0.5, 0.5, 1.0, 0.5])
AGE_BUCKETS = 8  # exit rates by year of life 1..7 and later (PE44 gives years 1-3 and "above 8% to year 7")


@dataclass
class Counters:
    entries: int = 0
    exits: int = 0
    absorbed: int = 0  # firms of an absorbed territory (profile events)
    small_up: int = 0
    strong_up: int = 0
    first_year_local_entrants: int = 0  # start-ups and spin-offs of month 0-11: the survival cohort
    ht_first: int = 0  # high-tech certificates granted to firms never certified before
    ht_again: int = 0  # granted to firms certified before whose certificate had lapsed
    ht_renewed: int = 0
    zjtx_new: int = 0
    zjtx_renewed: int = 0
    # exits and firms at risk by calendar year of life (1: the year a firm was founded), as a registry counts them
    exits_by_year_of_life: np.ndarray = field(default_factory=lambda: np.zeros(AGE_BUCKETS))
    at_risk_by_year_of_life: np.ndarray = field(default_factory=lambda: np.zeros(AGE_BUCKETS))
    rows_at_risk: int = -1  # firm rows already counted at risk this calendar year (-1: none yet)


FIRM_STREAMS = ("growth", "rd", "exit", "certification", "listing", "funds", "scenarios", "entry", "talent",
                "incubators", "funds_loans")
SPINUP_PHASE = 1  # the spin-up draws from streams of its own: the run's draws do not depend on its length


def firm_keys(seed: int, replication: int, phase: int = 0) -> dict[str, int]:
    """Keys of the firm-by-firm draws (FirmStream) and of the monthly entry cohorts, fixed by (seed, replication)."""
    spawn = (replication, 1_000) if phase == 0 else (replication, 3_000)
    state = np.random.SeedSequence(entropy=seed, spawn_key=spawn).generate_state(len(FIRM_STREAMS), np.uint64)
    return {name: int(k) for name, k in zip(FIRM_STREAMS, state, strict=True)}


def replication_streams(seed: int, replication: int, phase: int = 0) -> dict[str, np.random.Generator]:
    """One independent generator per mechanism, fixed by (seed, replication) alone.

    Replication i of any scenario gets the same streams, and a lever that changes how many
    draws one mechanism makes does not shift the draws of another (common random numbers).
    Draws made firm by firm each month come from FirmStreams instead (firm_keys), keyed by the
    firm's identity, so a lever that changes the number of firms does not change the luck of
    the others.
    """
    spawn = (replication,) if phase == 0 else (replication, 2_000)
    root = np.random.SeedSequence(entropy=seed, spawn_key=spawn)
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, root.spawn(len(STREAMS)), strict=True)}


MECHANISMS = ("full", "core")


def _reporter(model: EcosystemModel, name: str) -> float:
    return model.snapshot[name]


class EcosystemModel(mesa.Model):
    """An innovation ecosystem under a scenario's levers.

    Args:
        scenario: the validated scenario.
        replication: index of this replication; with the scenario's seed it fixes every draw.
        debug: check the model's invariants and plausibility laws every month (slower).
        mechanisms: "full", or "core" for the firm dynamics alone (R&D, growth, exit, start-up
            entry, high-tech certification): no government, funds, talent, platforms, incubators
            or listings. The core is what model/reference/ specifies one agent per firm; the
            docking tests compare the two.

    The population is drawn SPINUP_MONTHS before the baseline and run forward under the profile's
    background levers, then matched to the documented baseline (population.py): month 0 of the run
    starts from a state the model's own rules produced.
    """

    def __init__(self, scenario: Scenario, replication: int = 0, seed: int | None = None,
                 debug: bool = False, parameters: ParameterSource = DEFAULTS, mechanisms: str = "full") -> None:
        if mechanisms not in MECHANISMS:
            raise ValueError(f"mechanisms must be one of {MECHANISMS}, not {mechanisms!r}")
        self.full = mechanisms == "full"
        seed = scenario.scenario.seed if seed is None else seed
        self.streams = replication_streams(seed, replication)
        self.zjtx_key = firm_keys(seed, replication)["certification"]  # the run's, also while the spin-up's keys rule
        super().__init__(rng=int(self.streams["init"].integers(2**62)))
        self.scenario_spec = scenario
        self.targets: list[Target] = list(scenario.targets)
        self.drawn_parameters = parameters.draw(self.streams["posterior"])
        self.p = resolve({**self.drawn_parameters, **scenario.parameters})
        self.profile = PROFILES[scenario.scenario.profile]
        self.start = scenario.scenario.start
        self.months = scenario.months
        self.scale = scenario.scenario.scale
        meta = scenario.scenario
        self.lever_months = span(meta.start, meta.levers_end or meta.end)
        self.debug = debug
        self.counters = Counters()
        self.firms = FirmTable(capacity=64_000)
        self.documented = self.profile.draw(self.streams["init"], scenario.baseline, self.p["above_scale_factor"])
        self.baseline = self.profile.simulated(self.documented, self.scale)
        self.events = self.profile.draw_events(self.streams["init"], self.start)
        self.gdp_points = indicators.gdp_points(self.events, self.documented["gdp"])
        self.shortfall: dict[str, int] = {}
        self.revenue_rescale = 1.0
        self.largest_firm = INITIAL_REVENUE_CAP
        self.ht_fit_share: float | None = None  # None in the spin-up: every firm passes the unspelled rules
        self.review_merit: np.ndarray | None = None  # set for the month's reviews (step)
        self.zjtx_fit_share: float | None = None  # the same for 专精特新's points test
        self.zjtx_bar0: float | None = None  # before the 2022 rules, the bar at the baseline, widening (zjtx_bar)
        self.snapshot: dict[str, float] = {}
        spun = spinups.key(scenario, replication, seed, parameters, debug, mechanisms)
        if not spinups.restore(self, spun):
            self._spin_up(seed, replication)
            spinups.offer(self, spun)
        self._hand_over(seed, replication, scenario.levers)
        # A firm moving in is no larger than the district's largest at the baseline: a relocated HQ that dwarfs
        # every firm of a small district would make its R&D the district's (a plausibility law would fire).
        self.largest_firm = min(float(self.firms.revenue[self.firms.alive].max()), INITIAL_REVENUE_CAP)
        # Firms' R&D in the model is their accounting R&D expense (研发费用), the quantity the
        # certification rules test. The plan's R&D target is the statistical R&D经费. This
        # replication's ratio between the drawn statistical firm R&D and the synthetic firms'
        # expense is fixed at the baseline. Statistics are the narrower measure, so the ratio is
        # mostly below 1; above 1 it says the draw asks for more R&D than the synthetic firms do.
        b, f = self.baseline, self.firms
        self.rd_expense0 = float((f.rd_ratio * f.revenue)[f.alive].sum())
        self.rd_statistical_ratio = b["rd_total"] * b["rd_firm_share"] / max(self.rd_expense0, 1e-9)
        self._nonfirm_rd0 = b["rd_total"] * (1.0 - b["rd_firm_share"])
        self.snapshot = indicators.compute(self)
        self.base_snapshot = dict(self.snapshot)
        self.datacollector = mesa.DataCollector(model_reporters={k: partial(_reporter, name=k) for k in INDICATORS})
        self.datacollector.collect(self)  # the baseline row

    # ------------------------------------------------------------------ the spin-up
    def _spin_up(self, seed: int, replication: int) -> None:
        self.running_plan = False
        self.origin = month_index(self.start, "0000-01") - SPINUP_MONTHS
        self.month = 0
        self.levers = Levers(**self.profile.background)
        main_streams = self.streams
        self.streams = replication_streams(seed, replication, SPINUP_PHASE)
        self._use_keys(firm_keys(seed, replication, SPINUP_PHASE))
        self.fund = SpecialFund(self, self.levers.budget.model_dump(), self.scale)
        self.government = Government(self)
        population.seed_population(self)
        self.talent = TalentMarket(self, slack=self.baseline["researcher_slack"],
                                   high_level_per_year=self.baseline["high_level_talents_per_year"])
        self._researchers0 = self.talent.researchers
        self._new_shocks()
        for _ in range(SPINUP_MONTHS):
            self.step()
        self.streams = main_streams

    def _hand_over(self, seed: int, replication: int, levers: Levers) -> None:
        """The spun-up population matched to the baseline; month 0 of the run, under the scenario's levers."""
        population.settle(self)
        self.month = 0
        self.origin = month_index(self.start, "0000-01")
        self.running_plan = True
        self.territory_steps: dict[int, float] = {}  # month -> how many times the firms an absorbed territory made
        self.levers = levers
        self._use_keys(firm_keys(seed, replication))
        self.counters = Counters()
        self.fund.remove()
        self.government.remove()
        uplift = self.fund.stats.rd_reward_uplift  # firms paid in the spin-up's last April keep their year
        self.fund = SpecialFund(self, levers.budget.model_dump(), self.scale)
        self.fund.stats.rd_reward_uplift = uplift
        self.government = Government(self)
        self.talent.restart()
        if self.full:
            population.pipeline(self)
        self._researchers0 = self.talent.researchers
        self._new_shocks()

    def _use_keys(self, keys: dict[str, int]) -> None:
        self.keys = keys
        # entry and incubators draw per cohort and per incubator (CohortStream, keyed_uniforms), not per firm row
        self.firm_streams = {name: FirmStream(key, self.firms) for name, key in keys.items()
                             if name not in ("entry", "incubators")}

    # ------------------------------------------------------------------ calendar
    @property
    def calendar_year(self) -> int:
        return (self.origin + self.month) // 12

    @property
    def calendar_month(self) -> int:
        return (self.origin + self.month) % 12 + 1

    def next_months(self, calendar_month: int, k: int, after: int = -1) -> np.ndarray:
        """Model month indices of the next k occurrences of a calendar month after month `after`."""
        first = (calendar_month - 1 - self.origin) % 12
        while first <= after:
            first += 12
        return first + 12 * np.arange(k)

    def add_incubator(self, level: str, opened: int | None = None) -> Incubator:
        places = self.baseline["incubator_places"] * (1.5 if level == "municipal" else 1.0)
        inc = Incubator(self, level, round(places), self.month if opened is None else opened)
        self.incubators.append(inc)
        return inc

    def draw_platform_sector(self, rng: np.random.Generator) -> int:
        w = PLATFORM_SECTOR_WEIGHT * (self.profile.sector_shares > 0)
        return int(rng.choice(len(SECTORS), p=w / w.sum()))

    @property
    def platforms(self) -> list[Platform]:
        return list(self.agents_by_type.get(Platform, []))

    @property
    def incubator_places(self) -> int:
        return sum(i.capacity for i in self.incubators)

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        f, p, fs = self.firms, self.p, self.firm_streams
        for stream in fs.values():
            stream.start_month(self.month)
        if self.calendar_month == 1 and self.month > 0:
            self._year_start()
        if self.running_plan:
            self._events()
        size_means = exit_size_means(f, p)  # the exit hazard's age-mates, at the month's start
        rd_traits(f, p)  # who does R&D, and how much, at this month's size
        if not self.full:  # the talent market, which fills R&D staff, does not run in the core
            f.staff_eff[:] = f.staff_share * self.talent.fill[f.sector]
        if self.full:
            self._programmes(f)
        year = self.calendar_year
        uplift = self._rd_uplift(f) if self.full else 0.0
        decide_rd(f, fs["rd"], self.month, p, cert.high_tech_rd_threshold(f.revenue, year),
                  cert.staff_threshold(year, p), uplift)
        grow(f, self.month, p, self._spillover())
        self._exits(size_means)
        entry.enter(self)
        if self.full:
            graduate(self, self.incubators)
            admit(self, self.incubators)
        self._certification()
        if self.full:
            cert.listings(f, fs["listing"], self.month, p)
        if self.calendar_month == 12 and self.full:
            self.fund.close_year()  # so December's row shows the year's unspent money
        if self.running_plan:
            self._count_joined()  # this month's entrants, at risk in the year they were founded
            self.snapshot = indicators.compute(self)
            self.datacollector.collect(self)
            if self.debug:
                self.check_invariants()
                laws.check(self)
            if self.calendar_month == 12 and self.levers.adaptive and self.full:
                self.government.reassess()
        self.month += 1

    def _rd_uplift(self, f: FirmTable) -> np.ndarray | float:
        """Rise of each firm's R&D propensity: the programmes it is in and the tax rule of the month."""
        programmes = self.fund.rd_uplift(f, self.month, self.p)
        tax = rd_tax.uplift(f.revenue, f.sector, f.ht_until > self.month, self.calendar_year, self.calendar_month,
                            self.p)
        if np.isscalar(tax):  # 0.0: the deduction is still the 50% of 2008-2016
            return programmes
        if np.isscalar(programmes):  # 0.0: nobody is in a programme that raises R&D this month
            return tax
        return (1.0 + programmes) * (1.0 + tax) - 1.0

    def _programmes(self, f: FirmTable) -> None:
        """The government's commitments, the listing pool, the talent market and the special fund."""
        # the month's reviews read one merit column: R&D effort and capability move later (decide_rd, grow)
        self.review_merit = merit(f)
        try:
            self.government.step()
            if self.calendar_month == cert.LISTING_POOL_MONTH:
                cert.fill_listing_pool(f, self.month, round(self.government.yearly("listing_pool_size")))
            self.talent.step()
            self.fund.step()
        finally:
            self.review_merit = None

    def _spillover(self) -> np.ndarray:
        platforms = self.platforms
        if not platforms:
            return np.zeros(len(SECTORS))
        f = self.firms
        firms_by_sector = np.bincount(f.sector[f.alive], minlength=len(SECTORS)).astype(float)
        return spillover(platforms, self.p, firms_by_sector)

    def _events(self) -> None:
        for month, kind, value in self.events:
            if month != self.month:
                continue
            if kind == "absorb":
                living = np.count_nonzero(self.firms.alive)
                joined = territory.absorb(self, value)
                self.counters.absorbed += joined
                self.territory_steps[self.month] = (living + joined) / max(living, 1)  # the growth laws read it
            elif kind == "entries":
                # the documented rate is what entered then: the entry elasticities to incubator places and
                # researchers count changes from this month on
                self.baseline["new_market_entities"] = value / self.scale
                self._places0 = max(self.incubator_places, 1)
                self._researchers0 = max(self.talent.researchers, 1.0)

    def _year_start(self) -> None:
        f = self.firms
        f.compact()
        f.revenue_jan[:] = f.revenue
        f.revenue_year[:] = 0.0
        self._new_shocks()

    def _new_shocks(self) -> None:
        f = self.firms
        f.annual_shock[:] = laplace_shocks(self.firm_streams["growth"], f.revenue, self.p)

    def _exits(self, size_means: np.ndarray | None = None) -> None:
        f = self.firms
        out = exit_mask(f, self.firm_streams["exit"], self.month, self.p, size_means)
        if self.running_plan:  # exit rates by year of life, against PE44
            self._count_exits_by_year_of_life(out)
        f.alive[out] = False
        self.counters.exits += np.count_nonzero(out)

    def _count_exits_by_year_of_life(self, out: np.ndarray) -> None:
        """PE44 is a registry's annual count: of the firms founded in a calendar year, the share deregistered in that
        same year (year of life 1, about half a year of exposure), the next (2), and so on. So each firm is counted at
        risk once per calendar year, in January or in the month it joins (founded, or with an absorbed territory), and
        each exit is filed under the calendar year of life it happened in. Every profile's baseline is a December, so
        the run's first month is a January; a firm attracted from elsewhere is at risk from the month it arrives."""
        c = self.counters
        if self.calendar_month == 1 or c.rows_at_risk < 0:
            c.rows_at_risk = 0  # January: every firm again (the rows were compacted); the run's first month: all
        self._count_joined()
        c.exits_by_year_of_life += np.bincount(self._year_of_life(np.flatnonzero(out)), minlength=AGE_BUCKETS)

    def _year_of_life(self, rows: np.ndarray | slice) -> np.ndarray:
        """These firm rows' calendar year of life this month: 1 (index 0) in the year each was founded."""
        founded = (self.origin + self.month - self.firms.age[rows]) // 12  # age grows with the month: fixed per firm
        return np.minimum(self.calendar_year - founded, AGE_BUCKETS - 1)

    def _count_joined(self) -> None:
        """The firm rows added since the last count, at risk in their year of life: this month's entrants in the year
        they were founded, even in December, as a registry counts a firm founded then."""
        f, c = self.firms, self.counters
        joined = c.rows_at_risk + np.flatnonzero(f.alive[c.rows_at_risk:])
        c.at_risk_by_year_of_life += np.bincount(self._year_of_life(joined), minlength=AGE_BUCKETS)
        c.rows_at_risk = f.n

    def _certification(self) -> None:
        f, rng, p, cm = self.firms, self.firm_streams["certification"], self.p, self.calendar_month
        c, year = self.counters, self.calendar_year
        if cm == cert.HIGH_TECH_APPROVE_MONTH:
            eligible = cert.high_tech_eligible(f, year, p, self.ht_fit_share) if self.debug else None
            out = cert.high_tech_round(f, rng, self.month, p, year, self.ht_fit_share)
            c.ht_first += len(out["first"])
            c.ht_again += len(out["again"])
            c.ht_renewed += len(out["renewed"])
            if eligible is not None:
                laws.granted_to_eligible(self, "high-tech", eligible, out)
        if not self.full:
            return
        if cm in cert.ZJTX_BATCH_MONTHS:
            if self.zjtx_bar0 is not None and self.running_plan:
                self.zjtx_fit_share = cert.zjtx_bar(self.zjtx_bar0, self.origin, self.origin + self.month, p)
            eligible = cert.zjtx_eligible(f, self.month, self.zjtx_fit_share) if self.debug else None
            out = cert.zjtx_round(f, rng, self.month, p, calendar=self.origin + self.month,
                                  fit_share=self.zjtx_fit_share)
            c.zjtx_new += len(out["new"])
            c.zjtx_renewed += len(out["renewed"])
            if eligible is not None:
                laws.granted_to_eligible(self, "专精特新", eligible, out)
        if cm == cert.REVIEW_MONTH:
            small, strong = cert.scale_review(f, self.month)
            c.small_up += small
            c.strong_up += strong
            rd_now = f.rd_ratio * f.revenue
            f.rd_increase[:] = np.where(f.alive, rd_now - f.rd_last_year, 0.0)
            f.rd_last_year[:] = rd_now

    # ------------------------------------------------------------------ indicators
    def behind_path(self, t: Target) -> bool:
        """Is the indicator behind the straight line from the baseline to the target?"""
        months_to_target = december_row(t.year, self.start)
        done = (self.month + 1) / months_to_target
        start = self.base_snapshot[t.indicator]
        expected = start + (t.threshold - start) * done
        now = self.snapshot[t.indicator]
        return now < expected if t.comparator in (">=", ">") else now > expected

    def indicator_table(self) -> dict[str, np.ndarray]:
        return {k: np.asarray(v, dtype=float) for k, v in self.datacollector.model_vars.items()}

    def run(self) -> EcosystemModel:
        for _ in range(self.months):
            self.step()
        return self

    # ------------------------------------------------------------------ debug invariants
    def check_invariants(self) -> None:
        """Cheap checks of conservation laws; on in debug mode and in the tests."""
        s, f, prev = self.snapshot, self.firms, getattr(self, "_prev_check", None)
        for k, v in s.items():
            if k != "increment_index" and not v >= 0:
                raise InvariantError(f"month {self.month}: {k} = {v} is negative or NaN")
        if s["high_tech"] > s["living_firms"]:
            raise InvariantError("more high-tech firms than living firms")
        if prev is not None:
            entries = s["entries_cum"] - prev["entries_cum"] + s["absorbed_cum"] - prev["absorbed_cum"]
            exits = s["exits_cum"] - prev["exits_cum"]
            expected = prev["living_firms"] + entries - exits
            if abs(s["living_firms"] - expected) > 1e-6 * max(expected, 1.0):
                raise InvariantError(f"month {self.month}: firms {s['living_firms']} != {expected}")
        fund = self.fund
        for c in CHANNELS:
            ledger = fund.ledgers[c]
            if ledger.spent_this_year > ledger.annual + 1e-6:
                raise InvariantError(f"{c}: spent {ledger.spent_this_year} above the annual {ledger.annual}")
        if abs(fund.budgeted - (fund.disbursed + fund.unspent + fund.open_remaining)) > 1e-3:
            raise InvariantError("budget != disbursed + unspent + open remainder")
        if self.talent.placed + self.talent.waiting != self.talent.arrived:
            raise InvariantError("talents placed + waiting != talents arrived")
        stale = f.alive & (f.ht_until > self.month + 36)
        if stale.any():
            raise InvariantError("a high-tech certificate runs more than three years ahead")
        self._prev_check = dict(s)


__all__ = ["EcosystemModel", "InvariantError", "replication_streams"]
