"""Every string a chart shows, in Chinese and English. Charts take their words from here only."""

from __future__ import annotations

from .indicators import INDICATORS

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "fan_title": {"zh": "{name}：预测与目标", "en": "{name}: projection and target"},
    "fan_subtitle": {"zh": "{scenario}，{n} 次模拟", "en": "{scenario}, {n} replications"},
    "p50": {"zh": "中位数 (P50)", "en": "median (P50)"},
    "band_80": {"zh": "P10–P90 区间", "en": "P10–P90 band"},
    "band_50": {"zh": "P25–P75 区间", "en": "P25–P75 band"},
    "target": {"zh": "目标 {cmp} {value}（{year}年）", "en": "target {cmp} {value} ({year})"},
    "baseline": {"zh": "基期值 {value}（{month}）", "en": "baseline {value} ({month})"},
    "month": {"zh": "月份", "en": "month"},
    "dashboard_title": {"zh": "{year}年目标达成概率", "en": "Probability of meeting each {year} target"},
    "dashboard_x": {"zh": "达成概率", "en": "probability of meeting the target"},
    "green": {"zh": "≥80%：大概率达成", "en": "≥80%: likely"},
    "amber": {"zh": "50%–80%：不确定", "en": "50%–80%: uncertain"},
    "red": {"zh": "<50%：难以达成", "en": "<50%: unlikely"},
    "compare_title": {"zh": "情景比较：{year}年各指标预测（P50 与 P10–P90）",
                      "en": "Scenario comparison: {year} projections (P50 and P10–P90)"},
    "compare_ratio": {"zh": "相对目标值的比例", "en": "share of the target value"},
    "target_line": {"zh": "目标", "en": "target"},
    "fit_title": {"zh": "校准检验：文献数值与后验预测", "en": "Calibration fit: documented figures and posterior predictions"},
    "fit_documented": {"zh": "文献数值区间", "en": "documented interval"},
    "fit_simulated": {"zh": "模拟 P10–P90 与中位数", "en": "simulated P10–P90 and median"},
    "fit_x": {"zh": "相对文献区间中点的比例", "en": "relative to the documented interval's centre"},
    "fit_source": {"zh": "来源：innosim 校准，见 calibration/report.md", "en": "Source: innosim calibration, see calibration/report.md"},
    "source": {"zh": "来源：innosim 模拟；目标引自《三量齐升行动计划》",
               "en": "Source: innosim simulation; targets quoted from the plan"},
}

CALIBRATION_TARGETS: dict[str, dict[str, str]] = {
    "bda_high_tech_2020": {"zh": "经开区高新技术企业(2020)", "en": "E-Town high-tech firms (2020)"},
    "startup_survival_5y": {"zh": "初创企业五年存活率", "en": "start-up five-year survival"},
    "zgc_high_tech_share": {"zh": "特色园区高企占比", "en": "ZGC parks: high-tech share"},
    "zgc_rd_intensity": {"zh": "特色园区平均研发强度", "en": "ZGC parks: mean R&D intensity"},
    "zgc_listed_share": {"zh": "特色园区上市企业占比", "en": "ZGC parks: listed share"},
    "zgc_rd_intensity_aggregate": {"zh": "特色园区研发强度(总量口径)", "en": "ZGC parks: aggregate R&D intensity"},
}

UNITS: dict[str, dict[str, str]] = {
    "firms": {"zh": "家", "en": "firms"},
    "platforms": {"zh": "家", "en": "platforms"},
    "incubators": {"zh": "家", "en": "incubators"},
    "people": {"zh": "人", "en": "people"},
    "scenarios": {"zh": "项", "en": "scenarios"},
    "万元/year": {"zh": "亿元/年", "en": "100m yuan/year"},
    "万元": {"zh": "亿元", "en": "100m yuan"},
    "%": {"zh": "%", "en": "%"},
    "x": {"zh": "倍", "en": "x"},
    "index": {"zh": "指数", "en": "index"},
}


def t(key: str, lang: str, **kw) -> str:
    return TEXT[key][lang].format(**kw)


def indicator_name(name: str, lang: str) -> str:
    ind = INDICATORS[name]
    return ind.zh if lang == "zh" else ind.label[:1].upper() + ind.label[1:]


def unit(name: str, lang: str) -> str:
    return UNITS[INDICATORS[name].unit][lang]


def scale(name: str) -> float:
    """Values are shown in 亿元 (1e4 万元) where the model counts 万元."""
    return 1e-4 if INDICATORS[name].unit.startswith("万元") else 1.0


def all_strings() -> list[str]:
    """Every string the charts can show, for the glyph test."""
    out = [v for d in TEXT.values() for v in d.values()]
    out += [v for d in UNITS.values() for v in d.values()]
    out += [indicator_name(n, lang) for n in INDICATORS for lang in LANGS]
    out += [v for d in CALIBRATION_TARGETS.values() for v in d.values()]
    return out
