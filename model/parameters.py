"""Behavioural parameters: every one carries its unit, label, plausible range and source; those a replication draws
from their evidence (the lever effects) carry their label and source in Chinese too, with the same figures and ids.

Values here are documented estimates; the calibrated ones (calibration.PRIORS) are drawn from the
posterior in runs. A scenario may override any of them in its `[parameters]` table; the override
must stay inside the hard `bounds` (what is physically meaningful), not the `range`
(what we believe plausible). The table is in two modules so that each reads whole: the firms' behaviour here,
talent and the district's programmes in programme_parameters.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lever_registry import effect_parameters
from .param import PROB, Param
from .param import param as _p
from .programme_parameters import PROGRAMME_PARAMETERS

PARAMETERS: dict[str, Param] = {
    # --- growth (Amaral et al. 1997; Bottazzi & Secchi 2006) ---
    "growth_drift": _p(0.02, "1/year", "baseline log-revenue drift",
                       "estimate: real growth of surviving small firms, 0-5%/yr; calibrated since 2026-12-06 in "
                       "nominal terms (calibration.PRIORS, U(0, 0.06)): posterior mean 0.041", (0.0, 0.05), (-1, 1)),
    "growth_sigma": _p(0.45, "1/sqrt(year)", "spread of annual log growth at reference size",
                       "estimate: Laplace width for young tech SMEs, 0.3-0.6", (0.3, 0.6), (0, 5)),
    "growth_size_beta": _p(0.2, "-", "size exponent of growth spread, sigma ~ S^-beta",
                           "Amaral et al. 1997 (beta about 0.2)", (0.15, 0.25), (0, 1)),
    "growth_rd_effect": _p(0.6, "1/year per R&D ratio", "drift added per unit of R&D/revenue (up to 15%)",
                           "estimate: a 5% R&D ratio adds 3%/yr growth; range 0.3-1.2", (0.3, 1.2), (0, 10)),
    "growth_capability_effect": _p(0.04, "1/year per capability", "drift per unit of capability above the mean (1)",
                                   "estimate", (0.02, 0.08), (0, 1)),
    "growth_equity_boost": _p(0.04, "1/year", "drift while guidance-fund equity is deployed (24 months)",
                              "PE37: guidance-fund investment raised investees' fixed assets and equity but not their "
                              "sales (not significant); upper end from PE08 (an early grant doubles later VC) and the "
                              "VC-backed growth premium of 10-25%/yr, not shown for guidance funds", (0.0, 0.15), (-1, 2),
                              evidence=("PE37", "PE08"),
                              label_zh="引导基金股权投资期间（24 个月）企业营业收入的附加增长率",
                              source_zh="PE37：政府引导基金投资增加了被投企业的固定资产和所有者权益，"
                                        "但未提高其营业收入（不显著）；区间上限依据 PE08（早期资助使企业后续获得的"
                                        "风险投资翻倍）以及获风险投资支持企业每年 10-25% 的增长溢价，"
                                        "后者尚未在政府引导基金中得到证实"),
    "growth_scenario_boost": _p(0.12, "1/year", "drift while a matched application scenario runs (12 months)",
                                "PE43: innovation-directed procurement raised turnover from new products (significant, "
                                "magnitude not retrieved), while price-only tenders reduce innovation; size a "
                                "documented-sign estimate with a wide range", (0.0, 0.25), (-1, 2), evidence=("PE43",),
                                label_zh="对接的应用场景实施期间（12 个月）企业营业收入的附加增长率",
                                source_zh="PE43：以创新为导向的政府采购提高了企业的新产品销售收入（显著，"
                                          "未能获取效应大小），而仅以价格定标的招标抑制创新；效应方向有据可查，"
                                          "大小为估计值，区间取宽"),
    "growth_incubator_boost": _p(0.03, "1/year", "drift while incubated",
                                 "PE21: incubator tenancy lowered sales of Italian start-ups (turning positive later); "
                                 "PE22: incubated US firms grew faster in jobs and sales; so a small central value, and "
                                 "a range that allows a negative effect", (-0.05, 0.12), (-1, 2),
                                 evidence=("PE21", "PE22"),
                                 label_zh="在孵期间企业营业收入的附加增长率",
                                 source_zh="PE21：入驻孵化器降低了意大利初创企业的销售收入（其后转为正向）；PE22："
                                           "美国在孵企业的就业和销售收入增长更快；因此中心值取小，区间允许出现负效应"),
    "spillover_per_density": _p(0.03, "1/year per platform per 1,000 firms of the industry",
                                "capability gain of firms per unit of platform density in their industry",
                                "PE41 (comparator): incumbents' TFP rose 12% five years after a large plant opened in "
                                "their county, more where they share labour and technology; no estimate for R&D "
                                "platforms, so wide: Tongzhou's ~3 platforms per 1,000 firms in its R&D-heavy industries "
                                "then add 0.1 a year", (0.0075, 0.06), (0, 10), evidence=("PE41",),
                                label_zh="所在行业的平台密度每增加一个单位带来的企业能力提升",
                                source_zh="PE41（参照证据）：大型工厂落户某县五年后，"
                                          "当地原有企业的全要素生产率提高 12%，与其共享劳动力和技术的企业提高更多；"
                                          "R&D 平台没有相应估计，因此区间取宽：按此，通州 R&D 密集行业中每 1,000 家"
                                          "企业约有 3 个平台，每年使企业能力提高 0.1"),
    "spillover_density_cap": _p(5.0, "platforms per 1,000 firms of the industry",
                                "platform density above which spill-overs add nothing more",
                                "estimate: spillover_per_density is scaled on Tongzhou's R&D-heavy industries (3-5 "
                                "platforms per 1,000 firms a year into the plan's run; 5.1 in advanced manufacturing), and PE41 "
                                "measures one large plant among a county's incumbents, so no evidence reaches the "
                                "densities of a small industry holding many platforms (Beijing's seed industry, about "
                                "70 per 1,000 under the platform sector weights): held at its top, not extrapolated "
                                "(linear, it drove capability to ~18 and firm revenue up ~90% a year there)",
                                (3.0, 10.0), (0, float("inf")), evidence=("PE41",)),
    "capability_decay": _p(0.2, "1/year", "rate at which capability returns to the mean firm's 1",
                           "estimate: know-how from spill-overs fades over about five years", (0.1, 0.4), (0, 12)),
    # --- exit hazard ---
    "exit_hazard_old": _p(0.08, "1/year", "exit hazard of a mature firm at reference size",
                          "PE44: exit hazards of new Chinese firms 1.6% in year 1, 6.3% in year 2, 9.5% in year 3, "
                          "above 8% to year 7 (registry deregistrations; the model's firm counts are registry counts)",
                          (0.05, 0.12), PROB),
    "exit_age_scale": _p(12.0, "months", "age scale of the hazard's rise, h(age) = h_old (1 - exp(-age/scale))^2",
                         "PE44: the rise from 1.6% to 9.5% over three calendar years of life, the founding year the "
                         "first (a registry's annual count: about half a year of exposure in it). With h_old = 10%, "
                         "12 months gives 0.5%, 3.8%, 7.1%, 8.6% in years 1-4 so counted, 6 months 1.2%, 6.6%, 9.1%, "
                         "9.5%, 4 months 1.8%, 7.9%, 9.4%, 9.5%: the default rises too slowly, the calibration fits it",
                         (2, 24), (1, 600)),
    "exit_size_gamma": _p(0.15, "-", "hazard ~ (revenue/reference)^-gamma", "estimate", (0.05, 0.4), (0, 2)),
    "exit_size_age_mates": _p(0.0, "-", "weight of the age-mates' reading of the exit hazard's size term: the term "
                              "(revenue/500万)^-gamma is divided by 1 - w + w x its mean over the living firms of the "
                              "same whole year of age (0-9, then 10 or more) at the month's start",
                              "PE44 is a registry's mean over all the firms of an age, most of them far below 500万: at "
                              "w = 1 the mean hazard of an age is the age term as PE44 reads it, and size only sorts "
                              "which firms of that age exit (docs/history.md, \"The exit hazard read against a firm's "
                              "age-mates\"). 0 until a posterior fitted with it is adopted; a fit fixes it with "
                              "`innosim calibrate --fix exit_size_age_mates=1`", (0.0, 1.0), PROB, evidence=("PE44",)),
    "exit_incubator_reduction": _p(0.4, "-", "share of hazard removed while incubated",
                                   "PE22: exits are lower during incubation (and higher after it); PE20: no German "
                                   "incubator raised 10-year survival. The model removes hazard only during the stay",
                                   (0.1, 0.6), PROB, evidence=("PE22", "PE20"),
                                   label_zh="在孵期间退出风险降低的比例",
                                   source_zh="PE22：企业在孵期间退出较少（出孵后则较多）；PE20："
                                             "德国没有一家孵化器提高了企业的 10 年存活率。"
                                             "模型只在在孵期间降低退出风险"),
    "exit_subsidy_reduction": _p(0.3, "-", "share of hazard removed while a rent/loan subsidy runs",
                                 "no evidence found for rent subsidies (PE34 says so); PE36: French loan guarantees "
                                 "raised survival (comparator, magnitude not in the table). Wide range",
                                 (0.0, 0.6), PROB, evidence=("PE34", "PE36"),
                                 label_zh="享受房租补贴或贷款贴息期间退出风险降低的比例",
                                 source_zh="房租补贴未找到已发表的证据（PE34 对此亦有说明）；PE36："
                                           "法国的公共贷款担保提高了企业存活率（参照证据，效应大小未列入证据表）。"
                                           "区间取宽"),
    # --- R&D decision ---
    "rd_reward_elasticity": _p(0.4, "-", "price elasticity of R&D to the growth-reward rate",
                               "PE13: short-run R&D user-cost elasticity 0.40 for Chinese listed firms; PE19: 0.21 "
                               "meta-analytic, bias-corrected; PE11: 1.14 for real R&D at the high-tech notch; PE01, "
                               "PE03: subsidies crowd out firm-financed R&D (-0.5 RMB per RMB; -6.5% per SD), so the "
                               "range allows a negative response. PE17 (2.6, UK SMEs) and PE04 (4.51, preprint) lie "
                               "above it", (-0.3, 1.2), (-5, 5), evidence=("PE13", "PE19", "PE11", "PE01", "PE03"),
                               label_zh="R&D 对研发投入增长奖励比例的价格弹性",
                               source_zh="PE13：中国上市公司 R&D 对其使用成本的短期弹性为 0.40；PE19："
                                         "荟萃分析经偏差校正后为 0.21；PE11：高新技术企业认定门槛处实际 R&D 的弹性为 "
                                         "1.14；PE01、PE03：财政补贴挤出企业自筹 R&D 投入（每元补贴使其减少 0.5 元；"
                                         "补贴每增加一个标准差，减少 6.5%），因此区间允许负向反应。PE17（2.6，"
                                         "英国中小企业）和 PE04（4.51，预印本）高于本区间"),
    "rd_user_cost_elasticity": _p(0.397, "-", "elasticity of R&D to its user cost, through which the R&D "
                                  "super-deduction's steps act (rd_tax.py)",
                                  "PE13: 0.397 in the short run for Chinese listed firms, under tax incentives "
                                  "including the super-deduction; PE19: 0.21 for the flow, meta-analytic and "
                                  "bias-corrected (the low end); PE11's seminar version: 0.34-0.50 by firm size",
                                  (0.21, 0.50), (0, 5), evidence=("PE13", "PE19", "PE11"),
                                  label_zh="R&D 对其使用成本的弹性，研发费用加计扣除比例的历次提高经由它起作用"
                                           "（rd_tax.py）",
                                  source_zh="PE13：在包括研发费用加计扣除在内的税收优惠下，"
                                            "中国上市公司的短期弹性为 0.397；PE19：荟萃分析经偏差校正后，"
                                            "R&D 流量的弹性为 0.21（区间下限）；PE11 的研讨会版本："
                                            "按企业规模为 0.34-0.50"),
    "rd_deduction_take_up_size": _p(2000.0, "万元", "revenue at which half the firms gain from the R&D "
                                    "super-deduction (a firm of revenue R claims it with chance R / (R + this))",
                                    "PE16: Chinese firms fail to claim a tax incentive on over 80% of eligible "
                                    "investment, and claim more as their taxable position and sophistication rise; a "
                                    "loss-making firm gains nothing in the year. Our estimate, set as the R&D-growth "
                                    "reward's take-up and kept apart from it (that one is a lever's effect, drawn per "
                                    "replication)", (200, 20000), (1, 1e7), evidence=("PE16",)),
    "rd_reward_take_up_size": _p(2000.0, "万元", "revenue at which half the firms entitled to an R&D-growth reward "
                                 "claim it (a firm of revenue R claims with chance R / (R + this))",
                                 "no evidence found for grants; PE16: Chinese firms fail to claim a tax incentive on "
                                 "over 80% of eligible investment, and claim more as their taxable position and "
                                 "sophistication rise. Our estimate, wide: at 200万 nearly every above-scale firm "
                                 "claims, at 20,000万 even a 2亿 firm claims half the time", (200, 20000), (1, 1e7),
                                 evidence=("PE16",),
                                 label_zh="有资格获得研发投入增长奖励的企业中半数申领时的营业收入（营业收入为 R 的"
                                          "企业以 R / (R + 该值) 的概率申领）",
                                 source_zh="财政奖励未找到已发表的证据；PE16：中国企业对超过 80% 的符合条件投资未申领"
                                           "税收优惠，纳税状况越好、管理越规范的企业申领越多。本项目估计，区间取宽："
                                           "取 200万 时几乎所有规上企业都会申领，取 20,000万 时即使营业收入 2亿 的"
                                           "企业也只有一半的概率申领"),
    "rd_bunching_band": _p(0.015, "R&D ratio", "below-threshold band from which firms bunch up to the high-tech threshold",
                           "Chen, Liu, Suarez Serrato & Xu (2021, AER): bunching at the 高新 thresholds", (0.005, 0.025), (0, 0.1)),
    "rd_bunching_prob": _p(0.35, "1/year", "chance a firm in the band moves to the threshold",
                           "estimate", (0.2, 0.6), PROB),
    "rd_staff_target_share": _p(0.12, "-", "R&D staff share a firm aims for when it bunches at the high-tech threshold",
                                "estimate: above the 10% high-tech rule", (0.08, 0.2), PROB),
    "rd_active_share": _p(0.3, "-", "share of tech firms that do R&D in earnest",
                          "estimate: Beijing high-tech firms are 3.6% of tech firms (seed 003) and must do R&D; share at 500万 revenue", (0.2, 0.4), PROB),
    "rd_size_elasticity": _p(-0.15, "-", "size elasticity of an R&D-active firm's R&D propensity",
                             "estimate: R&D is partly a fixed cost, so its share falls with size; Zhongguancun's parks "
                             "(SMEs) spend 15.42% (seed 002), the zone with its large firms 5.2% (zgc-rd-2023 over "
                             "zgc-hightech-2022)", (-0.3, 0.0), (-2, 2)),
    "rd_ceiling_exponent": _p(0.25, "-", "size exponent of the highest R&D share a firm sustains, 0.6 (S/500万)^-x",
                              "estimate: 60% at 500万, 16% at 10亿, 6% at 500亿; the whole Zhongguancun zone spends 5.2% "
                              "of revenue on R&D (zgc-rd-2023 over zgc-hightech-2022) and its specialised parks 15.42% "
                              "(seed 002)", (0.15, 0.35), (0, 2)),
    "rd_active_size_elasticity": _p(0.3, "-", "size elasticity of the chance that a tech firm does R&D in earnest",
                                    "estimate: larger firms more often run R&D; Beijing's 8,754 专精特新 firms (PE31), "
                                    "each with 100万 of R&D and mostly 1000万 of revenue, bound it from below",
                                    (0.1, 0.7), (0, 3)),
    "rd_active_median": _p(0.06, "R&D/revenue", "median R&D ratio of an R&D-active firm at 500万 revenue",
                           "estimate; ZGC specialised parks average 15.42% (seed 002)", (0.03, 0.15), (0.001, 0.6)),
    "ip_rate_per_rd": _p(3.0, "1/year per R&D ratio", "chance per year of first owned IP per unit R&D ratio",
                         "estimate: software copyrights and utility patents are cheap", (2.0, 10.0), (0, 100)),
    # the spread of R&D and staff among firms (firms.draw_rd_traits, rd_traits_of)
    "rd_propensity_sigma": _p(0.7, "log", "spread of R&D shares among R&D-active firms of one size (sd of the log)",
                              "estimate: the 10th-90th percentile of a size's R&D shares at 0.4-2.5 times its median; "
                              "with rd_active_median it sets how many firms clear the 5/4/3% high-tech rules",
                              (0.5, 1.0), (0, 3)),
    "rd_idle_median": _p(0.003, "R&D/revenue", "median R&D share of a firm not doing R&D in earnest",
                         "estimate: incidental development booked as R&D, well under the 3% of every rule",
                         (0.001, 0.01), (0, 0.6)),
    "rd_idle_sigma": _p(0.5, "log", "spread of idle firms' R&D shares (sd of the log; the same score as the active "
                        "share's)", "estimate", (0.3, 1.0), (0, 3)),
    "rd_active_cap": _p(0.8, "-", "highest chance that a firm does R&D in earnest, whatever its size",
                        "estimate: some large tech firms are holding, trading or service arms with no R&D of their own",
                        (0.6, 0.95), PROB),
    "rd_adjust_months": _p(6.0, "months", "time constant of a firm's R&D moving towards its target",
                           "estimate: R&D budgets are set yearly and hiring takes months, so a gap closes over about "
                           "half a year", (3.0, 12.0), (1, 120)),
    "rd_staff_share_active": _p(0.15, "-", "median R&D staff share of employees an R&D-active firm wants",
                                "estimate: above the 10% high-tech staff rule most such firms must meet; PE29's 90% "
                                "of 专精特新 firms with over 20% R&D staff is another caliber (docs/history.md, "
                                "PE29-staff20)", (0.1, 0.25), PROB),
    "rd_staff_share_idle": _p(0.03, "-", "median R&D staff share of a firm not doing R&D in earnest", "estimate",
                              (0.01, 0.06), PROB),
    "rd_staff_sigma": _p(0.5, "log", "spread of desired R&D staff shares (sd of the log)",
                         "estimate: 10th-90th percentile at 0.5-1.9 times the median", (0.3, 0.8), (0, 3)),
    "pool_bunching_factor": _p(2.0, "x", "how many times the bunching band and chance of a firm in the high-tech "
                               "cultivation pool (培育库) are those of other firms",
                               "no evidence found; our estimate: the pool's coaching is on meeting the rules, the R&D "
                               "rule first", (1.0, 3.0), (0, 20)),
    "listed_exit_factor": _p(0.2, "x", "exit hazard of a listed firm over that of an unlisted one of its age and size",
                             "estimate: delisting and failure of listed firms are rare next to small firms' exits",
                             (0.1, 0.5), (0, 1)),
    # --- certification ---
    "high_tech_apply_prob": _p(0.6, "-", "share of eligible uncertified firms that apply in the annual round",
                               "estimate", (0.4, 0.8), PROB),
    "high_tech_fit_size": _p(200.0, "万元", "revenue at which a firm's chance of passing the unspelled high-tech rules "
                             "is half the largest firms'", "PE16: take-up of Chinese tax incentives is low and rises "
                             "with taxable position (the 15% rate is worth nothing without profit); the expert score "
                             "rewards growth and conversions; 142 of 238 above-scale key firms of ZGC Tongzhou Park are "
                             "certified (zgc-tz-keyfirms-2024m11) against 3.6% of all Beijing tech firms (seed 003)",
                             (20.0, 2000.0), (0.01, 1e6)),
    "high_tech_approval_prob": _p(0.7, "-", "approval rate of eligible applications (expert score >= 70)",
                                  "estimate: national pass rates about 60-80%", (0.6, 0.8), PROB),
    "recert_approval_prob": _p(0.9, "-", "approval rate of re-certification applications", "estimate", (0.8, 0.95), PROB),
    "recert_apply_prob": _p(0.85, "-", "share of expiring eligible firms that re-apply", "estimate", (0.7, 0.95), PROB),
    "old_staff_threshold": _p(0.15, "-", "R&D staff share the pre-2016 high-tech rules effectively required",
                              "estimate: the 2008 rules (国科发火〔2008〕172号) asked 30% college-educated S&T staff and 10% "
                              "R&D staff, the 2016 rules (国科发火〔2016〕32号) 10% S&T staff; read in R&D-staff terms",
                              (0.10, 0.25), PROB),
    "pool_apply_uplift": _p(0.3, "-", "added apply and approval probability for the 培育库 pool",
                            "no evidence found for coaching towards certification; PE09 (a selective Finnish growth "
                            "programme) shows coached firms can differ a lot. Wide range", (0.0, 0.5), PROB,
                            evidence=("PE09",),
                            label_zh="高企培育库入库企业申报和获批概率的提高",
                            source_zh="认定辅导未找到已发表的证据；PE09（芬兰一项择优支持的成长型企业计划）表明，"
                                      "接受辅导的企业之间差异可能很大。区间取宽"),
    "zjtx_take_up_step_2023": _p(1.43, "x", "how many times the 专精特新 take-up of June 2022 to May 2023 the take-up "
                                 "from June 2023 is (Beijing's package of grants for certified firms, PE32)",
                                 "estimate: Beijing's stock grew at a steady ~30% a year across both rule changes "
                                 "(5,360 in 2022-10, 6,323 in mid-2023, 8,754 in 2024-09: PE29-PE31); with the "
                                 "same pool a step beyond 2x (or below 0.5x) would double (halve) the flow of new "
                                 "certificates and the stock's growth. The default makes the take-up 0.5 "
                                 "(bj-zjtx-2024)", (0.5, 2.0), (0, 10),
                                 evidence=("PE29", "PE30", "PE31", "PE32")),
    "zjtx_take_up_step_2022": _p(1.75, "x", "how many times the 专精特新 take-up before June 2022 the take-up of June "
                                 "2022 to May 2023 is (the national rules, 工信部企业〔2022〕63号)",
                                 "estimate: the stock's steady growth across the rule change (PE29-PE31) bounds the "
                                 "step, as for zjtx_take_up_step_2023; the default makes the take-up 0.35",
                                 (0.5, 2.0), (0, 10), evidence=("PE29", "PE30", "PE31")),
    "zjtx_apply_prob_before_2022": _p(0.2, "-", "share of eligible firms applying for 专精特新 each year before June 2022",
                                      "estimate: the municipal programme before the 2022 national rules (工信部企业〔2022〕63号) "
                                      "was smaller; Beijing's stock was ~5,360 in 2022-10 (PE29)", (0.05, 0.6), PROB),
    "zjtx_widening_before_2022": _p(0.25, "1/year", "yearly widening of the share of firms meeting the 专精特新 rules "
                                    "that pass the young programme's points test, before June 2022",
                                    "estimate: Beijing's stock grew 14-fold to 2024-09 (PE31, about 30% a year over a "
                                    "decade), of which the pool's own growth is about 5% a year in the model",
                                    (0.0, 0.6), (0, 5), evidence=("PE31",)),
    "zjtx_approval_prob": _p(0.7, "-", "approval rate of 专精特新 applications", "estimate", (0.5, 0.85), PROB),
    "listing_rate_pool": _p(0.10, "1/year", "listing hazard of a firm in the 上市培育库",
                            "no evidence found for listing pools; 5-20%/yr incl. NEEQ/BSE 挂牌 is our estimate "
                            "(PE24: 0.4-0.8% of all incubator firms ever listed, an unselected comparator). Wide range",
                            (0.02, 0.25), PROB, evidence=("PE24",),
                            label_zh="上市培育库内企业的年上市率（风险率）",
                            source_zh="上市培育库未找到已发表的证据；每年 5-20%（含新三板、北交所挂牌）"
                                      "为本项目估计（PE24：全部在孵企业中曾上市的仅占 0.4-0.8%，为未经筛选的参照）。"
                                      "区间取宽"),
    "listing_rate_outside": _p(0.004, "1/year", "listing hazard of an eligible firm outside the pool",
                               "estimate", (0.001, 0.01), PROB),
    # --- firm sizes ---
    "above_scale_factor": _p(1.0, "x", "how many times the profiles' estimated share of tech firms with revenue of "
                             "1000万 or more holds", "estimate: each profile's above_scale_share is an estimate no "
                             "figure documents (from 1.2% in a research district, seed 001, to 4-8% in a "
                             "manufacturing zone); Beijing's 专精特新 stock and its growth (PE29-PE31) need firms of "
                             "1000万 with 100万 of R&D. Fits of it (2026-12-03, 2.8, 90% 1.75-3.7; 2026-12-05, 2.2, 90% "
                             "0.9-3.4) were not adopted: docs/history.md. A share a profile documents or a scenario sets is taken as given",
                             (0.5, 4.0), (0.01, 100)),
    # --- entry ---
    "startup_rate": _p(0.30, "share of new market entities", "tech share of new market entities",
                       "seed 003: tech firms are about 30% of Beijing firms (科技型企业28.5万家,占企业总数的30%)",
                       (0.25, 0.35), PROB),
    "startup_incubator_elasticity": _p(0.15, "-", "start-up entry elasticity to incubator places",
                                       "no evidence found; wide range", (0.0, 0.4), (0, 2),
                                       label_zh="初创企业进入对孵化器在孵名额的弹性",
                                       source_zh="未找到已发表的证据；区间取宽"),
    "startup_talent_elasticity": _p(0.2, "-", "start-up entry elasticity to the researcher pool",
                                    "estimate", (0.1, 0.4), (0, 2)),
    "spinoff_rate": _p(0.4, "1/year per platform", "spin-off firms per operating platform",
                       "no evidence found; wide range", (0.1, 1.0), (0, 20),
                       label_zh="每个运行中的平台衍生的企业数",
                       source_zh="未找到已发表的证据；区间取宽"),
    "attracted_high_tech_share": _p(0.25, "-", "share of attracted firms already certified high-tech",
                                    "no evidence found; our estimate for relocations from central Beijing, 15-35%, "
                                    "widened", (0.1, 0.45), PROB,
                                    label_zh="招商引进企业中已认定为高新技术企业的比例",
                                    source_zh="未找到已发表的证据；本项目估计从中心城区迁入的企业中有 15-35% 已获认定"
                                              "，并适当放宽区间"),
    "attracted_future_share": _p(0.35, "-", "share of attracted firms in future industries",
                                 "no evidence found; wide range", (0.15, 0.6), PROB,
                                 label_zh="招商引进企业中属于未来产业的比例",
                                 source_zh="未找到已发表的证据；区间取宽"),
    "startup_future_share": _p(0.015, "-", "share of start-ups in the plan's future industries (AI, metaverse, gene and cell, storage)",
                               "estimate", (0.005, 0.03), PROB),
    # what entrants are like (entry.py); no source documents a district's entrants
    "startup_revenue_median": _p(50.0, "万元/year", "median first-year revenue of a start-up",
                                 "estimate: a firm of one or a few employees (about one per 50万 of revenue, "
                                 "firms.draw_labour)", (20.0, 150.0), (0.1, 1e5)),
    "spinoff_revenue_median": _p(80.0, "万元/year", "median first-year revenue of a platform's spin-off",
                                 "estimate: a spin-off starts with its platform's technology, often a contract, so "
                                 "above a start-up", (30.0, 300.0), (0.1, 1e5)),
    "entrant_revenue_sigma": _p(1.0, "log", "spread of start-ups' and spin-offs' first-year revenue (sd of the log)",
                                "estimate: two thirds within a factor 2.7 of the median", (0.5, 1.5), (0, 3)),
    "entrant_revenue_cap": _p(2000.0, "万元/year", "largest first-year revenue of a start-up or spin-off",
                              "estimate: a new firm larger than this is a subsidiary or a relocation, which the model "
                              "enters as an attracted firm", (1000.0, 5000.0), (1, 5e6)),
    "startup_capability_mean": _p(0.5, "capability", "mean capability of a start-up (gamma, shape 2; the average "
                                  "firm's is 1)", "estimate: a start-up has yet to build what growth_capability_effect "
                                  "rewards", (0.25, 1.0), (0.01, 10)),
    "spinoff_capability_mean": _p(1.5, "capability", "mean capability of a platform's spin-off (gamma, shape 2)",
                                  "estimate: it carries its platform's technology", (1.0, 2.5), (0.01, 10)),
    "spinoff_future_factor": _p(2.0, "x", "how many times a start-up's chance a spin-off is in the plan's future "
                                "industries", "estimate: platforms work on the frontier", (1.0, 4.0), (0, 100)),
    "entrant_ip_share_active": _p(0.1, "-", "share of R&D-active start-ups and spin-offs owning IP when they enter",
                                  "estimate: most file their first patent or software copyright after entry "
                                  "(ip_rate_per_rd)", (0.05, 0.3), PROB),
    "entrant_ip_share_idle": _p(0.02, "-", "share of entrants not doing R&D in earnest that own IP", "estimate",
                                (0.0, 0.05), PROB),
    "attracted_revenue_min": _p(1000.0, "万元/year", "smallest revenue of an attracted firm (Pareto law from here)",
                                "no evidence found; our estimate: districts attract firms of about the 规上 size "
                                "(1000万-2000万 by industry, sectors.py) or larger", (500.0, 2000.0), (1, 1e6)),
    "attracted_revenue_alpha": _p(1.1, "-", "Pareto tail index of attracted firms' revenue (capped at the district's "
                                  "largest firm at the baseline)", "no evidence found for attracted firms; Axtell "
                                  "(2001): firm sizes follow a Pareto law with tail index near 1, as the profiles' "
                                  "revenue_pareto_alpha (1.0-1.2)", (1.0, 1.5), (0.5, 5)),
    "attracted_capability_mean": _p(1.5, "capability", "mean capability of an attracted firm (gamma, shape 2)",
                                    "no evidence found; our estimate: a district courts established firms",
                                    (1.0, 2.5), (0.01, 10)),
    "attracted_ip_share_active": _p(0.7, "-", "share of R&D-active attracted firms owning IP when they arrive",
                                    "no evidence found; our estimate: established R&D-active firms mostly own IP",
                                    (0.5, 0.9), PROB),
    **PROGRAMME_PARAMETERS,  # talent and the district's programmes
}


# Background rules' parameters (no lever sets them) whose evidence gives a range: drawn per replication like the lever
# effects and after them, so that adding one moves no lever effect's draw. rd_deduction_take_up_size is not here: its
# range spans two orders of magnitude, and a triangular draw over it would move its centre from 2000万 to 7400万.
BACKGROUND_DRAWN: tuple[str, ...] = ("rd_user_cost_elasticity",)


def drawn_parameters() -> tuple[str, ...]:
    """What a replication draws from an evidence range, in the order it draws them: lever effects, then background."""
    return (*effect_parameters(), *BACKGROUND_DRAWN)


# The Chinese names of the parameters a replication draws from their evidence (drawn_parameters), which report.md
# lists under the lever effects: each Param's label_zh, beside its English.
LABELS_ZH: dict[str, str] = {name: PARAMETERS[name].label_zh for name in drawn_parameters()}


def check_chinese(parameters: dict[str, Param], drawn: tuple[str, ...]) -> None:
    """ValueError naming a drawn parameter (a lever effect, or a background one drawn like them) without its Chinese
    label or source: the app's Chinese lever panel shows both, and report.md the label."""
    for name in drawn:
        if not parameters[name].label_zh or not parameters[name].source_zh:
            raise ValueError(f"parameter {name}: a drawn parameter needs its Chinese label and source (label_zh, "
                             "source_zh)")


check_chinese(PARAMETERS, drawn_parameters())


@dataclass(frozen=True)
class ParameterSource:
    """Where a replication's behavioural parameters come from.

    "defaults": the values above. "posterior": each replication draws one particle of the calibrated posterior
    (weighted) from its own stream, then every lever effect the posterior does not hold and every background
    parameter of BACKGROUND_DRAWN from its evidence range (`draw_effect`), so that P10-P90 and P(meet) carry what
    the evidence leaves open. "posterior-mean": every replication uses the posterior mean and the central values of
    the effects and background parameters. "effects": the defaults with the effects and background parameters drawn
    (the calibration's simulations, so the posterior is fitted over their uncertainty). A scenario's [parameters]
    table overrides all of them.
    """

    mode: str = "defaults"
    names: tuple[str, ...] = ()
    samples: tuple[tuple[float, ...], ...] = ()  # one tuple per particle, in `names` order
    weights: tuple[float, ...] = ()
    provenance: dict | None = None  # the posterior's file hash, creation date and commit

    @property
    def draws_effects(self) -> bool:
        return self.mode in ("posterior", "effects")

    def draw(self, rng) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.mode == "posterior-mean" and self.samples:
            out = {n: sum(w * s[i] for s, w in zip(self.samples, self.weights, strict=True))
                   for i, n in enumerate(self.names)}
        elif self.mode == "posterior" and self.samples:
            k = int(rng.choice(len(self.weights), p=self.weights))
            out = dict(zip(self.names, self.samples[k], strict=True))
        if self.draws_effects:
            out.update({name: draw_effect(PARAMETERS[name], rng) for name in drawn_parameters() if name not in out})
        return out


def draw_effect(p: Param, rng) -> float:
    """A lever effect's value for one replication: triangular over its evidence range, peaked at its central value
    (the evidence gives a central estimate and a spread, rarely a distribution)."""
    lo, hi = p.range
    return float(rng.triangular(lo, min(max(p.value, lo), hi), hi)) if hi > lo else p.value


DEFAULTS = ParameterSource()


def resolve(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Plain name -> value mapping with a scenario's overrides applied."""
    values = {name: p.value for name, p in PARAMETERS.items()}
    values.update(overrides or {})
    return values
