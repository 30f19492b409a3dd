"""The end-of-horizon table for the terminal and the markdown report of a results folder."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

from ..indicators import INDICATORS, indicator_name
from ..levers import label
from ..profiles import PROFILES
from ..scenario import Scenario
from ..targets import measured_threshold
from .limits import KNOWN_LIMITS

# Traffic lights on P(meet) as shown, in whole percent: green from 80%, amber from 50%, red below
LIGHTS = (("green", 80), ("amber", 50), ("red", 0))
# Shown at the horizon when no target reads them (a scenario without targets, such as the city baseline).
HEADLINE_INDICATORS = ("high_tech", "specialized_sme", "listed", "rd_intensity", "to_above_scale_cum",
                       "national_platforms", "municipal_platforms")
CONTEXT = ("living_firms", "above_scale", "entries_cum", "exits_cum", "researchers",
           "budget_disbursed_cum", "budget_unspent_cum", "social_capital_cum",
           "total_index", "increment_index", "quality_index")


def percent(p: float) -> int:
    """P(meet) in the whole percent every table and chart prints."""
    return round(100 * p)


def light(p: float) -> str:
    """The light of a P(meet), decided on the percent shown: 0.495 prints 50% and is amber, never a red "50%"."""
    shown = percent(p)
    return next(name for name, lo in LIGHTS if shown >= lo)


def measured_value(t: dict) -> float | None:
    """The threshold an 'about' target's P(meet) is measured against (400 at 5%: 380); None without a tolerance."""
    tolerance = t.get("tolerance") or 0.0
    return measured_threshold(t["threshold"], t["comparator"], tolerance) if tolerance else None


def target_cell(t: dict) -> str:
    """'> 1,500 (2026)'; an 'about' target also says what counts as met: '>= 400 (2026; about: >= 380 counts)'."""
    ind, measured = t["indicator"], measured_value(t)
    about = f"; about: {t['comparator']} {fmt(ind, measured)} counts" if measured is not None else ""
    return f"{t['comparator']} {fmt(ind, t['threshold'])} ({t['year']}{about})"


def fmt(indicator: str, v: float) -> str:
    unit = INDICATORS[indicator].unit
    if unit == "%":
        return f"{v:.2f}%"
    if unit == "x":
        return f"{v:.2f}x"
    if unit == "index":
        return f"{v:.1f}"
    if unit == "share":  # written as a fraction in scenario files (0.6), shown as written
        return f"{v:.2f}"
    if unit == "1/year":  # exit hazards, a few hundredths
        return f"{v:.3f}"
    if unit.startswith("万元"):
        return f"{v / 1e4:,.1f}亿"
    return f"{v:,.0f}"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int, right: bool = False) -> str:
    fill = " " * max(w - _width(s), 0)
    return fill + s if right else s + fill


def _baseline_cell(summary: dict, t: dict) -> str:
    """The baseline, marked * when drawn per replication and † when its estimate leans on the plan's targets."""
    ind = t["indicator"]
    s = summary["indicators"][ind]
    drawn = "*" if s["baseline_p10"] != s["baseline_p90"] else ""
    return fmt(ind, t["baseline"]) + drawn + ("†" if from_plan(t) else "")


def from_plan(t: dict) -> bool:
    return bool(t.get("baseline_source", {}).get("from_plan"))


def outcomes(summary: dict) -> list[dict]:
    return [t for t in summary["targets"] if t.get("kind", "outcome") == "outcome"]


def commitments(summary: dict) -> list[dict]:
    return [t for t in summary["targets"] if t.get("kind") == "commitment"]


def _rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    rows = []
    for t in outcomes(summary):
        ind = t["indicator"]
        rows.append([
            indicator_name(ind, lang),
            _baseline_cell(summary, t),
            target_cell(t),
            f"{fmt(ind, t['p50'])} [{fmt(ind, t['p10'])} - {fmt(ind, t['p90'])}]",
            f"{percent(t['p_meet'])}%",
            light(t["p_meet"]),
        ])
    return rows


def _commitment_rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    return [[indicator_name(t["indicator"], lang), target_cell(t), fmt(t["indicator"], t["p50"]), t["delivery"] or ""]
            for t in commitments(summary)]


# The terminal tables' headings: bilingual with the Chinese names (the default), English with the English ones
HEAD_COMMITMENTS = {"zh": ["commitment 承诺事项", "target 目标", "delivered 交付", "by the lever 由杠杆直接交付"],
                    "en": ["commitment", "target", "delivered", "by the lever"]}
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


HEAD = {"zh": ["indicator 指标", "baseline 基期", "target 目标", "P50 [P10 - P90]", "P(meet)", ""],
        "en": ["indicator", "baseline", "target", "P50 [P10 - P90]", "P(meet)", ""]}


def text_table(head: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of an aligned terminal table (Chinese characters count two columns); `right`: right-aligned columns."""
    rows = [head, *rows]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(_pad(c, widths[i], right=i in right) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def markdown_table(head: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of a markdown table; `right`: right-aligned columns."""
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"
    return ["| " + " | ".join(head) + " |", rule, *("| " + " | ".join(r) + " |" for r in rows)]


def context_indicators(summary: dict) -> list[str]:
    """The context table's indicators: the usual context, led by the headline ones no target reads."""
    targeted = {t["indicator"] for t in summary["targets"]}
    return [i for i in HEADLINE_INDICATORS if i not in targeted] + list(CONTEXT)


def _untargeted_rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    rows = []
    for ind in HEADLINE_INDICATORS:
        s = summary["indicators"][ind]
        drawn = "*" if s["baseline_p10"] != s["baseline_p90"] else ""
        rows.append([indicator_name(ind, lang), fmt(ind, s["baseline_p50"]) + drawn, "-",
                     f"{fmt(ind, s['p50'])} [{fmt(ind, s['p10'])} - {fmt(ind, s['p90'])}]", "-", ""])
    return rows


def known_limits(summary: dict, name: Callable[[str], str] | None = None, *, lang: str) -> list[str]:
    """The known limits (limits.KNOWN_LIMITS) of the indicators the scenario's targets read, one line each, in
    `lang`. `name` names an indicator (default its Chinese name, as the report's tables; the terminal and the app
    pass their language's)."""
    name = name or (lambda i: INDICATORS[i].zh)
    seen = [t["indicator"] for t in summary["targets"]]
    return [f"{name(i)} ({i}): {KNOWN_LIMITS[i][lang]}" for i in dict.fromkeys(seen) if i in KNOWN_LIMITS]


# A P(meet) is the share of N replications that meet the target: its binomial standard error is at most
# 100 * sqrt(0.25 / N) points (at 50%). Below FEW_REPLICATIONS that is more than 5 points, so one P(meet)'s 95%
# interval is wider than +-10 points, a third of the amber band (50-80%), and a target's light can change with the
# seed (optimize too confirms its finalists on 100 fresh replications). The library's plans run
# BRIEFING_REPLICATIONS (+-4 points), which the note advises. The app shows the note under its headline
# (model/app/text.py, "few_runs"), innosim run under its table, report.md under the targets (few_runs_note).
FEW_REPLICATIONS = 100
BRIEFING_REPLICATIONS = 200
NOTE_FEW_RUNS = ("Few runs: each P(meet) from {runs} is uncertain by about ±{points} points (its binomial standard "
                 "error at 50%); use at least {briefing} runs for a briefing.")


def p_meet_error(replications: int) -> int:
    """The binomial standard error of a P(meet) at 50% from `replications` runs, in whole percentage points."""
    return round(100 * math.sqrt(0.25 / replications))


def needs_few_runs_note(summary: dict) -> bool:
    """A run of fewer than FEW_REPLICATIONS replications with an outcome target (a P(meet) the model finds; a
    commitment's is arithmetic)."""
    return summary["replications"] < FEW_REPLICATIONS and bool(outcomes(summary))


def few_runs_note(summary: dict) -> str:
    """NOTE_FEW_RUNS when needs_few_runs_note, else ''."""
    n = summary["replications"]
    if not needs_few_runs_note(summary):
        return ""
    return NOTE_FEW_RUNS.format(runs=plural(n, "run"), points=p_meet_error(n), briefing=BRIEFING_REPLICATIONS)


def console_table(summary: dict, lang: str = "zh") -> str:
    """The terminal's table, notes and known limits; `lang` names the indicators and writes the known limits
    (innosim run --lang)."""
    rows = _rows(summary, lang) if summary["targets"] else _untargeted_rows(summary, lang)
    lines = text_table(HEAD[lang], rows, right=(1, 4))
    end = summary["end"]
    title = (f"{summary['title']} — {summary['replications']} replications, seed {summary['seed']}, "
             f"values at December of the target year (horizon {end})")
    few = few_runs_note(summary)
    notes = ([few] if few else []) + [NOTE_DRAWN] + ([NOTE_FROM_PLAN] if any(from_plan(t) for t in summary["targets"])
                                                     else [])
    notes += [NOTE_ABOUT] if any(measured_value(t) is not None for t in summary["targets"]) else []
    notes += [NOTE_EFFECTS] if summary.get("lever_effects", {}).get("drawn") else []
    promised = commitments(summary)
    if promised:
        lines += ["", *text_table(HEAD_COMMITMENTS[lang], _commitment_rows(summary, lang), right=(2,))]
        notes.append(NOTE_COMMITMENTS)
    sentence = money_sentence(summary, lang)
    money = [f"$ {sentence}"] if sentence else []
    limits = known_limits(summary, lambda i: indicator_name(i, lang), lang=lang)
    return "\n".join([title, *lines, *notes, *money, *(f"! {x}" for x in limits)])


# report.md names indicators and channels as the plan does, in Chinese, whatever --lang (captions, limits follow it)
REPORT_NAMES = "zh"
UNSPENT_HEADLINE = 0.10  # a budget that leaves this share unspent (P50) does not bind: the headline says so first


def _yi(wan: float) -> str:
    return f"{wan / 1e4:,.1f}亿元"


def idle_channels(money: dict) -> list[tuple[str, float]]:
    """(channel, unspent share P50) of the funded channels that leave UNSPENT_HEADLINE or more unspent, most first."""
    return sorted(((c, v["unspent_share"]["p50"]) for c, v in money.items() if c != "total"
                   and v["budgeted"]["p50"] > 0 and v["unspent_share"]["p50"] >= UNSPENT_HEADLINE),
                  key=lambda cv: -cv[1])


def waiting_platforms(summary: dict) -> tuple[int, int, int, bool] | None:
    """(P50, P10, P90, platform money left unspent) of the platforms the levers made due that the platform grants had
    not paid for at the horizon; None when fewer than one waits at the P50."""
    s = summary.get("indicators", {}).get("platforms_awaiting_grant")
    if not s or s["p50"] < 1:
        return None
    grant = (summary.get("money") or {}).get("platform_grant")
    unspent = bool(grant) and grant["budgeted"]["p50"] > 0 and grant["unspent_share"]["p50"] > 0
    return round(s["p50"]), round(s["p10"]), round(s["p90"]), unspent


def channel_name(channel: str, lang: str) -> str:
    """A budget channel's name, its lever's (model/lever_registry.py): '平台资助' (zh), 'platform grants' (en). Every
    table and sentence on money names channels through here, the app's too, so that no name stays English in zh."""
    return label(f"budget.{channel}", lang)


def awaiting_platforms(summary: dict, lang: str) -> str:
    """A sentence on the platforms still waiting for a grant at the horizon ('' when none waits at the P50); `lang`
    names the channel."""
    w = waiting_platforms(summary)
    if w is None:
        return ""
    n, lo, hi, unspent = w
    spread = f"P10 and P90 also {n}" if lo == hi == n else f"P10-P90 {lo}-{hi}"
    grants = channel_name("platform_grant", lang)
    grants = grants if lang == "zh" else f"the {grants}"
    return (f"{plural(n, 'platform')} due under the platform levers {verb(n)} still waiting for a grant at the end of "
            f"the horizon (P50; {spread}): {'it' if n == 1 else 'each'} cost more than {grants} had left in "
            "its year (money does not roll over)"
            + (", so unspent platform money and missing platforms go together." if unspent else "."))


def money_sentence(summary: dict, lang: str) -> str:
    """Whether the budget binds: the unspent share of the whole and of the channels that leave most; then the
    platforms still waiting for a grant, if any. English, its channels named in `lang` (the terminal's rule)."""
    m = summary.get("money")
    waiting = awaiting_platforms(summary, lang)
    if not m or m["total"]["budgeted"]["p50"] <= 0:
        return waiting
    return _budget_binds(m, lang) + (" " + waiting if waiting else "")


def _budget_binds(m: dict, lang: str) -> str:
    total = m["total"]
    share = total["unspent_share"]["p50"]
    idle = idle_channels(m)
    detail = "; ".join(f"{channel_name(c, lang)} {100 * u:.0f}% unspent" for c, u in idle)
    if share < UNSPENT_HEADLINE:
        return (f"The budget binds: {100 * (1 - share):.0f}% of its {_yi(total['budgeted']['p50'])} over the horizon "
                "is paid out (P50)"
                + (f", though {detail}." if detail else "."))
    return (f"The plan's money does not bind: {100 * share:.0f}% of its {_yi(total['budgeted']['p50'])} over the "
            "horizon is left "
            f"unspent (P50, P10-P90 {100 * total['unspent_share']['p10']:.0f}-"
            f"{100 * total['unspent_share']['p90']:.0f}%): more money in the channels that leave it unspent buys "
            "nothing by itself" + (f" ({detail})." if detail else "."))


def money_rows(summary: dict) -> list[list[str]]:
    rows = []
    for c, v in summary["money"].items():
        name = "total 合计" if c == "total" else f"{channel_name(c, REPORT_NAMES)} {c}"
        u, paid = v["unspent_share"], v["paid"]
        rows.append([name, _yi(v["budgeted"]["p50"]),
                     f"{_yi(paid['p50'])} [{_yi(paid['p10'])} - {_yi(paid['p90'])}]",
                     f"{100 * u['p50']:.0f}% [{100 * u['p10']:.0f} - {100 * u['p90']:.0f}%]"])
    return rows


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


def headline(summary: dict) -> str:
    ts, promised = outcomes(summary), commitments(summary)
    money = money_sentence(summary, REPORT_NAMES)
    if not summary["targets"]:
        return ("This scenario sets no quantified targets: the projections are in the table 'Context at the "
                "horizon' (P50 and P10-P90 at the end of the horizon).")
    counts = {name: sum(light(t["p_meet"]) == name for t in ts) for name, _ in LIGHTS}
    worst = [t for t in sorted(ts, key=lambda t: t["p_meet"])[:3] if light(t["p_meet"]) == "red"]
    out = (f"Of the plan's {counted_targets(len(ts))}, {are(counts['green'])} likely to be met "
           f"(probability at least 80%), {are(counts['amber'])} uncertain (50-80%) and "
           f"{are(counts['red'])} unlikely (below 50%) under this scenario.")
    if promised:
        out += (f" Its {plural(len(promised), 'commitment')} (" + ", ".join(INDICATORS[t["indicator"]].zh
                                                                          for t in promised)
                + f") {verb(len(promised))} delivered by their levers by arithmetic, not found by "
                "the model.")
    derived = [t for t in ts if from_plan(t)]
    if derived:
        out += (f" {len(derived)} of the outcome targets {verb(len(derived))} read against a "
                "baseline estimated partly from the plan's own targets (marked †).")
    if worst:
        out += " Furthest from reach: " + "; ".join(
            f"{INDICATORS[t['indicator']].zh} ({percent(t['p_meet'])}%)" for t in worst) + "."
    if money.startswith("The plan's money does not bind"):
        return money + " " + out
    return out + (" " + money if money else "")


def money_section(summary: dict) -> list[str]:
    """Each channel's budget, payments and unspent share over the horizon."""
    if not summary.get("money"):
        return []
    return ["", "## Money by channel (budgeted, paid, unspent over the horizon)", "",
            money_sentence(summary, REPORT_NAMES), "",
            *markdown_table(["channel 渠道", "budgeted P50", "paid P50 [P10 - P90]", "unspent [P10 - P90]"],
                            money_rows(summary), right=(1, 2, 3)),
            "", "Payments are made when a channel decides (no multi-year commitments in the model), so committed "
            "equals paid; money left at the end of a year does not roll over."]


def effects_section(summary: dict) -> list[str]:
    """The levers' behavioural parameters, their evidence and whether this run drew them."""
    effects = summary.get("lever_effects")
    if not effects:
        return []
    how = ("drawn per replication, triangular over the range and peaked at the central value" if effects["drawn"]
           else "held at the central value in this run")
    lines = ["", f"## Lever effects ({how})", "",
             "Each lever acts through these parameters (model/lever_registry.py names the mechanism). The rows cited "
             "are those of calibration/data/policy-evidence.csv; an effect with no published estimate says so and "
             "keeps a wide range. A row with no lever is a background rule's, a national rule no lever sets "
             "(model/rd_tax.py), treated alike.", "",
             "| parameter | central | range | unit | evidence | levers |", "|---|---:|---|---|---|---|"]
    for name, e in effects["parameters"].items():
        cited = "; ".join(part for part in (", ".join(e["evidence"]), "no evidence found" * e["no_evidence"]) if part)
        lines.append(f"| {e['label']} (`{name}`) | {e['central']:g} | {e['range'][0]:g} - {e['range'][1]:g} | "
                     f"{e['unit']} | {cited} | {', '.join(e['levers']) or 'none (background rule)'} |")
    return lines


SOURCES = ["", "## Sources", "",
           "- seed 004: 北京城市副中心科技创新“三量齐升”行动计划(2024-2026年), 通州区科技领导小组办公室, 2024.",
           "- seed 000: 北京经开区五大举措打造国际科技创新中心主平台, 科技日报, 2021-02-01.",
           "- seed 001: 科技创新片区:双轮驱动的科创“大脑”, 北京商报, 2021-01-16.",
           "- seed 002: 中关村奋力推进世界领先科技园区建设, 2024.",
           "- seed 003: 北京:全面深化改革 建设全国科技创新中心, 2015-01-10.",
           "- calibration/data/public-figures.csv rows cited by id in the profile.",
           "- Behavioural parameters: model/parameters.py (each with unit, range and reference); lever effects: "
           "calibration/data/policy-evidence.csv rows cited by id.", ""]


def markdown(summary: dict, scenario: Scenario, lang: str = "zh") -> str:
    """report.md before its charts (briefing.with_charts); `lang` (innosim run --lang) writes its known limits."""
    prof = PROFILES[scenario.scenario.profile]
    lines = [f"# {summary['title']}", "",
             f"Scenario `{summary['scenario']}` ({summary['scenario_file'] or 'in memory'}), "
             f"profile `{summary['profile']}`, {summary['start']} to {summary['end']}, "
             f"{summary['replications']} replications, seed {summary['seed']}, "
             f"scenario hash `{summary['scenario_hash']}`, commit `{summary['git_commit']}`.", "",
             "## Headline", "", headline(summary), "",
             "## Targets", "",
             "| 指标 indicator | 基期 baseline | 目标 target | P50 | P10-P90 | P(meet) | | 原文 quote |",
             "|---|---:|---|---:|---|---:|---|---|"]
    for t in outcomes(summary):
        ind = t["indicator"]
        lines.append(
            f"| {INDICATORS[ind].zh} ({ind}) | {_baseline_cell(summary, t)} | {target_cell(t)} | "
            f"{fmt(ind, t['p50'])} | {fmt(ind, t['p10'])} - {fmt(ind, t['p90'])} | {percent(t['p_meet'])}% | "
            f"{light(t['p_meet'])} | {t['quote']} ({t['source']}) |")
    few = few_runs_note(summary)
    lines += ["", f"**{few}**"] if few else []
    lines += ["", "\\" + NOTE_DRAWN + "."]  # not a list item
    if any(from_plan(t) for t in summary["targets"]):
        lines += ["", NOTE_FROM_PLAN + ". The profile's reasoning for each is under 'Baseline estimates' below."]
    if any(measured_value(t) is not None for t in summary["targets"]):
        lines += ["", NOTE_ABOUT + "."]
    if commitments(summary):
        lines += ["", "## Commitments (delivered by a lever)", "", NOTE_COMMITMENTS + ".", "",
                  "| 承诺事项 commitment | 目标 target | delivered | by the lever | 原文 quote |",
                  "|---|---|---:|---|---|"]
        lines += [f"| {INDICATORS[t['indicator']].zh} ({t['indicator']}) | {target_cell(t)} | "
                  f"{fmt(t['indicator'], t['p50'])} | {t['delivery']} | {t['quote']} ({t['source']}) |"
                  for t in commitments(summary)]
    lines += money_section(summary)
    limits = known_limits(summary, lang=lang)
    if limits:
        lines += ["", "## Known limits of the model for these targets", "", *(f"- {x}" for x in limits)]
    lines += ["", "## Context at the horizon", "", "| indicator | baseline | P50 | P10-P90 |", "|---|---:|---:|---|"]
    for ind in context_indicators(summary):
        s = summary["indicators"][ind]
        lines.append(f"| {INDICATORS[ind].label} ({ind}) | {fmt(ind, s['baseline_p50'])} | {fmt(ind, s['p50'])} | "
                     f"{fmt(ind, s['p10'])} - {fmt(ind, s['p90'])} |")
    lev = scenario.levers
    budget = lev.budget.model_dump()
    lines += ["", "## Levers", "", "| lever | value |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in lev.model_dump(exclude={"budget"}).items()]
    lines += [f"| budget.{k} (万元/year) | {v:,.0f} |" for k, v in budget.items()]
    lines += [f"| budget total (万元/year) | {lev.budget.total():,.0f} |"]
    lines += effects_section(summary)
    lines += ["", "## Baseline estimates (drawn per replication from these ranges)", "",
              "| quantity | range | unit | reasoning |", "|---|---|---|---|"]
    for key in prof.estimated():
        e = prof.entries[key]
        lines.append(f"| {e['label']} | {e['range'][0]:,} - {e['range'][1]:,} | {e['unit']} | "
                     f"{' '.join(e['estimate'].split())} |")
    lines += ["", "## Sourced baseline values", "", "| quantity | value | unit | source |", "|---|---:|---|---|"]
    for e in prof.entries.values():
        if "value" in e:
            lines.append(f"| {e['label']} | {e['value']:,} | {e['unit']} | {e['source']} |")
    lines += SOURCES
    return "\n".join(lines)
