"""EcosystemModel: the Mesa model of one district, one replication, monthly steps.

Firms are rows of numpy arrays (firms.py); the government, the special fund, the talent
market, incubators and platforms are Mesa agents. Indicators are properties, collected by
Mesa's DataCollector every month.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from . import certification as cert
from .firms import (
    CohortStream,
    EntryDraw,
    FirmStream,
    FirmTable,
    decide_rd,
    draw_labour,
    draw_rd_active,
    draw_rd_base,
    draw_sectors,
    draw_staff_share,
    exit_mask,
    grow,
    laplace_shocks,
    new_firm_rows,
    pareto_revenue,
)
from .funds import CHANNELS, SpecialFund, top_k
from .government import Government
from .indicators import INDICATORS
from .institutions import Incubator, Platform, admit, graduate, spillover
from .parameters import DEFAULTS, ParameterSource, resolve
from .profiles import PROFILES
from .scenario import Scenario, Target, month_index
from .sectors import SECTORS
from .talent import TalentMarket

STREAMS = ("init", "growth", "rd", "exit", "entry", "certification", "listing", "funds",
           "talent", "platforms", "incubators", "scenarios", "posterior")  # append only: order fixes the seeds
INITIAL_REVENUE_CAP = 1_000_000.0  # 万元 (100亿): the largest tech firm of a district at baseline
PLATFORM_SECTOR_WEIGHT = np.array([3.0, 0.5, 3.0, 0.5, 0.5, 1.0, 0.5])  # platforms cluster in R&D-heavy industries


class InvariantError(AssertionError):
    """A model invariant failed in debug mode."""


@dataclass
class Counters:
    entries: int = 0
    exits: int = 0
    small_up: int = 0
    strong_up: int = 0
    first_year_local_entrants: int = 0  # start-ups and spin-offs of month 0-11: the survival cohort


FIRM_STREAMS = ("growth", "rd", "exit", "certification", "listing", "funds", "scenarios", "entry", "talent",
                "incubators", "funds_loans")


def firm_keys(seed: int, replication: int) -> dict[str, int]:
    """Keys of the firm-by-firm draws (FirmStream) and of the monthly entry cohorts, fixed by (seed, replication)."""
    state = np.random.SeedSequence(entropy=seed, spawn_key=(replication, 1_000)).generate_state(len(FIRM_STREAMS),
                                                                                               np.uint64)
    return {name: int(k) for name, k in zip(FIRM_STREAMS, state, strict=True)}


def replication_streams(seed: int, replication: int) -> dict[str, np.random.Generator]:
    """One independent generator per mechanism, fixed by (seed, replication) alone.

    Replication i of any scenario gets the same streams, and a lever that changes how many
    draws one mechanism makes does not shift the draws of another (common random numbers).
    Draws made firm by firm each month come from FirmStreams instead (firm_keys), keyed by the
    firm's identity, so a lever that changes the number of firms does not change the luck of
    the others.
    """
    root = np.random.SeedSequence(entropy=seed, spawn_key=(replication,))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, root.spawn(len(STREAMS)), strict=True)}


MECHANISMS = ("full", "core")


class EcosystemModel(mesa.Model):
    """An innovation ecosystem under a scenario's levers.

    Args:
        scenario: the validated scenario.
        replication: index of this replication; with the scenario's seed it fixes every draw.
        debug: check the model's invariants every month (slower).
        mechanisms: "full", or "core" for the firm dynamics alone (R&D, growth, exit, start-up
            entry, high-tech certification): no government, funds, talent, platforms, incubators
            or listings. The core is what model/reference/ specifies one agent per firm; the
            docking tests compare the two.
    """

    def __init__(self, scenario: Scenario, replication: int = 0, seed: int | None = None,
                 debug: bool = False, parameters: ParameterSource = DEFAULTS, mechanisms: str = "full") -> None:
        if mechanisms not in MECHANISMS:
            raise ValueError(f"mechanisms must be one of {MECHANISMS}, not {mechanisms!r}")
        self.full = mechanisms == "full"
        seed = scenario.scenario.seed if seed is None else seed
        self.streams = replication_streams(seed, replication)
        super().__init__(rng=int(self.streams["init"].integers(2**62)))
        self.scenario_spec = scenario
        self.levers = scenario.levers
        self.targets: list[Target] = list(scenario.targets)
        self.drawn_parameters = parameters.draw(self.streams["posterior"])
        self.p = resolve({**self.drawn_parameters, **scenario.parameters})
        self.profile = PROFILES[scenario.scenario.profile]
        self.start = scenario.scenario.start
        self.months = scenario.months
        meta = scenario.scenario
        self.lever_months = month_index(meta.levers_end or meta.end, meta.start) + 1
        self.debug = debug
        self.month = 0
        self.counters = Counters()
        self.firms = FirmTable(capacity=64_000)
        self.keys = firm_keys(seed, replication)
        # entry and incubators draw per cohort and per incubator (CohortStream, keyed_uniforms), not per firm row
        self.firm_streams = {name: FirmStream(key, self.firms) for name, key in self.keys.items()
                             if name not in ("entry", "incubators")}
        self.baseline = self.profile.draw(self.streams["init"], scenario.baseline)
        self._snap: dict[str, float] = {}

        self._init_firms()
        self.fund = SpecialFund(self, self.levers.budget.model_dump())
        self.government = Government(self)
        self.talent = TalentMarket(self, slack=self.baseline["researcher_slack"],
                                   high_level_per_year=self.baseline["high_level_talents_per_year"])
        self._researchers0 = self.talent.researchers
        if self.full:
            self._init_institutions()
        else:
            self.incubators, self._places0 = [], 1
        # Firms' R&D in the model is their accounting R&D expense (研发费用), the quantity the
        # certification rules test. The plan's R&D target is the statistical R&D经费. This
        # replication's ratio between the drawn statistical firm R&D and the synthetic firms'
        # expense is fixed at the baseline. Statistics are the narrower measure, so the ratio is
        # mostly below 1; above 1 it says the draw asks for more R&D than the synthetic firms do.
        b, f = self.baseline, self.firms
        self.rd_expense0 = float((f.rd_ratio * f.revenue)[f.alive].sum())
        self.rd_statistical_ratio = b["rd_total"] * b["rd_firm_share"] / self.rd_expense0
        self._nonfirm_rd0 = b["rd_total"] * (1.0 - b["rd_firm_share"])
        self._refresh()
        self._base = dict(self._snap)
        self.datacollector = mesa.DataCollector(model_reporters={k: k for k in INDICATORS})
        self.datacollector.collect(self)  # the baseline row
        self._new_shocks()

    # ------------------------------------------------------------------ calendar
    @property
    def calendar_year(self) -> int:
        y0, m0 = int(self.start[:4]), int(self.start[5:7])
        return y0 + (m0 - 1 + self.month) // 12

    @property
    def calendar_month(self) -> int:
        return (int(self.start[5:7]) - 1 + self.month) % 12 + 1

    def _next_months(self, calendar_month: int, k: int, after: int = -1) -> np.ndarray:
        """Model month indices of the next k occurrences of a calendar month after month `after`."""
        first = (calendar_month - int(self.start[5:7])) % 12
        while first <= after:
            first += 12
        return first + 12 * np.arange(k)

    # ------------------------------------------------------------------ initialisation
    def _init_firms(self) -> None:
        rng, b, f = self.streams["init"], self.baseline, self.firms
        n = round(b["tech_firms"])
        sector = draw_sectors(rng, self.profile.sector_shares, n)
        alpha = b["revenue_pareto_alpha"]
        # P(revenue >= 1000万) = above_scale_share for a Pareto law with this x_min.
        x_min = 1000.0 * b["above_scale_share"] ** (1.0 / alpha)
        revenue = np.minimum(pareto_revenue(rng, n, x_min, alpha), INITIAL_REVENUE_CAP)
        age = (rng.exponential(60.0, n) + 12.0 * np.log(revenue / x_min)).astype(np.int32) + 1
        active = draw_rd_active(rng, revenue, self.p)
        rd = draw_rd_base(rng, active, revenue, self.p["rd_active_median"])
        share = draw_staff_share(rng, active)
        rows = {
            "sector": sector, "age": age, "revenue": revenue, "labour": draw_labour(rng, n),
            "rd_ratio": rd, "rd_ratio_avg": rd, "rd_base": rd, "rd_last_year": rd * revenue,
            "staff_share": share, "staff_eff": share,
            "capability": rng.gamma(2.0, 0.5, n),
            "active": active, "revenue_jan": revenue,
            # IP holdings rise with size among R&D-active firms (estimate: 40% at 500万, 60% at 1000万,
            # all from ~5000万 on)
            "ip": rng.random(n) < np.where(active, np.minimum(0.4 * (revenue / 500.0) ** 0.6, 1.0), 0.03),
            "uid": np.arange(n, dtype=np.uint64),
        }
        f.append(rows)
        self._assign_certificate("ht_until", cert.high_tech_eligible(f), round(b["high_tech"]), 11)
        f.ht_ever[:] = f.ht_until >= 0
        self._assign_certificate("zjtx_until", cert.zjtx_eligible(f, 0), round(b["specialized_sme"]), 9)
        listed = top_k(np.log(f.revenue) + rng.gumbel(0.0, 1.0, f.n), f.alive, round(b["listed"]))
        f.listed[listed] = True
        cert.initial_scale_status(f)
        # R&D bookkeeping after the moves onto the rules: last year's R&D is today's, and 2023's
        # increase (rewarded in April 2024) is ~10% of it, widely spread (estimate).
        f.rd_last_year[:] = f.rd_ratio * f.revenue
        f.rd_increase[:] = np.maximum(f.rd_last_year * rng.normal(0.10, 0.2, n), 0.0)

    def _assign_certificate(self, column: str, eligible: np.ndarray, count: int, expiry_month: int) -> None:
        """Give `count` firms a certificate at baseline; expiries spread over the next three rounds.

        Where fewer firms meet the rule than hold the certificate in reality, the closest firms
        (highest R&D propensity, of a size the rule admits) are moved onto the rule, so every
        holder satisfies it.
        """
        rng, f = self.streams["init"], self.firms
        holders = np.flatnonzero(eligible)
        if len(holders) < count:
            room = f.alive & ~eligible & (f.age >= 24)
            if column == "zjtx_until":  # only SMEs can hold 专精特新
                room &= (f.revenue < 40000.0) & (f.employees() < 1000)
            extra = top_k(f.rd_base + rng.gumbel(0, 0.01, f.n), room, count - len(holders))
            self._lift_onto_rule(extra, column)
            holders = np.concatenate([holders, extra])
        holders = rng.choice(holders, size=min(count, len(holders)), replace=False)
        getattr(f, column)[holders] = rng.choice(self._next_months(expiry_month, 3), size=len(holders))

    def _lift_onto_rule(self, idx: np.ndarray, column: str) -> None:
        rng, f = self.streams["init"], self.firms
        if column == "zjtx_until":
            small = idx[f.revenue[idx] < 1000.0]
            f.revenue[small] = rng.uniform(1000.0, 3000.0, len(small))
            f.labour[small] = np.minimum(f.labour[small], 900.0 / f.revenue[small])  # still an SME
            need = np.maximum(0.03, 100.0 / f.revenue[idx])
        else:
            need = cert.high_tech_rd_threshold(f.revenue[idx])
        f.rd_base[idx] = np.maximum(f.rd_base[idx], need + 0.003)
        f.rd_ratio[idx] = f.rd_ratio_avg[idx] = f.rd_base[idx]
        f.ip[idx] = True
        # certified firms report R&D staff of 12-30% of employees, not just the 10% floor
        f.staff_share[idx] = f.staff_eff[idx] = np.maximum(f.staff_share[idx], rng.uniform(0.12, 0.3, len(idx)))

    def _init_institutions(self) -> None:
        rng, b = self.streams["init"], self.baseline
        for level, key in (("national", "national_platforms"), ("municipal", "municipal_platforms"),
                           ("joint_lab", "joint_labs"), ("pilot_base", "pilot_bases")):
            for _ in range(round(b[key])):
                Platform(self, level, self.draw_platform_sector(rng), ready=-1, new=False)
        pipe = self.profile.pipeline
        for level in ("national", "municipal", "joint_lab", "pilot_base"):
            lo, hi = pipe.get(level, [0, 0])
            for _ in range(int(rng.integers(lo, hi + 1))):
                ready = int(rng.integers(pipe["ready_months"][0], pipe["ready_months"][1] + 1))
                Platform(self, level, self.draw_platform_sector(rng), ready=ready, new=True)
        self.incubators: list[Incubator] = []
        for level, key in (("ordinary", "incubators_ordinary"), ("municipal", "incubators_municipal")):
            for _ in range(round(b[key])):
                self.add_incubator(level, opened=-1)
        self._places0 = max(self.incubator_places, 1)
        # Incubators start 80% full with young firms part-way through their stay.
        f = self.firms
        for inc in self.incubators:
            cand = np.flatnonzero(f.alive & (f.age < 36) & (f.incubator < 0))
            k = min(int(0.8 * inc.capacity), len(cand))
            chosen = rng.choice(cand, size=k, replace=False)
            f.incubator[chosen] = inc.unique_id
            f.incubated_until[chosen] = rng.integers(1, int(self.p["incubation_months"]) + 1, k)
            inc.occupancy = k

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
        if self.full:
            self.government.step()
            if self.calendar_month == cert.LISTING_POOL_MONTH:
                cert.fill_listing_pool(f, self.month, round(self.government.yearly("listing_pool_size")))
            self.talent.step()
            self.fund.step()
        decide_rd(f, fs["rd"], self.month, p, cert.high_tech_rd_threshold(f.revenue))
        grow(f, self.month, p, spillover(self.platforms, p))
        self._exits()
        self._entries()
        if self.full:
            graduate(self, self.incubators)
            admit(self, self.incubators)
        self._certification()
        if self.full:
            cert.listings(f, fs["listing"], self.month, p)
        if self.calendar_month == 12 and self.full:
            self.fund.close_year()  # so December's row shows the year's unspent money
        self._refresh()
        self.datacollector.collect(self)
        if self.debug:
            self.check_invariants()
        if self.calendar_month == 12 and self.levers.adaptive and self.full:
            self.government.reassess()
        self.month += 1

    def _year_start(self) -> None:
        f = self.firms
        f.compact()
        f.revenue_jan[:] = f.revenue
        self._new_shocks()

    def _new_shocks(self) -> None:
        f = self.firms
        f.annual_shock[:] = laplace_shocks(self.firm_streams["growth"], f.revenue, self.p)

    def _exits(self) -> None:
        f = self.firms
        out = exit_mask(f, self.firm_streams["exit"], self.month, self.p)
        f.alive[out] = False
        self.counters.exits += np.count_nonzero(out)

    def _entries(self) -> None:
        """This month's start-ups, spin-offs and attracted firms.

        Each month's counts, and each kind's cohort, draw from generators of their own keyed by the
        month, so more attracted firms this month change neither next month's start-ups nor their luck.
        """
        b, p, f, key = self.baseline, self.p, self.firms, self.keys["entry"]
        rng = CohortStream(key, self.month, 0)  # one generator call per count: Poisson draws use varying numbers
        places = max(self.incubator_places, 1) / self._places0
        talent = max(self.talent.researchers, 1.0) / self._researchers0
        lam = (b["new_market_entities"] * p["startup_rate"] / 12.0
               * places ** p["startup_incubator_elasticity"] * talent ** p["startup_talent_elasticity"])
        n_start = rng.poisson(lam)
        operating = [pl for pl in self.platforms if pl.operating]
        n_spin = rng.poisson(p["spinoff_rate"] * len(operating) / 12.0)
        if self.month < 12:
            self.counters.first_year_local_entrants += n_start + n_spin
        n_attr = rng.poisson(self.government.yearly("attracted_firms_per_year") / 12.0) if self.full else 0
        shares = self.profile.sector_shares
        if n_start:
            rng = CohortStream(key, self.month, 1)
            self._add(rng, EntryDraw(n_start, draw_sectors(rng, shares, n_start),
                                     np.minimum(rng.lognormal(np.log(50.0), 1.0, n_start), 2000.0),
                                     rng.gamma(2.0, 0.25, n_start), rng.random(n_start) < p["startup_future_share"],
                                     attracted=False, kind=1))
        if n_spin:
            rng = CohortStream(key, self.month, 2)
            sectors = np.array([operating[i].sector for i in rng.integers(0, len(operating), n_spin)], np.int8)
            self._add(rng, EntryDraw(n_spin, sectors, np.minimum(rng.lognormal(np.log(80.0), 1.0, n_spin), 2000.0),
                                     rng.gamma(2.0, 0.75, n_spin),
                                     rng.random(n_spin) < 2 * p["startup_future_share"], attracted=False, kind=2))
        if n_attr:
            rng = CohortStream(key, self.month, 3)
            idx = self._add(rng, EntryDraw(n_attr, draw_sectors(rng, shares, n_attr),
                                           pareto_revenue(rng, n_attr, 1000.0, 1.1).clip(max=INITIAL_REVENUE_CAP),
                                           rng.gamma(2.0, 0.75, n_attr),
                                           rng.random(n_attr) < p["attracted_future_share"], attracted=True, kind=3))
            ht = idx[rng.random(n_attr) < p["attracted_high_tech_share"]]
            thr = cert.high_tech_rd_threshold(f.revenue[ht])
            f.rd_base[ht] = f.rd_ratio[ht] = f.rd_ratio_avg[ht] = np.maximum(f.rd_base[ht], thr + 0.003)
            f.ip[ht] = True
            f.staff_share[ht] = f.staff_eff[ht] = np.maximum(f.staff_share[ht], rng.uniform(0.12, 0.3, len(ht)))
            f.ht_until[ht] = rng.choice(self._next_months(11, 3, after=self.month), size=len(ht))
            f.ht_ever[ht] = True
            f.rd_last_year[ht] = f.rd_ratio[ht] * f.revenue[ht]

    def _add(self, rng: CohortStream, draw: EntryDraw) -> np.ndarray:
        idx = self.firms.append(new_firm_rows(rng, draw, self.p, self.month))
        f = self.firms
        f.annual_shock[idx] = laplace_shocks(rng, f.revenue[idx], self.p)
        f.staff_eff[idx] = f.staff_share[idx] * self.talent.fill[f.sector[idx]]
        self.counters.entries += draw.n
        return idx

    def _certification(self) -> None:
        f, rng, p, cm = self.firms, self.firm_streams["certification"], self.p, self.calendar_month
        if cm == cert.HIGH_TECH_APPROVE_MONTH:
            cert.high_tech_round(f, rng, self.month, p)
        if not self.full:
            return
        if cm == cert.ZJTX_APPROVE_MONTH:
            cert.zjtx_round(f, rng, self.month, p)
        if cm == cert.REVIEW_MONTH:
            small, strong = cert.scale_review(f, self.month)
            self.counters.small_up += small
            self.counters.strong_up += strong
            rd_now = f.rd_ratio * f.revenue
            f.rd_increase[:] = np.where(f.alive, rd_now - f.rd_last_year, 0.0)
            f.rd_last_year[:] = rd_now

    # ------------------------------------------------------------------ indicators
    def _refresh(self) -> None:
        """Compute this month's indicators once; the reporter properties read them."""
        f, month, s = self.firms, self.month, {}
        alive = f.alive
        s["high_tech"] = np.count_nonzero(alive & (f.ht_until > month))
        s["specialized_sme"] = np.count_nonzero(alive & (f.zjtx_until > month))
        s["to_above_scale_cum"] = self.counters.small_up
        s["above_scale_to_strong_cum"] = self.counters.strong_up
        s["upgrades_cum"] = self.counters.small_up + self.counters.strong_up
        s["listed"] = np.count_nonzero(alive & f.listed)
        level = {"national": 0, "municipal": 0, "joint_lab": 0, "pilot_base": 0}
        new_national, platform_rd = 0, 0.0
        for pl in self.platforms:
            if pl.operating:
                level[pl.level] += 1
                new_national += pl.new and pl.level == "national"
                platform_rd += pl.rd_spending(self.p) if pl.new else 0.0
        years = (month + 1) / 12.0 if self._snap else 0.0  # end of month `month`; 0 at the baseline
        growth = (1.0 + self.baseline["gdp_growth"]) ** years
        firm_rd = self.rd_statistical_ratio * float(np.sum(f.rd_ratio * f.revenue, where=alive))
        s["rd_spending"] = firm_rd + self._nonfirm_rd0 * growth + platform_rd
        s["gdp"] = self.baseline["gdp"] * growth
        s["rd_intensity"] = 100.0 * s["rd_spending"] / s["gdp"]
        s["rd_vs_baseline"] = s["rd_spending"] / self._base["rd_spending"] if self._snap else 1.0
        s["national_platforms"] = level["national"]
        s["new_national_platforms"] = new_national
        s["municipal_platforms"] = level["municipal"]
        s["joint_labs"] = level["joint_lab"]
        s["pilot_bases"] = level["pilot_base"]
        gov = self.government
        s["new_municipal_incubators"] = gov.incubators_added["municipal"]
        s["talents_placed_cum"] = self.talent.placed
        s["future_firms_new"] = np.count_nonzero(alive & f.future & f.new)
        s["scenarios_published_cum"] = gov.scenarios_published
        s["scenarios_for_attracted_cum"] = gov.scenarios_for_attracted
        s["living_firms"] = np.count_nonzero(alive)
        s["above_scale"] = np.count_nonzero(alive & f.above_scale)
        s["entries_cum"] = self.counters.entries
        s["exits_cum"] = self.counters.exits
        s["incubated"] = np.count_nonzero(alive & (f.incubator >= 0))
        s["researchers"] = self.talent.researchers
        s["budget_disbursed_cum"] = self.fund.disbursed
        s["budget_unspent_cum"] = self.fund.unspent
        s["social_capital_cum"] = self.fund.stats.social_capital
        s.update(self._composites(s))
        self._snap = s

    def _composites(self, s: dict[str, float]) -> dict[str, float]:
        """三量: 总量 (stocks), 增量 (growth of stocks, %), 质量 (composition). See README."""
        stocks = ("living_firms", "high_tech", "rd_spending", "platforms_all", "above_scale")
        platforms = s["national_platforms"] + s["municipal_platforms"] + s["joint_labs"] + s["pilot_bases"]
        s = dict(s, platforms_all=platforms)
        q = {"ht_share": s["high_tech"] / max(s["living_firms"], 1), "rd_intensity": s["rd_intensity"],
             "zjtx_share": s["specialized_sme"] / max(s["living_firms"], 1),
             "scale_share": s["above_scale"] / max(s["living_firms"], 1)}
        if not self._snap:
            self._base_stocks = {k: max(s[k], 1e-9) for k in stocks}
            self._base_quality = {k: max(v, 1e-12) for k, v in q.items()}
        ratios = np.array([max(s[k], 1e-9) / self._base_stocks[k] for k in stocks])
        qual = np.array([max(v, 1e-12) / self._base_quality[k] for k, v in q.items()])
        return {"total_index": 100.0 * float(np.exp(np.log(ratios).mean())),
                "increment_index": 100.0 * float((ratios - 1.0).mean()),
                "quality_index": 100.0 * float(np.exp(np.log(qual).mean()))}

    def __getattr__(self, name: str):
        snap = self.__dict__.get("_snap")
        if snap is not None and name in snap:
            return snap[name]
        raise AttributeError(name)

    def behind_path(self, t: Target) -> bool:
        """Is the indicator behind the straight line from the baseline to the target?"""
        months_to_target = month_index(f"{t.year}-12", self.start) + 1
        done = (self.month + 1) / months_to_target
        start = self._base[t.indicator]
        expected = start + (t.threshold - start) * done
        now = self._snap[t.indicator]
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
        s, f, prev = self._snap, self.firms, getattr(self, "_prev_check", None)
        for k, v in s.items():
            if k != "increment_index" and not v >= 0:
                raise InvariantError(f"month {self.month}: {k} = {v} is negative or NaN")
        if s["high_tech"] > s["living_firms"]:
            raise InvariantError("more high-tech firms than living firms")
        if prev is not None:
            entries = s["entries_cum"] - prev["entries_cum"]
            exits = s["exits_cum"] - prev["exits_cum"]
            expected = prev["living_firms"] + entries - exits
            if s["living_firms"] != expected:
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


__all__ = ["EcosystemModel", "replication_streams"]
