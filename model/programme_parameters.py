"""The behavioural parameters of talent and of the district's programmes (talent grants, guidance funds, subsidies
and rewards, platforms, incubators): their part of parameters.PARAMETERS, which reads them from here.

As there, each carries its unit, label, plausible range and source, and a lever effect its label and source in
Chinese too.
"""

from __future__ import annotations

from .param import PROB
from .param import param as _p

PROGRAMME_PARAMETERS = {
    # --- talent ---
    "talent_inflow_rate": _p(0.10, "1/year", "researcher inflow as share of the pool", "estimate", (0.06, 0.14), PROB),
    "talent_outflow_rate": _p(0.08, "1/year", "researcher outflow as share of the pool", "estimate", (0.05, 0.12), PROB),
    "talent_market_response": _p(1.0, "1/year", "rate at which migration closes the gap between researchers and demand (both ways)",
                                 "estimate: about a year to fill a gap", (0.5, 2.0), (0, 12)),
    "talent_services_effect": _p(0.5, "-", "inflow multiplier per unit of the services (温度) index",
                                 "no evidence found; wide range", (0.0, 1.0), (0, 5),
                                 label_zh="人才服务（温度）指数每增加一个单位对人才流入的乘数",
                                 source_zh="未找到已发表的证据；区间取宽"),
    "growth_talent_boost": _p(0.02, "1/year", "drift of a firm while it hosts a placed high-level talent (36 months)",
                              "no evidence found for firms; PE40: returnee scientists publish 27% more, an effect that "
                              "runs through the resources they get, not the title. Wide range", (0.0, 0.04), (0, 2),
                              evidence=("PE40",),
                              label_zh="企业引进的高层次人才在岗期间（36 个月）其营业收入的附加增长率",
                              source_zh="未找到针对企业的已发表证据；PE40：归国青年科学家的论文发表量高出 27%，"
                                        "这一效应来自其获得的科研资源，而非人才称号本身。区间取宽"),
    "growth_team_boost": _p(0.06, "1/year", "drift of a firm while it hosts a funded innovation team (36 months)",
                            "no evidence found for firms (PE40 as for talents). Wide range", (0.0, 0.12), (0, 2),
                            evidence=("PE40",),
                            label_zh="企业获资助的创新团队在岗期间（36 个月）其营业收入的附加增长率",
                            source_zh="未找到针对企业的已发表证据（PE40 的情况同人才项目）。区间取宽"),
    "review_noise": _p(1.0, "score", "Gumbel scale of a programme review's noise (merit: log capability + R&D/10%)",
                       "estimate: reviews of the same proposal disagree; selection is not merit alone (PE07: "
                       "connected founders win Innofund grants more often)", (0.5, 2.0), (0.01, 10)),
    # --- funds ---
    "equity_ticket": _p(1500.0, "万元", "guidance-fund ticket per firm",
                        "no evidence found: our estimate of 500-3000万 per firm", (500, 3000), (1, 1e6)),
    "social_leverage": _p(1.5, "-", "social capital per yuan of guidance fund (reported, no effect in the model)",
                          "PE38: only 26% of guidance funds reached their target capital and about half of the "
                          "targeted capital was raised, so the 1:3-1:5 the funds announce is about 1:1.5-1:2.5 "
                          "raised", (0.5, 3.0), (0, 50), evidence=("PE38",)),
    "equity_rd_uplift": _p(0.05, "-", "rise in R&D propensity of a firm receiving guidance-fund equity",
                           "PE37: guidance-fund investment did not change investees' R&D (not significant); the upper "
                           "end allows for financing constraints on R&D (Hall & Lerner 2010)", (0.0, 0.3), (0, 5),
                           evidence=("PE37",),
                           label_zh="获得引导基金股权投资的企业 R&D 投入倾向的提高",
                           source_zh="PE37：政府引导基金投资未改变被投企业的 R&D 投入（不显著）；"
                                     "区间上限考虑了企业 R&D 面临的融资约束（Hall & Lerner 2010）"),
    "loan_subsidy_ticket": _p(30.0, "万元/year", "loan-interest subsidy per firm",
                              "PE35: Beijing discounts 2% a year of innovative financing, at most 200万 per firm-year; "
                              "30万 is the discount on 1500万 of loans", (10, 60), (1, 1e5), evidence=("PE35",)),
    "rent_subsidy_ticket": _p(20.0, "万元/year", "rent subsidy per firm",
                              "no evidence found for the amount; PE34 gives the rule (up to 50% of actual rent, 3 years)",
                              (10, 40), (1, 1e5), evidence=("PE34",)),
    "rd_reward_rate": _p(0.10, "-", "reward as share of a firm's R&D increase",
                         "no evidence found for the rate; seed 000 names 研发投入增长奖励 in BDA", (0.05, 0.2), PROB),
    "rd_reward_cap": _p(300.0, "万元", "maximum R&D-growth reward per firm",
                        "PE32: Beijing's grants for 专精特新 R&D projects stop at 200万 (year 1) and 500万; PE33: a "
                        "district pays 10万 per new high-tech certificate", (100, 1000), (1, 1e6),
                        evidence=("PE32", "PE33")),
    "young_talent_grant": _p(50.0, "万元", "grant per young talent",
                             "PE34: Shijingshan pays selected talents up to 100万", (20, 100), (0, 1e5),
                             evidence=("PE34",)),
    "team_grant": _p(300.0, "万元", "grant per innovation team", "no evidence found; our estimate", (100, 500),
                     (0, 1e6)),
    # --- platforms ---
    "platform_build_months": _p(18.0, "months", "time from decision to operation", "no evidence found; our estimate", (12, 24), (1, 120)),
    "rd_per_national_platform": _p(8000.0, "万元/year", "R&D spending of a national platform", "no evidence found; our estimate", (3000, 15000), (0, 1e7),
                                   label_zh="每个国家级创新平台的 R&D 经费", source_zh="未找到已发表的证据；为本项目估计"),
    "rd_per_municipal_platform": _p(1500.0, "万元/year", "R&D spending of a municipal platform", "no evidence found; our estimate", (500, 3000), (0, 1e7),
                                    label_zh="每个市级创新平台的 R&D 经费", source_zh="未找到已发表的证据；为本项目估计"),
    "rd_per_joint_lab": _p(800.0, "万元/year", "R&D spending of a joint lab or new R&D institution", "no evidence found; our estimate", (300, 2000), (0, 1e7),
                           label_zh="每个校企联合实验室或新型研发机构的 R&D 经费", source_zh="未找到已发表的证据；为本项目估计"),
    "rd_per_pilot_base": _p(500.0, "万元/year", "R&D spending of a pilot or testing base", "no evidence found; our estimate", (200, 1500), (0, 1e7),
                            label_zh="每个中试或检验检测基地的 R&D 经费", source_zh="未找到已发表的证据；为本项目估计"),
    "platform_grant_national": _p(5000.0, "万元", "district grant to land a national platform", "no evidence found; our estimate", (2000, 10000), (0, 1e7)),
    "platform_grant_municipal": _p(1000.0, "万元", "district grant per municipal platform", "no evidence found; our estimate", (500, 2000), (0, 1e7)),
    "platform_grant_joint_lab": _p(500.0, "万元", "district grant per joint lab / new R&D institution", "no evidence found; our estimate", (200, 1000), (0, 1e7)),
    "platform_grant_pilot": _p(800.0, "万元", "district grant per pilot or testing base", "no evidence found; our estimate", (300, 1500), (0, 1e7)),
    # --- incubators ---
    "incubation_months": _p(30.0, "months", "typical stay in an incubator", "no evidence found; our estimate", (18, 36), (1, 120)),
    "incubator_accreditation_prob": _p(0.75, "-", "chance that an attempt to land a municipal incubator is accredited",
                                       "PE26: municipal accreditation asks each incubator to bring 5 firms a year to "
                                       "national high-tech and a >75% re-examination rate; the chance itself is our "
                                       "estimate", (0.5, 0.9), PROB, evidence=("PE26",)),
    "incubator_admission_share": _p(0.6, "-", "share of free places filled each year", "no evidence found; our estimate", (0.4, 0.9), PROB),
}
