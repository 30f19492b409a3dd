"""The starting population: drawn before the baseline, settled by the model's own dynamics, matched to the record.

A snapshot drawn straight at the baseline is not in the state the model's rules would have produced:
thousands of firms would meet the high-tech rules without a certificate, R&D averages would sit where
they were drawn rather than where firms steer them, and the first months of a run would correct all
that (the start-up transient of the first calibration). So each replication starts SPINUP_MONTHS
before the baseline:

1. `seed_population` draws a smaller population (what the documented entry and exit rates imply for
   four years earlier), its institutions as at the baseline, and certificates for a share of the firms
   that meet the rules (about what the rounds would have left), with expiries over the next three rounds.
2. The model then runs its monthly step over the spin-up with the profile's background levers (the
   district's standing instruments before the scenario: the same for every scenario of a profile, so
   replication i of two scenarios starts from the same firms) and the certification rules of those years.
3. `settle` matches the result to the documented baseline without unsettling it:
   - the firm count, by a random sample of the firms (or random copies, when the spin-up fell short): a
     random sample of a population is in the same state as the population;
   - the high-tech stock, through the share of firms that pass the rules the model does not spell out (60%
     of revenue from high-tech products, the expert score, a certificate worth applying for), larger firms
     more often (certification.fit_chance). The spin-up runs as if every firm passed; a firm that fails them
     could never have been certified, so keeping the documented number of holders as passing, drawn with
     their chances, and giving every firm a score against that chance, gives the state of a spin-up run
     with that share (approximately: a firm's chance moves with its size);
   - the 专精特新 stock: first the certificates of firms whose eligibility the revenue rescale changed are
     drawn again at the spin-up's own rates (`rescale_zjtx`: its rules are amounts, which the rescale moves
     firms across); then through the share of firms passing the points test the model does not spell out, as
     for high-tech (`match_zjtx`), a share that widens until the 2022 rules at a baseline before them (the
     programme was young: `certification.zjtx_bar`);
   - listings, above-scale status and the counters of the plan start afresh at the baseline.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import certification as cert
from .firms import (
    NONE,
    REVENUE_CAP,
    UNTIL_COLUMNS,
    FirmTable,
    draw_labour,
    draw_rd_traits,
    draw_sectors,
    pareto_revenue,
    rd_traits,
    rd_traits_of,
)
from .funds import top_k
from .institutions import Incubator, Platform
from .streams import entrant_uids

if TYPE_CHECKING:
    from .sim import EcosystemModel

SPINUP_MONTHS = 48  # longer than the certificate cycle (36) and twice the R&D average's time constant (24)
INITIAL_REVENUE_CAP = 1_000_000.0  # 万元 (100亿): the largest tech firm of a district at the start of the spin-up
# Share of firms that meet the high-tech rules and hold a certificate when the spin-up starts: with the
# rounds' chances (apply about 0.5, approve 0.7, renew about 0.8) a firm that keeps meeting the rules spends
# about four fifths of its time certified. The spin-up corrects the rest.
CERTIFIED_SHARE_AT_SPINUP = 0.8
# 专精特新's take-up was low before the 2022 rules, so the held share of its pool was far below high-tech's. In
# Beijing's run from 2014 (16 replications, Januaries 2019-2022, nothing having changed for years) the share of the
# firms meeting its rules that held a certificate settled at y / (y + c), y the yearly take-up times the approval
# rate and c the rate at which holders stop being eligible holders (exit, a lapse of the rules, a certificate not
# renewed): 0.19 at y = 0.055, 0.45 at 0.18, 0.60 at 0.33, c = 0.22 for every replication within 0.04 (on the
# posterior before 2026-12-03; on the committed one c is 0.18-0.29 by replication, its other parameters moving the
# exits). The spin-up corrects the rest.
ZJTX_LEAVE_RATE = 0.22
COPY_KIND = 7  # uid kind of the copies made when the spin-up ends with fewer firms than documented


def spinup_start_count(b: dict[str, float], p: dict[str, float]) -> int:
    """Firms at the start of the spin-up: what the documented entry rate and a typical exit hazard imply.

    With entries lam a year and a hazard h, n(t) = lam/h + (n0 - lam/h) exp(-h t); n0 is solved for
    n(SPINUP) = the documented count and kept between a quarter of it and all of it (the sample or copies
    at the end close the remaining gap exactly)."""
    n_doc = b["tech_firms"]
    lam = b["new_market_entities"] * p["startup_rate"]
    h = 1.2 * p["exit_hazard_old"]  # small firms exit more than the reference size
    t = SPINUP_MONTHS / 12.0
    n0 = lam / h + (n_doc - lam / h) * math.exp(h * t)
    return max(1, round(min(max(n0, 0.25 * n_doc), n_doc)))


def spinup_survival(p: dict[str, float]) -> float:
    """Rough share of the spin-up's first firms still alive at its end (they are older and larger than
    entrants: about the mature hazard at reference size)."""
    return float(np.exp(-p["exit_hazard_old"] * SPINUP_MONTHS / 12.0))


def seed_population(model: EcosystemModel) -> None:
    """The firms, platforms and incubators at the start of the spin-up."""
    rng, b, f, p = model.streams["init"], model.baseline, model.firms, model.p
    n = spinup_start_count(b, p)
    sector = draw_sectors(rng, model.profile.sector_shares, n)
    alpha = b["revenue_pareto_alpha"]
    # P(revenue >= 1000万) = share for a Pareto law with this x_min; the share is the baseline's scaled up by how
    # much the spin-up's small entrants will dilute these firms (match_above_scale closes what remains).
    share0 = float(np.clip(b["above_scale_share"] * b["tech_firms"] / (n * spinup_survival(p)), b["above_scale_share"],
                           0.5))
    x_min = 1000.0 * share0 ** (1.0 / alpha)
    revenue = np.minimum(pareto_revenue(rng, n, x_min, alpha), INITIAL_REVENUE_CAP)
    age = (rng.exponential(60.0, n) + 12.0 * np.log(revenue / x_min)).astype(np.int32) + 1
    traits = draw_rd_traits(rng, n, p)
    active, rd, share = rd_traits_of(revenue, traits, p)
    f.append({
        "sector": sector, "age": age, "revenue": revenue, "labour": draw_labour(rng, n), **traits,
        "rd_ratio": rd, "rd_ratio_avg": rd, "rd_base": rd, "rd_last_year": rd * revenue,
        "staff_share": share, "staff_eff": share,
        "capability": rng.gamma(2.0, 0.5, n),
        "active": active, "revenue_jan": revenue, "ht_score": rng.random(n),
        # IP holdings rise with size among R&D-active firms (estimate: 40% at 500万, 60% at 1000万,
        # all from ~5000万 on); the spin-up's IP rule takes over from here
        "ip": rng.random(n) < np.where(active, np.minimum(0.4 * (revenue / 500.0) ** 0.6, 1.0), 0.03),
        "uid": np.arange(n, dtype=np.uint64),
    })
    year = model.calendar_year
    _certify_share(model, "ht_until", cert.high_tech_eligible(f, year, p), CERTIFIED_SHARE_AT_SPINUP,
                   cert.HIGH_TECH_APPROVE_MONTH)
    f.ht_ever[:] = f.ht_until >= 0
    f.ht_revenue[:] = f.revenue
    y = cert.zjtx_take_up(model.origin + model.month, p) * p["zjtx_approval_prob"]
    _certify_share(model, "zjtx_until", cert.zjtx_eligible(f, 0), y / (y + ZJTX_LEAVE_RATE), cert.ZJTX_APPROVE_MONTH)
    listed = top_k(np.log(f.revenue) + rng.gumbel(0.0, 1.0, f.n), f.alive, round(b["listed"] * n / b["tech_firms"]))
    f.listed[listed] = True
    cert.initial_scale_status(f, f.revenue)  # no year behind the drawn firms yet
    f.rd_increase[:] = np.maximum(f.rd_last_year * rng.normal(0.10, 0.2, n), 0.0)
    if model.full:
        _institutions(model)
    else:
        model.incubators, model._places0 = [], 1


def _certify_share(model: EcosystemModel, column: str, eligible: np.ndarray, share: float, month: int) -> None:
    rng = model.streams["init"]
    rows = np.flatnonzero(eligible)
    rows = rows[rng.random(len(rows)) < share]
    getattr(model.firms, column)[rows] = rng.choice(model.next_months(month, 3), size=len(rows))


def _institutions(model: EcosystemModel) -> None:
    """Platforms and incubators as documented at the baseline, there through the spin-up."""
    rng, b = model.streams["init"], model.baseline
    for level, key in (("national", "national_platforms"), ("municipal", "municipal_platforms"),
                       ("joint_lab", "joint_labs"), ("pilot_base", "pilot_bases")):
        for _ in range(round(b[key])):
            Platform(model, level, model.draw_platform_sector(rng), ready=-1, new=False)
    model.incubators = []
    for level, key in (("ordinary", "incubators_ordinary"), ("municipal", "incubators_municipal")):
        for _ in range(round(b[key])):
            model.add_incubator(level, opened=-1)
    model._places0 = max(model.incubator_places, 1)
    # Incubators start 80% full with young firms part-way through their stay.
    f = model.firms
    for inc in model.incubators:
        cand = np.flatnonzero(f.alive & (f.age < 36) & (f.incubator < 0))
        k = min(int(0.8 * inc.capacity), len(cand))
        chosen = rng.choice(cand, size=k, replace=False)
        f.incubator[chosen] = inc.unique_id
        f.incubated_until[chosen] = rng.integers(1, int(model.p["incubation_months"]) + 1, k)
        inc.occupancy = k


def pipeline(model: EcosystemModel) -> None:
    """Platforms under construction at the baseline (the profile's pipeline), ready within its months; a model of
    one firm in `scale` builds each with chance 1/scale."""
    rng, pipe = model.streams["init"], model.profile.pipeline
    for level in ("national", "municipal", "joint_lab", "pilot_base"):
        lo, hi = pipe.get(level, [0, 0])
        n = int(rng.integers(lo, hi + 1))
        for _ in range(int(np.floor(n / model.scale + rng.random())) if model.scale > 1 else n):
            ready = int(rng.integers(pipe["ready_months"][0], pipe["ready_months"][1] + 1))
            Platform(model, level, model.draw_platform_sector(rng), ready=ready, new=True)


# ---------------------------------------------------------------------------------------------- settle
def settle(model: EcosystemModel) -> None:
    """Match the spun-up population to the documented baseline and hand it over to the run (month 0)."""
    rng, b, f = model.streams["init"], model.baseline, model.firms
    f.compact()
    model.talent.hold_scarcity()
    resample(model, round(b["tech_firms"]))
    f.zjtx_score[:] = cert.zjtx_scores(model.zjtx_key, f.uid_hash)
    zjtx_before = cert.zjtx_eligible(f, model.month)
    model.revenue_rescale = match_above_scale(model, b["above_scale_share"], b["revenue_pareto_alpha"])
    rescale_zjtx(model, zjtx_before)  # right after the rescale: only its changes, not the high-tech matching's
    model.talent.rescale_pool()  # before matching: eligibility reads the filled staff
    model.ht_fit_share, model.shortfall["high_tech"] = match_high_tech(model, round(b["high_tech"]))
    model.zjtx_fit_share, model.shortfall["specialized_sme"] = match_zjtx(model, round(b["specialized_sme"]))
    if model.zjtx_fit_share is not None and model.origin + model.month - 1 < cert.ZJTX_RULES_2022:
        model.zjtx_bar0 = model.zjtx_fit_share  # the young programme's bar, widening over the run (zjtx_bar)
    f.listed[:] = False
    f.listing_pool[:] = False
    f.listed[top_k(np.log(f.revenue) + rng.gumbel(0.0, 1.0, f.n), f.alive, round(b["listed"]))] = True
    rebase(f, SPINUP_MONTHS)
    model.talent.rescale_pool()  # and after: firms moved onto the rules want more staff
    cert.initial_scale_status(f, f.revenue_year)  # the baseline is a December: the year the spin-up has just run
    f.upgraded_small[:] = False
    f.upgraded_strong[:] = False
    f.revenue_jan[:] = f.revenue
    f.revenue_year[:] = 0.0  # month 0 is a January


def resample(model: EcosystemModel, n_doc: int) -> None:
    """Exactly n_doc living firms: a random sample of the spun-up firms, or all of them and random copies."""
    rng, f = model.streams["init"], model.firms
    n = f.n
    if n > n_doc:
        f.take(np.sort(rng.choice(n, size=n_doc, replace=False)))
    elif n < n_doc:
        f.append(copy_rows(f, rng.choice(n, size=n_doc - n, replace=True), COPY_KIND, 0, SPINUP_MONTHS - 1))
    occupancy = np.bincount(f.incubator[f.incubator != NONE], minlength=model.agent_id_counter + 1)
    for inc in model.incubators:
        inc.occupancy = int(occupancy[inc.unique_id])


def copy_rows(f: FirmTable, src: np.ndarray, kind: int, month: int, incubated_by: int) -> dict[str, np.ndarray]:
    """Rows that copy firms `src` as new firms (uids of `kind` and `month`), outside any incubator (the original
    holds the place) and with any incubation ending by month `incubated_by`."""
    rows = {name: col[src].copy() for name, col in f.cols.items() if name not in ("uid", "uid_hash")}
    rows["uid"] = entrant_uids(kind, month, len(src))
    rows["incubator"] = np.full(len(src), NONE, np.int32)
    rows["incubated_until"] = np.minimum(rows["incubated_until"], incubated_by)
    return rows


def match_above_scale(model: EcosystemModel, share: float, alpha: float) -> float:
    """Rescale the revenues of the firms that were there when the spin-up began, so that `share` of all firms
    have 1000万 or more at the baseline, as documented.

    The spin-up's entrants are small (start-ups of ~50万) and, at documented entry rates, most of the
    baseline's firms; the share is the baseline's, so the firms drawn at the start of the spin-up must have
    been that much larger. Growth is multiplicative, so scaling them now is drawing them larger then
    (along the Pareto tail: a factor c moves their share above a level by c^alpha). Ratios (R&D, staff) are
    kept; amounts scale. Returns the factor, kept between 1/3 and 10 (a factor far from 1 says the profile's
    share and its entry rate disagree)."""
    f = model.firms
    big = f.alive & (f.revenue >= 1000.0)
    old = f.alive & (f.born == NONE)
    target = share * np.count_nonzero(f.alive)
    have = np.count_nonzero(big & old)
    want = target - np.count_nonzero(big & ~old)
    if have == 0 or want <= 0:
        return 1.0
    c = float(np.clip((want / have) ** (1.0 / alpha), 1.0 / 3.0, 10.0))
    for name in ("revenue", "revenue_jan", "revenue_year", "rd_last_year", "rd_increase", "ht_revenue"):
        getattr(f, name)[old] *= c
    np.minimum(f.revenue, REVENUE_CAP, out=f.revenue)
    f.labour[old] /= c  # employees are revenue x labour: a firm's head count does not change with the factor
    # Their R&D as if they had been this size all along (the factor stands for drawing them larger): the
    # propensity of the new size, and the history scaled with it, so that a firm keeps the lag of its current
    # and three-year ratios behind its propensity. Setting both to the new propensity instead skipped those
    # lags: firms that had just become R&D-active met the three-year rule at once, and year 1's applicant
    # pool was 10% above its later level per firm (0.0392 against 0.0365, 0.0355 in no-plan Tongzhou).
    rows = np.flatnonzero(old)
    before = f.rd_base[rows].copy()
    rd_traits(f, model.p, rows)
    scale = f.rd_base[rows] / np.maximum(before, 1e-12)
    f.rd_ratio[rows] *= scale
    f.rd_ratio_avg[rows] *= scale
    return c


def match_high_tech(model: EcosystemModel, h_doc: int) -> tuple[float, int]:
    """Keep h_doc certificate holders passing the unspelled rules and set every firm's score against its chance.

    A firm passes when its score is below share x fit_chance(revenue). The share is solved so that the holders'
    chances add up to h_doc; h_doc holders are kept, drawn with those chances, and scores are drawn below (kept)
    or above (dropped) each chance, uniform for every other firm. Returns the share, which entrants and every
    later round use, and the shortfall: how many holders the spin-up lacked even with every firm passing. Those
    are then granted to firms meeting the rules without a certificate, or to the firms closest to the rules,
    moved onto them, as a snapshot would have to: the start is then not settled, and calibration keeps the
    shortfall at zero."""
    rng, f, month, p = model.streams["init"], model.firms, model.month, model.p
    holders = np.flatnonzero(f.alive & (f.ht_until > month))
    chance = cert.fit_chance(f.revenue, p)
    u = rng.random(f.n)
    if len(holders) < h_doc or len(holders) == 0:
        f.ht_score[:] = u  # with this share every living firm passes, as the spin-up assumed
        eligible = cert.high_tech_eligible(f, model.calendar_year, p)
        _grant(model, "ht_until", eligible, h_doc - len(holders), cert.HIGH_TECH_APPROVE_MONTH)
        f.ht_ever[f.ht_until > month] = True
        return 1.0 / max(float(chance[f.alive].min()), 1e-9), h_doc - len(holders)
    # Holders passed the unspelled rules when they were granted, at the revenue they had then (ht_revenue), not
    # necessarily at today's. Kept by today's chance and scored below it, every holder passed at the hand-over,
    # and those renewing in year 1 passed more often (95% of those alive) than in years 2 and 3 (90%, 87%) as
    # revenues moved their chances: year 1's renewals stood above the line of years 2-3 (0.136 against 0.121,
    # 0.130 per certified firm).
    then = cert.fit_chance(f.ht_revenue[holders], p)
    share = _solve_share(then, h_doc)
    keep_p = np.minimum(share * then, 1.0)
    kept_at = rng.choice(len(holders), size=h_doc, replace=False, p=keep_p / keep_p.sum())
    kept = holders[kept_at]
    cap = np.minimum(share * chance, 1.0)
    score = u.copy()  # non-holders: uniform
    failed = np.maximum(cap[holders], keep_p)  # dropped: above their chance, then and now
    score[holders] = failed + u[holders] * (1.0 - failed)
    score[kept] = u[kept] * keep_p[kept_at]  # kept: below their chance when granted
    f.ht_score[:] = score
    lost = f.ht_score >= cap  # firms that fail today never held one (the spin-up ran as if all passed)
    lost[kept] = False
    f.ht_until[lost & (f.ht_until >= 0)] = NONE
    f.ht_ever[lost] = False
    return share, 0


def _solve_share(chance: np.ndarray, k: int) -> float:
    """The share s with sum(min(s x chance, 1)) = k, by bisection (k at most len(chance))."""
    lo, hi = 0.0, 1.0 / max(float(chance.min()), 1e-12)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if np.minimum(mid * chance, 1.0).sum() < k:
            lo = mid
        else:
            hi = mid
    return hi


def rescale_zjtx(model: EcosystemModel, before: np.ndarray) -> None:
    """The 专精特新 certificates of firms whose eligibility the revenue rescale changed, drawn again.

    The rules' thresholds are amounts (R&D of 100万, revenue of 1000万), so scaling revenues moves firms across
    them: with the factor below 1 a quarter to a third of the eligible firms of the Tongzhou spin-up left the pool
    while keeping their certificates (holders per eligible firm 0.80 -> 1.07, measured on the model of
    2026-12-02), and the stock then fell as they came up for renewal. The rescale stands for drawing those firms
    at their right size four years earlier, so a firm whose eligibility it changed holds a certificate with the
    spin-up's own chance for its new state: the share of holders among the eligible, or among the ineligible, firms
    the rescale left as they were. A new holder takes the end month of a random holder's certificate, so the
    renewal calendar stays the spin-up's."""
    rng, f, month = model.streams["init"], model.firms, model.month
    now = cert.zjtx_eligible(f, month)
    held = f.alive & (f.zjtx_until > month)
    same = f.alive & (before == now)
    if not held.any():
        return
    chance = [_share(held, same & ~now, f.alive & ~before), _share(held, same & now, f.alive & before)]
    changed = np.flatnonzero(f.alive & (before != now))
    hold = rng.random(len(changed)) < np.where(now[changed], chance[1], chance[0])
    ends = f.zjtx_until[held]
    f.zjtx_until[changed[~hold & held[changed]]] = NONE
    gain = changed[hold & now[changed] & ~held[changed]]  # a firm failing the rules may keep one, never gain one
    f.zjtx_until[gain] = rng.choice(ends, size=len(gain))


def _share(held: np.ndarray, group: np.ndarray, fallback: np.ndarray) -> float:
    """The share of `group` holding a certificate; of `fallback` when the group is empty."""
    rows = group if group.any() else fallback
    return np.count_nonzero(held & rows) / max(np.count_nonzero(rows), 1)


def match_zjtx(model: EcosystemModel, z_doc: int) -> tuple[float | None, int]:
    """Exactly z_doc 专精特新 holders; returns the points test's fit share (None: every firm passes) and how many
    firms were moved onto the rules.

    Z > z_doc: firms fail a rule the model does not spell out, the points test; the holders kept are those with the
    best standing (zjtx_score), and every firm from then on passes only below it. The spin-up has run the programme
    at the take-up of its years, so the share of the passing firms holding a certificate is the model's own for that
    date, with no backlog to work off: no-plan Tongzhou's new certificates per holder (0.238, 0.225, 0.243 in
    2024-2026, 200 replications) stand as Beijing's own run from 2014 does over those years (0.254, 0.221, 0.217).
    Before the 2022 rules (工信部企业〔2022〕63号, June 2022) the municipal programme was young (Beijing's stock grew
    14-fold to 2024, PE31): the bar then widens over the run (settle, `certification.zjtx_bar`). Read instead as a
    backlog of firms yet to apply (the model before 2026-12-03 for Tongzhou, before 2026-12-04 for the runs from 2014
    and 2015), the withdrawn certificates were drained in year 1: Tongzhou's new certificates per holder 0.511
    against 0.307 and 0.272, Beijing's stock +102% to +272% in 2015 in 16 of 40 posterior replications.

    Z < z_doc: before the 2022 rules the missing certificates go to firms meeting the rules without one (`_grant`);
    after them the pool is too small, and firms are moved onto the rules, as many as the spin-up's share needs for
    z_doc - Z more holders (`_widen_pool`).
    """
    f, month = model.firms, model.month
    holders = np.flatnonzero(f.alive & (f.zjtx_until > month))
    eligible = cert.zjtx_eligible(f, month)
    settled = model.origin + month - 1 >= cert.ZJTX_RULES_2022  # the baseline month, the run's first one's eve
    if len(holders) == z_doc:
        return None, 0
    if len(holders) < z_doc:
        if not settled:
            return None, _grant(model, "zjtx_until", eligible, z_doc - len(holders), cert.ZJTX_APPROVE_MONTH)
        return None, _widen_pool(model, eligible, z_doc - len(holders))
    score = f.zjtx_score[holders]
    ranked = np.sort(score)
    share = float(0.5 * (ranked[z_doc - 1] + ranked[z_doc])) if z_doc > 0 else float(0.5 * ranked[0])
    f.zjtx_until[holders[score >= share]] = NONE
    return share, 0


def _widen_pool(model: EcosystemModel, eligible: np.ndarray, need: int) -> int:
    """`need` more 专精特新 holders at the spin-up's share of the pool: need / share firms closest to the rules are
    moved onto them and `need` of them certified (certificates ending as the holders' do). Returns the number moved."""
    rng, f, month = model.streams["init"], model.firms, model.month
    held = f.alive & (f.zjtx_until > month)
    share = _share(held, eligible, eligible)
    if share <= 0.0 or not held.any():
        return _grant(model, "zjtx_until", eligible, need, cert.ZJTX_APPROVE_MONTH)
    ends = f.zjtx_until[held]
    # High-tech holders first: moved onto the 专精特新 rules (R&D, IP, staff) others would become high-tech applicants
    # the settle has not matched, a high-tech backlog in year 1 (new certificates per certified firm 0.39 / 0.34 /
    # 0.32 in years 1-3 in those replications, against 0.32 / 0.30 / 0.28 elsewhere; holders first: 0.37 / 0.34 / 0.32,
    # year 1 +0.010 +- 0.008 off the line of years 2-3, against +0.006 +- 0.003 elsewhere; 200 replications of the
    # model of 2026-12-02).
    k, candidates = round(need / share), f.alive & ~eligible & ~held
    moved = _closest(model, candidates & (f.ht_until > month), k, "zjtx_until")
    if len(moved) < k:
        rest = candidates.copy()
        rest[moved] = False
        moved = np.concatenate([moved, _closest(model, rest, k - len(moved), "zjtx_until")])
    grant = rng.choice(moved, size=min(need, len(moved)), replace=False)
    f.zjtx_until[grant] = rng.choice(ends, size=len(grant))
    if len(grant) < need:  # too few firms could be moved: the rest from the pool
        _grant(model, "zjtx_until", cert.zjtx_eligible(f, month), need - len(grant), cert.ZJTX_APPROVE_MONTH)
    return len(moved)


def _grant(model: EcosystemModel, column: str, eligible: np.ndarray, need: int, round_month: int) -> int:
    """Certify `need` more firms: eligible firms without a certificate first, then the firms closest to the
    rules, moved onto them. Returns how many had to be moved (the rules' pool fell short by that many)."""
    rng, f, month = model.streams["init"], model.firms, model.month
    valid = getattr(f, column) > month
    pool = np.flatnonzero(eligible & ~valid)
    grant = rng.choice(pool, size=min(need, len(pool)), replace=False)
    short = need - len(grant)
    if short:
        grant = np.concatenate([grant, _closest(model, f.alive & ~eligible & ~valid, short, column)])
    getattr(f, column)[grant] = rng.choice(model.next_months(round_month, 3, after=month), size=len(grant))
    return short


def _closest(model: EcosystemModel, candidates: np.ndarray, k: int, column: str) -> np.ndarray:
    """The k candidates closest to a certificate's rules (highest R&D propensity, of a size the rule admits,
    at least two years old), moved onto them: the fallback when the spin-up left too few firms able to hold it."""
    rng, f = model.streams["init"], model.firms
    room = candidates & (f.age >= 24)
    if column == "zjtx_until":  # only SMEs can hold 专精特新
        room &= cert.is_sme(f)
    idx = top_k(f.rd_base + rng.gumbel(0, 0.01, f.n), room, k)
    if column == "zjtx_until":
        small = idx[f.revenue[idx] < cert.ZJTX_MIN_REVENUE]
        f.revenue[small] = sme_tail_revenue(rng, len(small), model.baseline["revenue_pareto_alpha"])
        need = np.maximum(0.03, 100.0 / f.revenue[idx])
    else:
        need = cert.high_tech_rd_threshold(f.revenue[idx], model.calendar_year)
    staff = cert.staff_threshold(model.calendar_year, model.p)
    onto_rules(model, idx, need + 0.003, rng.uniform(staff + 0.02, 0.3, len(idx)))
    return idx


def sme_tail_revenue(rng: np.random.Generator, n: int, alpha: float) -> np.ndarray:
    """Revenues from the profile's Pareto tail between 1000万 and the SME ceiling of 4亿 (an SME whatever its head
    count), one uniform each. A uniform 1000-3000万 piled the moved firms into a small district's top 5% and flattened
    its tail past the revenue_tail law (Hill index 2.7 in a 1,360-firm plan, seed 4967, tests/test_invariants.py)."""
    lo, hi = cert.ZJTX_MIN_REVENUE, cert.SME_REVENUE_CEILING
    u = rng.random(n) * (1.0 - (lo / hi) ** alpha)
    return np.minimum(lo * (1.0 - u) ** (-1.0 / alpha), np.nextafter(hi, 0.0))


def onto_rules(model: EcosystemModel, idx: np.ndarray, rd: np.ndarray, staff: np.ndarray) -> None:
    """Firms that meet a certificate's rules from now on: R&D-active, with IP, at least this R&D and staff."""
    f = model.firms
    f.active_u[idx] = 0.0
    f.rd_floor[idx] = np.maximum(f.rd_floor[idx], rd)
    f.staff_floor[idx] = np.maximum(f.staff_floor[idx], staff)
    rd_traits(f, model.p, idx)
    f.rd_ratio[idx] = f.rd_ratio_avg[idx] = f.rd_base[idx]
    f.staff_eff[idx] = f.staff_share[idx]
    f.ip[idx] = True


def rebase(f: FirmTable, months: int) -> None:
    """Shift month columns so that month `months` of the spin-up becomes month 0 of the run.

    Past months stay in the past; none may become the NONE sentinel (-1), which means 'never'."""
    for name in UNTIL_COLUMNS:
        col = getattr(f, name)
        was = col != NONE
        col[was] -= months
        col[was & (col == NONE)] = NONE - 1
    f.born[:] = NONE  # firms of the spin-up are baseline firms
    f.new[:] = False


__all__ = ["SPINUP_MONTHS", "Incubator", "pipeline", "seed_population", "settle"]
