"""Every string a chart shows, in Chinese and English. Charts take their words from here only."""

from __future__ import annotations

from ..indicators import INDICATORS, indicator_name
from .readings import measured_value
from .report import fmt

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "fan_title": {"zh": "{name}：预测与目标", "en": "{name}: projection and target"},
    "fan_subtitle": {"zh": "{scenario}，{n} 次模拟", "en": "{scenario}, {n} replications"},
    "p50": {"zh": "中位数 (P50)", "en": "median (P50)"},
    "band_80": {"zh": "P10–P90 区间", "en": "P10–P90 band"},
    "band_50": {"zh": "P25–P75 区间", "en": "P25–P75 band"},
    "target": {"zh": "目标 {cmp} {value}（{year}年）", "en": "target {cmp} {value} ({year})"},
    # an 'about' (左右) target: the line is drawn where P(meet) is measured (model/targets.py, measured_threshold)
    "target_about": {"zh": "目标 {cmp} {value} 左右（{year}年）：\n{cmp} {measured} 计为达成",
                     "en": "target {cmp} {value}, about ({year}):\n{cmp} {measured} counts as met"},
    "target_written": {"zh": "规划数值 {value}", "en": "the plan's figure {value}"},
    "threshold_about": {"zh": "{cmp} {value} 左右：{cmp} {measured} 计为达成",
                        "en": "{cmp} {value}, about: {cmp} {measured} counts"},
    "baseline": {"zh": "基期值 {value}（{month}）", "en": "baseline {value} ({month})"},
    "month": {"zh": "月份", "en": "month"},
    "dashboard_title": {"zh": "{year}年目标达成概率", "en": "Probability of meeting each {year} target"},
    "dashboard_title_any": {"zh": "目标达成概率", "en": "Probability of meeting each target"},
    "dashboard_x": {"zh": "达成概率", "en": "probability of meeting the target"},
    "dashboard_from_plan": {"zh": "† 基期部分依据规划目标推算", "en": "† baseline estimated partly from the plan's targets"},
    "dashboard_known_limit": {"zh": "‡ 模型已知局限（见报告），概率勿单独引用",
                              "en": "‡ known limit of the model (see the report): do not quote alone"},
    "green": {"zh": "≥80%：大概率达成", "en": "≥80%: likely"},
    "amber": {"zh": "50%–80%：不确定", "en": "50%–80%: uncertain"},
    "red": {"zh": "<50%：难以达成", "en": "<50%: unlikely"},
    "compare_title": {"zh": "情景比较：{year}年各指标预测（P50 与 P10–P90）",
                      "en": "Scenario comparison: {year} projections (P50 and P10–P90)"},
    "compare_ratio": {"zh": "相对目标值的比例", "en": "share of the target value"},
    # with an 'about' target the axis and the line are of what counts as met (plotting.comparison)
    "compare_ratio_about": {"zh": "相对目标值的比例（“左右”目标：相对计为达成的值）",
                            "en": "share of the target value (an 'about' target: of what counts as met)"},
    "target_line": {"zh": "目标", "en": "target"},
    "target_line_about": {"zh": "目标（“左右”目标：计为达成的值）", "en": "target (an 'about' target: what counts as met)"},
    "compare_written": {"zh": "“左右”目标的规划数值", "en": "an 'about' target's figure in the plan"},
    "delta_title": {"zh": "相对“{ref}”的变化（配对比较，95% 置信区间）",
                    "en": "Change against {ref} (paired, 95% intervals)"},
    "delta_meet_x": {"zh": "达成概率变化（百分点）", "en": "change in P(meet), percentage points"},
    "delta_p50_x": {"zh": "中位数变化（占目标值的 %）", "en": "change in the median, % of the target value"},
    "delta_source": {"zh": "来源：innosim 模拟，各情景使用相同随机数（共同随机数）",
                     "en": "Source: innosim simulation, common random numbers across scenarios"},
    "delta_source_independent": {"zh": "来源：innosim 模拟，各情景使用独立随机数",
                                 "en": "Source: innosim simulation, independent seeds per scenario"},
    "history_title": {"zh": "{name}：{run} 模拟与公布数据", "en": "{name}: {run}, model and record"},
    "history_fit": {"zh": "公布值（校准所用）", "en": "documented (calibrated on)"},
    "history_out": {"zh": "公布值（样本外）", "en": "documented (out of sample)"},
    "history_input": {"zh": "公布值（模型输入）", "en": "documented (an input)"},
    "history_per_year": {"zh": " / 年", "en": " a year"},
    "history_source": {"zh": "来源：innosim 回测，公布数据见 model/history.py（点为公布值，竖线为其区间；×为区间与P10–P90不相交）",
                       "en": "Source: innosim backtest; documented figures in model/history.py (dot: value, bar: its interval; x: the interval misses P10-P90)"},
    "flows_title": {"zh": "高新技术企业认定：每年新认定与复审（{run}，中位数）",
                    "en": "High-tech certificates granted each year ({run}, median)"},
    "flows_first": {"zh": "首次认定", "en": "first certificates"},
    "flows_again": {"zh": "期满后重新认定", "en": "granted again after a lapse"},
    "flows_renewed": {"zh": "到期复审", "en": "renewals"},
    "flows_y": {"zh": "家 / 年", "en": "firms a year"},
    "year": {"zh": "年份", "en": "year"},
    "fit_title": {"zh": "校准检验：文献数值与后验预测", "en": "Calibration fit: documented figures and posterior predictions"},
    "fit_documented": {"zh": "文献数值区间", "en": "documented interval"},
    "fit_simulated": {"zh": "模拟 P10–P90 与中位数", "en": "simulated P10–P90 and median"},
    "fit_x": {"zh": "相对文献区间中点的比例", "en": "relative to the documented interval's centre"},
    "fit_source": {"zh": "来源：innosim 校准，见 calibration/report.md", "en": "Source: innosim calibration, see calibration/report.md"},
    "source": {"zh": "来源：innosim 模拟；目标引自《三量齐升行动计划》",
               "en": "Source: innosim simulation; targets quoted from the plan"},
    "source_sim": {"zh": "来源：innosim 模拟", "en": "Source: innosim simulation"},
    # --- response curves (sensitivity --method sweep)
    "sweep_title": {"zh": "{name}：各杠杆单独变化的响应", "en": "{name}: response to each lever alone"},
    "sweep_own": {"zh": "方案取值", "en": "the scenario's value"},
    # --- optimize
    "opt_title": {"zh": "最低成本政策组合：所选目标达成概率 ≥ {p}",
                  "en": "Cheapest lever mix meeting the chosen targets with probability ≥ {p}"},
    "opt_subtitle": {"zh": "{scenario}；{k} 个目标需达成，{u} 个在取值范围内达不到（或未能证明达到）{p}；"
                           "每个候选 {n} 次模拟",
                     "en": "{scenario}; required targets: {k}; cannot (or not shown to) reach {p} within the "
                           "ranges: {u}; {n} replications per candidate"},
    "opt_x": {"zh": "年度成本（亿元/年，预算与有单价的政策措施）",
              "en": "annual cost (100m yuan/yr, budget + priced levers)"},
    "opt_y": {"zh": "所需目标中最低的达成概率", "en": "P(meet) of the hardest required target"},
    "opt_sample": {"zh": "初始样本", "en": "initial sample"},
    "opt_search": {"zh": "搜索代", "en": "search generations"},
    "opt_trim": {"zh": "削减步骤", "en": "trim steps"},
    "opt_over_cap": {"zh": "超出预算上限", "en": "above the budget cap"},
    "opt_frontier": {"zh": "成本–概率前沿", "en": "cost–probability frontier"},
    "opt_winner": {"zh": "最优组合：新种子复核（{n} 次，95% 区间）",
                   "en": "winner, re-run on fresh seeds ({n} runs, 95% interval)"},
    "opt_unconfirmed": {"zh": "最佳候选（复核未通过，{n} 次，95% 区间）",
                        "en": "best candidate, NOT confirmed ({n} runs, 95% interval)"},
    "opt_plan": {"zh": "原方案（同一复核种子）", "en": "the scenario's own mix (same fresh seeds)"},
    "opt_threshold": {"zh": "要求概率 {p}", "en": "required probability {p}"},
    "opt_cap": {"zh": "预算上限", "en": "budget cap"},
    "opt_cost": {"zh": "{v} 亿元/年", "en": "{v} (100m yuan/yr)"},
    # --- discovery
    "disc_title": {"zh": "{target}：哪些杠杆组合能使达成概率≥{p}%", "en": "{target}: which lever mixes give P ≥ {p}%"},
    "disc_title_none": {"zh": "{target}：范围内最有利的杠杆组合", "en": "{target}: the most favourable lever mixes"},
    "disc_subtitle": {"zh": "每个点为一个杠杆组合（{r}次模拟）；方框为找到的条件；其余条件：{rest}",
                      "en": "each dot is a lever mix ({r} run(s)); the box is the condition found; "
                            "other conditions: {rest}"},
    "disc_none": {"zh": "无", "en": "none"},
    "disc_faded": {"zh": "不满足其余条件的组合（淡色）", "en": "mixes outside the other conditions (faded)"},
    "disc_box": {"zh": "找到的条件", "en": "condition found"},
    "disc_colour": {"zh": "该组合达成目标的比例", "en": "share of the mix's runs meeting the target"},
    "disc_binned": {"zh": "按该杠杆分组的达成比例", "en": "share of runs meeting the target, by lever value"},
    "disc_threshold": {"zh": "要求概率 {p}%", "en": "required probability {p}%"},
    "disc_bars_title": {"zh": "达成概率", "en": "P(meet)"},
    "disc_whole": {"zh": "全范围", "en": "whole range"},
    "disc_in_box": {"zh": "框内(样本)", "en": "in box (sample)"},
    "disc_fresh": {"zh": "框内(新模拟)", "en": "in box (fresh runs)"},
    "disc_edge": {"zh": "恰取临界值", "en": "exactly at the limits"},
    "disc_no_check": {"zh": "未检验", "en": "not checked"},
    "disc_overview_title": {"zh": "各目标：全范围与最佳条件下的达成概率", "en": "Each target: P(meet) over the whole "
                            "range and under the conditions found"},
    "disc_overview_x": {"zh": "达成概率", "en": "probability of meeting the target"},
    "disc_found": {"zh": "满足所找条件时（有验证时为新模拟结果）",
                   "en": "under the conditions found (fresh runs where checked)"},
    "disc_subtitle_bars": {"zh": "柱：按该杠杆取值分组的达成比例（{n}个组合，每个{r}次模拟）；方框：找到的条件；"
                                 "其余条件：{rest}",
                           "en": "bars: share of runs meeting the target by lever value ({n} mixes, {r} run(s) each); "
                                 "box: the condition found; other conditions: {rest}"},
    "disc_status_whole": {"zh": "无需条件", "en": "no condition needed"},
    "disc_status_box": {"zh": "{k}个条件", "en": "{k} condition(s)"},
    "disc_status_none": {"zh": "范围内达不到", "en": "not reachable in the ranges"},
    "disc_all": {"zh": "所选目标全部同时达成", "en": "all chosen targets met together"},
    "disc_source": {"zh": "来源：innosim 情景发现（PRIM）；目标引自《三量齐升行动计划》",
                    "en": "Source: innosim scenario discovery (PRIM); targets quoted from the plan"},
    # --- sensitivity
    "morris_title": {"zh": "{name}：各政策杠杆的影响（Morris 筛选）",
                     "en": "{name}: effect of each lever (Morris screening)"},
    "sobol_title": {"zh": "{name}：各政策杠杆解释的差异（Sobol 指数）",
                    "en": "{name}: variance explained by each lever (Sobol)"},
    "morris_subtitle": {"zh": "{scenario}，{year}年12月的值；μ*：杠杆从取值下限调到上限时指标的平均变化；"
                              "{points} 个取值组合 × {reps} 次模拟 = {runs} 次",
                        "en": "{scenario}, December {year}; μ*: mean change when a lever moves across its range; "
                              "{points} lever mixes x {reps} replications = {runs} runs"},
    "sobol_subtitle": {"zh": "{scenario}，{year}年12月的值；各杠杆在取值范围内均匀变化；"
                             "{points} 个取值组合 × {reps} 次模拟 = {runs} 次",
                       "en": "{scenario}, December {year}; levers uniform over their ranges; "
                             "{points} lever mixes x {reps} replications = {runs} runs"},
    "morris_x": {"zh": "μ*：指标变化（{unit}）", "en": "μ*: change in the indicator ({unit})"},
    "sobol_x": {"zh": "占指标方差的比例", "en": "share of the indicator's variance"},
    "ci": {"zh": "95% 置信区间", "en": "95% interval"},
    "matters": {"zh": "重要杠杆（≥最大值的{share}%且高于噪声）",
                "en": "matters (≥{share}% of the largest, above noise)"},
    "minor": {"zh": "次要杠杆", "en": "minor"},
    "noise_mark": {"zh": "该杠杆的噪声阈值：μ* 低于此值与零无法区分",
                   "en": "the lever's noise threshold: a μ* left of it cannot be told from zero"},
    "noise_part": {"zh": "ST 中的模拟噪声部分", "en": "part of ST that is replication noise"},
    "s1": {"zh": "一阶指数 S1（单独作用）", "en": "first-order S1 (the lever alone)"},
    "st": {"zh": "总指数 ST（含交互作用）", "en": "total ST (with interactions)"},
    "constant": {"zh": "所分析的杠杆在其范围内均不改变该指标（恒为 {value}）",
                 "en": "none of the levers explored moves it within their ranges (it stays at {value})"},
    "source_sa": {"zh": "来源：innosim 敏感性分析（SALib），杠杆范围见情景文件 [ranges]",
                  "en": "Source: innosim sensitivity analysis (SALib); lever ranges from the scenario's [ranges]"},
    "head_morris": {"zh": "{name}：影响最大的杠杆是{levers}。", "en": "{name}: moved most by {levers}."},
    "note_morris": {"zh": "括号内为杠杆从取值范围下限调到上限时指标的平均变化（Morris μ*）。",
                    "en": "In brackets: the mean change of the indicator when the lever moves from the low to the "
                          "high end of its range (Morris mu*)."},
    "note_sobol": {"zh": "杠杆在各自范围内均匀变化时，各杠杆解释的指标方差比例（S1：单独作用；ST：含交互作用）。",
                   "en": "Shares of the indicator's variance when the levers vary uniformly over their ranges "
                         "(S1: the lever alone; ST: with its interactions)."},
    "head_morris_item": {"zh": "{lever}（约 {effect}）", "en": "{lever} (about {effect})"},
    "head_sobol": {"zh": "{name}：{levers}。", "en": "{name}: {levers}."},
    "head_sobol_item": {"zh": "{lever}单独解释 {s1}，含交互 {st}（已扣除噪声）",
                        "en": "{lever} explains {s1} alone, {st} with interactions (noise removed)"},
    "head_noise_only": {"zh": "{name}：所分析的杠杆对它的影响均未超出模拟噪声。",
                        "en": "{name}: none of the levers explored moves it beyond replication noise."},
    "head_constant": {"zh": "{name}：所分析的杠杆在其范围内均不改变它（恒为 {value}）。",
                      "en": "{name}: none of the levers explored moves it within their ranges (it stays at {value})."},
    "head_noisy": {"zh": "模拟噪声占各取值组合间方差的 {share}，排名相近的杠杆应视为不分先后。",
                   "en": "Replication noise is {share} of the variance between lever mixes: levers with close "
                         "values are not clearly ranked."},
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
    "x": {"zh": "基期倍数", "en": "× baseline"},
    "index": {"zh": "指数", "en": "index"},
    "1/year": {"zh": "每年", "en": "per year"},
    "share": {"zh": "占比", "en": "share"},
}


def t(key: str, lang: str, **kw) -> str:
    return TEXT[key][lang].format(**kw)


# Comparators as the charts write them
CMP = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def threshold(target: dict, lang: str) -> str:
    """A target's threshold with its unit ('≥ 4.00%'); an 'about' target's also says what counts as met
    ('≥ 400, about: ≥ 380 counts'), the threshold its P(meet) is measured against."""
    ind, cmp_ = target["indicator"], CMP[target["comparator"]]
    value, measured = fmt(ind, target["threshold"]), measured_value(target)
    if measured is None:
        return f"{cmp_} {value}"
    return t("threshold_about", lang, cmp=cmp_, value=value, measured=fmt(ind, measured))


def dashboard_title(targets: list[dict], lang: str) -> str:
    """The dashboard's title, with the targets' last year: also the report's caption of it."""
    if not targets:
        return t("dashboard_title_any", lang)
    return t("dashboard_title", lang, year=max(r["year"] for r in targets))


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
