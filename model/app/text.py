"""Every string the app shows, in Chinese and English; the sentences and notes it shares with the report (its
headline, money sentence, notes under the targets) come from model/output/phrases.py, chart strings from
model/output/labels.py (both via the adapter) and the levers' from the lever registry (via `controls`).

`t(key, lang, **values)` looks here first, then in the report's phrases, then in the charts' table, so a string the
page shares with the report or the charts is written once.
"""

from __future__ import annotations

from . import adapter as ad
from .controls import CONTROLS

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"zh": "innosim 创新生态模拟：规划工作台", "en": "innosim: the planner's workbench"},
    "app_intro": {"zh": "选择情景，调整政策杠杆，运行蒙特卡洛模拟，查看各目标的达成概率，并下载简报。",
                  "en": "Pick a scenario, move the levers, run the Monte Carlo ensemble, read each target's "
                        "chance of being met, and take the briefing home."},
    "host_warning": {"zh": "注意：本服务监听 {host}，同一网络中的其他计算机也能打开本页。",
                     "en": "Note: this server listens on {host}; other computers on the network can open this page."},
    # --- step 1
    "step_scenario": {"zh": "1. 选择情景", "en": "1. Pick a scenario"},
    "library": {"zh": "情景库", "en": "Scenario library"},
    "upload": {"zh": "或上传情景文件（TOML，不超过 {kb} KB）", "en": "or upload a scenario file (TOML, at most {kb} kB)"},
    "upload_drop": {"zh": "选择文件或拖放到此处", "en": "Choose a file or drop it here"},
    "upload_ok": {"zh": "已读取上传的情景：{name}", "en": "Read the uploaded scenario: {name}"},
    "upload_error": {"zh": "上传的文件无效，未运行任何模拟：", "en": "The uploaded file is not valid; nothing was run:"},
    "scenario_info": {"zh": "{title}：{start} 至 {end}，{n} 个目标，地区档案 {profile}",
                      "en": "{title}: {start} to {end}, {n} targets, profile {profile}"},
    # --- step 2
    "step_levers": {"zh": "2. 政策杠杆", "en": "2. Levers"},
    "levers_intro": {"zh": "每个杠杆标出了情景原值（“原方案”）。滑块覆盖情景文件 [ranges] 中的探索范围；"
                           "输入框接受情景格式允许的任何值。",
                     "en": "Each lever shows the scenario's own value (\"plan\"). The slider spans the range "
                           "explored in the scenario's [ranges]; the box takes any value the scenario format "
                           "accepts."},
    "group_platforms": {"zh": "创新平台", "en": "Innovation platforms"},
    "group_talent": {"zh": "人才", "en": "Talent"},
    "group_firms": {"zh": "企业培育与招商", "en": "Firms: cultivation and attraction"},
    "group_incubators": {"zh": "孵化器", "en": "Incubators"},
    "group_budget": {"zh": "科技预算（万元/年）", "en": "S&T budget (10k yuan a year)"},
    "group_review": {"zh": "年度考核", "en": "Annual review"},
    "plan_value": {"zh": "原方案：{value}", "en": "plan: {value}"},
    "valid_range": {"zh": "允许范围 {lo}–{hi}", "en": "valid {lo}-{hi}"},
    "explored_range": {"zh": "探索范围 {lo}–{hi}", "en": "explored {lo}-{hi}"},
    "changed": {"zh": "已修改", "en": "changed"},
    "evidence": {"zh": "机制与依据", "en": "Mechanism and evidence"},
    "mechanism": {"zh": "模型机制：", "en": "How the model uses it: "},
    "effects_intro": {"zh": "效应参数：每次模拟从其依据区间抽取（见 model/parameters.py）", "en": "Its effects, drawn per replication from their evidence range (model/parameters.py):"},
    "effect_line": {"zh": "{label}（{name}）：中心值 {central}，区间 {lo} 至 {hi}{unit}", "en": "{label} ({name}): central {central}, range {lo} to {hi}{unit}"},
    "no_effects": {"zh": "此杠杆本身没有效应参数：它通过所支付的项目起作用。", "en": "No effect of its own: it acts through what it pays for."},
    # the adaptive shift pays for nothing: it moves budget between channels, which act through what they pay for
    "no_effects_shift": {"zh": "此杠杆本身没有效应参数：它在各渠道之间调配预算，各渠道再通过所支付的项目起作用。",
                         "en": "No effect of its own: it moves budget between the channels, which act through what "
                               "they pay for."},
    "no_evidence_found": {"zh": "未找到已发表的估计，因此区间较宽。", "en": "No published estimate found, so the range is wide on purpose."},
    "grant_each": {"zh": "由{channel}支付：每{unit} {grant} 万元；增减{unit}数时该渠道随之增减。", "en": "Paid from {channel}: {grant} (10k yuan) each; the channel moves with the count."},
    "follows": {"zh": "含随上方数量变动的 {delta} 万元/年（每单位的资助额）。", "en": "Includes {delta} (10k yuan a year) moved with the counts above (their unit grants)."},
    "floor": {"zh": "已升至上方数量所需的资助额：渠道不会少于它所支付的数量所需。", "en": "Raised to what the counts above need: a channel never holds less than the counts it pays for."},
    "shown_as": {"zh": "即 {value} {unit}", "en": "that is {value} {unit}"},
    "one_value": {"zh": "整个规划期使用同一数值（情景格式暂不支持逐年取值）。",
                  "en": "One value for every year (the scenario format has no per-year values yet)."},
    "per_year": {"zh": "逐年设定", "en": "Set per year"},
    "year_value": {"zh": "{year}年", "en": "{year}"},
    "reset": {"zh": "恢复原方案", "en": "Back to the plan"},
    "budget_total": {"zh": "预算合计：{value} 万元/年（原方案 {plan}）",
                     "en": "Budget total: {value} (10k yuan a year; plan {plan})"},
    "budget_error": {"zh": "当前设置无效，无法运行：", "en": "These settings are not valid and cannot run:"},
    # --- step 3
    "step_run": {"zh": "3. 运行", "en": "3. Run"},
    "replications": {"zh": "模拟次数", "en": "Replications"},
    "seed": {"zh": "随机种子", "en": "Seed"},
    "parameters": {"zh": "行为参数", "en": "Behavioural parameters"},
    "param_posterior": {"zh": "校准后验（每次模拟抽取一组）", "en": "calibrated posterior (a draw per replication)"},
    "param_posterior-mean": {"zh": "校准后验均值", "en": "posterior mean"},
    "param_defaults": {"zh": "未校准的默认值", "en": "uncalibrated defaults"},
    "posterior_missing": {"zh": "没有校准后验，本次使用默认参数运行。",
                          "en": "No calibrated posterior: this run uses the default parameters."},
    "posterior_unreadable": {"zh": "无法读取校准后验（{reason}），本次使用默认参数运行。",
                             "en": "The calibrated posterior could not be read ({reason}); this run uses the default "
                                   "parameters."},
    "posterior_unscreened": {"zh": "校准后验尚未经过合理性规律筛查（筛查被中断），部分参数组可能违反规律；"
                                   "请运行 innosim calibrate --screen-only。",
                             "en": "The calibrated posterior was saved before its law screen (the screen was "
                                   "stopped), so some of its particles may break a plausibility law; run innosim "
                                   "calibrate --screen-only."},
    "run": {"zh": "运行模拟", "en": "Run the ensemble"},
    "cancel": {"zh": "取消", "en": "Cancel"},
    "cancelled": {"zh": "已取消，未保存任何结果。", "en": "Cancelled; nothing was kept."},
    "phase_run": {"zh": "正在模拟：{done}/{total} 次", "en": "Running: {done} of {total} replications"},
    "phase_plan": {"zh": "正在以相同随机数模拟原方案以作对比：{done}/{total} 次",
                   "en": "Running the plan on the same random numbers for the comparison: {done} of {total}"},
    "phase_report": {"zh": "正在生成简报（图表和 report.html）……", "en": "Writing the briefing (charts and report.html)..."},
    "run_failed": {"zh": "运行失败：{reason}", "en": "The run failed: {reason}"},
    "run_done": {"zh": "{n} 次模拟，种子 {seed}，用时 {seconds} 秒。", "en": "{n} replications, seed {seed}, {seconds} s."},
    "stale": {"zh": "杠杆或设置已在此次运行后修改：下方结果对应上一次运行的设置。",
              "en": "Levers or settings changed since this run: the results below are for the settings of the last run."},
    # --- step 4
    "step_results": {"zh": "4. 结果", "en": "4. Results"},
    "col_channel": {"zh": "渠道", "en": "Channel"},
    "col_budgeted": {"zh": "预算 P50（亿元）", "en": "Budgeted P50 (bn yuan)"},
    "col_paid": {"zh": "支付 P50 [P10 - P90]（亿元）", "en": "Paid P50 [P10 - P90] (bn yuan)"},
    "col_unspent": {"zh": "未用 [P10 - P90]", "en": "Unspent [P10 - P90]"},
    "money_total": {"zh": "合计", "en": "Total"},
    "head_compare": {"zh": "与原方案相比（相同随机数）：{up} 个成果目标的达成概率明显上升，{down} 个明显下降，"
                           "其余变化不显著。",
                     "en": "Against the plan (common random numbers), outcome targets whose P(meet) clearly rises: {up}; "
                           "clearly falls: {down}; the other changes are within the noise."},
    "head_same": {"zh": "当前设置与原方案相同；修改杠杆后可与原方案对比。",
                  "en": "These are the plan's own settings; move a lever to compare with the plan."},
    "outcomes": {"zh": "成果目标", "en": "Outcome targets"},
    "col_delivered": {"zh": "交付 P50", "en": "Delivered P50"},
    "col_delivery": {"zh": "由杠杆交付（算术）", "en": "By the lever (arithmetic)"},
    "commitment_tag": {"zh": "（承诺）", "en": " (commitment)"},
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_baseline": {"zh": "基期", "en": "Baseline"},
    "col_target": {"zh": "目标", "en": "Target"},
    "col_range": {"zh": "P50 [P10 - P90]", "en": "P50 [P10 - P90]"},
    "col_pmeet": {"zh": "达成概率", "en": "P(meet)"},
    # the limits themselves are the report's (model/output/limits.py, KNOWN_LIMITS), in the page's language
    "known_limits": {"zh": "‡ 模型已知局限（{n} 个指标）：其达成概率勿单独引用",
                     "en": "‡ Known limits of the model for {indicators}: do not quote {their} P(meet) alone"},
    "known_limits_intro": {"zh": "回测等检验表明模型在下列指标上存在已知局限，简报（report.html）中列有同样的说明。",
                           "en": "What the backtest and the settled-start test show the model gets wrong for these "
                                 "indicators, as the briefing (report.html) lists it."},
    "fan_charts": {"zh": "扇形图", "en": "Fan charts"},
    "fan_pick": {"zh": "指标", "en": "Indicator"},
    "dashboard": {"zh": "目标达成概率一览", "en": "Target dashboard"},
    "comparison": {"zh": "与原方案对比（共同随机数，95% 配对区间）",
                   "en": "Against the plan (common random numbers, 95% paired intervals)"},
    "comparison_wait": {"zh": "对比结果将在原方案模拟完成后显示。", "en": "The comparison appears once the plan has run."},
    "col_p50_plan": {"zh": "原方案 P50", "en": "P50 plan"},
    "col_p50_yours": {"zh": "当前 P50", "en": "P50 yours"},
    "col_dp50": {"zh": "P50 变化 [95%]", "en": "Change in P50 [95%]"},
    "col_pmeet_change": {"zh": "达成概率", "en": "P(meet)"},
    "col_dpmeet": {"zh": "变化（百分点）[95%]", "en": "Change, pp [95%]"},
    "star_note": {"zh": "* 95% 区间不含 0；+<1* 为不足 1 个百分点的增加（-<1* 为减少），其 95% 区间同样不含 0。",
                  "en": "* the 95% interval excludes 0; +<1* is a rise of less than a point (-<1* a fall), its interval "
                        "excluding 0 too."},
    # --- step 5
    "step_take_home": {"zh": "5. 下载", "en": "5. Take it home"},
    "dl_report": {"zh": "简报 report.html", "en": "Briefing report.html"},
    "dl_report_wait": {"zh": "简报生成中……", "en": "The briefing is being written..."},
    "dl_targets_csv": {"zh": "目标表 CSV", "en": "Target table CSV"},
    "dl_fan_csv": {"zh": "扇形图数据 CSV", "en": "Fan-chart data CSV"},
    "dl_xlsx": {"zh": "全部表格 Excel（目标、扇形图数据、资金）", "en": "All tables as Excel (targets, fan charts, money)"},
    "dl_money_csv": {"zh": "资金表 CSV", "en": "Money table CSV"},
    "dl_charts": {"zh": "全部图表 PNG（zip）", "en": "All charts as PNG (zip)"},
    "dl_chart": {"zh": "此图 PNG", "en": "This chart as PNG"},
    "dl_scenario": {"zh": "当前设置的情景文件 TOML", "en": "Current settings as a scenario TOML"},
    "saved_in": {"zh": "结果已保存：{folder}", "en": "Results saved in {folder}"},
    # --- step 6
    "step_inside": {"zh": "6. 单次模拟内部", "en": "6. Inside one run"},
    "inside_intro": {"zh": "以当前设置运行一次模拟（第 {r} 次），逐月查看企业群体：规模分布、认定流量和政策项目受益企业。",
                     "en": "One replication (number {r}) of the current settings, month by month: the firm "
                           "population's sizes, certification flows and programme recipients."},
    "inside_run": {"zh": "运行单次模拟", "en": "Run one replication"},
    "inside_replication": {"zh": "第几次模拟", "en": "Replication"},
    "inside_done": {"zh": "{name} 的第 {r} 次模拟（与集合中的同一次相同）。", "en": "Replication {r} of {name} (the same as in the ensemble)."},
    "inside_sizes": {"zh": "企业规模分布（按营业收入分组的企业数）", "en": "Firm sizes (firms by revenue class)"},
    "inside_flows": {"zh": "认定流量（每月获得与失去）", "en": "Certification flows (gained and lost a month)"},
    "inside_programmes": {"zh": "政策项目受益企业（当月）", "en": "Programme recipients (that month)"},
    "inside_month": {"zh": "月份", "en": "Month"},
    # --- csv / xlsx headers
    "h_id": {"zh": "目标编号", "en": "target id"},
    "h_indicator_id": {"zh": "指标代码", "en": "indicator id"},
    "h_indicator": {"zh": "指标", "en": "indicator"},
    "h_year": {"zh": "年份", "en": "year"},
    "h_comparator": {"zh": "比较", "en": "comparator"},
    "h_threshold": {"zh": "目标值", "en": "threshold"},
    "h_measured": {"zh": "判定达成的阈值（左右目标按容差放宽）", "en": "threshold measured (about targets: loosened)"},
    "h_baseline": {"zh": "基期值", "en": "baseline"},
    "h_p10": {"zh": "P10", "en": "P10"},
    "h_p25": {"zh": "P25", "en": "P25"},
    "h_p50": {"zh": "P50", "en": "P50"},
    "h_p75": {"zh": "P75", "en": "P75"},
    "h_p90": {"zh": "P90", "en": "P90"},
    "h_p_meet": {"zh": "达成概率", "en": "P(meet)"},
    "h_light": {"zh": "信号灯", "en": "light"},
    "h_kind": {"zh": "类别", "en": "kind"},
    "h_quote": {"zh": "规划原文", "en": "quote"},
    "h_date": {"zh": "月份", "en": "month"},
    "h_unit": {"zh": "单位", "en": "unit"},
    "h_plan_p50": {"zh": "原方案P50", "en": "plan P50"},
    "h_plan_p_meet": {"zh": "原方案达成概率", "en": "plan P(meet)"},
    "h_d_p_meet": {"zh": "达成概率变化", "en": "change in P(meet)"},
    "h_d_p_meet_low": {"zh": "变化下限95%", "en": "change low 95%"},
    "h_d_p_meet_high": {"zh": "变化上限95%", "en": "change high 95%"},
    "kind_outcome": {"zh": "成果目标", "en": "outcome"},
    "kind_commitment": {"zh": "政府承诺", "en": "commitment"},
    "h_mark": {"zh": "基期标记", "en": "baseline mark"},
    "h_delivery": {"zh": "由杠杆交付", "en": "delivery"},
    "h_channel_id": {"zh": "渠道代码", "en": "channel id"},
    "h_channel": {"zh": "渠道", "en": "channel"},
    "h_budgeted_p50": {"zh": "预算P50（万元）", "en": "budgeted P50 (10k yuan)"},
    "h_paid_p10": {"zh": "支付P10（万元）", "en": "paid P10 (10k yuan)"},
    "h_paid_p50": {"zh": "支付P50（万元）", "en": "paid P50 (10k yuan)"},
    "h_paid_p90": {"zh": "支付P90（万元）", "en": "paid P90 (10k yuan)"},
    "h_unspent_p10": {"zh": "未用比例P10", "en": "unspent share P10"},
    "h_unspent_p50": {"zh": "未用比例P50", "en": "unspent share P50"},
    "h_unspent_p90": {"zh": "未用比例P90", "en": "unspent share P90"},
}


def t(key: str, lang: str, **kw) -> str:
    table = TEXT.get(key) or ad.PHRASES.get(key) or ad.CHART_TEXT[key]
    return table[lang].format(**kw)


def all_strings() -> list[str]:
    """Every string of the page in both languages (for the glyph test)."""
    return [v for table in (TEXT, ad.PHRASES) for d in table.values() for v in d.values()] + [
        s for c in CONTROLS.values() for s in (c.zh, c.en, c.unit_zh, c.unit_en, c.explain_zh, c.explain_en,
                                               c.mechanism_zh)] + [
        s for c in CONTROLS.values() for e in c.effects for s in (e.label_zh, e.source_zh)] + [
        *(s for d in ad.KNOWN_LIMITS.values() for s in d.values())]  # shown as they are under "known_limits"
