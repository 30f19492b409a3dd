"""Certifications as rules, not rates.

高新技术企业 (national high-tech enterprise), 《高新技术企业认定管理办法》(国科发火〔2016〕32号, from
  2016): registered at least one year; owns core IP; S&T staff at least 10% of employees; R&D expense
  over the last three years at least 5% / 4% / 3% of revenue for revenue up to 5000万 / 5000万-2亿
  / above 2亿; then an expert score (approval step). Valid three years; the firm must re-apply.
  Before 2016 (国科发火〔2008〕172号) the smallest band needed 6%, and the staff rule was stricter (30%
  college-educated S&T staff, 10% R&D staff): `old_staff_threshold` reads it in R&D-staff terms.
  The >=60% high-tech product revenue rule, the expert score and whether the certificate is worth the
  application are the firm's `ht_score` against the replication's `fit_share` x R / (R + high_tech_fit_size)
  (R its revenue): established firms pass more often (PE16: take-up of tax incentives rises with taxable
  position; the 15% rate is worth nothing without profit). population.py identifies the share at the
  baseline from the documented stock.

专精特新中小企业, 《优质中小企业梯度培育管理暂行办法》(工信部企业〔2022〕63号), simplified:
  an SME (under 1000 employees or under 4亿 revenue, the industrial ceiling of 工信部联企业〔2011〕300号); at least two
  years in its niche; last year's R&D at least 100万 and at least 3% of revenue; revenue at least
  1000万, or guidance-fund/venture equity in the last two years (we use a deployed guidance-fund
  ticket); owns IP. Valid three years. The rules' points test (专业化、精细化、特色化、创新能力, 60 points
  of 100) is not spelled out: it is the firm's `zjtx_score` (a uniform fixed by its identity) against the
  replication's `zjtx_fit_share`, which population.py identifies at a baseline after the 2022 rules from
  the documented stock (None before: every firm passes).

规上 / 小升规 / 规升强: see sectors.py for thresholds; status is reviewed once a year on annual
revenue, as the statistics bureau does.

上市挂牌: candidates are firms with revenue of at least 5000万 holding a high-tech or 专精特新
certificate. Each January the listing pipeline (上市培育库, size set by the scenario) is topped up
with the largest candidates; pool firms list at listing_rate_pool a year, other candidates at
the lower listing_rate_outside.
"""

from __future__ import annotations

import numpy as np

from .firms import FirmTable
from .sectors import ABOVE_SCALE_THRESHOLD, SECTORS, STRONG_THRESHOLD_WAN
from .streams import hashed_uniforms, uniform_at

VALIDITY_MONTHS = 36
# Application (mid-year) and approval are one step at the approval month.
HIGH_TECH_APPROVE_MONTH = 11  # November: lists are published late in the year
ZJTX_APPROVE_MONTH = 9  # a batch month: certificates granted when the spin-up starts or at the baseline end in it
# Beijing certifies 专精特新 firms in batches through the year (its stock grew 5,360 -> 6,323 between October
# and June, PE29-PE30): a batch each quarter, taking a quarter of the year's applicants.
ZJTX_BATCH_MONTHS = (3, 6, 9, 12)
# From mid-2022 the national rules (工信部企业〔2022〕63号) made the programme a priority, and from mid-2023 Beijing's
# policy package (PE32, published 2023-06-21) added grants of up to 200万 in a certified firm's first year and 500万
# over its second and third: the take-up before and the two steps, each a factor of the take-up before it
# (zjtx_take_up). Beijing's stock grew at a steady ~30% a year over both steps (5,360 in 2022-10, 6,323 in mid-2023,
# 8,754 in 2024-09: PE29-PE31); a single step in June 2022 drained the backlog at once (the run from 2014 stood 13%
# above PE30 and had slowed to +18% by 2024), and steps drawn apart broke the growth law (docs/history.md).
ZJTX_RULES_2022 = 2022 * 12 + 5  # calendar month index (year * 12 + month - 1) of June 2022
ZJTX_PACKAGE_2023 = 2023 * 12 + 5  # June 2023
ZJTX_SCORE_KEY = 0x7A6A7478  # mixed into the run's certification key for the points-test standing ('zjtx')
REVIEW_MONTH = 12  # statistics review of above-scale status
LISTING_POOL_MONTH = 1

_SCALE = np.array([ABOVE_SCALE_THRESHOLD[s] for s in SECTORS])


RULES_2016 = 2016  # the year the 2016 rules (国科发火〔2016〕32号) took effect


def high_tech_rd_threshold(revenue: np.ndarray, year: int = RULES_2016) -> np.ndarray:
    """R&D expense ratio required for the size band: 5% / 4% / 3% (6% / 4% / 3% before 2016)."""
    small = 0.05 if year >= RULES_2016 else 0.06
    return np.where(revenue <= 5000.0, small, np.where(revenue <= 20000.0, 0.04, 0.03))


def staff_threshold(year: int, p: dict[str, float]) -> float:
    """R&D staff share the rules of `year` require (see the module docstring)."""
    return 0.10 if year >= RULES_2016 else p["old_staff_threshold"]


def fit_chance(revenue: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """How much likelier a firm of this revenue passes the unspelled rules than the largest: R / (R + size)."""
    return revenue / (revenue + p["high_tech_fit_size"])


def passes_unspelled(f: FirmTable, p: dict[str, float] | None, fit_share: float | None) -> np.ndarray | bool:
    """The rules the model does not spell out; None: every firm passes (the spin-up, before the share is known)."""
    if fit_share is None or p is None:
        return True
    return f.ht_score < fit_share * fit_chance(f.revenue, p)


def high_tech_eligible(f: FirmTable, year: int = RULES_2016, p: dict[str, float] | None = None,
                       fit_share: float | None = None) -> np.ndarray:
    staff = f.staff_eff  # share filled after the talent constraint (talent.py)
    return (
        f.alive
        & passes_unspelled(f, p, fit_share)
        & (f.age >= 12)
        & f.ip
        & (staff >= (0.10 if p is None else staff_threshold(year, p)))
        & (f.rd_ratio_avg >= high_tech_rd_threshold(f.revenue, year))
    )


def high_tech_valid(f: FirmTable, month: int) -> np.ndarray:
    return f.alive & (f.ht_until > month)


def high_tech_round(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float],
                    year: int = RULES_2016, fit_share: float | None = None) -> dict[str, np.ndarray]:
    """Annual application (June) and approval (November) in one step at the approval month.

    Applicants are eligible firms without a certificate valid beyond this year's round, i.e.
    first-time applicants and firms whose certificate expires within the coming year. Returns the
    rows certified for the first time, re-certified after a lapse, and renewed.
    """
    eligible = high_tech_eligible(f, year, p, fit_share)
    # Certificates end in November, the month of the round: a firm whose certificate ends
    # now or within the year renews in this round.
    expiring = (f.ht_until >= month) & (f.ht_until < month + 12)
    uncertified = f.ht_until < month
    in_pool = f.pool_until > month
    uplift = p["pool_apply_uplift"] * in_pool
    p_apply = np.where(expiring, p["recert_apply_prob"], p["high_tech_apply_prob"] + uplift)
    rows = np.flatnonzero(eligible & (expiring | uncertified))  # only these can apply: only they draw
    applies = rows[uniform_at(rng, rows, f.n) < np.minimum(p_apply[rows], 1.0)]
    p_approve = np.where(expiring, p["recert_approval_prob"], np.minimum(p["high_tech_approval_prob"] + uplift, 1.0))
    approved = applies[uniform_at(rng, applies, f.n) < p_approve[applies]]
    renewed = approved[expiring[approved]]
    fresh = approved[~expiring[approved]]
    # A renewal starts when the old certificate ends; a first certificate starts now.
    f.ht_until[renewed] += VALIDITY_MONTHS
    f.ht_until[fresh] = month + VALIDITY_MONTHS
    f.ht_revenue[approved] = f.revenue[approved]
    first = fresh[~f.ht_ever[fresh]]
    f.ht_ever[fresh] = True
    return {"first": first, "again": fresh[~np.isin(fresh, first)], "renewed": renewed}


def zjtx_scores(key: int, uid_hash: np.ndarray) -> np.ndarray:
    """Firms' standing on the 专精特新 points test the model does not spell out: a uniform fixed by the run's key
    (seed and replication) and the firm's identity (no stream draws it, so it moves no other draw); lower passes."""
    return hashed_uniforms(key ^ ZJTX_SCORE_KEY, 0, 0, uid_hash)


SME_REVENUE_CEILING = 40000.0  # 万元: 4亿, the industrial ceiling of 工信部联企业〔2011〕300号
ZJTX_MIN_REVENUE = 1000.0  # 万元: the 专精特新 rules' revenue floor (a funded firm is exempt)


def is_sme(f: FirmTable) -> np.ndarray:
    """中小企业 under the industrial ceiling of 工信部联企业〔2011〕300号, '从业人员1000人以下或营业收入40000万元以下':
    fewer than 1000 employees or less than 4亿 of revenue. Until 2026-12-03 the model asked for both."""
    return (f.employees() < 1000) | (f.revenue < SME_REVENUE_CEILING)


def zjtx_eligible(f: FirmTable, month: int, fit_share: float | None = None) -> np.ndarray:
    """Firms meeting the 专精特新 rules; with a fit_share, only those scoring below it pass the points test."""
    rd_spend = f.rd_ratio_avg * f.revenue
    funded = f.equity_until > month
    return (
        f.alive
        & (f.age >= 24)
        & f.ip
        & is_sme(f)
        & (rd_spend >= 100.0)
        & (f.rd_ratio_avg >= 0.03)
        & ((f.revenue >= ZJTX_MIN_REVENUE) | funded)
        & (True if fit_share is None else f.zjtx_score < fit_share)
    )


def zjtx_take_up(calendar: int, p: dict[str, float]) -> float:
    """The yearly share of eligible firms applying in this calendar month (year * 12 + month - 1). Each rule
    change steps the take-up from the one before (zjtx_take_up_step_*): drawn apart, the three take-ups let a
    posterior particle jump from 0.15 to 0.8 at one change, against the stock's steady documented growth."""
    y = p["zjtx_apply_prob_before_2022"]
    if calendar >= ZJTX_RULES_2022:
        y *= p["zjtx_take_up_step_2022"]
    if calendar >= ZJTX_PACKAGE_2023:
        y *= p["zjtx_take_up_step_2023"]
    return min(y, 1.0)


def zjtx_bar(bar0: float, since: int, calendar: int, p: dict[str, float]) -> float | None:
    """The young programme's points-test bar at `calendar` (year * 12 + month - 1), widening from `bar0` at
    `since` by `zjtx_widening_before_2022` a year until the 2022 rules fixed it; None once every firm passes."""
    years = (min(calendar, ZJTX_RULES_2022) - since) / 12.0
    bar = bar0 * (1.0 + p["zjtx_widening_before_2022"]) ** max(years, 0.0)
    return None if bar >= 1.0 else bar


def zjtx_round(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float],
               batches: int = len(ZJTX_BATCH_MONTHS), calendar: int = ZJTX_PACKAGE_2023,
               fit_share: float | None = None) -> dict[str, np.ndarray]:
    """One of the year's `batches` 专精特新 batches; returns the rows certified anew and those renewed.

    A firm meeting the rules applies in a batch with the chance that makes the yearly take-up of `calendar`
    (year * 12 + month - 1; zjtx_take_up); a certificate ending before the next batch is renewed in this one."""
    eligible = zjtx_eligible(f, month, fit_share)
    window = 12 // batches
    expiring = (f.zjtx_until >= month) & (f.zjtx_until < month + window)
    candidates = eligible & ((f.zjtx_until < month) | expiring)
    yearly = zjtx_take_up(calendar, p)
    per_batch = 1.0 - (1.0 - yearly) ** (1.0 / batches)
    p_apply = np.where(expiring, p["recert_apply_prob"], per_batch)
    p_approve = np.where(expiring, p["recert_approval_prob"], p["zjtx_approval_prob"])
    rows = np.flatnonzero(candidates)
    apply_draw, approve_draw = uniform_at(rng, rows, f.n), uniform_at(rng, rows, f.n)
    approved = rows[(apply_draw < p_apply[rows]) & (approve_draw < p_approve[rows])]
    renewed = approved[expiring[approved]]
    fresh = approved[~expiring[approved]]
    f.zjtx_until[renewed] += VALIDITY_MONTHS
    f.zjtx_until[fresh] = month + VALIDITY_MONTHS
    return {"new": fresh, "renewed": renewed}


def in_cultivation_system(f: FirmTable, month: int) -> np.ndarray:
    """The plan's 梯度培育体系: firms holding a high-tech or 专精特新 certificate or in the 培育库.

    The plan counts 小升规 / 规升强 among the firms it cultivates ('建立科技型中小企业、高新技术企业、
    “小升规”、“规升强”企业的梯度培育体系'), not every firm that happens to cross a threshold.
    """
    return (f.ht_until > month) | (f.zjtx_until > month) | (f.pool_until > month)


def scale_review(f: FirmTable, month: int) -> tuple[int, int]:
    """Yearly 规上 review in December, on the year's revenue (`revenue_year`), as the statistics bureau classifies
    by annual main-business revenue. Returns (new 小升规 firms, new 规升强 firms) counted towards the plan:
    firms of the cultivation system, not attracted, each firm at most once per kind. 规升强 needs
    last year's 规上 status, so a firm that jumps from below 规上 to 1亿 in one year counts as
    小升规 that year and can count as 规升强 only later.

    Until 2026-12-06 the review read December's revenue rate. A firm's rate moves by the whole of each year's
    growth shock, its year's revenue by about the mean of two years' shocks, so the rate crossed the thresholds
    back and forth more often (in the plan, firms of the cultivation system falling out of 规上 over 2024-2026:
    about 100 then, 65 since); the plan's 小升规 + 规升强 moved little (P50 224 to 215)."""
    revenue = f.revenue_year
    above = f.alive & (revenue >= _SCALE[f.sector])
    strong = above & (revenue >= STRONG_THRESHOLD_WAN)
    counted = in_cultivation_system(f, month) & ~f.attracted
    small_up = counted & above & ~f.above_scale & ~f.upgraded_small
    strong_up = counted & strong & f.above_scale & ~f.strong & ~f.upgraded_strong
    f.upgraded_small[small_up] = True
    f.upgraded_strong[strong_up] = True
    f.above_scale[:] = above
    f.strong[:] = strong
    return int(small_up.sum()), int(strong_up.sum())


def initial_scale_status(f: FirmTable, revenue: np.ndarray) -> None:
    """规上 and strong status on `revenue` (the last year's, or the drawn firms' when there is none)."""
    f.above_scale[:] = f.alive & (revenue >= _SCALE[f.sector])
    f.strong[:] = f.above_scale & (revenue >= STRONG_THRESHOLD_WAN)


def listing_candidates(f: FirmTable, month: int) -> np.ndarray:
    """Firms a listing pipeline would take: certified, with revenue of 5000万 or more (our estimate of where an
    exchange or NEEQ listing becomes worth its cost; no source in the project gives a threshold)."""
    certified = (f.ht_until > month) | (f.zjtx_until > month)
    return f.alive & ~f.listed & (f.revenue >= 5000.0) & certified


def fill_listing_pool(f: FirmTable, month: int, size: int) -> int:
    """Each January the pool is topped up to `size` with the largest certified candidates."""
    f.listing_pool[:] &= f.alive & ~f.listed
    free = size - int(f.listing_pool.sum())
    if free <= 0:
        return 0
    cand = np.flatnonzero(listing_candidates(f, month) & ~f.listing_pool)
    if len(cand) > free:
        cand = cand[np.argpartition(-f.revenue[cand], free - 1)[:free]]
    f.listing_pool[cand] = True
    return len(cand)


def listings(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float]) -> int:
    cand = np.flatnonzero(listing_candidates(f, month) | (f.listing_pool & f.alive & ~f.listed))
    rate = np.where(f.listing_pool[cand], p["listing_rate_pool"], p["listing_rate_outside"])
    new = cand[uniform_at(rng, cand, f.n) < 1.0 - np.exp(-rate / 12.0)]
    f.listed[new] = True
    f.listing_pool[new] = False
    return len(new)
