"""Behavioural parameters: every one carries its unit, label, plausible range and source.

Values here are documented estimates; the calibrated ones (calibration.PRIORS) are drawn from the
posterior in runs. A scenario may override any of them in its `[parameters]` table; the override
must stay inside the hard `bounds` (what is physically meaningful), not the `range`
(what we believe plausible).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lever_registry import effect_parameters


@dataclass(frozen=True)
class Param:
    value: float
    unit: str
    label: str
    source: str
    range: tuple[float, float]
    bounds: tuple[float, float]
    evidence: tuple[str, ...] = ()  # rows of the policy-evidence table (PE..) the value and range come from

    @property
    def no_evidence(self) -> bool:
        """Marked as having no published estimate behind it (its range is then wide on purpose)."""
        return self.source.startswith(NO_EVIDENCE)


NO_EVIDENCE = "no evidence found"


def _p(value, unit, label, source, rng, bounds=(0.0, float("inf")), evidence: tuple[str, ...] = ()) -> Param:
    return Param(float(value), unit, label, source, (float(rng[0]), float(rng[1])), bounds, tuple(evidence))


PROB = (0.0, 1.0)

PARAMETERS: dict[str, Param] = {
    # --- growth (Amaral et al. 1997; Bottazzi & Secchi 2006) ---
    "growth_drift": _p(0.02, "1/year", "baseline log-revenue drift",
                       "estimate: real growth of surviving small firms, 0-5%/yr", (0.0, 0.05), (-1, 1)),
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
                              evidence=("PE37", "PE08")),
    "growth_scenario_boost": _p(0.12, "1/year", "drift while a matched application scenario runs (12 months)",
                                "PE43: innovation-directed procurement raised turnover from new products (significant, "
                                "magnitude not retrieved), while price-only tenders reduce innovation; size a "
                                "documented-sign estimate with a wide range", (0.0, 0.25), (-1, 2), evidence=("PE43",)),
    "growth_incubator_boost": _p(0.03, "1/year", "drift while incubated",
                                 "PE21: incubator tenancy lowered sales of Italian start-ups (turning positive later); "
                                 "PE22: incubated US firms grew faster in jobs and sales; so a small central value, and "
                                 "a range that allows a negative effect", (-0.05, 0.12), (-1, 2),
                                 evidence=("PE21", "PE22")),
    "spillover_per_density": _p(0.03, "1/year per platform per 1,000 firms of the industry",
                                "capability gain of firms per unit of platform density in their industry",
                                "PE41 (comparator): incumbents' TFP rose 12% five years after a large plant opened in "
                                "their county, more where they share labour and technology; no estimate for R&D "
                                "platforms, so wide: Tongzhou's ~3 platforms per 1,000 firms in its R&D-heavy industries "
                                "then add 0.1 a year", (0.0075, 0.06), (0, 10), evidence=("PE41",)),
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
                         "PE44: the rise from 1.6% to 9.5% over three years; 12 months gives 1.5%, 5.3%, 7.5%, 8.5% "
                         "of h_old = 10% in years 1-4", (6, 24), (1, 600)),
    "exit_size_gamma": _p(0.15, "-", "hazard ~ (revenue/reference)^-gamma", "estimate", (0.05, 0.4), (0, 2)),
    "exit_incubator_reduction": _p(0.4, "-", "share of hazard removed while incubated",
                                   "PE22: exits are lower during incubation (and higher after it); PE20: no German "
                                   "incubator raised 10-year survival. The model removes hazard only during the stay",
                                   (0.1, 0.6), PROB, evidence=("PE22", "PE20")),
    "exit_subsidy_reduction": _p(0.3, "-", "share of hazard removed while a rent/loan subsidy runs",
                                 "no evidence found for rent subsidies (PE34 says so); PE36: French loan guarantees "
                                 "raised survival (comparator, magnitude not in the table). Wide range",
                                 (0.0, 0.6), PROB, evidence=("PE34", "PE36")),
    # --- R&D decision ---
    "rd_reward_elasticity": _p(0.4, "-", "price elasticity of R&D to the growth-reward rate",
                               "PE13: short-run R&D user-cost elasticity 0.40 for Chinese listed firms; PE19: 0.21 "
                               "meta-analytic, bias-corrected; PE11: 1.14 for real R&D at the high-tech notch; PE01, "
                               "PE03: subsidies crowd out firm-financed R&D (-0.5 RMB per RMB; -6.5% per SD), so the "
                               "range allows a negative response. PE17 (2.6, UK SMEs) and PE04 (4.51, preprint) lie "
                               "above it", (-0.3, 1.2), (-5, 5), evidence=("PE13", "PE19", "PE11", "PE01", "PE03")),
    "rd_user_cost_elasticity": _p(0.397, "-", "elasticity of R&D to its user cost, through which the R&D "
                                  "super-deduction's steps act (rd_tax.py)",
                                  "PE13: 0.397 in the short run for Chinese listed firms, under tax incentives "
                                  "including the super-deduction; PE19: 0.21 for the flow, meta-analytic and "
                                  "bias-corrected (the low end); PE11's seminar version: 0.34-0.50 by firm size",
                                  (0.21, 0.50), (0, 5), evidence=("PE13", "PE19", "PE11")),
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
                                 evidence=("PE16",)),
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
                            evidence=("PE09",)),
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
                            (0.02, 0.25), PROB, evidence=("PE24",)),
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
                                       "no evidence found; wide range", (0.0, 0.4), (0, 2)),
    "startup_talent_elasticity": _p(0.2, "-", "start-up entry elasticity to the researcher pool",
                                    "estimate", (0.1, 0.4), (0, 2)),
    "spinoff_rate": _p(0.4, "1/year per platform", "spin-off firms per operating platform",
                       "no evidence found; wide range", (0.1, 1.0), (0, 20)),
    "attracted_high_tech_share": _p(0.25, "-", "share of attracted firms already certified high-tech",
                                    "no evidence found; our estimate for relocations from central Beijing, 15-35%, "
                                    "widened", (0.1, 0.45), PROB),
    "attracted_future_share": _p(0.35, "-", "share of attracted firms in future industries",
                                 "no evidence found; wide range", (0.15, 0.6), PROB),
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
    # --- talent ---
    "talent_inflow_rate": _p(0.10, "1/year", "researcher inflow as share of the pool", "estimate", (0.06, 0.14), PROB),
    "talent_outflow_rate": _p(0.08, "1/year", "researcher outflow as share of the pool", "estimate", (0.05, 0.12), PROB),
    "talent_market_response": _p(1.0, "1/year", "rate at which migration closes the gap between researchers and demand (both ways)",
                                 "estimate: about a year to fill a gap", (0.5, 2.0), (0, 12)),
    "talent_services_effect": _p(0.5, "-", "inflow multiplier per unit of the services (温度) index",
                                 "no evidence found; wide range", (0.0, 1.0), (0, 5)),
    "growth_talent_boost": _p(0.02, "1/year", "drift of a firm while it hosts a placed high-level talent (36 months)",
                              "no evidence found for firms; PE40: returnee scientists publish 27% more, an effect that "
                              "runs through the resources they get, not the title. Wide range", (0.0, 0.04), (0, 2),
                              evidence=("PE40",)),
    "growth_team_boost": _p(0.06, "1/year", "drift of a firm while it hosts a funded innovation team (36 months)",
                            "no evidence found for firms (PE40 as for talents). Wide range", (0.0, 0.12), (0, 2),
                            evidence=("PE40",)),
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
                           evidence=("PE37",)),
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
    "rd_per_national_platform": _p(8000.0, "万元/year", "R&D spending of a national platform", "no evidence found; our estimate", (3000, 15000), (0, 1e7)),
    "rd_per_municipal_platform": _p(1500.0, "万元/year", "R&D spending of a municipal platform", "no evidence found; our estimate", (500, 3000), (0, 1e7)),
    "rd_per_joint_lab": _p(800.0, "万元/year", "R&D spending of a joint lab or new R&D institution", "no evidence found; our estimate", (300, 2000), (0, 1e7)),
    "rd_per_pilot_base": _p(500.0, "万元/year", "R&D spending of a pilot or testing base", "no evidence found; our estimate", (200, 1500), (0, 1e7)),
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


# Background rules' parameters (no lever sets them) whose evidence gives a range: drawn per replication like the lever
# effects and after them, so that adding one moves no lever effect's draw. rd_deduction_take_up_size is not here: its
# range spans two orders of magnitude, and a triangular draw over it would move its centre from 2000万 to 7400万.
BACKGROUND_DRAWN: tuple[str, ...] = ("rd_user_cost_elasticity",)


# The Chinese names of the parameters a replication draws from their evidence (drawn_parameters), which report.md
# lists under the lever effects; a test keeps one for each. The English is each Param's label; a figure in one is
# in the other.
LABELS_ZH: dict[str, str] = {
    "attracted_future_share": "招商引进企业中属于未来产业的比例",
    "attracted_high_tech_share": "招商引进企业中已认定为高新技术企业的比例",
    "equity_rd_uplift": "获得引导基金股权投资的企业 R&D 投入倾向的提高",
    "exit_incubator_reduction": "在孵期间退出风险降低的比例",
    "exit_subsidy_reduction": "享受房租补贴或贷款贴息期间退出风险降低的比例",
    "growth_equity_boost": "引导基金股权投资期间（24 个月）企业营业收入的附加增长率",
    "growth_incubator_boost": "在孵期间企业营业收入的附加增长率",
    "growth_scenario_boost": "对接的应用场景实施期间（12 个月）企业营业收入的附加增长率",
    "growth_talent_boost": "企业引进的高层次人才在岗期间（36 个月）其营业收入的附加增长率",
    "growth_team_boost": "企业获资助的创新团队在岗期间（36 个月）其营业收入的附加增长率",
    "listing_rate_pool": "上市培育库内企业的年上市率（风险率）",
    "pool_apply_uplift": "高企培育库入库企业申报和获批概率的提高",
    "rd_per_joint_lab": "每个校企联合实验室或新型研发机构的 R&D 经费",
    "rd_per_municipal_platform": "每个市级创新平台的 R&D 经费",
    "rd_per_national_platform": "每个国家级创新平台的 R&D 经费",
    "rd_per_pilot_base": "每个中试或检验检测基地的 R&D 经费",
    "rd_reward_elasticity": "R&D 对研发投入增长奖励比例的价格弹性",
    "rd_reward_take_up_size": "有资格获得研发投入增长奖励的企业中半数申领时的营业收入（营业收入为 R 的企业以 R / (R + 该值) "
                              "的概率申领）",
    "spillover_per_density": "所在行业的平台密度每增加一个单位带来的企业能力提升",
    "spinoff_rate": "每个运行中的平台衍生的企业数",
    "startup_incubator_elasticity": "初创企业进入对孵化器在孵名额的弹性",
    "talent_services_effect": "人才服务（温度）指数每增加一个单位对人才流入的乘数",
    "rd_user_cost_elasticity": "R&D 对其使用成本的弹性，研发费用加计扣除比例的历次提高经由它起作用（rd_tax.py）",
}


def drawn_parameters() -> tuple[str, ...]:
    """What a replication draws from an evidence range, in the order it draws them: lever effects, then background."""
    return (*effect_parameters(), *BACKGROUND_DRAWN)


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
