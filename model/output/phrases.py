"""Every sentence, heading and note of the briefing in Chinese and English: report.md (and so report.html), the
terminal's `$` money line and the app's headline, notes and money sentence are built here, once, and read by all
three (the app through its adapter).

Two voices differ in their names and amounts, not in their sentences. The report names indicators and channels in
Chinese in either language, as the plan does (`names="zh"`), and counts money in 亿元; the app's page names them in
its own language and, in English, counts money in billions of yuan (`page=True`); the terminal names them in
--lang. The terminal's other notes stay English (its framing, NOTE_*); its money line and its known limits follow
--lang.
"""

from __future__ import annotations

from ..indicators import COMMITMENTS, indicator_name
from ..months import december_row, span
from ..scenario import Scenario, Target
from .readings import (
    BRIEFING_REPLICATIONS,
    LIGHTS,
    UNSPENT_HEADLINE,
    channel_name,
    commitments,
    from_plan,
    idle_channels,
    light,
    money_idle,
    needs_few_runs_note,
    outcomes,
    p_meet_error,
    percent,
    waiting_platforms,
)

# The terminal's notes under its table: English whatever --lang (the table's framing), as the sentences below say
# them in English without the closing full stop.
NOTE_DRAWN = "* baseline not published: drawn per replication from its documented range (median shown)"
NOTE_FROM_PLAN = ("† baseline estimated partly from the plan's own targets (seed 004): its P(meet) measures in part "
                  "the distance between the target and an estimate made from it")
NOTE_ABOUT = ("about: the plan sets the target at about (左右) its figure; a value within the target's tolerance of it "
              "counts as met, and P(meet) is measured against that threshold")
NOTE_EFFECTS = ("lever effects drawn per replication from their published-evidence ranges, as is the firms' response "
                "to the R&D super-deduction, so P10-P90 and P(meet) include what the evidence leaves open (report.md "
                "lists them)")
NOTE_COMMITMENTS = ("commitments: a lever delivers them by arithmetic (the count it sets each year); meeting them is "
                    "no finding of the model")
NOTE_FEW_RUNS = ("Few runs: each P(meet) from {runs} is uncertain by about ±{points} points (its binomial standard "
                 "error at 50%); use at least {briefing} runs for a briefing.")

PHRASES: dict[str, dict[str, str]] = {
    # --- the headline
    "head_counts": {"zh": "在本情景下，{whose}{n} 个量化成果目标中，{green} 个大概率达成（概率至少 80%），"
                          "{amber} 个不确定（50%–80%），{red} 个难以达成（低于 50%）。",
                    "en": "Of the {whose}{targets}, {green_are} likely to be met (probability at least 80%), "
                          "{amber_are} uncertain (50-80%) and {red_are} unlikely (below 50%) under this scenario."},
    "head_whose": {"zh": "规划的 ", "en": "plan's "},  # the report's; the page's levers may be the user's own
    "head_commitments": {"zh": "另有 {n} 项政府承诺（{items}）由相应杠杆按算术直接交付，并非模型的发现。",
                         "en": "Its {commitments} ({items}) {verb} delivered by their levers by arithmetic, not found "
                               "by the model."},
    "head_derived": {"zh": "其中 {n} 个成果目标的基期值部分由规划自身的目标推算（标 †）。",
                     "en": "{n} of the outcome targets {verb} read against a baseline estimated partly from the plan's "
                           "own targets (marked †)."},
    "head_worst": {"zh": "距离最远：{items}。", "en": "Furthest from reach: {items}."},
    "head_none": {"zh": "本情景没有量化目标：预测见“{context}”表（规划期末的 P50 与 P10-P90）。",
                  "en": "This scenario sets no quantified targets: the projections are in the table '{context}' (P50 "
                        "and P10-P90 at the end of the horizon)."},
    "head_none_page": {"zh": "本情景没有量化目标，预测见下方图表。",
                       "en": "This scenario sets no quantified targets: see the projections in the charts below."},
    # --- money
    "money_binds": {"zh": "预算是约束：期内 {total} 中有 {paid}% 被支付（P50）{detail}。",
                    "en": "The budget binds: {paid}% of its {total} over the horizon is paid out (P50){detail}."},
    "money_idle": {"zh": "方案的资金并不构成约束：期内 {total} 中有 {unspent}% 未被使用（P50，P10–P90 "
                         "{lo}–{hi}%）：向这些未用完的渠道追加资金本身不会带来任何效果{detail}。",
                   "en": "The plan's money does not bind: {unspent}% of its {total} over the horizon is left unspent "
                         "(P50, P10-P90 {lo}-{hi}%): more money in the channels that leave it unspent buys nothing by "
                         "itself{detail}."},
    "money_detail": {"zh": "，其中{items}", "en": ", though {items}"},
    "money_detail_idle": {"zh": "（{items}）", "en": " ({items})"},
    "money_channel_idle": {"zh": "{name}未用 {share}%", "en": "{name} {share}% unspent"},
    "money_waiting": {"zh": "期末仍有 {n} 个按平台杠杆到期的平台在等待资助（P50；{spread}）："
                            "其资助额超过了当年{grants}的余额（资金不结转）{tail}。",
                      "en": "{platforms} due under the platform levers {verb} still waiting for a grant at the end of "
                            "the horizon (P50; {spread}): {each} cost more than {grants} had left in its year (money "
                            "does not roll over){tail}."},
    "money_waiting_spread": {"zh": "P10–P90 {lo}–{hi}", "en": "P10-P90 {lo}-{hi}"},
    "money_waiting_same": {"zh": "P10 与 P90 同为 {n}", "en": "P10 and P90 also {n}"},
    "money_waiting_tail": {"zh": "，因此平台资金未用完与平台缺口同时存在",
                           "en": ", so unspent platform money and missing platforms go together"},
    "money_note": {"zh": "资金在渠道决定时支付（模型中没有跨年承诺），因此承诺额等于支付额；年末未用的资金不结转。",
                   "en": "Payments are made when a channel decides (no multi-year commitments in the model), so "
                         "committed equals paid; money left at the end of a year does not roll over."},
    # --- notes under the targets
    "few_runs": {"zh": "模拟次数较少：基于 {n} 次模拟的每个达成概率约有 ±{points} 个百分点的不确定性（达成概率为 50% "
                       "时的二项标准误）；用于简报请至少模拟 {briefing} 次。",
                 "en": NOTE_FEW_RUNS},
    "drawn_note": {"zh": "* 基期值未公布：每次模拟从其文献区间抽取（显示中位数）。", "en": NOTE_DRAWN + "."},
    "derived_note": {"zh": "† 基期值部分由规划自身的目标推算（seed 004）："
                           "其达成概率部分衡量的是目标与由它推出的估计之间的距离。",
                     "en": NOTE_FROM_PLAN + "."},
    "derived_where": {"zh": "各项的推算依据见下文“基期估计值”。",
                      "en": "The profile's reasoning for each is under 'Baseline estimates' below."},
    "about_note": {"zh": "左右：规划以“左右”表述的目标，落在其容差内的值计为达成，达成概率按此计算。",
                   "en": NOTE_ABOUT + "."},
    # the terminal's note is a lower-case label among its notes; a paragraph of its own starts with a capital
    "commitments_note": {"zh": "承诺事项由杠杆按算术交付（每年设定的数量），达成与否不是模型的发现。",
                         "en": NOTE_COMMITMENTS[0].upper() + NOTE_COMMITMENTS[1:] + "."},
    "target_about_cell": {"zh": "{cmp} {value}（{year}；左右：{cmp} {measured} 计为达成）",
                          "en": "{cmp} {value} ({year}; about: {cmp} {measured} counts)"},
    "delivery": {"zh": "{lever} 每年 {rate} × {years} 年 = {total}",
                 "en": "{lever} {rate} a year x {years} years = {total}"},
    "delivery_share": {"zh": "{lever} 每年 {per_year} 项场景的 {share} × {years} 年 = {total}",
                       "en": "{lever} {share} of {per_year} scenarios a year x {years} years = {total}"},
    # --- report.md's headings (the app shows two of them too)
    "meta": {"zh": "情景 `{scenario}`（{file}），地区档案 `{profile}`，{start} 至 {end}，{replications} 次模拟，"
                   "随机种子 {seed}，情景哈希 `{hash}`，代码版本 `{commit}`。",
             "en": "Scenario `{scenario}` ({file}), profile `{profile}`, {start} to {end}, {replications} "
                   "replications, seed {seed}, scenario hash `{hash}`, commit `{commit}`."},
    "in_memory": {"zh": "未存为文件", "en": "in memory"},
    "h_headline": {"zh": "主要结论", "en": "Headline"},
    "h_targets": {"zh": "成果目标", "en": "Targets"},
    "commitments": {"zh": "政府承诺事项（由杠杆直接交付）", "en": "Commitments (delivered by a lever)"},
    "money": {"zh": "各渠道资金（期内预算、支付、未用）",
              "en": "Money by channel (budgeted, paid, unspent over the horizon)"},
    "h_limits": {"zh": "模型对这些目标的已知局限", "en": "Known limits of the model for these targets"},
    "h_charts": {"zh": "图表", "en": "Charts"},
    "h_context": {"zh": "期末背景指标", "en": "Context at the horizon"},
    "h_levers": {"zh": "政策杠杆", "en": "Levers"},
    "h_effects": {"zh": "杠杆效应（{how}）", "en": "Lever effects ({how})"},
    "effects_drawn": {"zh": "每次模拟从区间内按三角分布抽取，峰值在中心值",
                      "en": "drawn per replication, triangular over the range and peaked at the central value"},
    "effects_held": {"zh": "本次运行固定取中心值", "en": "held at the central value in this run"},
    "effects_rows": {"zh": "每个杠杆通过下列参数起作用（其机制见 model/lever_registry.py）。所引各行出自 "
                           "calibration/data/policy-evidence.csv；没有已发表估计的效应注明这一点，并保留较宽的区间。"
                           "没有对应杠杆的一行属于背景规则，即不由任何杠杆设定的国家规则（model/rd_tax.py），同样处理。",
                     "en": "Each lever acts through these parameters (model/lever_registry.py names the mechanism). "
                           "The rows cited are those of calibration/data/policy-evidence.csv; an effect with no "
                           "published estimate says so and keeps a wide range. A row with no lever is a background "
                           "rule's, a national rule no lever sets (model/rd_tax.py), treated alike."},
    "no_evidence": {"zh": "未找到已发表的估计", "en": "no evidence found"},
    "background_rule": {"zh": "无（背景规则）", "en": "none (background rule)"},
    "h_estimates": {"zh": "基期估计值（每次模拟从下列区间抽取）",
                    "en": "Baseline estimates (drawn per replication from these ranges)"},
    "h_sourced": {"zh": "有出处的基期值", "en": "Sourced baseline values"},
    "h_sources": {"zh": "资料来源", "en": "Sources"},
    "sources_profile": {"zh": "calibration/data/public-figures.csv 中被地区档案按编号引用的各行。",
                        "en": "calibration/data/public-figures.csv rows cited by id in the profile."},
    "sources_parameters": {"zh": "行为参数：model/parameters.py（每个参数附单位、区间和出处）；杠杆效应："
                                 "calibration/data/policy-evidence.csv 中按编号引用的各行。",
                           "en": "Behavioural parameters: model/parameters.py (each with unit, range and reference); "
                                 "lever effects: calibration/data/policy-evidence.csv rows cited by id."},
    # --- report.md's table heads: bilingual beside the Chinese names in English, Chinese alone in Chinese
    "th_targets": {"zh": "| 指标 | 基期 | 目标 | P50 | P10-P90 | 达成概率 | 信号灯 | 规划原文 |",
                   "en": "| 指标 indicator | 基期 baseline | 目标 target | P50 | P10-P90 | P(meet) | | 原文 quote |"},
    "th_commitments": {"zh": "| 承诺事项 | 目标 | 交付 | 由杠杆交付（算术） | 规划原文 |",
                       "en": "| 承诺事项 commitment | 目标 target | delivered | by the lever | 原文 quote |"},
    "th_money": {"zh": "渠道|预算 P50|已支付 P50 [P10 - P90]|未用 [P10 - P90]",
                 "en": "channel 渠道|budgeted P50|paid P50 [P10 - P90]|unspent [P10 - P90]"},
    "money_total_row": {"zh": "合计", "en": "total 合计"},
    "th_context": {"zh": "| 指标 | 基期 | P50 | P10-P90 |", "en": "| indicator | baseline | P50 | P10-P90 |"},
    "th_levers": {"zh": "| 杠杆 | 取值 |", "en": "| lever | value |"},
    "budget_row": {"zh": "{name} (budget.{channel})（万元/年）", "en": "budget.{channel} (万元/year)"},
    "budget_total_row": {"zh": "预算合计（万元/年）", "en": "budget total (万元/year)"},
    "lever_adaptive": {"zh": "年度考核调整", "en": "adaptive"},  # no registry entry: a switch, not an amount
    "th_effects": {"zh": "| 参数 | 中心值 | 区间 | 单位 | 依据 | 杠杆 |",
                   "en": "| parameter | central | range | unit | evidence | levers |"},
    "th_estimates": {"zh": "| 项目 | 区间 | 单位 | 推算依据 |", "en": "| quantity | range | unit | reasoning |"},
    "th_sourced": {"zh": "| 项目 | 数值 | 单位 | 来源 |", "en": "| quantity | value | unit | source |"},
    "none_sourced": {"zh": "该地区档案的基期值均为估计值，每次模拟从上表的区间中抽取。",
                     "en": "Every baseline value of this profile is an estimate, drawn per replication from its range "
                           "in the table above."},
    "light_green": {"zh": "绿灯", "en": "green"},
    "light_amber": {"zh": "黄灯", "en": "amber"},
    "light_red": {"zh": "红灯", "en": "red"},
    "yes": {"zh": "是", "en": "True"},
    "no": {"zh": "否", "en": "False"},
}

# The context table's names where an indicator's English label says more than its Chinese name (indicators.py)
CONTEXT_ZH = {"total_index": "总量指数（存量，基期 = 100）", "increment_index": "增量指数（存量较基期的增长，%）",
              "quality_index": "质量指数（结构，基期 = 100）", "researchers": "可用研发人员",
              "social_capital_cum": "引导基金撬动的社会资本(累计)"}
# The units of the profiles' entries, the lever effects' parameters and the indicators (in the model's units, as
# the app's exports give them), in Chinese (the English is the key). A rate keeps its "1/" so that a table carries
# the same figures in both languages.
UNITS_ZH = {
    "-": "-", "家": "家", "万元": "万元", "share": "比例", "share of tech firms": "占科技型企业的比例",
    "家/year": "家/年", "万元/year": "万元/年", "people/year": "人/年", "firms per incubator": "家/孵化器",
    "1/year": "1/年", "1/year per platform": "1/年（每个平台）",
    "1/year per platform per 1,000 firms of the industry": "1/年（同行业每 1,000 家企业中的每个平台）",
    "%": "%", "firms": "家", "platforms": "家", "incubators": "家", "people": "人", "scenarios": "项",
    "index": "指数", "x": "倍",
}


def say(key: str, lang: str, **values) -> str:
    """PHRASES[key] in `lang`, its {placeholders} filled."""
    return PHRASES[key][lang].format(**values)


def unit_name(unit: str, lang: str) -> str:
    """A profile's or a parameter's unit in `lang` (as written in English; UNITS_ZH in Chinese, else as written)."""
    return UNITS_ZH.get(unit, unit) if lang == "zh" else unit


def light_name(p: float, lang: str) -> str:
    """The light of a P(meet) as the report's table writes it: 'amber' (en), '黄灯' (zh)."""
    return say(f"light_{light(p)}", lang)


def plural(n: int, noun: str) -> str:
    """'1 target', '2 targets': a count with its English noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def counted_targets(n: int) -> str:
    """'12 quantified outcome targets', 'single quantified outcome target' (after "Of the" or "Of the plan's")."""
    return "single quantified outcome target" if n == 1 else f"{n} quantified outcome targets"


def verb(n: int) -> str:
    """'is' for one, 'are' for any other count."""
    return "is" if n == 1 else "are"


def are(n: int) -> str:
    """'1 is', '0 are': a count as the subject of an English sentence."""
    return f"{n} {verb(n)}"


def _join(items: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(items)


def sentences(parts: list[str], lang: str) -> str:
    """Sentences one after the other: with a space in English, none after a Chinese full stop."""
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


def yi(wan: float, lang: str = "zh", page: bool = False) -> str:
    """An amount of 万元 in 亿元 ('18.0亿元'); on the app's English page in billions of yuan ('1.80 bn yuan')."""
    return f"{wan / 1e5:,.2f} bn yuan" if page and lang == "en" else f"{wan / 1e4:,.1f}亿元"


def headline(summary: dict, lang: str, *, names: str | None = None, page: bool = False) -> str:
    """The outcome targets by light, the commitments apart, the derived baselines, the furthest targets and whether
    the money binds (first when it does not); indicators named in `names` (default `lang`). `page`: the app's words
    (no 'plan's' targets, the charts below, amounts in its units)."""
    names = names or lang
    if not summary["targets"]:
        return say("head_none_page" if page else "head_none", lang, context=say("h_context", lang))
    ts, promised = outcomes(summary), commitments(summary)
    counts = {c: sum(light(x["p_meet"]) == c for x in ts) for c, _ in LIGHTS}
    parts = [say("head_counts", lang, whose="" if page else say("head_whose", lang), n=len(ts),
                 targets=counted_targets(len(ts)), **counts, **{f"{c}_are": are(k) for c, k in counts.items()})]
    if promised:
        items = ("、" if lang == "zh" else ", ").join(indicator_name(x["indicator"], names) for x in promised)
        parts.append(say("head_commitments", lang, n=len(promised), items=items,
                         commitments=plural(len(promised), "commitment"), verb=verb(len(promised))))
    derived = [x for x in ts if from_plan(x)]
    if derived:
        parts.append(say("head_derived", lang, n=len(derived), verb=verb(len(derived))))
    worst = [x for x in sorted(ts, key=lambda x: x["p_meet"])[:3] if light(x["p_meet"]) == "red"]
    if worst:
        parts.append(say("head_worst", lang, items=_join(
            [f"{indicator_name(x['indicator'], names)} ({percent(x['p_meet'])}%)" for x in worst], lang)))
    money = money_sentence(summary, lang, names=names, page=page)
    return sentences([money, *parts] if money_idle(summary) else [*parts, money], lang)


def money_sentence(summary: dict, lang: str, *, names: str | None = None, page: bool = False) -> str:
    """Whether the budget binds: the unspent share of the whole and of the channels that leave most; then the
    platforms still waiting for a grant, if any. Channels named in `names` (default `lang`)."""
    names = names or lang
    m = summary.get("money")
    waiting = waiting_sentence(summary, lang, names=names)
    if not m or m["total"]["budgeted"]["p50"] <= 0:
        return waiting
    return sentences([_budget_binds(m, lang, names, page), waiting], lang)


def _budget_binds(m: dict, lang: str, names: str, page: bool) -> str:
    total = m["total"]
    share = total["unspent_share"]["p50"]
    items = _join([say("money_channel_idle", lang, name=channel_name(c, names), share=f"{100 * u:.0f}")
                   for c, u in idle_channels(m)], lang)
    amount = yi(total["budgeted"]["p50"], lang, page)
    if share < UNSPENT_HEADLINE:
        return say("money_binds", lang, paid=f"{100 * (1 - share):.0f}", total=amount,
                   detail=say("money_detail", lang, items=items) if items else "")
    return say("money_idle", lang, unspent=f"{100 * share:.0f}", total=amount,
               lo=f"{100 * total['unspent_share']['p10']:.0f}", hi=f"{100 * total['unspent_share']['p90']:.0f}",
               detail=say("money_detail_idle", lang, items=items) if items else "")


def waiting_sentence(summary: dict, lang: str, *, names: str | None = None) -> str:
    """The platforms due under the platform levers still waiting for a grant at the horizon ('' when none waits at
    the P50); the platform grants named in `names` (default `lang`)."""
    w = waiting_platforms(summary)
    if w is None:
        return ""
    n, lo, hi, unspent = w
    names = names or lang
    spread = say("money_waiting_same", lang, n=n) if lo == hi == n else say("money_waiting_spread", lang, lo=lo, hi=hi)
    grants = channel_name("platform_grant", names)
    return say("money_waiting", lang, n=n, platforms=plural(n, "platform"), verb=verb(n), spread=spread,
               each="it" if n == 1 else "each", grants=f"the {grants}" if names == "en" else grants,
               tail=say("money_waiting_tail", lang) if unspent else "")


def few_runs_note(summary: dict, lang: str) -> str:
    """How far each P(meet) of a small run may be off (its binomial standard error at 50%) and how many runs a
    briefing needs; '' for a run of readings.FEW_REPLICATIONS or more, or with no outcome target."""
    if not needs_few_runs_note(summary):
        return ""
    n = summary["replications"]
    return say("few_runs", lang, n=n, runs=plural(n, "run"), points=p_meet_error(n), briefing=BRIEFING_REPLICATIONS)


def delivery(scenario: Scenario, t: Target, lang: str) -> str | None:
    """How a lever delivers the commitment `t`, as arithmetic: '35 a year x 3 years = 105' (summary.json's, English),
    '每年 35 × 3 年 = 105' (report.md's in Chinese); None for an outcome target."""
    lever = COMMITMENTS.get(t.indicator)
    if lever is None:
        return None
    meta, lv = scenario.scenario, scenario.levers
    years = min(december_row(t.year, meta.start), span(meta.start, meta.levers_end or meta.end)) / 12.0
    if lever == "scenarios_for_attracted_share":
        rate = lv.scenarios_for_attracted_share * lv.application_scenarios_per_year
        return say("delivery_share", lang, lever=lever, share=f"{lv.scenarios_for_attracted_share:.0%}",
                   per_year=f"{lv.application_scenarios_per_year:g}", years=f"{years:g}", total=f"{rate * years:,.0f}")
    rate = float(getattr(lv, lever))
    return say("delivery", lang, lever=lever, rate=f"{rate:g}", years=f"{years:g}", total=f"{rate * years:,.0f}")
