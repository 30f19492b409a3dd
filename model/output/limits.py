"""The model's known limits, per indicator, in Chinese and English.

What the backtest and the settled-start test say the model gets wrong for a target's indicator, measured (README,
"Status and limits"; model/history.py NOTES). Printed under the target table and in the report, so that a
probability the model cannot yet support is not read alone. The planners read the Chinese; the English is the
original the figures were written down in. Both say the same: the same figures, backtest ids and parameter names
(tests/test_limits.py holds them to it), so a correction goes into both.
"""

from __future__ import annotations

_UPGRADES = {
    "en": "no documented count of firms entering 规上 or reaching 1亿 calibrates it, and the plan does not say "
          "which firms it counts: the model counts firms of the cultivation system crossing their industry's "
          "threshold on the year's revenue (industry 2000万, most services 1000万), about a third of them firms "
          "that had been above it before; counted in industry alone, the plan's 小升规 were 20-34 firms over "
          "2024-2026 (6 replications, 2026-12-06): P(meet) hangs on that definition more than on the levers",
    "zh": "没有任何公开的进入规上或营业收入达到 1亿的企业数可用于校准，规划也未说明统计哪些企业：模型统计的是培育体系"
          "内当年营业收入跨过所属行业门槛（工业 2000万，多数服务业 1000万）的企业，其中约三分之一此前曾在门槛之上；若"
          "只统计工业，规划的小升规在 2024-2026 年为 20-34 家（6 次模拟，2026-12-06）：达成概率取决于这一统计口径，甚"
          "于取决于政策杠杆",
}
# indicator -> {"zh": ..., "en": ...}, shown after the indicator's name ("高新技术企业 (high_tech): ...")
KNOWN_LIMITS: dict[str, dict[str, str]] = {
    "high_tech": {
        "en": "depends on the firms' ages at the start, which no figure documents: a 96-month spin-up instead of "
              "48 (median firm age 38 months, not 26) lowered the 三量齐升 plan's P50 by about 115 firms and its "
              "P(meet) by 13 points (posterior of 2026-12-03); and on how large start-ups are, which no figure "
              "documents either: at the ends of startup_revenue_median's range (20万 and 150万 against 50万) the "
              "plan's P50 was 1,235 and 1,955 and P(meet) 5% and 90% (20 replications, 2026-12-05); and on how many "
              "tech firms the district gains a year, an estimate: its 2.0-2.4万 new market entities a year "
              "(tz-new-entities-2021, all sectors, individual businesses included) at the share of tech firms among "
              "Beijing's enterprises (startup_rate 0.30) make 6,000-7,200 tech start-ups, about a quarter of its tech "
              "firms, where the city's start-ups of 2023 (51,497 documented in the Zhongguancun zone, zgc-rd-2023, up "
              "to an estimated 6.6万 citywide) are about a tenth of its estimated 50-65万 tech firms; so the "
              "district's tech firms grow 47% over 2024-2026 in the no-plan run and its high-tech firms 10.6%, 9.6% "
              "and 8.0% a year, against about 1% a year for Beijing's (bj-hightech-2019 to bj-hightech-2023); at the "
              "city's 2023 pace (9,000 market entities a year, itself an estimate) the plan's P50 was 1,194 and "
              "P(meet) 0% (200 replications, 2026-12-08); E-Town's growth of 2015-2020 (bda-hightech-2020) is met at "
              "P50 at the pace scaled from Tongzhou's figure, and at the city's 2023 pace it is missed even by a refit "
              "(P50 1,038 against more than 1,200), so the fast pace has history behind it, from Beijing's boom years: "
              "P(meet) is more likely too high than too low",
        "zh": "模拟结果取决于起始时企业的年龄，而这没有公开数据可依：起始前的预热模拟取 96 个月而非 48 个月（企业年龄"
              "中位数 38 个月而非 26 个月），使“三量齐升”规划的中位数 P50 减少约 115 家、达成概率降低 13 个百分点（"
              "2026-12-03 的校准后验）；也取决于初创企业的规模，这同样没有公开数据可依：startup_revenue_median 取其区"
              "间两端（20万和 150万，对照 50万）时，规划的中位数 P50 分别为 1,235 和 1,955 家，达成概率分别为 5% 和 "
              "90%（20 次模拟，2026-12-05）；还取决于该区每年新增多少科技型企业，这也是估计值：该区每年 2.0-2.4万 户"
              "新设市场主体（tz-new-entities-2021，全部行业，含个体工商户）按北京企业中科技型企业的占比（startup_rate "
              "0.30）折算，得 6,000-7,200 家科技型初创企业，约为该区科技型企业数的四分之一，而全市 2023 年的新设科技型"
              "企业（中关村示范区公布 51,497 家，zgc-rd-2023，全市估计至多 6.6万 家）约为全市估计 50-65万 家科技型企业"
              "的十分之一；因此在无规划模拟中，该区科技型企业数在 2024-2026 年间增长 47%，高新技术企业每年增长 10.6%、"
              "9.6% 和 8.0%，而北京的高新技术企业每年增长约 1%（bj-hightech-2019 至 bj-hightech-2023）；按全市 2023 年"
              "的新增速度（每年 9,000 户市场主体，本身也是估计值），规划的中位数 P50 为 1,194 家，达成概率为 0%（200 次"
              "模拟，2026-12-08）；经开区 2015-2020 年的增长（bda-hightech-2020）按由通州数据折算的新增速度在中位数 "
              "P50 上得以重现，按全市 2023 年的速度则即使重新校准也达不到（中位数 P50 为 1,038 家，公布值为 "
              "1,200 家以上），因此较快的速度有历史依据，但来自北京的高速增长年份：达成概率更可能偏高而非偏低",
    },
    "specialized_sme": {
        "en": "the model's 专精特新 firms are less than half the size of Beijing's (backtest: a mean revenue of "
              "0.60亿 in 2022 against >1.3亿) and its stock grows too slowly after the middle of 2023: Beijing's run "
              "from 2014 meets PE31 (P50 -9%) only from above PE30 (+10%), growing 14% from then to 2024-09 where "
              "Beijing's grew 38%; and the district's start is an estimate: P(meet) is more likely too low than too "
              "high; start-ups' size, an estimate, moves it too (P50 355 to 538 over startup_revenue_median's range, "
              "2026-12-05)",
        "zh": "模型中专精特新企业的规模不到北京实际的一半（回测：2022 年平均营业收入 0.60亿，公开数据为 1.3亿以上），"
              "且其存量在 2023 年年中以后增长过慢：北京市自 2014 年起的回测模拟达到 PE31（中位数 P50 偏差 -9%），只是"
              "因为它在 PE30 处已偏高（+10%），从那时到 2024-09 只增长 14%，而北京实际增长 38%；且该区的起始值是估计值"
              "：达成概率更可能偏低而非偏高；初创企业的规模（也是估计值）同样影响达成概率（在 startup_revenue_median "
              "的区间内，中位数 P50 为 355 至 538 家，2026-12-05）",
    },
    "listed": {
        "en": "the listing pipeline is calibrated on no documented figure (backtest: zgc-parks-listed-2023 missed)",
        "zh": "企业走向上市的过程没有任何公开数据可供校准（回测：zgc-parks-listed-2023 未落入区间）",
    },
    "rd_intensity": {
        "en": "the model's R&D intensity follows Beijing's rise (backtest P50: 6.18% in 2016, 6.70% in 2023, against "
              "5.94% and 6.73%) only since the firms' baseline drift was fitted on that history (growth_drift, 90% "
              "0.021-0.057 a year; at 0.02 by hand the intensity stayed flat); over that range the plan's P50 runs "
              "from 3.39% to 3.64% (100 replications each, 2026-12-06); R&D outside firms keeps its share of GDP",
        "zh": "模型的 R&D 投入强度能跟上北京的上升（回测中位数 P50：2016 年 6.18%，2023 年 6.70%，公开数据为 5.94% 和 "
              "6.73%），是因为企业的基准增长率按这段历史校准（growth_drift，90% 区间为每年 0.021-0.057；手工设为 0.02 "
              "时强度持平）；在这一区间内，规划的中位数 P50 从 3.39% 变到 3.64%（各 100 次模拟，2026-12-06）；企业以外"
              "的 R&D 保持其占 GDP 的比重",
    },
    "upgrades_cum": _UPGRADES,
    "to_above_scale_cum": _UPGRADES,
    "above_scale_to_strong_cum": _UPGRADES,
    "rd_vs_baseline": {
        "en": "the model's R&D grows with the firms' baseline drift, fitted on Beijing's history: its P50 is 0-3.2% "
              "below the documented from 2019 (backtest: bj-rd-2019, bj-rd-2021, bj-rd-intensity-2023, "
              "bj-rd-intensity-2024); the drift is pinned only to 0.021-0.057 a year (growth_drift), over which the "
              "plan's R&D P50 runs from 1.43x to 1.53x (100 replications each, 2026-12-06)",
        "zh": "模型的 R&D 随企业的基准增长率增长，该增长率按北京的历史校准：自 2019 年起其中位数 P50 比公布值低 0-3.2%"
              "（回测：bj-rd-2019、bj-rd-2021、bj-rd-intensity-2023、bj-rd-intensity-2024）；但该增长率只被限定在每年 "
              "0.021-0.057 之间（growth_drift），在此区间内规划的 R&D 中位数 P50 从 1.43 倍变到 1.53 倍（各 100 次模拟"
              "，2026-12-06）",
    },
}
