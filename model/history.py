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
    def measure(t: Table) -> float:
        return factor * t.end(indicator)
    measure.at_end = True  # type: ignore[attr-defined]  # read at the run's end, whatever its date
    return measure


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
         "model's holders by this year's R&D share", "fit", _at("zjtx_rd10_share", "2022-10", PCT),
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
         "exact, +-3%", "fit", _at("rd_spending", "2021-12", YI), "rd_spending", "2021-12", YI),
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
    "On Beijing's trend since the posterior of 2026-12-06 (eighth stop) fitted the firms' baseline drift "
    "(growth_drift, U(0, 0.06), 0.041 at its mean, 90% 0.021-0.057) with bj-rd-2021 and PE29-rd10 in the fit: "
    "the intensity at P50 6.18% in 2016, 6.12% in 2019, 6.70% in 2023 and 6.58% in 2024 (documented 5.94%, 6.31%, "
    "6.73%, 6.58%; 200 replications), the spending of 2019 and 2021 3% low. With the drift at 0.02 by hand (the "
    "posterior before) the intensity was nearly flat after 2016 (6.22% in 2023) and the spending from 2019 6-8% low, "
    "inside only by its band's top. The GDP follows the documented points (beijing-2014's gdp events: R&D over "
    "intensity for 2016-2021, bj-gdp-2022 to 2024), so a year's spending and intensity are one test of the model's "
    "R&D. The R&D super-deduction's steps (50% to 75% in 2017-2018, 100% in 2021-2023, rd_tax.py, PE13's elasticity, "
    "claimed more by larger firms, PE16) raised the city's R&D by 0.6% in 2019 and 1.3-1.4% in 2023-2024 at P50 "
    "(posterior before). R&D outside firms keeps "
    "its 2014 share of GDP: the sources split Beijing's R&D by performer in no year. bj-rd-2021 is calibrated on; "
    "2019, 2023 and 2024 are out of sample (docs/history.md, \"The drift alone, and a third fit with the holders' "
    "R&D in sight\").")

# What a miss means, by figure id: written from the backtest's results, never a tuning of the model.
NOTES: dict[str, str] = {
    "bj-rd-2019": _RD_NOTE,
    "bj-rd-2019-intensity": _RD_NOTE,
    "bj-rd-2021": _RD_NOTE,
    "bj-rd-2021-intensity": _RD_NOTE,
    "bj-rd-intensity-2023": _RD_NOTE,
    "bj-rd-intensity-2024": _RD_NOTE,
    "PE44-y1": (
        "A miss since PE44 is read as the registry counts it (2026-12-06): by calendar year of life, the founding "
        "year the first, with about half a year of exposure in it. So read, the model's firms exit in their founding "
        "year at P50 0.33% against 1.6% (0.42% with the posterior before the drift was fitted), and in their second "
        "at 3.4% against 6.3% (PE44-y2, fitted, inside by its band): the hazard rises too slowly, and exit_age_scale "
        "(posterior median 19.9 months) is several times what the registry's pattern asks (4-6 months). A refit on "
        "this reading, with the prior widened to 2-24 months, kept the slow rise (15 months) and fitted worse (25 of "
        "35): not adopted (docs/history.md, \"PE44 read as the registry counts it\"). The registry counts all "
        "Chinese firms of 2000-2012, another caliber than a tech district's, which is why the interval is a factor "
        "1.5 wide; the model's first year is below even that. A hazard rising linearly from a firm's first month "
        "(not as a square) put it on the figure out of sample (P50 1.61%), in a refit the budget cut a generation "
        "early that lost another figure (29 of 35) and let firms of 4-7 years exit at 15.9%; refitted to "
        "convergence, 27 of 35 with them at 16.8%: not adopted (docs/history.md, \"The exit hazard's onset made "
        "linear\")."),
    "PE44-y4-7": (
        "A tension, left visible. The calibration needs many exits of older firms to keep Beijing's high-tech stock "
        "nearly flat from 2019 (27,000+ to 28,300) while 5-6.6万 tech firms enter a year (an input), and more with "
        "the posterior fitted with the firms' drift (2026-12-06; why was not isolated). It puts the exit rate of "
        "firms in their fourth to seventh year at P50 14.8% a year (P10-P90 10.1-18.6%, read by calendar year of "
        "life as the registry counts them) against PE44's 8-12%, inside only by the band's lower end (10.4% with the "
        "posterior before). PE44 counts deregistrations of all Chinese registered firms 2000-2012: a firm that stops "
        "operating often stays on the register for years, so the registry's hazard is a floor for the model's exits "
        "(a firm ceasing to be an active tech firm). Part of the gap is that caliber; the rest says the model lacks "
        "a second brake on the high-tech stock (a falling certification rate among older firms, or non-renewal), for "
        "the evidence on the certification tax notch to settle."),
    "PE31": (
        "Inside (P50 -9%, P10-P90 5,269-9,972; PE29 +13%, PE30 +10%) since the posterior of 2026-12-06 fitted the "
        "firms' baseline drift (growth_drift 0.041 against 0.02 by hand): firms grow faster, so more of them cross "
        "the 1000万 and 100万-of-R&D rules: the pool of firms meeting the 专精特新 rules is about 13,000 in 2024-09 "
        "and grows 4-8% a year from 2022-10 (4 replications at the scenario's one firm in 10; with the posterior "
        "before, on the same engine, about 11,500, growing 4-6% a year), and 33-64% of it holds a certificate. But "
        "the pace is still too slow after PE30: the model's P50 grows 14% from mid-2023 to 2024-09 where Beijing's "
        "grew 38%, and meets PE31 because it stands above PE29 and PE30. With the posterior before it was a miss "
        "(P50 -24%, P90 8,231): more than half of that smaller pool was certified by January 2024, so the stock grew "
        "+8% in 2024 (P50 of 40 replications) where Beijing's grew ~29% a year (PE30 to PE31). The fit keeps the "
        "take-up near steady across both rule changes (zjtx_take_up_step_2022 1.21, 90% 0.95-1.58; "
        "zjtx_take_up_step_2023 0.97, not pinned down), as the documented steady growth asks. The band is wide (59% "
        "of P50; 53% with the posterior before). The documented holders are still larger than the model's "
        "(PE30-revenue) and more staff-intensive (PE29-staff20). Earlier attempts: a factor on the profiles' "
        "above-scale shares (2026-12-03: 2.8) put PE31 at +10% but lowered the firms' R&D level, so that Beijing's "
        "R&D and PE29-rd10 fell out; larger take-up steps (2026-12-05: 2022 x1.56, 2023 x1.27) put it at +6% but "
        "broke the 专精特新 growth law in E-Town's run ten years past its horizon and lost the park's key firms' "
        "high-tech share; neither was adopted (docs/history.md). A run from the beijing-2023 profile still misses "
        "PE31 (tests/test_settled_start.py)."),
    "PE30-revenue": (
        "A real miss: the model's 专精特新 firms are less than half the size of Beijing's (P50 0.60亿 against more "
        "than 1.3亿 in 2022). Measured with an earlier posterior: its Beijing had about 19,700 tech firms of 1000万 "
        "or more and 4,200 of 5000万 or more (2022-10, 16 replications); Beijing's 5,360 holders at a mean of 1.3亿 "
        "would need 6,970亿, more than all the model's firms between 5000万 and 4亿 had together (P50 4,280亿, P90 "
        "5,590亿) and 93% of what all its firms between 1000万 and 4亿 had (7,480亿). Picking the largest of the "
        "firms that meet the rules, as many as the holders, would still average 0.64-1.24亿 (docs/history.md): what "
        "is short is firms above 1亿, not a selection among them. The count of mid-size firms comes from the "
        "profiles' above-scale share and Pareto tail, estimates no figure documents (a share set by hand to 8% "
        "raised the mean from 0.56亿 to 0.71亿 and overshot PE29 by 47%). Part may be caliber: the source's mean may "
        "include the little giants. Since 2026-12-03 the SME ceiling is read as the industrial standard writes it "
        "(工信部联企业〔2011〕300号: under 1000 employees or under 4亿; the model had asked for both): that raised "
        "this mean from 0.54亿 to 0.60亿."),
    "PE29-rd10": (
        "Calibrated on since 2026-12-06 (eighth stop), so that the distance sees each firm's R&D ratio while it fits "
        "the firms' drift: inside by its band, P50 59.8% (P10-P90 44.2-68.4%) against 60-70%. Out of sample and "
        "fitted on nothing else, a fit of the drift had halved each R&D-active firm's R&D and put it at 42% "
        "(docs/history.md, \"The firms' drift fitted, twice\"); with the posterior before, 66-68%. The share moves "
        "with the fitted R&D level (rd_active_median, posterior mean 0.111, 0.128 before)."),
    "PE29-staff20": (
        "A real miss (P50 24% against over 90%). In the model a firm's R&D staff share does not rise with its R&D "
        "intensity: an R&D-active firm wants about 15% of its employees in R&D (lognormal, sd 0.5 in logs) whatever "
        "it spends. It matters through the high-tech rule (at least 10% S&T staff): the unspelled rules' share, set "
        "at the hand-over from the documented stock, makes up for a staff rule passed too rarely; the 专精特新 rules "
        "do not test staff. Tying staff to spending would not close it: at zgc-tz-rd-2024m11's cost per R&D worker "
        "(35.4亿 over 11 months for 8,533 staff, about 45万 a year) and the model's 50万 of revenue per employee, a "
        "staff share over 20% needs R&D over about 18% of sales, which few holders spend. The figure implies a "
        "looser head count of R&D staff (people counted who do R&D part time) or a lower cost per R&D worker in SMEs "
        "than in the park's key firms: a caliber gap, left visible."),
    "zgc-tz-keyfirms-2024m11-hightech": (
        "Selection and definition. The 238 'above-scale key firms' of ZGC Tongzhou park are chosen by the park "
        "(重点企业), and 60% are high-tech; the model's figure is the high-tech share of all of Beijing's "
        "above-scale tech firms: P50 34.9% (P10-P90 29.8-43.2%), a miss by 2 points of the band, calibrated on (with "
        "the posterior before the firms' drift was fitted, 41% and inside only by its band's top; 31-33% before the "
        "专精特新 take-up steps). In the model about half of the firms above 1000万 do no R&D in earnest (the chance "
        "of doing R&D rises with size, rd_active_size_elasticity, from a low base), so they cannot be certified. The "
        "reading 45-70% already allowed for selection; the gap says either the city's above-scale tech firms are far "
        "less R&D-active than a park's key firms, or the model's activity chance rises too slowly with size. The "
        "fitted ZGC parks' share among R&D-active firms (33.5%) is inside."),
    "zgc-parks-rd-intensity-2023-aggregate": (
        "The same 15.42% (seed 002) read the other way. Read as the mean R&D share of R&D-active firms it is fitted "
        "and inside (P50 17.5%); read as R&D over revenue of all of them together it is 9.5% (P10-P90 7.4-11.6%), a "
        "miss (11% and inside only by its band's top with the posterior before the firms' drift was fitted; 8-9% and "
        "a miss before the 专精特新 take-up steps), because in the model the R&D share falls with size "
        "(rd_size_elasticity, posterior -0.25 to -0.07) and large firms weigh most; it fell from 11.3% to 9.5% with "
        "the drift fitted and rd_active_median lower (0.111 against 0.128), which of the two moved it was not "
        "isolated. Seed 002 does not say how it averages; both readings cannot hold in the model at once. If the "
        "parks' figure is an aggregate, large R&D-active firms spend too little in the model."),
    "zgc-parks-listed-2023": (
        "Not comparable as mapped. 160 of the 4,978 firms of Zhongguancun's specialised parks are listed (3.2%); "
        "the mapping takes park tenants for the city's R&D-active firms, and the model lists 0.5% of those. "
        "Specialised parks gather leading firms, so listed firms are concentrated in them (a selection the "
        "mapping ignores); the city's listed count is a baseline input of the profile and the listing pipeline "
        "is not calibrated on any city figure. Kept in the table, out of sample, as a reminder that the "
        "listing target of a plan rests on an uncalibrated mechanism."),
}
