"""Plausibility laws: bounds every run must obey, each set from a documented figure.

A law is not fitted; it is what no documented place has ever shown. A run that breaks one is a
model bug until explained (the runaway R&D of the first calibration reached 94% of GDP, where the
most R&D-intensive zone on record reports 15.42%). `check(model)` runs them every month under
`--debug` and in the tests, and raises `LawBroken` naming the law, the month and the value.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import InvariantError

if TYPE_CHECKING:
    from .sim import EcosystemModel

RD_INTENSITY_MAX = 15.42  # % (seed 002)
RD_SHARE_LARGE_MAX = 0.1542  # R&D / revenue of firms of 1亿元 and more (seed 002)
SIZE_BANDS = (0.0, 1000.0, 10_000.0, 100_000.0, np.inf)  # 万元: <1000万, 1000万-1亿, 1亿-10亿, >=10亿
BAND_SLACK = 1.25  # a larger band may exceed the band below by this factor (few firms, noisy aggregates)
MIN_BAND_FIRMS = 20
GROWTH_BOUNDS = {"high_tech": (-0.25, 0.50), "specialized_sme": (-0.25, 0.60)}
MIN_STOCK = 50  # firms simulated: below this a year's growth is noise, not a law
TAIL_BOUNDS = (0.7, 1.6)
TAIL_MIN_FIRMS = 50
TAIL_SE = 3.0  # standard errors of the Hill estimate beyond the bound before the law fires


class LawBroken(InvariantError):
    """A plausibility law failed."""


@dataclass(frozen=True)
class Law:
    name: str
    text: str
    source: str
    check: Callable[[EcosystemModel], tuple[float, str] | None]  # (value, bound) when broken


def _rd_intensity(m: EcosystemModel) -> tuple[float, str] | None:
    v = m.snapshot["rd_intensity"]
    return None if v <= RD_INTENSITY_MAX else (v, f"<= {RD_INTENSITY_MAX}%")


def band_ratios(m: EcosystemModel) -> list[tuple[float, int]]:
    """(aggregate R&D / revenue, firms) of R&D-active firms in each size band."""
    f = m.firms
    act = f.alive & f.active
    rev, rd = f.revenue[act], (f.rd_ratio * f.revenue)[act]
    band = np.digitize(rev, SIZE_BANDS[1:-1])
    out = []
    for b in range(len(SIZE_BANDS) - 1):
        sel = band == b
        n = int(sel.sum())
        out.append((float(rd[sel].sum() / rev[sel].sum()) if n else 0.0, n))
    return out


def _rd_share_by_size(m: EcosystemModel) -> tuple[float, str] | None:
    ratios = band_ratios(m)
    for k, (r, n) in enumerate(ratios):
        if k >= 2 and n >= MIN_BAND_FIRMS and r > RD_SHARE_LARGE_MAX:
            return r, f"<= {RD_SHARE_LARGE_MAX} in the band from {SIZE_BANDS[k]:g}万"
    # from 1000万 up; below it start-ups and incubatees spend less of their revenue (PE25: 6.68%)
    bands = [(r, n) for r, n in ratios[1:] if n >= MIN_BAND_FIRMS]
    for (lo, _), (hi, _) in itertools.pairwise(bands):
        if hi > BAND_SLACK * lo:
            return hi, f"<= {BAND_SLACK} x the smaller band's {lo:.3f} (R&D share falls with size)"
    return None


def _growth_bounds(indicator: str, before: float, scale: float) -> tuple[float, float] | None:
    """The yearly growth the law allows from a stock of `before` (None: too small a stock to judge)."""
    if before / scale < MIN_STOCK:
        return None
    lo, hi = GROWTH_BOUNDS[indicator]
    slack = 3.0 / np.sqrt(before / scale)  # sampling noise of a small stock
    return lo - slack, hi + slack


def _territory(m: EcosystemModel, last_month: int) -> float:
    """How many times the firms territory events made in the year to `last_month`: a stock that grows with its
    territory (E-Town's 2019 expansion, whose firms join with their certificates) is compared on one territory."""
    steps = m.territory_steps
    return float(np.prod([x for month, x in steps.items() if last_month - 12 < month <= last_month] or [1.0]))


def _yearly_growth(m: EcosystemModel, now: float, before: float, last_month: int) -> float:
    """A stock's growth over the year to `last_month`, on one territory."""
    return now / before / _territory(m, last_month) - 1.0


def _growth(indicator: str) -> Callable[[EcosystemModel], tuple[float, str] | None]:
    def check(m: EcosystemModel) -> tuple[float, str] | None:
        if m.calendar_month != 12:
            return None
        series = m.datacollector.model_vars[indicator]
        if len(series) < 13:  # a year since the baseline row, which counts: the first year is checked too
            return None
        now, before = series[-1], series[-13]
        bounds = _growth_bounds(indicator, before, m.scale)
        if bounds is None:
            return None
        g = _yearly_growth(m, now, before, m.month)
        return None if bounds[0] <= g <= bounds[1] else (g, f"in [{bounds[0]:.2f}, {bounds[1]:.2f}]")
    return check


def growth_excess(m: EcosystemModel) -> float:
    """How far the largest yearly move of the high-tech or 专精特新 stock over a finished run lies beyond its growth
    law (0: every year within): the calibration's constraint that a fit keeps the laws."""
    worst = 0.0
    for indicator in GROWTH_BOUNDS:
        series = m.datacollector.model_vars[indicator]
        for j in range(12, len(series)):
            if (m.origin + j - 1) % 12 != 11:  # row j is model month j - 1's; row 0 the baseline
                continue
            bounds = _growth_bounds(indicator, series[j - 12], m.scale)
            if bounds is not None:
                g = _yearly_growth(m, series[j], series[j - 12], j - 1)
                worst = max(worst, g - bounds[1], bounds[0] - g)
    return float(worst)


def hill_index(revenue: np.ndarray, top: float = 0.05) -> float | None:
    """Hill estimator of the Pareto tail index on the top share of revenues (None with too few firms)."""
    k = int(top * len(revenue))
    if k < TAIL_MIN_FIRMS:
        return None
    r = np.sort(revenue)[::-1]
    return float(1.0 / np.mean(np.log(r[:k] / r[k])))


def _tail(m: EcosystemModel) -> tuple[float, str] | None:
    """The bound allows the estimator's own noise (standard error a / sqrt(k), Hill 1975): with the 50 largest of
    1,000 firms an index of 1.0 falls below 0.7 about once in a hundred months by chance alone (a random
    scenario of the suite did). A run whose winners compound stays out however many firms it has."""
    f = m.firms
    revenue = f.revenue[f.alive]
    a = hill_index(revenue)
    if a is None:
        return None
    lo, hi = TAIL_BOUNDS
    slack = TAIL_SE * a / np.sqrt(int(0.05 * len(revenue)))
    return None if lo <= a + slack and a - slack <= hi else (a, f"in [{lo}, {hi}] (+- {TAIL_SE:g} standard errors)")


def _finite(m: EcosystemModel) -> tuple[float, str] | None:
    for k, v in m.snapshot.items():
        if not np.isfinite(v) or (k != "increment_index" and v < 0):
            return v, f"{k} finite and >= 0"
    return None


LAWS: tuple[Law, ...] = (
    Law("rd_intensity", f"district R&D spending is at most {RD_INTENSITY_MAX}% of GDP",
        "seed 002: Zhongguancun's specialised parks, the most R&D-intensive zone on record, 15.42%; Beijing "
        "6.73% (bj-rd-intensity-2023)", _rd_intensity),
    Law("rd_share_by_size", "among R&D-active firms of 1000万元 and more the aggregate R&D share falls with size "
        f"(within a factor {BAND_SLACK} from band to band; bands 1000万-1亿, 1亿-10亿, 10亿+) and firms of 1亿元 or "
        f"more spend at most {RD_SHARE_LARGE_MAX:.2%}",
        "seed 002: 15.42% in the specialised parks (mostly SMEs); the whole Zhongguancun zone, where large firms "
        "weigh most, 5.2% (zgc-rd-2023 over zgc-hightech-2022); the high-tech rules ask less of larger firms "
        "(5/4/3%); smaller firms spend less (PE25: incubated firms 6.68%), so the law starts at 1000万",
        _rd_share_by_size),
    Law("high_tech_growth", "the high-tech stock grows at most 50% and falls at most 25% in a year",
        "the fastest documented pace is 24% a year (Beijing 2014-2016: bj-hightech-2014, -2016; E-Town 17-19% "
        "a year in 2010-2020: bda-hightech-2010, seed 000); no documented fall (bj-hightech-2019, -2023)",
        _growth("high_tech")),
    Law("specialized_sme_growth", "the 专精特新 stock grows at most 60% and falls at most 25% in a year",
        "Beijing's stock grew about 29% a year from 2022-10 to 2024-09 (PE29-PE31)", _growth("specialized_sme")),
    Law("revenue_tail", f"the largest firms stay on the documented tail: the Pareto index of the top 5% of "
        f"revenues stays in {TAIL_BOUNDS}",
        "Axtell (2001): firm sizes follow Zipf's law, tail index 1.06; the calibration's runs give 0.97-1.11; winners "
        "that compound pull the index down", _tail),
    Law("counts_finite", "every indicator is finite, every count and amount non-negative", "arithmetic", _finite),
)


def breaches(model: EcosystemModel) -> list[str]:
    """Every law broken this month, as 'name: month M: value V (bound B)'."""
    out = []
    for law in LAWS:
        hit = law.check(model)
        if hit is not None:
            value, bound = hit
            out.append(f"{law.name}: month {model.month} ({model.calendar_year}-{model.calendar_month:02d}): "
                       f"value {value:.4g}, bound {bound}")
    return out


def check(model: EcosystemModel) -> None:
    broken = breaches(model)
    if broken:
        raise LawBroken("plausibility law broken: " + "; ".join(broken))


def granted_to_eligible(model: EcosystemModel, what: str, eligible: np.ndarray, granted: dict) -> None:
    """Certificates go only to firms that met the rules when they were granted."""
    rows = np.concatenate(list(granted.values()))
    bad = rows[~eligible[rows]]
    if len(bad):
        raise LawBroken(f"certificate_rules: month {model.month}: {len(bad)} {what} certificates granted to "
                        "firms that did not meet the rules")
