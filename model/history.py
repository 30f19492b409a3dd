"""Documented history: what the record says about places and periods the model can run, read as intervals.

Each `Figure` is one documented number dated inside a historical run: E-Town from end-2015
(scenarios/bda-2016-2020.toml) or Beijing citywide from end-2014 (scenarios/beijing-2014-2024.toml).
It says how the model measures it from a run's monthly indicators, how the source's wording becomes an
interval, and its role:

- "fit": the calibration (ABC-SMC) is fitted on it;
- "out": out of sample, never used to set anything; the backtest's real test;
- "input": it set an input of the run (a profile range or value was derived from it), so agreeing is no test.

`innosim backtest` and `innosim calibrate` both read this table: one list of what history says.
Ids are those of calibration/figures.toml or of the policy-evidence table (PE..).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .months import month_index

RUNS = {"bda": "bda-2016-2020.toml", "beijing": "beijing-2014-2024.toml"}
RUN_TITLES = {"bda": ("北京经开区 2016-2020", "E-Town 2016-2020"), "beijing": ("北京市 2015-2024", "Beijing 2015-2024")}
ROLES = ("fit", "out", "input")
EXACT = 0.03  # an exact count or statistic, read as +-3%: revisions, batch dates and rounding


class Table:
    """One run's indicators by name (arrays over months, row 0 the baseline) with its calendar."""

    def __init__(self, values: dict[str, np.ndarray], start: str) -> None:
        self.values, self.start = values, start

    def row(self, month: str) -> int:
        row = month_index(month, self.start) + 1
        # a month before the baseline would index from the end of the arrays: a later month's value, silently
        if not 0 <= row < len(next(iter(self.values.values()))):
            raise ValueError(f"{month} is outside the run ({self.start} and after)")
        return row

    def at(self, indicator: str, month: str) -> float:
        return float(self.values[indicator][self.row(month)])

    def flow(self, indicator: str, year: int) -> float:
        """What a cumulative indicator added in calendar `year`."""
        return self.at(indicator, f"{year}-12") - self.at(indicator, f"{year - 1}-12")

    def end(self, indicator: str) -> float:
        return float(self.values[indicator][-1])


@dataclass(frozen=True)
class Figure:
    id: str
    run: str
    zh: str
    en: str
    value: float  # the documented value, in the unit shown
    low: float
    high: float
    unit: str
    reading: str  # how the source's words become [low, high], and how the model measures it
    role: str
    measure: Callable[[Table], float]
    indicator: str  # the series drawn with the figure's point
    date: str  # YYYY-MM of the point on the chart
    factor: float = 1.0  # shown value = indicator value x factor
    flow: bool = False  # the figure is what a cumulative indicator added in the year (charts show yearly flows)
    source: str = ""  # the id in calibration/figures.toml or the evidence table, when this row reads it another way

    @property
    def figure_id(self) -> str:
        return self.source or self.id

    def inside(self, p10: float, p90: float) -> bool:
        """Does the model's P10-P90 band meet the documented interval?"""
        return p10 <= self.high and p90 >= self.low

    def value_inside(self, p10: float, p90: float) -> bool:
        """Does the band hold the documented value itself? Stricter than `inside` for a figure the source gives as a
        point (exact or about: its value inside its interval): a band 1% short of an exact figure meets its +-3%
        interval but not the value. A figure given as a bound or a range ('超过1200家', '8%以上', 51,497-66,000)
        has its value at an end of its interval, a value the source does not claim: for it, `inside`."""
        if self.low < self.value < self.high:
            return p10 <= self.value <= p90
        return self.inside(p10, p90)


def exact(v: float, tol: float = EXACT) -> tuple[float, float]:
    return v * (1 - tol), v * (1 + tol)


def about(v: float) -> tuple[float, float]:
    return v * 0.9, v * 1.1


def more_than(v: float, step: float) -> tuple[float, float]:
    """'超过 v', with v rounded to `step`: the count lies in [v, v + step), else the source would say more."""
    return v, v + step


def factor_of(v: float, k: float = 1.5) -> tuple[float, float]:
    return v / k, v * k


def _at(indicator: str, month: str, factor: float = 1.0) -> Callable[[Table], float]:
    return lambda t: factor * t.at(indicator, month)


def _flow(indicator: str, year: int) -> Callable[[Table], float]:
    def measure(t: Table) -> float:
        return t.flow(indicator, year)
    measure.flow = True  # type: ignore[attr-defined]
    return measure


def _end(indicator: str, factor: float = 1.0) -> Callable[[Table], float]:
    return lambda t: factor * t.end(indicator)


def _fig(id: str, run: str, zh: str, en: str, value: float, bounds: tuple[float, float], unit: str, reading: str,
         role: str, measure: Callable[[Table], float], indicator: str, date: str, factor: float = 1.0,
         source: str = "") -> Figure:
    flow = getattr(measure, "flow", False)
    return Figure(id, run, zh, en, value, bounds[0], bounds[1], unit, reading, role, measure, indicator, date, factor,
                  flow, source)


YI = 1e-4  # 万元 -> 亿元
PCT = 100.0

FIGURES: tuple[Figure, ...] = (
    # ------------------------------------------------------------------ E-Town, end-2015 to end-2020
    _fig("bda-hightech-2020", "bda", "经开区高新技术企业 2020", "E-Town high-tech firms 2020", 1200,
         more_than(1200, 100), "家", "'超过1200家' (seed 000): 1200-1300; the count of the territory after the 2019 "
         "expansion (profile bda-2015, event 2019-12)", "fit", _at("high_tech", "2020-12"), "high_tech", "2020-12"),
    _fig("bda-gdp-2020", "bda", "经开区GDP 2020", "E-Town GDP 2020", 2045.4, exact(2045.4), "亿元",
         "exact, +-3%; nominal; the profile's growth range was derived from it with bda-gdp-2015",
         "input", _at("gdp", "2020-12", YI), "gdp", "2020-12", YI),
    # ------------------------------------------------------------------ Beijing, end-2014 to end-2024
    _fig("bj-hightech-2016", "beijing", "北京高新技术企业 2016", "Beijing high-tech firms 2016", 16000,
         about(16000), "家", "'1.6万', about: +-10%", "fit", _at("high_tech", "2016-12"), "high_tech", "2016-12"),
    _fig("bj-hightech-2019", "beijing", "北京高新技术企业 2019", "Beijing high-tech firms 2019", 27000,
         more_than(27000, 1000), "家", "'>27,000': 27,000-28,000", "fit", _at("high_tech", "2019-12"),
         "high_tech", "2019-12"),
    _fig("PE28", "beijing", "北京高新技术企业 2021", "Beijing high-tech firms 2021", 27600, exact(27600), "家",
         "exact, +-3%", "out", _at("high_tech", "2021-12"), "high_tech", "2021-12"),
    _fig("bj-hightech-2023", "beijing", "北京高新技术企业 2023", "Beijing high-tech firms 2023", 28300,
         exact(28300), "家", "'2.83万', exact: +-3%", "out", _at("high_tech", "2023-12"), "high_tech", "2023-12"),
    _fig("PE27", "beijing", "北京高企认定 2020 (含重新认定)", "Beijing high-tech certifications in 2020", 10259,
         (10259, 10968), "家", "10,259 filed (备案) and 10,968 proposed (拟认定) in four batches, renewals "
         "included: the model's certificates granted in 2020 (first, again, renewed)", "fit",
         _flow("ht_certified_cum", 2020), "ht_certified_cum", "2020-12"),
    _fig("PE29", "beijing", "北京专精特新 2022-10", "Beijing 专精特新 firms 2022-10", 5360, exact(5360), "家",
         "exact, +-3%", "fit", _at("specialized_sme", "2022-10"), "specialized_sme", "2022-10"),
    _fig("PE30", "beijing", "北京专精特新 2023年中", "Beijing 专精特新 firms mid-2023", 6323, exact(6323), "家",
         "exact, +-3%; '截至目前' in a mid-2023 report, read as June", "out", _at("specialized_sme", "2023-06"),
         "specialized_sme", "2023-06"),
    _fig("PE31", "beijing", "北京专精特新 2024-09", "Beijing 专精特新 firms 2024-09", 8754, exact(8754), "家",
         "exact, +-3%", "fit", _at("specialized_sme", "2024-09"), "specialized_sme", "2024-09"),
    # What Beijing's 专精特新 firms are like (the sources of PE29 and PE30), against the model's holders then
    _fig("PE30-revenue", "beijing", "专精特新企业平均营收 2022", "专精特新 firms' mean revenue 2022", 1.3,
         more_than(1.3, 0.1), "亿元", "'2022 SRDI average revenue >1.3亿元' (PE30's source): 1.3-1.4亿; the mean "
         "revenue of the model's holders in December 2022", "out", _at("zjtx_mean_revenue", "2022-12", YI),
         "zjtx_mean_revenue", "2022-12", YI, "PE30"),
    _fig("PE29-rd10", "beijing", "专精特新研发投入超10%占比", "专精特新 firms with R&D over 10% of sales", 60.0,
         more_than(60.0, 10.0), "%", "'Over 60% have R&D >10% of sales' (PE29's source, 2022-10): 60-70%; the "
         "model's holders by this year's R&D share", "out", _at("zjtx_rd10_share", "2022-10", PCT),
         "zjtx_rd10_share", "2022-10", PCT, "PE29"),
    _fig("PE29-staff20", "beijing", "专精特新研发人员超20%占比", "专精特新 firms with R&D staff over 20%", 90.0,
         (90.0, 100.0), "%", "'over 90% R&D staff >20%' (PE29's source, 2022-10): 90-100%; the model's holders by "
         "their R&D staff share", "out", _at("zjtx_staff20_share", "2022-10", PCT), "zjtx_staff20_share", "2022-10",
         PCT, "PE29"),
    _fig("bj-techfirms-2017", "beijing", "北京科技型企业 2017", "Beijing tech firms ~2017", 488000, about(488000),
         "家", "'48.8万', about: +-10%, in November 2017 (the report's date); it bounded the profile's entry range",
         "input", _at("living_firms", "2017-11"), "living_firms", "2017-11"),
    _fig("zgc-rd-2023-new-techfirms", "beijing", "新设科技型企业 2023", "New tech firms 2023", 51497, (51497, 66000),
         "家", "Zhongguancun zone's 51,497 new tech firms (zgc-rd-2023) is the city's floor; up to 6.6万 with firms "
         "outside the zone's statistics (profile beijing-2023): the model's tech entries in 2023; it set the "
         "profile's entry rate from 2018", "input",
         _flow("entries_cum", 2023), "entries_cum", "2023-12"),
    _fig("bj-rd-2016", "beijing", "北京R&D经费 2016", "Beijing R&D spending 2016", 1479.8, exact(1479.8), "亿元",
         "exact, +-3%; the profile's 2014 R&D is back-cast from it (two years at 6-8%) and its GDP of 2014 and "
         "2016 derived from it (R&D / intensity), so agreeing tests two years of growth only", "input",
         _at("rd_spending", "2016-12", YI), "rd_spending", "2016-12", YI),
    _fig("bj-rd-2016-intensity", "beijing", "北京R&D强度 2016", "Beijing R&D intensity 2016", 5.94, exact(5.94), "%",
         "exact, +-3%; with bj-rd-2016 it sets the profile's GDP of 2016 (R&D / intensity), an input; "
         "bj-rd-2016 is one too, so 2016 is no test of the model's R&D", "input", _at("rd_intensity", "2016-12"),
         "rd_intensity",
         "2016-12"),
    _fig("bj-rd-2019", "beijing", "北京R&D经费 2019", "Beijing R&D spending 2019", 2233.6, exact(2233.6), "亿元",
         "exact, +-3%", "out", _at("rd_spending", "2019-12", YI), "rd_spending", "2019-12", YI),
    _fig("bj-rd-2019-intensity", "beijing", "北京R&D强度 2019", "Beijing R&D intensity 2019", 6.31, exact(6.31), "%",
         "exact, +-3%; with bj-rd-2019 it sets the profile's GDP of 2019 (R&D / intensity), an input, so the "
         "year's test of the model's R&D is bj-rd-2019", "input", _at("rd_intensity", "2019-12"), "rd_intensity",
         "2019-12"),
    _fig("bj-rd-2021", "beijing", "北京R&D经费 2021", "Beijing R&D spending 2021", 2629.3, exact(2629.3), "亿元",
         "exact, +-3%", "out", _at("rd_spending", "2021-12", YI), "rd_spending", "2021-12", YI),
    _fig("bj-rd-2021-intensity", "beijing", "北京R&D强度 2021", "Beijing R&D intensity 2021", 6.53, exact(6.53), "%",
         "exact, +-3%; with bj-rd-2021 it sets the profile's GDP of 2021 (R&D / intensity), an input, so the "
         "year's test of the model's R&D is bj-rd-2021", "input", _at("rd_intensity", "2021-12"), "rd_intensity",
         "2021-12"),
    _fig("bj-rd-intensity-2023", "beijing", "北京R&D强度 2023", "Beijing R&D intensity 2023", 6.73, exact(6.73), "%",
         "exact, +-3%", "out", _at("rd_intensity", "2023-12"), "rd_intensity", "2023-12"),
    _fig("bj-rd-intensity-2024", "beijing", "北京R&D强度 2024", "Beijing R&D intensity 2024", 6.58, exact(6.58), "%",
         "exact, +-3%; on GDP revised by the 2023 economic census", "out", _at("rd_intensity", "2024-12"),
         "rd_intensity", "2024-12"),
    _fig("bj-gdp-2022", "beijing", "北京GDP 2022", "Beijing GDP 2022", 41610.9, exact(41610.9), "亿元",
         "exact, +-3%; a point of the profile's documented GDP path (its gdp events)", "input",
         _at("gdp", "2022-12", YI), "gdp", "2022-12", YI),
    _fig("bj-gdp-2023", "beijing", "北京GDP 2023", "Beijing GDP 2023", 43760.7, exact(43760.7), "亿元",
         "exact, +-3%; as bj-gdp-2022", "input", _at("gdp", "2023-12", YI), "gdp", "2023-12", YI),
    _fig("bj-gdp-2024", "beijing", "北京GDP 2024", "Beijing GDP 2024", 49843.1, exact(49843.1), "亿元",
         "exact, +-3%; revised by the 2023 economic census; a point of the profile's GDP path, as bj-gdp-2022",
         "input", _at("gdp", "2024-12", YI), "gdp", "2024-12", YI),
    # exit rates of young firms, counted on every firm of the Beijing run (2015-2024) as the registry counts them: by
    # calendar year of life, the founding year being the first (about half a year of exposure)
    _fig("PE44-y1", "beijing", "企业成立当年退出率", "Exit rate, founding year", 1.6, factor_of(1.6), "%",
         "registry deregistrations of all Chinese firms, 2000-2012: another caliber than tech firms' exits, read "
         "within a factor 1.5", "out", _end("exit_hazard_y1", PCT), "exit_hazard_y1", "2024-12", PCT, "PE44"),
    _fig("PE44-y2", "beijing", "企业第2年退出率", "Exit rate, second year", 6.3, factor_of(6.3), "%",
         "as PE44-y1", "fit", _end("exit_hazard_y2", PCT), "exit_hazard_y2", "2024-12", PCT, "PE44"),
    _fig("PE44-y3", "beijing", "企业第3年退出率", "Exit rate, third year", 9.5, factor_of(9.5), "%",
         "as PE44-y1", "out", _end("exit_hazard_y3", PCT), "exit_hazard_y3", "2024-12", PCT, "PE44"),
    _fig("PE44-y4-7", "beijing", "企业第4-7年退出率", "Exit rate, years 4-7", 8.0, (8.0, 12.0), "%",
         "'之后一直维持在8%以上高点' to year 7: 8-12%", "fit", _end("exit_hazard_y4_7", PCT), "exit_hazard_y4_7",
         "2024-12", PCT, "PE44"),
    # Zhongguancun's specialised parks (seed 002, 2023) against the city's R&D-active firms in December 2023:
    # park tenants are the innovation-doing part of the city's tech firms (a mapping we assume)
    _fig("zgc-parks-hightech-2023", "beijing", "特色园区高企占比 2023", "ZGC parks: high-tech share 2023", 33.5,
         (30.0, 37.0), "%", "1669 of 4978 firms (seed 002), +-10%: the high-tech share of R&D-active firms", "fit",
         _at("active_high_tech_share", "2023-12", PCT), "active_high_tech_share", "2023-12", PCT),
    _fig("zgc-parks-rd-intensity-2023", "beijing", "特色园区研发强度 2023", "ZGC parks: R&D intensity 2023", 15.42,
         (12.3, 18.5), "%", "15.42% (seed 002), +-20% as the averaging is not stated: the mean R&D share of "
         "R&D-active firms", "fit", _at("active_rd_ratio_mean", "2023-12", PCT), "active_rd_ratio_mean", "2023-12",
         PCT),
    _fig("zgc-parks-rd-intensity-2023-aggregate", "beijing", "特色园区研发强度(总量口径) 2023",
         "ZGC parks: aggregate R&D intensity 2023", 15.42, (12.3, 18.5), "%",
         "the same 15.42% read as R&D over revenue of all R&D-active firms together", "out",
         _at("active_rd_ratio_aggregate", "2023-12", PCT), "active_rd_ratio_aggregate", "2023-12", PCT,
         "zgc-parks-rd-intensity-2023"),
    _fig("zgc-tz-keyfirms-2024m11-hightech", "beijing", "规上重点企业中高企占比",
         "High-tech share of above-scale firms", 59.7, (45.0, 70.0), "%",
         "142 of 238 above-scale key firms of ZGC Tongzhou Park (2024) are national high-tech: the share among the "
         "city's above-scale tech firms in December 2023 (the park's 2024 statistics, Jan-Nov, count as above-scale "
         "the firms over the threshold on 2023's revenue); the park's key firms are selected, so the city's may be "
         "lower: read 45-70%", "fit", _at("above_scale_high_tech_share", "2023-12", PCT),
         "above_scale_high_tech_share", "2023-12", PCT),
    _fig("zgc-parks-listed-2023", "beijing", "特色园区上市企业占比 2023", "ZGC parks: listed share 2023", 3.2,
         (2.6, 3.8), "%", "160 of 4978 firms (seed 002), +-20%: the listed share of R&D-active firms", "out",
         _at("active_listed_share", "2023-12", PCT), "active_listed_share", "2023-12", PCT),
)
BY_ID = {f.id: f for f in FIGURES}


def measure(run: str, table: Table) -> dict[str, float]:
    """Every figure of a run measured on one replication's table."""
    return {f.id: f.measure(table) for f in FIGURES if f.run == run}


def miss(low: float, high: float, x: float) -> float:
    """0 inside [low, high], else the distance to it in units of the interval's width (the calibration's distance
    sums it over the fitted figures)."""
    return (max(low - x, 0.0) + max(x - high, 0.0)) / (high - low)


# Beijing's R&D from 2019: one note for the spending and the intensity of each year, which since 2026-12-05 test the
# same thing (the GDP is the documented one, an input).
_RD_NOTE = (
    "The model's R&D grows more slowly than Beijing's: its intensity is nearly flat after 2016 (P50 6.09% in 2016, "
    "5.92% in 2019, 6.22% in 2023; 200 replications) while Beijing's rose from 5.94% to 6.73%, so from 2019 the "
    "model's R&D is 6-8% low and inside only by its band's top. The GDP follows the documented points (beijing-2014's "
    "gdp events: R&D over intensity for 2016-2021, bj-gdp-2022 to 2024), so a year's spending and intensity are one "
    "test of the model's R&D; until the second stop of 2026-12-05 a single growth rate from 2014 left the 2019 GDP "
    "9% low, and the spending missed by 11-12% while the intensities stood inside. The R&D super-deduction's steps "
    "(50% to 75% in 2017-2018, 100% in 2021-2023) are modelled since the fifth stop of 2026-12-05 (rd_tax.py, PE13's "
    "elasticity, claimed more by larger firms, PE16): they raise the city's R&D by 0.6% in 2019 and 1.3-1.4% in "
    "2023-2024 at P50. The rest of the rise is not in the model: R&D outside firms keeps its 2014 share of GDP, "
    "and the sources split Beijing's R&D by performer in no year. The firms' baseline drift (growth_drift, 0.02 a year "
    "by hand) moves the trend: at 0.05 the intensity rises from 6.1% in 2016 to 6.9% in 2023 (posterior mean, one at a "
    "time); fitted with the committed figures (2026-12-06) it came out at 0.032, not pinned down, with more exits and "
    "less R&D per firm, and the trend did not move; with bj-rd-2021 fitted too it came out at 0.046 and put 2019, "
    "2023 and 2024 within 2% at P50, out of sample, but lowered each firm's R&D (PE29-rd10 and the parks' aggregate "
    "share fell out) and exited more small firms (PE44-y4-7 out): 28 of 35, neither adopted (docs/history.md, "
    "\"The firms' drift fitted, twice\"). With PE29-rd10 fitted as well (eighth stop) it came out at 0.041 with each "
    "firm's R&D closer to the committed level: 2019, 2023 and 2024 within 3% at P50, PE31 inside, the key firms' "
    "share and the parks' aggregate share out, 29 of 35 (strict 27); the candidate for adoption (docs/history.md, "
    "\"The drift alone, and a third fit with the holders' R&D in sight\").")

# What a miss means, by figure id: written from the backtest's results, never a tuning of the model.
NOTES: dict[str, str] = {
    "bj-rd-2019": _RD_NOTE,
    "bj-rd-2019-intensity": _RD_NOTE,
    "bj-rd-2021": _RD_NOTE,
    "bj-rd-2021-intensity": _RD_NOTE,
    "bj-rd-intensity-2023": _RD_NOTE,
    "bj-rd-intensity-2024": _RD_NOTE,
    "PE44-y1": (
        "A miss since PE44 is read as the registry counts it (2026-12-06): by calendar year of life, the founding year "
        "the first, with about half a year of exposure in it. So read, the model's firms exit in their founding year "
        "at P50 0.42% against 1.6% (by exact age, ages 0-11 months, 1.5%), and in their second at 3.7% against 6.3% "
        "(PE44-y2, fitted, inside by its band): the hazard rises too slowly, and exit_age_scale (P50 13.7 months) is "
        "about twice what the registry's pattern asks (4-6 months). A refit on this reading, with the prior widened to "
        "2-24 months, kept the slow rise (15 months) and fitted worse (25 of 35): not adopted (docs/history.md, \"PE44 "
        "read as the registry counts it\"). The registry counts all Chinese firms of 2000-2012, another caliber than "
        "a tech district's, which is why the interval is a factor 1.5 wide; the model's first year is below even "
        "that. A hazard rising linearly from a firm's first month (not as a square) put it on the figure out of "
        "sample (P50 1.61%), in a refit the budget cut a generation early that lost another figure (29 of 35) and let "
        "firms of 4-7 years exit at 15.9%; refitted to convergence, 27 of 35 with them at 16.8%: not adopted "
        "(docs/history.md, \"The exit hazard's onset made linear\")."),
    "PE44-y4-7": (
        "A tension, left visible. The calibration needs many exits of older firms to keep Beijing's high-tech "
        "stock nearly flat from 2019 (27,000+ to 28,300) while 5-6.6万 tech firms enter a year (an input); it "
        "puts the exit rate of firms in their fourth to seventh year at 7.5-16% a year (P50 10.4%, read by calendar "
        "year of life as the registry counts them) against PE44's 8-12% (the posterior fitted before the 专精特新 "
        "take-up steps, 2026-12-04: P50 18% by exact age, inside only at the band's lower edge). PE44 counts "
        "deregistrations of "
        "all Chinese registered firms 2000-2012: a firm that stops operating often stays on the register for "
        "years, so the registry's hazard is a floor for the model's exits (a firm ceasing to be an active tech "
        "firm). Part of the gap is that caliber; the rest says the model lacks a second brake on the high-tech "
        "stock (a falling certification rate among older firms, or non-renewal), for the evidence on the "
        "certification tax notch to settle."),
    "PE31": (
        "A miss (P50 -24%, P90 8,231, after the law screen) since the platform spill-overs were held at a density cap "
        "(2026-12-05; -22% and inside only by its band before: fast growers of the runaway industries crossed the "
        "1000万 rule), after PE29 and PE30 near their P50 (-4%, -9%). The fit keeps the "
        "take-up steady across both rule changes (zjtx_take_up_step_* near 1), as the documented steady growth "
        "asks, so what slows the model in 2024 is its pool. What "
        "bounds the stock is the pool of firms meeting the 专精特新 rules (100万 of R&D and 3% of revenue, 1000万 "
        "of revenue, IP, an SME): firms of 1000万 or more that do R&D. In the model's Beijing it is about "
        "10,000 firms in 2024-09 and grows about 5% a year; two thirds of it is certified by January 2024, so "
        "the stock grows +8% in 2024 (P50 of 40 replications; +12% with the posterior of 2026-12-03) where "
        "Beijing's grew ~29% a year (PE30 to PE31), and PE31 would need 88% of the pool certified (measured on "
        "the posterior of 2026-12-03). The documented holders are larger "
        "than the model's: PE30's source gives "
        "them an average revenue above 1.3亿 in 2022, the model's average 0.58亿 (PE30-revenue), among about "
        "19,700 tech firms of 1000万 or more and 4,200 of 5000万 or more. That count comes from the "
        "beijing-2014 profile's above-scale share (2.5-5% of tech firms, an estimate no figure documents) and "
        "its Pareto tail. With the share at 0.08 (16 replications, the same posterior, before the SME ceiling "
        "was read as written) the pool was 41% larger and holders averaged 0.71亿, but the run overshot PE29 "
        "by 47% with take-up before 2022 as fitted: the fix is a size distribution fitted to documented "
        "figures, not a share set by hand. A calibration that also fitted a factor on the profiles' shares "
        "(2026-12-03: 2.8) put PE31 at +10%, but lowered the firms' R&D level, so that Beijing's R&D in 2019 "
        "and 2021 and PE29-rd10 fell out of their bands; it was not adopted (docs/history.md). The holders "
        "are also more staff-intensive than the model's (PE29-staff20). A run from the beijing-2023 profile "
        "misses PE31 (tests/test_settled_start.py). A 专精特新 P(meet) from the model is more likely too low than "
        "too high. A refit with the R&D super-deduction (2026-12-05) reached PE31 (P50 +6%) through larger take-up "
        "steps (2022 x1.56, 2023 x1.27), but broke the 专精特新 growth law in E-Town's run ten years past its "
        "horizon (1 of 40 replications) and lost the park's key firms' high-tech share: not adopted "
        "(docs/history.md). The firms' drift fitted with Beijing's 2021 R&D (2026-12-06) put PE31 inside at P50 -13% "
        "through faster-growing firms, with Beijing's R&D on its documented trend, but lowered each firm's R&D and "
        "exited more small firms (28 of 35, not adopted; docs/history.md, \"The firms' drift fitted, twice\")."),
    "PE30-revenue": (
        "A real miss, and why the model falls short of PE31: its 专精特新 firms are less than half the size of "
        "Beijing's (P50 0.58亿 against more than 1.3亿 in 2022). Its Beijing has about 19,700 tech firms of 1000万 "
        "or more and 4,200 of 5000万 or more (2022-10, 16 replications); Beijing's 5,360 holders at a mean of 1.3亿 "
        "would need 6,970亿, more than all the model's firms between 5000万 and 4亿 have together (P50 4,280亿, P90 "
        "5,590亿) and 93% of what all its firms between 1000万 and 4亿 have (7,480亿). Picking the largest of the "
        "firms that meet the rules, as many as the holders, would still average 0.64-1.24亿 (docs/history.md): "
        "what is short is firms above 1亿, not a selection among them. The count of mid-size firms comes from the "
        "profiles' above-scale share and Pareto tail, estimates no figure documents (PE31's note: a share set by "
        "hand to 8% raised the mean from 0.56亿 to 0.71亿 and overshot PE29). Part may "
        "be caliber: the source's mean may include the little giants. Since 2026-12-03 the SME ceiling is read as "
        "the industrial standard writes it (工信部联企业〔2011〕300号: under 1000 employees or under 4亿; the model "
        "had asked for both): that raised this mean from 0.54亿 to 0.60亿 and PE31's P50 from -14% to -12%."),
    "PE29-rd10": (
        "Inside (P50 66% against 60-70%). With the posterior fitted before the 专精特新 take-up steps (2026-12-04) "
        "it was inside only by its band (P50 59%), and earlier 51%: the share moves with the fitted R&D level."),
    "PE29-staff20": (
        "A real miss (P50 25% against over 90%). In the model a firm's R&D staff share does not rise with its R&D "
        "intensity: an R&D-active firm wants about 15% of its employees in R&D (lognormal, sd 0.5 in logs) whatever "
        "it spends. It matters through the high-tech rule (at least 10% S&T staff): the unspelled rules' share, set "
        "at the hand-over from the documented stock, makes up for a staff rule passed too rarely; the 专精特新 "
        "rules do not test staff. Tying staff to spending would not close it: at "
        "zgc-tz-rd-2024m11's cost per R&D worker (35.4亿 over 11 months for 8,533 staff, about 45万 a year) and "
        "the model's 50万 of revenue per employee, a staff share over 20% needs R&D over about 18% of sales, which "
        "few holders spend. The figure implies a looser head count of R&D staff (people counted who do R&D part "
        "time) or a lower cost per R&D worker in SMEs than in the park's key firms: a caliber gap, left visible."),
    "zgc-tz-keyfirms-2024m11-hightech": (
        "Selection and definition. The 238 'above-scale key firms' of ZGC Tongzhou park are chosen by the park "
        "(重点企业), and 60% are high-tech; the model's figure is the high-tech share of all of Beijing's "
        "above-scale tech firms (P50 41%, inside only by its band's top, 48%; a miss at 31-33% with the "
        "posteriors before the 专精特新 take-up steps). In the model about half of the firms above 1000万 do no "
        "R&D in earnest "
        "(the chance of doing R&D rises with size, rd_active_size_elasticity, from a low base), so they cannot "
        "be certified. The reading 45-70% already allowed for selection; the gap says either the city's "
        "above-scale tech firms are far less R&D-active than a park's key firms, or the model's activity chance "
        "rises too slowly with size. The fitted ZGC parks' share among R&D-active firms (33.5%) is inside."),
    "zgc-parks-rd-intensity-2023-aggregate": (
        "The same 15.42% (seed 002) read the other way. Read as the mean R&D share of R&D-active firms it is "
        "fitted and inside (P50 18%); read as R&D over revenue of all of them together it is 11% (P90 13.6%, "
        "inside only by its band's top; 8-9% and a miss with the posteriors before the 专精特新 take-up steps), "
        "because in the model the R&D share falls with size (rd_size_elasticity, posterior -0.21 to -0.02) and "
        "large firms "
        "weigh most. Seed 002 does not say how it averages; both readings cannot hold in the model at once. If "
        "the parks' figure is an aggregate, large R&D-active firms spend too little in the model."),
    "zgc-parks-listed-2023": (
        "Not comparable as mapped. 160 of the 4,978 firms of Zhongguancun's specialised parks are listed (3.2%); "
        "the mapping takes park tenants for the city's R&D-active firms, and the model lists 0.5% of those. "
        "Specialised parks gather leading firms, so listed firms are concentrated in them (a selection the "
        "mapping ignores); the city's listed count is a baseline input of the profile and the listing pipeline "
        "is not calibrated on any city figure. Kept in the table, out of sample, as a reminder that the "
        "listing target of a plan rests on an uncalibrated mechanism."),
}
